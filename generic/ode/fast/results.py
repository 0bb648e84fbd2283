"""Reading a compiled solve back: saved points and per-step dense output as arrays."""

from __future__ import annotations

import numpy as np
from numba import njit

from ...compiled_cache import keyed_on_sources
from ..interpolation import StepInterpolant

__all__ = ["results", "CompiledInterpolants"]


@keyed_on_sources
@njit(cache=True)
def results(integ):
    """Everything a solution needs from the compiled record, as arrays and numbers (the last:
    the state where the solve stopped, then a callback's termination message)."""
    n, m = integ.n_saved, integ.n_steps
    return (integ.ts[:n].copy(), integ.us[:n].copy(), integ.status, integ.nf, integ.naccept,
            integ.nreject, integ.t, integ.dt_failed, integ.rec_t0[:m].copy(),
            integ.rec_dt[:m].copy(), integ.rec_end[:m].copy(), integ.rec_u0[:m].copy(),
            integ.rec_u1[:m].copy(), integ.rec_f0[:m].copy(), integ.rec_f1[:m].copy(),
            integ.rec_ks[:m].copy(), integ.u, integ.message)


class CompiledInterpolants:
    """The steps of a compiled solve as a sequence of ``StepInterpolant`` (built on access)."""

    def __init__(self, t0s, dts, ends, u0s, u1s, f0s, f1s, kss, tab):
        self.t0s, self.dts, self.ends = t0s, dts, ends
        self.u0s, self.u1s, self.f0s, self.f1s, self.kss, self.tab = u0s, u1s, f0s, f1s, kss, tab

    def __len__(self) -> int:
        return len(self.t0s)

    def __getitem__(self, i: int) -> StepInterpolant:
        end = self.ends[i]
        scalar = self.u0s.ndim == 1
        ks = list(self.kss[i]) if scalar else self.kss[i]
        return StepInterpolant(float(self.t0s[i]), float(self.dts[i]), *(
            float(x[i]) if scalar else x[i] for x in (self.u0s, self.u1s, self.f0s, self.f1s)),
            ks, self.tab, None if np.isnan(end) else float(end))

    def __bool__(self) -> bool:
        return len(self) > 0

    def breaks(self) -> np.ndarray:
        """Where each step ends."""
        if not len(self.ends):
            return self.ends  # no dense output
        return np.where(np.isnan(self.ends), self.t0s + self.dts, self.ends)
