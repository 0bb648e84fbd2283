"""Random numbers of the jump simulations: one stream for both paths.

The simulation source draws with :func:`seed_stream` and :func:`uniform`. Compiled, they are
Numba's ``np.random.seed`` / ``np.random.random`` (Numba's own Mersenne Twister, one state per
thread, so runs in ``prange`` threads do not share a state). Run as Python, they call the same
generator through two tiny compiled functions, so a seeded run draws the same numbers on both
paths and gives the same trajectory. :func:`run_seed` derives each run's seed from the user's
seed and the run's index.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.extending import overload

from ..compiled_cache import keyed_on_sources
from ..random import splitmix64

__all__ = ["seed_stream", "uniform", "run_seed", "run_seeds"]


@keyed_on_sources
@njit(cache=True)
def _seed_numba_generator(seed):
    np.random.seed(seed)


@keyed_on_sources
@njit(cache=True)
def _numba_uniform():
    return np.random.random()


def seed_stream(seed) -> None:
    """Seed the generator of this thread with a 32-bit ``seed``."""
    _seed_numba_generator(seed)


def uniform() -> float:
    """A uniform number in [0, 1) from the generator of this thread."""
    return _numba_uniform()


@overload(seed_stream)
def _seed_stream_compiled(seed):
    def impl(seed):
        np.random.seed(seed)
    return impl


@overload(uniform)
def _uniform_compiled():
    return lambda: np.random.random()


MASK32, MASK64 = 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF


def _splitmix64(z: int) -> int:
    """SplitMix64 (S. Vigna) of a Python int below 2**64: the shared one of
    :mod:`generic.random` (on a one-element array, where NumPy wraps around silently)."""
    return int(splitmix64(np.array([z], dtype=np.uint64))[0])


def _fmix32(h):
    """MurmurHash3's 32-bit finaliser (a bijection of 32-bit words): on a Python int or a
    uint64 array of 32-bit words."""
    h = h ^ (h >> 16)
    h = (h * 0x85EBCA6B) & MASK32
    h = h ^ (h >> 13)
    h = (h * 0xC2B2AE35) & MASK32
    return h ^ (h >> 16)


def run_seed(seed: int, run: int = 0) -> int:
    """The 32-bit seed of run ``run`` of a simulation seeded with ``seed`` (an integer in
    [0, 2**64)): ``fmix32(base + run)`` with ``base`` the low word of ``splitmix64(seed)``."""
    return _fmix32((_splitmix64(seed) + run) & MASK32)


def run_seeds(seed: int, runs: int) -> np.ndarray:
    """:func:`run_seed` of runs ``0, ..., runs - 1``. ``fmix32`` is a bijection, so the runs of
    one call (up to 2**32) all get different streams; run 0 is the single run with ``seed``."""
    index = np.arange(runs, dtype=np.uint64)
    words = (index + np.uint64(_splitmix64(seed) & MASK32)) & np.uint64(MASK32)
    return _fmix32(words).astype(np.int64)
