"""``g.solve(dde_prob, alg, ...)``: a delay equation solved by the method of steps on an ODE
integrator (registered with :func:`generic.ode.solve.register_solver`)."""

from __future__ import annotations

import numpy as np

from ..functions import value
from ..ode.algorithms import Algorithm
from ..ode.problem import ODEProblem
from ..ode.progress import progress_bar, progress_callback
from ..ode.solution import ODESolution
from ..ode.solve import init, register_solver
from .discontinuities import discontinuities
from .history import History
from .method_of_steps import MethodOfSteps
from .problem import DDEProblem

__all__ = ["solve_dde"]


def solve_dde(prob: DDEProblem, alg, *, compile=None, ensemble=None, trajectories=None,
              progress=False, tstops=(), callback=None, saveat=None, dense=None,
              max_fixed_point_iterations: int = 10, **options) -> ODESolution:
    """Solve ``prob`` with the ODE algorithm ``alg`` (any method of ``g.solve``; the explicit
    ones are tested: Tsit5, DP5, BS3, Vern7, Vern9, RK4 with ``dt=``, ...).

    Options are those of ``g.solve`` (rtol, atol, dt, adaptive, saveat, tstops, callback,
    maxiters, dtmin, dtmax, save_everystep, dense, progress), plus
    ``max_fixed_point_iterations`` for steps longer than the smallest lag. The solver steps onto
    the points where the solution's derivatives jump (see :mod:`.discontinuities`) and reads the
    history after ``t0`` from the method's own dense output (for a method without one, the
    Hermite polynomial through the step's and its neighbours' ends: :mod:`.hermite`). Returns
    an :class:`~generic.ode.ODESolution` whose ``sol(t)`` is that dense output
    (``dense=False`` or a ``saveat`` solve drop it from the result; the solve itself always
    keeps it, as its history).
    """
    if compile:
        raise ValueError("solve(..., compile=True): delay equations run on the generic path "
                         "only (the history is read through Python objects); drop compile=")
    if ensemble is not None or trajectories is not None:
        raise TypeError("ensemble= and trajectories= are not supported for a DDEProblem: "
                        "solve the problems one by one")
    if isinstance(alg, type):
        raise TypeError(f"pass an algorithm instance: {alg.__name__}(), not {alg.__name__}")
    if not isinstance(alg, Algorithm):
        raise TypeError(f"{alg!r} is not an ODE algorithm (g.Tsit5(), g.Vern9(), ...)")
    t0, tf = prob.tspan
    breaks = discontinuities(t0, tf, prob.lags, alg.order)
    history = History(prob.history, t0, prob.u0, frozenset(float(value(t)) for t in breaks))
    f = prob.f

    def rhs(u, p, t):
        return f(u, history, p, t)

    stepper = MethodOfSteps(alg, history, min(float(value(lag)) for lag in prob.lags),
                            max_fixed_point_iterations, _jump_arrivals(prob))
    stops = list(tstops) + breaks
    callbacks = [] if callback is None else \
        list(callback) if isinstance(callback, (list, tuple)) else [callback]
    bar = progress_bar(float(value(tf)) - float(value(t0)), "t", progress)
    if bar is not None:
        callbacks.append(progress_callback(bar, float(value(t0)), float(value(tf))))
    try:
        integrator = init(ODEProblem(rhs, prob.u0, prob.tspan, prob.p), stepper, tstops=stops,
                          callback=callbacks or None, saveat=saveat, dense=True, **options)
        history.attach(integrator, alg, inner=alg.dense_order + 1 < alg.order)
        while integrator.step():
            pass
    finally:
        if bar is not None:
            bar.close()
    keep_dense = (saveat is None) if dense is None else dense
    return ODESolution(prob, alg, integrator.ts, integrator.us,
                       history.dense_output() if keep_dense else [], integrator.retcode,
                       integrator.message, integrator.stats)


register_solver(DDEProblem, solve_dde)


def _jump_arrivals(prob: DDEProblem) -> frozenset:
    """The times ``t0 + τ`` (floats) where a jump of the state at ``t0`` arrives (none if
    ``u0`` is ``history(p, t0)``)."""
    t0 = prob.tspan[0]
    jump = np.asarray(value(prob.u0)) != np.asarray(value(prob.history(prob.p, t0)))
    if not np.any(jump):
        return frozenset()
    return frozenset(float(value(t0 + lag)) for lag in prob.lags)
