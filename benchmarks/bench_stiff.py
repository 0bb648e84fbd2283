"""Stiff solvers side by side: g.solve (Rodas5, Rosenbrock23, TRBDF2 on the generic path,
``compile=False``, and compiled, ``compile=True``) against SciPy's solve_ivp (Radau, BDF, LSODA),
work-precision and time at matched error.

Run: python benchmarks/bench_stiff.py          (about 2 minutes; run_all.py calls main(); the
first run also compiles the fast path once per problem's type of p, ~1 minute each, cached on
disk after; that compile is done before timing, by a warm-up solve)

Problems (right-hand sides in tests/ode/stiff_problems.py, shared with the tests):
- Robertson: k = (0.04, 3e7, 1e4), u0 = (1, 0, 0), t in [0, 1e5]; atol = rtol * 1e-6 (u2 is
  ~1e-5 .. 1e-7 and must be resolved relatively);
- Van der Pol, μ = 1000, u0 = (2, 0), t in [0, 3000]; atol = rtol;
- HIRES (8 equations), t in [0, 321.8122]; atol = rtol * 1e-4 (the smallest component is 6e-5).

Both sides get the same f(u, p, t) (a NumPy function building its result with np.array) and no
Jacobian: g.solve differentiates f with dual numbers (generic path) or forward differences
(compiled), SciPy by finite differences; the compiled solves get the same f compiled by Numba.
Error: the largest componentwise relative error at the final time, against a reference independent
of this library: SciPy Radau at rtol 1e-13 with the exact Jacobian (its spread against rtol 1e-12
is printed), and for HIRES the published reference solution of Mazzia & Magherini's IVP test set
(Radau's agreement with it is printed).

"At matched error": for each SciPy run, the fastest run of each of our solvers (any tolerance)
whose error is at most that SciPy run's; ratio = our time / SciPy's time (< 1: g.solve is
faster). Times are best of several runs, the solvers of a row taking turns, for runs under a
quarter second; slower runs are timed once.

To add a solver, add one entry to OURS, e.g. ``"g.Rodas5 compiled": ours(g.Rodas5(),
compile=True)``.
"""

from __future__ import annotations

import math
import pathlib
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np
from scipy.integrate import solve_ivp

import generic as g

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "ode"))
from stiff_problems import HIRES_REFERENCE, JACOBIANS, PROBLEMS  # noqa: E402

ATOL_SCALE = {"Robertson": 1e-6, "Van der Pol μ=1000": 1.0, "HIRES": 1e-4}




def ours(alg, **options) -> Callable:
    """A runner (f, u0, tspan, p, rtol, atol) -> (u(T), nf) for g.solve with ``alg``; with
    ``compile=True`` it has ``warm_up(f, u0, tspan, p)``: one untimed solve that compiles."""
    compiled = bool(options.get("compile"))

    def run(f, u0, tspan, p, rtol, atol):
        sol = g.solve(g.ODEProblem(f, u0, tspan, p), alg, rtol=rtol, atol=atol, **options)
        assert sol.retcode == "Success", (alg, rtol, sol.retcode)
        return np.asarray(sol.u[-1], dtype=float), sol.stats.nf

    if compiled:
        run.warm_up = lambda f, u0, tspan, p: run(f, u0, tspan, p, 1e-3, 1e-6)
    return run


def scipy(method: str) -> Callable:
    def run(f, u0, tspan, p, rtol, atol):
        sol = solve_ivp(lambda t, u: f(u, p, t), tspan, u0, method=method, rtol=rtol, atol=atol)
        assert sol.success, (method, rtol, sol.message)
        return sol.y[:, -1], sol.nfev

    return run


# solver: (runner, tolerances it runs at). Order-2 methods stop at 1e-6: tighter, they take
# 10^4 .. 10^5 steps (seconds each) and would not be anyone's choice there.
RTOLS = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8)
OURS = {
    "g.Rodas5": (ours(g.Rodas5(), compile=False), RTOLS),
    "g.Rosenbrock23": (ours(g.Rosenbrock23(), compile=False), RTOLS[:4]),
    "g.TRBDF2": (ours(g.TRBDF2(), compile=False), RTOLS[:4]),
    "Rodas5 compiled": (ours(g.Rodas5(), compile=True), RTOLS),
    "Rb23 compiled": (ours(g.Rosenbrock23(), compile=True), RTOLS[:4]),
    "TRBDF2 compiled": (ours(g.TRBDF2(), compile=True), RTOLS[:4]),
}
SCIPY = {name: (scipy(name), RTOLS) for name in ("Radau", "BDF", "LSODA")}


# ----------------------------------------------------------------------------- timing


def best_time(fn: Callable, budget: float = 0.6, max_rounds: int = 5):
    """(best time, result): repeated while quick (under ``budget`` seconds in all)."""
    best, result, spent, rounds = math.inf, None, 0.0, 0
    while rounds < max_rounds and (rounds == 0 or (best < 0.25 and spent < budget)):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best, spent, rounds = min(best, elapsed), spent + elapsed, rounds + 1
    return best, result


def rel_error(u, ref) -> float:
    return float(np.max(np.abs(np.asarray(u, dtype=float) - ref) / np.abs(ref)))


def reference(name: str) -> tuple[np.ndarray, str]:
    f, u0, tspan, p = PROBLEMS[name]
    jac = JACOBIANS[name]

    def radau(rtol):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SciPy warns that atol 1e-20 is very small
            sol = solve_ivp(lambda t, u: f(u, p, t), tspan, u0, method="Radau", rtol=rtol,
                            atol=1e-20 * max(ATOL_SCALE[name], 1e-6),
                            jac=lambda t, u: jac(u, p, t))
        assert sol.success, sol.message
        return sol.y[:, -1]

    ref = radau(1e-13)
    if name == "HIRES":
        return HIRES_REFERENCE, (f"published test-set reference (SciPy Radau rtol 1e-13 agrees "
                                 f"to {rel_error(ref, HIRES_REFERENCE):.0e})")
    return ref, f"SciPy Radau rtol 1e-13 with exact Jacobian (spread vs rtol 1e-12: " \
                f"{rel_error(radau(1e-12), ref):.0e})"


