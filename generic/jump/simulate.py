"""One stochastic simulation run: the loop of the direct (or sorting direct) method.

:func:`simulate` is written once, ``register_jitable``: the compiled path has Numba compile it
(:mod:`.compiled`, the rates a first-class function value), the Python path runs it as Python
(the rates a Python callable). Both draw from the same generator (:mod:`.random`), so a seeded
run gives the same trajectory on both.
"""

from __future__ import annotations

import math

import numpy as np
from numba.extending import register_jitable

from .direct import fire, promote, select, total_rate, waiting_time

__all__ = ["simulate", "SUCCESS", "MAXITERS", "BAD_SHAPE", "BAD_RATE", "RETCODES"]

SUCCESS, MAXITERS, BAD_SHAPE, BAD_RATE = 0, 1, 2, 3
RETCODES = {SUCCESS: "Success", MAXITERS: "MaxIters"}


@register_jitable(inline="always")
def _set_row(rows, i, x):
    """``rows[i] = x``, as a loop (it compiles to less than a slice assignment)."""
    for s in range(x.shape[0]):
        rows[i, s] = x[s]


@register_jitable(inline="always")
def _with_room(ts, xs, saved):
    """``ts``, ``xs`` with room for one more event (twice as long when full)."""
    if saved < ts.shape[0]:
        return ts, xs
    more_ts = np.empty(2 * saved)
    more_xs = np.empty((2 * saved, xs.shape[1]), dtype=xs.dtype)
    for i in range(saved):
        more_ts[i] = ts[i]
        _set_row(more_xs, i, xs[i])
    return more_ts, more_xs


@register_jitable
def _save_grid(grid, out, first, x, until):
    """Save ``x`` at the grid times from index ``first`` that are before ``until``; the next
    index."""
    g = first
    while g < grid.shape[0] and grid[g] < until:
        _set_row(out, g, x)
        g += 1
    return g


@register_jitable
def simulate(rates, x0, p, tf, species, changes, counts, grid, out, every_event, sorting,
             maxiters):
    """Simulate from ``x0`` at time 0 to ``tf``.

    rates(a, x, p): writes the reactions' rates (propensities) in state ``x`` into ``a`` and
    returns how many the user's function gave (``a`` is left alone unless one per reaction).
    species, changes, counts: the stoichiometry, sparse (see :func:`.direct.fire`). grid,
    out: the state at each grid time (sorted, in [0, tf]) is written to ``out[i]`` (-1 after
    a failed run's end).
    every_event: also keep every event. sorting: the sorting direct method. maxiters: the most
    events.

    Returns (status, events, t_end, x_end, ts, xs, bad, bad_value): ``ts``, ``xs`` the event
    times and states from (0, x0) (with (tf, x_end) appended on success; only the start unless
    ``every_event``); ``bad``, ``bad_value`` the reaction and its rate (BAD_RATE) or the
    number of rates returned (BAD_SHAPE).
    """
    reactions = counts.shape[0]
    x = x0.copy()
    t = 0.0
    order = np.arange(reactions)
    a = np.empty(reactions)
    ts = np.empty(256 if every_event else 2)
    xs = np.empty((ts.shape[0], x0.shape[0]), dtype=x0.dtype)
    ts[0] = 0.0
    _set_row(xs, 0, x)
    saved = 1
    g = 0
    events = 0
    status = SUCCESS
    bad = -1
    bad_value = 0.0
    while True:
        given = rates(a, x, p)
        if given != reactions:
            status, bad_value = BAD_SHAPE, float(given)
            break
        a0, bad = total_rate(a)
        if bad >= 0:
            status, bad_value = BAD_RATE, a[bad]
            break
        t_next = t + waiting_time(a0)
        if t_next > tf:
            g = _save_grid(grid, out, g, x, math.inf)
            break
        if g < grid.shape[0] and grid[g] < t_next:
            g = _save_grid(grid, out, g, x, t_next)
        if events == maxiters:
            status = MAXITERS
            break
        k = select(a, a0, order)
        j = order[k]
        if sorting:
            promote(order, k)
        fire(x, j, species, changes, counts)
        t = t_next
        events += 1
        if every_event:
            ts, xs = _with_room(ts, xs, saved)
            ts[saved] = t
            _set_row(xs, saved, x)
            saved += 1
    if status == SUCCESS:
        ts, xs = _with_room(ts, xs, saved)
        ts[saved] = tf
        _set_row(xs, saved, x)
        saved += 1
        t = tf
    else:
        _save_grid(grid, out, g, np.full(x.shape[0], -1, dtype=x.dtype), math.inf)
    return status, events, t, x, ts[:saved], xs[:saved], bad, bad_value
