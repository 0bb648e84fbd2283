"""SDE ensembles: g's EM and SRIW1 against a hand-written NumPy Euler–Maruyama, side by side.

Run: python benchmarks/bench_sde.py [--n 10000] [--steps 1000]
Geometric Brownian motion dX = μX dt + σX dW on [0, 1], X0 = 0.5, fixed dt = 1/steps, the
states saved at t = 0, 0.5, 1. Compared:
- NumPy EM: the usual vectorised loop over steps, all trajectories at once, one
  ``standard_normal(n)`` per step (the practical NumPy baseline);
- g EM and g SRIW1 (fixed steps), compiled ensemble (``compile=True``: one call over Numba's
  threads; each trajectory's Brownian path drawn inside the compiled loop from its own stream
  of the counter-based generator, generic/random.py);
- g EM on the generic path (one Python solve per trajectory) on a subset, per trajectory.
Printed: seconds per run (best of 3, after a warm-up that compiles), the ratio to NumPy EM,
and each mean of X(1) against the exact E[X(1)] = X0 e^μ with its standard error; and the
strong error of each method on one shared set of paths (the accuracy the time buys).
Absolute times on shared machines mean little; the ratios are the result.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import generic as g

MU, SIGMA, X0 = 1.01, 0.87, 0.5


def drift(u, p, t):
    return p[0] * u


def diffusion(u, p, t):
    return p[1] * u


def numpy_em(n: int, steps: int, seed: int) -> np.ndarray:
    """Hand-written Euler–Maruyama over all trajectories at once; X at t = 0, 0.5, 1."""
    rng = np.random.default_rng(seed)
    h = 1.0 / steps
    sqrt_h = np.sqrt(h)
    x = np.full(n, X0)
    saved = [x.copy()]
    for k in range(1, steps + 1):
        x = x + MU * x * h + SIGMA * x * (sqrt_h * rng.standard_normal(n))
        if k == steps // 2 or k == steps:
            saved.append(x.copy())
    return np.stack(saved, axis=1)


def best_of(run, repeats: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="trajectories")
    parser.add_argument("--steps", type=int, default=1000, help="steps on [0, 1]")
    args = parser.parse_args()
    n, steps = args.n, args.steps
    dt = 1.0 / steps
    ens = g.EnsembleProblem(g.SDEProblem(drift, diffusion, X0, (0.0, 1.0), p=(MU, SIGMA)))

    def g_compiled(alg):
        return lambda: g.solve(ens, alg, dt=dt, adaptive=False, trajectories=n, seed=1,
                               saveat=0.5, compile=True).u

    start = time.perf_counter()
    for alg in (g.EM(), g.SRIW1()):
        g.solve(ens, alg, dt=0.5, adaptive=False, trajectories=2, seed=0, compile=True)
    print(f"GBM ensemble: {n} trajectories x {steps} steps (compile of both methods: "
          f"{time.perf_counter() - start:.1f} s)")

    exact_mean = X0 * np.exp(MU)
    rows = [("NumPy EM (hand-written, vectorised)", lambda: numpy_em(n, steps, 1)),
            ("g EM, compiled ensemble", g_compiled(g.EM())),
            ("g SRIW1 (fixed dt), compiled ensemble", g_compiled(g.SRIW1()))]
    baseline = None
    print(f"{'':42s} {'seconds':>9s} {'ratio':>7s}   mean X(1) (exact {exact_mean:.4f})")
    for name, run in rows:
        seconds, u = best_of(run)
        baseline = baseline or seconds
        end = np.asarray(u)[:, -1]
        print(f"{name:42s} {seconds:9.4f} {seconds / baseline:7.2f}   {end.mean():.4f} "
              f"± {end.std() / np.sqrt(n):.4f}")
    subset = max(1, n // 100)
    seconds, _ = best_of(lambda: g.solve(ens, g.EM(), dt=dt, trajectories=subset, seed=1,
                                         saveat=0.5).u, repeats=1)
    print(f"{'g EM, generic path (serial), per ' + str(n) + ' (est.)':42s} "
          f"{seconds * n / subset:9.4f} {seconds * n / subset / baseline:7.2f}   "
          f"(measured on {subset} trajectories)")

    print(f"strong error E|X(1) - exact| on 1000 shared paths at dt = {dt:g}:")
    prob = g.SDEProblem(drift, diffusion, np.full(1000, X0), (0.0, 1.0), p=(MU, SIGMA))
    path = g.solve(prob, g.SRIW1(), dt=dt, adaptive=False, saveat=[1.0], seed=5).W
    exact = X0 * np.exp(MU - SIGMA**2 / 2 + SIGMA * path(1.0))
    for alg in (g.EM(), g.SRIW1()):
        sol = g.solve(prob, alg, dt=dt, adaptive=False, saveat=[1.0], noise=path)
        print(f"  {alg.name:6s} {np.mean(np.abs(sol.u[-1] - exact)):.3e}")


if __name__ == "__main__":
    main()
