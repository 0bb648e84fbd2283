"""An ensemble of Lotka–Volterra solves with uncertain rates: four ways to run it.

Run: python examples/ensemble_lotka_volterra.py [--n 2000] [--threads] [--dask] [--cupy]

The rates are drawn 10% around (1.5, 1, 3, 1). The serial and batched runs are always shown;
--threads runs the compiled ensemble (the first run of a process compiles, ~1 minute, then it
is cached on disk); --dask starts a LocalCluster of 2 workers; --cupy batches on a GPU.
Prints the mean and the 5%/95% quantiles of the prey over time, and the time of each way.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from array_api_compat import array_namespace

import generic as g


def lotka_volterra(u, p, t):
    """Written with the array namespace, so one f serves single trajectories (u a vector)
    and batches (u of shape (2, trajectories), p rows of rates)."""
    x, y = u
    a, b, c, d = p
    return array_namespace(u).stack([a * x - b * x * y, -c * y + d * x * y])


def lotka_volterra_numba(u, p, t):
    """The same for the compiled ensemble (Numba has no array_namespace)."""
    x, y = u
    a, b, c, d = p
    return np.array([a * x - b * x * y, -c * y + d * x * y])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--threads", action="store_true")
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--cupy", action="store_true")
    args = parser.parse_args()
    rates = np.array([1.5, 1.0, 3.0, 1.0]) * (
        1 + 0.1 * np.random.default_rng(0).standard_normal((args.n, 4)))
    options = dict(rtol=1e-6, atol=1e-6, saveat=np.linspace(0.0, 10.0, 11))
    prob = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), (1.5, 1.0, 3.0, 1.0))
    ens = g.EnsembleProblem(prob, ps=rates)

    runs = {"batched (NumPy)": lambda: g.solve(ens, g.Tsit5(), ensemble=g.EnsembleBatched(),
                                                **options),
            "serial, first 100": lambda: g.solve(g.EnsembleProblem(prob, ps=rates[:100]),
                                                 g.Tsit5(), **options)}
    if args.threads:
        compiled = g.EnsembleProblem(g.ODEProblem(lotka_volterra_numba, prob.u0, prob.tspan,
                                                  prob.p), ps=rates)
        runs["threads (compiled)"] = lambda: g.solve(compiled, g.Tsit5(), compile=True,
                                                     **options)
    if args.cupy:
        import cupy
        runs["batched (CuPy)"] = lambda: g.solve(ens, g.Tsit5(),
                                                 ensemble=g.EnsembleBatched(xp=cupy), **options)
    client = None
    if args.dask:
        from distributed import Client, LocalCluster
        client = Client(LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None))
        runs["dask (2 workers), first 200"] = lambda: g.solve(
            g.EnsembleProblem(prob, ps=rates[:200]), g.Tsit5(),
            ensemble=g.EnsembleDask(client), **options)

    for name, run in runs.items():
        start = time.perf_counter()
        sol = run()
        seconds = time.perf_counter() - start
        prey = np.asarray(sol.mean()[:, 0].get() if hasattr(sol.u, "get") else sol.mean()[:, 0])
        low, high = (np.asarray(q[:, 0].get() if hasattr(q, "get") else q[:, 0])
                     for q in (sol.quantile(0.05), sol.quantile(0.95)))
        print(f"{name}: {len(sol)} trajectories in {seconds:.2f} s "
              f"({seconds / len(sol) * 1e6:.0f} µs each), {len(sol.failures)} failed")
        print("   t      prey mean   5%      95%")
        for t, m, lo, hi in zip(sol.t[::2], prey[::2], low[::2], high[::2], strict=True):
            print(f"  {t:4.1f}  {m:9.4f}  {lo:7.4f}  {hi:7.4f}")
    if client is not None:
        client.close()


if __name__ == "__main__":
    main()
