"""Compiled ensembles: many float64 trajectories in one call, in parallel threads.

Each trajectory runs the same compiled solve as ``g.solve(..., compile=True)`` (``entry``,
so the stepping source is still :mod:`generic.ode.stepping`); ``prange`` spreads the
trajectories over Numba's threads. Every trajectory saves on one shared grid (``saveat``, by
default the two ends), so the results are arrays: states ``(trajectories, times, ...)`` with
nan after a trajectory's last save, and each trajectory's status, counts and final state.
A stiff method's data carries buffers that a solve writes (its Jacobian, ``W``'s factors):
each trajectory gets its own (:func:`trajectory_tab`), the coefficients stay shared.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, types
from numba.core.extending import overload, register_jitable

from ...compiled_cache import keyed_on_sources
from .entry import entry
from .record import CompiledTableau

__all__ = ["ensemble_entry", "trajectory_p", "trajectory_tab"]


@register_jitable(forceinline=True)
def trajectory_p(p_rows, i):
    """Trajectory ``i``'s flat parameters: row ``i`` of ``p_rows``, or its only row (shared
    by every trajectory)."""
    return p_rows[i] if p_rows.shape[0] > 1 else p_rows[0]


def trajectory_u0(u0s, i):
    """Trajectory ``i``'s initial state, its own copy (compiled only)."""
    raise NotImplementedError("compiled code only")


@overload(trajectory_u0)
def _trajectory_u0(u0s, i):
    if u0s.ndim == 1:
        return lambda u0s, i: u0s[i]
    return lambda u0s, i: u0s[i].copy()


def trajectory_tab(tab, i):
    """The method's data for one trajectory: ``tab`` itself when a solve only reads it (an
    explicit method's tableau), else a copy with buffers of its own (a stiff method's data:
    its overload is beside its data type). Compiled only."""
    raise NotImplementedError("compiled code only")


@overload(trajectory_tab)
def _trajectory_tab(tab, i):
    if isinstance(tab, types.NamedTuple) and tab.instance_class is CompiledTableau:
        return lambda tab, i: tab


@keyed_on_sources
@njit(cache=True, parallel=True)
def ensemble_entry(t0, u0s, p_rows, tf, direction, span, dt, dtmin, dtmax, adaptive,
                   maxiters, rtol, atol, tab, control, tstops, saveat, f_addresses,
                   continuous_specs, discrete_specs, order, out_us, out_saved, out_status,
                   out_counts, out_ends, out_u_end):
    """Solve trajectory ``i`` from ``u0s[i]`` with parameters ``trajectory_p(p_rows, i)``
    (flat: ``parameters.flatten``) for every ``i``, writing its saved states, number saved,
    status, counts (nf, naccept, nreject), final time and last failed step size, and final
    state into the ``out_`` arrays."""
    for i in prange(u0s.shape[0]):
        u0 = trajectory_u0(u0s, i)
        p = trajectory_p(p_rows, i)
        arrays = entry(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive, maxiters,
                       rtol, atol, trajectory_tab(tab, i), control, tstops, saveat, False, False,
                       f_addresses, continuous_specs, discrete_specs, order)
        us = arrays[1]
        saved = min(us.shape[0], out_us.shape[1])
        out_us[i, :saved] = us[:saved]
        out_saved[i] = saved
        out_status[i] = arrays[2]
        out_counts[i, 0] = arrays[3]
        out_counts[i, 1] = arrays[4]
        out_counts[i, 2] = arrays[5]
        out_ends[i, 0] = arrays[6]
        out_ends[i, 1] = arrays[7]
        out_u_end[i] = arrays[11]


_ = np
