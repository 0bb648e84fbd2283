"""One solver, every number type: the state keeps its type and each type's answer is right.

Each number type gets a problem with an independent reference: float32 and complex against
closed forms, mpmath against e to 25 digits, dual numbers (the sensitivities of Lotka–Volterra)
against SciPy's solution of the forward-sensitivity equations, measurements (the pendulum of
Measurements.jl's documentation) against the small-angle closed form and linear propagation,
``uncertainties`` numbers (carbon-14 decay) against the closed form propagated by
``uncertainties`` itself, object arrays of mpf, Python scalars, and ``array_api_strict`` arrays
(the stand-in for CuPy: an array API namespace that is not NumPy).
"""

from __future__ import annotations

import math

import array_api_strict as xp
import mpmath
import numpy as np
import pytest
from scipy.integrate import solve_ivp
from uncertainties import ufloat, umath

import generic as g

# ----------------------------------------------------------------- float64, float32, complex


def oscillator(u, p, t):
    return np.array([u[1], -u[0]], dtype=u.dtype)


def test_float64_state_stays_float64():
    sol = g.solve(g.ODEProblem(oscillator, np.array([0.0, 1.0]), (0.0, 5.0)), g.Tsit5(),
                  rtol=1e-10, atol=1e-10)
    assert sol.u.dtype == np.float64 and sol.t.dtype == np.float64
    np.testing.assert_allclose(sol.u[-1], [math.sin(5), math.cos(5)], atol=1e-9)  # tol 1e-10


@pytest.mark.filterwarnings("error::RuntimeWarning")  # no overflow in float32 bookkeeping
@pytest.mark.parametrize("alg", [g.Tsit5(), g.Vern7(), g.BS3()], ids=lambda a: a.name)
def test_float32_state_stays_float32_throughout(alg):
    """Every stage f sees is float32, the saved states and the dense output are float32, and
    the answer is as good as float32 allows: rtol 1e-5 (eps(float32) = 1.2e-7, so the
    tolerance is reachable) gives a global error under 1e-4 on [0, 5]."""
    seen = set()

    def f(u, p, t):
        seen.add(u.dtype)
        return oscillator(u, p, t)

    u0 = np.array([0.0, 1.0], dtype=np.float32)
    sol = g.solve(g.ODEProblem(f, u0, (0.0, 5.0)), alg, rtol=1e-5, atol=1e-6)
    assert sol.retcode == "Success"
    assert seen == {np.dtype(np.float32)}
    assert sol.u.dtype == np.float32
    assert sol(2.5).dtype == np.float32
    np.testing.assert_allclose(sol.u[-1], [math.sin(5), math.cos(5)], atol=1e-4)


def test_float32_scalar_state_stays_float32():
    sol = g.solve(g.ODEProblem(lambda u, p, t: -u, np.float32(1), (0.0, 1.0)), g.Tsit5(),
                  rtol=1e-5, atol=1e-7)
    assert sol.u.dtype == np.float32
    assert abs(float(sol.u[-1]) - math.exp(-1)) < 1e-5  # rtol 1e-5


def test_float32_tableau_is_rounded_once_from_the_exact_coefficients():
    """The coefficients a float32 solve uses are the float32 roundings of the exact ones."""
    from fractions import Fraction

    from generic.ode.tableau import converted

    tab = converted(g.DP5().tableau, np.float32)
    assert all(isinstance(c, np.float32) for c in tab.c)
    assert tab.A[1][0] == np.float32(Fraction(1, 5))


@pytest.mark.parametrize("alg", [g.Tsit5(), g.DP8()], ids=lambda a: a.name)
def test_complex_state_stays_complex128(alg):
    """u' = -i ω u (a Schrödinger equation in an eigenbasis): u(t) = exp(-i ω t) u0.
    rtol = atol = 1e-10; the global error stays under 1e-8 over 5 periods."""
    omega = np.array([1.0, 2.0, 0.5])
    u0 = np.array([1.0 + 0j, 0.5j, -0.3 + 0.4j])
    sol = g.solve(g.ODEProblem(lambda u, p, t: -1j * p * u, u0, (0.0, 5.0), omega), alg,
                  rtol=1e-10, atol=1e-10)
    assert sol.u.dtype == np.complex128
    assert sol(1.0).dtype == np.complex128
    np.testing.assert_allclose(sol.u[-1], np.exp(-5j * omega) * u0, atol=1e-8)


