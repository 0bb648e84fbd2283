"""Bad input gets a clear error naming the problem and the fix."""

import numpy as np
import pytest
from gbm import diffusion, drift

import generic as g


def test_g_of_the_wrong_shape():
    prob = g.SDEProblem(drift, lambda u, p, t: np.ones(3), np.ones(2), (0.0, 1.0), p=(1, 1))
    with pytest.raises(ValueError, match=r"g\(u0, p, t0\) returned shape \(3,\)"):
        g.solve(prob, g.EM(), dt=0.1)
    general = g.SDEProblem(drift, lambda u, p, t: np.ones(2), np.ones(2), (0.0, 1.0),
                           p=(1, 1), m=2)
    with pytest.raises(ValueError, match=r"\(len\(u\), m\) = \(2, 2\) matrix"):
        g.solve(general, g.EM(), dt=0.1)


def test_milstein_and_sriw1_refuse_general_noise():
    prob = g.SDEProblem(drift, lambda u, p, t: np.ones((2, 3)), np.ones(2), (0.0, 1.0),
                        p=(1, 1), m=3)
    for alg in (g.Milstein(), g.SRIW1()):
        with pytest.raises(ValueError, match="general noise.*use g.EM"):
            g.solve(prob, alg, dt=0.1)


def test_fixed_step_method_needs_dt():
    prob = g.SDEProblem(drift, diffusion, 1.0, (0.0, 1.0), p=(1.0, 0.5))
    with pytest.raises(ValueError, match="EM takes fixed steps: give dt="):
        g.solve(prob, g.EM())
    with pytest.raises(TypeError, match=r"EM\(\), not EM"):
        g.solve(prob, g.EM, dt=0.1)
    with pytest.raises(TypeError, match="not an SDE algorithm"):
        g.solve(prob, g.Tsit5(), dt=0.1)


def test_problem_input_checks():
    with pytest.raises(ValueError, match="m="):
        g.SDEProblem(drift, diffusion, np.ones(2), (0.0, 1.0), noise="general")
    with pytest.raises(ValueError, match="noise='bogus'"):
        g.SDEProblem(drift, diffusion, np.ones(2), (0.0, 1.0), noise="bogus")
    with pytest.raises(ValueError, match="forward"):
        g.SDEProblem(drift, diffusion, 1.0, (1.0, 0.0))
    with pytest.raises(TypeError, match="out of place"):
        g.SDEProblem(lambda du, u, p, t: None, diffusion, 1.0, (0.0, 1.0))


def test_replayed_path_must_fit():
    prob = g.SDEProblem(drift, diffusion, np.ones(2), (0.0, 1.0), p=(1.0, 0.5))
    em = g.solve(prob, g.EM(), dt=0.1, seed=1)
    with pytest.raises(ValueError, match="with_z=True"):
        g.solve(prob, g.SRIW1(), noise=em.W)
    other = g.SDEProblem(drift, diffusion, np.ones(3), (0.0, 1.0), p=(1.0, 0.5))
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\)"):
        g.solve(other, g.EM(), dt=0.1, noise=em.W)


def test_diverging_solve_returns_unstable():
    prob = g.SDEProblem(lambda u, p, t: u**3, lambda u, p, t: 0.0 * u, np.array([10.0]),
                        (0.0, 10.0))
    with np.errstate(over="ignore", invalid="ignore"):  # the overflow is the point
        sol = g.solve(prob, g.EM(), dt=0.1, seed=1)
    assert sol.retcode == "Unstable"
    assert len(sol.t) == len(sol.u) < 101
