"""ODE solvers side by side: g.solve against SciPy's solve_ivp, a dual-number solve against the
same float solve, and a measurement solve against the same solve on `uncertainties` numbers.

Run: python benchmarks/bench_ode.py [--plot [PNG]]      (about a minute; run_all.py calls main())

1. Work-precision. Lotka–Volterra (p = 1.5, 1, 3, 1; u0 = (1, 1); t in [0, 10]) and Lorenz
   (σ = 10, ρ = 28, β = 8/3; u0 = (1, 0, 0); t in [0, 10]), rtol = 1e-3 ... 1e-10 with
   atol = rtol / 100, for g.Tsit5, g.Vern7, g.Vern9, g.DP8 and SciPy's RK45 and DOP853; both
   sides call the same right-hand side (a NumPy function of u). Error: max |u(T) - ref| / max |ref|
   at the final time, against SciPy DOP853 at rtol 1e-13, atol 1e-15 (independent of this
   library; its spread against DOP853 at rtol 2.5e-14 is printed). Lorenz is chaotic: an error
   grows like e^(0.9 t), so at t = 100 no float64 solve, reference included, has a correct digit.
   On [0, 10] the error still grows by ~10^3 (a real test of the step control) and the
   reference is good: DOP853 at 1e-13 agrees with a 30-digit mpmath solve (g.Vern9, rtol 1e-20)
   to 7e-13 relative, far below the errors measured here.
   "At matched accuracy": for each SciPy run, the fastest g.solve run (any of the four methods,
   any tolerance) whose error is at most that SciPy run's; speedup = SciPy time / that time
   (> 1: g.solve is faster). The issue's aim: a speedup of at least 2 at every accuracy.
2. Duals: the Jacobian of Lotka–Volterra's u(10) with respect to its 4 parameters
   (g.jacobian through g.solve: 4 partials) against the float solve, same method and tolerance.
   Duals count their partials in the error norm, so the adaptive step sequence may differ; the
   steps are printed, and a fixed-step pair (same steps on both sides) gives the cost per step.
   The issue's aim: at most 4x.
3. Measurements: Lotka–Volterra with uncertain u0 (2 sources) and with uncertain p (4 sources),
   as MeasurementArrays against NumPy object arrays of `uncertainties` ufloats, same method and
   tolerance (measurements step on their values, so both take the float solve's steps). Values
   and standard deviations are checked to agree to 1e-6 relative. The issue's aim: >= 10x.

Every ratio is of two best-of-several times measured in the same run, the solvers of one row
taking turns round after round. Absolute times are for orientation only.
"""

from __future__ import annotations

import argparse
import gc
import math
import time
import warnings
from collections.abc import Callable

import numpy as np
import uncertainties
from scipy.integrate import solve_ivp
from uncertainties import unumpy

import generic as g

RTOLS = [10.0**-k for k in range(3, 11)]
GENERIC = {"Tsit5": g.Tsit5(), "Vern7": g.Vern7(), "Vern9": g.Vern9(), "DP8": g.DP8()}
SCIPY = ("RK45", "DOP853")
SIGN = np.array([1.0, -1.0])


def lotka_volterra(u, p, t):
    """(a x - b x y, -c y + d x y), written on whole arrays so that duals, measurements and
    object arrays stay vectorised: u * (±(p[0::2] - p[1::2] * swap(u)))."""
    return SIGN * u * (p[0::2] - p[1::2] * u[::-1])


def lorenz(u, p, t):
    sigma, rho, beta = p
    x, y, z = u
    return np.array([sigma * (y - x), x * (rho - z) - y, x * y - beta * z])


PROBLEMS = {
    "Lotka-Volterra": (lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0),
                       np.array([1.5, 1.0, 3.0, 1.0])),
    "Lorenz": (lorenz, np.array([1.0, 0.0, 0.0]), (0.0, 10.0), (10.0, 28.0, 8.0 / 3.0)),
}


# ----------------------------------------------------------------------------- timing


def timed(fn: Callable) -> tuple[float, object]:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = fn()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def race(fns: dict[str, Callable], min_rounds: int = 3, max_rounds: int = 25,
         budget: float = 1.0) -> tuple[dict[str, float], dict[str, object]]:
    """Best time of each function, all taking turns round after round (at least ``min_rounds``,
    more while the row has used less than ``budget`` seconds)."""
    best = dict.fromkeys(fns, math.inf)
    results: dict[str, object] = {}
    start, rounds = time.perf_counter(), 0
    while rounds < min_rounds or (rounds < max_rounds and time.perf_counter() - start < budget):
        for name, fn in fns.items():
            elapsed, results[name] = timed(fn)
            best[name] = min(best[name], elapsed)
        rounds += 1
    return best, results


