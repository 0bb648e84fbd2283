"""The float64 fast path (g.solve on a float64 problem: compiled) against SciPy and a hand-written
Numba loop.

Run: python benchmarks/bench_fast_path.py [--plot [PNG]]     (run_all.py calls main(); the
first run compiles the solver for this machine, about a minute, and Numba caches it on disk)

1. Lotka–Volterra (p = 1.5, 1, 3, 1; u0 = 1, 1; t in [0, 10]) and Lorenz (σ = 10, ρ = 28,
   β = 8/3; u0 = 1, 0, 0; t in [0, 100]) at rtol 1e-3 ... 1e-10 (atol = rtol): the time of one
   g.solve call (Tsit5 and DP5, run compiled by default; the call with its Python set-up and
   the solution object included) against SciPy solve_ivp RK45, DOP853 and LSODA at the same
   tolerance, and against a hand-written Numba Dormand–Prince 5(4) loop with the same PI
   controller (the practical limit: no dense output, no events, nothing saved but the end
   point; "DP5 end" is g.solve saving as little). Error: |u(T) - reference| / |reference| at
   T, reference SciPy DOP853 at rtol 1e-13. Lorenz to t = 100 is chaotic (no float64 solve has
   a correct digit there): its errors are printed for completeness and its timing compares
   work at equal tolerance. --plot writes both work-precision diagrams to a PNG.
   Aims of the issue: >= 300x faster than RK45 on Lotka–Volterra at rtol 1e-6 with the same or
   better error; within 1.5x of the hand-written loop.
2. Compile time: the first solve in a fresh process with empty on-disk caches of its own (the
   solver's, a fresh NUMBA_CACHE_DIR, and the problems' own compiled wrappers', a fresh
   GENERIC_CACHE_DIR: the user's caches are left as they are), and with them warm (later
   processes), then a second problem in the same process (other parameters, another
   method, a compiled callback: only its own functions compile, or load when warm); aim below
   1 s warm.

Ratios are of best-of-several times measured side by side in one run.
"""

from __future__ import annotations

import math
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
from numba import njit
from scipy.integrate import solve_ivp

import generic as g

HERE = pathlib.Path(__file__).resolve().parent
RTOLS = [10.0**-k for k in range(3, 11)]


@njit
def lotka_volterra(u, p, t):
    a, b, c, d = p
    return np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])


@njit
def lorenz(u, p, t):
    s, r, b = p
    return np.array([s * (u[1] - u[0]), u[0] * (r - u[2]) - u[1], u[0] * u[1] - b * u[2]])


PROBLEMS = {
    "Lotka-Volterra": (lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), (1.5, 1.0, 3.0, 1.0)),
    "Lorenz": (lorenz, np.array([1.0, 0.0, 0.0]), (0.0, 100.0), (10.0, 28.0, 8.0 / 3.0)),
}

# Dormand & Prince (1980) 5(4), the coefficients of Hairer's DOPRI5, for the hand-written loop
C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0])
A = np.zeros((7, 7))
A[1, 0] = 1 / 5
A[2, :2] = [3 / 40, 9 / 40]
A[3, :3] = [44 / 45, -56 / 15, 32 / 9]
A[4, :4] = [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729]
A[5, :5] = [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656]
A[6, :6] = [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]
E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])


