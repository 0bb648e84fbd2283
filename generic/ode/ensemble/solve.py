"""``g.solve`` on an :class:`~.problem.EnsembleProblem`."""

from __future__ import annotations

import warnings

from .modes import (
    EnsembleAlgorithm,
    EnsembleBatched,
    EnsembleDask,
    EnsembleSerial,
    EnsembleThreads,
)
from .problem import EnsembleProblem, NotBatchable, ensemble_solver_for
from .solution import EnsembleSolution

__all__ = ["solve_ensemble", "solve_trajectories"]


def solve_ensemble(ens: EnsembleProblem, alg, ensemble: EnsembleAlgorithm | None,
                   trajectories: int | None, progress, options: dict,
                   compile: bool | None) -> EnsembleSolution:
    """Run ``ens`` with ``alg`` the way ``ensemble`` says (default: threads when
    ``compile=True``; serial when ``compile=False``; with ``compile=None``, threads for a
    float64 ensemble they can take, else serial); ``options`` are
    :func:`~generic.ode.solve.solve`'s."""
    from ..progress import progress_bar

    solver = ensemble_solver_for(ens.prob)
    if solver is not None:  # another problem type's own ensembles (SDEs)
        return solver(ens, alg, ensemble, trajectories, progress, options, compile)
    n = ens.trajectories(trajectories)
    if ensemble is None and compile is None:
        return _solve_automatic(ens, alg, n, progress, options)
    if ensemble is None:
        ensemble = EnsembleThreads() if compile else EnsembleSerial()
    if isinstance(ensemble, type):
        raise TypeError(f"pass an ensemble algorithm instance: {ensemble.__name__}()")
    if not isinstance(ensemble, EnsembleAlgorithm):
        raise TypeError(f"ensemble={ensemble!r} is not an ensemble algorithm (g.EnsembleSerial()"
                        f", g.EnsembleThreads(), g.EnsembleBatched(), g.EnsembleDask())")
    if isinstance(ensemble, EnsembleThreads):
        if compile is False:
            raise ValueError("EnsembleThreads runs compiled: drop compile=False, or use "
                             "g.EnsembleSerial() for the generic path")
        from ..fast.ensemble_driver import solve_ensemble_compiled
        bar = progress_bar(n, "trajectories", progress)
        try:
            return solve_ensemble_compiled(ens, alg, n, options, bar)
        finally:
            if bar is not None:
                bar.close()
    if isinstance(ensemble, EnsembleBatched):
        if compile:
            raise ValueError("EnsembleBatched runs on the generic path (array operations on "
                             "the whole batch): drop compile=True")
        from .batched import solve_batched
        return solve_batched(ens, alg, n, options, ensemble.xp, progress)
    if isinstance(ensemble, EnsembleDask):
        from .distributed import solve_dask
        return solve_dask(ens, alg, n, options, compile, ensemble, progress)
    bar = progress_bar(n, "trajectories", progress)
    try:
        results = solve_trajectories(ens, alg, range(n), options, compile, bar)
    finally:
        if bar is not None:
            bar.close()
    return gathered(ens, alg, results, "serial")


def _solve_automatic(ens: EnsembleProblem, alg, n: int, progress, options: dict):
    """``compile=None``: the compiled threads for a float64 ensemble they can take (one
    ``FastPathWarning`` and the serial generic path should its functions not compile);
    else the trajectories one after another, each on the path ``compile=None`` picks for it
    (an ``output_func``, a ``prob_func`` that changes ``f`` or ``tspan``)."""
    from ..fast.automatic import FastPathWarning, choose_compiled

    threads = ens.output_func is None and choose_compiled(ens.prob, alg, options, False)
    compile = None
    if threads:
        from ..fast import FastPathError
        try:
            return solve_ensemble(ens, alg, EnsembleThreads(), n, progress, options, None)
        except NotBatchable:
            pass
        except FastPathError as error:
            warnings.warn(f"{error}. Solving the trajectories serially on the generic path "
                          f"instead (compile=False skips the attempt and this warning).",
                          FastPathWarning, stacklevel=4)
            compile = False
    return solve_ensemble(ens, alg, EnsembleSerial(), n, progress, options, compile)


def ensemble_options(ens: EnsembleProblem, options: dict) -> dict:
    """The options of each trajectory's solve: saved on a grid (``saveat``, by default the two
    ends of ``tspan``) unless every step is asked for."""
    o = dict(options)
    if o.get("saveat") is None and not o.get("save_everystep"):
        o["saveat"] = list(ens.prob.tspan)
    return o


def solve_trajectories(ens: EnsembleProblem, alg, indices, options: dict, compile,
                       bar=None) -> list:
    """Solve the trajectories ``indices`` one after another: a list of (solution or None,
    output, (retcode, message) of an exception or None)."""
    from ..solve import solve

    o = ensemble_options(ens, options)
    results = []
    for i in indices:
        try:
            sol = solve(ens.problem(i), alg, compile=compile, **o)
        except Exception as error:  # noqa: BLE001 - kept as the trajectory's retcode
            results.append((None, None, ("Error", f"{type(error).__name__}: {error}"), error))
        else:
            output = ens.output_func(sol, i) if ens.output_func is not None else None
            results.append((sol, output, None, None))
        if bar is not None:
            bar.update(1)
    return results


def gathered(ens: EnsembleProblem, alg, results: list, mode: str) -> EnsembleSolution:
    """The trajectories' results as an :class:`EnsembleSolution`; an exception raised by every
    trajectory is raised (a bug in ``f``, not a failing trajectory)."""
    if results and all(r[0] is None for r in results):
        raise results[0][3]
    solutions, outputs = [], []
    for sol, output, error, _ in results:
        solutions.append(sol if sol is not None else _failed(ens, alg, *error))
        outputs.append(output)
    return EnsembleSolution.from_solutions(
        solutions, outputs if ens.output_func is not None else None, alg=alg, mode=mode)


def _failed(ens, alg, retcode: str, message: str):
    from ..solution import ODESolution, Stats
    return ODESolution(ens.prob, alg, [], [], [], retcode, message, Stats())
