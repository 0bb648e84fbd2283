"""Step-size control: Hairer's initial step and the PI controller.

All control arithmetic is on floats: the error norm is ``g.norm`` of the scaled error estimate
(duals count their partials, measurements only their values), and everything else is decided
on ``g.value``. References: Hairer, Nørsett & Wanner, Solving ODEs I (1993), §II.4 (initial
step) and Hairer & Wanner, Solving ODEs II (1996), §IV.2 (PI control, Gustafsson).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from numba.extending import register_jitable

from ..functions import magnitude, maximum, norm, stage_sum, value

__all__ = ["PIController", "pi_next_dt", "pi_retry_dt", "error_scale", "error_norm",
           "weighted_error_norm", "composed_error_norm", "scaled_norm", "initial_step"]


@register_jitable(forceinline=True)
def error_scale(u, u_new, atol, rtol):
    """``atol + rtol * max(|u|, |u_new|)`` elementwise, on values (a float or a real array;
    ``g.magnitude`` is ``|x|`` for numbers and arrays, the maximum norm for a function state).

    nan where ``u_new`` is not finite (``0 * |u_new|`` adds an exact 0 to a finite scale, nan
    for inf or nan), so that the error norm of a step to a non-finite state is nan and the step
    is rejected: the stepping loop needs no separate finiteness test after an adaptive step (on
    a GPU that test would be a second transfer to the host per step)."""
    size_new = magnitude(value(u_new))
    return atol + rtol * maximum(magnitude(value(u)), size_new) + 0.0 * size_new


def error_norm(e, u, u_new, atol, rtol) -> float:
    """The norm of the error estimate ``e`` of a step from ``u`` to ``u_new``, relative to
    :func:`error_scale`: a float. (The compiled float64 method,
    ``generic/ode/fast/overloads.py``, computes the same in one pass.)"""
    return scaled_norm(e, error_scale(u, u_new, atol, rtol))


def weighted_error_norm(weights, ks, u, u_new, atol, rtol) -> float:
    """:func:`error_norm` of the error estimate ``Σ_j weights[j] ks[j]`` (0 if every weight
    is zero). (The compiled float64 method, ``generic/ode/fast/overloads.py``, computes the
    same in one pass for a small state, without storing the estimate.)"""
    return composed_error_norm(weights, ks, u, u_new, atol, rtol)


@register_jitable(forceinline=True)
def composed_error_norm(weights, ks, u, u_new, atol, rtol) -> float:
    """:func:`weighted_error_norm` as its composition: the estimate, then its norm."""
    e = stage_sum(weights, ks, len(weights))
    return 0.0 if e is None else error_norm(e, u, u_new, atol, rtol)


@register_jitable(forceinline=True)
def scaled_norm(e, scale) -> float:
    """The error norm of ``e`` relative to ``scale``: a float."""
    return float(norm(e / scale))


@register_jitable
def initial_step(f, p, t0, u0, f0, direction: float, order: int, atol, rtol, span: float):
    """Hairer's starting step size (Solving ODEs I, §II.4): from the sizes of ``u0``, ``f0`` and
    an estimate of the second derivative, bounded by 100 h0 and the integration span. Returns
    (dt as a positive float, number of f evaluations used)."""
    scale = error_scale(u0, u0, atol, rtol)
    d0, d1 = scaled_norm(u0, scale), scaled_norm(f0, scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, span)
    u1 = u0 + (direction * h0) * f0
    f1 = f(u1, p, t0 + direction * h0)
    d2 = scaled_norm(f1 - f0, scale) / h0
    if not math.isfinite(d2):
        return h0 * 1e-3, 1
    largest = max(d1, d2)
    h1 = max(1e-6, h0 * 1e-3) if largest <= 1e-15 else (0.01 / largest) ** (1.0 / (order + 1))
    return min(100 * h0, h1, span), 1


@dataclass
class PIController:
    """Proportional-integral step control (Gustafsson): with q = err^β1 / err_prev^β2,
    dt_new = dt / clamp(q / safety, 1/qmax, 1/qmin). Defaults β1 = 7/(10p), β2 = 2/(5p) for a
    method of order p, qmin 1/5, qmax 10, safety 9/10 (as OrdinaryDiffEq.jl)."""

    order: int
    beta1: float | None = None
    beta2: float | None = None
    qmin: float = 0.2
    qmax: float = 10.0
    safety: float = 0.9
    err_prev: float = 1e-4

    def __post_init__(self):
        self.beta1 = 7 / (10 * self.order) if self.beta1 is None else self.beta1
        self.beta2 = 2 / (5 * self.order) if self.beta2 is None else self.beta2

    def accept(self, err: float) -> bool:
        return err <= 1.0

    def next_dt(self, dt: float, err: float) -> float:
        """The next step size after an accepted step with error ``err`` (<= 1)."""
        return pi_next_dt(self, dt, err)

    def retry_dt(self, dt: float, err: float) -> float:
        """The step size to retry with after a rejected step (err > 1, or not finite)."""
        return pi_retry_dt(self, dt, err)


@register_jitable(forceinline=True)
def pi_next_dt(control, dt, err):
    """The PI step after an accepted step; ``control`` has ``beta1, beta2, qmin, qmax, safety``
    and the previous error ``err_prev``, which this updates."""
    q11 = err**control.beta1
    q = q11 / control.err_prev**control.beta2
    q = min(1 / control.qmin, max(1 / control.qmax, q / control.safety))
    control.err_prev = max(err, 1e-4)
    return dt / q


@register_jitable(forceinline=True)
def pi_retry_dt(control, dt, err):
    """The step to retry with after a rejection (err > 1, or not finite)."""
    if not math.isfinite(err):
        return dt * control.qmin
    return dt / min(1 / control.qmin, err**control.beta1 / control.safety)
