"""Tour section: Gillespie's stochastic simulation algorithm (``python -m generic tour ssa``)."""

from __future__ import annotations

from generic.tour import _row, section


@section("ssa")
def _ssa() -> None:
    """Birth-death moments against the exact Poisson law, SIR's mean final size against an
    exact dynamic program, and the same seeded run on the compiled and Python paths."""
    import numpy as np

    import generic as g

    def birth_death(x, p):
        return p[0], p[1] * x[0]

    def sir(x, p):
        return p[0] * x[0] * x[1], p[1] * x[1]

    print("Birth-death (0 -> X at rate 10, X -> 0 at rate x), X(t) from 0 is Poisson:")
    ens = g.ssa([0], birth_death, [[1], [-1]], (10.0, 1.0), 1.0, seed=1, trajectories=4000)
    lam = 10 * (1 - np.exp(-1.0))
    _row("mean X(1), 4000 runs", f"{ens.mean()[-1, 0]:.3f}",
         f"{lam:.3f} ± {np.sqrt(lam / 4000):.3f} (1 SE)")
    _row("variance X(1)", f"{ens.var()[-1, 0]:.3f}", f"{lam:.3f} (Poisson: = mean)")

    print("SIR of Gillespie.jl's README (beta = 1e-4, gamma = 0.01, 999 + 1 + 0):")
    nu, x0, p = [[-1, 1, 0], [0, -1, 1]], [999, 1, 0], (1e-4, 0.01)
    runs = 1000
    final = g.ssa(x0, sir, nu, p, 1e5, seed=2, trajectories=runs).x[:, -1, 2]
    _row("mean final size, 1000 runs", f"{final.mean():.1f}",
         f"{_exact_mean_final_size(1000, *p):.1f} ± {final.std() / np.sqrt(runs):.1f} "
         f"(exact DP, 1 SE)")
    compiled = g.ssa(x0, sir, nu, p, 250.0, seed=3)
    python = g.ssa(x0, sir, nu, p, 250.0, seed=3, compile=False)
    _row("seed 3: events, state at t = 250", f"{compiled.stats.events}, {compiled.x[-1]}",
         f"{python.stats.events}, {python.x[-1]} (Python path)")


def _exact_mean_final_size(n: int, beta: float, gamma: float) -> float:
    """The mean number ever infected from (n-1, 1), by a dynamic program over the embedded
    jump chain (infection with probability beta S / (beta S + gamma))."""
    import numpy as np
    inflow = np.zeros(n + 2)
    inflow[1] = 1.0
    mean = 0.0
    for s in range(n - 1, -1, -1):
        r = gamma / (beta * s + gamma)
        row = np.zeros(n + 2)
        for i in range(n, -1, -1):  # recoveries within the row: P[i] = inflow[i] + r P[i+1]
            row[i] = inflow[i] + r * row[i + 1]
        mean += row[0] * (n - s)
        inflow = np.zeros(n + 2)
        inflow[2:] = (1 - r) * row[1:-1]
    return mean
