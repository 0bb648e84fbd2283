"""The ways to run an ensemble, chosen with ``g.solve(ens, alg, ensemble=...)``.

- :class:`EnsembleSerial`: one ``g.solve`` per trajectory, in order; any number type.
- :class:`EnsembleThreads`: float64 problems, all trajectories in one compiled call over
  Numba's threads (the fast path's source, ``prange``).
- :class:`EnsembleBatched`: the trajectories as one array problem (NumPy, CuPy, ...) stepped
  together with a shared step; see :mod:`.batched`.
- :class:`EnsembleDask`: chunks of trajectories as tasks on a ``dask.distributed`` cluster; see
  :mod:`.distributed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["EnsembleAlgorithm", "EnsembleSerial", "EnsembleThreads", "EnsembleBatched",
           "EnsembleDask"]


class EnsembleAlgorithm:
    """How an ensemble's trajectories are run."""

    name = "ensemble"


@dataclass(frozen=True)
class EnsembleSerial(EnsembleAlgorithm):
    """One solve per trajectory, in order, on the generic path (any number type); with
    ``compile=True`` each solve runs on the float64 fast path."""

    name = "serial"


@dataclass(frozen=True)
class EnsembleThreads(EnsembleAlgorithm):
    """float64 trajectories in one compiled call, spread over Numba's threads (``prange``;
    ``numba.set_num_threads`` sets how many). They save on one grid: ``saveat`` (by default the
    two ends of ``tspan``)."""

    name = "threads"


@dataclass(frozen=True)
class EnsembleBatched(EnsembleAlgorithm):
    """The trajectories stacked into one array state (trajectories on the last axis) and
    stepped together: one step size for all, accepted when every trajectory's own error is
    within tolerance. ``xp``: the array namespace to batch in (e.g. ``cupy`` for the GPU;
    default: that of the initial values). ``f`` sees ``u`` with the trajectories on the last
    axis and ``p`` as the batch of parameters (``p[k]`` the k-th parameter of every
    trajectory), so an ``f`` written with array operations (``x, y = u``; ``xp.stack``) runs
    unchanged."""

    xp: Any = None
    name = "batched"


@dataclass(frozen=True)
class EnsembleDask(EnsembleAlgorithm):
    """Chunks of trajectories as tasks on a ``dask.distributed`` cluster. ``client``: a
    ``distributed.Client`` (default: the current one); ``chunksize``: trajectories per task
    (default: about four tasks per worker thread). Each chunk solves serially (``compile=True``
    runs each of its solves on the fast path)."""

    client: Any = None
    chunksize: int | None = None
    name = "dask"
