"""Dense output: the solution between steps.

A method with its own continuous extension (Tsit5, DP5) evaluates
``u(t + θ dt) = u + dt Σ_i b_i(θ) k_i`` from its stages; every other method uses cubic Hermite
interpolation from the values and derivatives at both ends (Hairer, Nørsett & Wanner,
Solving ODEs I, §II.6). θ may be of any number type (a dual θ carries the sensitivity of an
event time into the state).
"""

from __future__ import annotations

from dataclasses import dataclass

from .erk import weighted_sum
from .tableau import Weights

__all__ = ["StepInterpolant"]


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

    def __call__(self, t):
        """The state at time ``t`` (within the step, or a little outside: extrapolated)."""
        theta = (t - self.t0) / self.dt
        if self.ks is not None and self.tab is not None and self.tab.dense is not None:
            return self._dense(theta)
        return self._hermite(theta)

    def _dense(self, theta):
        weights = Weights(tuple(_polynomial(row, theta) for row in self.tab.dense))
        ks = self.ks
        if weights.array.dtype == object and not isinstance(ks, list):
            # weights of a number type (θ a dual: an event time carrying derivatives) on
            # stacked stages: summed term by term, each weight times its stage as numbers
            ks = [ks[j] for j in range(len(weights))]
        increment = weighted_sum(weights, ks)
        return self.u0 if increment is None else self.u0 + self.dt * increment

    def _hermite(self, theta):
        # u(θ) = (1-θ) u0 + θ u1 + θ(θ-1) [(1-2θ)(u1-u0) + (θ-1) dt f0 + θ dt f1]
        du = self.u1 - self.u0
        correction = (1 - 2 * theta) * du + (theta - 1) * self.dt * self.f0 \
            + theta * self.dt * self.f1
        return self.u0 + theta * du + theta * (theta - 1) * correction


def _polynomial(coefficients, theta):
    """Σ_j coefficients[j] θ^(j+1), by Horner's rule."""
    total = 0
    for c in reversed(coefficients):
        total = (total + c) * theta
    return total
