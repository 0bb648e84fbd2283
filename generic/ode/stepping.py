"""The stepping loop of every ODE solve, written once for both paths.

These functions are the integrator: try a step, control its size, land on stop times, save,
find and land on events, run callbacks. They read and write the attributes of an integrator
``integ`` (``t``, ``u``, ``dt``, ``f0``, counters, ``status``, ...), call the method through
:func:`~.hooks.attempt`, and touch numbers only through arithmetic and generic functions.

The generic path runs them as Python on :class:`~.integrator.Integrator` (any number type).
The float64 fast path compiles *these same functions* with Numba (``register_jitable``) on a
compiled integrator record with the same attribute names; there the hooks of :mod:`.hooks`
have compiled methods (``generic/ode/fast/``). Every control decision is taken on floats
(``g.value`` of times and states), so both paths take the same steps on a float64 problem.
"""

from __future__ import annotations

import math

import numpy as np
from numba.extending import register_jitable

from ..functions import value
from ..roots import brent_bracketed, evaluate
from .controller import initial_step
from .hooks import (
    attempt,
    cb_affect,
    cb_condition,
    cb_count,
    cb_has_handler,
    cb_interp_points,
    cb_save_positions,
    compress_state,
    copy_state,
    discrete_affect,
    discrete_condition,
    event_function,
    finite,
    flow_slope,
    interpolate,
    make_interpolant,
    next_dt,
    record_interpolant,
    retry_dt,
    save,
    state_at,
)

__all__ = ["RUNNING", "SUCCESS", "TERMINATED", "MAXITERS", "DTLESSTHANMIN", "UNSTABLE",
           "STEP_NONFINITE", "RETCODE", "start", "step", "run", "call_f"]

# status codes of a solve (integers, so that the compiled loop can set them)
RUNNING, SUCCESS, TERMINATED, MAXITERS, DTLESSTHANMIN, UNSTABLE, STEP_NONFINITE = range(7)
RETCODE = {SUCCESS: "Success", TERMINATED: "Terminated", MAXITERS: "MaxIters",
           DTLESSTHANMIN: "DtLessThanMin", UNSTABLE: "Unstable", STEP_NONFINITE: "Unstable"}


@register_jitable(forceinline=True)
def call_f(integ, f, u, t):
    """``f(u, p, t)``, counted."""
    integ.nf += 1
    return f(u, integ.p, t)


@register_jitable
def start(integ, f, continuous, order):
    """Begin the solve (``integ.f0``, f at the start, already set): the first step size
    (Hairer's, unless given: ``dt > 0``), the first save and the callbacks' condition values."""
    if integ.dt <= 0:
        dt, used = initial_step(f, integ.p, integ.t, integ.u, integ.f0, integ.direction, order,
                                integ.atol, integ.rtol, integ.span)
        integ.nf += used
        integ.dt = dt
    integ.dt = min(integ.dt, integ.dtmax)
    if integ.save_everystep or (integ.isave < len(integ.saveat_values)
                                and integ.saveat_values[integ.isave] == float(value(integ.t))):
        if not integ.save_everystep:
            integ.isave += 1
        save(integ, integ.t, integ.u)
    refresh_conditions(integ, continuous, -1)


@register_jitable
def run(integ, f, continuous, discrete):
    """Step to the end (or a failure, or a termination)."""
    while step(integ, f, continuous, discrete):
        pass


