"""Compiled ensembles of the stiff methods (Rosenbrock23, Rodas5, ImplicitEuler, TRBDF2).

A stiff solve writes into its method's data (the Jacobian, ``W``'s factors, the Newton rates):
in the threaded ensemble each trajectory gets its own copy of those buffers
(``generic/ode/fast/trajectory.py``, ``trajectory_tab``). Were they shared, the threads would
overwrite each other's Jacobians mid-step and the trajectories' steps would change. Asserted:
the threads give each trajectory the bits of its own compiled solve (``EnsembleSerial`` with
``compile=True``: one ``g.solve`` after another), with equal step counts; and the ensemble is
within tolerance of SciPy's LSODA for every parameter set.
"""

from __future__ import annotations

import numpy as np
import pytest
from stiff_problems import robertson, robertson_jac

import generic as g

scipy_integrate = pytest.importorskip("scipy.integrate")

RNG = np.random.default_rng(7)
# 12 sets of Robertson's rates: k1 in [0.02, 0.08], k2 = 3e7, k3 in [5e3, 2e4]
RATES = np.column_stack([RNG.uniform(0.02, 0.08, 12), np.full(12, 3e7),
                         RNG.uniform(5e3, 2e4, 12)])
PROB = g.ODEProblem(robertson, np.array([1.0, 0.0, 0.0]), (0.0, 100.0), RATES[0])
TIMES = np.array([0.0, 1.0, 10.0, 100.0])
METHODS = {"Rosenbrock23": g.Rosenbrock23, "Rodas5": g.Rodas5, "ImplicitEuler": g.ImplicitEuler,
           "TRBDF2": g.TRBDF2}


@pytest.mark.parametrize("method", list(METHODS))
def test_threads_give_each_trajectory_its_own_solve(method):
    ens = g.EnsembleProblem(PROB, ps=RATES)
    options = dict(rtol=1e-5, atol=1e-10, saveat=TIMES)
    threads = g.solve(ens, METHODS[method](), ensemble=g.EnsembleThreads(), **options)
    one_by_one = g.solve(ens, METHODS[method](), ensemble=g.EnsembleSerial(), compile=True,
                         **options)
    assert threads.mode == "threads"
    assert threads.retcodes == ["Success"] * len(RATES)
    np.testing.assert_array_equal(threads.u, one_by_one.u)
    assert [s.stats for s in threads] == [s.stats for s in one_by_one]


def test_ensemble_against_lsoda():
    """TRBDF2 at rtol 1e-7, atol 1e-12 against LSODA at rtol 1e-12 for every rate set: y1 and
    y3 within 1e-4 relative, y2 (~1e-5) within 1e-3 (a stiff solve's global error is ~10-100
    rtol; the same bound as a single solve, so the trajectories did not disturb each other)."""
    ens = g.EnsembleProblem(PROB, ps=RATES)
    sol = g.solve(ens, g.TRBDF2(jac=robertson_jac), rtol=1e-7, atol=1e-12, saveat=TIMES)
    assert sol.mode == "threads"
    for i, k in enumerate(RATES):
        ref = scipy_integrate.solve_ivp(lambda t, u, k=k: robertson(u, k, t), (0.0, 100.0),
                                        [1.0, 0.0, 0.0], method="LSODA", rtol=1e-12,
                                        atol=1e-16, t_eval=TIMES[1:],
                                        jac=lambda t, u, k=k: robertson_jac(u, k, t))
        error = np.abs(sol.u[i, 1:] - ref.y.T) / np.abs(ref.y.T)
        assert np.max(error[:, [0, 2]]) < 1e-4, (i, error)
        assert np.max(error[:, 1]) < 1e-3, (i, error)
