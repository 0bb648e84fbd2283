"""One explicit Runge–Kutta step, for any tableau and any number type.

The stage loop is written once: plain arithmetic on the state with the tableau's coefficients
already converted to the state's number type (see :mod:`.tableau`). It never looks at the type
of the state, so it runs on floats, float32, complex, 50-digit floats, duals, measurements, object
arrays and array API arrays alike. The stages live in ``g.stage_buffer`` storage and are summed
by ``g.stage_sum`` (a loop for most types, one matrix product for NumPy number arrays) and
``g.stage_state`` (a stage's state ``u + dt Σ a_ij k_j``).
"""

from __future__ import annotations

import math

from numba.extending import register_jitable

from ..functions import stage_buffer, stage_state, value
from .attempt import Attempt
from .controller import weighted_error_norm

__all__ = ["erk_step", "erk_attempt", "erk_error"]


@register_jitable(forceinline=True)
def erk_step(f, p, t, u, dt, k1, tab):
    """One step of size ``dt`` from ``(t, u)`` with ``k1 = f(u, p, t)`` known.

    Returns ``(u_new, ks)``: the new state and the stage derivatives, from which the
    algorithm estimates its error (``dt Σ btilde_i k_i``). For an FSAL method the last stage is
    evaluated at the new state (b is the last row of A): ``f(u_new)``, the next step's ``k1``.
    """
    s = len(tab.c)
    ks = stage_buffer(k1, s)
    ks[0] = k1
    u_stage = u
    for i in range(1, s):
        u_stage = stage_state(u, dt, tab.A[i], ks, i)
        ks[i] = f(u_stage, p, t + tab.c[i] * dt)
    if tab.fsal:
        return u_stage, ks
    return stage_state(u, dt, tab.b, ks, s), ks


@register_jitable(forceinline=True)
def erk_error(tab, ks, dt, u, u_new, atol, rtol):
    """The norm of the local error estimate ``dt Σ btilde_i k_i`` relative to
    ``error_scale(u, u_new, atol, rtol)`` (a float). With a second estimate ``btilde3`` (DP8),
    Hairer's combination ``|dt| err5² / sqrt(err5² + 0.01 err3²)`` of the two RMS norms
    (Hairer, Nørsett & Wanner, Solving ODEs I, §II.10, DOP853)."""
    err5 = weighted_error_norm(tab.btilde, ks, u, u_new, atol, rtol)
    if err5 == 0.0:
        return 0.0
    if tab.btilde3 is None or len(tab.btilde3) == 0:
        return abs(float(value(dt))) * err5
    err3 = weighted_error_norm(tab.btilde3, ks, u, u_new, atol, rtol)
    denominator = err5 * err5 + 0.01 * err3 * err3
    if denominator <= 0:
        return 0.0
    return abs(float(value(dt))) * err5 * err5 / math.sqrt(denominator)


@register_jitable(forceinline=True)
def erk_attempt(f, p, tab, t, u, dt, f0, adaptive, atol, rtol):
    """One tried step of an explicit Runge–Kutta method: an :class:`~.algorithms.Attempt`
    (its error norm 0 unless ``adaptive``)."""
    u_new, ks = erk_step(f, p, t, u, dt, f0, tab)
    err = 0.0
    if adaptive:
        err = erk_error(tab, ks, dt, u, u_new, atol, rtol)
    s = len(tab.c)
    f_new = ks[s - 1] if tab.fsal else None
    return Attempt(u_new, err, f_new, s - 1, ks, tab)
