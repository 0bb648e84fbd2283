"""Exponential time differencing: ETDRK4 for ``u' = L u + N(u, p, t)`` with ``L`` diagonal.

Cox & Matthews' fourth-order scheme treats the linear part exactly (``e^{hL}``) and the
nonlinear part by a Runge–Kutta-like quadrature with φ-function weights. In the form of
Kassam & Trefethen (2005), with ``z = hL``::

    a = e^{z/2} u + Q N(u, t)                 Q  = h (e^{z/2} - 1) / z
    b = e^{z/2} u + Q N(a, t + h/2)
    c = e^{z/2} a + Q (2 N(b, t + h/2) - N(u, t))
    u_new = e^{z} u + f1 N(u) + 2 f2 (N(a) + N(b)) + f3 N(c, t + h)

    f1 = h (-4 - z + e^z (4 - 3z + z²)) / z³
    f2 = h (2 + z + e^z (z - 2)) / z³
    f3 = h (-4 - 3z - z² + e^z (4 - z)) / z³

The weights cancel catastrophically for small ``|z|``; Kassam & Trefethen evaluate each as the
mean of the same expression over a circle of radius 1 around ``z`` (the trapezoidal rule of
Cauchy's integral formula: exact to the precision of the arithmetic for an entire function, with
enough points). Here the points are 64 (32 on the upper half circle for real ``z``, the lower
half by symmetry), more for a number type beyond 80 digits, and the circle's nodes and π are
computed in the eigenvalues' own number type, so a multiprecision solve gets its precision.

Every product with a weight is ``g.diagonal_apply(L, x, phi)``: the step is arithmetic on the
state and that generic function only, so it runs on NumPy arrays of Fourier coefficients, object
arrays of multiprecision numbers and Fourier Funs alike. Weights are computed once per step size
(and eigenvalue array). ETDRK4 is exact for ``N = 0`` and for constant ``N`` at any step size.

References: S. M. Cox & P. C. Matthews, "Exponential time differencing for stiff systems",
J. Comput. Phys. 176 (2002) 430–455; A.-K. Kassam & L. N. Trefethen, "Fourth-order
time-stepping for stiff PDEs", SIAM J. Sci. Comput. 26 (2005) 1214–1233.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..dispatch import convert
from ..functions import atan, cos, diagonal_apply, eltype, eps, exp, imag, real, sin
from .algorithms import Algorithm, Attempt
from .split import identity, require_split

__all__ = ["ETDRK4", "contour_mean", "etdrk4_weights", "Remembered"]


class ETDRK4(Algorithm):
    """Cox & Matthews' exponential fourth-order Runge–Kutta method (ETDRK4) for a
    :class:`~.split.SplitODEProblem`, weights by Kassam & Trefethen's contour means.

    Fixed steps: ``g.solve(prob, g.ETDRK4(), dt=...)``. Exact for the linear part at any step
    size; four N evaluations a step (one of them is the stepping loop's f at the new point).
    """

    order = 4
    adaptive = False

    def prepare(self, integrator):
        prob = require_split(integrator.prob, self.name)
        return _Cache(prob)

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        L, N, p = cache.L, cache.N, integrator.p
        E, E2, Q, f1, f2, f3 = cache.weights(dt)
        half = t + dt / 2
        Nu = f0 - diagonal_apply(L, u, identity)  # f0 = L u + N(u): N(u) without a call
        E2u = diagonal_apply(L, u, E2)
        a = E2u + diagonal_apply(L, Nu, Q)
        Na = N(a, p, half)
        b = E2u + diagonal_apply(L, Na, Q)
        Nb = N(b, p, half)
        c = diagonal_apply(L, a, E2) + diagonal_apply(L, 2 * Nb - Nu, Q)
        Nc = N(c, p, t + dt)
        u_new = (diagonal_apply(L, u, E) + diagonal_apply(L, Nu, f1)
                 + diagonal_apply(L, 2 * (Na + Nb), f2) + diagonal_apply(L, Nc, f3))
        return Attempt(u_new, 0.0, None, 3)


class _Cache:
    """Per solve: L, N and the weights of the last few step sizes."""

    def __init__(self, prob):
        self.L, self.N = prob.L, prob.N
        self._weights: dict = {}

    def weights(self, dt):
        """(E, E2, Q, f1, f2, f3) for step ``dt``: functions of the eigenvalues that remember
        their values."""
        if dt not in self._weights:
            if len(self._weights) >= 8:  # fixed steps use one or two sizes (a last short step)
                self._weights.pop(next(iter(self._weights)))
            self._weights[dt] = _step_weights(dt)
        return self._weights[dt]


def _step_weights(h):
    quadrature = Remembered(lambda lam: etdrk4_weights(h * lam, h))
    return (Remembered(lambda lam: exp(h * lam)), Remembered(lambda lam: exp(h * lam / 2)),
            *(_component(quadrature, k) for k in range(4)))


def _component(weights, k: int):
    return lambda lam: weights(lam)[k]


class Remembered:
    """``fn(eigenvalues)``, computed again only for eigenvalues unlike the last ones (the same
    array object is taken as unchanged: L is constant during a solve)."""

    __slots__ = ("fn", "given", "eigenvalues", "result")

    def __init__(self, fn):
        self.fn, self.given, self.eigenvalues, self.result = fn, None, None, None

    def __call__(self, eigenvalues):
        if eigenvalues is self.given:
            return self.result
        last = self.eigenvalues
        if last is None or last.shape != np.shape(eigenvalues) or \
                last.dtype != np.asarray(eigenvalues).dtype or \
                not np.array_equal(last, eigenvalues):
            self.result = self.fn(eigenvalues)
            self.eigenvalues = np.array(eigenvalues, copy=True)
        self.given = eigenvalues
        return self.result


def etdrk4_weights(z, h) -> tuple:
    """ETDRK4's (Q, f1, f2, f3) at ``z = hL`` for step ``h``, by contour means."""
    weights = contour_mean((
        lambda w, ew: (exp(w / 2) - 1) / w,
        lambda w, ew: (-4 - w + ew * (4 - 3 * w + w * w)) / (w * w * w),
        lambda w, ew: (2 + w + ew * (w - 2)) / (w * w * w),
        lambda w, ew: (-4 - 3 * w - w * w + ew * (4 - w)) / (w * w * w),
    ), z)
    return tuple(h * weight for weight in weights)


def contour_mean(expressions, z) -> list:
    """For each ``expression(w, e^w)``, its mean over the circle ``|w - z| = 1`` around each
    element of the array ``z``: the value at ``z`` of an expression analytic there, without
    the cancellation of evaluating it near a removable singularity (Kassam & Trefethen 2005).
    Real where ``z`` is."""
    z = np.asarray(z)
    numeric = z.dtype != object  # NumPy numbers: nodes in float64, results in z's precision
    T = float if numeric else eltype(z)
    realz = _is_real(z)
    nodes = _circle(T, _points(T), 1 if realz else 2)
    w = z[..., None] + nodes
    ew = exp(w)
    means = []
    for expression in expressions:
        mean = np.asarray(expression(w, ew).sum(axis=-1) / len(nodes))  # 0-d stays an array
        mean = _real(mean) if realz else mean
        if numeric and z.dtype.kind in "fc":  # float32 eigenvalues give float32 weights
            mean = mean.astype(z.dtype, copy=False)
        means.append(mean)
    return means


def _points(T) -> int:
    """Nodes on a half circle: 2M-point trapezoidal error ~ 1/(2M)!, below the type's eps."""
    digits = -math.log10(float(eps(T)))
    m = 32
    while math.lgamma(2 * m + 1) / math.log(10) < digits + 10:
        m += 8
    return m


_CIRCLES: dict = {}


def _circle(T, m: int, halves: int):
    """``e^{iπ(j - 1/2)/m}`` for j = 1 .. halves·m, in number type ``T``."""
    key = (T, m, halves, float(eps(T)))
    if key not in _CIRCLES:
        pi = 4 * atan(convert(T, 1))
        angles = [pi * convert(T, Fraction(2 * j - 1, 2 * m)) for j in range(1, halves * m + 1)]
        nodes = [cos(a) + 1j * sin(a) for a in angles]
        _CIRCLES[key] = np.asarray(nodes, dtype=None if T is float else object)
    return _CIRCLES[key]


def _is_real(z: np.ndarray) -> bool:
    if z.dtype.kind in "biuf":
        return True
    if z.dtype.kind == "c":
        return False
    return all(imag(x) == 0 for x in z.flat)


def _real(x: np.ndarray):
    if x.dtype == object:
        return np.frompyfunc(real, 1, 1)(x)
    return x.real
