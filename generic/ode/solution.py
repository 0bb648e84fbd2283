"""ODE solutions: saved times and states, dense output, return code and statistics."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
from array_api_compat import array_namespace, is_array_api_obj

from ..functions import value

__all__ = ["ODESolution", "Stats", "RETCODES", "stack_states"]

RETCODES = ("Success", "Terminated", "MaxIters", "DtLessThanMin", "Unstable")


@dataclass
class Stats:
    """Counts of a solve: right-hand side evaluations, accepted and rejected steps."""

    nf: int = 0
    naccept: int = 0
    nreject: int = 0

    @property
    def nsteps(self) -> int:
        return self.naccept + self.nreject


class ODESolution:
    """The result of ``g.solve``.

    ``t``: the saved times (an ndarray); ``u``: the saved states stacked along a first axis
    (``u[i]`` is the state at ``t[i]``; an ndarray for NumPy states, the state's own array
    type otherwise); ``sol(t)`` interpolates (a scalar time or an array of times);
    ``retcode`` is one of "Success", "Terminated", "MaxIters", "DtLessThanMin", "Unstable",
    with ``message`` saying why when it is not "Success"; ``stats`` counts the work.
    """

    def __init__(self, prob, alg, ts: list, us: list, interpolants, retcode: str,
                 message: str, stats: Stats, extra: dict | None = None, breaks=None):
        self.prob, self.alg = prob, alg
        self.t = ts if isinstance(ts, np.ndarray) else _stack_times(ts)
        self.u = us if isinstance(us, np.ndarray) else stack_states(us)
        self.interpolants = interpolants  # a sequence of per-step interpolants
        self._breaks_given = breaks
        self._breaks_list = None
        self.retcode, self.message, self.stats = retcode, message, stats
        self.extra = extra or {}

    @property
    def _breaks(self) -> list:
        """The times where the interpolants end (computed on first use)."""
        if self._breaks_list is None:
            self._breaks_list = list(self._breaks_given) if self._breaks_given is not None \
                else [float(value(i.t_end)) for i in self.interpolants]
        return self._breaks_list

    @property
    def success(self) -> bool:
        return self.retcode in ("Success", "Terminated")

    def __call__(self, t):
        """The solution at time ``t`` (scalar) or at each of the times ``t`` (array, stacked)."""
        if not self.interpolants:
            raise ValueError("this solution has no dense output (solve(..., dense=False) or a "
                             "saveat solve); solve with dense=True to call it")
        if np.ndim(value(t)) == 0:
            return self._at(t.item() if isinstance(t, np.generic) else t)
        # Python numbers from a NumPy array of times (array API states take Python scalars)
        return stack_states([self._at(s) for s in (t.tolist() if isinstance(t, np.ndarray)
                                                     else t)])

    def _at(self, t):
        tv = float(value(t))
        t0, tf = float(value(self.interpolants[0].t0)), self._breaks[-1]
        forward = tf >= t0
        if (tv < min(t0, tf) - 1e-12 * abs(tf - t0)) or (tv > max(t0, tf) + 1e-12 * abs(tf - t0)):
            raise ValueError(f"sol({tv}) is outside the solved interval [{t0}, {tf}]")
        keys = self._breaks if forward else [-b for b in self._breaks]
        i = bisect.bisect_left(keys, tv if forward else -tv)
        return self.interpolants[min(i, len(self.interpolants) - 1)](t)

    def __repr__(self) -> str:
        return (f"ODESolution(retcode={self.retcode!r}, {len(self.t)} saved points, "
                f"t=[{value(self.t[0])} .. {value(self.t[-1])}], stats={self.stats})")


def _stack_times(ts: list):
    if all(isinstance(t, (float, int, np.floating)) for t in ts):
        return np.asarray(ts, dtype=float)
    out = np.empty(len(ts), dtype=object)
    out[:] = ts
    return out


def stack_states(us: list):
    """States stacked along a new first axis, in their own array type where they have one."""
    if not us:
        return np.empty(0)
    first = us[0]
    if is_array_api_obj(first) and not isinstance(first, np.ndarray):
        return array_namespace(first).stack(us)
    if isinstance(first, np.ndarray) or hasattr(first, "__array_function__"):
        return np.stack(us)
    if all(isinstance(u, (float, int, complex, np.number)) for u in us):
        return np.asarray(us)
    out = np.empty(len(us), dtype=object)  # scalars of a number type: an object array
    out[:] = us
    return out
