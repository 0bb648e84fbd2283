"""One step of each SDE method, for any number type (and compiled by Numba for float64).

Every step has the signature ``step(f, g, p, t, u, h, sqrt_h, dW, dZ) -> (u_new, error)``:
``h`` the step, ``dW`` the Wiener increment over it (float64 noise, already in the state's
precision), ``dZ`` the increment of the independent process that gives ``I_(1,0)`` (methods
that do not need it ignore it) and ``error`` the embedded error estimate (None for a method
without one). They use only arithmetic and generic functions, and write every number factor
as the state's factor times the noise's (``g * dW``), so duals, multiprecision and
uncertainty types keep their own arithmetic. Constants are integers (``* 4 / 3``), exact in
every precision.

The float64 fast path compiles these same functions (``generic/sde/fast.py``).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["em_step", "milstein_step", "sriw1_step", "noise_product"]

SQRT3 = math.sqrt(3.0)


def noise_product(G, dW):
    """The noise term ``G dW``: the matrix product for a noise-rate matrix (general noise:
    ``G`` of shape ``(n, m)``, ``m`` Wiener processes), else elementwise (diagonal noise; or
    scalar noise, one ``dW`` for every component)."""
    if np.ndim(G) == 2:
        return G @ dW
    return G * dW


def em_step(f, g, p, t, u, h, sqrt_h, dW, dZ):
    """Euler–Maruyama: ``u + f h + g dW`` (strong order 1/2, weak order 1; Kloeden & Platen
    1992, Numerical Solution of SDEs, §9.1)."""
    return u + f(u, p, t) * h + noise_product(g(u, p, t), dW), None


def milstein_step(f, g, p, t, u, h, sqrt_h, dW, dZ):
    """Derivative-free (Runge–Kutta) Milstein for diagonal or scalar Itô noise, strong order 1:
    ``ū = u + f h + g √h``, ``u + f h + g dW + (g(ū) - g(u)) (dW² - h) / (2 √h)``
    (Kloeden & Platen 1992, §11.1, (11.1.7))."""
    drift = u + f(u, p, t) * h
    gu = g(u, p, t)
    g_bar = g(drift + gu * sqrt_h, p, t)
    return drift + gu * dW + (g_bar - gu) * ((dW * dW - h) / (2 * sqrt_h)), None


def sriw1_step(f, g, p, t, u, h, sqrt_h, dW, dZ):
    """Rößler's SRI1W1 for diagonal or scalar Itô noise: strong order 1.5 (deterministic order
    2), with the embedded error estimate ``δ E₁ + E₂`` (δ = 1/6) of Rackauckas & Nie 2017.

    Coefficients: A. Rößler, Runge–Kutta methods for the strong approximation of solutions of
    stochastic differential equations, SIAM J. Numer. Anal. 48(3) (2010), the SRI1W1 coefficients:
    c⁰ = (0, 3/4), c¹ = (0, 1/4, 1, 1/4), A⁰₂₁ = 3/4, B⁰₂₁ = 3/2, A¹ = (1/4; 1; 1/4 from
    stage 1), B¹ = (1/2; -1; -5, 3, 1/2), α = (1/3, 2/3), β¹ = (-1, 4/3, 2/3), β² = (-1, 4/3,
    -1/3), β³ = (2, -4/3, -2/3), β⁴ = (-2, 5/3, -2/3, 1). The iterated integrals:
    ``I_(1,1)/√h = (dW² - h)/(2√h)``, ``I_(1,0)/h = (dW + dZ/√3)/2``,
    ``I_(1,1,1)/h = (dW³ - 3 h dW)/(6h)``.
    """
    chi1 = (dW * dW - h) / (2 * sqrt_h)
    chi2 = (dW + dZ / SQRT3) / 2
    chi3 = (dW * dW * dW - 3 * h * dW) / (6 * h)
    fh1 = f(u, p, t) * h
    g1 = g(u, p, t)
    H0 = u + (fh1 + g1 * chi2 * 2) * 3 / 4
    g2 = g(u + fh1 / 4 + g1 * sqrt_h / 2, p, t + h / 4)
    g3 = g(u + fh1 - g1 * sqrt_h, p, t + h)
    g4 = g(u + fh1 / 4 + (g2 * 3 - g1 * 5 + g3 / 2) * sqrt_h, p, t + h / 4)
    fh2 = f(H0, p, t + h * 3 / 4) * h
    E2 = ((g1 * 6 - g2 * 4 - g3 * 2) * chi2 + (g2 * 5 - g1 * 6 - g3 * 2 + g4 * 3) * chi3) / 3
    u_new = u + (fh1 + fh2 * 2) / 3 + (g2 * 4 + g3 * 2 - g1 * 3) * dW / 3 \
        + (g2 * 4 - g1 * 3 - g3) * chi1 / 3 + E2
    return u_new, (fh1 + fh2) / 6 + E2
