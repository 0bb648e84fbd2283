"""Adaptive Gauss–Kronrod quadrature (floor 4), generic over number types.

:func:`quadgk` integrates with the 7-point Gauss / 15-point Kronrod pair (G7K15) and bisects the
subinterval of largest error estimate (a heap), as QuadGK.jl does. The error estimate
``|K15 - G7|`` is taken with ``g.norm`` (a float: duals include their partials, measurements use
values), so every control decision is on floats.

Nodes and weights are computed in the working precision of the integrand's type (the most precise
of ``eltype(a)``, ``eltype(b)``, ``eltype(f(mid))``, by ``g.eps``), not copied from a table:
the Legendre polynomial P_7 and the Stieltjes polynomial E_8 (the monic even polynomial of degree
8 with ``∫ E_8 P_7 x^k dx = 0`` for k = 0..7; Kronrod 1965, Monegato, SIAM Rev. 24, 1982) are
built with exact rational coefficients, their roots are found by NumPy in floats and refined by
Newton's method in the working type, the Gauss weights are ``2 / ((1 - x²) P_7'(x)²)`` and the
Kronrod weights solve the exactness conditions ``Σ w_i P_k(x_i) = 2 δ_k0`` (k = 0..14) by
Gaussian elimination in the working type. So a 40-digit type gets 40-digit nodes.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from .dispatch import convert
from .functions import eltype, eps, norm, value

__all__ = ["quadgk", "gauss_kronrod"]

_N = 7  # Gauss points; 2N + 1 Kronrod points


def _legendre(n: int) -> list[list[Fraction]]:
    """Coefficients (lowest degree first) of P_0 .. P_n."""
    P = [[Fraction(1)], [Fraction(0), Fraction(1)]]
    for k in range(1, n):
        a = [Fraction(0)] + [Fraction(2 * k + 1, k + 1) * c for c in P[k]]
        b = [Fraction(k, k + 1) * c for c in P[k - 1]] + [Fraction(0)] * 2
        P.append([x - y for x, y in zip(a, b, strict=True)])
    return P[: n + 1]


def _solve(A: list[list], rhs: list, key: Callable) -> list:
    """Solve ``A x = rhs`` by Gaussian elimination with partial pivoting (pivot by ``key``)."""
    n = len(rhs)
    M = [list(row) + [r] for row, r in zip(A, rhs, strict=True)]
    for i in range(n):
        p = max(range(i, n), key=lambda r: key(M[r][i]))
        M[i], M[p] = M[p], M[i]
        for r in range(i + 1, n):
            m = M[r][i] / M[i][i]
            M[r] = [x - m * y for x, y in zip(M[r], M[i], strict=True)]
    x = [None] * n
    for i in reversed(range(n)):
        s = M[i][n]
        for j in range(i + 1, n):
            s = s - M[i][j] * x[j]
        x[i] = s / M[i][i]
    return x


def _stieltjes(n: int, Pn: list[Fraction]) -> list[Fraction]:
    """Coefficients of the monic Stieltjes polynomial E_{n+1} (exact)."""
    m = n + 1
    unknown = list(range(m % 2, m, 2))  # degrees of E's free coefficients (E has m's parity)

    def moment(d):  # ∫_{-1}^{1} x^d dx
        return Fraction(2, d + 1) if d % 2 == 0 else Fraction(0)

    def inner(deg, k):  # ∫ x^deg P_n(x) x^k dx
        return sum((c * moment(deg + j + k) for j, c in enumerate(Pn)), Fraction(0))

    ks = [k for k in range(n + 1) if (m + n + k) % 2 == 0][: len(unknown)]
    A = [[inner(d, k) for d in unknown] for k in ks]
    rhs = [-inner(m, k) for k in ks]
    sol = _solve(A, rhs, key=abs)
    coeffs = [Fraction(0)] * (m + 1)
    coeffs[m] = Fraction(1)
    for d, c in zip(unknown, sol, strict=True):
        coeffs[d] = c
    return coeffs


def _roots(coeffs: list[Fraction], T, tol: float) -> list:
    """Real roots of the polynomial, in type ``T``: NumPy in floats, then Newton in ``T``."""
    guesses = np.roots([float(c) for c in reversed(coeffs)])
    cT = [convert(T, c) for c in coeffs]
    roots = []
    for r0 in sorted(float(r.real) for r in guesses):
        x = convert(T, r0)
        for _ in range(20):
            p, dp = cT[-1], 0 * cT[-1]
            for c in reversed(cT[:-1]):
                dp = dp * x + p
                p = p * x + c
            dx = p / dp
            x = x - dx
            if abs(float(value(dx))) <= tol * max(abs(float(value(x))), 1e-300):
                break
        roots.append(x)
    return roots


_cache: dict = {}


def gauss_kronrod(T=float, n: int = _N):
    """Nodes and weights of the (n, 2n+1) Gauss–Kronrod pair on [-1, 1] in the working precision
    of type ``T``: ``(x, wk, wg)`` with ``x`` the 2n+1 Kronrod nodes (ascending), ``wk`` their
    weights and ``wg`` the Gauss weights (zero at the n+1 Kronrod-only nodes)."""
    tol = float(eps(T))
    key = (T, tol, n)
    if key not in _cache:
        P = _legendre(2 * n)
        gauss = _roots(P[n], T, tol)
        kronrod = _roots(_stieltjes(n, P[n]), T, tol)
        x = sorted(gauss + kronrod, key=lambda z: float(value(z)))
        is_gauss = [any(xi is gi for gi in gauss) for xi in x]
        # exactness on P_0 .. P_2n, in T
        cols = []
        for xi in x:  # P_k(xi) by the three-term recurrence
            vals = [convert(T, 1), xi]
            for k in range(1, 2 * n):
                vals.append((convert(T, 2 * k + 1) * xi * vals[k]
                             - convert(T, k) * vals[k - 1]) / convert(T, k + 1))
            cols.append(vals[: 2 * n + 1])
        A = [[cols[i][k] for i in range(2 * n + 1)] for k in range(2 * n + 1)]
        rhs = [convert(T, 2)] + [convert(T, 0)] * (2 * n)
        wk = _solve(A, rhs, key=lambda z: abs(float(value(z))))
        dP = [c * j for j, c in enumerate(P[n])][1:]
        dPT = [convert(T, c) for c in dP]
        wg = []
        for xi, g in zip(x, is_gauss, strict=True):
            if not g:
                wg.append(convert(T, 0))
                continue
            d = dPT[-1]
            for c in reversed(dPT[:-1]):
                d = d * xi + c
            wg.append(convert(T, 2) / ((1 - xi * xi) * d * d))
        _cache[key] = (x, wk, wg)
    return _cache[key]


def _working_type(*samples):
    best, best_eps = float, float(eps(float))
    for s in samples:
        T = eltype(s)
        e = float(eps(T))
        if e < best_eps:
            best, best_eps = T, e
    return best


def quadgk(f: Callable, a, b, rtol: float | None = None, atol: float = 0.0,
           maxevals: int = 10**5):
    """``(I, E)``: the integral of ``f`` over ``[a, b]`` and an error estimate (a float).

    Adaptive G7K15: the subinterval with the largest ``g.norm(K15 - G7)`` is bisected until the
    total estimate ``E <= max(atol, rtol * g.norm(I))`` or ``maxevals`` evaluations are spent
    (then the best ``I`` so far is returned with its larger ``E``). ``rtol`` defaults to
    ``sqrt(eps)`` of the working type. ``f`` may return any number type (floats, duals,
    multiprecision numbers, measurements, arrays of these): the result is in that type, so
    ``g.derivative`` through ``quadgk`` differentiates the integral and measurements propagate
    their uncertainty. ``a`` and ``b`` must be finite; integrable endpoint singularities (like
    ``1/sqrt(x)``) are fine, as Kronrod nodes never touch the endpoints.
    """
    half = (b - a) / 2
    mid = a + half
    T = _working_type(a, b, f(mid))
    if rtol is None:
        rtol = float(eps(T)) ** 0.5
    x, wk, wg = gauss_kronrod(T)
    npts = len(x)

    def segment(lo, hi):
        h = (hi - lo) / 2
        c = lo + h
        fs = [f(c + h * xi) for xi in x]
        K = h * sum((w * fx for w, fx in zip(wk[1:], fs[1:], strict=True)), wk[0] * fs[0])
        G = h * sum((w * fx for w, fx in zip(wg[1:], fs[1:], strict=True)), wg[0] * fs[0])
        return K, float(norm(K - G))

    counter = itertools.count()
    K, E = segment(a, b)
    heap = [(-E, next(counter), a, b, K)]
    evals = npts
    total, Etot = K, E
    while Etot > max(atol, rtol * float(norm(total))) and evals + 2 * npts <= maxevals:
        _, _, lo, hi, _ = heapq.heappop(heap)
        m = lo + (hi - lo) / 2
        for s, t in ((lo, m), (m, hi)):
            Ks, Es = segment(s, t)
            heapq.heappush(heap, (-Es, next(counter), s, t, Ks))
        evals += 2 * npts
        Etot = sum(-item[0] for item in heap)
        total = sum((item[4] for item in heap[1:]), heap[0][4])
    # sum from the smallest contributions up, for accuracy
    items = sorted(heap, key=lambda item: -item[0])
    total = sum((item[4] for item in items[1:]), items[0][4])
    return total, sum(-item[0] for item in items)
