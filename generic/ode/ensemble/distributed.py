"""Ensembles on a ``dask.distributed`` cluster: chunks of trajectories as tasks.

Each task solves its chunk serially (:func:`.solve.solve_trajectories`) and returns the
solutions; they are gathered in trajectory order. A trajectory whose solve fails keeps its
retcode; one that raises, or whose task is lost with its worker, gets retcode "Error" with the
exception as its message — the other trajectories are kept.
"""

from __future__ import annotations

import math

from .solve import gathered, solve_trajectories

__all__ = ["solve_dask"]


def solve_dask(ens, alg, n: int, options: dict, compile, mode, progress):
    """Solve ``n`` trajectories of ``ens`` on ``mode.client`` (default: the current client)."""
    from ..progress import progress_bar

    try:
        from distributed import as_completed, get_client
    except ImportError:
        raise ImportError("EnsembleDask needs dask.distributed: pip install "
                          "'generic-numerics[dask]'") from None
    client = mode.client
    if client is None:
        try:
            client = get_client()
        except ValueError:
            raise ValueError("EnsembleDask: no dask.distributed client is running; start one "
                             "(distributed.Client(...) or Client(LocalCluster(...))) or pass "
                             "g.EnsembleDask(client=...)") from None
    threads = max(1, sum(client.nthreads().values()))
    size = mode.chunksize or max(1, math.ceil(n / (4 * threads)))
    chunks = [list(range(a, min(a + size, n))) for a in range(0, n, size)]
    shared = client.scatter(ens, broadcast=True)
    futures = [client.submit(_solve_chunk, shared, alg, chunk, options, compile, pure=False)
               for chunk in chunks]
    bar = progress_bar(n, "trajectories", progress)
    try:
        if bar is not None:
            sizes = {f.key: len(c) for f, c in zip(futures, chunks, strict=True)}
            for future in as_completed(futures):
                bar.update(sizes[future.key])
        results = []
        for future, chunk in zip(futures, chunks, strict=True):
            try:
                results.extend(future.result())
            except Exception as error:  # noqa: BLE001 - the task was lost: its trajectories fail
                message = f"the task of trajectories {chunk[0]}..{chunk[-1]} failed: " \
                          f"{type(error).__name__}: {error}"
                results.extend((None, None, ("Error", message), error) for _ in chunk)
    finally:
        if bar is not None:
            bar.close()
    return gathered(ens, alg, results, "dask")


def _solve_chunk(ens, alg, indices: list, options: dict, compile) -> list:
    return solve_trajectories(ens, alg, indices, options, compile)