@register_jitable
def step(integ, f, continuous, discrete):
    """Take one accepted step (retrying rejected tries). Returns False when the solve is over:
    ``integ.status`` says how."""
    if integ.status != RUNNING:
        return False
    nonfinite = False  # whether the last rejected try had a nan or inf error estimate
    while True:
        if integ.naccept + integ.nreject >= integ.maxiters:
            integ.status = MAXITERS
            return False
        dt, lands, t_stop = step_size(integ)
        if dt < integ.dtmin and not lands:
            integ.dt_failed = dt
            integ.status = STEP_NONFINITE if nonfinite else DTLESSTHANMIN
            return False
        t_new = t_stop if lands else integ.t + integ.direction * dt
        signed_dt = t_new - integ.t  # the step the times really make (rounded in time's type)
        tried = attempt(integ, f, integ.t, integ.u, signed_dt, integ.f0)
        integ.nf += tried.nf
        if integ.adaptive:
            if not tried.err <= 1.0:  # rejected, or nan
                integ.nreject += 1
                nonfinite = not math.isfinite(tried.err)
                integ.dt = retry_dt(integ, dt, tried.err)
                continue
            integ.dt = min(next_dt(integ, dt, tried.err), integ.dtmax)
        integ.naccept += 1
        break
    u_new = compress_state(integ, tried.u_new)
    if tried.f_new is None:
        f_new = call_f(integ, f, u_new, t_new)
    else:
        f_new = compress_state(integ, tried.f_new)
    if not integ.adaptive and not finite(u_new):  # adaptive: error_scale made err nan
        integ.t = t_new
        integ.u = u_new
        integ.status = UNSTABLE
        return False
    interpolant = make_interpolant(integ.t, signed_dt, integ.u, u_new, integ.f0, f_new,
                                   tried.ks, tried.tab)
    advance(integ, f, continuous, discrete, interpolant, t_new, u_new, f_new)
    if integ.status == RUNNING and \
            integ.direction * (float(value(integ.t)) - integ.tf_value) >= 0:
        integ.status = SUCCESS
    return integ.status == RUNNING


@register_jitable(forceinline=True)
def step_size(integ):
    """(dt magnitude, whether the step lands on the next stop time, that time)."""
    if integ.itstop < len(integ.tstop_values):
        stop, stop_value = integ.tstop_times[integ.itstop], integ.tstop_values[integ.itstop]
    else:
        stop, stop_value = integ.tf, integ.tf_value
    distance = integ.direction * (stop_value - float(value(integ.t)))
    if integ.dt >= distance * (1 - 1e-12):
        return distance, True, stop
    return integ.dt, False, stop


@register_jitable
def advance(integ, f, continuous, discrete, interpolant, t_new, u_new, f_new):
    """Accept the step: events, saving, callbacks."""
    t_prev = integ.t
    # (each call below is skipped when it has nothing to do: a compiled call costs more than
    # its test, as it counts references to every array it is passed)
    k, t_root, up = -1, 0.0, False
    if cb_count(continuous) > 0:
        k, t_root, up = first_event(integ, continuous, interpolant, t_prev, t_new)
    if k >= 0:
        t_event, u_event = land_on_event(integ, f, continuous, k, interpolant, t_root, t_prev,
                                         t_new)
        save_between(integ, interpolant, t_prev, t_event, u_event)
        if integ.dense:
            record_interpolant(integ, interpolant, t_event, True)
        reached = abs(float(value(t_event)) - float(value(t_prev)))
        integ.t = t_event
        integ.u = u_event
        also = coinciding_events(integ, continuous, k, u_event, t_event)
        fire(integ, continuous, k, up, t_event, u_event)
        for j in range(len(also)):
            if also[j] != 0 and integ.status == RUNNING:
                fire(integ, continuous, j, also[j] > 0, t_event, integ.u)
        integ.f0 = call_f(integ, f, integ.u, integ.t)
        if integ.adaptive:
            # The affect may have changed the solution abruptly; restart no longer than the
            # step that reached the event. (The controller's proposal was made for the whole
            # step; a far longer first step after an event could jump over the next one, as
            # its sign is first sampled a tenth of the way in: a bouncing ball whose error
            # estimate is 0 would fall through the floor.)
            if reached > 0:
                integ.dt = min(integ.dt, reached)
        refresh_after_event(integ, continuous, k, also, reached == 0)
        drop_passed_tstops(integ)
        run_discrete(integ, f, discrete)
        return
    if integ.isave < len(integ.saveat_values):
        save_between(integ, interpolant, t_prev, t_new, u_new)
    if integ.dense:
        record_interpolant(integ, interpolant, t_new, False)
    integ.t = t_new
    integ.u = u_new
    integ.f0 = f_new
    if integ.save_everystep:
        save(integ, t_new, u_new)
    if cb_count(continuous) > 0:
        refresh_conditions(integ, continuous, -1)
    if integ.itstop < len(integ.tstop_values):
        drop_passed_tstops(integ)
    if cb_count(discrete) > 0:
        run_discrete(integ, f, discrete)


