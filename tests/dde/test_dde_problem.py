"""DDEProblem and solve: bad input is a clear error; in-place f; a two-lag vector problem
against a fixed-step method-of-steps reference written in the tests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dde_references import rk4_method_of_steps

import generic as g


def decay(u, h, p, t):
    return -h(p, t - 1)


@pytest.mark.parametrize("lags, error, match", [
    ([0.0], ValueError, "not positive"), ([-1.0], ValueError, "not positive"),
    ([], ValueError, "give the constant lags"), (["one"], TypeError, "must be numbers"),
])
def test_bad_lags(lags, error, match):
    with pytest.raises(error, match=match):
        g.DDEProblem(decay, 1.0, 1.0, (0.0, 3.0), lags=lags)


def test_bad_history():
    with pytest.raises(TypeError, match="history must be a function"):
        g.DDEProblem(decay, 1.0, "one", (0.0, 3.0), lags=[1.0])
    with pytest.raises(TypeError, match=r"history\(p, t\), not history\(t\)"):
        g.DDEProblem(decay, 1.0, lambda t: 1.0, (0.0, 3.0), lags=[1.0])
    with pytest.raises(ValueError, match="shaped like u0"):
        g.DDEProblem(decay, np.ones(2), lambda p, t: np.ones(3), (0.0, 3.0), lags=[1.0])
    with pytest.raises(TypeError, match="not a number"):
        g.DDEProblem(decay, 1.0, lambda p, t: "one", (0.0, 3.0), lags=[1.0])


def test_bad_problem_and_options():
    with pytest.raises(ValueError, match="runs backwards"):
        g.DDEProblem(decay, 1.0, 1.0, (3.0, 0.0), lags=[1.0])
    with pytest.raises(TypeError, match="f must be callable"):
        g.DDEProblem(None, 1.0, 1.0, (0.0, 3.0), lags=[1.0])
    prob = g.DDEProblem(decay, 1.0, 1.0, (0.0, 3.0), lags=[1.0])
    with pytest.raises(ValueError, match="generic path only"):
        g.solve(prob, g.Tsit5(), compile=True)
    with pytest.raises(TypeError, match="algorithm instance"):
        g.solve(prob, g.Tsit5)
    with pytest.raises(TypeError, match="unexpected keyword|unknown"):
        g.solve(prob, g.Tsit5(), not_an_option=1)


def test_u0_none_takes_the_history_and_a_failing_solve_is_a_retcode():
    prob = g.DDEProblem(decay, None, lambda p, t: 1.0, (0.0, 3.0), lags=[1.0])
    assert prob.u0 == 1.0
    sol = g.solve(prob, g.Tsit5(), maxiters=3)
    assert sol.retcode == "MaxIters"
    blowup = g.DDEProblem(lambda u, h, p, t: u * u + h(p, t - 1), 1.0, 1.0, (0.0, 3.0),
                          lags=[1.0])
    assert g.solve(blowup, g.Tsit5()).retcode in ("DtLessThanMin", "Unstable")


def two_lags(u, lagged, t):
    """x' = -x(t - 1) + sin(y(t - 1/2)) / 2, y' = x - 0.3 y(t - 1/2) x(t - 1)."""
    x1, y_half = lagged(t - 1.0)[0], lagged(t - 0.5)[1]
    return np.array([-x1 + 0.5 * math.sin(y_half), u[0] - 0.3 * y_half * x1])


def two_lags_history(t):
    return np.array([math.cos(t), 1 - t / 2])


def test_two_lags_vector_in_place_against_a_fine_fixed_step_reference():
    """The reference: classical RK4 with h = 1/400 and a cubic Hermite history on its grid
    (both O(h^4) ~ 1e-11 here; measured agreement 2e-11 with Tsit5 at 1e-11). In-place f."""
    reference = rk4_method_of_steps(two_lags, two_lags_history, 0.0, 4.0, 1 / 400, 2)

    def f(du, u, h, p, t):
        du[:] = two_lags(u, lambda s: h(p, s), t)

    prob = g.DDEProblem(f, None, lambda p, t: two_lags_history(t), (0.0, 4.0),
                        lags=[1.0, 0.5])
    ts = np.linspace(0.0, 4.0, 81)
    expected = np.array([reference(t) for t in ts])
    for alg in (g.Tsit5(), g.Vern7()):
        sol = g.solve(prob, alg, rtol=1e-11, atol=1e-11)
        assert sol.retcode == "Success"
        assert np.max(np.abs(sol(ts) - expected)) < 1e-9
    discontinuities = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5}
    assert discontinuities <= set(sol.t.tolist())