def test_complex_python_scalar_state():
    lam = -0.5 + 2j
    sol = g.solve(g.ODEProblem(lambda u, p, t: p * u, 1 + 0j, (0.0, 1.0), lam), g.Vern9(),
                  rtol=1e-12, atol=1e-12)
    assert np.iscomplexobj(sol.u)
    assert abs(sol.u[-1] - np.exp(lam)) < 1e-11  # tolerance 1e-12


# ----------------------------------------------------------------- mpmath


def test_mpmath_vern9_gives_e_to_25_digits():
    """y' = y, y(0) = 1 at 30 digits: y(1) = e. Times in mpmath too (the time type follows
    tspan; float times would be good to 1e-16 only). Vern9 at rtol 1e-28 reaches ~1e-30;
    1e-25 is the promise of 30-digit arithmetic with room for the global error."""
    with mpmath.workdps(30):
        prob = g.ODEProblem(lambda u, p, t: u, mpmath.mpf(1),
                            (mpmath.mpf(0), mpmath.mpf(1)))
        sol = g.solve(prob, g.Vern9(), rtol=mpmath.mpf("1e-28"), atol=mpmath.mpf("1e-28"))
        assert sol.retcode == "Success"
        assert isinstance(sol.u[-1], mpmath.mpf) and isinstance(sol.t[-1], mpmath.mpf)
        assert abs(sol.u[-1] - mpmath.e) < mpmath.mpf("1e-25")


def test_mpmath_precision_follows_the_working_precision():
    """The same solve at 40 digits is more accurate than at 15: the tableau is converted at
    the precision of the solve, not once in float64. (Fixed steps, so only the arithmetic
    changes: Vern9 with 128 steps has a truncation error of ~2e-27 on [0, 1].)"""
    errors = {}
    for dps in (15, 40):
        with mpmath.workdps(dps):
            prob = g.ODEProblem(lambda u, p, t: u, mpmath.mpf(1), (mpmath.mpf(0), mpmath.mpf(1)))
            sol = g.solve(prob, g.Vern9(), dt=mpmath.mpf(1) / 128, adaptive=False)
            errors[dps] = abs(sol.u[-1] - mpmath.e)
    assert errors[15] > mpmath.mpf("1e-17")  # float-like rounding
    assert errors[40] < mpmath.mpf("1e-25")  # the truncation error only


def test_object_array_of_mpf():
    """An object array of mpf stays one: the oscillator at 30 digits against mpmath's sin/cos.
    rtol 1e-22: the global error over [0, 1] stays under 1e-20."""
    with mpmath.workdps(30):
        u0 = np.array([mpmath.mpf(0), mpmath.mpf(1)], dtype=object)
        prob = g.ODEProblem(lambda u, p, t: np.array([u[1], -u[0]], dtype=object), u0,
                            (mpmath.mpf(0), mpmath.mpf(1)))
        sol = g.solve(prob, g.Vern9(), rtol=mpmath.mpf("1e-22"), atol=mpmath.mpf("1e-22"))
        assert sol.u.dtype == object and sol.u.shape == (len(sol.t), 2)
        assert all(isinstance(x, mpmath.mpf) for x in sol.u[-1])
        assert abs(sol.u[-1][0] - mpmath.sin(1)) < mpmath.mpf("1e-20")
        assert abs(sol.u[-1][1] - mpmath.cos(1)) < mpmath.mpf("1e-20")
        assert isinstance(sol(mpmath.mpf("0.5"))[0], mpmath.mpf)


# ----------------------------------------------------------------- dual numbers


def lotka_volterra(u, p, t):
    a, b, c, d = p[0], p[1], p[2], p[3]
    x, y = u[0], u[1]
    return np.array([a * x - b * x * y, -c * y + d * x * y])


P0 = np.array([1.5, 1.0, 3.0, 1.0])


def lv_final_state(p):
    prob = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), p)
    return g.solve(prob, g.Vern9(), rtol=1e-10, atol=1e-12).u[-1]


