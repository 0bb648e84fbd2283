"""The compiled SDE path runs the same step functions: the same numbers as the generic path on
the same Brownian path; compiled ensembles equal serial ones trajectory by trajectory."""

import numpy as np
import pytest
from gbm import MU, SIGMA, X0, diffusion, drift

import generic as g
from generic.ode.fast import FastPathError

PROB = g.SDEProblem(drift, diffusion, np.full(3, X0), (0.0, 1.0), p=(MU, SIGMA))


@pytest.mark.parametrize("alg", [g.EM(), g.SRIW1()])
def test_compiled_equals_generic_on_the_same_path(alg):
    generic = g.solve(PROB, alg, dt=1 / 50, adaptive=False, seed=3)
    compiled = g.solve(PROB, alg, dt=1 / 50, adaptive=False, noise=generic.W, compile=True)
    assert np.array_equal(generic.t, compiled.t)
    assert np.array_equal(generic.u, compiled.u)  # the same arithmetic in the same order
    assert compiled.stats == generic.stats


def test_compiled_ensemble_equals_the_serial_one():
    ens = g.EnsembleProblem(g.SDEProblem(drift, diffusion, X0, (0.0, 1.0), p=(MU, SIGMA)))
    serial = g.solve(ens, g.EM(), dt=1 / 50, trajectories=20, seed=8, saveat=0.25)
    threads = g.solve(ens, g.EM(), dt=1 / 50, trajectories=20, seed=8, saveat=0.25,
                      compile=True)
    assert threads.mode == "threads"
    assert np.array_equal(serial.t, threads.t)
    assert np.array_equal(serial.u, threads.u)
    one = g.solve(ens.prob, g.EM(), dt=1 / 50, saveat=0.25, seed=(8, 7))
    assert np.array_equal(one.u, threads.u[7])  # trajectory 7 alone, from its own seed
    first = g.solve(ens.prob, g.EM(), dt=1 / 50, saveat=0.25, seed=8)
    assert np.array_equal(first.u, threads.u[0])  # seed=s is stream 0 of s


@pytest.mark.parametrize("alg", [g.EM(), g.SRIW1()])
def test_compiled_ensemble_draws_the_paths_a_brownian_path_draws(alg):
    # diagonal noise of 2 components (and Z for SRIW1): the kernel draws each trajectory's
    # path inside its prange loop; it must be the BrownianPath of seed (3, i), bit for bit
    prob = g.SDEProblem(drift, diffusion, np.full(2, X0), (0.0, 1.0), p=(MU, SIGMA))
    threads = g.solve(g.EnsembleProblem(prob), alg, dt=1 / 20, adaptive=False, trajectories=5,
                      seed=3, saveat=0.5, compile=True)
    for i in range(5):
        one = g.solve(prob, alg, dt=1 / 20, adaptive=False, saveat=0.5, seed=(3, i))
        assert np.array_equal(one.u, threads.u[i])


def test_compiled_ensemble_statistics_of_gbm():
    # E X_t = X0 e^{μt}, Var X_t = X0² e^{2μt}(e^{σ²t} - 1); EM's bias at dt = 1/100 is ~1%
    # of the mean and 3% of the variance at t = 1, inside the sampling error's 5 SE
    n = 20000
    ens = g.EnsembleProblem(g.SDEProblem(drift, diffusion, X0, (0.0, 1.0), p=(MU, SIGMA)))
    sol = g.solve(ens, g.EM(), dt=1 / 100, trajectories=n, seed=1, saveat=0.5, compile=True)
    t = sol.t
    mean = X0 * np.exp(MU * t)
    var = X0**2 * np.exp(2 * MU * t) * (np.exp(SIGMA**2 * t) - 1)
    assert np.all(np.abs(sol.mean() - mean) < 5 * np.sqrt(var / n) + 0.015 * mean)
    assert sol.var()[-1] == pytest.approx(var[-1], rel=0.15)  # heavy tails: var of var is large
    q = sol.quantile(0.5)[-1]  # the median of the lognormal: X0 e^{(μ - σ²/2) t}
    assert q == pytest.approx(X0 * np.exp(MU - SIGMA**2 / 2), rel=0.05)


def test_fast_path_refuses_other_types_with_a_reason():
    prob = g.SDEProblem(drift, diffusion, np.full(2, X0, dtype=np.float32), (0.0, 1.0),
                        p=(MU, SIGMA))
    with pytest.raises(FastPathError, match="float64"):
        g.solve(prob, g.EM(), dt=0.1, compile=True)
    with pytest.raises(FastPathError, match="fixed steps"):
        g.solve(PROB, g.SRIW1(), compile=True)