# ----------------------------------------------------------------------------- 1. work-precision


def scipy_solve(f, u0, tspan, p, method, rtol, atol):
    return solve_ivp(lambda t, u: f(u, p, t), tspan, u0, method=method, rtol=rtol, atol=atol)


def reference(f, u0, tspan, p) -> tuple[np.ndarray, float]:
    """DOP853 at rtol 1e-13 and its spread against rtol 2.5e-14 (relative, max norm)."""
    ref = scipy_solve(f, u0, tspan, p, "DOP853", 1e-13, 1e-15).y[:, -1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tighter = scipy_solve(f, u0, tspan, p, "DOP853", 2.5e-14, 1e-16).y[:, -1]
    return ref, rel_error(tighter, ref)


def rel_error(u, ref) -> float:
    return float(np.max(np.abs(np.asarray(u, dtype=float) - ref)) / np.max(np.abs(ref)))


def work_precision(name: str) -> list[dict]:
    f, u0, tspan, p = PROBLEMS[name]
    ref, spread = reference(f, u0, tspan, p)
    prob = g.ODEProblem(f, u0, tspan, p)
    runs = []
    for rtol in RTOLS:
        atol = rtol / 100
        fns = {f"g.{m}": (lambda alg=alg: g.solve(prob, alg, rtol=rtol, atol=atol))
               for m, alg in GENERIC.items()}
        fns.update({m: (lambda m=m: scipy_solve(f, u0, tspan, p, m, rtol, atol))
                    for m in SCIPY})
        best, results = race(fns, min_rounds=5, budget=1.2)
        for solver, sol in results.items():
            if solver.startswith("g."):
                assert sol.retcode == "Success", (solver, rtol, sol.retcode)
                u_end, nf = sol.u[-1], sol.stats.nf
            else:
                assert sol.success, (solver, rtol, sol.message)
                u_end, nf = sol.y[:, -1], sol.nfev
            runs.append({"solver": solver, "rtol": rtol, "error": rel_error(u_end, ref),
                         "time": best[solver], "nf": nf})
    print_work_precision(name, tspan, spread, runs)
    return runs


def print_work_precision(name, tspan, spread, runs) -> None:
    solvers = list(dict.fromkeys(r["solver"] for r in runs))
    cell = {(r["solver"], r["rtol"]): r for r in runs}
    print(f"\n{name}, t in [{tspan[0]:g}, {tspan[1]:g}], atol = rtol/100; reference SciPy "
          f"DOP853 rtol 1e-13 (its spread vs rtol 2.5e-14: {spread:.1e})")
    for title, key, fmt in (("error at the final time (relative, max norm)", "error", "{:.1e}"),
                            ("time, ms (best of several)", "time", "{:.2f}"),
                            ("f evaluations", "nf", "{:d}")):
        print(f"  {title}")
        print("  " + f"{'rtol':>7s}" + "".join(f"{s:>10s}" for s in solvers))
        for rtol in RTOLS:
            values = [cell[(s, rtol)][key] * (1e3 if key == "time" else 1) for s in solvers]
            print("  " + f"{rtol:7.0e}" + "".join(f"{fmt.format(v):>10s}" for v in values))
    per_f = {s: np.median([cell[(s, r)]["time"] / cell[(s, r)]["nf"] for r in RTOLS]) * 1e6
             for s in solvers}
    print("  time per f evaluation, µs (median over tolerances; includes f itself): "
          + ", ".join(f"{s} {v:.1f}" for s, v in per_f.items()))


def matched_accuracy(name: str, runs: list[dict]) -> list[float]:
    ours = [r for r in runs if r["solver"].startswith("g.")]
    print(f"\n  {name} at matched accuracy: for each SciPy run, the fastest g.solve run with "
          f"error <= its error")
    header = ("SciPy run", "error", "ms", "fastest g.solve run", "error", "ms", "speedup")
    print("  {:16s} {:>8s} {:>8s}   {:20s} {:>8s} {:>8s} {:>8s}".format(*header))
    speedups = []
    for r in (r for r in runs if not r["solver"].startswith("g.")):
        good = [o for o in ours if o["error"] <= r["error"]]
        label = f"{r['solver']} {r['rtol']:.0e}"
        if not good:
            print(f"  {label:16s} {r['error']:8.1e} {r['time'] * 1e3:8.2f}   (no g.solve run "
                  f"reaches this error)")
            continue
        o = min(good, key=lambda o: o["time"])
        speedup = r["time"] / o["time"]
        speedups.append(speedup)
        print(f"  {label:16s} {r['error']:8.1e} {r['time'] * 1e3:8.2f}   "
              f"{o['solver'] + ' ' + format(o['rtol'], '.0e'):20s} {o['error']:8.1e} "
              f"{o['time'] * 1e3:8.2f} {speedup:8.2f}")
    return speedups


def plot(all_runs: dict[str, list[dict]], path: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"\n(matplotlib is not installed: no plot written to {path}; "
              f"pip install 'generic-numerics[bench]')")
        return
    fig, axes = plt.subplots(1, len(all_runs), figsize=(6 * len(all_runs), 4.8))
    for ax, (name, runs) in zip(np.atleast_1d(axes), all_runs.items(), strict=True):
        for solver in dict.fromkeys(r["solver"] for r in runs):
            rs = [r for r in runs if r["solver"] == solver]
            ours = solver.startswith("g.")
            ax.loglog([r["error"] for r in rs], [r["time"] * 1e3 for r in rs],
                      "o-" if ours else "s--", label=solver if ours else f"SciPy {solver}")
        ax.set_xlabel("error at the final time (relative)")
        ax.set_ylabel("time (ms, best of several)")
        ax.set_title(f"{name}: work-precision")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"\nwork-precision plot written to {path}")