def lv_sensitivities_scipy():
    """d u(10) / d p from the forward-sensitivity equations S' = f_u S + f_p, S(0) = 0,
    solved with SciPy's DOP853 at rtol 1e-13 (self-consistent to ~1e-12)."""
    a, b, c, d = P0

    def augmented(t, z):
        x, y = z[0], z[1]
        S = z[2:].reshape(2, 4)
        f_u = np.array([[a - b * y, -b * x], [d * y, -c + d * x]])
        f_p = np.array([[x, -x * y, 0, 0], [0, 0, -y, x * y]])
        return np.concatenate([[a * x - b * x * y, -c * y + d * x * y], (f_u @ S + f_p).ravel()])

    z0 = np.concatenate([[1.0, 1.0], np.zeros(8)])
    sol = solve_ivp(augmented, (0.0, 10.0), z0, method="DOP853", rtol=1e-13, atol=1e-14)
    return sol.y[:2, -1], sol.y[2:, -1].reshape(2, 4)


def test_dual_jacobian_of_lotka_volterra_equals_forward_sensitivities():
    """g.jacobian pushes dual numbers through g.solve: the partials of the final state with
    respect to (a, b, c, d). Vern9 at rtol 1e-10 keeps state and partials (duals count their
    partials in the error norm) accurate to ~1e-10 relative over t in [0, 10]; measured
    1e-11. 1e-8 relative to the largest entry leaves margin and still catches any lost term
    of the chain rule (which would be O(1))."""
    J = g.jacobian(lv_final_state, P0)
    u_ref, J_ref = lv_sensitivities_scipy()
    assert J.shape == (2, 4)
    np.testing.assert_allclose(J, J_ref, rtol=0, atol=1e-8 * np.max(np.abs(J_ref)))
    np.testing.assert_allclose(lv_final_state(P0), u_ref, rtol=1e-8)


def test_dual_derivative_with_respect_to_the_initial_value():
    """d y(1) / d y0 for y' = -y is exp(-1); through the solve to rtol 1e-12."""
    def final(y0):
        return g.solve(g.ODEProblem(lambda u, p, t: -u, y0, (0.0, 1.0)), g.Tsit5(),
                       rtol=1e-12, atol=1e-12).u[-1]

    assert abs(g.derivative(final, 2.0) - math.exp(-1)) < 1e-10  # global error ~1e-11


# ----------------------------------------------------------------- measurements

G = (9.79, 0.02)  # m/s², from the Measurements.jl documentation's pendulum
L = (1.00, 0.01)  # m
THETA0 = (math.pi / 60, 0.01)  # rad


def pendulum(u, p, t):
    """θ'' = -(g/L) sin θ as (θ, θ')' = (θ', -(g/L) sin θ)."""
    grav, length = p
    return np.array([u[1], -(grav / length) * g.sin(u[0])], dtype=object)


def solve_pendulum(theta0, grav, length, times):
    u0 = np.array([theta0, 0 * theta0], dtype=object)
    prob = g.ODEProblem(pendulum, u0, (0.0, float(times[-1])), (grav, length))
    sol = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10, saveat=times)
    assert sol.retcode == "Success"
    return sol.u[:, 0]


def test_pendulum_with_measurements_matches_the_small_angle_closed_form():
    """θ(t) ≈ θ0 cos(√(g/L) t) to the accuracy the small angle allows: the true frequency is
    lower by θ0²/16 (relative), a phase lag of ω t θ0²/16, plus a third harmonic of amplitude
    θ0³/96. So |θ - θ_sa| <= θ0³ (ω t / 16 + 1/96) (x1.2 for the next order, plus the
    solver's 1e-7). The standard deviations differ by the derivative of that lag with respect
    to θ0, 3 θ0² ω t / 16 relative, times σ(θ0) (x2: the g and L terms shift alike)."""
    grav, length = g.measurement(*G), g.measurement(*L)
    theta0 = g.measurement(*THETA0)
    times = np.linspace(0.0, 6.3, 22)
    theta = solve_pendulum(theta0, grav, length, times)
    assert all(isinstance(x, g.Measurement) for x in theta[1:])

    th0, gv, lv = THETA0[0], G[0], L[0]
    omega = math.sqrt(gv / lv)
    for t, x in zip(times, theta, strict=True):
        closed = th0 * math.cos(omega * t)
        assert abs(g.value(x) - closed) <= 1.2 * th0**3 * (omega * t / 16 + 1 / 96) + 1e-7
        # linear propagation of the closed form, by hand
        s = math.sin(omega * t)
        d_theta0 = math.cos(omega * t)
        d_g = -th0 * t * s / (2 * omega * lv)
        d_L = th0 * t * s * omega / (2 * lv)
        sigma = math.hypot(d_theta0 * THETA0[1], d_g * G[1], d_L * L[1])
        bound = 2 * THETA0[1] * 3 * th0**2 * omega * t / 16 + 1e-6
        assert abs(g.uncertainty(x) - sigma) <= bound, (t, g.uncertainty(x), sigma)


