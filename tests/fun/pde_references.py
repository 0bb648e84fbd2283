"""The spectral PDE stories on Fourier Funs, and their SciPy method-of-lines references.

Each story is a periodic PDE u_t = L u + N(u) written twice: once by arithmetic on Fourier Funs
(``L`` a callable like ``lambda u: D * u.diff(2)``, found diagonal on the Fourier modes by the
Fun; ``N(u, p, t)`` on Funs), for ``g.SplitODEProblem`` with ``g.KenCarp4()`` / ``g.ETDRK4()``;
once as a fixed-grid Fourier pseudo-spectral right-hand side on n equispaced grid values (the
derivatives by the FFT), for SciPy ``solve_ivp`` at tight tolerance: the reference.

- Fisher–KPP u_t = D u_xx + r u(1 - u) on [0, 2π), D = 0.05, r = 1, from the bump
  e^{-10 (x - π)²}: it grows to 1 and spreads as two fronts of speed 2√(Dr) ≈ 0.45.
- viscous Burgers u_t = ν u_xx - u u_x on [0, 2π), ν = 0.1, from sin x: the wave steepens
  into a front at x = π (without viscosity it would break at t = 1), held at a width ~ ν.
- Allen–Cahn, chebfun's ``spinop('ac')``: u_t = 5e-3 u_xx - u³ + u on [0, 2π),
  u0 = tanh(2 sin x)/3 - e^{-23.5 (x - π/2)²} + e^{-27 (x - 4.2)²} + e^{-38 (x - 5.4)²}
  (chebfun runs it to t = 100: metastable fronts at ±1 that merge).
- KdV, chebfun's ``spinop('kdv')``: u_t = -u u_x - u_xxx on [-π, π), two solitons A = 25,
  B = 16 (tests/ode/test_split_stories.py: the exact two-soliton solution is its reference).
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

import generic as g

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "ode"))
from test_split_stories import allen_cahn_u0, kdv_two_solitons  # noqa: E402


@dataclass(frozen=True)
class Story:
    """A periodic PDE u_t = L u + N(u) on [a, b): Fun callables and a grid right-hand side."""

    name: str
    a: float
    b: float
    u0: Callable[[np.ndarray], np.ndarray]
    L: Callable  # L(u) on a Fun: linear, diagonal on Fourier modes
    N: Callable  # N(u, p, t) on a Fun
    grid_rhs: Callable[[int], Callable]  # n -> rhs(t, u) on n grid values (SciPy's signature)
    tf: float

    @property
    def space(self):
        return g.Fourier(self.a, self.b)

    def grid(self, n: int) -> np.ndarray:
        return self.a + (self.b - self.a) * np.arange(n) / n

    def fun0(self):
        return g.Fun(self.u0, self.space)

    def problem(self, tf: float | None = None) -> g.SplitODEProblem:
        return g.SplitODEProblem(self.L, self.N, self.fun0(), (0.0, tf or self.tf))


def derivatives(n: int, length: float) -> Callable[[np.ndarray, int], np.ndarray]:
    """``d(u, p)``: the p-th spectral derivative of n periodic grid values on a period
    ``length`` (the Nyquist mode's wavenumber 0 in odd derivatives: a real u stays real)."""
    k = np.fft.rfftfreq(n, d=length / (2 * np.pi * n))
    k_odd = k.copy()
    k_odd[-1] = 0.0

    def d(u: np.ndarray, p: int) -> np.ndarray:
        symbol = (1j * (k_odd if p % 2 else k)) ** p
        return np.fft.irfft(symbol * np.fft.rfft(u), n)

    return d


FISHER_D, FISHER_R = 0.05, 1.0
BURGERS_NU = 0.1
AC_EPSILON = 5e-3


def _fisher_grid(n: int):
    d = derivatives(n, 2 * np.pi)
    return lambda t, u: FISHER_D * d(u, 2) + FISHER_R * u * (1 - u)


def _burgers_grid(n: int):
    d = derivatives(n, 2 * np.pi)
    return lambda t, u: BURGERS_NU * d(u, 2) - u * d(u, 1)


def _allen_cahn_grid(n: int):
    d = derivatives(n, 2 * np.pi)
    return lambda t, u: AC_EPSILON * d(u, 2) + u - u**3


def _kdv_grid(n: int):
    d = derivatives(n, 2 * np.pi)
    return lambda t, u: -d(u, 3) - 0.5 * d(u * u, 1)


FISHER = Story("fisher_kpp", 0.0, 2 * np.pi, lambda x: np.exp(-10 * (x - np.pi) ** 2),
               lambda u: FISHER_D * u.diff(2), lambda u, p, t: FISHER_R * u * (1 - u),
               _fisher_grid, 6.0)
BURGERS = Story("burgers", 0.0, 2 * np.pi, np.sin,
                lambda u: BURGERS_NU * u.diff(2), lambda u, p, t: -u * u.diff(),
                _burgers_grid, 2.0)
ALLEN_CAHN = Story("allen_cahn", 0.0, 2 * np.pi, allen_cahn_u0,
                   lambda u: AC_EPSILON * u.diff(2), lambda u, p, t: u - u * u * u,
                   _allen_cahn_grid, 100.0)
KDV = Story("kdv", -np.pi, np.pi, lambda x: kdv_two_solitons(x, 0.0),
            lambda u: -u.diff(3), lambda u, p, t: -0.5 * (u * u).diff(),
            _kdv_grid, 0.005)
STORIES = (FISHER, BURGERS, ALLEN_CAHN, KDV)


def scipy_reference(story: Story, times, n: int = 256, method: str = "DOP853",
                    tol: float = 1e-12):
    """SciPy ``solve_ivp`` on the n-point pseudo-spectral grid: (x, values at ``times``, the
    SciPy solution object); rtol = tol, atol = tol·max|u0|."""
    x = story.grid(n)
    u0 = story.u0(x)
    sol = solve_ivp(story.grid_rhs(n), (0.0, max(times)), u0, method=method, rtol=tol,
                    atol=tol * np.max(np.abs(u0)), t_eval=sorted(times))
    assert sol.success, sol.message
    return x, sol.y.T, sol


def fun_at(sol, t: float):
    """The Fun state of ``sol`` at a step point ``t`` (solve with ``tstops=[t]``)."""
    index = int(np.argmin(np.abs(np.asarray(sol.t, dtype=float) - t)))
    assert abs(sol.t[index] - t) < 1e-12 * max(1.0, abs(t)), (sol.t[index], t)
    return sol.u[index]


def exact(story: Story, x: np.ndarray, t: float) -> np.ndarray | None:
    """The closed form where the story has one (KdV), else None."""
    return kdv_two_solitons(x, t) if story is KDV else None
