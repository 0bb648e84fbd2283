"""The SIR model of Gillespie.jl's README against independent references: the exact final-size
distribution (a dynamic program over the embedded jump chain) and a plain-NumPy direct-method
simulation written here. Tolerances: 5 standard errors computed from the samples."""

from __future__ import annotations

import numpy as np
from jump_networks import SIR_NU, SIR_P, SIR_X0, sir, z_score

import generic as g


def exact_final_size_distribution(n: int, beta: float, gamma: float) -> np.ndarray:
    """P(S_final = s) for s = 0..n-1 from (S, I) = (n-1, 1). The final size depends only on
    the embedded chain: from (S, I), I > 0, infection (S-1, I+1) with probability
    beta S / (beta S + gamma), else recovery (S, I-1). Row S receives mass from row S+1 by
    infection; within the row, recoveries give P[I] = inflow[I] + r P[I+1], r the recovery
    probability (a first-order recurrence, solved by a linear filter); P[0] is absorbed."""
    from scipy.signal import lfilter
    absorbed = np.zeros(n)
    inflow = np.zeros(n + 2)
    inflow[1] = 1.0
    for s in range(n - 1, -1, -1):
        r = gamma / (beta * s + gamma)
        row = lfilter([1.0], [1.0, -r], inflow[::-1])[::-1]
        absorbed[s] = row[0]
        inflow = np.zeros(n + 2)
        inflow[2:] = (1 - r) * row[1:-1]
    return absorbed


def numpy_sir_ensemble(runs: int, tf: float, seed: int) -> np.ndarray:
    """(runs, 3) states at tf by the direct method, all runs stepped together in NumPy."""
    rng = np.random.default_rng(seed)
    beta, gamma = SIR_P
    x = np.tile(SIR_X0, (runs, 1))
    t = np.zeros(runs)
    active = np.ones(runs, dtype=bool)
    while active.any():
        s, i = x[active, 0], x[active, 1]
        infect, recover = beta * s * i, gamma * i
        total = infect + recover
        with np.errstate(divide="ignore"):
            t_next = t[active] + rng.exponential(1.0, active.sum()) / total
        fires = t_next <= tf
        infection = rng.random(active.sum()) * total < infect
        index = np.flatnonzero(active)
        t[index] = t_next
        x[index[fires & infection]] += SIR_NU[0]
        x[index[fires & ~infection]] += SIR_NU[1]
        active[index[~fires]] = False
    return x


def test_sir_mean_final_size_matches_the_exact_distribution():
    p_final = exact_final_size_distribution(1000, *SIR_P)
    assert abs(p_final.sum() - 1) < 1e-9
    size = 1000 - np.arange(1000)  # ever infected when S ends at s
    exact_mean = (p_final * size).sum()
    exact_minor = p_final[size <= 50].sum()  # the epidemic dies out early
    runs = 2000
    ens = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 1e5, seed=2024, trajectories=runs)
    assert ens.success and np.all(ens.x[:, -1, 1] == 0)  # over by t = 1e5
    final = ens.x[:, -1, 2].astype(float)
    assert z_score(final.mean(), final.std(ddof=1) / np.sqrt(runs), exact_mean) < 5
    minor = np.mean(final <= 50)
    assert z_score(minor, np.sqrt(exact_minor * (1 - exact_minor) / runs), exact_minor) < 5


def test_sir_mean_at_tf_matches_a_numpy_simulation():
    runs, tf = 2000, 250.0
    ours = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, tf, seed=5, trajectories=runs, method="sorting")
    ref = numpy_sir_ensemble(runs, tf, seed=6)
    x = ours.x[:, -1, :].astype(float)
    assert np.all(x.sum(axis=1) == 1000)
    for species in range(3):
        z = z_score(x[:, species].mean(), x[:, species].std(ddof=1) / np.sqrt(runs),
                    ref[:, species].mean(), ref[:, species].std(ddof=1) / np.sqrt(runs))
        assert z < 5, (species, x[:, species].mean(), ref[:, species].mean())