# ----------------------------------------------------------------------------- 2. duals


def duals() -> float:
    f, u0, tspan, p = PROBLEMS["Lotka-Volterra"]
    alg = g.Tsit5()
    print("\nDuals: Jacobian of Lotka-Volterra u(10) w.r.t. its 4 parameters (g.jacobian through "
          "g.solve, 4 partials) vs the float solve; g.Tsit5")
    header = ("case", "float ms", "dual ms", "ratio", "float steps", "dual steps", "aim")
    print("  {:26s} {:>9s} {:>9s} {:>7s} {:>13s} {:>13s} {:>5s}".format(*header))

    def steps(sol):
        return f"{sol.stats.naccept}+{sol.stats.nreject}r"

    ratios = []
    for rtol in (1e-6, 1e-9):
        opts = {"rtol": rtol, "atol": rtol / 100}
        float_sol = g.solve(g.ODEProblem(f, u0, tspan, p), alg, **opts)
        dual_sol = g.solve(g.ODEProblem(f, u0, tspan, g.DualArray(p, np.eye(4))), alg, **opts)
        best, _ = race({
            "float": lambda: g.solve(g.ODEProblem(f, u0, tspan, p), alg, **opts).u[-1],
            "dual": lambda: g.jacobian(
                lambda q: g.solve(g.ODEProblem(f, u0, tspan, q), alg, **opts).u[-1], p),
        }, budget=1.5)
        ratio = best["dual"] / best["float"]
        ratios.append(ratio)
        print(f"  {'adaptive, rtol ' + format(rtol, '.0e'):26s} {best['float'] * 1e3:9.2f} "
              f"{best['dual'] * 1e3:9.2f} {ratio:7.2f} {steps(float_sol):>13s} "
              f"{steps(dual_sol):>13s} {'<= 4':>5s}")
    # the same steps on both sides: the cost of one step
    n = float_sol.stats.naccept
    opts = {"dt": (tspan[1] - tspan[0]) / n, "adaptive": False}
    best, results = race({
        "float": lambda: g.solve(g.ODEProblem(f, u0, tspan, p), alg, **opts),
        "dual": lambda: g.solve(g.ODEProblem(f, u0, tspan, g.DualArray(p, np.eye(4))), alg,
                                **opts),
    }, budget=1.5)
    ratio = best["dual"] / best["float"]
    ratios.append(ratio)
    print(f"  {f'fixed dt = 10/{n}':26s} {best['float'] * 1e3:9.2f} {best['dual'] * 1e3:9.2f} "
          f"{ratio:7.2f} {steps(results['float']):>13s} {steps(results['dual']):>13s} "
          f"{'<= 4':>5s}")
    # the derivatives themselves, against central differences of tight float solves
    jac = g.jacobian(lambda q: g.solve(g.ODEProblem(f, u0, tspan, q), alg, rtol=1e-12,
                                       atol=1e-14).u[-1], p)
    fd = np.empty_like(jac)
    for j in range(4):
        h = 1e-5 * p[j]
        up, down = p.copy(), p.copy()
        up[j] += h
        down[j] -= h
        end = [g.solve(g.ODEProblem(f, u0, tspan, q), g.Vern9(), rtol=1e-13, atol=1e-15).u[-1]
               for q in (up, down)]
        fd[:, j] = (end[0] - end[1]) / (2 * h)
    print(f"  check: Jacobian (rtol 1e-12) vs central differences, max relative difference "
          f"{np.max(np.abs(jac - fd)) / np.max(np.abs(fd)):.1e}")
    return max(ratios[:2])


