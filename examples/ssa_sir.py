"""The SIR epidemic of Gillespie.jl's README, simulated exactly with g.ssa.

Run: python examples/ssa_sir.py [--runs 2000] [--plot sir.png]

One run (every event saved, the state at any time from sol(t)), then an ensemble of runs on a
daily grid in one compiled call: mean and 5%/95% quantiles of the infected over time, and the
probability that the epidemic dies out early. With matplotlib installed the runs and the band
are drawn into a PNG (by default in the system's temporary folder).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

import generic as g


def sir(x, p):
    """Propensities: infection beta S I, recovery gamma I (a tuple compiles to no allocation)."""
    beta, gamma = p
    return beta * x[0] * x[1], gamma * x[1]


STOICHIOMETRY = [[-1, 1, 0],   # S + I -> 2 I
                 [0, -1, 1]]   # I -> R
X0 = [999, 1, 0]
P = (0.1 / 1000, 0.01)
TF = 250.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--plot", default=os.path.join(tempfile.gettempdir(), "ssa_sir.png"))
    args = parser.parse_args()

    start = time.perf_counter()
    sol = g.ssa(X0, sir, STOICHIOMETRY, P, TF, seed=1)
    print(f"one run: {sol.stats.events} events, retcode {sol.retcode}, compiled "
          f"{sol.compiled} ({time.perf_counter() - start:.2f} s with compiling or loading "
          f"Numba's cache)")
    for t in (50.0, 100.0, 250.0):
        print(f"  state (S, I, R) at t = {t:5.0f}: {sol(t)}")

    start = time.perf_counter()
    days = np.arange(0.0, TF + 1)
    ens = g.ssa(X0, sir, STOICHIOMETRY, P, TF, seed=2, trajectories=args.runs, saveat=days)
    seconds = time.perf_counter() - start
    print(f"\n{args.runs} runs in one compiled call: {seconds:.2f} s "
          f"({seconds / args.runs * 1e3:.3f} ms per run)")
    mean, low, high = ens.mean()[:, 1], ens.quantile(0.05)[:, 1], ens.quantile(0.95)[:, 1]
    for day in (25, 50, 100, 150, 250):
        print(f"  infected on day {day:3d}: mean {mean[day]:6.1f}, 5%-95% "
              f"[{low[day]:4.0f}, {high[day]:4.0f}]")
    ever = 1000 - ens.x[:, -1, 0]
    print(f"  dies out early (<= 50 ever infected by day 250): {np.mean(ever <= 50):.3f} "
          f"(branching-process estimate gamma / (beta N) = {P[1] / (P[0] * 1000):.3f})")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib is not installed: no plot)")
        return
    fig, ax = plt.subplots(figsize=(7, 4))
    for k in range(20):
        ax.plot(days, ens.x[k, :, 1], color="0.7", lw=0.6)
    ax.step(sol.t, sol.x[:, 1], where="post", color="C0", lw=1.2, label="one run, every event")
    ax.fill_between(days, low, high, color="C1", alpha=0.3, label="5%-95%")
    ax.plot(days, mean, color="C1", label=f"mean of {args.runs} runs")
    ax.set(xlabel="t (days)", ylabel="infected", title="SIR by Gillespie's direct method")
    ax.legend()
    fig.savefig(args.plot, dpi=120, bbox_inches="tight")
    print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
