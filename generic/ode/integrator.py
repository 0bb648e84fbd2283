"""The integrator: the state of a solve, stepped by hand or run to the end.

``integ = g.init(prob, alg, ...)`` gives an :class:`Integrator`; ``integ.step()`` takes one
accepted step (rejected tries included), ``integ.solve()`` runs to the end and returns the
:class:`~.solution.ODESolution`. ``g.solve`` is ``g.init(...).solve()``.

Every control decision (step acceptance, step size, stopping, event signs) is taken on floats:
the error norm ``g.norm`` and ``g.value`` of times and states. The state and time keep their
own number types throughout.
"""

from __future__ import annotations

import copy
import math

import numpy as np
from array_api_compat import array_namespace

from ..functions import compress, eps, pack, value
from .callbacks import ContinuousCallback, DiscreteCallback, find_event, land_on_event
from .controller import initial_step
from .interpolation import StepInterpolant
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
        self.rtol, self.atol = rtol, atol
        self.adaptive = adaptive and alg.adaptive
        self.maxiters = maxiters
        self.stats = Stats()
        self.retcode: str | None = None
        self.message = ""
        self.cache = alg.prepare(self)
        self.f0 = self._f(self.u, self.t)
        _check_derivative(self.u, self.f0)

        scale_t = max(abs(float(value(self.t0))), abs(float(value(self.tf))), self.span)
        self.dtmin = float(dtmin) if dtmin is not None else \
            4 * float(value(eps(self.t0))) * scale_t
        self.dtmax = float(dtmax) if dtmax is not None else self.span
        if dt is not None:
            self.dt = abs(float(value(dt)))
        elif not self.adaptive:
            raise ValueError(f"{alg.name} takes fixed steps: give dt=... to solve "
                             f"(or use an adaptive method)")
        else:
            self.dt, used = initial_step(self.f, self.p, self.t, self.u, self.f0,
                                         self.direction, alg.order, atol, rtol, self.span)
            self.stats.nf += used
        self.dt = min(self.dt, self.dtmax)
        self.controller = alg.controller() if self.adaptive else None

        self.saveat = None if saveat is None else self._saveat_times(saveat)
        stops = list(tstops) + [self.tf]
        if self.saveat and alg.dense_order + 1 < alg.order:
            # An interpolant of lower order than the method (Hermite between Vern9's or GBS's
            # long steps) would make saved values far less accurate than the solve: step onto
            # the saveat times instead.
            stops += self.saveat
        self.tstops = self._sorted_times(stops)
        self._tstop_values = [float(value(t)) for t in self.tstops]
        self._tf = float(value(self.tf))
        self._compress_type = None
        self.save_everystep = (self.saveat is None) if save_everystep is None else save_everystep
        self.dense = (self.saveat is None) if dense is None else dense
        self.ts, self.us, self.interpolants = [], [], []
        if self.save_everystep or (self.saveat and self._next_save_is(self.t0)):
            self._save(self.t, self.u)
        callbacks = callback if isinstance(callback, (list, tuple)) else \
            ([] if callback is None else [callback])
        self.continuous = [c for c in callbacks if isinstance(c, ContinuousCallback)]
        self.discrete = [c for c in callbacks if isinstance(c, DiscreteCallback)]
        unknown = [c for c in callbacks if not isinstance(c, (ContinuousCallback,
                                                              DiscreteCallback))]
        if unknown:
            raise TypeError(f"callback must be a ContinuousCallback, a DiscreteCallback or a "
                            f"CallbackSet of them, got {unknown[0]!r}")
        self._condition_values = [self._condition_value(c, self.u, self.t)
                                  for c in self.continuous]
        self._u_stepped = self.u  # the state f0 belongs to (see step: u set by hand)

    # ------------------------------------------------------------------ public

    def terminate(self, message: str = "terminated by a callback") -> None:
        """Stop the solve after this step, with retcode "Terminated"."""
        self.retcode, self.message = "Terminated", message

    def step(self) -> bool:
        """Take one accepted step (retrying rejected ones). Returns False when the solve is
        over (reached tf, terminated, or failed: see ``retcode``)."""
        if self.retcode is not None:
            return False
        if self.u is not self._u_stepped:  # u was set by hand between steps: f0 is stale
            self.f0 = self._f(self.u, self.t)
            self._condition_values = [self._condition_value(c, self.u, self.t)
                                      for c in self.continuous]
        nonfinite = False  # whether the last rejected try had a nan or inf error estimate
        while True:
            if self.stats.nsteps >= self.maxiters:
                return self._fail("MaxIters", f"reached maxiters = {self.maxiters} steps at "
                                              f"t = {value(self.t)}; raise maxiters=")
            dt, lands_on = self._step_size()
            if dt < self.dtmin and lands_on is None:
                if nonfinite:  # shrinking the step did not help: f itself gives nan or inf
                    return self._fail("Unstable", f"the step gave nan or inf at t = "
                                      f"{value(self.t)} for every step size down to {dt:.3g}")
                return self._fail("DtLessThanMin", f"step size {dt:.3g} fell below the "
                                  f"resolution of the time type ({self.dtmin:.3g}) at "
                                  f"t = {value(self.t)}: the problem may be stiff or singular")
            t_new = lands_on if lands_on is not None else self.t + self.direction * dt
            signed_dt = t_new - self.t  # the step the times really make (rounded in time's type)
            attempt = self.alg.attempt(self, self.cache, self.t, self.u, signed_dt, self.f0)
            self.stats.nf += attempt.nf
            if self.adaptive:
                if not (attempt.err <= 1.0):  # rejected, or nan
                    self.stats.nreject += 1
                    nonfinite = not math.isfinite(attempt.err)
                    self.dt = self.controller.retry_dt(dt, attempt.err)
                    continue
                self.dt = min(self.controller.next_dt(dt, attempt.err), self.dtmax)
            self.stats.naccept += 1
            break
        u_new = self._compress(attempt.u_new)
        f_new = self._f(u_new, t_new) if attempt.f_new is None else \
            self._compress(attempt.f_new)
        if not _finite(u_new):
            self.t, self.u = t_new, u_new
            return self._fail("Unstable", f"the state became nan or inf at t = {value(t_new)}")
        interpolant = StepInterpolant(self.t, signed_dt, self.u, u_new, self.f0, f_new,
                                      attempt.ks, attempt.tab)
        self._advance(interpolant, t_new, u_new, f_new)
        self._u_stepped = self.u
        if self.retcode is None and self.direction * (float(value(self.t)) - self._tf) >= 0:
            self.retcode = "Success"
        return self.retcode is None

    def solve(self) -> ODESolution:
        """Step to the end and return the solution."""
        while self.step():
            pass
        return ODESolution(self.prob, self.alg, self.ts, self.us, self.interpolants,
                           self.retcode, self.message, self.stats)

    # ------------------------------------------------------------------ internals

    def _f(self, u, t):
        self.stats.nf += 1
        return self.f(u, self.p, t)

    def _fail(self, retcode: str, message: str) -> bool:
        self.retcode, self.message = retcode, message
        return False

    def _sorted_times(self, times: list) -> list:
        inside = [t for t in times if self.direction * (value(t) - value(self.t0)) > 0
                  and self.direction * (value(t) - value(self.tf)) <= 0]
        return sorted(inside, key=lambda t: self.direction * value(t))

    def _saveat_times(self, saveat) -> list:
        if np.ndim(value(saveat)) == 0:  # a spacing
            step = abs(float(value(saveat)))
            n = int(math.floor(self.span / step * (1 + 1e-12)))
            times = [self.t0 + self.direction * step * i for i in range(n + 1)]
            if abs(float(value(times[-1])) - float(value(self.tf))) > 1e-12 * self.span:
                times.append(self.tf)
            return times
        times = list(saveat)
        return sorted(times, key=lambda t: self.direction * value(t))

    def _next_save_is(self, t) -> bool:
        return bool(self.saveat) and value(self.saveat[0]) == value(t)

    def _save(self, t, u) -> None:
        self.ts.append(t)
        self.us.append(u)

    def _step_size(self):
        """(dt magnitude, the stop time to land on exactly or None)."""
        dt = self.dt
        stop = self.tstops[0] if self.tstops else self.tf
        stop_value = self._tstop_values[0] if self.tstops else self._tf
        distance = self.direction * (stop_value - float(value(self.t)))
        if dt >= distance * (1 - 1e-12):
            return distance, stop
        return dt, None

    def _advance(self, interpolant: StepInterpolant, t_new, u_new, f_new) -> None:
        """Accept the step: events, saving, callbacks."""
        t_prev = self.t
        event = self._first_event(interpolant, t_prev, t_new)
        if event is not None:
            cb, t_root, crossing = event
            t_event, u_event = land_on_event(cb, self._stepper(interpolant, t_prev), t_root,
                                             t_prev, t_new, lambda u, p, t: self._f(u, t),
                                             self.p, self)
            self._save_between(interpolant, t_prev, t_event, u_event)
            if self.dense:
                interpolant.end = t_event  # the same polynomial, used up to the event
                self.interpolants.append(interpolant)
            self.t, self.u = t_event, u_event
            if cb.save_positions[0]:
                self._save(t_event, _copy(u_event))
            handler = cb.affect if crossing == "up" else cb.affect_neg
            handler(self)
            if cb.save_positions[1]:
                self._save(self.t, _copy(self.u))
            self.f0 = self._f(self.u, self.t)
            if self.adaptive:
                # The affect may have changed the solution abruptly; restart no longer than the
                # step that reached the event. (The controller's proposal was made for the whole
                # step; a far longer first step after an event could jump over the next one, as
                # its sign is first sampled a tenth of the way in: a bouncing ball whose error
                # estimate is 0 would fall through the floor.)
                reached = abs(float(value(t_event)) - float(value(t_prev)))
                if reached > 0:
                    self.dt = min(self.dt, reached)
            self._condition_values = [None if c is cb else self._condition_value(c, self.u,
                                                                                  self.t)
                                      for c in self.continuous]
            self._drop_passed_tstops()
            self._run_discrete()
            return
        self._save_between(interpolant, t_prev, t_new, u_new)
        if self.dense:
            self.interpolants.append(interpolant)
        self.t, self.u, self.f0 = t_new, u_new, f_new
        if self.save_everystep:
            self._save(t_new, u_new)
        self._condition_values = [self._condition_value(c, u_new, t_new)
                                  for c in self.continuous]
        self._drop_passed_tstops()
        self._run_discrete()

    def _stepper(self, interpolant: StepInterpolant, t_prev):
        """``t -> u(t)`` by the method's own step from the start of ``interpolant``'s step."""
        def state_at(t):
            # A step as the solve would take it, with a copy of the controller, so that its
            # state (GBS's order) is left as it was. Should that step be refused (err > 1), a
            # plain fixed step (no controller) gives the state.
            adaptive, controller = self.adaptive, self.controller
            attempt = None
            try:
                if controller is not None:
                    self.controller = copy.deepcopy(controller)
                    attempt = self.alg.attempt(self, self.cache, t_prev, interpolant.u0,
                                               t - t_prev, interpolant.f0)
                    self.stats.nf += attempt.nf
                if attempt is None or not attempt.err <= 1.0:
                    self.adaptive, self.controller = False, None
                    attempt = self.alg.attempt(self, self.cache, t_prev, interpolant.u0,
                                               t - t_prev, interpolant.f0)
                    self.stats.nf += attempt.nf
            finally:
                self.adaptive, self.controller = adaptive, controller
            return attempt.u_new

        return state_at

    def _drop_passed_tstops(self) -> None:
        t = float(value(self.t))
        while self.tstops and self.direction * (self._tstop_values[0] - t) <= 0:
            self.tstops.pop(0)
            self._tstop_values.pop(0)

    def _compress(self, x):
        """``g.compress(x, atol, rtol)``, its method resolved once per state type."""
        if type(x) is not self._compress_type:
            self._compress_type = type(x)
            self._compress_method = compress.resolve_method((x, self.atol, self.rtol))[0]
        return self._compress_method(x, self.atol, self.rtol)

    def _first_event(self, interpolant, t_prev, t_new):
        found = None
        for cb, previous in zip(self.continuous, self._condition_values, strict=True):
            hit = find_event(cb, interpolant, t_prev, t_new, previous, self)
            if hit is not None and (found is None or
                                    self.direction * (hit[0] - found[1]) < 0):
                found = (cb, *hit)
        return found

    def _condition_value(self, cb, u, t):
        v = float(value(cb.condition(u, t, self)))
        return None if v == 0 else v

    def _save_between(self, interpolant, t_prev, t_end, u_end) -> None:
        """Save the saveat times in (t_prev, t_end] from this step's interpolant (``u_end``
        exactly at t_end)."""
        if not self.saveat:
            return
        end = float(value(t_end))
        while self.saveat and self.direction * (float(value(self.saveat[0])) - end) <= 0:
            s = self.saveat.pop(0)
            if self.direction * (float(value(s)) - float(value(t_prev))) <= 0:
                continue  # at or before this step's start (t0 was saved at the start)
            self._save(s, u_end if float(value(s)) == end else interpolant(s))

    def _run_discrete(self) -> None:
        for cb in self.discrete:
            if cb.condition(self.u, self.t, self):
                if cb.save_positions[0] and not self.save_everystep:
                    self._save(self.t, _copy(self.u))
                self.u = _copy(self.u)
                cb.affect(self)
                if cb.save_positions[1]:
                    self._save(self.t, _copy(self.u))
                self.f0 = self._f(self.u, self.t)


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


def _copy(u):
    """A copy of the state that a callback may change in place (scalars are immutable)."""
    return u.copy() if hasattr(u, "copy") else u


def _finite(u) -> bool:
    """Whether every value of the state is finite."""
    v = value(u)
    if isinstance(v, np.ndarray):
        return bool(np.isfinite(v).all())
    if hasattr(v, "__array_namespace__"):
        xp = array_namespace(v)
        return bool(xp.all(xp.isfinite(v)))
    return math.isfinite(abs(v))


def _check_derivative(u, du) -> None:
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
