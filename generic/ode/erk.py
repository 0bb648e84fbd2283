"""One explicit Runge–Kutta step, for any tableau and any number type.

The stage loop is written once: plain arithmetic on the state with the tableau's coefficients
already converted to the state's number type (see :mod:`.tableau`). It never looks at the type
of the state, so it runs on floats, float32, complex, mpmath, duals, measurements, object
arrays and array API arrays alike.
"""

from __future__ import annotations

__all__ = ["erk_step", "weighted_sum"]


def weighted_sum(weights, ks):
    """``Σ_j weights[j] * ks[j]`` over the non-zero weights (None if all are zero)."""
    total = None
    for w, k in zip(weights, ks, strict=False):
        if w != 0:
            term = w * k
            total = term if total is None else total + term
    return total


def erk_step(f, p, t, u, dt, k1, tab):
    """One step of size ``dt`` from ``(t, u)`` with ``k1 = f(u, p, t)`` known.

    Returns ``(u_new, ks)``: the new state and the stage derivatives, from which the
    algorithm estimates its error (``dt Σ btilde_i k_i``). For an FSAL method the last stage is
    ``f(u_new)``, the next step's ``k1``.
    """
    ks = [k1]
    for i in range(1, len(tab.c)):
        increment = weighted_sum(tab.A[i], ks)
        u_stage = u if increment is None else u + dt * increment
        ks.append(f(u_stage, p, t + tab.c[i] * dt))
    if tab.tableau.fsal:
        increment = weighted_sum(tab.A[-1], ks)
        u_new = u + dt * increment  # the last stage's input: b equals the last row of A
    else:
        u_new = u + dt * weighted_sum(tab.b, ks)
    return u_new, ks