@njit
def hand_written_dp5(f, u0, t0, tf, p, rtol, atol):
    """Dormand–Prince 5(4) with FSAL and a PI controller, scalar loops, nothing saved."""
    n = u0.size
    u = u0.copy()
    k = np.empty((7, n))
    k[0] = f(u, p, t0)
    t, dt, err_prev = t0, 1e-3 * (tf - t0), 1e-4
    steps = 0
    tmp = np.empty(n)
    while t < tf:
        if t + dt > tf:
            dt = tf - t
        for i in range(1, 7):
            for m in range(n):
                acc = 0.0
                for j in range(i):
                    acc += A[i, j] * k[j, m]
                tmp[m] = u[m] + dt * acc
            k[i] = f(tmp, p, t + C[i] * dt)
        err = 0.0
        for m in range(n):
            e = 0.0
            for j in range(7):
                e += E[j] * k[j, m]
            scale = atol + rtol * max(abs(u[m]), abs(tmp[m]))
            err += (dt * e / scale) ** 2
        err = math.sqrt(err / n)
        if err <= 1.0:
            t += dt
            u[:] = tmp
            k[0] = k[6]
            steps += 1
            q = min(5.0, max(0.1, err**0.14 / err_prev**0.08 / 0.9))
            err_prev = max(err, 1e-4)
            dt = dt / q
        else:
            dt = dt / min(5.0, err**0.14 / 0.9)
    return u, steps


def best_time(run, repeats: int = 5, budget: float = 0.5) -> float:
    """Best of ``repeats`` runs (each the mean over enough calls to fill a few ms)."""
    start = time.perf_counter()
    run()
    once = max(time.perf_counter() - start, 1e-7)
    calls = max(1, int(0.005 / once))
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            run()
        best = min(best, (time.perf_counter() - start) / calls)
        if best * calls * repeats > budget:
            break
    return best


def work_precision(name: str) -> dict:
    """Print the table of one problem; return its times and errors by solver (for the plot)."""
    f, u0, tspan, p = PROBLEMS[name]
    reference = solve_ivp(lambda t, u: f(u, p, t), tspan, u0, method="DOP853", rtol=1e-13,
                          atol=1e-13).y[:, -1]
    prob = g.ODEProblem(f, u0, tspan, p=p)

    def error(u):
        return float(np.linalg.norm(u - reference) / np.linalg.norm(reference))

    print(f"\n{name}: time of one solve; ratio = other / g.solve(Tsit5) (> 1: g is faster); "
          f"error relative to DOP853 at 1e-13.\n  'DP5 end' saves only the end "
          f"(save_everystep=False, dense=False), as the hand-written loop; hand/g compares "
          f"those two (1 = as fast as the hand-written loop)")
    print(f"{'rtol':>7} {'g Tsit5':>9} {'err':>8} {'g DP5':>9} {'DP5 end':>9} {'hand DP5':>9} "
          f"{'err':>8} {'RK45':>8} {'err':>8} {'DOP853':>8} {'LSODA':>8} {'hand/g':>7}")
    curves: dict = {key: [] for key in ("g Tsit5", "g DP5", "g DP5 end", "hand DP5", "RK45",
                                        "DOP853", "LSODA")}
    for rtol in RTOLS:
        runs = {
            "g Tsit5": lambda: g.solve(prob, g.Tsit5(), rtol=rtol, atol=rtol),
            "g DP5": lambda: g.solve(prob, g.DP5(), rtol=rtol, atol=rtol),
            "g DP5 end": lambda: g.solve(prob, g.DP5(), rtol=rtol, atol=rtol,
                                         save_everystep=False, dense=False),
            "hand DP5": lambda: hand_written_dp5(f, u0, tspan[0], tspan[1], p, rtol, rtol),
        }
        for method in ("RK45", "DOP853", "LSODA"):
            runs[method] = (lambda method=method: solve_ivp(
                lambda t, u: f(u, p, t), tspan, u0, method=method, rtol=rtol, atol=rtol))
        times = {key: best_time(run, budget=1.0 if key in ("RK45", "DOP853", "LSODA") else 0.3)
                 for key, run in runs.items()}
        errors = {key: error(run()[0] if key == "hand DP5" else
                             run().y[:, -1] if key in ("RK45", "DOP853", "LSODA") else
                             run().u[-1]) for key, run in runs.items()}
        for key in curves:
            curves[key].append((times[key], errors[key]))
        base = times["g Tsit5"]
        print(f"{rtol:7.0e} {base * 1e6:8.0f}u {errors['g Tsit5']:8.1e} "
              f"{times['g DP5'] * 1e6:8.0f}u {times['g DP5 end'] * 1e6:8.0f}u "
              f"{times['hand DP5'] * 1e6:8.0f}u {errors['hand DP5']:8.1e} "
              f"{times['RK45'] / base:7.0f}x {errors['RK45']:8.1e} "
              f"{times['DOP853'] / base:7.0f}x {times['LSODA'] / base:7.0f}x "
              f"{times['hand DP5'] / times['g DP5 end']:7.2f}")
    return curves


