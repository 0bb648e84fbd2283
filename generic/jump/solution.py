"""Results of ``g.ssa``: one run (:class:`SSASolution`) or an ensemble on a time grid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SSASolution", "SSAEnsembleSolution", "SSAStats"]


@dataclass
class SSAStats:
    """Counts of a run: reactions fired."""

    events: int = 0


def _states_at(t_saved: np.ndarray, x_saved: np.ndarray, t):
    """The piecewise-constant, right-continuous state at time(s) ``t``."""
    tq = np.asarray(t, dtype=float)
    if np.any(tq < t_saved[0]) or np.any(tq > t_saved[-1]):
        raise ValueError(f"sol(t): t must lie in [{t_saved[0]}, {t_saved[-1]}], got {t}")
    index = np.searchsorted(t_saved, tq, side="right") - 1
    return x_saved[index]


class SSASolution:
    """One run of ``g.ssa``.

    ``t``: the event times, from 0, with ``tf`` appended (or the ``saveat`` grid); ``x``: the
    states, ``x[i]`` holding on ``[t[i], t[i+1])`` (shape ``(len(t), species)``, so the last
    row repeats the final state at ``tf``); ``u`` is the same array. ``sol(t)``: the state at
    time(s) ``t`` (right-continuous: the state just after an event at ``t``; on a ``saveat``
    grid, the last saved state at or before ``t``). ``retcode``: "Success" or "MaxIters"
    (with ``message``); ``stats.events``: the number of reactions fired; ``seed``, ``run``:
    the seed it was simulated with and its index in an ensemble (``ssa(..., seed=sol.seed)``
    repeats run 0); ``compiled``: which path ran.
    """

    def __init__(self, t: np.ndarray, x: np.ndarray, retcode: str, message: str,
                 stats: SSAStats, seed: int, compiled: bool, run: int = 0):
        self.t, self.x = t, x
        self.retcode, self.message, self.stats = retcode, message, stats
        self.seed, self.run, self.compiled = seed, run, compiled

    @property
    def u(self) -> np.ndarray:
        return self.x

    def __call__(self, t):
        return _states_at(self.t, self.x, t)

    def __repr__(self) -> str:
        return (f"SSASolution(retcode={self.retcode!r}, events={self.stats.events}, "
                f"saved={len(self.t)}, species={self.x.shape[1]})")


class SSAEnsembleSolution:
    """Many runs of ``g.ssa`` saved on one time grid.

    ``t``: the grid; ``x`` (also ``u``): the states, shape ``(runs, len(t), species)`` (-1
    after a failed run's end); ``retcodes``, ``events`` per run; ``seed``: the ensemble's
    seed (run ``i`` draws from ``generic.jump.random.run_seed(seed, i)``); ``sol[i]``: run
    ``i`` as an :class:`SSASolution` on the grid. ``mean()``, ``var()``, ``quantile(q)``: over
    the successful runs at each grid time, shape ``(len(t), species)``.
    """

    def __init__(self, t: np.ndarray, x: np.ndarray, retcodes: list[str], messages: list[str],
                 events: np.ndarray, seed: int, compiled: bool):
        self.t, self.x = t, x
        self.retcodes, self.messages = retcodes, messages
        self.events, self.seed, self.compiled = events, seed, compiled

    @property
    def u(self) -> np.ndarray:
        return self.x

    def __len__(self) -> int:
        return self.x.shape[0]

    def __getitem__(self, i: int) -> SSASolution:
        return SSASolution(self.t, self.x[i], self.retcodes[i], self.messages[i],
                           SSAStats(int(self.events[i])), self.seed, self.compiled, i % len(self))

    @property
    def success(self) -> bool:
        return all(r == "Success" for r in self.retcodes)

    @property
    def failures(self) -> list[tuple[int, str, str]]:
        """(index, retcode, message) of each run that failed."""
        return [(i, r, self.messages[i]) for i, r in enumerate(self.retcodes) if r != "Success"]

    def _successful(self) -> np.ndarray:
        keep = np.asarray([r == "Success" for r in self.retcodes])
        if not keep.any():
            raise ValueError("no run of the ensemble succeeded: see .failures")
        return self.x if keep.all() else self.x[keep]

    def mean(self) -> np.ndarray:
        """The mean state at each grid time."""
        return self._successful().mean(axis=0)

    def var(self, ddof: int = 1) -> np.ndarray:
        """The variance at each grid time (``ddof=1``: the unbiased sample variance)."""
        return self._successful().var(axis=0, ddof=ddof)

    def quantile(self, q) -> np.ndarray:
        """Quantile(s) ``q`` (in [0, 1]) at each grid time."""
        return np.quantile(self._successful(), q, axis=0)

    def __repr__(self) -> str:
        return (f"SSAEnsembleSolution({len(self)} runs, grid times: {len(self.t)}, "
                f"failed: {len(self.failures)}, events: {int(self.events.sum())})")
