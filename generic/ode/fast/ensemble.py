"""Compiled ensembles: many float64 trajectories in one call, in parallel threads.

Each trajectory runs the same compiled solve as ``g.solve(..., compile=True)`` (``run_solve``,
so the stepping source is still :mod:`generic.ode.stepping`); ``prange`` spreads the
trajectories over Numba's threads. Every trajectory saves on one shared grid (``saveat``, by
default the two ends), so the results are arrays: states ``(trajectories, times, ...)`` with
nan after a trajectory's last save, and each trajectory's status, counts and final state.
A stiff method's data carries buffers that a solve writes (its Jacobian, ``W``'s factors):
each trajectory gets its own (:func:`.trajectory.trajectory_tab`), the coefficients stay
shared.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ...compiled_cache import keyed_on_sources
from .entry import run_solve
from .trajectory import trajectory_p, trajectory_tab, trajectory_u0

__all__ = ["ensemble_entry"]


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
        arrays = run_solve(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive,
                           maxiters, rtol, atol, trajectory_tab(tab, i), control, tstops,
                           saveat, False, False, f_addresses, continuous_specs,
                           discrete_specs, order)
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
