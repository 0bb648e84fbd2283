"""Strong and weak orders measured on geometric Brownian motion against its exact solution on
the same Brownian paths (dX = μX dt + σX dW, X_T = X0 exp((μ - σ²/2)T + σW_T))."""

import numpy as np
import pytest
from gbm import MU, SIGMA, X0, diffusion, drift, exact, slope, strong_errors

import generic as g

DTS = [2.0**-k for k in range(3, 8)]


@pytest.mark.parametrize(("alg", "order"), [(g.EM(), 0.5), (g.Milstein(), 1.0),
                                            (g.SRIW1(), 1.5)])
def test_strong_order_on_gbm(alg, order):
    # 400 independent paths (one diagonal-noise state of 400 components), dt = 1/8 .. 1/128:
    # the measured slope scatters by about ±0.1 between seeds (seen over seeds 1..3: EM
    # 0.45..0.56, Milstein 0.99..1.01, SRIW1 1.42..1.44), so ±0.15 separates the orders
    errors = strong_errors(g, alg, 400, DTS, seed=1)
    assert slope(DTS, errors) == pytest.approx(order, abs=0.15)
    assert errors[-1] < errors[0]


def test_weak_order_of_em_on_the_mean():
    # E[X_T] = X0 e^{μT}. The weak error of EM is measured as the mean of (X_EM - X_exact)
    # over the same 20000 paths: a control variate, so the Monte Carlo noise is that of the
    # strong error (small), not of X_T itself
    paths, dts = 20000, [2.0**-k for k in range(2, 6)]
    prob = g.SDEProblem(drift, diffusion, np.full(paths, X0), (0.0, 1.0), p=(MU, SIGMA))
    errors, path = {}, None
    for dt in sorted(dts):
        sol = g.solve(prob, g.EM(), dt=dt, saveat=[1.0],
                      **({"seed": 7} if path is None else {"noise": path}))
        path = sol.W
        errors[dt] = abs(float(np.mean(sol.u[-1] - exact(path(1.0)))))
        # EM's own mean is X0 (1 + μh)^N exactly: the sample mean within 4 standard errors
        se = np.std(sol.u[-1]) / np.sqrt(paths)
        assert abs(np.mean(sol.u[-1]) - X0 * (1 + MU * dt) ** round(1 / dt)) < 4 * se
    assert slope(dts, [errors[dt] for dt in dts]) == pytest.approx(1.0, abs=0.2)


def test_adaptive_sriw1_error_follows_the_tolerance():
    # adaptive SRIW1 on 50 paths: the error against the exact solution on the path it was
    # solved on (rejected steps bridged on that path) falls as the tolerance falls
    prob = g.SDEProblem(drift, diffusion, np.full(50, X0), (0.0, 1.0), p=(MU, SIGMA))
    errors = []
    for tol in (1e-2, 1e-3, 1e-4):
        sol = g.solve(prob, g.SRIW1(), rtol=tol, atol=tol, seed=3)
        assert sol.retcode == "Success"
        assert sol.t[-1] == 1.0
        errors.append(float(np.max(np.abs(sol.u[-1] - exact(sol.W(1.0))))))
    assert errors[2] < errors[1] < errors[0]
    assert errors[2] < 1e-3
