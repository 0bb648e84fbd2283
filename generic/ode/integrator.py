"""The integrator: the state of a solve, stepped by hand or run to the end.

``integ = g.init(prob, alg, ...)`` gives an :class:`Integrator`; ``integ.step()`` takes one
accepted step (rejected tries included), ``integ.solve()`` runs to the end and returns the
:class:`~.solution.ODESolution`. ``g.solve`` is ``g.init(...).solve()``.

The stepping itself is :mod:`.stepping`, shared with the compiled float64 fast path; this class
holds a solve's state on the generic path. Every control decision (step acceptance, step size,
stopping, event signs) is taken on floats: the error norm ``g.norm`` and ``g.value`` of times and
states. The state and time keep their own number types throughout.
"""

from __future__ import annotations

import math

import numpy as np

from ..functions import compress, eps, pack, value
from . import stepping
from .callbacks import ContinuousCallback, DiscreteCallback
from .hooks import cb_count
from .problem import as_array
from .solution import ODESolution, Stats

__all__ = ["Integrator"]


class Integrator:
    """A solve in progress. Public state: ``t``, ``u`` (may be reassigned in a callback),
    ``p``, ``dt`` (the next step size tried), ``stats``, ``retcode`` (None while running)."""

    def __init__(self, prob, alg, *, rtol=1e-3, atol=1e-6, dt=None, adaptive=True, saveat=None,
                 tstops=(), callback=None, maxiters=10**5, dtmin=None, dtmax=None,
                 save_everystep=None, dense=None):
        self.prob, self.alg = prob, alg
        self.f, self.p = _vectorised(prob.f), prob.p
        self.t0, self.tf = prob.tspan
        self.t, self.u = self.t0, prob.u0
        self.direction = 1.0 if value(self.tf) > value(self.t0) else -1.0
        self.span = abs(float(value(self.tf)) - float(value(self.t0)))
        self.tf_value = float(value(self.tf))
        self.rtol, self.atol = rtol, atol
        self.adaptive = adaptive and alg.adaptive
        self.maxiters = maxiters
        self.nf = self.naccept = self.nreject = 0
        self.status, self.message, self.dt_failed = stepping.RUNNING, "", 0.0
        self.cache = alg.prepare(self)
        self.f0 = stepping.call_f(self, self.f, self.u, self.t)
        check_derivative(self.u, self.f0)

        scale_t = max(abs(float(value(self.t0))), abs(self.tf_value), self.span)
        self.dtmin = float(dtmin) if dtmin is not None else \
            4 * float(value(eps(self.t0))) * scale_t
        self.dtmax = float(dtmax) if dtmax is not None else self.span
        if dt is not None:
            self.dt = abs(float(value(dt)))
        elif not self.adaptive:
            raise ValueError(f"{alg.name} takes fixed steps: give dt=... to solve "
                             f"(or use an adaptive method)")
        else:
            self.dt = 0.0  # Hairer's initial step, chosen by stepping.start
        self.controller = alg.controller() if self.adaptive else None

        saveat = saveat_or_ends(saveat, save_everystep, prob.tspan)
        saveat_times = [] if saveat is None else self._saveat_times(saveat)
        stops = list(tstops) + [self.tf]
        if saveat_times and alg.dense_order + 1 < alg.order:
            # An interpolant of lower order than the method (Hermite between Vern9's or GBS's
            # long steps) would make saved values far less accurate than the solve: step onto
            # the saveat times instead.
            stops += saveat_times
        self.tstop_times = self._sorted_times(stops)
        self.tstop_values = [float(value(t)) for t in self.tstop_times]
        self.itstop = 0
        self.saveat_times = saveat_times
        self.saveat_values = [float(value(t)) for t in saveat_times]
        self.isave = 0
        self._compress_type = None
        self._compressed = None  # the last compressed state (see compress)
        self.save_everystep = (saveat is None) if save_everystep is None else save_everystep
        self.dense = (saveat is None) if dense is None else dense
        self.ts, self.us, self.interpolants = [], [], []
        callbacks = callback if isinstance(callback, (list, tuple)) else \
            ([] if callback is None else [callback])
        self.continuous = [c for c in callbacks if isinstance(c, ContinuousCallback)]
        self.discrete = [c for c in callbacks if isinstance(c, DiscreteCallback)]
        unknown = [c for c in callbacks if not isinstance(c, (ContinuousCallback,
                                                              DiscreteCallback))]
        if unknown:
            raise TypeError(f"callback must be a ContinuousCallback, a DiscreteCallback or a "
                            f"CallbackSet of them, got {unknown[0]!r}")
        self.condition_values = [math.nan] * cb_count(self.continuous)
        stepping.start(self, self.f, self.continuous, alg.order)
        self._u_stepped = self.u  # the state f0 belongs to (see step: u set by hand)

    # ------------------------------------------------------------------ public

    @property
    def stats(self) -> Stats:
        """Counts so far: f evaluations, accepted and rejected steps."""
        return Stats(self.nf, self.naccept, self.nreject)

    @property
    def retcode(self) -> str | None:
        """None while running, else how the solve ended (see ``message``)."""
        return stepping.RETCODE.get(self.status)

    def terminate(self, message: str = "terminated by a callback") -> None:
        """Stop the solve after this step, with retcode "Terminated"."""
        self.status, self.message = stepping.TERMINATED, message

    def step(self) -> bool:
        """Take one accepted step (retrying rejected ones). Returns False when the solve is
        over (reached tf, terminated, or failed: see ``retcode``)."""
        if self.status != stepping.RUNNING:
            return False
        if self.u is not self._u_stepped:  # u was set by hand between steps: f0 is stale
            self.f0 = stepping.call_f(self, self.f, self.u, self.t)
            stepping.refresh_conditions(self, self.continuous, -1)
        running = stepping.step(self, self.f, self.continuous, self.discrete)
        self._u_stepped = self.u
        if not running and not self.message:
            self.message = failure_message(self.status, self)
        return running

    def solve(self) -> ODESolution:
        """Step to the end and return the solution."""
        while self.step():
            pass
        return ODESolution(self.prob, self.alg, self.ts, self.us, self.interpolants,
                           self.retcode, self.message, self.stats)

    # ------------------------------------------------------------------ internals

    def compress(self, x):
        """``g.compress(x, atol, rtol)``, its method resolved once per state type. The last
        result is returned as it is when given again (``hooks.attempt`` compresses an accepted
        state first, to re-evaluate a FSAL derivative; the stepping loop then passes it on)."""
        if x is self._compressed:
            return x
        if type(x) is not self._compress_type:
            self._compress_type = type(x)
            self._compress_method = compress.resolve_method((x, self.atol, self.rtol))[0]
        self._compressed = self._compress_method(x, self.atol, self.rtol)
        return self._compressed

    def _sorted_times(self, times: list) -> list:
        inside = [t for t in times if self.direction * (value(t) - value(self.t0)) > 0
                  and self.direction * (value(t) - value(self.tf)) <= 0]
        return sorted(inside, key=lambda t: self.direction * value(t))

    def _saveat_times(self, saveat) -> list:
        if not isinstance(saveat, (list, tuple, np.ndarray)) and np.ndim(value(saveat)) == 0:
            # a spacing
            step = abs(float(value(saveat)))
            n = int(math.floor(self.span / step * (1 + 1e-12)))
            times = [self.t0 + self.direction * step * i for i in range(n + 1)]
            if abs(float(value(times[-1])) - float(value(self.tf))) > 1e-12 * self.span:
                times.append(self.tf)
            return times
        times = saveat.tolist() if isinstance(saveat, np.ndarray) else list(saveat)
        return sorted(times, key=lambda t: self.direction * value(t))


