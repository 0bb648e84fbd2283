"""One SDE source on every number type: pathwise sensitivities from duals on a replayed path,
50-digit solves, float32 states."""

import mpmath
import numpy as np
import pytest
from gbm import MU, SIGMA, X0, diffusion, drift

import generic as g


def _em_product_and_derivative(path_increments, h):
    """EM on GBM: X_N = X0 ∏(1 + μh + σΔW_k); dX_N/dμ = X_N Σ h / (1 + μh + σΔW_k)."""
    factors = 1 + MU * h + SIGMA * path_increments
    x = X0 * np.prod(factors)
    return x, x * np.sum(h / factors)


def test_dual_parameter_gives_the_pathwise_sensitivity():
    prob = g.SDEProblem(drift, diffusion, X0, (0.0, 1.0), p=(MU, SIGMA))
    sol = g.solve(prob, g.EM(), dt=1 / 64, seed=9)
    mu = g.Dual(MU, [1.0])
    dual = g.solve(g.SDEProblem(drift, diffusion, X0, (0.0, 1.0), p=(mu, SIGMA)), g.EM(),
                   dt=1 / 64, noise=sol.W)
    end = dual.u[-1]
    x, dx = _em_product_and_derivative(np.diff(sol.W.W[:65]), 1 / 64)
    # the closed form and the solve multiply the same 64 factors in another order: rounding
    assert g.value(end) == pytest.approx(x, rel=1e-13)
    assert g.value(end) == pytest.approx(sol.u[-1], rel=1e-13)
    assert end.partials[0] == pytest.approx(dx, rel=1e-12)


def test_dual_sensitivity_of_sriw1_matches_central_differences_on_the_path():
    base = g.solve(g.SDEProblem(drift, diffusion, X0, (0.0, 1.0), p=(MU, SIGMA)), g.SRIW1(),
                   dt=1 / 32, adaptive=False, seed=4)
    dual = g.solve(g.SDEProblem(drift, diffusion, X0, (0.0, 1.0),
                                p=(MU, g.Dual(SIGMA, [1.0]))), g.SRIW1(), dt=1 / 32,
                   adaptive=False, noise=base.W)
    eps = 1e-6
    ends = [g.solve(g.SDEProblem(drift, diffusion, X0, (0.0, 1.0), p=(MU, SIGMA + d)),
                    g.SRIW1(), dt=1 / 32, adaptive=False, noise=base.W).u[-1]
            for d in (eps, -eps)]
    # central differences: truncation O(eps²) and rounding O(1e-16 / eps) ~ 1e-9 relative
    assert dual.u[-1].partials[0] == pytest.approx((ends[0] - ends[1]) / (2 * eps), rel=1e-7)


def test_mpmath_solve_matches_the_product_in_50_digits():
    with mpmath.workdps(50):
        prob = g.SDEProblem(drift, diffusion, mpmath.mpf(X0), (0.0, 1.0),
                            p=(mpmath.mpf(MU), mpmath.mpf(SIGMA)))
        sol = g.solve(prob, g.EM(), dt=1 / 16, seed=3)
        increments = np.diff(sol.W.W[:17])
        h = mpmath.mpf(1) / 16
        x = mpmath.mpf(X0)
        for dw in increments:
            x = x * (1 + prob.p[0] * h + prob.p[1] * mpmath.mpf(float(dw)))
        # the increments are float64 numbers used exactly; the rest is 50-digit arithmetic
        assert isinstance(sol.u[-1], mpmath.mpf)
        assert abs(sol.u[-1] - x) < mpmath.mpf(10) ** -45


def test_float32_state_stays_float32():
    prob = g.SDEProblem(drift, diffusion, np.full(3, X0, dtype=np.float32), (0.0, 1.0),
                        p=(np.float32(MU), np.float32(SIGMA)))
    sol = g.solve(prob, g.Milstein(), dt=0.01, seed=1)
    ref = g.solve(g.SDEProblem(drift, diffusion, np.full(3, X0), (0.0, 1.0), p=(MU, SIGMA)),
                  g.Milstein(), dt=0.01, seed=1)
    assert sol.u.dtype == np.float32
    # float32 rounding over 100 steps of a process of size ~1
    assert np.allclose(sol.u[-1], ref.u[-1], rtol=1e-4)


def test_measurement_initial_value_propagates():
    # dX = μX dt + σX dW is linear in X: X_T / X0 does not depend on X0, so the relative
    # uncertainty of X_T is that of X0
    x0 = g.measurement(X0, 0.01)
    sol = g.solve(g.SDEProblem(drift, diffusion, x0, (0.0, 1.0), p=(MU, SIGMA)), g.EM(),
                  dt=0.05, seed=2)
    end = sol.u[-1]
    assert g.uncertainty(end) / g.value(end) == pytest.approx(0.01 / X0, rel=1e-12)
