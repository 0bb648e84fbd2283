"""Split problems u' = L u + N(u): g.ETDRK4 and g.KenCarp4 against SciPy solve_ivp (DOP853,
Radau, BDF, LSODA) on the same pseudo-spectral semi-discretisation, time and error side by side.

Run: python benchmarks/bench_split.py [--all]   (about a minute; run_all.py calls main())

Problems (semi-discretisations in tests/ode/test_split_stories.py, shared with the tests):
- KdV, chebfun's spin('kdv') two solitons (A = 25, B = 16) on [-π, π], n = 256 modes, to
  t = 0.005 (the tall soliton passes the small one); |L| = k³ up to 2e6: dispersive stiffness;
- Allen–Cahn, chebfun's spin('ac'): u_t = 5e-3 u_xx - u³ + u on [0, 2π], n = 256, to t = 20;
  |L| up to 82: mild diffusive stiffness.

Ours step the rfft coefficients (L diagonal there); SciPy steps the grid values with the same
right-hand side (irfft(L rfft(u)) + N on the grid: the same ODE in another basis). SciPy's
implicit methods get no Jacobian (finite differences of the dense 256×256 system); on KdV they
take minutes (measured LSODA 280 s, Radau 62 s at rtol 1e-6), so they run there only with
--all. Error: max |u(T) - reference| / max |reference|, the reference SciPy DOP853 at
rtol = atol·max|u0| = 1e-12 (its distance to Radau at 1e-11 is printed on Allen–Cahn).
"ratio" = time of our fastest run whose error is at most
that SciPy run's error / time of the SciPy run (< 1: ours is faster); "-" when none of ours is
that accurate. Times are best of up to three runs for runs under a second.
"""

from __future__ import annotations

import math
import pathlib
import sys
import time
from collections.abc import Callable

import numpy as np
from scipy.integrate import solve_ivp

import generic as g

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "ode"))
from test_split_stories import (  # noqa: E402
    allen_cahn,
    allen_cahn_u0,
    kdv,
    kdv_two_solitons,
)


def best_time(fn: Callable, rounds: int = 3):
    best, result = math.inf, None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        if best > 1.0:
            break
    return best, result


def problems() -> dict:
    x, L, N, rhs = kdv(256)
    kdv_case = dict(L=L, N=N, rhs=rhs, u0=kdv_two_solitons(x, 0.0), T=0.005,
                    ours=[("ETDRK4", g.ETDRK4(), dict(dt=dt)) for dt in (1e-5, 5e-6, 2.5e-6)]
                    + [("KenCarp4", g.KenCarp4(), dict(rtol=r, atol=r * 100))
                       for r in (1e-4, 1e-6)],
                    scipy=[("DOP853", 1e-6), ("DOP853", 1e-9)],
                    slow_scipy=[("LSODA", 1e-6), ("Radau", 1e-6), ("BDF", 1e-6)])
    x, L, N, rhs = allen_cahn(256)
    ac_case = dict(L=L, N=N, rhs=rhs, u0=allen_cahn_u0(x), T=20.0,
                   ours=[("ETDRK4", g.ETDRK4(), dict(dt=dt)) for dt in (0.5, 0.1, 0.05)]
                   + [("KenCarp4", g.KenCarp4(), dict(rtol=r, atol=r))
                      for r in (1e-5, 1e-7, 1e-9)],
                   scipy=[("DOP853", 1e-6), ("DOP853", 1e-9), ("LSODA", 1e-6),
                          ("LSODA", 1e-9), ("Radau", 1e-6), ("BDF", 1e-6)])
    return {"KdV two solitons, n = 256": kdv_case, "Allen-Cahn, n = 256": ac_case}


def run_ours(case: dict, alg, options: dict):
    n = len(case["u0"])
    prob = g.SplitODEProblem(case["L"], case["N"], np.fft.rfft(case["u0"]), (0.0, case["T"]))
    sol = g.solve(prob, alg, saveat=[case["T"]], **options)
    assert sol.retcode == "Success", sol.retcode
    return np.fft.irfft(sol.u[-1], n), sol.stats.naccept


def run_scipy(case: dict, method: str, tol: float):
    atol = tol * np.max(np.abs(case["u0"]))
    sol = solve_ivp(case["rhs"], (0.0, case["T"]), case["u0"], method=method, rtol=tol,
                    atol=atol)
    assert sol.success, sol.message
    return sol.y[:, -1], sol.nfev


def main(everything: bool = False) -> None:
    for name, case in problems().items():
        t_ref, (reference, _) = best_time(lambda: run_scipy(case, "DOP853", 1e-12), 1)
        size = np.max(np.abs(reference))
        check = ""
        if "slow_scipy" not in case or everything:
            radau = run_scipy(case, "Radau", 1e-11)[0]
            check = f"; Radau at 1e-11 differs by {np.max(np.abs(radau - reference)) / size:.1e}"
        print(f"\n{name}: reference DOP853 at 1e-12 ({t_ref:.1f} s){check}")
        print(f"  {'solver':10s} {'setting':22s} {'time (s)':>9s} {'error':>9s} "
              f"{'steps/nfev':>10s} {'ratio':>6s}")
        ours = []
        for label, alg, options in case["ours"]:
            elapsed, (u, steps) = best_time(lambda: run_ours(case, alg, options))
            error = np.max(np.abs(u - reference)) / size
            ours.append((elapsed, error))
            setting = ", ".join(f"{k}={v:g}" for k, v in options.items())
            print(f"  {'g.' + label:10s} {setting:22s} {elapsed:9.3f} {error:9.1e} "
                  f"{steps:10d} steps")
        for method, tol in case["scipy"] + (case.get("slow_scipy", []) if everything else []):
            elapsed, (u, nfev) = best_time(lambda: run_scipy(case, method, tol))
            error = np.max(np.abs(u - reference)) / size
            matched = [t for t, e in ours if e <= error]
            ratio = f"{min(matched) / elapsed:6.2f}" if matched else f"{'-':>6s}"
            print(f"  {method:10s} {f'rtol={tol:g}':22s} {elapsed:9.3f} {error:9.1e} "
                  f"{nfev:10d} nfev {ratio}")


if __name__ == "__main__":
    main(everything="--all" in sys.argv[1:])