# ----------------------------------------------------------------------------- work-precision


def work_precision(name: str) -> list[dict]:
    f, u0, tspan, p = PROBLEMS[name]
    ref, about = reference(name)
    for run, _ in OURS.values():
        if hasattr(run, "warm_up"):
            run.warm_up(f, u0, tspan, p)
    runs = []
    for rtol in RTOLS:
        atol = rtol * ATOL_SCALE[name]
        for solver, (run, rtols) in {**OURS, **SCIPY}.items():
            if rtol not in rtols:
                continue
            with np.errstate(over="ignore", invalid="ignore"):  # f at a too-long trial step
                elapsed, (u_end, nf) = best_time(lambda run=run: run(f, u0, tspan, p, rtol,
                                                                     atol))
            runs.append({"solver": solver, "rtol": rtol, "error": rel_error(u_end, ref),
                         "time": elapsed, "nf": nf, "ours": solver in OURS})
    print_work_precision(name, tspan, about, runs)
    return runs


def print_work_precision(name, tspan, about, runs) -> None:
    solvers = list(dict.fromkeys(r["solver"] for r in runs))
    cell = {(r["solver"], r["rtol"]): r for r in runs}
    print(f"\n{name}, t in [{tspan[0]:g}, {tspan[1]:g}], atol = rtol * {ATOL_SCALE[name]:g}; "
          f"reference: {about}")
    width = max(len(s) for s in solvers) + 2
    for title, key, fmt in (("error at the final time (max componentwise relative)", "error",
                             "{:.1e}"), ("time, ms", "time", "{:.0f}")):
        print(f"  {title}")
        print("  " + f"{'rtol':>7s}" + "".join(f"{s:>{width}s}" for s in solvers))
        for rtol in RTOLS:
            scale = 1e3 if key == "time" else 1
            texts = ["-" if (s, rtol) not in cell else fmt.format(cell[(s, rtol)][key] * scale)
                     for s in solvers]
            print("  " + f"{rtol:7.0e}" + "".join(f"{t:>{width}s}" for t in texts))


def matched(name: str, runs: list[dict]) -> dict[tuple[str, str], list[float]]:
    """For each SciPy run and each of our solvers, our fastest run with error <= SciPy's:
    time ratio ours / SciPy. Returns {(our solver, SciPy method): [ratios]}."""
    our_solvers = list(dict.fromkeys(r["solver"] for r in runs if r["ours"]))
    print(f"\n  {name} at matched error: time of our fastest run with error <= the SciPy run's, "
          f"divided by the SciPy run's time (< 1: ours is faster; '-': no run of ours that "
          f"accurate)")
    print("  {:14s} {:>8s} {:>8s}".format("SciPy run", "error", "ms")
          + "".join(f"{s:>16s}" for s in our_solvers))
    ratios: dict[tuple[str, str], list[float]] = {}
    for r in (r for r in runs if not r["ours"]):
        cells = []
        for s in our_solvers:
            good = [o for o in runs if o["solver"] == s and o["error"] <= r["error"]]
            if not good:
                cells.append("-")
                continue
            ratio = min(o["time"] for o in good) / r["time"]
            ratios.setdefault((s, r["solver"]), []).append(ratio)
            cells.append(f"{ratio:.3g}")
        print(f"  {r['solver'] + ' ' + format(r['rtol'], '.0e'):14s} {r['error']:8.1e} "
              f"{r['time'] * 1e3:8.0f}" + "".join(f"{c:>16s}" for c in cells))
    return ratios


# ----------------------------------------------------------------------------- main


def main() -> None:
    print("Stiff solvers: g.solve (generic path and compiled) vs SciPy solve_ivp (Radau, BDF, "
          "LSODA)")
    print("(ratios of times measured side by side in this run; absolute times mean little)")
    summary = {}
    for name in PROBLEMS:
        runs = work_precision(name)
        summary[name] = matched(name, runs)
    print("\nSummary: time ours / time SciPy at matched error, median (min .. max) over the "
          "SciPy runs of each method that our solver could match ('-': none)")
    print("  {:20s} {:16s}".format("problem", "ours") + "".join(f"{m:>24s}" for m in SCIPY))
    for name, ratios in summary.items():
        for ours_name in OURS:
            cells = []
            for method in SCIPY:
                v = ratios.get((ours_name, method))
                cells.append(f"{np.median(v):.2f} ({min(v):.2f}..{max(v):.2f})" if v else "-")
            print(f"  {name:20s} {ours_name:16s}" + "".join(f"{c:>24s}" for c in cells))
    print_speedups(summary)


def print_speedups(summary) -> None:
    """The aim of issue 5: compiled Rodas5 against SciPy BDF on Robertson, as a speed-up."""
    print("\nSpeed-up of the compiled Rodas5 (SciPy time / ours at matched error; > 1: ours is "
          "faster), median (min .. max) over the SciPy runs")
    for name, ratios in summary.items():
        cells = []
        for method in SCIPY:
            v = ratios.get(("Rodas5 compiled", method))
            cells.append(f"{method} {1 / np.median(v):.0f}x ({1 / max(v):.0f}..{1 / min(v):.0f})"
                         if v else f"{method} -")
        print(f"  {name:20s} " + "   ".join(cells))


if __name__ == "__main__":
    main()
