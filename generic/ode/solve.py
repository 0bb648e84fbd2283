"""``g.solve`` and ``g.init``: the entry points of the ODE solvers."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from .algorithms import Algorithm
from .ensemble.modes import EnsembleAlgorithm
from .ensemble.problem import EnsembleProblem
from .ensemble.solution import EnsembleSolution
from .integrator import Integrator
from .problem import ODEProblem
from .solution import ODESolution

__all__ = ["solve", "init", "register_solver"]

_SOLVERS: dict[type, Callable] = {}


def register_solver(problem_type: type, solver: Callable) -> None:
    """Route ``g.solve(prob, alg, **options)`` for a ``problem_type`` problem (an SDE, DDE or jump
    problem, defined beside the ODEs) to ``solver(prob, alg, **options)``; ``options`` are all
    of :func:`solve`'s keywords, including those only that problem type knows (``seed=``)."""
    _SOLVERS[problem_type] = solver


def init(prob: ODEProblem, alg, *, rtol=1e-3, atol=1e-6, dt=None, adaptive: bool = True,
         saveat=None, tstops=(), callback=None, maxiters: int = 10**5, dtmin=None, dtmax=None,
         save_everystep: bool | None = None, dense: bool | None = None) -> Integrator:
    """An integrator for ``prob`` with algorithm ``alg``, to step by hand (``integ.step()``)
    or run (``integ.solve()``). Options as :func:`solve`."""
    if not isinstance(prob, ODEProblem):
        raise TypeError(f"solve/init take an ODEProblem, got {type(prob).__qualname__}")
    if isinstance(alg, type):
        raise TypeError(f"pass an algorithm instance: {alg.__name__}(), not {alg.__name__}")
    if not isinstance(alg, Algorithm):
        raise TypeError(f"{alg!r} is not an ODE algorithm (g.Tsit5(), g.Vern9(), ...)")
    return Integrator(prob, alg, rtol=rtol, atol=atol, dt=dt, adaptive=adaptive, saveat=saveat,
                      tstops=tstops, callback=callback, maxiters=maxiters, dtmin=dtmin,
                      dtmax=dtmax, save_everystep=save_everystep, dense=dense)


def solve(prob: ODEProblem | EnsembleProblem, alg, *, rtol=1e-3, atol=1e-6, dt=None,
          adaptive: bool = True, saveat=None, tstops=(), callback=None, maxiters: int = 10**5,
          dtmin=None, dtmax=None, save_everystep: bool | None = None, dense: bool | None = None,
          compile: bool | None = None, ensemble: EnsembleAlgorithm | None = None,
          trajectories: int | None = None, progress=False,
          **method_options) -> ODESolution | EnsembleSolution:
    """Solve ``prob`` with ``alg`` (e.g. ``g.Tsit5()``).

    rtol, atol: relative and absolute tolerances (scalars or arrays shaped like u0) of the
    adaptive step control. dt: the first step (the fixed step when ``adaptive=False`` or for a
    method without error estimate). saveat: times to save at (an array) or a spacing (a
    number); then only those are saved and there is no dense output unless ``dense=True``.
    save_everystep: save every step (default: when there is no ``saveat``); False without
    ``saveat`` saves the two ends.
    tstops: times to step onto exactly. callback: a ContinuousCallback, a DiscreteCallback or a
    list of them. maxiters: most steps (accepted and rejected). dtmin/dtmax: bounds of the step
    size. compile: None (default) runs a float64 problem the fast path can take compiled (the
    same stepping source compiled by Numba; the right-hand side and callbacks are compiled for
    you; one ``FastPathWarning`` and the generic path if they do not compile), anything else on
    the generic path; True forces the fast path (a problem it cannot take raises
    ``FastPathError`` naming why); False forces the generic path (docs/fast-path.md).
    progress: True (or a dict of tqdm options) shows a progress bar over time (over
    trajectories for an ensemble); not shown for a single compiled solve.

    An :class:`~.ensemble.EnsembleProblem` is solved for ``trajectories`` trajectories the way
    ``ensemble`` says (``g.EnsembleSerial()``, ``g.EnsembleThreads()``,
    ``g.EnsembleBatched()``, ``g.EnsembleDask()``; default threads with ``compile=True``, else
    serial), saving on ``saveat`` (by default the two ends of ``tspan``); the result is an
    :class:`~.ensemble.EnsembleSolution`.

    Other problem types (SDEs, DDEs) take their own options too (``seed=``): see
    :func:`register_solver`.

    Returns an :class:`~.solution.ODESolution`; a failure is a retcode, not an exception.
    """
    options = dict(rtol=rtol, atol=atol, dt=dt, adaptive=adaptive, saveat=saveat,
                   tstops=tstops, callback=callback, maxiters=maxiters, dtmin=dtmin,
                   dtmax=dtmax, save_everystep=save_everystep, dense=dense, **method_options)
    for problem_type in type(prob).__mro__:
        if problem_type in _SOLVERS:
            return _SOLVERS[problem_type](prob, alg, compile=compile, ensemble=ensemble,
                                          trajectories=trajectories, progress=progress,
                                          **options)
    if isinstance(prob, EnsembleProblem):
        from .ensemble.solve import solve_ensemble
        return solve_ensemble(prob, alg, ensemble, trajectories, progress, options, compile)
    if method_options:
        raise TypeError(f"solve: unknown option(s) {sorted(method_options)} for an "
                        f"{type(prob).__name__}")
    if ensemble is not None or trajectories is not None:
        raise TypeError("ensemble= and trajectories= are options of an EnsembleProblem: wrap "
                        "the problem in g.EnsembleProblem(prob, ...)")
    if compile is None and isinstance(prob, ODEProblem):
        automatic = _automatic()
        if automatic.choose_compiled(prob, alg, options, progress):
            return automatic.solve_automatic(prob, alg, options,
                                             lambda: init(prob, alg, **options).solve())
    if compile:
        if not isinstance(prob, ODEProblem):
            raise TypeError(f"solve takes an ODEProblem, got {type(prob).__qualname__}")
        from .fast import FastPathError, fast_path_refusal, solve_compiled
        refusal = fast_path_refusal(prob, alg, options)
        if refusal is not None:
            raise FastPathError(f"solve(..., compile=True) cannot take this problem: {refusal}; "
                                f"pass compile=False for the generic path")
        return solve_compiled(prob, alg, options)
    if progress:
        return _solve_with_progress(prob, alg, options, progress)
    return init(prob, alg, **options).solve()


@cache
def _automatic():
    """The fast path's automatic choice (imported on first use, once: it imports Numba)."""
    from .fast import automatic
    return automatic


def _solve_with_progress(prob: ODEProblem, alg, options: dict, progress) -> ODESolution:
    from ..functions import value
    from .progress import progress_bar, progress_callback

    t0, tf = (float(value(t)) for t in prob.tspan)
    bar = progress_bar(abs(tf - t0), "t", progress)
    callback = options["callback"]
    callbacks = [] if callback is None else \
        list(callback) if isinstance(callback, (list, tuple)) else [callback]
    try:
        return init(prob, alg, **dict(options, callback=[
            *callbacks, progress_callback(bar, t0, tf)])).solve()
    finally:
        bar.close()
