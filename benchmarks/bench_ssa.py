"""Gillespie's direct method on the SIR model of Gillespie.jl's README: time per simulation.

Run: python benchmarks/bench_ssa.py [--n 1000] [--no-gillespy2]
(or python benchmarks/run_all.py ssa). The model: propensities [beta S I, gamma I],
x0 = [999, 1, 0], stoichiometry [[-1, 1, 0], [0, -1, 1]], beta = 0.1/1000, gamma = 0.01,
tf = 250. Compared, per simulation, side by side in one run:
- g.ssa, one compiled run per call in a Python loop (every event saved);
- g.ssa(..., trajectories=n, saveat=1.0): all runs in one compiled call over Numba's threads
  (propensities returned as a tuple, and as a new array per event);
- a plain NumPy direct-method loop (written here; run on a subset);
- a hand-written Numba loop (the practical limit: rates inlined, every event saved), one call
  per run and all runs in one call;
- GillesPy2's C++ SSA solver (SSACSolver) and NumPySSASolver, if gillespy2 imports.
Compile (or cache-load) times are printed separately. The mean final R of each is printed as a
check that they simulate the same process. Gillespie.jl's README reports 0.49 ms per
simulation for Julia's hand-written loop on its machine (not measured here). Absolute times on
shared machines mean little; the ratios are the result.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from numba import njit

import generic as g

X0 = np.array([999, 1, 0])
NU = np.array([[-1, 1, 0], [0, -1, 1]])
P = (0.1 / 1000, 0.01)
TF = 250.0


def sir(x, p):
    """The propensities as a tuple (no allocation in compiled code)."""
    beta, gamma = p
    return beta * x[0] * x[1], gamma * x[1]


def sir_array(x, p):
    """The same as a new array per event (what a NumPy user writes first)."""
    beta, gamma = p
    return np.array([beta * x[0] * x[1], gamma * x[1]])


def numpy_direct(seed: int):
    """The direct method in plain NumPy, saving every event."""
    rng = np.random.default_rng(seed)
    x, t = X0.copy(), 0.0
    ts, xs = [0.0], [x.copy()]
    while True:
        a = np.array([P[0] * x[0] * x[1], P[1] * x[1]])
        a0 = a.sum()
        if a0 <= 0:
            break
        t += rng.exponential(1 / a0)
        if t > TF:
            break
        j = np.searchsorted(np.cumsum(a), rng.random() * a0, side="right")
        x = x + NU[j]
        ts.append(t)
        xs.append(x.copy())
    return np.array(ts), np.array(xs)


@njit(cache=True)
def numba_direct(seed):
    """A hand-written Numba direct method for this model, saving every event."""
    np.random.seed(seed)
    beta, gamma = P
    s, i, r = X0[0], X0[1], X0[2]
    ts = np.empty(4096)
    xs = np.empty((4096, 3), dtype=np.int64)
    ts[0], xs[0, 0], xs[0, 1], xs[0, 2] = 0.0, s, i, r
    n, t = 1, 0.0
    while True:
        infect, recover = beta * s * i, gamma * i
        total = infect + recover
        if total <= 0.0:
            break
        t += -np.log(1.0 - np.random.random()) / total
        if t > TF:
            break
        if np.random.random() * total < infect:
            s, i = s - 1, i + 1
        else:
            i, r = i - 1, r + 1
        if n == ts.shape[0]:
            ts = np.concatenate((ts, np.empty(n)))
            xs = np.concatenate((xs, np.empty((n, 3), dtype=np.int64)))
        ts[n], xs[n, 0], xs[n, 1], xs[n, 2] = t, s, i, r
        n += 1
    return ts[:n], xs[:n]


@njit(cache=True)
def numba_direct_all(n):
    final_r = np.empty(n)
    for k in range(n):
        final_r[k] = numba_direct(k)[1][-1, 2]
    return final_r


def timed(run) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def gillespy2_rows(n: int) -> list:
    try:
        import gillespy2
    except ImportError:
        print("gillespy2 is not installed (pip install gillespy2): skipped")
        return []

    model = gillespy2.Model(name="SIR")
    beta = gillespy2.Parameter(name="beta", expression=P[0])
    gamma = gillespy2.Parameter(name="gamma", expression=P[1])
    model.add_parameter([beta, gamma])
    s, i, r = (gillespy2.Species(name=name, initial_value=int(v), mode="discrete")
               for name, v in zip("SIR", X0, strict=True))
    model.add_species([s, i, r])
    model.add_reaction([
        gillespy2.Reaction(name="infection", reactants={s: 1, i: 1}, products={i: 2},
                           propensity_function="beta*S*I"),
        gillespy2.Reaction(name="recovery", reactants={i: 1}, products={r: 1}, rate=gamma)])
    model.timespan(np.linspace(0, TF, 251))
    build, solver = timed(lambda: gillespy2.SSACSolver(model=model))
    print(f"GillesPy2 SSACSolver build (C++ compile): {build:.1f} s")
    rows = []
    seconds, results = timed(lambda: model.run(solver=solver, number_of_trajectories=n,
                                               seed=1))
    rows.append(("GillesPy2 SSACSolver (C++), one call", seconds / n,
                 np.mean([tr["R"][-1] for tr in results])))
    m = max(n // 50, 5)
    numpy_solver = gillespy2.NumPySSASolver(model=model)
    seconds, results = timed(lambda: model.run(solver=numpy_solver, number_of_trajectories=m,
                                               seed=1))
    rows.append((f"GillesPy2 NumPySSASolver ({m} runs)", seconds / m,
                 np.mean([tr["R"][-1] for tr in results])))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--no-gillespy2", action="store_true")
    args = parser.parse_args([] if argv is None else argv)
    import numba
    n = args.n
    first, _ = timed(lambda: g.ssa(X0, sir, NU, P, TF, seed=0))
    first_ensemble, _ = timed(lambda: g.ssa(X0, sir, NU, P, TF, seed=0, trajectories=2,
                                            saveat=1.0))
    first_numba, _ = timed(lambda: numba_direct_all(2))
    print(f"first call (compile, or load Numba's disk cache): g.ssa {first:.2f} s, "
          f"g.ssa ensemble {first_ensemble:.2f} s, hand-written Numba {first_numba:.2f} s")
    rows = []
    seconds, sols = timed(lambda: [g.ssa(X0, sir, NU, P, TF, seed=k) for k in range(n)])
    rows.append(("g.ssa, one run per call", seconds / n, np.mean([s.x[-1, 2] for s in sols])))
    events = np.mean([s.stats.events for s in sols])
    seconds, ens = timed(lambda: g.ssa(X0, sir, NU, P, TF, seed=1, trajectories=n,
                                       saveat=1.0))
    rows.append((f"g.ssa ensemble, one call ({numba.get_num_threads()} threads)", seconds / n,
                 ens.mean()[-1, 2]))
    seconds, ens = timed(lambda: g.ssa(X0, sir, NU, P, TF, seed=1, trajectories=n,
                                       saveat=1.0, method="sorting"))
    rows.append(("g.ssa ensemble, sorting direct", seconds / n, ens.mean()[-1, 2]))
    g.ssa(X0, sir_array, NU, P, TF, seed=0, trajectories=2, saveat=1.0)
    seconds, ens = timed(lambda: g.ssa(X0, sir_array, NU, P, TF, seed=1, trajectories=n,
                                       saveat=1.0))
    rows.append(("g.ssa ensemble, rates as a new np.array", seconds / n, ens.mean()[-1, 2]))
    seconds, finals = timed(lambda: [numba_direct(k)[1][-1, 2] for k in range(n)])
    rows.append(("hand-written Numba, one run per call", seconds / n, np.mean(finals)))
    seconds, finals = timed(lambda: numba_direct_all(n))
    rows.append(("hand-written Numba, all runs in one call", seconds / n, np.mean(finals)))
    m = max(n // 20, 5)
    seconds, runs = timed(lambda: [numpy_direct(k) for k in range(m)])
    rows.append((f"plain NumPy direct method ({m} runs)", seconds / m,
                 np.mean([xs[-1, 2] for _, xs in runs])))
    if not args.no_gillespy2:
        rows += gillespy2_rows(n)
    limit = rows[4][1]
    print(f"\nSIR, tf = {TF}, {n} simulations, {events:.0f} events per run on average")
    print(f"{'':48s} {'ms/simulation':>13s} {'x hand Numba':>12s} {'mean R(tf)':>10s}")
    for name, per, mean_r in rows:
        print(f"{name:48s} {per * 1e3:13.4f} {per / limit:12.2f} {mean_r:10.1f}")
    print("Gillespie.jl README, Julia hand-written loop, its machine: 0.49 ms/simulation")


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
