"""Funs as ODE states through the unchanged solvers: the two acceptance stories (periodic heat
against its closed form; the ApproxFun advection-diffusion example against an independent
method-of-lines solve), the coefficient count following the solution, compress."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import generic as g
from generic.fun.methods import eigenvalues

R = 2 - np.sqrt(3)
FOURIER = g.Fourier(0, 2 * np.pi)
X = np.linspace(0, 2 * np.pi, 64, endpoint=False)


def heat_exact(x, t):
    """u = (1/√3)(1 + 2 Σ r^k e^{-k² t} cos kx), summed to k = 80 (r^80 < 1e-45)."""
    k = np.arange(1, 81)[:, None]
    return (1 + 2 * np.sum(R**k * np.exp(-k * k * t) * np.cos(k * x), axis=0)) / np.sqrt(3)


def test_periodic_heat_story_error_and_coefficient_count():
    u0 = g.Fun(lambda x: 1 / (2 - np.cos(x)), FOURIER)
    prob = g.ODEProblem(lambda u, p, t: u.diff(2), u0, (0.0, 1.0))
    sol = g.solve(prob, g.Tsit5(), rtol=1e-10, atol=1e-10)
    assert sol.retcode == "Success"
    for t in (0.1, 1.0):
        assert np.max(np.abs(sol(t)(X) - heat_exact(X, t))) < 1e-8  # the story's bound
    lengths = [len(u) for u in sol.u]
    assert lengths[0] == len(u0) and max(lengths) == len(u0)
    # diffusion smooths: e^{-k² t} r^k falls below 1e-10 by k = 5 at t = 1
    assert lengths[-1] <= 15
    assert all(b <= a for a, b in zip(lengths, lengths[1:], strict=False))


def advection_diffusion_reference(t_end: float) -> np.ndarray:
    """u_t = u_xx + (cos x + 1) u_x by Fourier collocation on 64 points (derivatives by the
    FFT) and SciPy's DOP853 at rtol 1e-12: an independent method of lines."""
    k = np.fft.fftfreq(64, 1 / 64)

    def rhs(t, u):
        uh = np.fft.fft(u)
        return (np.fft.ifft(-k * k * uh) + (np.cos(X) + 1) * np.fft.ifft(1j * k * uh)).real

    u0 = np.cos(np.cos(X - 0.1)) - np.cos(np.cos(-0.1))
    return solve_ivp(rhs, (0, t_end), u0, method="DOP853", rtol=1e-12, atol=1e-13).y[:, -1]


def approxfun_problem():
    a = g.Fun(lambda x: np.cos(x) + 1, FOURIER)
    u0 = g.Fun(lambda x: np.cos(np.cos(x - 0.1)) - np.cos(np.cos(-0.1)), FOURIER)
    return g.ODEProblem(lambda u, p, t: u.diff(2) + a * u.diff(), u0, (0.0, 1.0))


@pytest.mark.parametrize("tol", [1e-3, 1e-6, 1e-10])
def test_approxfun_story_bounded_coefficient_count(tol):
    prob = approxfun_problem()
    sol = g.solve(prob, g.Tsit5(), rtol=tol, atol=tol)
    assert sol.retcode == "Success"
    lengths = [len(u) for u in sol.u]
    # bounded by the initial length (29 at machine precision) and shrinking as diffusion
    # smooths: ApproxFun's Fun state grew without bound here
    assert max(lengths) <= len(prob.u0) + 6
    assert lengths[-1] < lengths[0]
    # a handful of steps at loose tolerances: the compressed state is not stiffer than needed
    assert sol.stats.naccept <= {1e-3: 20, 1e-6: 40, 1e-10: 150}[tol]


def test_approxfun_story_matches_a_method_of_lines_reference():
    sol = g.solve(approxfun_problem(), g.Tsit5(), rtol=1e-9, atol=1e-9)
    # global error of a 1e-9 local tolerance over ~50 steps: 1e-8 with a margin
    assert np.max(np.abs(sol.u[-1](X) - advection_diffusion_reference(1.0))) < 1e-7


def test_fsal_derivative_is_reevaluated_after_compression():
    # at a loose tolerance the uncompressed state's tail, times k² in a FSAL derivative, used to
    # come back through the next step: the length grew and the steps shrank to thousands
    sol = g.solve(approxfun_problem(), g.DP5(), rtol=1e-3, atol=1e-3, maxiters=200)
    assert sol.retcode == "Success" and sol.stats.naccept < 30