def test_pendulum_uncertainty_equals_linear_propagation_through_the_solve():
    """The measurement solve propagates to first order, exactly as the Jacobian of the same
    solve (by duals) does: σ² = Σ (∂θ/∂x_i σ_i)². Both run to rtol 1e-8 but take different
    steps (measurements measure values only for step control, duals include partials), so
    they agree to the solver's accuracy: measured 2e-11 for σ ~ 0.01; 1e-9 leaves margin.
    The values equal a plain float solve's to rounding: the same steps, the same arithmetic
    on the values."""
    times = np.array([0.0, 1.3, 3.9, 6.3])
    theta = solve_pendulum(g.measurement(*THETA0), g.measurement(*G), g.measurement(*L), times)

    def final(x):
        return solve_pendulum(x[0], x[1], x[2], times)[1:]

    J = g.jacobian(final, np.array([THETA0[0], G[0], L[0]]))
    sigmas = np.sqrt((J**2) @ np.array([THETA0[1], G[1], L[1]]) ** 2)
    np.testing.assert_allclose([g.uncertainty(x) for x in theta[1:]], sigmas, rtol=0,
                               atol=1e-9)
    np.testing.assert_allclose([g.value(x) for x in theta[1:]],
                               solve_pendulum(THETA0[0], G[0], L[0], times)[1:].astype(float),
                               rtol=0, atol=1e-14)


# ----------------------------------------------------------------- uncertainties


def test_carbon14_decay_with_uncertainties_matches_the_propagated_closed_form():
    """dN/dt = -λ N with λ = ln 2 / t½, t½ = 5730 ± 40 years, N(0) = 1: N(t) = 2^(-t/t½),
    its uncertainty propagated by ``uncertainties`` itself. rtol 1e-10: values agree to
    ~1e-11 relative, standard deviations to ~1e-10 (their relative error is the solver's
    relative error in dN/dt½); 1e-8 for both leaves margin."""
    half_life = ufloat(5730, 40)
    lam = math.log(2) / half_life
    prob = g.ODEProblem(lambda N, p, t: -p * N, 1.0, (0.0, 20000.0), lam)
    sol = g.solve(prob, g.Tsit5(), rtol=1e-10, atol=1e-12, saveat=1000.0)
    assert sol.retcode == "Success"
    for t, N in zip(sol.t[1:], sol.u[1:], strict=True):
        reference = umath.exp(-math.log(2) * t / half_life)
        assert math.isclose(N.nominal_value, reference.nominal_value, rel_tol=1e-8)
        assert math.isclose(N.std_dev, reference.std_dev, rel_tol=1e-8)
        # the uncertainty comes from the half-life alone: N is correlated with it
        assert math.isclose(N.derivatives[next(iter(half_life.derivatives))],
                            reference.derivatives[next(iter(half_life.derivatives))],
                            rel_tol=1e-8)


def test_uncertainties_state_does_not_grow_with_the_number_of_steps():
    """``compress`` flattens each accepted ufloat, so a long solve stays linear in its
    steps: 5000 fixed steps finish (unflattened, the expression tree would be re-expanded at
    every step)."""
    lam = ufloat(1e-3, 1e-5)
    sol = g.solve(g.ODEProblem(lambda N, p, t: -p * N, ufloat(1.0, 0.01), (0.0, 500.0), lam),
                  g.Euler(), dt=0.1)
    assert sol.stats.naccept == 5000
    reference = umath.exp(-lam * 500.0) * ufloat(1.0, 0.01)
    # Euler with h = 0.1: relative error h λ² t / 2 = 2.5e-5; uncertainties alike
    assert math.isclose(sol.u[-1].nominal_value, reference.nominal_value, rel_tol=1e-4)
    assert math.isclose(sol.u[-1].std_dev, reference.std_dev, rel_tol=1e-3)


