"""``g.solve`` on an :class:`~.problem.SDEProblem` (registered with ``g.solve``'s router)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..functions import eltype, pack, value
from ..ode.solution import stack_states
from ..ode.solve import register_solver
from .algorithms import SDEAlgorithm
from .brownian import BrownianPath
from .integrate import Control, run_adaptive, run_fixed
from .problem import SDEProblem
from .solution import SDESolution, SDEStats

__all__ = ["solve_sde", "Plan", "plan"]


def solve_sde(prob: SDEProblem, alg, *, compile=None, ensemble=None, trajectories=None,
              progress=False, rtol=1e-3, atol=1e-6, dt=None, adaptive=True, saveat=None,
              tstops=(), callback=None, maxiters=10**5, dtmin=None, dtmax=None,
              save_everystep=None, dense=None, seed=None, noise: BrownianPath | None = None
              ) -> SDESolution:
    """Solve ``prob`` with ``alg`` (``g.EM()``, ``g.Milstein()``, ``g.SRIW1()``) on a Brownian
    path: ``noise`` (a :class:`BrownianPath`, e.g. ``sol.W`` of an earlier solve) or a new one
    drawn from ``seed``. ``dt``: the step (required by the fixed-step methods; the first step
    of an adaptive one, default span/100). ``adaptive``: whether an adaptive method controls
    its step (with ``rtol``, ``atol``). ``saveat``: times (an array) or a spacing; without it
    every step is saved. ``compile=True``: the float64 fast path (fixed steps). Returns an
    :class:`~.solution.SDESolution`."""
    if ensemble is not None or trajectories is not None:
        raise TypeError("ensemble= and trajectories= are options of an EnsembleProblem: wrap "
                        "the problem in g.EnsembleProblem(prob)")
    if callback is not None:
        raise ValueError("callbacks are not supported by the SDE solvers yet; stop at times "
                         "with tstops= or saveat=")
    if dtmax is not None and dt is not None:
        dt = min(dt, dtmax)
    the_plan = plan(prob, alg, dt=dt, adaptive=adaptive, saveat=saveat, tstops=tstops,
                    save_everystep=save_everystep)
    path = _path(prob, alg, noise, seed)
    if not the_plan.adaptive:
        if compile:
            from .fast import solve_fixed_compiled
            return solve_fixed_compiled(prob, alg, the_plan, path)
        return _solve_fixed(prob, alg, the_plan, path)
    if compile:
        from .fast import FastPathError
        raise FastPathError(f"solve(..., compile=True) runs fixed steps only: pass "
                            f"adaptive=False with dt=..., or compile=False for adaptive "
                            f"{alg.name}")
    return _solve_adaptive(prob, alg, the_plan, path, rtol, atol, maxiters, dtmin)


@dataclass
class Plan:
    """What a solve does: fixed steps on ``grid`` (time-type values) or adaptive steps from
    ``dt`` landing on ``stops``; saving every step or at ``saveat`` (float values)."""

    adaptive: bool
    dt: float
    grid: list | None
    stops: list
    saveat: list
    save_every: bool

    def save_slots(self) -> np.ndarray:
        """For each grid point, its place among the saved states (-1: not saved)."""
        values = [float(value(t)) for t in self.grid]
        if self.save_every:
            return np.arange(len(values))
        wanted = set(self.saveat)
        saved = np.array([v in wanted for v in values])
        slots = np.cumsum(saved) - 1
        return np.where(saved, slots, -1)


def plan(prob: SDEProblem, alg, *, dt, adaptive, saveat, tstops, save_everystep) -> Plan:
    """Check ``alg`` against ``prob`` and lay out the steps and saves."""
    if isinstance(alg, type):
        raise TypeError(f"pass an algorithm instance: {alg.__name__}(), not {alg.__name__}")
    if not isinstance(alg, SDEAlgorithm):
        raise TypeError(f"{alg!r} is not an SDE algorithm (g.EM(), g.Milstein(), g.SRIW1())")
    if prob.noise not in alg.noise_kinds:
        raise ValueError(f"{alg.name} is for {' or '.join(alg.noise_kinds)} noise; this problem "
                         f"has {prob.noise} noise" + (f" (m={prob.m})" if prob.m else "")
                         + ": use g.EM()")
    t0, tf = prob.tspan
    span = float(value(tf)) - float(value(t0))
    adaptive = bool(adaptive and alg.adaptive)
    if dt is None:
        if not adaptive:
            raise ValueError(f"{alg.name} takes fixed steps: give dt=... to solve"
                             + (" (or adaptive=True)" if alg.adaptive else ""))
        dt = span / 100
    dt = abs(float(value(dt)))
    if not dt > 0:
        raise ValueError(f"dt must be positive, got {dt}")
    save_times = _saveat_times(saveat, t0, tf, span)
    stops = sorted({float(value(t)): t for t in [*save_times, *np.atleast_1d(tstops), tf]
                    if 0 < float(value(t)) - float(value(t0)) <= span}.items())
    stop_times = [t for _, t in stops]
    save_every = (saveat is None) if save_everystep is None else bool(save_everystep)
    saveat_values = [float(value(t)) for t in save_times]
    grid = None if adaptive else _grid(t0, dt, stop_times)
    return Plan(adaptive, dt, grid, stop_times, saveat_values, save_every)


def _saveat_times(saveat, t0, tf, span: float) -> list:
    if saveat is None:
        return []
    if np.ndim(saveat) == 0:
        step = abs(float(value(saveat)))
        n = int(math.floor(span / step * (1 + 1e-12)))
        times = [t0 + step * i for i in range(n + 1)]
        if abs(float(value(times[-1])) - float(value(tf))) > 1e-12 * span:
            times.append(tf)
        return times
    return sorted((t0 * 0 + t for t in saveat), key=lambda t: float(value(t)))


def _grid(t0, dt: float, stops: list) -> list:
    """Steps of ``dt`` from ``t0``, landing on each stop (as the ODE stepping loop does)."""
    times, t = [t0], t0
    for stop in stops:
        stop_value = float(value(stop))
        while True:
            if dt >= (stop_value - float(value(t))) * (1 - 1e-12):
                t = stop
                times.append(t)
                break
            t = t + dt
            times.append(t)
    return times


def _path(prob: SDEProblem, alg, noise, seed) -> BrownianPath:
    t0 = float(value(prob.tspan[0]))
    if noise is None:
        return BrownianPath(prob.noise_shape, seed=seed, t0=t0, with_z=alg.needs_z)
    if not isinstance(noise, BrownianPath):
        raise TypeError(f"noise= takes a g.BrownianPath (e.g. sol.W of an earlier solve), got "
                        f"{type(noise).__qualname__}")
    if seed is not None:
        raise ValueError("give seed= or noise= (a path has its own generator), not both")
    if noise.shape != prob.noise_shape:
        raise ValueError(f"noise=: the path has shape {noise.shape} but this problem's Wiener "
                         f"process has shape {prob.noise_shape}")
    if alg.needs_z and not noise.with_z:
        raise ValueError(f"{alg.name} needs a path with a second process Z (for I_(1,0)): make "
                         f"it with g.BrownianPath(..., with_z=True), or solve with SRIW1 first")
    if noise.t[0] > t0:
        raise ValueError(f"noise=: the path starts at {noise.t[0]}, after t0 = {t0}")
    return noise


# ------------------------------------------------------------------ the generic path

def noise_converter(u0):
    """A function turning float64 increments into the state's precision: arrays of a NumPy
    float type become that type (float32 stays float32); a single process's increments become
    Python floats (which mix with every number type)."""
    kind = np.dtype(eltype(u0)).kind if _numpy_type(eltype(u0)) else "O"
    dtype = np.dtype(eltype(u0)) if kind == "f" else None

    def convert_noise(d):
        if dtype is not None and dtype != d.dtype:
            d = d.astype(dtype)
        if np.ndim(d) == 0:
            return d.item() if dtype is None else d[()]
        return d

    return convert_noise


def _numpy_type(T) -> bool:
    try:
        np.dtype(T)
    except TypeError:
        return False
    return True


def checked_functions(prob: SDEProblem):
    """``f`` and ``g`` returning their vectorised results (``g.pack``), with their shapes
    checked once at ``(u0, p, t0)``."""
    def f(u, p, t):
        return pack(prob.f(u, p, t))

    def g(u, p, t):
        return pack(prob.g(u, p, t))

    t0 = prob.tspan[0]
    u_shape = tuple(np.shape(value(prob.u0)))
    du = f(prob.u0, prob.p, t0)
    if tuple(np.shape(value(du))) != u_shape:
        raise ValueError(f"f(u0, p, t0) returned shape {np.shape(value(du))}, not u0's "
                         f"{u_shape}: f must return the drift shaped like u")
    G = g(prob.u0, prob.p, t0)
    if tuple(np.shape(value(G))) != prob.rate_shape:
        want = {"general": f"a (len(u), m) = {prob.rate_shape} matrix",
                "scalar": "an array shaped like u (one Wiener process)",
                "diagonal": "an array shaped like u"}[prob.noise]
        raise ValueError(f"g(u0, p, t0) returned shape {np.shape(value(G))}; {prob.noise} noise "
                         f"needs {want}")
    return f, g


def _solve_fixed(prob, alg, the_plan: Plan, path: BrownianPath) -> SDESolution:
    f, g = checked_functions(prob)
    convert_noise = noise_converter(prob.u0)
    values = [float(value(t)) for t in the_plan.grid]
    dW, dZ = path.grid_increments(values)
    dW, dZ = _rows(convert_noise, dW), _rows(convert_noise, dZ)
    slots = the_plan.save_slots()
    out = [None] * (int(slots.max()) + 1)
    times = [t.item() if isinstance(t, np.generic) else t for t in the_plan.grid]
    u, steps = run_fixed(alg.step, f, g, prob.p, prob.u0, times, dW, dZ, slots.tolist(), out)
    return fixed_solution(prob, alg, the_plan, path, out, steps, u)


def _rows(convert_noise, d: np.ndarray) -> list:
    """The increments of each interval, converted (a list, indexed by the stepping loop)."""
    d = convert_noise(d)
    return d.tolist() if d.ndim == 1 and d.dtype == np.float64 else list(d)


def fixed_solution(prob, alg, the_plan: Plan, path, out, steps: int, u) -> SDESolution:
    """The solution of a fixed-step solve that took ``steps`` of its grid's steps."""
    slots = the_plan.save_slots()
    n = len(the_plan.grid) - 1
    kept = int((slots[:steps + 1] >= 0).sum())
    saved_times = [t for t, s in zip(the_plan.grid, slots, strict=True) if s >= 0][:kept]
    retcode, message = "Success", ""
    if steps < n:
        retcode = "Unstable"
        message = f"the state became nan or inf at t = {value(the_plan.grid[steps])}"
    nf, ng = alg.evaluations
    stats = SDEStats(nf=nf * steps, naccept=steps, nreject=0, ng=ng * steps)
    us = out[:kept] if isinstance(out, np.ndarray) else stack_states(out[:kept])
    return SDESolution(prob, alg, saved_times, us, path, retcode, message, stats)


def _solve_adaptive(prob, alg, the_plan: Plan, path, rtol, atol, maxiters, dtmin):
    f, g = checked_functions(prob)
    t0, tf = prob.tspan
    scale = max(abs(float(value(t0))), abs(float(value(tf))))
    dtmin = float(dtmin) if dtmin is not None else 4 * 2.220446049250313e-16 * scale
    result = run_adaptive(alg.step, f, g, prob.p, prob.u0, t0, tf, the_plan.dt, path,
                          noise_converter(prob.u0), the_plan.stops, the_plan.save_every,
                          the_plan.saveat, rtol, atol, int(maxiters), dtmin, Control())
    nf, ng = alg.evaluations
    tried = result.naccept + result.nreject
    stats = SDEStats(nf=nf * tried, naccept=result.naccept, nreject=result.nreject,
                     ng=ng * tried)
    return SDESolution(prob, alg, result.ts, stack_states(result.us), path, result.status,
                       result.message, stats)


register_solver(SDEProblem, solve_sde)
