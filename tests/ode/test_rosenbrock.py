"""Rosenbrock methods (``Rosenbrock23``, ``Rodas5``): stiff accuracy, order, number types.

Every check goes through ``g.solve``; references come from SciPy's Radau at rtol 1e-12 (computed
here), closed forms, or mpmath's matrix exponential. Each tolerance states its reason.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import generic as g
from generic.ode.rosenbrock import Rodas5, Rosenbrock23

scipy_integrate = pytest.importorskip("scipy.integrate")


def robertson(u, p, t):
    k1, k2, k3 = p
    y1, y2, y3 = u[0], u[1], u[2]
    return np.array([-k1 * y1 + k3 * y2 * y3, k1 * y1 - k2 * y2 * y2 - k3 * y2 * y3,
                     k2 * y2 * y2])


ROBERTSON_P = (0.04, 3e7, 1e4)


def van_der_pol(u, p, t):
    return np.array([u[1], p * (1 - u[0] * u[0]) * u[1] - u[0]])  # y'' - μ(1-y²)y' + y = 0


def radau(f, u0, tspan, p, atol=1e-16):
    ref = scipy_integrate.solve_ivp(lambda t, u: f(u, p, t), tspan, u0, method="Radau",
                                    rtol=1e-12, atol=atol)
    assert ref.success
    return ref.y[:, -1]


def assert_relative(u, ref, tol, floor=1e-12):
    """|u - ref| <= tol |ref| on the components above ``floor`` in magnitude."""
    big = np.abs(ref) > floor
    rel = np.abs((np.asarray(u, dtype=float) - ref)[big] / ref[big])
    assert np.all(rel < tol), rel


@pytest.mark.parametrize("alg, rtol", [(Rodas5(), 1e-8), (Rosenbrock23(), 1e-7)])
def test_robertson(alg, rtol):
    """Robertson to t = 1e5. Rodas5 at rtol 1e-8 lands within ~2e-9 relative (measured), and
    Rosenbrock23 at rtol 1e-7 within ~2e-6 (measured; at rtol 1e-8 it is 3e-7 but takes 21 000
    steps and 8 s). Global errors of a stiff problem sit ~10-100× above rtol; the bound is 1e-6
    for Rodas5 (the brief's) and 1e-5 for Rosenbrock23 (an order-2 method at rtol 1e-7). The
    reference's own error (Radau at 1e-12) is below 1e-10."""
    u0 = np.array([1.0, 0.0, 0.0])
    ref = radau(robertson, u0, (0.0, 1e5), ROBERTSON_P)
    sol = g.solve(g.ODEProblem(robertson, u0, (0.0, 1e5), ROBERTSON_P), alg,
                  rtol=rtol, atol=1e-14)
    assert sol.retcode == "Success"
    tol = 1e-6 if isinstance(alg, Rodas5) else 1e-5
    assert_relative(sol.u[-1], ref, tol)
    assert abs(sum(sol.u[-1]) - 1) < 1e-10  # linear invariant: conserved up to round-off


def test_van_der_pol_stiff():
    """Van der Pol μ = 1000 (unscaled form, period ≈ 1614) over t in [0, 3000] with Rodas5 at
    rtol 1e-9 against Radau at rtol 1e-12 (atol 1e-14: u2 passes through 0): 1e-6 relative on
    both components (measured agreement ~1e-9)."""
    u0 = np.array([2.0, 0.0])
    ref = radau(van_der_pol, u0, (0.0, 3000.0), 1000.0, atol=1e-14)
    sol = g.solve(g.ODEProblem(van_der_pol, u0, (0.0, 3000.0), 1000.0), Rodas5(),
                  rtol=1e-9, atol=1e-12)
    assert sol.retcode == "Success"
    assert_relative(sol.u[-1], ref, 1e-6)


def forced(u, p, t):  # u' = -λ (u - cos t) - sin t: mildly stiff (λ = 10), non-autonomous
    return -p * (u - np.cos(t)) - np.sin(t)


def forced_exact(t, u0, lam):
    return math.cos(t) + (u0 - 1) * math.exp(-lam * t)


@pytest.mark.parametrize("alg, dts", [(Rosenbrock23(), (1 / 16, 1 / 32, 1 / 64, 1 / 128)),
                                      (Rodas5(), (1 / 8, 1 / 16, 1 / 32, 1 / 64))])
def test_convergence_order(alg, dts):
    """Fixed steps on a scalar, non-autonomous, mildly stiff problem (λ h from 10/8 to 10/128)
    with a closed form: the slope of log error against log dt is the method's order within 0.3
    (the steps are past the pre-asymptotic range; measured slopes are printed on failure). It
    also checks the ∂f/∂t terms: dropping them lowers the order to 1."""
    errors = []
    for dt in dts:
        sol = g.solve(g.ODEProblem(forced, 2.0, (0.0, 1.0), 10.0), alg, dt=dt, adaptive=False)
        errors.append(abs(sol.u[-1] - forced_exact(1.0, 2.0, 10.0)))
    slopes = [math.log(errors[i] / errors[i + 1]) / math.log(2) for i in range(len(dts) - 1)]
    assert abs(slopes[-1] - alg.order) < 0.3, slopes


def test_convergence_order_system():
    """The same for a 2×2 linear system u' = A u (eigenvalues -1 and -20) in both methods, on
    the generic path: its Jacobian is exact (duals); the compiled path's difference Jacobian
    (relative error ~1e-8) would cap the error near 1e-7 and hide the order."""
    A = np.array([[-10.5, 9.5], [9.5, -10.5]])
    exact = np.array([math.exp(-1), 0.0])
    w, V = np.linalg.eigh(A)
    exact = V @ (np.exp(w) * (V.T @ np.array([1.0, 0.0])))
    for alg, dts in [(Rosenbrock23(), (1 / 32, 1 / 64)), (Rodas5(), (1 / 8, 1 / 16))]:
        errors = [np.max(np.abs(g.solve(g.ODEProblem(lambda u, p, t: A @ u, np.array([1.0, 0.0]),
                                                     (0.0, 1.0)), alg, dt=dt, compile=False,
                                        adaptive=False).u[-1] - exact)) for dt in dts]
        assert abs(math.log2(errors[0] / errors[1]) - alg.order) < 0.3, (alg, errors)


def test_dual_sensitivities_through_rodas5():
    """d u(t=1) / d(k1, k2, k3) for Robertson, by g.jacobian through Rodas5 at rtol 1e-8 (the
    Jacobian of f inside each step is then a nested dual: a DualArray whose partials are duals
    of the outer differentiation, factored by LAPACK on the values), against central
    differences of float solves at rtol 1e-12 with relative steps 1e-4: truncation ~h² ~ 1e-8
    relative, round-off from solver noise ~1e-12/1e-4 = 1e-8. Sensitivities to the parameters
    span 1e-14 .. 1e-1, so each row is compared as d u_i / d log k_j within 1e-6 of the row's
    largest entry: measured 1.5e-8 (the differences' own error; the dual result moves by
    < 1e-9 from rtol 1e-7 to 1e-10), so 1e-6 leaves room for both errors yet catches any
    missing chain-rule term (those show at the 1e-2 .. 1 level). ~4 s."""
    u0 = np.array([1.0, 0.0, 0.0])

    def final(k, rtol):
        return g.solve(g.ODEProblem(robertson, u0, (0.0, 1.0), k), Rodas5(),
                       rtol=rtol, atol=1e-14).u[-1]

    k0 = np.array(ROBERTSON_P)
    J = np.asarray(g.jacobian(lambda k: final(k, 1e-8), k0), dtype=float)
    J_fd = np.empty((3, 3))
    for j in range(3):
        h = 1e-4 * k0[j]
        kp, km = k0.copy(), k0.copy()
        kp[j] += h
        km[j] -= h
        J_fd[:, j] = (final(kp, 1e-12) - final(km, 1e-12)) / (2 * h)
    for i in range(3):
        scale = np.max(np.abs(J_fd[i] * k0))  # compare d u_i / d log k_j
        np.testing.assert_allclose(J[i] * k0, J_fd[i] * k0, rtol=0, atol=1e-6 * scale)


def test_mpmath_linear_stiff_against_expm():
    """A 2×2 linear stiff system (eigenvalues -1 and -1000) in 30-digit mpmath object arrays
    against mpmath.expm at 30 digits. Rodas5 at rtol = atol = 1e-12: the tolerance 1e-11 sits
    above the solver's rtol-driven error (~1e-12) and far below float differences that a wrong
    path (a float Jacobian or constant creeping in where it should not) could not hide: the
    state stays mpf throughout. (Agreement to 1e-40 at 50 digits, where the method is exact:
    ``test_stiff_problems.py``.)
    Rosenbrock23 has √2 in 60 digits but order 2, so it is checked at rtol
    1e-8 (bound 1e-5; measured 2.6e-6 relative)."""
    with mpmath.workdps(30):
        A = mpmath.matrix([[-500.5, 499.5], [499.5, -500.5]])
        u0 = mpmath.matrix([1, 0])
        exact = mpmath.expm(A) * u0
        An = np.array([[A[i, j] for j in range(2)] for i in range(2)], dtype=object)
        prob = g.ODEProblem(lambda u, p, t: An @ u,
                            np.array([mpmath.mpf(1), mpmath.mpf(0)], dtype=object),
                            (mpmath.mpf(0), mpmath.mpf(1)))
        for alg, tol, bound in [(Rodas5(), "1e-12", "1e-11"), (Rosenbrock23(), "1e-8", "1e-5")]:
            sol = g.solve(prob, alg, rtol=mpmath.mpf(tol), atol=mpmath.mpf(tol))
            assert sol.retcode == "Success"
            assert all(isinstance(x, mpmath.mpf) for x in sol.u[-1])
            for i in range(2):
                assert abs(sol.u[-1][i] - exact[i]) < mpmath.mpf(bound) * abs(exact[0])


def test_user_jacobian_matches_automatic():
    """jac= and tgrad= replace differentiation: same steps, same result to round-off."""
    u0 = np.array([1.0, 0.0, 0.0])

    def jac(u, p, t):
        k1, k2, k3 = p
        y1, y2, y3 = u
        return np.array([[-k1, k3 * y3, k3 * y2],
                         [k1, -2 * k2 * y2 - k3 * y3, -k3 * y2],
                         [0.0, 2 * k2 * y2, 0.0]])

    prob = g.ODEProblem(robertson, u0, (0.0, 100.0), ROBERTSON_P)
    # the generic path's automatic Jacobian is exact (duals); compiled, it is a difference
    auto = g.solve(prob, Rodas5(), rtol=1e-8, atol=1e-14, compile=False)
    user = g.solve(prob, Rodas5(jac=jac, tgrad=lambda u, p, t: np.zeros(3)),
                   rtol=1e-8, atol=1e-14, compile=False)
    assert len(auto.t) == len(user.t)
    np.testing.assert_allclose(user.u[-1], auto.u[-1], rtol=1e-12, atol=1e-20)
    assert user.stats.nf < auto.stats.nf
