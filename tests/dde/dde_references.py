"""Independent references for the DDE tests: exact piecewise polynomials and a fine fixed-step
method of steps written here from scratch (classical RK4, cubic Hermite history)."""

from __future__ import annotations

import math

import mpmath
import numpy as np


def pieces_0_3(t: float) -> float:
    """y' = -y(t - 1), y = 1 for t <= 0, by hand on each unit interval of [0, 3]:
    [0, 1]: y' = -1;                  y = 1 - t
    [1, 2]: y' = -(1 - (t - 1));      y = 1 - t + (t - 1)^2 / 2
    [2, 3]: y' = -(y on [1, 2] at t - 1); y = 1 - t + (t - 1)^2 / 2 - (t - 2)^3 / 6
    """
    if t <= 1:
        return 1 - t
    if t <= 2:
        return 1 - t + (t - 1) ** 2 / 2
    return 1 - t + (t - 1) ** 2 / 2 - (t - 2) ** 3 / 6


def delayed_decay(t, a=1, tau=1):
    """The exact solution of y' = -a y(t - tau), y = 1 for t <= 0 (any number type of t, a,
    tau; mpmath.fsum of the terms): y(t) = Σ_{k=0}^{⌊t/τ⌋+1} (-a)^k (t - (k-1)τ)^k / k!, the
    pieces above for a = tau = 1 (term k is -a times the integral of term k-1 of y(t - tau))."""
    n = int(math.floor(float(t) / float(tau))) + 1
    terms = [(-a) ** k * (t - (k - 1) * tau) ** k / math.factorial(k) for k in range(n + 1)]
    return sum(terms[1:], terms[0])


def delayed_decay_mp(t: float, a: float = 1.0, tau: float = 1.0) -> float:
    """:func:`delayed_decay` in 40-digit arithmetic, as a float (no cancellation left)."""
    with mpmath.workdps(40):
        return float(delayed_decay(mpmath.mpf(t), mpmath.mpf(a), mpmath.mpf(tau)))


def rk4_method_of_steps(f, history, t0: float, tf: float, h: float, n_state: int):
    """A fixed-step reference: classical RK4 of step ``h`` (the lags multiples of ``h``, so
    every discontinuity is a grid point), the history after t0 cubic Hermite on the grid.
    ``f(u, lagged, t)`` with ``lagged(s)`` the state at ``s``. Returns ``lagged``, the dense
    solution on [t0 - ..., tf]."""
    n = int(round((tf - t0) / h))
    T = t0 + h * np.arange(n + 1)
    U = np.zeros((n + 1, n_state))
    F = np.zeros((n + 1, n_state))

    def lagged(s: float) -> np.ndarray:
        if s <= t0:
            return np.asarray(history(s), dtype=float)
        i = min(int((s - t0) / h), n - 1)
        theta = (s - T[i]) / h
        u0, u1, f0, f1 = U[i], U[i + 1], F[i] * h, F[i + 1] * h
        return ((1 - theta) * u0 + theta * u1
                + theta * (theta - 1) * ((1 - 2 * theta) * (u1 - u0) + (theta - 1) * f0
                                         + theta * f1))

    U[0] = history(t0)
    F[0] = f(U[0], lagged, t0)
    for i in range(n):
        t, u = T[i], U[i]
        k1 = F[i]
        k2 = f(u + h / 2 * k1, lagged, t + h / 2)
        k3 = f(u + h / 2 * k2, lagged, t + h / 2)
        k4 = f(u + h * k3, lagged, t + h)
        U[i + 1] = u + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        F[i + 1] = f(U[i + 1], lagged, T[i + 1])
    return lagged
