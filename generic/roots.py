"""Root finding (floor 4), generic over number types.

Every method iterates on floats (``g.value`` of the function), so control decisions never depend
on the number type, and then *polishes* the float root ``x_r`` with Newton steps in the problem's
own type, ``x* = x_r - f(x_r) / f'(x_r)`` (``f'`` by ``g.derivative`` unless given):

- dual numbers: the value moves by rounding only and the partials become
  ``-(df/dp) / (df/dx)``, the exact derivative of the root by the implicit function theorem;
- multiprecision: each step doubles the correct digits, so the root is exact to the working
  precision.

:func:`brent` (floats only, used by the ODE callbacks on ``g.value`` of an event condition) finds
a root in a bracket. Reference: R. P. Brent, Algorithms for Minimization without Derivatives
(1973), ch. 4. :func:`false_position` is the Illinois variant (Dowell & Jarratt, BIT 11, 1971).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numba.extending import register_jitable

from .dispatch import convert
from .functions import derivative, eltype, eps, value

__all__ = ["brent", "brent_bracketed", "evaluate", "bisection", "false_position", "newton",
           "find_root", "ConvergenceError"]


class ConvergenceError(RuntimeError):
    """A root finder did not converge within ``maxiter`` iterations."""


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
    return brent_bracketed(fun, a, b, fa, fb, xtol, maxiter)


def evaluate(fun, x):
    """``fun(x)``. (Compiled code evaluates its own function objects through methods of this.)"""
    return fun(x)


@register_jitable
def brent_bracketed(fun, a, b, fa, fb, xtol=0.0, maxiter=200):
    """Brent's method from a bracket ``fa``, ``fb`` of opposite signs (neither zero), ``fun``
    evaluated through :func:`evaluate`. The loop of :func:`brent`, shared with compiled
    code (event location on the float64 fast path). Brent, Algorithms for Minimization without
    Derivatives (1973), ch. 4."""
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
        fb = evaluate(fun, b)
    return b


def _float_fun(f: Callable) -> Callable[[float], float]:
    return lambda x: float(value(f(x)))


def _lift(x: float, *likes):
    """Float ``x`` in the number type of the most precise of ``likes`` (float if none is)."""
    best, best_eps = float, 2.220446049250313e-16
    for like in likes:
        T = eltype(like)
        e = float(eps(T))
        if e < best_eps:
            best, best_eps = T, e
    return x if best is float else convert(best, x)


def _polish(f: Callable, x, fprime: Callable | None, steps: int = 8, bracket=None):
    """Newton steps on ``f`` in the problem's own type from ``x`` (already near a root). An
    ``f`` that does not take dual numbers (TypeError) leaves ``x`` as it is."""
    for _ in range(steps):
        fx = f(x)
        if fprime is not None:
            dfx = fprime(x)
        else:
            try:
                dfx = derivative(f, x)
            except TypeError:  # f does not take dual numbers: keep the root unpolished
                return x
        dv = float(value(dfx))
        if dv == 0 or not math.isfinite(dv):
            return x
        dx = fx / dfx
        new = x - dx
        nv = float(value(new))
        if not math.isfinite(nv) or (bracket is not None
                                     and not min(bracket) <= nv <= max(bracket)):
            return x
        x = new
        tiny = abs(float(value(dx))) <= 4 * float(eps(x)) * abs(nv)
        if tiny:
            return x
    return x


def _bracket(fv: Callable, a: float, b: float, name: str):
    fa, fb = fv(a), fv(b)
    if fa != 0 and fb != 0 and (fa > 0) == (fb > 0):
        raise ValueError(f"{name}: f({a}) = {fa} and f({b}) = {fb} do not bracket a root")
    return fa, fb


def _bracketed(f: Callable, a, b, name: str, search: Callable, polish: bool):
    """The frame of the bracketing methods: ``search(fv, lo, hi, flo, fhi)`` finds the root on
    floats inside the checked bracket; the root is then lifted to the problem's type and
    (``polish``) refined by Newton steps in it."""
    fv = _float_fun(f)
    lo, hi = float(value(a)), float(value(b))
    flo, fhi = _bracket(fv, lo, hi, name)
    x = (lo if flo == 0 else hi) if flo == 0 or fhi == 0 else search(fv, lo, hi, flo, fhi)
    x = _lift(x, a, b)
    return _polish(f, x, None, bracket=(lo, hi)) if polish else x


def bisection(f: Callable, a, b, xtol: float = 0.0, maxiter: int = 200, polish: bool = True):
    """A root of ``f`` in the bracket ``[a, b]`` (``f(a)``, ``f(b)`` of opposite signs) by
    bisection on values, then (``polish=True``) Newton steps in the problem's own type.

    Any number type: ``a``, ``b`` and the values of ``f`` may be floats, duals, multiprecision
    numbers, measurements. Raises ValueError when ``[a, b]`` does not bracket a root.
    """

    def search(fv, lo, hi, flo, fhi):
        for _ in range(maxiter):
            mid = 0.5 * (lo + hi)
            if mid in (lo, hi) or abs(hi - lo) <= xtol:
                break
            fm = fv(mid)
            if fm == 0:
                return mid
            if (fm > 0) == (flo > 0):
                lo, flo = mid, fm
            else:
                hi = mid
        return 0.5 * (lo + hi)

    return _bracketed(f, a, b, "bisection", search, polish)


def false_position(f: Callable, a, b, xtol: float = 0.0, maxiter: int = 200,
                   polish: bool = True):
    """A root of ``f`` in the bracket ``[a, b]`` by regula falsi, Illinois variant (the retained
    end's value is halved when it is kept twice), on values, then Newton polish in the problem's
    own type as :func:`bisection`. Raises ConvergenceError after ``maxiter`` iterations."""

    def search(fv, lo, hi, flo, fhi):
        side = 0
        for _ in range(maxiter):
            x = (lo * fhi - hi * flo) / (fhi - flo)
            if not min(lo, hi) < x < max(lo, hi):
                x = 0.5 * (lo + hi)
            tol = 4 * 2.220446049250313e-16 * abs(x) + xtol
            if abs(hi - lo) <= tol:
                return x
            fx = fv(x)
            if fx == 0:
                return x
            if (fx > 0) == (fhi > 0):
                hi, fhi = x, fx
                if side == -1:
                    flo *= 0.5
                side = -1
            else:
                lo, flo = x, fx
                if side == 1:
                    fhi *= 0.5
                side = 1
            if min(abs(x - lo), abs(x - hi)) <= tol:
                return x
        raise ConvergenceError(f"false_position: no convergence in {maxiter} iterations "
                               f"(bracket [{lo}, {hi}])")

    return _bracketed(f, a, b, "false_position", search, polish)


def newton(f: Callable, x0, fprime: Callable | None = None, rtol: float = 4 * 2.2e-16,
           atol: float = 0.0, maxiter: int = 50, polish: bool = True):
    """A root of ``f`` by Newton's method from ``x0``.

    Scalar ``x0``: ``f'`` is ``fprime`` or ``g.derivative(f, x)``. Array ``x0`` (a system
    ``F(x) = 0``, F: R^n -> R^n): the Jacobian is built column by column with ``g.derivative``
    (``fprime`` may instead return it) and each step solves ``J dx = F`` with
    ``numpy.linalg.solve`` on values. The iteration runs on floats and stops when
    ``|dx| <= atol + rtol |x|`` (max norm); then Newton steps in the problem's own type
    (``polish``) give dual roots their exact derivatives and multiprecision roots full precision
    (for systems these steps use the float Jacobian: each gains ~16 digits). Raises
    ConvergenceError after ``maxiter`` iterations.
    """
    if np.ndim(value(x0)) > 0:
        return _newton_system(f, x0, fprime, rtol, atol, maxiter, polish)
    x = float(value(x0))
    for _ in range(maxiter):
        fx = float(value(f(x)))
        if fx == 0:
            break
        dfx = float(value(fprime(x) if fprime is not None else derivative(f, x)))
        if dfx == 0 or not math.isfinite(dfx):
            raise ConvergenceError(f"newton: derivative {dfx} at x = {x}")
        dx = fx / dfx
        x -= dx
        if not math.isfinite(x):
            raise ConvergenceError("newton: iterate is not finite")
        if abs(dx) <= atol + rtol * abs(x):
            break
    else:
        raise ConvergenceError(f"newton: no convergence in {maxiter} iterations (x = {x})")
    x = _lift(x, x0)
    return _polish(f, x, fprime) if polish else x


def _jacobian(F: Callable, x, fprime: Callable | None):
    if fprime is not None:
        return fprime(x)
    n = len(x)
    columns = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = 1.0
        columns.append(np.asarray(derivative(lambda t, e=e: F(x + t * e), 0.0)))
    return np.stack(columns, axis=-1)


def _newton_system(F, x0, fprime, rtol, atol, maxiter, polish):
    x = np.array(value(x0), dtype=float)
    for _ in range(maxiter):
        Fx = np.asarray(value(F(x)), dtype=float)
        if not np.any(Fx):
            break
        J = np.asarray(value(_jacobian(F, x, fprime)), dtype=float)
        dx = np.linalg.solve(J, Fx)
        x = x - dx
        if not np.all(np.isfinite(x)):
            raise ConvergenceError("newton: iterate is not finite")
        if np.max(np.abs(dx)) <= atol + rtol * np.max(np.abs(x)):
            break
    else:
        raise ConvergenceError(f"newton: no convergence in {maxiter} iterations (x = {x})")
    if not polish:
        return x
    T = eltype(x0)
    if float(eps(T)) < 2.220446049250313e-16:
        x = np.array([convert(T, float(xi)) for xi in x], dtype=object)
    Jinv = np.linalg.inv(np.asarray(value(_jacobian(F, x, fprime)), dtype=float))
    for _ in range(8):
        dx = Jinv @ F(x)
        x = x - dx
        step = np.max(np.abs(np.asarray(value(dx), dtype=float)))
        if step <= 4 * float(eps(T)) * np.max(np.abs(np.asarray(value(x), dtype=float))):
            break
    return x


def find_root(f: Callable, x0, method: str | None = None, **kwargs):
    """A root of ``f``: ``x0`` a bracket ``(a, b)`` (default method "brent") or a starting point
    (scalar or array, method "newton"). Methods: "brent", "bisection", "false_position",
    "newton". Keyword arguments go to the method."""
    if isinstance(x0, tuple) and len(x0) == 2:
        a, b = x0
        method = method or "brent"
        if method == "brent":
            polish = kwargs.pop("polish", True)
            x = brent(_float_fun(f), float(value(a)), float(value(b)), **kwargs)
            x = _lift(x, a, b)
            return _polish(f, x, None, bracket=(float(value(a)), float(value(b)))) \
                if polish else x
        if method == "bisection":
            return bisection(f, a, b, **kwargs)
        if method == "false_position":
            return false_position(f, a, b, **kwargs)
        raise ValueError(f"find_root: unknown bracketing method {method!r}")
    if method not in (None, "newton"):
        raise ValueError(f"find_root: method {method!r} needs a bracket (a, b)")
    return newton(f, x0, **kwargs)
