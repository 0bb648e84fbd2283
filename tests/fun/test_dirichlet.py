"""Chebyshev Funs with u(a) = u(b) = 0 (g.Chebyshev(a, b, bc="dirichlet")) and ETDRK4/KenCarp4
on them through the collocation g.diagonal_apply.

Heat u_t = u_xx on [-1, 1], u(±1) = 0, u0 = 1 - x²: u = Σ b_k e^{-(kπ/2)² t} sin(kπ(x+1)/2),
b_k = ∫ (1 - x²) sin(kπ(x+1)/2) dx = 16 (1 - (-1)^k) / (kπ)³ (checked against scipy quad below);
120 terms leave e^{-(120π/2)² 0.01} < 1e-150.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad, solve_ivp
from scipy.interpolate import BarycentricInterpolator

import generic as g
from generic.fun.collocation import collocation_matrix

S = g.Chebyshev(-1, 1, bc="dirichlet")
X = np.linspace(-1, 1, 41)
K = np.arange(1, 121)
B = 16 * (1 - (-1.0) ** K) / (K * np.pi) ** 3


def heat_exact(x, t):
    k, b = K[:, None], B[:, None]
    return np.sum(b * np.exp(-(k * np.pi / 2) ** 2 * t) * np.sin(k * np.pi * (x + 1) / 2), axis=0)


def test_sine_coefficients_match_quadrature():
    for k in (1, 2, 3, 8):
        b = quad(lambda x, k=k: (1 - x * x) * np.sin(k * np.pi * (x + 1) / 2), -1, 1)[0]
        assert abs(b - B[k - 1]) < 1e-13


def heat_solution(alg, t, **options):
    # u0 is incompatible at the corners (u0'' ≠ 0): the first steps need a fine grid, given by
    # length=65 (the state's grid is its length; chopping then shortens it as it smooths)
    u0 = g.Fun(lambda x: 1 - x * x, S, length=65)
    return g.solve(g.SplitODEProblem(lambda u: u.diff(2), None, u0, (0.0, t)), alg, **options)


@pytest.mark.parametrize("t", [0.01, 0.1, 1.0])
@pytest.mark.parametrize("alg, options, bound", [
    # exact in the linear part: what is left is the 65-point collocation of the first steps and
    # the chopping at atol = 1e-12 (measured 1.5e-12)
    (g.ETDRK4(), dict(rtol=1e-12, atol=1e-12), 1e-11),
    # the ESDIRK's error, controlled to rtol 1e-8 (measured 2e-8 .. 9e-8)
    (g.KenCarp4(), dict(rtol=1e-8, atol=1e-10), 5e-7),
], ids=["ETDRK4", "KenCarp4"])
def test_heat_matches_the_sine_series_and_keeps_the_boundary_values(alg, options, bound, t):
    if alg.name == "ETDRK4":
        options = dict(options, dt=t / 10)
    sol = heat_solution(alg, t, **options)
    assert sol.retcode == "Success"
    u = sol.u[-1]
    assert u.space == S
    assert np.max(np.abs(u(X) - heat_exact(X, t))) < bound
    ends = np.array([[w(-1.0), w(1.0)] for w in sol.u])
    assert np.max(np.abs(ends)) < 1e-15  # the ends are removed exactly: rounding only


def test_length_shrinks_as_the_solution_smooths():
    sol = heat_solution(g.ETDRK4(), 1.0, dt=0.1, rtol=1e-10, atol=1e-10)
    lengths = [len(w) for w in sol.u]
    assert lengths[0] == 65 and lengths[-1] <= 17
    assert lengths[-1] < lengths[1]


def allen_cahn_reference(T, x):
    """Method of lines: 96-point Chebyshev collocation (Trefethen's cheb), Radau at 1e-12."""
    n = 96
    xc = np.cos(np.pi * np.arange(n + 1) / n)
    c = np.hstack([2, np.ones(n - 1), 2]) * (-1) ** np.arange(n + 1)
    dx = xc[:, None] - xc[None, :]
    D = np.outer(c, 1 / c) / (dx + np.eye(n + 1))
    D -= np.diag(D.sum(axis=1))
    A = 0.01 * (D @ D)[1:-1, 1:-1]
    ref = solve_ivp(lambda t, v: A @ v + v - v**3, (0, T), allen_cahn_u0(xc[1:-1]),
                    method="Radau", rtol=1e-12, atol=1e-13,
                    jac=lambda t, v: A + np.diag(1 - 3 * v**2))
    return BarycentricInterpolator(xc, np.concatenate([[0], ref.y[:, -1], [0]]))(x)


def allen_cahn_u0(x):
    return 0.53 * np.sin(np.pi * x) + 0.3 * np.sin(2 * np.pi * x)


@pytest.mark.parametrize("alg, options, bound", [
    # fourth order in dt = 0.05 on the nonlinear part (measured 2.4e-8)
    (g.ETDRK4(), dict(dt=0.05, rtol=1e-12, atol=1e-12), 1e-7),
    # controlled to rtol 1e-9 (measured 1e-9)
    (g.KenCarp4(), dict(rtol=1e-9, atol=1e-11), 1e-8),
], ids=["ETDRK4", "KenCarp4"])
def test_allen_cahn_matches_a_scipy_method_of_lines_reference(alg, options, bound):
    T = 3.0
    u0 = g.Fun(allen_cahn_u0, S)
    prob = g.SplitODEProblem(lambda u: 0.01 * u.diff(2), lambda u, p, t: u - u**3, u0, (0, T))
    sol = g.solve(prob, alg, **options)
    assert sol.retcode == "Success"
    assert np.max(np.abs(sol.u[-1](X) - allen_cahn_reference(T, X))) < bound
    assert abs(sol.u[-1](-1.0)) + abs(sol.u[-1](1.0)) < 1e-15


def test_collocation_matrix_has_the_sine_eigenvalues():
    # Trefethen, Spectral Methods in MATLAB, ch. 7: the interior second-derivative matrix's
    # eigenvalues approximate -(kπ/2)² spectrally for k well below the grid size
    lam = np.sort(np.linalg.eigvals(collocation_matrix(lambda u: u.diff(2), S, 65)).real)[::-1]
    k = np.arange(1, 11)
    assert np.max(np.abs(lam[:10] / (-(k * np.pi / 2) ** 2) - 1)) < 1e-10


def test_diff_is_exact_inside_and_zero_at_the_ends():
    u = g.Fun(lambda x: np.sin(np.pi * x) * np.exp(x), S)
    d2, exact = u.diff(2), u.to_chebyshev().diff(2)
    inner = d2.points[1:-1]
    assert np.max(np.abs(d2(inner) - exact(inner))) < 1e-11
    assert d2(-1.0) == pytest.approx(0, abs=1e-14) and d2(1.0) == pytest.approx(0, abs=1e-14)
    assert u.to_chebyshev().space == g.Chebyshev(-1, 1)
    assert u.integrate().space == g.Chebyshev(-1, 1)


def test_functions_missing_the_boundary_values_are_refused():
    with pytest.raises(ValueError, match="vanish at both ends"):
        g.Fun(np.cos, S)
    with pytest.raises(ValueError, match="vanish at both ends"):
        g.Fun(1.0, S)
    with pytest.raises(ValueError, match="vanish at both ends"):
        g.Fun(lambda x: 1 - x * x, S) + 1
    with pytest.raises(ValueError, match="bc"):
        g.Chebyshev(-1, 1, bc="neumann")
    with pytest.raises(TypeError, match="dirichlet"):
        g.solve(g.SplitODEProblem(lambda u: u.diff(2), None,
                                  g.Fun(np.cos, g.Chebyshev(-1, 1)), (0, 1)), g.ETDRK4(), dt=0.1)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 30), st.floats(-3, 0), st.floats(0.5, 3))
def test_construction_arithmetic_and_compress_keep_the_boundary_values(seed, n, a, width):
    space = g.Chebyshev(a, a + width, bc="dirichlet")
    rng = np.random.default_rng(seed)
    p = rng.uniform(-1, 1, n) * 0.7 ** np.arange(n)

    def f(x):  # vanishes at both ends
        t = (2 * x - 2 * a - width) / width
        return (1 - t * t) * np.polynomial.chebyshev.chebval(t, p)

    u = g.Fun(f, space)
    c = rng.uniform(-1, 1, n + 3) * 0.6 ** np.arange(n + 3)
    with pytest.raises(ValueError, match="vanish at both ends"):
        g.Fun.from_coefficients(c, space)
    v = g.Fun.from_coefficients(space.constrain(c), space)
    ends = (space.a, space.b)
    for w in (u, v, u + v, 2.5 * u - v, u * v, u**3,
              g.compress(u * v, 1e-6, 1e-6), g.sin(u)):
        assert w.space == space
        assert max(abs(w(e)) for e in ends) < 1e-14 * max(1.0, g.magnitude(w))
    x = np.linspace(space.a, space.b, 9)
    assert np.max(np.abs(u(x) - f(x))) < 1e-13
