"""A stiff problem: Robertson's chemical kinetics with Rodas5, beside SciPy's BDF.

    python examples/stiff_robertson.py

Three species, rate constants 0.04, 3e7 and 1e4: the fast reactions make the problem stiff (an
explicit method would need ~10^8 steps to reach t = 1e5). Rodas5 is a Rosenbrock method: one
LU factorisation of W = I - γ h J per step, with the Jacobian J of f computed by dual numbers
(or given with jac=). TR-BDF2, an implicit method, solves its stages by Newton's iteration
instead. Both run compiled on this float64 problem by default (the float64 fast path; the first
run of a process compiles or loads them), and on the generic path with compile=False: the same
steps. See docs/ode-methods.md, "Stiff problems", and docs/fast-path.md.
"""

from __future__ import annotations

import time

import numpy as np

import generic as g


def robertson(u, p, t):
    k1, k2, k3 = p
    y1, y2, y3 = u[0], u[1], u[2]
    return np.array([-k1 * y1 + k3 * y2 * y3,
                     k1 * y1 - k2 * y2 * y2 - k3 * y2 * y3,
                     k2 * y2 * y2])


def main() -> None:
    p = (0.04, 3e7, 1e4)
    u0 = np.array([1.0, 0.0, 0.0])
    prob = g.ODEProblem(robertson, u0, (0.0, 1e5), p)

    start = time.perf_counter()
    sol = g.solve(prob, g.Rodas5(), rtol=1e-8, atol=1e-14)
    elapsed = time.perf_counter() - start
    print(f"Rodas5   : {sol.retcode}, {sol.stats.naccept} steps, {sol.stats.nf} f evaluations, "
          f"{elapsed * 1e3:.0f} ms")
    for t in (0.4, 40.0, 4e3, 1e5):  # dense output between the steps
        print(f"  u({t:g}) = {sol(t)}")
    print(f"  mass y1 + y2 + y3 - 1 at t = 1e5: {sum(sol.u[-1]) - 1:.1e} (conserved)")

    g.solve(prob, g.TRBDF2(), rtol=1e-6, atol=1e-12)  # compile (or load) the implicit methods
    for compile in (None, False):
        start = time.perf_counter()
        trbdf2 = g.solve(prob, g.TRBDF2(), rtol=1e-6, atol=1e-12, compile=compile)
        elapsed = time.perf_counter() - start
        path = "generic path" if compile is False else "compiled"
        diff = np.max(np.abs(trbdf2.u[-1] - sol.u[-1]) / np.abs(sol.u[-1]))
        print(f"TRBDF2, {path:12s}: {trbdf2.stats.naccept} steps, {elapsed * 1e3:.0f} ms, "
              f"largest relative difference from Rodas5 at t = 1e5: {diff:.1e}")

    try:
        from scipy.integrate import solve_ivp
    except ImportError:
        print("SciPy is not installed: no comparison with its BDF")
        return
    start = time.perf_counter()
    ref = solve_ivp(lambda t, u: robertson(u, p, t), (0.0, 1e5), u0, method="BDF",
                    rtol=1e-8, atol=1e-14)
    elapsed = time.perf_counter() - start
    diff = np.max(np.abs(sol.u[-1] - ref.y[:, -1]) / np.abs(ref.y[:, -1]))
    print(f"SciPy BDF: {'Success' if ref.success else ref.message}, {ref.t.size - 1} steps, "
          f"{ref.nfev} f evaluations (+ {ref.njev} finite-difference Jacobians), "
          f"{elapsed * 1e3:.0f} ms")
    print(f"  largest relative difference from Rodas5 at t = 1e5: {diff:.1e}")


if __name__ == "__main__":
    main()
