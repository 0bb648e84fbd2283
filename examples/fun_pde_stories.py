"""Spectral PDE stories: Fisher–KPP, viscous Burgers, Allen–Cahn and KdV on Fourier Funs.

Run: python examples/fun_pde_stories.py   (about 15 s)

Each PDE u_t = L u + N(u) is written by arithmetic on Funs and solved by g.KenCarp4 (adaptive
IMEX: L implicitly through the Fun's Fourier eigenvalues, N explicitly), adaptive in space by
the Fun's chopping to the solver tolerance. Each is checked against SciPy solve_ivp (DOP853,
rtol 1e-12) on a 256-point Fourier pseudo-spectral method of lines, or (KdV) the exact
two-soliton solution. Printed: error, time beside SciPy's, coefficient count over time; saved
(with matplotlib): examples/figures/<story>.png, the solution as a space–time image and the
coefficient count per step. Lighter settings than benchmarks/bench_fun_pde.py: KdV runs to
t = 0.0015 (chebfun: 0.005), at rtol 1e-4.
"""

from __future__ import annotations

import pathlib
import sys
import time

import numpy as np

import generic as g

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "fun"))
from pde_references import (  # noqa: E402  (the stories, shared with the tests)
    ALLEN_CAHN,
    BURGERS,
    FISHER,
    KDV,
    exact,
    scipy_reference,
)

# (story, final time, SciPy grid points, algorithm, options, what the story shows)
RUNS = [
    (FISHER, FISHER.tf, 256, g.KenCarp4(), dict(rtol=1e-6, atol=1e-8),
     "u_t = 0.05 u_xx + u(1 - u): a bump grows into two fronts of speed 2√(Dr) ≈ 0.45"),
    (BURGERS, BURGERS.tf, 256, g.KenCarp4(), dict(rtol=1e-6, atol=1e-8),
     "u_t = 0.1 u_xx - u u_x from sin x: the wave steepens into a front at x = π"),
    (ALLEN_CAHN, ALLEN_CAHN.tf, 256, g.KenCarp4(), dict(rtol=1e-5, atol=1e-5),
     "chebfun's 'ac': u_t = 5e-3 u_xx - u³ + u, metastable layers between ±1 that merge"),
    (KDV, 0.0015, 512, g.KenCarp4(), dict(rtol=1e-4, atol=1e-4),
     "chebfun's 'kdv': u_t = -u u_x - u_xxx, soliton A = 25 closing on B = 16"),
]


def figure(name: str, sol, lengths: list[int], a: float, b: float) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("  (matplotlib is not installed: no figure)")
        return
    x = np.linspace(a, b, 256)
    times = np.asarray(sol.t, dtype=float)
    image = np.array([u(x) for u in sol.u])  # the accepted steps
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    shown = left.pcolormesh(x, times, image, shading="nearest", cmap="viridis")
    fig.colorbar(shown, ax=left)
    left.set(xlabel="x", ylabel="t", title=f"{name}: u(x, t)")
    right.step(times, lengths, where="post")
    right.set(xlabel="t", ylabel="coefficients", title="length of the Fun state per step",
              ylim=(0, max(lengths) * 1.1))
    fig.tight_layout()
    path = HERE / "figures" / f"{name}.png"
    path.parent.mkdir(exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    print(f"  figure: {path.relative_to(HERE.parent)}")


for story, tf, n, alg, options, what in RUNS:
    print(f"{story.name}: {what}")
    start = time.perf_counter()
    sol = g.solve(story.problem(tf), alg, **options)
    ours = time.perf_counter() - start
    x = story.grid(n)
    start = time.perf_counter()
    reference = exact(story, x, tf)
    if reference is None:
        reference = scipy_reference(story, [tf], n)[1][-1]
    theirs = time.perf_counter() - start
    error = np.max(np.abs(sol.u[-1](x) - reference)) / np.max(np.abs(story.u0(x)))
    lengths = [len(u) for u in sol.u]
    peer = "exact solution" if story is KDV else f"SciPy DOP853 rtol 1e-12, n = {n}: {theirs:.2f} s"
    print(f"  {alg!r} {options} to t = {tf:g}: {sol.retcode}, {sol.stats.naccept} steps, "
          f"{ours:.2f} s   ({peer})")
    print(f"  max error / max|u0| at t = {tf:g}: {error:.1e}")
    picks = np.linspace(0, len(lengths) - 1, 6).astype(int)
    print("  coefficients at t = " + ", ".join(f"{sol.t[i]:.3g}: {lengths[i]}" for i in picks))
    assert sol.retcode == "Success" and error < 2e-2 and max(lengths) <= 601
    figure(story.name, sol, lengths, story.a, story.b)
