"""Brownian paths: seeded, recorded, replayable, refined by Brownian bridges.

A :class:`BrownianPath` is the Wiener process ``W`` (and, for methods that need the iterated
integral ``I_(1,0)``, a second independent process ``Z``) as a record of the values drawn so
far. A step asks for ``W(t_new) - W(t)``; a time past the record is drawn forward, a time
between two recorded ones is drawn from the Brownian bridge between them and kept. So a
rejected adaptive step's future stays in the record and a shorter retry is conditioned on it
(the idea of RSwM, rejection sampling with memory: Rackauckas & Nie 2017, Discrete Contin. Dyn.
Syst. B 22(7)), and a second solve on the same path, with the same steps, gets the very same
increments: a dual-number solve on ``sol.W`` differentiates along that path.

Values are float64, drawn from the counter-based generator of :mod:`generic.random`: the
path owns a key (from its seed) and a counter (how many normals it has drawn), so two paths
never interfere, the same requests replay the same numbers, and the compiled ensemble draws
trajectory ``i``'s path inside its loop from the key alone (:func:`generic.sde.fast`); solvers
convert them into the state's type.
"""

from __future__ import annotations

import bisect
import math

import numpy as np

from ..random import brownian_grid, normals, seed_key

__all__ = ["BrownianPath"]


class BrownianPath:
    """A Wiener process of shape ``shape`` (``()`` for one process, ``(m,)`` for m) from ``t0``
    with ``W(t0) = 0``, drawn from stream ``key = seed_key(seed)`` of :mod:`generic.random`
    (``seed``: an integer, a pair ``(seed, i)`` — trajectory ``i`` of an ensemble seeded with
    ``seed`` —, a ``np.random.SeedSequence`` or None).

    with_z: also carry an independent process ``Z`` of the same shape (the stochastic
    Runge–Kutta methods need it for ``I_(1,0)``). ``sol.W`` of a solve is its path; pass it as
    ``g.solve(prob, alg, noise=sol.W, ...)`` to solve again on the same path.
    ``path(t)`` is ``W(t)`` (drawn and recorded if new); ``path.t`` and ``path.W`` are the record.
    """

    def __init__(self, shape=(), seed=None, t0: float = 0.0, with_z: bool = False):
        self.shape = (int(shape),) if np.ndim(shape) == 0 and shape != () else tuple(shape)
        self.with_z = bool(with_z)
        self.size = int(np.prod(self.shape, dtype=int)) * (2 if self.with_z else 1)
        self.key = np.uint64(seed_key(seed))
        self.counter = 0  # normals drawn so far: the next draw starts here
        self._times = [float(t0)]
        self._values = [np.zeros(self.size)]

    # ------------------------------------------------------------------ the record

    @property
    def t(self) -> np.ndarray:
        """The recorded times."""
        return np.asarray(self._times)

    @property
    def W(self) -> np.ndarray:
        """``W`` at the recorded times, shape ``(len(t), *shape)``."""
        return np.asarray(self._values)[:, :self.size // (2 if self.with_z else 1)].reshape(
            (len(self._times), *self.shape))

    def __call__(self, t: float) -> np.ndarray:
        """``W(t)`` (shape ``shape``)."""
        return self._at(float(t))[:self.size // (2 if self.with_z else 1)].reshape(self.shape)

    def __repr__(self) -> str:
        return (f"BrownianPath(shape={self.shape}, {len(self._times)} recorded times in "
                f"[{self._times[0]}, {self._times[-1]}], with_z={self.with_z})")

    # ------------------------------------------------------------------ increments

    def increment(self, t: float, t_new: float) -> tuple:
        """``(W(t_new) - W(t), Z(t_new) - Z(t))`` as float64 arrays of shape ``shape`` (the
        second is the first again when the path carries no ``Z``)."""
        d = self._at(float(t_new)) - self._at(float(t))
        return self._split(d)

    def grid_increments(self, times) -> tuple:
        """The increments over each interval of the increasing float ``times``:
        ``(dW, dZ)``, arrays of shape ``(len(times) - 1, *shape)``. Past the record they are
        drawn in one call (the same numbers as step by step)."""
        times = np.asarray(times, dtype=float)
        if times[0] == self._times[-1]:  # all new: one draw
            values = brownian_grid(self.key, np.uint64(self.counter), times, self.size,
                                   self._values[-1])
            self.counter += (len(times) - 1) * self.size
            self._times.extend(times[1:].tolist())
            self._values.extend(list(values[1:]))
            d = np.diff(values, axis=0)
        else:
            d = np.asarray([self._at(b) - self._at(a)
                            for a, b in zip(times[:-1].tolist(), times[1:].tolist(),
                                            strict=True)]).reshape(len(times) - 1, self.size)
        return self._split(d, leading=(len(times) - 1,))

    def _split(self, d: np.ndarray, leading: tuple = ()) -> tuple:
        half = self.size // 2 if self.with_z else self.size
        dW = d[..., :half].reshape(leading + self.shape)
        dZ = d[..., half:].reshape(leading + self.shape) if self.with_z else dW
        return dW, dZ

    def _at(self, s: float) -> np.ndarray:
        """The process (W and Z together, flat) at time ``s``: recorded, drawn forward or
        bridged, and recorded."""
        times = self._times
        i = bisect.bisect_left(times, s)
        if i < len(times) and times[i] == s:
            return self._values[i]
        if i == 0:
            raise ValueError(f"the Brownian path starts at t0 = {times[0]}; W({s}) is before it")
        a, wa = times[i - 1], self._values[i - 1]
        z = normals(self.key, np.uint64(self.counter), self.size)
        self.counter += self.size
        if i == len(times):  # past the record: one step forward
            w = wa + math.sqrt(s - a) * z
        else:  # between two recorded times: the Brownian bridge
            b, wb = times[i], self._values[i]
            fraction = (s - a) / (b - a)
            std = math.sqrt((s - a) * (b - s) / (b - a))
            w = wa + fraction * (wb - wa) + std * z
        times.insert(i, s)
        self._values.insert(i, w)
        return w