# ----------------------------------------------------------------------------- 3. measurements


def measurements() -> float:
    f, u0, tspan, p = PROBLEMS["Lotka-Volterra"]
    alg, rtol = g.Tsit5(), 1e-6
    opts = {"rtol": rtol, "atol": rtol / 100}
    u0_std, p_std = np.array([0.01, 0.02]), 0.01 * p
    cases = {
        "uncertain u0 (2 sources)": (
            lambda: (g.measurement(u0, u0_std), p),
            lambda: (np.array([uncertainties.ufloat(v, s) for v, s in zip(u0, u0_std,
                                                                          strict=True)]), p)),
        "uncertain p (4 sources)": (
            lambda: (u0, g.measurement(p, p_std)),
            lambda: (u0, np.array([uncertainties.ufloat(v, s) for v, s in zip(p, p_std,
                                                                              strict=True)]))),
    }
    print(f"\nMeasurements vs uncertainties (NumPy object arrays of ufloats): Lotka-Volterra, "
          f"g.{alg.name}, rtol {rtol:.0e}; ratio = uncertainties time / measurement time")
    header = ("case", "float ms", "meas. ms", "unc. ms", "ratio", "steps", "max rel diff")
    print("  {:26s} {:>9s} {:>9s} {:>9s} {:>7s} {:>9s} {:>13s}".format(*header))
    ratios = []
    for name, (ours, theirs) in cases.items():
        def run(make):
            u, q = make()
            return g.solve(g.ODEProblem(f, u, tspan, q), alg, **opts)

        best, results = race({"float": lambda: g.solve(g.ODEProblem(f, u0, tspan, p), alg,
                                                       **opts),
                              "meas": lambda: run(ours), "unc": lambda: run(theirs)},
                             budget=3.0)
        m, u = results["meas"].u[-1], results["unc"].u[-1]
        values = (g.value(m), unumpy.nominal_values(u))
        stds = (g.uncertainty(m), unumpy.std_devs(u))
        diff = max(np.max(np.abs(a - b) / np.abs(b)) for a, b in (values, stds))
        assert diff < 1e-6, (name, values, stds)
        nf = {k: results[k].stats.nf for k in ("float", "meas", "unc")}
        same = "same" if len(set(nf.values())) == 1 else str(nf)
        ratio = best["unc"] / best["meas"]
        ratios.append(ratio)
        print(f"  {name:26s} {best['float'] * 1e3:9.2f} {best['meas'] * 1e3:9.2f} "
              f"{best['unc'] * 1e3:9.2f} {ratio:7.1f} {same:>9s} {diff:13.1e}")
        print(f"  {'':26s} u(10) = {m}")
    return min(ratios)


# ----------------------------------------------------------------------------- main


def main(plot_path: str | None = None) -> None:
    print("ODE solvers: g.solve (generic path) vs SciPy solve_ivp, duals vs floats, "
          "measurements vs uncertainties")
    print("(ratios of best-of-several times measured side by side; absolute times mean little)")
    all_runs = {name: work_precision(name) for name in PROBLEMS}
    worst = {name: matched_accuracy(name, runs) for name, runs in all_runs.items()}
    dual_ratio = duals()
    measurement_ratio = measurements()
    print("\nSummary against the issue's aims:")
    for name, speedups in worst.items():
        low = min(speedups) if speedups else float("nan")
        print(f"  {name:16s} speedup vs SciPy at matched accuracy: min {low:.2f}, "
              f"median {np.median(speedups):.2f}  (aim >= 2: {'met' if low >= 2 else 'NOT met'})")
    print(f"  dual solve / float solve (4 partials, adaptive): worst {dual_ratio:.2f}  "
          f"(aim <= 4: {'met' if dual_ratio <= 4 else 'NOT met'})")
    print(f"  uncertainties / measurements: worst {measurement_ratio:.1f}  "
          f"(aim >= 10: {'met' if measurement_ratio >= 10 else 'NOT met'})")
    if plot_path:
        plot(all_runs, plot_path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", nargs="?", const="ode_work_precision.png", default=None,
                        metavar="PNG", help="write a work-precision plot (default "
                                            "ode_work_precision.png; needs matplotlib)")
    main(parser.parse_args().plot)