def test_solution_storage_and_dense_output_hold_funs():
    u0 = g.Fun(lambda x: 1 / (2 - np.cos(x)), FOURIER)
    sol = g.solve(g.ODEProblem(lambda u, p, t: u.diff(2), u0, (0.0, 0.5)), g.Vern7(),
                  rtol=1e-8, atol=1e-8)
    assert sol.u.dtype == object and sol.u.shape == (len(sol.t),)
    assert all(isinstance(u, g.Fun) for u in sol.u)
    mid = sol(0.25)
    assert isinstance(mid, g.Fun)
    # Vern7 interpolates by cubic Hermite between its long steps: 1e-7 measured
    assert np.max(np.abs(mid(X) - heat_exact(X, 0.25))) < 1e-6
    saved = g.solve(g.ODEProblem(lambda u, p, t: u.diff(2), u0, (0.0, 0.5)), g.Tsit5(),
                    saveat=0.1, rtol=1e-8, atol=1e-8)
    assert len(saved.t) == 6 and all(isinstance(u, g.Fun) for u in saved.u)


def test_chebyshev_fun_state():
    # u' = -u with u0 = e^x on [-1, 1]: u = e^{x - t}
    u0 = g.Fun(np.exp, g.Chebyshev())
    sol = g.solve(g.ODEProblem(lambda u, p, t: -u, u0, (0.0, 1.0)), g.Tsit5(), rtol=1e-10,
                  atol=1e-12)
    x = np.linspace(-1, 1, 21)
    assert np.max(np.abs(sol.u[-1](x) - np.exp(x - 1))) < 1e-9


def test_compress_is_the_identity_on_numbers_and_arrays():
    a = np.array([1.0, 1e-30, 3.0])
    assert g.compress(a, 1e-3, 1e-3) is a
    assert g.compress(2.5, 1e-3, 1e-3) == 2.5


def test_compress_chops_below_the_solver_tolerance():
    u = g.Fun(lambda x: 1 / (2 - np.cos(x)), FOURIER)
    c = g.compress(u, 1e-6, 1e-6)
    assert len(c) < len(u)
    # the change is at most the error scale atol + rtol max|u| = 1e-6 (1 + 1): the sum of the
    # dropped coefficients bounds it
    assert np.max(np.abs(c(X) - u(X))) <= 2e-6
    assert g.compress(c, 1e-6, 1e-6) is c or len(g.compress(c, 1e-6, 1e-6)) == len(c)


def test_stiff_methods_refuse_a_fun_state_with_a_clear_error():
    u0 = g.Fun(lambda x: 1 / (2 - np.cos(x)), FOURIER)
    with pytest.raises(TypeError, match="SplitODEProblem"):
        g.solve(g.ODEProblem(lambda u, p, t: u.diff(2), u0, (0.0, 1.0)), g.Rodas5())


def test_diagonal_apply_finds_the_eigenvalues_of_a_constant_coefficient_operator():
    u = g.Fun(lambda x: 1 / (2 - np.cos(x)), FOURIER)
    L = lambda v: v.diff(2) - 0.5 * v  # noqa: E731
    lam, keeps_real = eigenvalues(L, FOURIER, len(u))
    k = np.arange(len(u)) - len(u) // 2
    np.testing.assert_allclose(lam, -k * k - 0.5, atol=1e-12)
    assert keeps_real
    # exp(t L) u is the heat solution times e^{-t/2}
    heat = g.diagonal_apply(L, u, lambda z: np.exp(0.3 * z))
    assert heat.isreal
    np.testing.assert_allclose(heat(X), heat_exact(X, 0.3) * np.exp(-0.15), atol=1e-15)
    # cached per L: this length and a shorter one are views of one probe, not new probes
    assert np.shares_memory(eigenvalues(L, FOURIER, len(u))[0], lam)
    assert np.shares_memory(eigenvalues(L, FOURIER, len(u) - 2)[0], lam)


def test_diagonal_apply_refuses_non_diagonal_operators_and_chebyshev_funs():
    u = g.Fun(lambda x: 1 / (2 - np.cos(x)), FOURIER)
    a = g.Fun(np.cos, FOURIER)
    with pytest.raises(ValueError, match="not diagonal"):
        g.diagonal_apply(lambda v: a * v.diff(), u, np.exp)
    with pytest.raises(TypeError, match="Fourier"):
        g.diagonal_apply(lambda v: v.diff(2), g.Fun(np.exp, g.Chebyshev()), np.exp)
