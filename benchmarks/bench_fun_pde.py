"""Spectral PDE stories on Fourier Funs against a SciPy method of lines: time and accuracy.

Run: python benchmarks/bench_fun_pde.py   (about 1.5 minutes; run_all.py calls main())

Stories (tests/fun/pde_references.py, shared with tests/fun/test_pde_stories.py): Fisher–KPP,
viscous Burgers, chebfun's Allen–Cahn preset to t = 100 and its KdV two-soliton preset to
t = 0.005. Ours: g.KenCarp4 (and g.ETDRK4 at a fixed dt) on a Fourier Fun state, the PDE
written on Funs, its length chopped to the solver tolerance every step. SciPy: solve_ivp DOP853
on an n-point Fourier pseudo-spectral grid (n = 256; KdV 512), the usual fixed-grid method of
lines (the stiffness of the finest grid mode bounds its step).

Error: max |u(x_j, tf) - reference| / max|u0| on the grid, the reference SciPy DOP853 at
rtol = 1e-12 (KdV: the exact two-soliton solution). "SciPy at matched error": the loosest rtol
in 1e-3, 1e-4, ..., 1e-11 whose error is at most ours, and its time; ratio = our time / that
time (< 1: ours is faster). Times: one run each (the machines are shared: read the ratios).
"""

from __future__ import annotations

import pathlib
import sys
import time

import numpy as np

import generic as g

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "fun"))
from pde_references import (  # noqa: E402
    ALLEN_CAHN,
    BURGERS,
    FISHER,
    KDV,
    exact,
    scipy_reference,
)

RUNS = [  # story, grid points of the SciPy method of lines, our algorithm and options
    (FISHER, 256, g.KenCarp4(), dict(rtol=1e-6, atol=1e-8)),
    (FISHER, 256, g.ETDRK4(), dict(dt=0.1, rtol=1e-8, atol=1e-10)),
    (BURGERS, 256, g.KenCarp4(), dict(rtol=1e-6, atol=1e-8)),
    (BURGERS, 256, g.Tsit5(), dict(rtol=1e-6, atol=1e-8)),
    (ALLEN_CAHN, 256, g.KenCarp4(), dict(rtol=1e-6, atol=1e-6)),
    (KDV, 512, g.KenCarp4(), dict(rtol=1e-5, atol=1e-5)),
]


def reference(story, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = story.grid(n)
    closed_form = exact(story, x, story.tf)
    if closed_form is not None:
        return x, closed_form
    return x, scipy_reference(story, [story.tf], n)[1][-1]


def scipy_at_matched_error(story, n: int, x, ref, scale, target):
    """(rtol, time, error) of the loosest DOP853 run with error <= target, or the last tried."""
    for rtol in 10.0 ** -np.arange(3, 12):
        start = time.perf_counter()
        values = scipy_reference(story, [story.tf], n, tol=rtol)[1][-1]
        elapsed = time.perf_counter() - start
        error = np.max(np.abs(values - ref)) / scale
        if error <= target:
            break
    return rtol, elapsed, error


def main() -> None:
    print(f"{'story':<11} {'ours':<34} {'time':>7} {'error':>8} {'len max/end':>11} | "
          f"{'DOP853 rtol':>11} {'time':>7} {'error':>8} | {'ratio':>6}")
    for story, n, alg, options in RUNS:
        x, ref = reference(story, n)
        scale = np.max(np.abs(story.u0(x)))
        start = time.perf_counter()
        sol = g.solve(story.problem(), alg, **options)
        elapsed = time.perf_counter() - start
        error = np.max(np.abs(sol.u[-1](x) - ref)) / scale
        counts = [len(u) for u in sol.u]
        rtol, scipy_time, scipy_error = scipy_at_matched_error(story, n, x, ref, scale, error)
        described = f"{alg!r} " + ", ".join(f"{k}={v:g}" for k, v in options.items())
        print(f"{story.name:<11} {described:<34} {elapsed:6.2f}s {error:8.1e} "
              f"{max(counts):>5}/{counts[-1]:<5} | {rtol:11.0e} {scipy_time:6.2f}s "
              f"{scipy_error:8.1e} | {elapsed / scipy_time:6.2f}")


if __name__ == "__main__":
    main()