@register_jitable
def drop_passed_tstops(integ):
    t = float(value(integ.t))
    while integ.itstop < len(integ.tstop_values) and \
            integ.direction * (integ.tstop_values[integ.itstop] - t) <= 0:
        integ.itstop += 1


@register_jitable
def save_between(integ, interpolant, t_prev, t_end, u_end):
    """Save the saveat times in (t_prev, t_end] from this step's interpolant (``u_end``
    exactly at t_end)."""
    end = float(value(t_end))
    while integ.isave < len(integ.saveat_values) and \
            integ.direction * (integ.saveat_values[integ.isave] - end) <= 0:
        s, s_value = integ.saveat_times[integ.isave], integ.saveat_values[integ.isave]
        integ.isave += 1
        if integ.direction * (s_value - float(value(t_prev))) <= 0:
            continue  # at or before this step's start (t0 was saved at the start)
        if s_value == end:
            save(integ, s, u_end)
        else:
            save(integ, s, interpolate(interpolant, s))


@register_jitable
def condition_value(integ, continuous, k, u, t):
    """The callback's condition as a float; nan for exactly 0 (no sign to compare with)."""
    v = float(value(cb_condition(continuous, k, u, t, integ)))
    return math.nan if v == 0 else v


@register_jitable
def refresh_conditions(integ, continuous, skip):
    """The continuous callbacks' condition values at the current state (nan for ``skip``, the
    callback that just fired: the scan of the next step starts inside it)."""
    for k in range(cb_count(continuous)):
        if k == skip:
            integ.condition_values[k] = math.nan
        else:
            integ.condition_values[k] = condition_value(integ, continuous, k, integ.u, integ.t)


@register_jitable
def fire(integ, continuous, k, up, t_event, u_event):
    """Callback ``k``'s affect at its event (``up``: an upward crossing), with its saves."""
    save_before, save_after = cb_save_positions(continuous, k)
    if save_before:
        save(integ, t_event, copy_state(u_event))
    cb_affect(continuous, k, up, integ)
    if save_after:
        save(integ, integ.t, copy_state(integ.u))


@register_jitable
def coinciding_events(integ, continuous, fired, u, t):
    """The other callbacks whose conditions also cross zero at the event ``(t, u)`` of callback
    ``fired`` (their sign at ``u`` differs from the step's start, or is 0) and act on that
    direction: an array, per callback, 1 (upward), -1 (downward) or 0. They fire at the same
    time, once each: two callbacks with a common zero (to rounding) neither miss it nor find
    each other's landing point again and again."""
    n = cb_count(continuous)
    directions = np.zeros(n, dtype=np.int64)
    for j in range(n):
        previous = integ.condition_values[j]
        if j == fired or math.isnan(previous):
            continue
        v = condition_value(integ, continuous, j, u, t)
        if math.isnan(v) or (v > 0) != (previous > 0):
            up = previous < 0
            if cb_has_handler(continuous, j, up):
                directions[j] = 1 if up else -1
    return directions


@register_jitable
def refresh_after_event(integ, continuous, fired, also, repeat):
    """:func:`refresh_conditions` after an event: nan for the callbacks that fired (the scan
    of the next step starts inside them), and, for an event at the time of the previous one
    (``repeat``), for those that fired there too."""
    for k in range(cb_count(continuous)):
        if k == fired or also[k] != 0 or (repeat and math.isnan(integ.condition_values[k])):
            integ.condition_values[k] = math.nan
        else:
            integ.condition_values[k] = condition_value(integ, continuous, k, integ.u, integ.t)


