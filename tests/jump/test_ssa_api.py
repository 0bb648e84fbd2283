"""g.ssa's contract: results, seeds, the two paths, saveat, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jump_networks import BIRTH_DEATH_NU, SIR_NU, SIR_P, SIR_X0, birth_death, sir

import generic as g


def test_a_run_holds_event_times_states_and_counts():
    sol = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 250.0, seed=1)
    n = sol.stats.events
    assert sol.retcode == "Success" and sol.compiled
    assert sol.t.shape == (n + 2,) and sol.x.shape == (n + 2, 3)
    assert sol.t[0] == 0 and sol.t[-1] == 250.0 and np.all(np.diff(sol.t) > 0)
    assert np.array_equal(sol.x[0], SIR_X0) and np.array_equal(sol.x[-1], sol.x[-2])
    steps = np.diff(sol.x[:-1], axis=0)  # every event is one row of the stoichiometry
    assert np.all((steps == SIR_NU[0]).all(axis=1) | (steps == SIR_NU[1]).all(axis=1))
    assert sol.u is sol.x


def test_sol_is_the_right_continuous_step_function():
    sol = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 50.0, seed=2)
    assert np.array_equal(sol(sol.t[1:-1]), sol.x[1:-1])  # at an event: the state after it
    middle = (sol.t[1:] + sol.t[:-1]) / 2
    assert np.array_equal(sol(middle), sol.x[:-1])
    assert np.array_equal(sol(0.0), SIR_X0) and np.array_equal(sol(50.0), sol.x[-1])
    with pytest.raises(ValueError, match="t must lie in"):
        sol(51.0)


def test_saveat_saves_the_same_path_on_a_grid():
    full = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=3)
    grid = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=3, saveat=7.0)
    assert np.allclose(grid.t, np.append(np.arange(0.0, 100.0, 7.0), 100.0))
    assert np.array_equal(grid.x, full(grid.t))
    assert grid.stats.events == full.stats.events
    times = [0.0, 12.5, 12.5, 99.0]
    assert np.array_equal(g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=3, saveat=times).x,
                          full(times))


@pytest.mark.parametrize("method", ["direct", "sorting"])
def test_the_python_path_draws_the_same_run(method):
    compiled = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 30.0, seed=4, method=method)
    python = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 30.0, seed=4, method=method, compile=False)
    assert compiled.compiled and not python.compiled
    assert np.array_equal(compiled.t, python.t) and np.array_equal(compiled.x, python.x)
    ens = g.ssa([5], birth_death, BIRTH_DEATH_NU, (3.0, 1.0), 2.0, seed=9, trajectories=6,
                saveat=0.5, method=method)
    ens_python = g.ssa([5], birth_death, BIRTH_DEATH_NU, (3.0, 1.0), 2.0, seed=9,
                       trajectories=6, saveat=0.5, method=method, compile=False)
    assert np.array_equal(ens.x, ens_python.x) and np.array_equal(ens.events, ens_python.events)


def test_seeds_reproduce_runs_and_ensembles_are_single_runs():
    a = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=10)
    b = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=10)
    c = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=11)
    assert np.array_equal(a.t, b.t) and not np.array_equal(a.t[:5], c.t[:5])
    unseeded = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0)
    again = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=unseeded.seed)
    assert np.array_equal(unseeded.t, again.t)
    grid = np.linspace(0, 100.0, 11)
    ens = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=10, trajectories=5, saveat=grid)
    assert np.array_equal(ens[0].x, a(grid)) and ens[0].stats.events == a.stats.events
    more = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 100.0, seed=10, trajectories=8, saveat=grid)
    assert np.array_equal(more.x[:5], ens.x)  # run i depends on (seed, i) only
    assert len({tuple(run.x[-1]) for run in more}) > 1


def test_ensemble_statistics_and_default_grid():
    ens = g.ssa([0], birth_death, BIRTH_DEATH_NU, (4.0, 1.0), 3.0, seed=1, trajectories=50)
    assert np.array_equal(ens.t, [0.0, 3.0]) and ens.x.shape == (50, 2, 1)
    assert np.allclose(ens.mean(), ens.x.mean(axis=0))
    assert np.allclose(ens.var(), ens.x.var(axis=0, ddof=1))
    assert np.array_equal(ens.quantile(0.5), np.quantile(ens.x, 0.5, axis=0))
    assert "50 runs" in repr(ens) and ens[-1].run == 49


def test_an_absorbing_state_ends_without_events():
    sol = g.ssa([0, 0, 5], sir, SIR_NU, SIR_P, 10.0, seed=1)
    assert sol.stats.events == 0 and np.array_equal(sol.t, [0.0, 10.0])
    assert np.array_equal(sol.x, [[0, 0, 5], [0, 0, 5]]) and sol.retcode == "Success"


def test_maxiters_is_a_retcode():
    sol = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 250.0, seed=1, maxiters=10)
    assert sol.retcode == "MaxIters" and sol.stats.events == 10 and len(sol.t) == 11
    assert "maxiters" in sol.message
    ens = g.ssa(SIR_X0, sir, SIR_NU, SIR_P, 250.0, seed=1, maxiters=10, trajectories=3,
                saveat=[0.0, 250.0])
    assert not ens.success and len(ens.failures) == 3 and np.all(ens.x[:, -1] == -1)
    with pytest.raises(ValueError, match="no run"):
        ens.mean()


def test_propensities_that_do_not_compile_fall_back_with_a_warning():
    def rates(x, p):
        return [p["k"], p["g"] * float(x[0])]  # a dict p: Numba cannot type it

    with pytest.warns(g.SSACompileWarning, match="do not compile"):
        sol = g.ssa([0], rates, BIRTH_DEATH_NU, {"k": 2.0, "g": 1.0}, 1.0, seed=1)
    assert not sol.compiled and sol.retcode == "Success"
    with pytest.raises(g.SSACompileError, match="compile=None"):
        g.ssa([0], rates, BIRTH_DEATH_NU, {"k": 2.0, "g": 1.0}, 1.0, seed=1, compile=True)


def negative(x, p):
    return p[0], -p[1] * x[0]


def wrong_length(x, p):
    return p[0], p[1], 0.0


@pytest.mark.parametrize("compile", [None, False])
def test_bad_propensities_raise_naming_the_problem(compile):
    with pytest.raises(ValueError, match="propensity 1 is -1.0"):
        g.ssa([1], negative, BIRTH_DEATH_NU, (1.0, 1.0), 1.0, seed=1, compile=compile)
    with pytest.raises(ValueError, match="3 rates for 2 reactions"):
        g.ssa([1], wrong_length, BIRTH_DEATH_NU, (1.0, 1.0), 1.0, seed=1, compile=compile)
    with pytest.raises(ValueError, match="propensity 1 is -1.0"):
        g.ssa([1], negative, BIRTH_DEATH_NU, (1.0, 1.0), 1.0, seed=1, compile=compile,
              trajectories=2)
    with pytest.raises(ValueError, match="propensity 0 is nan"):
        g.ssa([1], lambda x, p: (np.nan, 1.0), BIRTH_DEATH_NU, (1.0, 1.0), 1.0,
              compile=compile)


@pytest.mark.parametrize("arguments, match", [
    (dict(x0=[[1]]), "x0 must be a 1-d array"),
    (dict(x0=[1.5]), "whole numbers"),
    (dict(x0=[-1]), "cannot be negative"),
    (dict(stoichiometry=[1, -1]), "stoichiometry must be a 2-d array"),
    (dict(stoichiometry=[[1, 0], [-1, 0]]), "one column per species"),
    (dict(tf=-1.0), "tf must be a positive"),
    (dict(saveat=[0.5, 0.2]), "saveat must be"),
    (dict(saveat=[0.0, 2.0]), "saveat must be"),
    (dict(saveat=0.0), "spacing must be positive"),
    (dict(method="next"), "method must be one of"),
    (dict(seed=-1), "seed must be"),
    (dict(trajectories=0), "trajectories must be"),
])
def test_bad_arguments_raise_naming_the_problem(arguments, match):
    options = dict(x0=[1], propensities=birth_death, stoichiometry=BIRTH_DEATH_NU,
                   p=(1.0, 1.0), tf=1.0)
    options.update(arguments)
    with pytest.raises(ValueError, match=match):
        g.ssa(**options)


def test_time_dependent_propensities_are_refused():
    with pytest.raises(TypeError, match=r"take \(x, p\)"):
        g.ssa([1], lambda x, p, t: (1.0, 1.0), BIRTH_DEATH_NU, (1.0, 1.0), 1.0)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), infected=st.integers(0, 50),
       beta=st.floats(1e-5, 1e-2), gamma=st.floats(1e-3, 1.0),
       method=st.sampled_from(["direct", "sorting"]))
def test_sir_runs_conserve_the_population_and_stay_non_negative(seed, infected, beta, gamma,
                                                                 method):
    x0 = np.array([200, infected, 0])
    sol = g.ssa(x0, sir, SIR_NU, (beta, gamma), 100.0, seed=seed, method=method)
    assert np.all(sol.x.sum(axis=1) == 200 + infected) and np.all(sol.x >= 0)
    assert np.all(np.diff(sol.t) >= 0) and sol.t[-1] == 100.0
