"""Compiled methods of the stepping hooks (:mod:`generic.ode.hooks`) for the compiled record.

Each ``@overload(hook)`` is the float64 fast path's method of a hook whose Python body serves
the generic path: the method of the step is the explicit Runge–Kutta attempt, the controller
is PI, callbacks are tuples of compiled functions. ``stepping``'s loop itself is not repeated
here: Numba compiles it from its source.
"""

from __future__ import annotations

import math

import numpy as np
from numba import types
from numba.core.extending import overload, register_jitable

from ...functions import norm
from ...functions.compiled import INLINE
from ...roots import evaluate
from .. import hooks
from ..controller import (
    composed_error_norm,
    error_norm,
    pi_next_dt,
    pi_retry_dt,
    weighted_error_norm,
)
from ..erk import erk_attempt
from ..interpolation import dense_weights, interpolate, polynomial
from . import implicit, rosenbrock  # noqa: F401 - the stiff methods' compiled attempts
from .functions import affect_at, condition_at, discrete_condition_at
from .record import (
    CompiledContinuous,
    CompiledDiscrete,
    CompiledEvent,
    CompiledIntegratorType,
    CompiledStep,
    CompiledTableau,
)

_FD_STEP = 6.055454452393343e-06  # cbrt(eps(float64)): central differences' best step


def _record(integ) -> bool:
    return isinstance(integ, CompiledIntegratorType)


def _erk_record(integ) -> bool:
    """A record whose method is an explicit Runge–Kutta tableau (the stiff methods have their
    attempts in ``fast/rosenbrock.py`` and ``fast/implicit.py``)."""
    if not _record(integ):
        return False
    tab = integ.field_dict["tab"]
    return isinstance(tab, types.NamedTuple) and tab.instance_class is CompiledTableau


# ------------------------------------------------------------------ the method and its control

@overload(hooks.attempt, jit_options=INLINE)
def _attempt(integ, f, t, u, dt, f0):
    if _erk_record(integ):
        return lambda integ, f, t, u, dt, f0: erk_attempt(
            f, integ.p, integ.tab, t, u, dt, f0, integ.adaptive, integ.atol, integ.rtol)


def _at(x, m):
    """Element ``m`` of a tolerance (a float, or an array shaped like the state); compiled
    only."""
    raise NotImplementedError("compiled code only")


@overload(_at, jit_options=INLINE)
def _at_overload(x, m):
    if isinstance(x, types.Array):
        return lambda x, m: x[m]
    return lambda x, m: x


@register_jitable(forceinline=True)
def _scaled(e_m, u, u_new, atol, rtol, m):
    """Value ``m`` of the error estimate, ``e_m``, over ``error_scale(u, u_new, atol, rtol)``'s
    value ``m``, rounded as that composition."""
    size_new = abs(u_new[m])
    size = abs(u[m])
    larger = size if size >= size_new else size_new  # np.maximum: nan wins
    return e_m / (_at(atol, m) + _at(rtol, m) * larger + 0.0 * size_new)


@overload(error_norm, jit_options=INLINE)
def _error_norm(e, u, u_new, atol, rtol):
    """``norm(e / error_scale(u, u_new, atol, rtol))`` in one pass and one array: each scaled
    error rounded as the composition, the squares summed by the same ``norm``."""
    if isinstance(u, types.Float):
        def scalar(e, u, u_new, atol, rtol):
            size_new = abs(u_new)
            size = abs(u)
            scale = atol + rtol * (size if size >= size_new else size_new) + 0.0 * size_new
            return abs(e / scale)
        return scalar
    if isinstance(u, types.Array) and u.ndim == 1:
        def impl(e, u, u_new, atol, rtol):
            scaled = np.empty(e.shape[0])
            for m in range(e.shape[0]):
                scaled[m] = _scaled(e[m], u, u_new, atol, rtol, m)
            return norm(scaled)
        return impl


# Below this many values BLAS's dot (OpenBLAS's kernels, below their unrolled block) sums the
# squares in order, one accumulator: a loop doing the same gives the same bits.
_IN_ORDER_DOT = 16


