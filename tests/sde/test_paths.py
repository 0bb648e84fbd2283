"""Brownian paths: seeds reproduce, a path replays, rejected steps are bridged on it."""

import numpy as np
import pytest
from gbm import MU, SIGMA, X0, diffusion, drift
from hypothesis import given, settings
from hypothesis import strategies as st

import generic as g


def _prob(u0=X0):
    return g.SDEProblem(drift, diffusion, u0, (0.0, 1.0), p=(MU, SIGMA))


def test_same_seed_same_solution_other_seed_another():
    a = g.solve(_prob(), g.EM(), dt=0.01, seed=5)
    b = g.solve(_prob(), g.EM(), dt=0.01, seed=5)
    c = g.solve(_prob(), g.EM(), dt=0.01, seed=6)
    assert np.array_equal(a.u, b.u)
    assert not np.array_equal(a.u, c.u)


def test_replaying_the_path_gives_the_same_solution():
    first = g.solve(_prob(), g.SRIW1(), seed=2, rtol=1e-3, atol=1e-3)
    again = g.solve(_prob(), g.SRIW1(), noise=first.W, rtol=1e-3, atol=1e-3)
    assert np.array_equal(first.t, again.t)
    assert np.array_equal(first.u, again.u)


def test_path_values_are_the_increments_used():
    # EM on dX = dW (f = 0, g = 1) gives X_t = X0 + W(t) exactly on the grid
    prob = g.SDEProblem(lambda u, p, t: 0.0 * u, lambda u, p, t: 1.0 + 0.0 * u,
                        np.zeros(3), (0.0, 1.0))
    sol = g.solve(prob, g.EM(), dt=0.1, seed=1)
    assert np.allclose(sol.u, np.stack([sol.W(t) for t in sol.t]), atol=1e-14)


@settings(max_examples=10, deadline=None)
@given(s=st.floats(0.05, 0.95))
def test_brownian_bridge_has_the_conditional_law(s):
    # W(s) given W(0) = 0 and W(1) = w1: mean s w1, variance s (1 - s). Over 4000 paths (one
    # path of 4000 components) the sample moments are within 5 standard errors
    n = 4000
    path = g.BrownianPath((n,), seed=11)
    w1 = path(1.0)
    bridged = path(s)
    residual = bridged - s * w1
    var = s * (1 - s)
    assert abs(residual.mean()) < 5 * np.sqrt(var / n)
    assert residual.var() == pytest.approx(var, rel=5 * np.sqrt(2 / n))
    assert np.array_equal(path(s), bridged)  # recorded: asked again, the same value


def test_rejected_steps_keep_the_path_unbiased():
    # W(1) of adaptive solves is a standard normal across seeds even though the path was
    # refined through rejections (RSwM): mean 0, variance 1 within 5 standard errors
    prob = g.SDEProblem(drift, diffusion, np.full(200, X0), (0.0, 1.0), p=(MU, SIGMA))
    sol = g.solve(prob, g.SRIW1(), rtol=1e-2, atol=1e-2, dt=0.5, seed=4)
    assert sol.stats.nreject > 0
    w = sol.W(1.0)
    assert abs(w.mean()) < 5 / np.sqrt(200)
    assert w.var() == pytest.approx(1.0, rel=5 * np.sqrt(2 / 200))
