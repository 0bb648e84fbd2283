"""Where a delay equation's solution is not smooth: the times the solver steps onto.

At ``t0`` the solution's first derivative jumps (``u'(t0+)`` is ``f`` of the state, ``u'(t0-)``
is the history's slope). A jump in the ``k``-th derivative at ``ξ`` becomes a jump in the
``(k+1)``-th at ``ξ + τ`` for each lag ``τ``, so the jumps sit at ``t0 + n1 τ1 + ... + nm τm``,
each one derivative smoother than the last. A method of order ``q`` loses its order on a step
across a jump in a derivative of order ``<= q``: these are the points with
``1 <= n1 + ... + nm <= q`` (Bellen & Zennaro, Numerical Methods for Delay Differential
Equations, 2003, §3.1).
"""

from __future__ import annotations

from ..functions import value

__all__ = ["discontinuities"]


def discontinuities(t0, tf, lags, order: int) -> list:
    """The times ``t0 + Σ n_j τ_j`` (``1 <= Σ n_j <= order``) up to ``tf``, in the time type
    of ``t0`` and the lags, sorted, with coincident ones (to rounding) given once."""
    t0_value, tf_value = float(value(t0)), float(value(tf))
    found = {}  # rounded float value -> time
    frontier = [t0]  # the points with n1 + ... + nm lags added, level by level
    for _ in range(order):
        next_frontier = []
        for t in frontier:
            for lag in lags:
                s = t + lag
                s_value = float(value(s))
                if s_value > tf_value:
                    continue
                key = round((s_value - t0_value) / (tf_value - t0_value), 12)
                if key not in found:  # first found at its fewest lags (breadth first)
                    found[key] = s
                    next_frontier.append(s)
        frontier = next_frontier
    return [found[key] for key in sorted(found)]
