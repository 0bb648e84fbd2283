"""Implicit stiff methods (``ImplicitEuler``, ``TRBDF2``): order, stiff benchmarks, number types.

Everything goes through ``g.solve`` / ``g.init``; the Newton counts are read from the
integrator's cache (``integ.cache.stats``). Each tolerance states why it is what it is.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import generic as g
from generic.ode.implicit import TRBDF2, ImplicitEuler

scipy_integrate = pytest.importorskip("scipy.integrate")
scipy_linalg = pytest.importorskip("scipy.linalg")

LAM = -50.0


def prothero_robinson(u, p, t):
    """u' = λ(u - cos t) - sin t: exact u = cos t from u(0) = 1, stiff for |λ| h ≫ 1."""
    return LAM * (u - np.cos(t)) - np.sin(t)


def robertson(u, p, t):
    y1, y2, y3 = u
    return np.array([-0.04 * y1 + 1e4 * y2 * y3,
                     0.04 * y1 - 1e4 * y2 * y3 - 3e7 * y2 * y2,
                     3e7 * y2 * y2])


def van_der_pol(u, p, t):
    x, y = u
    return np.array([y, p * (1 - x * x) * y - x])


def observed_orders(alg, ns, tf=1.0, u0=1.0):
    errors = []
    for n in ns:
        sol = g.solve(g.ODEProblem(prothero_robinson, u0, (0.0, tf)), alg, dt=tf / n,
                      adaptive=False)
        errors.append(abs(float(g.value(sol.u[-1])) - math.cos(tf)))
    return [math.log2(errors[i] / errors[i + 1]) for i in range(len(errors) - 1)]


@pytest.mark.parametrize("alg, order", [(ImplicitEuler(), 1), (TRBDF2(), 2)])
def test_convergence_order_on_stiff_linear_problem(alg, order):
    # Steps from |λh| = 5 down to 0.3: the stiff regime into the asymptotic one. The observed
    # order of the finest halvings is within 0.3 of the nominal one (the error constants of
    # both methods vary with λh, so coarser halvings are not yet asymptotic).
    orders = observed_orders(alg, [10, 20, 40, 80, 160])
    assert abs(orders[-1] - order) < 0.3, orders
    assert abs(orders[-2] - order) < 0.3, orders


def test_convergence_order_array_state():
    # The same problem as a 1-D array: the g.jacobian / g.lu path instead of g.derivative.
    def f(u, p, t):
        return LAM * (u - np.cos(t)) - np.sin(t)

    errors = []
    for n in (40, 80, 160):
        sol = g.solve(g.ODEProblem(f, np.array([1.0, 1.0]), (0.0, 1.0)), TRBDF2(), dt=1 / n,
                      adaptive=False)
        errors.append(abs(sol.u[-1][0] - math.cos(1.0)))
    assert abs(math.log2(errors[-2] / errors[-1]) - 2) < 0.3


def test_robertson_trbdf2_against_radau():
    # Robertson to t = 1e5 at rtol 1e-6. TR-BDF2 is 2nd order: the global error is a sum over
    # ~500 steps of local errors each held to ~rtol (an error-per-step control, not a
    # global one), so the final state is good to a few times 1e-5; 1e-4 relative (on every
    # component, y2 ~ 7e-8 included) is that with a margin. The reference is SciPy's Radau
    # (order 5) at rtol 1e-12, far more accurate than what is checked.
    u0 = np.array([1.0, 0.0, 0.0])
    integ = g.init(g.ODEProblem(robertson, u0, (0.0, 1e5)), TRBDF2(), rtol=1e-6, atol=1e-10)
    sol = integ.solve()
    assert sol.retcode == "Success"
    ref = scipy_integrate.solve_ivp(lambda t, u: robertson(u, None, t), (0.0, 1e5), u0,
                                    method="Radau", rtol=1e-12, atol=1e-20).y[:, -1]
    np.testing.assert_allclose(sol.u[-1], ref, rtol=1e-4)
    # Stiff: an explicit method would need ~1e8 steps; the Jacobian is reused across steps.
    assert sol.stats.naccept < 2000
    assert integ.cache.stats.njac < sol.stats.naccept


def test_van_der_pol_stiff():
    # μ = 1000 over [0, 1000] (shortened from 3000 to keep the SciPy reference under a few
    # seconds): the slow branch and the first fast jump (period ≈ 1614).
    # rtol 1e-6 against Radau at 1e-12: the 2nd-order global error, amplified near the jumps
    # (the phase of a relaxation oscillation drifts), allows a relative 1e-3 on the state.
    mu, u0 = 1000.0, np.array([2.0, 0.0])
    sol = g.solve(g.ODEProblem(van_der_pol, u0, (0.0, 1000.0), mu), TRBDF2(), rtol=1e-6,
                  atol=1e-8)
    assert sol.retcode == "Success"
    ref = scipy_integrate.solve_ivp(lambda t, u: van_der_pol(u, mu, t), (0.0, 1000.0), u0,
                                    method="Radau", rtol=1e-10, atol=1e-12).y[:, -1]
    np.testing.assert_allclose(sol.u[-1], ref, rtol=1e-3, atol=1e-6)
    assert sol.stats.naccept < 5000