def plot(results: dict, path: pathlib.Path) -> None:
    """Work-precision diagrams (error against time) of both problems, one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 4.5))
    for ax, (name, curves) in zip(np.atleast_1d(axes), results.items(), strict=True):
        for key, points in curves.items():
            times, errors = zip(*points, strict=True)
            ax.loglog(errors, times, "o-" if key.startswith("g") else "s--", label=key,
                      markersize=4)
        ax.set_xlabel("error at the end (relative)")
        ax.set_ylabel("time of one solve (s)")
        ax.set_title(name)
        ax.grid(True, which="both", alpha=0.3)
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"\nwrote {path}")


COMPILE_SNIPPET = """
import time
start = time.perf_counter()
import numpy as np, generic as g
imported = time.perf_counter()
def lv(u, p, t):
    a, b, c, d = p
    return np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])
prob = g.ODEProblem(lv, np.array([1.0, 1.0]), (0.0, 10.0), p=(1.5, 1.0, 3.0, 1.0))
g.solve(prob, g.Tsit5())
done = time.perf_counter()
def lorenz(u, p, t):
    return np.array([p[0] * (u[1] - u[0]), u[0] * (p[1] - u[2]) - u[1], u[0] * u[1] - p[2] * u[2]])
def crossing(u, t, integ):
    return u[2] - 25.0
def count(integ):
    integ.p[3] += 1.0
prob = g.ODEProblem(lorenz, np.array([1.0, 0.0, 0.0]), (0.0, 10.0),
                    p=np.array([10.0, 28.0, 8.0 / 3.0, 0.0]))
g.solve(prob, g.Vern9(), rtol=1e-8, atol=1e-8, callback=g.ContinuousCallback(crossing, count))
other = time.perf_counter()
print(f"{imported - start:.2f} {done - imported:.2f} {other - done:.2f}")
"""


def compile_times() -> None:
    """First solve in a fresh process, with Numba's cache of the solver empty and warm: the
    processes get empty cache folders of their own (Numba's, ``NUMBA_CACHE_DIR``, and the
    problems' wrappers', ``GENERIC_CACHE_DIR``), so the user's caches stay as they were."""
    env = dict(os.environ, NUMBA_CACHE_DIR=tempfile.mkdtemp(prefix="generic-bench-numba-"),
               GENERIC_CACHE_DIR=tempfile.mkdtemp(prefix="generic-bench-"))
    print("\nCompile time (a fresh Python process: import generic, the first solve of Lotka–"
          "Volterra, then\nLorenz: other parameters, another method, a compiled callback)")
    for label in ("cache emptied", "cache warm", "cache warm again"):
        out = subprocess.run([sys.executable, "-c", COMPILE_SNIPPET], capture_output=True,
                             text=True, env=env, check=True).stdout.split()
        print(f"  {label:17s} import {float(out[0]):5.2f} s   first solve {float(out[1]):6.2f} s"
              f"   then another problem {float(out[2]):5.2f} s")


def main(png: pathlib.Path | None = None) -> None:
    compile_times()
    results = {name: work_precision(name) for name in PROBLEMS}
    if png is not None:
        plot(results, png)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", nargs="?", const=str(HERE / "fast_path_work_precision.png"),
                        default=None, help="write the work-precision PNG (default "
                        "benchmarks/fast_path_work_precision.png; needs matplotlib)")
    main(None if parser.parse_args().plot is None else pathlib.Path(parser.parse_args().plot))
