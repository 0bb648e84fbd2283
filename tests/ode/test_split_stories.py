"""Acceptance stories of split problems: pseudo-spectral PDEs on NumPy Fourier states.

The state is ``rfft`` of the grid values of a real periodic u (complex, n/2 + 1 coefficients);
``L`` is the array of eigenvalues of the linear part on those modes, ``N`` is computed on the
grid with FFTs. No dealiasing: the stories are resolved (their spectra reach the rounding level
before the grid's last mode), as in chebfun's ``spin``. The Nyquist mode's wavenumber is 0 in
odd derivatives (a real u has a real Nyquist coefficient).

- KdV, chebfun's ``spin('kdv')`` preset: u_t = -u u_x - u_xxx on [-π, π], two solitons
  A = 25 at x = -2 and B = 16 at x = -1 (amplitudes 3A², 3B²), n = 512. The faster one passes
  through the slower one by t = 0.005. Reference: the exact two-soliton solution (Hirota),
  u = 12 ∂²_x log F; conserved: mass ∫u and momentum ∫u².
- Allen–Cahn, chebfun's ``spin('ac')`` preset: u_t = 5e-3 u_xx - u³ + u on [0, 2π], n = 256,
  u0 = tanh(2 sin x)/3 - e^{-23.5 (x - π/2)²} + e^{-27 (x - 4.2)²} + e^{-38 (x - 5.4)²}.
  Reference: SciPy DOP853 at rtol = atol = 1e-12 on the same semi-discretisation on the grid.

These semi-discretisations are shared with benchmarks/bench_split.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import generic as g

# ----------------------------------------------------------------------------- KdV

KDV_SPEEDS = (25.0, 16.0)  # A, B: soliton u = 3k² sech²(k (x - x0 - k² t) / 2)
KDV_CENTRES = (-2.0, -1.0)


def wavenumbers(n: int, length: float) -> tuple[np.ndarray, np.ndarray]:
    """(k, k with the Nyquist mode 0) of the rfft modes of n points on a period ``length``."""
    k = np.fft.rfftfreq(n, d=length / (2 * np.pi * n))
    k_odd = k.copy()
    k_odd[-1] = 0.0
    return k, k_odd


def kdv_two_solitons(x: np.ndarray, t: float) -> np.ndarray:
    """The exact two-soliton solution of u_t + u u_x + u_xxx = 0 on the line (Hirota):
    u = 12 ∂²_x log F, F = 1 + e^η1 + e^η2 + a12 e^(η1+η2), η_i = k_i (x - x_i) - k_i³ t,
    a12 = ((k1 - k2)/(k1 + k2))², with x_2 shifted so that at t = 0 the solitons sit at
    chebfun's centres. Evaluated as 6 Σ_ab w_a w_b (κ_a - κ_b)² / (Σ w_a)², the terms of F
    scaled by the largest (no overflow, no cancellation)."""
    (k1, k2), (c1, c2) = KDV_SPEEDS, KDV_CENTRES
    a12 = ((k1 - k2) / (k1 + k2)) ** 2
    x2 = c2 + np.log(a12) / k2  # the slower soliton's phase shift: F ≈ e^η1 (1 + a12 e^η2)
    eta1 = k1 * (x - c1) - k1**3 * t
    eta2 = k2 * (x - x2) - k2**3 * t
    exponents = np.stack([np.zeros_like(x), eta1, eta2, eta1 + eta2 + np.log(a12)])
    kappa = np.array([0.0, k1, k2, k1 + k2])
    w = np.exp(exponents - exponents.max(axis=0))
    numerator = sum(w[a] * w[b] * (kappa[a] - kappa[b]) ** 2 for a in range(4) for b in range(4))
    return 6 * numerator / w.sum(axis=0) ** 2


def kdv(n: int = 512):
    """(x, L, N, N_grid): the Fourier semi-discretisation of u_t = -u u_x - u_xxx on [-π, π]:
    L = i k³ on rfft modes, N(û) = -½ i k rfft(u²); N_grid(t, u) the same right-hand side on
    grid values (for SciPy)."""
    x = -np.pi + 2 * np.pi * np.arange(n) / n
    k, k_odd = wavenumbers(n, 2 * np.pi)
    L = 1j * k_odd**3

    def N(v, p, t):
        u = np.fft.irfft(v, n)
        return -0.5j * k_odd * np.fft.rfft(u * u)

    def rhs_grid(t, u):
        return np.fft.irfft(L * np.fft.rfft(u) - 0.5j * k_odd * np.fft.rfft(u * u), n)

    return x, L, N, rhs_grid


# ----------------------------------------------------------------------------- Allen–Cahn

def allen_cahn_u0(x: np.ndarray) -> np.ndarray:
    return (np.tanh(2 * np.sin(x)) / 3 - np.exp(-23.5 * (x - np.pi / 2) ** 2)
            + np.exp(-27 * (x - 4.2) ** 2) + np.exp(-38 * (x - 5.4) ** 2))


def allen_cahn(n: int = 256, epsilon: float = 5e-3):
    """(x, L, N, rhs_grid) of u_t = ε u_xx - u³ + u on [0, 2π]: L = -ε k² on rfft modes."""
    x = 2 * np.pi * np.arange(n) / n
    k, _ = wavenumbers(n, 2 * np.pi)
    L = -epsilon * k**2

    def N(v, p, t):
        u = np.fft.irfft(v, n)
        return np.fft.rfft(u - u**3)

    def rhs_grid(t, u):
        return np.fft.irfft(L * np.fft.rfft(u), n) + u - u**3

    return x, L, N, rhs_grid


def scipy_reference(rhs_grid, u0: np.ndarray, t_end: float, method: str = "DOP853",
                    tol: float = 1e-12) -> np.ndarray:
    sol = solve_ivp(rhs_grid, (0.0, t_end), u0, method=method, rtol=tol, atol=tol)
    assert sol.success, sol.message
    return sol.y[:, -1]


# ----------------------------------------------------------------------------- the stories

KDV_T = 0.005  # the A soliton overtakes the B soliton by then (it starts 1 behind, 369 faster)


@pytest.fixture(scope="module")
def kdv_setup():
    x, L, N, _ = kdv(512)
    u0 = kdv_two_solitons(x, 0.0)
    return x, g.SplitODEProblem(L, N, np.fft.rfft(u0), (0.0, KDV_T)), u0


def _mass_momentum(u: np.ndarray) -> tuple[float, float]:
    h = 2 * np.pi / len(u)  # the trapezoidal rule: spectrally exact for periodic u
    return h * u.sum(), h * (u * u).sum()


@pytest.mark.parametrize("alg, options", [(g.ETDRK4(), dict(dt=KDV_T / 2000)),
                                          (g.KenCarp4(), dict(rtol=1e-4, atol=1e-2))],
                         ids=["ETDRK4", "KenCarp4"])
def test_kdv_two_solitons_match_the_exact_solution_and_conserve_mass_and_momentum(
        kdv_setup, alg, options):
    x, prob, u0 = kdv_setup
    sol = g.solve(prob, alg, saveat=[KDV_T], **options)
    assert sol.retcode == "Success"
    u = np.fft.irfft(sol.u[-1], len(x))
    exact = kdv_two_solitons(x, KDV_T)
    # Amplitude 3·25² = 1875; the two-soliton formula is exact for the PDE up to the periodic
    # tails (1e-12 relative) and the semi-discretisation resolves it to ~1e-12 (n = 512,
    # spectrum ~ e^{-πk/25}). The time stepping dominates: ETDRK4 at dt = 2.5e-6 (chebfun's
    # spin takes 3e-6) and KenCarp4 at rtol 1e-4 reach 8e-5 and 4e-5 relative in the max norm
    # after the collision (both 4th order: halving dt divides the error by ~20)
    assert np.max(np.abs(u - exact)) / np.max(np.abs(exact)) < 2e-4
    mass0, momentum0 = _mass_momentum(u0)
    mass, momentum = _mass_momentum(u)
    # mass: N = -(u²/2)_x has no k = 0 mode and L(0) = 0, so ∫u is kept to rounding
    assert abs(mass - mass0) < 1e-12 * abs(mass0)
    # momentum ∫u² is conserved by the PDE and the semi-discretisation; the time stepping
    # keeps it to its own accuracy (measured 5e-6 and 3e-6 relative)
    assert abs(momentum - momentum0) < 2e-5 * momentum0


AC_T = 20.0


@pytest.fixture(scope="module")
def allen_cahn_setup():
    x, L, N, rhs_grid = allen_cahn(256)
    u0 = allen_cahn_u0(x)
    reference = scipy_reference(rhs_grid, u0, AC_T)
    return x, g.SplitODEProblem(L, N, np.fft.rfft(u0), (0.0, AC_T)), reference


@pytest.mark.parametrize("alg, options, bound", [
    (g.ETDRK4(), dict(dt=0.1), 1e-6),
    (g.KenCarp4(), dict(rtol=1e-7, atol=1e-7), 1e-6),
], ids=["ETDRK4", "KenCarp4"])
def test_allen_cahn_matches_scipy_dop853_on_the_same_semi_discretisation(
        allen_cahn_setup, alg, options, bound):
    x, prob, reference = allen_cahn_setup
    sol = g.solve(prob, alg, saveat=[AC_T], **options)
    assert sol.retcode == "Success"
    u = np.fft.irfft(sol.u[-1], len(x))
    # |u| <= 1; DOP853 at 1e-12 agrees with Radau at 1e-12 to 1.4e-12; ours at these
    # settings: ETDRK4 1.2e-7, KenCarp4 7e-9
    assert np.max(np.abs(u - reference)) < bound


def test_allen_cahn_split_methods_take_fewer_steps_than_tsit5_at_equal_accuracy(
        allen_cahn_setup):
    """The diffusion's eigenvalues reach -5e-3·128² = -82: Tsit5's steps are bound by its
    stability region (~470 steps whatever the tolerance), the split methods' by accuracy."""
    x, prob, reference = allen_cahn_setup
    runs = {"ETDRK4": g.solve(prob, g.ETDRK4(), dt=0.1, saveat=[AC_T]),
            "KenCarp4": g.solve(prob, g.KenCarp4(), rtol=1e-6, atol=1e-6, saveat=[AC_T]),
            "Tsit5": g.solve(prob, g.Tsit5(), rtol=1e-6, atol=1e-6, saveat=[AC_T])}
    errors = {name: np.max(np.abs(np.fft.irfft(sol.u[-1], len(x)) - reference))
              for name, sol in runs.items()}
    assert all(error < 1e-6 for error in errors.values()), errors
    tsit5_steps = runs["Tsit5"].stats.naccept + runs["Tsit5"].stats.nreject
    for name in ("ETDRK4", "KenCarp4"):
        steps = runs[name].stats.naccept + runs[name].stats.nreject
        assert steps < tsit5_steps / 2, (name, steps, tsit5_steps)
