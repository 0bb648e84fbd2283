"""Split problems u' = L u + N(u, p, t): SplitODEProblem, g.diagonal_apply on NumPy, ETDRK4 and
KenCarp4 (exactness, measured orders, adaptivity, multiprecision, the stepping loop's features).

References are closed forms: u' = λu (e^{λt}), u' = λu + c (e^{λt} u0 + c (e^{λt} - 1)/λ),
the Bernoulli equation u' = λu + b u² (1/u is linear: u = 1/(b/a + (1/u0 - b/a) e^{at}),
a = -λ), and u' = λu + cos t (u_p = (sin t - λ cos t)/(1 + λ²)); in mpmath at 40 digits for the
multiprecision tests.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generic as g
from generic.ode.exponential import contour_mean, etdrk4_weights

LAMBDAS = np.array([-1.0, -10.0, -100.0, -1000.0])  # stiff: h λ down to -250


def bernoulli(lam, b, u0, t, exp=np.exp):
    a = -lam
    with np.errstate(over="ignore"):  # exp(1000 t) overflows to inf: the limit 1/inf = 0 is right
        return 1 / (b / a + (1 / u0 - b / a) * exp(a * t))


def bernoulli_problem(T=1.0, b=1.0):
    u0 = np.full(len(LAMBDAS), 0.5)
    prob = g.SplitODEProblem(LAMBDAS, lambda u, p, t: b * u * u, u0, (0.0, T))
    return prob, bernoulli(LAMBDAS, b, u0, T)


def slope(dts, errors) -> float:
    """The order measured: slope of log error against log dt (least squares)."""
    return float(np.polyfit(np.log(dts), np.log(errors), 1)[0])


# ----------------------------------------------------------------------------- diagonal_apply

def test_diagonal_apply_on_numpy_is_phi_of_the_eigenvalues_times_the_state():
    L = np.array([-1.0, -4.0, -9.0])
    u = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(g.diagonal_apply(L, u, np.exp), np.exp(L) * u, rtol=1e-15)
    assert g.diagonal_apply(-2.0, 3.0, lambda z: 1 / (1 - z)) == 1.0  # number and scalar state


def test_diagonal_apply_keeps_a_real_state_real_for_real_eigenvalues():
    L = np.array([-1.0, -4.0])
    result = g.diagonal_apply(L, np.array([1.0, 2.0]), lambda z: np.exp(z + 0j))
    assert result.dtype == np.float64
    complex_state = g.diagonal_apply(L, np.array([1.0 + 1j, 2.0]), lambda z: np.exp(z + 0j))
    assert complex_state.dtype == np.complex128


def test_diagonal_apply_names_the_shape_mismatch_and_a_missing_method():
    with pytest.raises(ValueError, match="one eigenvalue per coefficient"):
        g.diagonal_apply(np.ones(3), np.ones(2), lambda z: z)
    with pytest.raises(TypeError, match="diagonal in the state's basis"):
        g.diagonal_apply(lambda u: u, np.ones(2), lambda z: z)


# ----------------------------------------------------------------------------- the problem

def test_split_problem_f_is_L_u_plus_N_and_other_methods_solve_it():
    prob, exact = bernoulli_problem(T=0.01)
    u = np.array([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(prob.f(u, None, 0.0), LAMBDAS * u + u * u, rtol=1e-15)
    sol = g.solve(prob, g.Rodas5(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sol.u[-1], exact, rtol=1e-8)


def test_split_problem_rejects_bad_input_with_the_fix():
    with pytest.raises(TypeError, match="array of eigenvalues"):
        g.SplitODEProblem("diffusion", None, np.ones(2), (0.0, 1.0))
    with pytest.raises(ValueError, match="one eigenvalue per coefficient"):
        g.SplitODEProblem(np.ones(3), None, np.ones(2), (0.0, 1.0))
    with pytest.raises(TypeError, match="out of place"):
        g.SplitODEProblem(-1.0, lambda du, u, p, t: None, np.ones(2), (0.0, 1.0))
    with pytest.raises(TypeError, match="SplitODEProblem"):
        g.solve(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 1.0)), g.ETDRK4(), dt=0.1)
    with pytest.raises(TypeError, match="SplitODEProblem"):
        g.solve(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 1.0)), g.KenCarp4())
    with pytest.raises(ValueError, match="dt="):
        g.solve(g.SplitODEProblem(-1.0, None, 1.0, (0.0, 1.0)), g.ETDRK4())


# ----------------------------------------------------------------------------- ETDRK4

@settings(max_examples=25, deadline=None)
@given(re=st.floats(-1e4, 1.0), im=st.floats(-1e4, 1e4), steps=st.integers(1, 40))
def test_etdrk4_is_exact_for_u_prime_lambda_u_at_any_step(re, im, steps):
    lam = complex(re, im)
    prob = g.SplitODEProblem(lam, None, 1.0 + 0.5j, (0.0, 1.0))
    sol = g.solve(prob, g.ETDRK4(), dt=1.0 / steps)
    exact = (1.0 + 0.5j) * np.exp(lam)
    # each step multiplies by exp(h λ) rounded: a few ulps per step, and the rounding of h λ
    # turns the phase by ~eps |λ| in all
    assert abs(sol.u[-1] - exact) <= 1e-15 * (10 * steps + abs(lam)) * abs(exact) + 1e-300


def test_etdrk4_is_exact_on_a_linear_only_array_problem():
    L = np.array([0.0, -1.0, -50.0 + 3j, 2j, -1e5])
    u0 = np.array([1.0, 2.0, 0.5j, 1.0 - 1j, 3.0])
    sol = g.solve(g.SplitODEProblem(L, None, u0, (0.0, 2.0)), g.ETDRK4(), dt=0.7)
    np.testing.assert_allclose(sol.u[-1], np.exp(2.0 * L) * u0, rtol=1e-14, atol=1e-300)


def test_etdrk4_is_exact_for_constant_N():
    """Its weights sum to h φ1(hL) (f1 + 4 f2 + f3): the variation-of-constants formula."""
    L = np.array([-1.0, -30.0, 1e-9, -4e3])
    c = np.array([1.0, -2.0, 0.5, 3.0])
    u0 = np.ones(4)
    sol = g.solve(g.SplitODEProblem(L, lambda u, p, t: c, u0, (0.0, 1.0)), g.ETDRK4(), dt=0.25)
    exact = np.exp(L) * u0 + c * np.expm1(L) / L
    np.testing.assert_allclose(sol.u[-1], exact, rtol=1e-13)


def test_etdrk4_converges_with_order_4_on_a_stiff_nonlinear_diagonal_problem():
    prob, exact = bernoulli_problem()
    dts = [2.0**-k for k in range(2, 8)]
    errors = [np.max(np.abs(g.solve(prob, g.ETDRK4(), dt=dt).u[-1] - exact)) for dt in dts]
    # errors 3e-6 .. 4e-12 (above rounding); Cox–Matthews' ETDRK4 is 4th order here
    assert 3.7 < slope(dts, errors) < 4.4, errors


def test_etdrk4_and_kencarp4_follow_a_time_dependent_N():
    lam, u0, T = -20.0, 1.0, 2.0
    particular = lambda t: (np.sin(t) - lam * np.cos(t)) / (1 + lam * lam)  # noqa: E731
    exact = (u0 - particular(0.0)) * np.exp(lam * T) + particular(T)
    prob = g.SplitODEProblem(lam, lambda u, p, t: np.cos(t), u0, (0.0, T))
    for alg, options in ((g.ETDRK4(), dict(dt=0.01)), (g.KenCarp4(), dict(rtol=1e-10,
                                                                          atol=1e-12))):
        # errors measured 4e-12 and 2e-11 (an N evaluated at the wrong time: 1e-4)
        assert abs(g.solve(prob, alg, **options).u[-1] - exact) < 1e-10


def test_etdrk4_runs_through_the_stepping_loop_saveat_dense_output_and_callbacks():
    prob, _ = bernoulli_problem(T=1.0)
    times = np.linspace(0.0, 1.0, 7)
    sol = g.solve(prob, g.ETDRK4(), dt=0.01, saveat=times)
    exact = np.array([bernoulli(LAMBDAS, 1.0, 0.5, t) for t in times])
    # saveat between steps comes from cubic Hermite interpolation: O(h⁴) too (measured 1e-7)
    np.testing.assert_allclose(np.array(sol.u), exact, atol=1e-6)
    dense = g.solve(prob, g.ETDRK4(), dt=0.01)
    assert abs(dense(0.505)[0] - bernoulli(-1.0, 1.0, 0.5, 0.505)) < 1e-7

    hits = []
    crossing = g.ContinuousCallback(lambda u, t, integ: u[0] - 0.4,
                                    lambda integ: hits.append(integ.t) or integ.terminate())
    stopped = g.solve(prob, g.ETDRK4(), dt=0.05, callback=crossing)
    t_cross = np.log((1 / 0.4 - 1) / (1 / 0.5 - 1))  # u0 = 0.5, λ = -1, b = 1: u = 0.4
    assert stopped.retcode == "Terminated" and abs(hits[0] - t_cross) < 1e-6


# ----------------------------------------------------------------------------- KenCarp4

def test_kencarp4_converges_with_order_4_at_fixed_steps():
    prob, exact = bernoulli_problem()
    dts = [2.0**-k for k in range(3, 8)]
    errors = [np.max(np.abs(g.solve(prob, g.KenCarp4(), dt=dt, adaptive=False).u[-1] - exact))
              for dt in dts]
    # errors 6e-7 .. 8e-12; at dt = 1/4 (h λ = -250) stiff order reduction shows, so the
    # measured range starts at 1/8
    assert 3.7 < slope(dts, errors) < 4.4, errors


def test_kencarp4_error_tracks_the_tolerance():
    prob, exact = bernoulli_problem()
    tolerances = [1e-4, 1e-6, 1e-8, 1e-10]
    errors, steps = [], []
    for tol in tolerances:
        sol = g.solve(prob, g.KenCarp4(), rtol=tol, atol=tol)
        assert sol.retcode == "Success"
        errors.append(np.max(np.abs(sol.u[-1] - exact)))
        steps.append(sol.stats.naccept)
    # measured errors 2e-6, 1e-7, 4e-9, 1.004e-10: at most the tolerance (a global error: no
    # guarantee, so a factor 2 of slack), falling with it (a local error control gives error
    # ~ tol^(p/(p+1)) = tol^0.8 for p = 4)
    assert all(e < 2 * tol for e, tol in zip(errors, tolerances, strict=True))
    assert 0.6 < slope(tolerances, errors) < 1.1, errors
    assert steps == sorted(steps) and steps[-1] > 4 * steps[0]


def test_kencarp4_stiff_problem_takes_far_fewer_steps_than_tsit5():
    prob, exact = bernoulli_problem(T=10.0)
    ours = g.solve(prob, g.KenCarp4(), rtol=1e-6, atol=1e-8)
    explicit = g.solve(prob, g.Tsit5(), rtol=1e-6, atol=1e-8)
    for sol in (ours, explicit):
        assert np.max(np.abs(sol.u[-1] - exact)) < 1e-6
    # λ = -1000 bounds Tsit5's step by stability (~3.5/1000) over t = 10: ~3000 steps
    assert ours.stats.naccept * 10 < explicit.stats.naccept


# ----------------------------------------------------------------------------- φ functions

def test_contour_weights_match_their_closed_forms_at_small_and_large_arguments():
    z = np.array([-1e-9, -1e-4, -0.3, -4.0, -700.0, -1e7, 3.0])
    with mpmath.workdps(60):
        for i, zi in enumerate(z):
            x = mpmath.mpf(zi)
            e = mpmath.exp(x)
            closed = [(mpmath.exp(x / 2) - 1) / x, (-4 - x + e * (4 - 3 * x + x * x)) / x**3,
                      (2 + x + e * (x - 2)) / x**3, (-4 - 3 * x - x * x + e * (4 - x)) / x**3]
            for weight, reference in zip(etdrk4_weights(z, 1.0), closed, strict=True):
                # 64 nodes on the unit circle: rounding of the cancelling terms at |w| ~ 1
                assert abs(weight[i] - float(reference)) <= 5e-15 * abs(float(reference))


def test_contour_mean_is_complex_for_complex_arguments():
    z = np.array([1e-3j, -0.1 + 5j])
    (phi1,) = contour_mean((lambda w, ew: (ew - 1) / w,), z)
    np.testing.assert_allclose(phi1, np.expm1(z) / z, rtol=1e-14)


# ----------------------------------------------------------------------------- multiprecision

def test_etdrk4_weights_and_steps_carry_30_digits():
    with mpmath.workdps(30):
        mpf = mpmath.mpf
        L = np.array([mpf(-2), mpf(-50), mpf(1) / 10**6], dtype=object)
        c = np.array([mpf(1) / 7, mpf(2) / 7, mpf(3) / 7], dtype=object)
        u0 = np.array([mpf(1) / 3, mpf(1) / 3, mpf(1) / 3], dtype=object)
        prob = g.SplitODEProblem(L, lambda u, p, t: c, u0, (mpf(0), mpf(1)))
        sol = g.solve(prob, g.ETDRK4(), dt=mpf(1) / 4)
        with mpmath.workdps(40):
            exact = [mpmath.exp(L[i]) * u0[i] + c[i] * mpmath.expm1(L[i]) / L[i]
                     for i in range(3)]
        assert all(isinstance(x, mpf) for x in sol.u[-1])
        # exact for constant N: what is left is 30-digit rounding (float weights: 1e-16)
        assert max(abs(sol.u[-1][i] - exact[i]) for i in range(3)) < 1e-28


def test_kencarp4_and_etdrk4_reach_beyond_float64_on_a_multiprecision_state():
    with mpmath.workdps(30):
        mpf = mpmath.mpf
        lam = np.array([mpf(-1) / 1000, mpf(-3) / 1000], dtype=object)
        u0 = np.array([mpf(1) / 2, mpf(1) / 3], dtype=object)
        b = mpf(1) / 1000
        prob = g.SplitODEProblem(lam, lambda u, p, t: b * u * u, u0, (mpf(0), mpf(1)))
        exact = [bernoulli(lam[i], b, u0[i], mpf(1), exp=mpmath.exp) for i in range(2)]
        for alg in (g.KenCarp4(), g.ETDRK4()):
            sol = g.solve(prob, alg, dt=mpf(1) / 20, adaptive=False)
            error = max(abs(sol.u[-1][i] - exact[i]) for i in range(2))
            # measured 3.4e-22 (KenCarp4) and 1.2e-22 (ETDRK4). KenCarp4 with its
            # coefficients rounded to float64 stalls at 7e-20: the exact rationals are used
            assert error < 2e-21, (alg, error)