@register_jitable
def first_event(integ, continuous, interpolant, t_prev, t_new):
    """The earliest event in the step: (callback index or -1, time, whether upward)."""
    best, best_t, best_up = -1, 0.0, False
    for k in range(cb_count(continuous)):
        found, t_root, up = find_event(integ, continuous, k, interpolant, t_prev, t_new,
                                       integ.condition_values[k])
        if found and (best < 0 or integ.direction * (t_root - best_t) < 0):
            best, best_t, best_up = k, t_root, up
    return best, best_t, best_up


@register_jitable
def find_event(integ, continuous, k, interpolant, t_prev, t_new, previous):
    """The first zero of callback ``k``'s condition in the step (t_prev, t_new], on the
    interpolant: (found, t_root as a float, whether the crossing is upward). ``previous`` is the
    condition's value at t_prev (nan right after an event there: the scan starts inside)."""
    at = event_function(integ, continuous, k, interpolant)
    tp, tn = float(value(t_prev)), float(value(t_new))
    n = max(cb_interp_points(continuous, k), 1)
    if math.isnan(previous):
        left_t = tn if n == 1 else tp + (tn - tp) / n
        left_v = evaluate(at, left_t)
        first = 2
    else:
        left_t, left_v = tp, previous
        first = 1
    for j in range(first, n + 1):
        t = tn if j == n else tp + (tn - tp) * j / n
        v = evaluate(at, t)
        if left_v != 0 and (v == 0 or (v > 0) != (left_v > 0)):
            up = left_v < 0
            if cb_has_handler(continuous, k, up):
                root = t if v == 0 else brent_bracketed(at, left_t, t, left_v, v)
                return True, root, up
        left_t, left_v = t, v
    return False, 0.0, False


@register_jitable
def land_on_event(integ, f, continuous, k, interpolant, t_root, t_prev, t_new):
    """The event time and state, to the full order of the method.

    ``t_root`` was found on the step's interpolant, which for a method without its own dense
    output is cubic Hermite: good to O(h^4) only (a Vern9 step at rtol 1e-10 puts an event
    1e-6 off). ``state_at`` is the method's own step from the step's start: two Newton steps
    on values with it, ``t -= c / (dc/dt)`` (dc/dt along the flow), land on the root of the
    condition along the method's solution; a last Newton step in the problem's own number type
    gives the time its derivatives (duals: the sensitivity of the event time), and the state
    follows it to first order, ``u(t*) = u(t) + (t* - t) f(u(t))`` (exact in value to rounding,
    and in derivatives by the chain rule). Returns ``(t_event, u_event)``.
    """
    tp, tn = float(value(t_prev)), float(value(t_new))
    lo, hi = min(tp, tn), max(tp, tn)
    t = t_root
    for _ in range(2):
        u = state_at(integ, f, interpolant, t_prev, t)
        f_u = call_f(integ, f, u, t)
        c = value(cb_condition(continuous, k, u, t, integ))
        slope = value(flow_slope(continuous, k, u, f_u, t, integ))
        if slope == 0:
            break
        t_next = t - c / slope
        if not lo <= float(value(t_next)) <= hi:  # Newton left the step: keep the bracket's
            t = t_root
            break
        t = t_next
    u = state_at(integ, f, interpolant, t_prev, t)
    f_u = call_f(integ, f, u, t)
    c = cb_condition(continuous, k, u, t, integ)
    slope = flow_slope(continuous, k, u, f_u, t, integ)
    if value(slope) == 0:
        return t, u
    t_event = t - c / slope
    return t_event, u + (t_event - t) * f_u


@register_jitable
def run_discrete(integ, f, discrete):
    """Run the discrete callbacks whose condition holds after the step."""
    for k in range(cb_count(discrete)):
        if discrete_condition(discrete, k, integ.u, integ.t, integ):
            save_before, save_after = cb_save_positions(discrete, k)
            if save_before and not integ.save_everystep:
                save(integ, integ.t, copy_state(integ.u))
            integ.u = copy_state(integ.u)
            discrete_affect(discrete, k, integ)
            if save_after:
                save(integ, integ.t, copy_state(integ.u))
            integ.f0 = call_f(integ, f, integ.u, integ.t)
