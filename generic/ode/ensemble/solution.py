"""The result of an ensemble solve: every trajectory's saved states as one array."""

from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace, is_array_api_obj

from ..solution import ODESolution, Stats, stack_states

__all__ = ["EnsembleSolution"]

_OK = ("Success", "Terminated")


class EnsembleSolution:
    """Trajectories of an :class:`~.problem.EnsembleProblem`.

    ``t``: the saved times, shared by all trajectories (the ``saveat`` grid; None when each
    trajectory saved its own steps). ``u``: the states, shape ``(trajectories, len(t),
    *state_shape)``, in the states' array type (NumPy, CuPy, ...); a trajectory that stopped
    early (a terminating callback, a failure) has nan after its last save. ``t_end``/``u_end``:
    where each trajectory stopped. ``retcodes``: one per trajectory; ``failures``: (index,
    retcode, message) of those that failed. ``sol[i]``: trajectory ``i`` as an
    :class:`~generic.ode.solution.ODESolution`. ``mean()``, ``var()``, ``quantile(q)``: over the
    successful trajectories at each saved time. ``outputs``: ``output_func``'s results, if given.
    """

    def __init__(self, t, u, retcodes: list, messages: list, stats: list, *, t_end=None,
                 u_end=None, solutions: list | None = None, outputs: list | None = None,
                 alg=None, mode: str = "", total_stats: Stats | None = None):
        self.t, self.u = t, u
        self._total_stats = total_stats
        self.retcodes, self.messages, self._stats = list(retcodes), list(messages), stats
        self.t_end, self.u_end = t_end, u_end
        self.solutions, self.outputs = solutions, outputs
        self.alg, self.mode = alg, mode

    @classmethod
    def from_solutions(cls, solutions: list, outputs: list | None = None, alg=None,
                       mode: str = "") -> EnsembleSolution:
        """Gather separate solutions (their saved times shared, or not)."""
        stats = [s.stats for s in solutions]
        t_end = np.asarray([float(s.t[-1]) if len(s.t) else np.nan for s in solutions])
        u_end = stack_states([s.u[-1] for s in solutions]) if all(len(s.t) for s in solutions) \
            else None
        shared = _shared_times(solutions)
        u = None
        if shared is not None:
            u = _padded([s.u for s in solutions], len(shared))
        return cls(shared, u, [s.retcode for s in solutions], [s.message for s in solutions],
                   stats, t_end=t_end, u_end=u_end, solutions=solutions, outputs=outputs,
                   alg=alg, mode=mode)

    # ------------------------------------------------------------------ access

    def __len__(self) -> int:
        return len(self.retcodes)

    def __getitem__(self, i: int) -> ODESolution:
        if self.solutions is not None:
            return self.solutions[i]
        n = len(self.retcodes)
        if not -n <= i < n:
            raise IndexError(f"trajectory {i} of an ensemble of {n}")
        i %= n
        saved = _count_saved(self.u[i])
        return ODESolution(None, self.alg, np.asarray(self.t[:saved]), self.u[i, :saved], [],
                           self.retcodes[i], self.messages[i], self._stats[i])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def stats(self) -> Stats:
        """The work of all trajectories together (of the one batch for ``EnsembleBatched``)."""
        if self._total_stats is not None:
            return self._total_stats
        return Stats(sum(s.nf for s in self._stats), sum(s.naccept for s in self._stats),
                     sum(s.nreject for s in self._stats))

    @property
    def success(self) -> bool:
        """Whether every trajectory succeeded (or was terminated by a callback)."""
        return all(r in _OK for r in self.retcodes)

    @property
    def failures(self) -> list[tuple[int, str, str]]:
        """(index, retcode, message) of each trajectory that failed."""
        return [(i, r, m) for i, (r, m) in enumerate(zip(self.retcodes, self.messages,
                                                         strict=True)) if r not in _OK]

    # ------------------------------------------------------------------ statistics

    def _successful(self):
        if self.u is None:
            raise ValueError("the trajectories saved different times: solve the ensemble with "
                             "saveat=... for statistics at shared times")
        keep = [i for i, r in enumerate(self.retcodes) if r in _OK]
        if not keep:
            raise ValueError("no trajectory of the ensemble succeeded: see .failures")
        if len(keep) == len(self.retcodes):
            return self.u
        xp = array_namespace(self.u)
        return xp.take(self.u, xp.asarray(keep, device=_device(self.u)), axis=0)

    def mean(self):
        """The mean state over the successful trajectories at each saved time."""
        u = self._successful()
        return array_namespace(u).mean(u, axis=0)

    def var(self, correction: float = 1.0):
        """The variance over the successful trajectories at each saved time (``correction=1``:
        the unbiased sample variance)."""
        u = self._successful()
        return array_namespace(u).var(u, axis=0, correction=correction)

    def quantile(self, q):
        """Quantile(s) ``q`` (in [0, 1]) over the successful trajectories at each saved time."""
        u = self._successful()
        xp = array_namespace(u)
        quantile = getattr(xp, "quantile", None)
        if quantile is None:  # not in the array API standard: NumPy's, on the host
            return np.quantile(np.asarray(u), q, axis=0)
        return quantile(u, q, axis=0)

    def __repr__(self) -> str:
        nt = "ragged" if self.t is None else len(self.t)
        failed = len(self.failures)
        return (f"EnsembleSolution({len(self)} trajectories{', ' + self.mode if self.mode else ''}"
                f", saved times: {nt}, failed: {failed}, stats={self.stats})")


def _shared_times(solutions: list):
    """The saved times if every trajectory saved at (a prefix of) the same times, else None."""
    longest = max(solutions, key=lambda s: len(s.t)).t
    longest_values = np.asarray(longest, dtype=float) if longest.dtype != object else None
    if longest_values is None:
        return None
    for s in solutions:
        n = len(s.t)
        if n and not np.array_equal(np.asarray(s.t, dtype=float), longest_values[:n]):
            return None
    return longest


def _padded(us: list, n: int):
    """States of each trajectory, stacked, nan after each one's last save (an object array,
    None-padded, for states of other number types; None if they do not stack)."""
    nonempty = [u for u in us if len(u)]
    if not nonempty:
        return None
    first = nonempty[0]
    shape = (len(us), n, *first.shape[1:])
    try:
        if is_array_api_obj(first) and not (isinstance(first, np.ndarray)
                                            and first.dtype.kind == "O"):
            xp = array_namespace(first)
            out = xp.full(shape, float("nan"), dtype=first.dtype, device=_device(first))
        else:
            out = np.full(shape, None, dtype=object)
        for i, u in enumerate(us):
            if len(u):
                out[i, :u.shape[0], ...] = u
    except (TypeError, ValueError):
        return None
    return out


def _count_saved(u) -> int:
    xp = array_namespace(u)
    flat = xp.reshape(u, (u.shape[0], -1))
    return int(xp.sum(xp.astype(xp.any(~xp.isnan(flat), axis=1), xp.int64)))


def _device(x):
    return getattr(x, "device", None)
