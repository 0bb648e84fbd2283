"""Ensembles of Lotka–Volterra parameter sets: time per trajectory, side by side in one run.

Run: python benchmarks/bench_ensemble.py [--n 10000] [--dask] [--cupy]
(or python benchmarks/run_all.py ensemble). Compared, per trajectory, at rtol = atol = 1e-6,
Tsit5 (SciPy: RK45), saving at t = 0, 1, ..., 10:
- g.EnsembleThreads: all trajectories in one compiled call over Numba's threads;
- one fast-path solve (g.solve(..., compile=True)) repeated in a Python loop;
- a Python loop of SciPy solve_ivp(RK45) solves;
- g.EnsembleBatched on NumPy (and on CuPy with --cupy and a GPU): one array problem;
- g.EnsembleDask on a LocalCluster of 2 workers against g.EnsembleSerial (with --dask).
Loops that are slow run on a subset and are reported per trajectory. Also printed: the largest
difference of each from SciPy's DOP853 at rtol 1e-12 on a few trajectories (the accuracy that
the times buy). Absolute times on shared machines mean little; the ratios are the result.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import generic as g

P0 = np.array([1.5, 1.0, 3.0, 1.0])
U0 = np.array([1.0, 1.0])
TSPAN = (0.0, 10.0)
SAVEAT = np.arange(11.0)
TOL = 1e-6


def lotka_volterra(u, p, t):
    x, y = u
    a, b, c, d = p
    return np.array([a * x - b * x * y, -c * y + d * x * y])


def lotka_volterra_batched(u, p, t):
    """The same right-hand side for a batch: each of x, y, a, ... is a vector over
    trajectories, so this is lotka_volterra written with the namespace's stack."""
    from array_api_compat import array_namespace
    x, y = u
    a, b, c, d = p
    return array_namespace(u).stack([a * x - b * x * y, -c * y + d * x * y])


def parameters(n: int) -> np.ndarray:
    return P0 * (1 + 0.1 * np.random.default_rng(0).standard_normal((n, 4)))


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def reference(ps: np.ndarray) -> np.ndarray:
    from scipy.integrate import solve_ivp
    return np.stack([solve_ivp(lambda t, u, p=p: lotka_volterra(u, p, t), TSPAN, U0,
                               method="DOP853", rtol=1e-12, atol=1e-12, t_eval=SAVEAT).y.T
                     for p in ps])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--cupy", action="store_true")
    args = parser.parse_args([] if argv is None else argv)
    import numba
    n = args.n
    ps = parameters(n)
    prob = g.ODEProblem(lotka_volterra, U0, TSPAN, tuple(P0))
    ens = g.EnsembleProblem(prob, ps=ps)
    options = dict(rtol=TOL, atol=TOL, saveat=SAVEAT)
    checked = min(n, 20)
    exact = reference(ps[:checked])
    rows = []

    g.solve(g.EnsembleProblem(prob, ps=ps[:2]), g.Tsit5(), compile=True, **options)  # compile
    seconds, threads = timed(lambda: g.solve(ens, g.Tsit5(), compile=True, **options))
    rows.append((f"g EnsembleThreads ({numba.get_num_threads()} threads)", n, seconds,
                 threads.u[:checked]))

    single = min(n, 2000)
    g.solve(g.ODEProblem(lotka_volterra, U0, TSPAN, ps[0]), g.Tsit5(), compile=True, **options)
    seconds, sols = timed(lambda: [g.solve(g.ODEProblem(lotka_volterra, U0, TSPAN, p), g.Tsit5(),
                                           compile=True, **options) for p in ps[:single]])
    rows.append(("g.solve(compile=True) in a loop", single, seconds,
                 np.stack([s.u for s in sols[:checked]])))

    from scipy.integrate import solve_ivp
    loop = min(n, 300)
    seconds, sols = timed(lambda: [solve_ivp(lambda t, u, p=p: lotka_volterra(u, p, t), TSPAN,
                                             U0, method="RK45", rtol=TOL, atol=TOL,
                                             t_eval=SAVEAT) for p in ps[:loop]])
    rows.append(("SciPy RK45 in a loop", loop, seconds,
                 np.stack([s.y.T for s in sols[:checked]])))

    batched_prob = g.ODEProblem(lotka_volterra_batched, U0, TSPAN, tuple(P0))
    batched_ens = g.EnsembleProblem(batched_prob, ps=ps)
    seconds, batched = timed(lambda: g.solve(batched_ens, g.Tsit5(),
                                             ensemble=g.EnsembleBatched(), **options))
    rows.append(("g EnsembleBatched, NumPy", n, seconds, batched.u[:checked]))

    if args.cupy:
        rows += _cupy_rows(batched_ens, options, n, checked)
    if args.dask:
        rows += _dask_rows(prob, ps, options, checked)

    base = rows[0][2] / rows[0][1]
    print(f"Lotka–Volterra ensemble, {n} parameter sets, Tsit5 (SciPy RK45) at rtol = atol = "
          f"{TOL:g}, saved at t = 0..10")
    print(f"{'method':44s} {'trajectories':>12s} {'us/trajectory':>14s} {'/ threads':>10s} "
          f"{'max error':>10s}")
    for name, count, seconds, u in rows:
        per = seconds / count
        error = np.max(np.abs(np.asarray(u) - exact[:len(u)])) if u is not None else np.nan
        print(f"{name:44s} {count:12d} {per * 1e6:14.1f} {per / base:10.2f} {error:10.2g}")


def _cupy_rows(batched_ens, options: dict, n: int, checked: int) -> list:
    try:
        import cupy
        cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # noqa: BLE001 - no device: say so and go on
        print(f"CuPy: no device ({type(error).__name__})")
        return []
    ensemble = g.EnsembleBatched(xp=cupy)
    g.solve(g.EnsembleProblem(batched_ens.prob, ps=batched_ens.ps[:10]), g.Tsit5(),
            ensemble=ensemble, **options)  # warm up the kernels

    def run():
        sol = g.solve(batched_ens, g.Tsit5(), ensemble=ensemble, **options)
        cupy.cuda.Device().synchronize()
        return sol

    seconds, sol = timed(run)
    return [("g EnsembleBatched, CuPy (GPU)", n, seconds, cupy.asnumpy(sol.u[:checked]))]


def _dask_rows(prob, ps: np.ndarray, options: dict, checked: int) -> list:
    from distributed import Client, LocalCluster
    count = min(len(ps), 400)
    ens = g.EnsembleProblem(prob, ps=ps[:count])
    seconds_serial, serial = timed(lambda: g.solve(ens, g.Tsit5(), **options))
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        g.solve(g.EnsembleProblem(prob, ps=ps[:4]), g.Tsit5(),
                ensemble=g.EnsembleDask(client), **options)  # workers import generic
        seconds, dask = timed(lambda: g.solve(ens, g.Tsit5(), ensemble=g.EnsembleDask(client),
                                              **options))
    return [("g EnsembleSerial (generic path)", count, seconds_serial, serial.u[:checked]),
            ("g EnsembleDask, LocalCluster of 2 workers", count, seconds, dask.u[:checked])]


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
