"""The float64 fast path: a float64 problem runs the same solver source compiled by Numba (by
default), with a compiled event; another problem reuses the compiled solver.

Run: python examples/fast_path.py   (the first run on a machine compiles the solver, about a
minute, and Numba caches it; later runs load it, and the problems' own compiled functions too)
"""

import time

import numpy as np

import generic as g


def lotka_volterra(u, p, t):
    a, b, c, d = p
    return np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])


def prey_peak(u, t, integ):
    """Zero where the prey population peaks (du0/dt changes sign downward)."""
    a, b, c, d = integ.p
    return a * u[0] - b * u[0] * u[1]


def count_peak(integ):
    integ.u[0] = integ.u[0]  # observe only: the event time and state are saved


def main() -> None:
    prob = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0),
                        p=(1.5, 1.0, 3.0, 1.0))
    start = time.perf_counter()
    fast = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8)  # float64: compiled
    first = time.perf_counter() - start
    generic = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8, compile=False)
    print(f"first compiled solve (compile or cache load included): {first:.2f} s")
    print(f"compiled and generic paths: {fast.stats.naccept} and {generic.stats.naccept} "
          f"steps, largest difference {np.max(np.abs(fast.u - generic.u)):.1e}")

    start = time.perf_counter()
    for _ in range(100):
        g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8)
    compiled = (time.perf_counter() - start) / 100
    start = time.perf_counter()
    for _ in range(3):
        g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8, compile=False)
    interpreted = (time.perf_counter() - start) / 3
    print(f"one solve: compiled {compiled * 1e6:.0f} µs, generic {interpreted * 1e3:.1f} ms "
          f"({interpreted / compiled:.0f}x)")

    peaks = g.ContinuousCallback(prey_peak, None, affect_neg=count_peak)
    start = time.perf_counter()
    sol = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8, callback=peaks, saveat=10.0)
    print(f"with a compiled event: {time.perf_counter() - start:.2f} s for the first solve "
          f"(only the callback's functions compile)")
    times = sol.t[1:-1:2]
    print("prey peaks (compiled event) at t =", np.round(times, 6))
    assert len(times) >= 2


if __name__ == "__main__":
    main()
