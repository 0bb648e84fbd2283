"""Reading a compiled solve back: saved points and per-step dense output as arrays."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...compiled_cache import keyed_on_sources
from ..interpolation import StepInterpolant

__all__ = ["results", "CompiledInterpolants"]


@keyed_on_sources
@njit(cache=True)
def results(integ):
    """Everything a solution needs from the compiled record, as arrays and numbers: the saved
    times and states, status and counters, where the solve stopped (t, the step size that
    failed), the steps for dense output (see :class:`CompiledInterpolants`), the state where the
    solve stopped, and a callback's termination message."""
    n, m = integ.n_saved, integ.n_steps
    return (integ.ts[:n].copy(), integ.us[:n].copy(), integ.status, integ.nf, integ.naccept,
            integ.nreject, integ.t, integ.dt_failed, integ.rec_times[:m].copy(),
            integ.rec_states[:m].copy(), integ.rec_ks[:m].copy(), integ.u, integ.message)


class CompiledInterpolants:
    """The steps of a compiled solve as a sequence of ``StepInterpolant`` (built on access):
    ``times`` a row (t0, dt, end or nan) per step, ``states`` a row (u0, u1, f0, f1), ``kss``
    the stages, ``tab`` the method's tableau in floats (None: cubic Hermite)."""

    def __init__(self, times: np.ndarray, states: np.ndarray, kss: np.ndarray, tab):
        self.times, self.states, self.kss, self.tab = times, states, kss, tab

    def __len__(self) -> int:
        return len(self.times)

    def __getitem__(self, i: int) -> StepInterpolant:
        t0, dt, end = (float(x) for x in self.times[i])
        states = self.states[i]
        scalar = states.ndim == 1
        ks = list(self.kss[i]) if scalar else self.kss[i]
        return StepInterpolant(t0, dt, *(float(x) if scalar else x for x in states), ks,
                               self.tab, None if math.isnan(end) else end)

    def __bool__(self) -> bool:
        return len(self) > 0

    def breaks(self) -> np.ndarray:
        """Where each step ends."""
        times = self.times
        if not len(times):
            return times[:, 2]  # no dense output
        return np.where(np.isnan(times[:, 2]), times[:, 0] + times[:, 1], times[:, 2])