def failure_message(status: int, integ) -> str:
    """Why a solve stopped with ``status`` (from the integrator's state at the stop)."""
    t = value(integ.t)
    if status == stepping.MAXITERS:
        return f"reached maxiters = {integ.maxiters} steps at t = {t}; raise maxiters="
    if status == stepping.STEP_NONFINITE:
        return (f"the step gave nan or inf at t = {t} for every step size down to "
                f"{integ.dt_failed:.3g}")
    if status == stepping.DTLESSTHANMIN:
        return (f"step size {integ.dt_failed:.3g} fell below the resolution of the time type "
                f"({integ.dtmin:.3g}) at t = {t}: the problem may be stiff or singular")
    if status == stepping.UNSTABLE:
        return f"the state became nan or inf at t = {t}"
    if status == stepping.TERMINATED:
        return "terminated by a callback"
    return ""


def _vectorised(f):
    """``f`` returning ``g.pack`` of its result: an object array of duals that a right-hand
    side builds with ``np.array([...])`` becomes a DualArray, so the stages stay vectorised; a
    list or tuple becomes an array first."""
    def f_packed(u, p, t):
        du = f(u, p, t)
        if isinstance(du, (list, tuple)):  # SciPy-style right-hand sides return lists
            du = as_array(du)
        return pack(du)

    return f_packed


def saveat_or_ends(saveat, save_everystep, tspan):
    """``saveat``, or the two ends of ``tspan`` when nothing else would be saved
    (``save_everystep=False`` without ``saveat``: DifferentialEquations.jl's default). Both
    paths take their saved times from here."""
    if saveat is None and save_everystep is False:
        return [tspan[0], tspan[1]]
    return saveat


def check_first_derivative(prob) -> None:
    """``prob.f`` evaluated once at ``(u0, p, t0)`` and checked as a solve checks it (the
    compiled path calls this before compiling, so that a wrong f gets the same error)."""
    check_derivative(prob.u0, _vectorised(prob.f)(prob.u0, prob.p, prob.tspan[0]))


def check_derivative(u, du) -> None:
    """f(u0) must give a derivative shaped like u0."""
    if du is None:
        raise TypeError("f(u0, p, t0) returned None: an out-of-place f must return du "
                        "(an in-place f takes four arguments f(du, u, p, t))")
    try:
        shape_u, shape_du = np.shape(value(u)), np.shape(value(du))
    except Exception as error:  # noqa: BLE001 - report whatever f returned
        raise TypeError(f"f(u0, p, t0) returned {type(du).__qualname__}, which is not a "
                        f"number or an array of numbers ({error})") from None
    if tuple(shape_u) != tuple(shape_du):
        raise ValueError(f"f(u0, p, t0) returned shape {tuple(shape_du)}, but u0 has shape "
                         f"{tuple(shape_u)}: f must return du shaped like u")
