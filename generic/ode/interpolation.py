"""Dense output: the solution between steps.

A method with its own continuous extension (Tsit5, DP5) evaluates
``u(t + θ dt) = u + dt Σ_i b_i(θ) k_i`` from its stages; every other method uses cubic Hermite
interpolation from the values and derivatives at both ends (Hairer, Nørsett & Wanner,
Solving ODEs I, §II.6). θ may be of any number type (a dual θ carries the sensitivity of an
event time into the state). :func:`interpolate` is shared with the compiled fast path, whose
step records have the same fields as :class:`StepInterpolant`.
"""

from __future__ import annotations

from dataclasses import dataclass

from numba.extending import register_jitable

from ..functions import stage_sum
from .tableau import Weights

__all__ = ["StepInterpolant", "interpolate", "dense_weights", "polynomial"]


@register_jitable
def interpolate(step, t):
    """The state at time ``t`` on ``step`` (within it, or a little outside: extrapolated)."""
    theta = (t - step.t0) / step.dt
    if step.dense is None or len(step.dense) == 0:
        return hermite(step, theta)
    weights, ks = dense_weights(step.dense, theta, step.ks)
    increment = stage_sum(weights, ks, len(weights))
    return step.u0 if increment is None else step.u0 + step.dt * increment


@register_jitable
def hermite(step, theta):
    """Cubic Hermite: u(θ) = (1-θ) u0 + θ u1 + θ(θ-1) [(1-2θ)(u1-u0) + (θ-1) dt f0 + θ dt f1]."""
    du = step.u1 - step.u0
    correction = (1 - 2 * theta) * du + (theta - 1) * step.dt * step.f0 \
        + theta * step.dt * step.f1
    return step.u0 + theta * du + theta * (theta - 1) * correction


@register_jitable
def polynomial(coefficients, theta):
    """Σ_j coefficients[j] θ^(j+1), by Horner's rule."""
    total = 0.0 * theta
    for j in range(len(coefficients) - 1, -1, -1):
        total = (total + coefficients[j]) * theta
    return total


def dense_weights(dense, theta, ks):
    """(the weights b_i(θ) of the stages, the stages to sum them with)."""
    weights = Weights(tuple(polynomial(row, theta) for row in dense))
    if weights.array.dtype == object and not isinstance(ks, list):
        # weights of a number type (θ a dual: an event time carrying derivatives) on
        # stacked stages: summed term by term, each weight times its stage as numbers
        ks = [ks[j] for j in range(len(weights))]
    return weights, ks


@dataclass
class StepInterpolant:
    """The solution on one step ``[t0, t0 + dt]``: ``u0``, ``u1``, their derivatives ``f0``,
    ``f1``, and the stages ``ks`` with the converted tableau when it has a dense output."""

    t0: object
    dt: object
    u0: object
    u1: object
    f0: object
    f1: object
    ks: list | None = None
    tab: object = None
    end: object = None  # where the step ended, if an event cut it short of t0 + dt

    @property
    def t_end(self):
        return self.t0 + self.dt if self.end is None else self.end

    @property
    def dense(self):
        """The tableau's dense-output coefficients (None: cubic Hermite)."""
        if self.ks is None or self.tab is None:
            return None
        return self.tab.dense

    def __call__(self, t):
        """The state at time ``t``."""
        return interpolate(self, t)
