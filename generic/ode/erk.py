"""One explicit Runge–Kutta step, for any tableau and any number type.

The stage loop is written once: plain arithmetic on the state with the tableau's coefficients
already converted to the state's number type (see :mod:`.tableau`). It never looks at the type
of the state, so it runs on floats, float32, complex, 50-digit floats, duals, measurements, object
arrays and array API arrays alike. The stages live in ``g.stage_buffer`` storage and are summed
by ``g.stage_sum``: a loop for most types, one matrix product for NumPy number arrays.
"""

from __future__ import annotations

from ..functions import stage_buffer, stage_sum

__all__ = ["erk_step", "weighted_sum"]


def weighted_sum(weights, ks):
    """``Σ_j weights[j] * ks[j]`` over all the stages ``ks`` (None if every weight is zero)."""
    return stage_sum(weights, ks, len(weights))


def erk_step(f, p, t, u, dt, k1, tab):
    """One step of size ``dt`` from ``(t, u)`` with ``k1 = f(u, p, t)`` known.

    Returns ``(u_new, ks)``: the new state and the stage derivatives, from which the
    algorithm estimates its error (``dt Σ btilde_i k_i``). For an FSAL method the last stage is
    ``f(u_new)``, the next step's ``k1``.
    """
    s = len(tab.c)
    ks = stage_buffer(k1, s)
    ks[0] = k1
    for i in range(1, s):
        increment = stage_sum(tab.A[i], ks, i)
        u_stage = u if increment is None else u + dt * increment
        ks[i] = f(u_stage, p, t + tab.c[i] * dt)
    if tab.tableau.fsal:
        u_new = u + dt * stage_sum(tab.A[-1], ks, s - 1)  # b is the last row of A
    else:
        u_new = u + dt * stage_sum(tab.b, ks, s)
    return u_new, ks
