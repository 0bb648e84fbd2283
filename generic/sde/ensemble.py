"""Ensembles of SDE trajectories: ``g.solve(g.EnsembleProblem(sde_prob), alg, dt=...,
trajectories=N, seed=...)``.

Trajectory ``i`` is solved on its own Brownian path, stream ``i`` of ``seed`` in the
counter-based generator of :mod:`generic.random` (``seed=(seed, i)`` of a single solve), so
every trajectory is reproducible on its own and the same in every way of running the
ensemble: ``g.EnsembleSerial()`` (the generic path, one solve per trajectory, any number type)
or, with ``compile=True`` (default
``g.EnsembleThreads()``), fixed steps of all trajectories in one compiled call over Numba's
threads (the same step functions). Statistics: ``sol.mean()``, ``sol.var()``,
``sol.quantile(q)`` at the saved times (by default the two ends of ``tspan``; ``saveat=``).
"""

from __future__ import annotations

import numpy as np

from ..ode.ensemble.modes import EnsembleSerial, EnsembleThreads
from ..ode.ensemble.problem import register_ensemble_solver
from ..ode.ensemble.solution import EnsembleSolution
from ..ode.ensemble.solve import ensemble_options, gathered
from ..random import seed_root, stream_key
from .problem import SDEProblem
from .solution import SDEStats

__all__ = ["solve_sde_ensemble", "trajectory_seeds"]

def trajectory_seeds(seed, n: int) -> list:
    """The seeds of ``n`` trajectories: the pairs ``(root, i)``, streams ``i`` of the seed's
    root (a fresh one drawn once when ``seed`` is None, so all trajectories share it)."""
    root = _root_of(seed)
    return [(root, i) for i in range(n)]


def _root_of(seed) -> int:
    if isinstance(seed, tuple):
        raise ValueError(f"an ensemble's seed is one integer (trajectory i gets the pair "
                         f"(seed, i)), got {seed!r}")
    return seed_root(seed)


def solve_sde_ensemble(ens, alg, ensemble, trajectories, progress, options: dict, compile):
    """Run the SDE ensemble ``ens`` (see the module's docstring)."""
    n = ens.trajectories(trajectories)
    options = dict(options)
    seed = options.pop("seed", None)
    if options.get("noise") is not None:
        raise ValueError("noise= (one Brownian path) is for a single solve; an ensemble draws "
                         "one path per trajectory from seed=")
    seeds = trajectory_seeds(seed, n)  # the pairs (root, i)
    if ensemble is None:
        ensemble = EnsembleThreads() if compile else EnsembleSerial()
    o = ensemble_options(ens, options)
    if isinstance(ensemble, EnsembleThreads):
        if compile is False:
            raise ValueError("EnsembleThreads runs compiled: drop compile=False, or use "
                             "g.EnsembleSerial() for the generic path")
        return _solve_compiled(ens, alg, n, seeds, o)
    if not isinstance(ensemble, EnsembleSerial):
        raise ValueError(f"SDE ensembles run with g.EnsembleSerial() or g.EnsembleThreads() "
                         f"(compile=True), not {ensemble!r}")
    return _solve_serial(ens, alg, n, seeds, o, compile, progress)


def _solve_serial(ens, alg, n: int, seeds: list, o: dict, compile, progress):
    from ..ode.progress import progress_bar
    from .solve import solve_sde

    bar = progress_bar(n, "trajectories", progress)
    results = []
    try:
        for i in range(n):
            try:
                sol = solve_sde(ens.problem(i), alg, compile=compile, seed=seeds[i], **o)
            except Exception as error:  # noqa: BLE001 - kept as the trajectory's retcode
                results.append((None, None, ("Error", f"{type(error).__name__}: {error}"),
                                error))
            else:
                output = ens.output_func(sol, i) if ens.output_func is not None else None
                results.append((sol, output, None, None))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return gathered(ens, alg, results, "serial")


def _solve_compiled(ens, alg, n: int, seeds: list, o: dict) -> EnsembleSolution:
    from .fast import FastPathError, run_ensemble
    from .solve import checked_functions, plan

    if ens.prob_func is not None or ens.output_func is not None:
        raise FastPathError("the compiled SDE ensemble takes u0s= and ps= but not prob_func or "
                            "output_func: use ensemble=g.EnsembleSerial()")
    prob = ens.problem(0)
    the_plan = plan(prob, alg, dt=o.get("dt"), adaptive=False, saveat=o.get("saveat"),
                    tstops=o.get("tstops", ()), save_everystep=o.get("save_everystep"))
    checked_functions(prob)
    times = np.asarray(the_plan.grid, dtype=np.float64)
    slots = the_plan.save_slots()
    u0s = _rows([ens.problem(i).u0 for i in range(n)] if ens.u0s is not None
                else [prob.u0] * n, "initial values")
    p_rows = None if ens.ps is None else _rows(list(ens.ps[:n]), "parameters")
    out = np.full((n, int(slots.max()) + 1, *np.shape(prob.u0)), np.nan)
    steps = np.zeros(n, dtype=np.int64)
    keys = stream_key(np.uint64(seeds[0][0] if n else 0), np.arange(n, dtype=np.uint64))
    run_ensemble(prob, alg, u0s, p_rows, times, keys, slots, out, steps)
    return _gathered(alg, the_plan, out, steps, times)


def _gathered(alg, the_plan, out: np.ndarray, steps: np.ndarray, times: np.ndarray):
    n_steps = len(times) - 1
    nf, ng = alg.evaluations
    retcodes = ["Success" if s == n_steps else "Unstable" for s in steps]
    messages = ["" if s == n_steps else f"the state became nan or inf at t = {times[s]}"
                for s in steps]
    stats = [SDEStats(nf=nf * int(s), naccept=int(s), ng=ng * int(s)) for s in steps]
    saved_times = np.asarray([t for t, s in zip(times, the_plan.save_slots(), strict=True)
                              if s >= 0])
    return EnsembleSolution(saved_times, out, retcodes, messages, stats,
                            t_end=times[steps], u_end=out[:, -1], alg=alg, mode="threads")


def _rows(items: list, what: str) -> np.ndarray:
    from .fast import FastPathError
    try:
        rows = np.ascontiguousarray(np.asarray(items, dtype=np.float64))
    except (TypeError, ValueError) as error:
        raise FastPathError(f"the compiled SDE ensemble needs float64 {what} of one shape "
                            f"({error}); use ensemble=g.EnsembleSerial()") from None
    if rows.ndim > 2:
        raise FastPathError(f"the compiled SDE ensemble needs the {what} as numbers or 1-d "
                            f"arrays; got shape {rows.shape}")
    return rows


register_ensemble_solver(SDEProblem, solve_sde_ensemble)