def test_uncertainties_parameters_of_a_vector_problem_propagate_like_the_jacobian():
    """Lotka–Volterra with a, b, c, d ± 1% as ufloats in an array state, Tsit5 (seven stages
    that each reuse all earlier ones: ``compress`` must flatten in time linear in that
    graph, not by ``uncertainties``' path-by-path expansion, or this takes minutes). The
    standard deviations equal the linear propagation by the dual Jacobian of the same solve
    to the solver's accuracy (different steps: rtol 1e-8 gives ~1e-8; 1e-6 relative)."""
    p_u = [ufloat(v, 0.01 * v) for v in P0]
    prob = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), p_u)
    u = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10).u[-1]

    def final(p):
        prob = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), p)
        return g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10).u[-1]

    J = g.jacobian(final, P0)
    sigma = np.sqrt((J**2) @ (0.01 * P0) ** 2)
    np.testing.assert_allclose([x.std_dev for x in u], sigma, rtol=1e-6)


# ----------------------------------------------------------------- Python scalars


@pytest.mark.parametrize("u0", [1.0, 1], ids=["float", "int"])
def test_python_scalar_state(u0):
    """A Python number as the state: the saved states are a float64 array (an int u0 is a
    float state: f returns floats)."""
    sol = g.solve(g.ODEProblem(lambda u, p, t: -u, u0, (0, 1)), g.Tsit5(), rtol=1e-10,
                  atol=1e-12)
    assert isinstance(sol.u, np.ndarray) and sol.u.shape == (len(sol.t),)
    assert sol.u.dtype == np.float64 and sol.t.dtype == np.float64
    assert abs(sol.u[-1] - math.exp(-1)) < 1e-9  # tolerance 1e-10
    assert isinstance(float(sol(0.5)), float)


# ----------------------------------------------------------------- array API (CuPy stand-in)


def xp_oscillator(u, p, t):
    ns = u.__array_namespace__()
    return ns.stack([u[1], -p * u[0]])


def test_array_api_strict_state_stays_an_array_api_array():
    """``array_api_strict`` follows the standard and nothing more: a solve that runs on it
    runs on CuPy. The saved states and the dense output stay array_api_strict arrays."""
    u0 = xp.asarray([0.0, 1.0])
    sol = g.solve(g.ODEProblem(xp_oscillator, u0, (0.0, 5.0), 4.0), g.Tsit5(), rtol=1e-8,
                  atol=1e-8)
    assert sol.retcode == "Success"
    assert isinstance(sol.u, type(u0)) and sol.u.shape == (len(sol.t), 2)
    assert isinstance(sol(3.0), type(u0))
    exact = np.array([math.sin(10) / 2, math.cos(10)])  # ω = 2
    np.testing.assert_allclose(np.asarray(sol.u[-1, ...]), exact, atol=1e-6)  # tol 1e-8


def test_array_api_strict_matches_numpy():
    """Fixed steps: the same arithmetic on both backends, so the same numbers to rounding
    (the stage sums are summed in another order: a few ulps). Adaptive: rounding in the
    error estimate (a difference of nearly equal stage sums, relative rounding ~1e-8) moves
    the step sizes slightly, so the solutions agree to the tolerance level (10x rtol)."""
    fixed = [g.solve(g.ODEProblem(xp_oscillator, u0, (0.0, 5.0), 4.0), g.RK4(), dt=0.05)
             for u0 in (xp.asarray([0.0, 1.0]), np.array([0.0, 1.0]))]
    np.testing.assert_allclose(np.asarray(fixed[0].u), fixed[1].u, rtol=0, atol=1e-13)
    adaptive = [g.solve(g.ODEProblem(xp_oscillator, u0, (0.0, 5.0), 4.0), g.Vern7(),
                        rtol=1e-8, atol=1e-8, saveat=0.5)
                for u0 in (xp.asarray([0.0, 1.0]), np.array([0.0, 1.0]))]
    np.testing.assert_allclose(np.asarray(adaptive[0].u), adaptive[1].u, rtol=0, atol=1e-7)


def test_array_api_strict_float32_stays_float32():
    u0 = xp.asarray([0.0, 1.0], dtype=xp.float32)
    sol = g.solve(g.ODEProblem(xp_oscillator, u0, (0.0, 1.0), 1.0), g.Tsit5(), rtol=1e-5,
                  atol=1e-6)
    assert sol.u.dtype == xp.float32