@overload(weighted_error_norm, jit_options=INLINE)
def _weighted_error_norm(weights, ks, u, u_new, atol, rtol):
    """For a small 1-d state, :func:`error_norm` of ``Σ_j weights[j] ks[j]`` in one pass
    without storing the estimate nor the scaled errors: each value rounded as the composition
    (the stage sum in order, then scaled), the squares summed in order as ``norm``'s dot."""
    if isinstance(u, types.Array) and u.ndim == 1 and ks.ndim == 2:
        def impl(weights, ks, u, u_new, atol, rtol):
            n = u.shape[0]
            if 0 < n < _IN_ORDER_DOT:
                squares = 0.0
                for m in range(n):
                    e = 0.0
                    for j in range(len(weights)):
                        e += ks[j, m] * weights[j]
                    scaled = _scaled(e, u, u_new, atol, rtol, m)
                    squares += scaled * scaled
                if math.isfinite(squares) and squares < 1e300:
                    return math.sqrt(squares / n)
            return composed_error_norm(weights, ks, u, u_new, atol, rtol)
        return impl
    if isinstance(u, types.Float):
        return composed_error_norm


@overload(hooks.next_dt, jit_options=INLINE)
def _next_dt(integ, dt, err):
    if _record(integ):
        return lambda integ, dt, err: pi_next_dt(integ, dt, err)


@overload(hooks.retry_dt, jit_options=INLINE)
def _retry_dt(integ, dt, err):
    if _record(integ):
        return lambda integ, dt, err: pi_retry_dt(integ, dt, err)


@overload(hooks.compress_state, jit_options=INLINE)
def _compress_state(integ, x):
    if _record(integ):
        return lambda integ, x: x


@overload(hooks.copy_state, jit_options=INLINE)
def _copy_state(u):
    if isinstance(u, types.Array):
        return lambda u: u.copy()
    return lambda u: u


@overload(hooks.finite, jit_options=INLINE)
def _finite(u):
    if isinstance(u, types.Array):
        return lambda u: np.all(np.isfinite(u))
    return lambda u: math.isfinite(u)


# ------------------------------------------------------------------ dense output

@overload(hooks.make_interpolant, jit_options=INLINE)
def _make_interpolant(t0, dt, u0, u1, f0, f1, ks, tab):
    return lambda t0, dt, u0, u1, f0, f1, ks, tab: CompiledStep(t0, dt, u0, u1, f0, f1, ks,
                                                                tab.dense)


@register_jitable
def _room(rows, n):
    """``rows`` (filled up to ``n``) with room for one more row: doubled when full."""
    if n < rows.shape[0]:
        return rows
    bigger = np.empty((2 * rows.shape[0],) + rows.shape[1:])
    bigger[:n] = rows[:n]
    return bigger


@overload(hooks.save)
def _save(integ, t, u):
    if _record(integ):
        def impl(integ, t, u):
            n = integ.n_saved
            if n >= integ.ts.shape[0]:  # full: double (the fields are set only then)
                integ.ts = _room(integ.ts, n)
                integ.us = _room(integ.us, n)
            integ.ts[n] = t
            integ.us[n] = u
            integ.n_saved = n + 1
        return impl


@overload(hooks.record_interpolant)
def _record_interpolant(integ, step, end, cut):
    if _record(integ):
        def impl(integ, step, end, cut):
            n = integ.n_steps
            if n >= integ.rec_times.shape[0]:  # full: double them all (same capacity)
                integ.rec_times = _room(integ.rec_times, n)
                integ.rec_states = _room(integ.rec_states, n)
                integ.rec_ks = _room(integ.rec_ks, n)
            times, states = integ.rec_times, integ.rec_states
            times[n, 0] = step.t0
            times[n, 1] = step.dt
            times[n, 2] = end if cut else math.nan
            states[n, 0] = step.u0
            states[n, 1] = step.u1
            states[n, 2] = step.f0
            states[n, 3] = step.f1
            integ.rec_ks[n] = step.ks
            integ.n_steps = n + 1
        return impl


@overload(dense_weights)
def _dense_weights(dense, theta, ks):
    if isinstance(dense, types.Array):
        def impl(dense, theta, ks):
            weights = np.empty(dense.shape[0])
            for i in range(dense.shape[0]):
                weights[i] = polynomial(dense[i], theta)
            return weights, ks
        return impl