def test_stiff_linear_system_against_expm():
    # Eigenvalues -1, -10, -1e4 in a rotated basis: the exact solution is expm(tA) u0.
    # rtol 1e-8 per step; the stiff mode is gone after t ~ 1e-3, so the final error is the
    # 2nd-order global error of the slow modes, accumulated over ~100 steps (observed 1.2e-6):
    # checked to 1e-5 relative.
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    A = Q @ np.diag([-1.0, -10.0, -1e4]) @ Q.T
    u0 = np.array([1.0, 2.0, 3.0])
    sol = g.solve(g.ODEProblem(lambda u, p, t: A @ u, u0, (0.0, 2.0)), TRBDF2(), rtol=1e-8,
                  atol=1e-12)
    exact = scipy_linalg.expm(2.0 * A) @ u0
    np.testing.assert_allclose(sol.u[-1], exact, rtol=1e-5)


def test_dual_sensitivity_through_trbdf2():
    # d u(1) / dk for a stiff nonlinear problem, fixed steps: duals differentiate the discrete
    # solution exactly up to the Newton tolerance (set by rtol/atol, tightened here: at the
    # default rtol 1e-3 the two differ by 2e-5 relative); central differences (δ = 1e-5 k, error
    # O(δ²) ~ 1e-10 relative plus round-off 1e-16/δ ~ 1e-9) agree with it to 1e-6 relative.
    def f(u, k, t):
        return np.array([-k * u[0] + u[1] * u[1], -u[1]])

    def final(k):
        sol = g.solve(g.ODEProblem(f, np.array([1.0, 1.0]), (0.0, 1.0), k), TRBDF2(),
                      dt=0.01, adaptive=False, rtol=1e-12, atol=1e-14)  # tight Newton
        return sol.u[-1][0]

    k0 = 200.0
    d = float(g.value(g.derivative(final, k0)))
    h = 1e-5 * k0
    fd = (float(g.value(final(k0 + h))) - float(g.value(final(k0 - h)))) / (2 * h)
    assert d == pytest.approx(fd, rel=1e-6)


def test_implicit_euler_stable_at_large_steps():
    # y' = -1000 (y - cos t), y(0) = 0, h = 0.1: |1 + hλ| = 99 makes explicit Euler blow up,
    # while backward Euler's factor 1/(1 + 100) damps. After the transient backward Euler
    # lags cos t by about h·|sin t| (its local error (h²/2)|y''| over a damping of 1/(hλ)):
    # within 0.1.
    def f(y, p, t):
        return -1000.0 * (y - math.cos(t))

    prob = g.ODEProblem(f, 0.0, (0.0, 10.0))
    sol = g.solve(prob, ImplicitEuler(), dt=0.1, adaptive=False)
    assert sol.retcode == "Success"
    errors = [abs(u - math.cos(t)) for t, u in zip(sol.t, sol.u, strict=True)][1:]
    assert max(errors) < 0.1
    explicit = g.solve(prob, g.Euler(), dt=0.1, adaptive=False)
    assert explicit.retcode != "Success" or not abs(explicit.u[-1]) < 1e10


def test_implicit_euler_adaptive_robertson():
    # The adaptive backward Euler reaches the end of a stiff problem; 1st order at rtol 1e-4
    # gives ~1e-3 relative accuracy on the slow components.
    u0 = np.array([1.0, 0.0, 0.0])
    sol = g.solve(g.ODEProblem(robertson, u0, (0.0, 40.0)), ImplicitEuler(), rtol=1e-4,
                  atol=1e-10)
    ref = scipy_integrate.solve_ivp(lambda t, u: robertson(u, None, t), (0.0, 40.0), u0,
                                    method="Radau", rtol=1e-12, atol=1e-20).y[:, -1]
    np.testing.assert_allclose(sol.u[-1][[0, 2]], ref[[0, 2]], rtol=1e-2)


def test_mpmath_state():
    # 30 digits through the generic LU: TR-BDF2 at fixed steps on the array form of the
    # Prothero–Robinson problem agrees with the float64 run to float64 round-off (1e-12), and
    # the state stays mpmath.
    mpmath.mp.dps = 30
    try:
        def f(u, p, t):
            return -50 * (u - mpmath.cos(t)) - mpmath.sin(t)

        u0 = np.array([mpmath.mpf(1), mpmath.mpf(1)], dtype=object)
        sol = g.solve(g.ODEProblem(f, u0, (mpmath.mpf(0), mpmath.mpf(1))), TRBDF2(),
                      dt=mpmath.mpf(1) / 20, adaptive=False)
        flt = g.solve(g.ODEProblem(prothero_robinson, np.array([1.0, 1.0]), (0.0, 1.0)),
                      TRBDF2(), dt=1 / 20, adaptive=False)
        assert isinstance(sol.u[-1][0], mpmath.mpf)
        assert float(sol.u[-1][0]) == pytest.approx(flt.u[-1][0], rel=1e-12)
    finally:
        mpmath.mp.dps = 15
