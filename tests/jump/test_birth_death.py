"""Birth-death process: X(t) from X(0) = 0 is exactly Poisson(k/gamma (1 - exp(-gamma t))),
and Poisson(k/gamma) in the stationary state. Tolerances: 5 standard errors computed from the
samples (a correct simulation fails one such check with probability below 1e-6)."""

from __future__ import annotations

import numpy as np
import pytest
from jump_networks import BIRTH_DEATH_NU, birth_death, z_score

import generic as g

K, GAMMA = 10.0, 1.0
LAM = K / GAMMA


def time_averages(sol, tf: float):
    """Time averages of x and x^2 over [0, tf] of a piecewise-constant path."""
    dt = np.diff(sol.t)
    x = sol.x[:-1, 0].astype(float)
    return (x * dt).sum() / tf, (x**2 * dt).sum() / tf


@pytest.mark.parametrize("method", ["direct", "sorting"])
def test_birth_death_stationary_time_average_is_poisson(method):
    # One long run, averaged over time after a burn-in of 20 relaxation times (1/gamma); the
    # standard errors come from 40 batch means of length 500/gamma, far longer than the
    # correlation time, so the batch means are independent.
    burn, batches, length = 20.0, 40, 500.0
    sol = g.ssa([0], birth_death, BIRTH_DEATH_NU, (K, GAMMA), burn + batches * length,
                seed=7, method=method)
    assert sol.retcode == "Success" and sol.compiled
    means, squares = [], []
    for b in range(batches):
        start = burn + b * length
        grid = np.linspace(start, start + length, 4001)
        x = sol(grid)[:, 0].astype(float)
        means.append(x.mean())
        squares.append((x**2).mean())
    means, squares = np.array(means), np.array(squares)
    variances = squares - means**2
    assert z_score(means.mean(), means.std(ddof=1) / np.sqrt(batches), LAM) < 5
    assert z_score(variances.mean(), variances.std(ddof=1) / np.sqrt(batches), LAM) < 5


@pytest.mark.parametrize("method", ["direct", "sorting"])
@pytest.mark.parametrize("t", [0.5, 20.0])
def test_birth_death_ensemble_is_poisson_at_every_time(method, t):
    n = 4000
    ens = g.ssa([0], birth_death, BIRTH_DEATH_NU, (K, GAMMA), t, seed=11, trajectories=n,
                method=method)
    assert ens.success and ens.x.shape == (n, 2, 1)
    lam = LAM * (1 - np.exp(-GAMMA * t))
    # Poisson: variance lam; the sample variance's variance is (mu4 - sigma^4 (n-3)/(n-1))/n
    # with mu4 = lam + 3 lam^2.
    assert z_score(ens.mean()[-1, 0], np.sqrt(lam / n), lam) < 5
    se_var = np.sqrt((lam + 3 * lam**2 - lam**2 * (n - 3) / (n - 1)) / n)
    assert z_score(ens.var()[-1, 0], se_var, lam) < 5
    assert np.array_equal(ens.x[:, 0, 0], np.zeros(n))


def test_pure_decay_is_binomial_and_its_first_event_exponential():
    # k = 0: X -> 0 at rate c x from n: X(t) ~ Binomial(n, exp(-c t)); the first event time is
    # Exp(n c); the extinction time is the max of n Exp(c), with mean H_n / c.
    n0, c, runs = 20, 0.5, 2000
    grid = np.array([0.0, 0.5, 2.0])
    ens = g.ssa([n0], birth_death, BIRTH_DEATH_NU, (0.0, c), 2.0, seed=3, trajectories=runs,
                saveat=grid)
    assert np.all(ens.x[:, 0, 0] == n0)
    q = np.exp(-c * grid[1:])
    assert np.all(z_score(ens.mean()[1:, 0], np.sqrt(n0 * q * (1 - q) / runs), n0 * q) < 5)
    firsts, ends = [], []
    for seed in range(400):
        sol = g.ssa([n0], birth_death, BIRTH_DEATH_NU, (0.0, c), 1e3, seed=seed)
        assert sol.stats.events == n0 and sol.x[-1, 0] == 0
        assert np.all(np.diff(sol.x[:, 0])[:-1] == -1)
        firsts.append(sol.t[1])
        ends.append(sol.t[-2])
    rate = n0 * c  # the first event: mean and standard deviation 1/rate
    assert z_score(np.mean(firsts), 1 / rate / np.sqrt(400), 1 / rate) < 5
    harmonic = sum(1 / k for k in range(1, n0 + 1))
    var_end = sum(1 / k**2 for k in range(1, n0 + 1)) / c**2  # sum of the Exp(k c) gaps
    assert z_score(np.mean(ends), np.sqrt(var_end / 400), harmonic / c) < 5
    from scipy.stats import kstest
    # exact Exp(rate) law of the first event: a p-value below 1e-4 would reject it
    assert kstest(firsts, "expon", args=(0, 1 / rate)).pvalue > 1e-4