@overload(hooks.state_at)
def _state_at(integ, f, step, t_prev, t):
    """The method's own step, not adaptive (the generic path tries an adaptive one first)."""
    if _record(integ):
        def impl(integ, f, step, t_prev, t):
            adaptive = integ.adaptive
            integ.adaptive = False
            tried = hooks.attempt(integ, f, t_prev, step.u0, t - t_prev, step.f0)
            integ.adaptive = adaptive
            integ.nf += tried.nf
            return tried.u_new
        return impl


# ------------------------------------------------------------------ callbacks

def _continuous(callbacks) -> bool:
    return isinstance(callbacks, types.NamedTuple) and \
        callbacks.instance_class is CompiledContinuous


def _discrete(callbacks) -> bool:
    return isinstance(callbacks, types.NamedTuple) and \
        callbacks.instance_class is CompiledDiscrete


@overload(hooks.cb_count, jit_options=INLINE)
def _cb_count(callbacks):
    if _continuous(callbacks) or _discrete(callbacks):
        return lambda callbacks: callbacks.condition.shape[0]


@overload(hooks.cb_condition, jit_options=INLINE)
def _cb_condition(callbacks, k, u, t, integ):
    if _continuous(callbacks):
        return lambda callbacks, k, u, t, integ: condition_at(
            callbacks.condition[k, 0], callbacks.condition[k, 1], u, integ)(u, t, integ)


@overload(hooks.cb_has_handler, jit_options=INLINE)
def _cb_has_handler(callbacks, k, up):
    if _continuous(callbacks):
        return lambda callbacks, k, up: \
            callbacks.has_affect[k] if up else callbacks.has_affect_neg[k]


@overload(hooks.cb_affect, jit_options=INLINE)
def _cb_affect(callbacks, k, up, integ):
    if _continuous(callbacks):
        def impl(callbacks, k, up, integ):
            addresses = callbacks.affect if up else callbacks.affect_neg
            affect_at(addresses[k, 0], addresses[k, 1], integ)(integ)
        return impl


@overload(hooks.cb_interp_points, jit_options=INLINE)
def _cb_interp_points(callbacks, k):
    if _continuous(callbacks):
        return lambda callbacks, k: callbacks.interp_points[k]


@overload(hooks.cb_save_positions, jit_options=INLINE)
def _cb_save_positions(callbacks, k):
    if _continuous(callbacks) or _discrete(callbacks):
        return lambda callbacks, k: (callbacks.save_positions[k, 0],
                                     callbacks.save_positions[k, 1])


@overload(hooks.flow_slope)
def _flow_slope(callbacks, k, u, f_u, t, integ):
    """d/ds c(u + (s - t) f_u, s) at s = t by a central difference (the generic path uses a
    dual number; both are only Newton slopes: the root they converge to is the same)."""
    if _continuous(callbacks):
        def impl(callbacks, k, u, f_u, t, integ):
            h = _FD_STEP * max(1.0, abs(t))
            condition = condition_at(callbacks.condition[k, 0], callbacks.condition[k, 1], u,
                                     integ)
            return (condition(u + h * f_u, t + h, integ)
                    - condition(u - h * f_u, t - h, integ)) / (2 * h)
        return impl


@overload(hooks.event_function)
def _event_function(integ, callbacks, k, step):
    if _record(integ):
        return lambda integ, callbacks, k, step: CompiledEvent(integ, callbacks, k, step)


@overload(evaluate)
def _evaluate(fun, x):
    if isinstance(fun, types.NamedTuple) and fun.instance_class is CompiledEvent:
        return lambda fun, x: float(hooks.cb_condition(fun.callbacks, fun.k,
                                                       interpolate(fun.step, x), x, fun.integ))


@overload(hooks.discrete_condition, jit_options=INLINE)
def _discrete_condition(callbacks, k, u, t, integ):
    if _discrete(callbacks):
        return lambda callbacks, k, u, t, integ: discrete_condition_at(
            callbacks.condition[k, 0], callbacks.condition[k, 1], u, integ)(u, t, integ)


@overload(hooks.discrete_affect, jit_options=INLINE)
def _discrete_affect(callbacks, k, integ):
    if _discrete(callbacks):
        return lambda callbacks, k, integ: affect_at(
            callbacks.affect[k, 0], callbacks.affect[k, 1], integ)(integ)
