"""Root finding (floor 4).

:func:`brent` finds a root of a real function of a real variable in a bracket, on floats: the
callbacks of the ODE solvers use it on ``g.value`` of an event condition, and then take one
Newton step in the problem's own number type (so a dual-number root carries its derivative).
Reference: R. P. Brent, Algorithms for Minimization without Derivatives (1973), ch. 4.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["brent"]


def brent(fun: Callable[[float], float], a: float, b: float, fa: float | None = None,
          fb: float | None = None, xtol: float = 0.0, maxiter: int = 200) -> float:
    """A root of ``fun`` in ``[a, b]``, where ``fun(a)`` and ``fun(b)`` differ in sign (or one
    is zero), to within ``xtol`` plus a few ulps. ``a > b`` is allowed."""
    fa = fun(a) if fa is None else fa
    fb = fun(b) if fb is None else fb
    if fa == 0:
        return a
    if fb == 0:
        return b
    if (fa > 0) == (fb > 0):
        raise ValueError(f"brent: f({a}) = {fa} and f({b}) = {fb} do not bracket a root")
    c, fc = a, fa
    d = e = b - a
    for _ in range(maxiter):
        if (fb > 0) == (fc > 0):
            c, fc = a, fa
            d = e = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol = 2 * 2.220446049250313e-16 * abs(b) + 0.5 * xtol
        m = 0.5 * (c - b)
        if abs(m) <= tol or fb == 0:
            return b
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:  # secant
                p, q = 2 * m * s, 1 - s
            else:  # inverse quadratic interpolation
                q, r = fa / fc, fb / fc
                p = s * (2 * m * q * (q - r) - (b - a) * (r - 1))
                q = (q - 1) * (r - 1) * (s - 1)
            if p > 0:
                q = -q
            p = abs(p)
            if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:
                d = e = m
        else:
            d = e = m
        a, fa = b, fb
        b += d if abs(d) > tol else math.copysign(tol, m)
        fb = fun(b)
    return b
