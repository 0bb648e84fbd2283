"""2-D reaction–diffusion (Gray–Scott) on an N×N periodic grid, written once for any array
library: NumPy on the CPU, CuPy on a GPU.

    python examples/reaction_diffusion_2d.py                          # NumPy, N = 64
    python examples/reaction_diffusion_2d.py --backend cupy --n 1024  # CuPy: 2·10^6 unknowns

Gray–Scott (Pearson, Science 261 (1993) 189), in the units of the grid (spacing 1):

    a' = Da ∇²a - a b² + F (1 - a)
    b' = Db ∇²b + a b² - (F + k) b

with Da = 0.16, Db = 0.08, F = 0.035, k = 0.065 and the five-point Laplacian with periodic
boundaries (``xp.roll``). The right-hand side asks the state for its namespace
(``array_namespace(u)``), so one function serves every backend; ``g.solve`` keeps the state,
the stages, the saved values and the dense output on the state's device and brings back one
float per tried step (the error norm). ``gray_scott_loops`` is the same right-hand side as
scalar loops on a flat float64 state, for the compiled fast path (``compile=True``).

Prints the solve time, the step counts and a checksum (the sums of a and b at the end).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from array_api_compat import array_namespace

import generic as g

PARAMS = (0.16, 0.08, 0.035, 0.065)  # Da, Db, F, k


def laplacian(z, xp):
    """The five-point Laplacian of the periodic grid ``z`` (spacing 1)."""
    return (xp.roll(z, 1, axis=0) + xp.roll(z, -1, axis=0) + xp.roll(z, 1, axis=1)
            + xp.roll(z, -1, axis=1) - 4.0 * z)


def gray_scott(u, p, t):
    """``u`` of shape (2, N, N): the concentrations a and b."""
    xp = array_namespace(u)
    da, db, feed, kill = p
    a, b = u[0, ...], u[1, ...]
    ab2 = a * b * b
    return xp.stack([da * laplacian(a, xp) - ab2 + feed * (1.0 - a),
                     db * laplacian(b, xp) + ab2 - (feed + kill) * b])


def gray_scott_loops(u, p, t):
    """The same on a flat float64 state (a then b, each N×N row by row), as loops that Numba
    compiles; sums in the order of ``laplacian``, so the values are the same to the bit."""
    da, db, feed, kill = p
    m = u.size // 2
    n = int(math.sqrt(m) + 0.5)
    du = np.empty_like(u)
    for i in range(n):
        up, down = (i - 1) % n, (i + 1) % n
        for j in range(n):
            left, right = (j - 1) % n, (j + 1) % n
            c = i * n + j
            a, b = u[c], u[m + c]
            lap_a = (u[up * n + j] + u[down * n + j] + u[i * n + left] + u[i * n + right]
                     - 4.0 * a)
            lap_b = (u[m + up * n + j] + u[m + down * n + j] + u[m + i * n + left]
                     + u[m + i * n + right] - 4.0 * b)
            ab2 = a * b * b
            du[c] = da * lap_a - ab2 + feed * (1.0 - a)
            du[m + c] = db * lap_b + ab2 - (feed + kill) * b
    return du


def initial_state(n: int) -> np.ndarray:
    """a = 1, b = 0, with a square of b = 1/4, a = 1/2 in the middle, and a smooth
    deterministic ripple that breaks the symmetry (the same on every backend)."""
    u = np.zeros((2, n, n))
    u[0] = 1.0
    lo, hi = n // 2 - max(n // 10, 10), n // 2 + max(n // 10, 10)
    u[0, lo:hi, lo:hi] = 0.5
    u[1, lo:hi, lo:hi] = 0.25
    x = np.arange(n) * (2 * np.pi / n)
    u[1] += 0.01 * np.outer(np.sin(3 * x), np.cos(5 * x)) ** 2
    return u


def to_backend(u: np.ndarray, backend: str):
    """``u`` as an array of ``backend`` ("numpy" or "cupy": copied to the GPU)."""
    if backend == "numpy":
        return u
    if backend == "cupy":
        import cupy

        return cupy.asarray(u)
    raise ValueError(f"unknown backend {backend!r}: numpy or cupy")


def solve(n: int, backend: str = "numpy", tf: float = 200.0, rtol: float = 1e-6,
          atol: float = 1e-6):
    """Gray–Scott on an n×n grid to ``tf`` with Tsit5 (the end state only)."""
    u0 = to_backend(initial_state(n), backend)
    prob = g.ODEProblem(gray_scott, u0, (0.0, tf), PARAMS)
    return g.solve(prob, g.Tsit5(), rtol=rtol, atol=atol, saveat=[tf])


def checksum(u) -> tuple[float, float]:
    """The sums of a and b (floats on the host)."""
    xp = array_namespace(u)
    return float(xp.sum(u[0, ...])), float(xp.sum(u[1, ...]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    parser.add_argument("--n", type=int, default=64, help="grid points per side (default 64)")
    parser.add_argument("--tf", type=float, default=200.0, help="final time (default 200)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sol = solve(args.n, args.backend, args.tf)
    if args.backend == "cupy":
        import cupy

        cupy.cuda.Device().synchronize()
    seconds = time.perf_counter() - start
    u = sol.u[-1, ...]
    sum_a, sum_b = checksum(u)
    print(f"Gray–Scott {args.n}×{args.n} ({2 * args.n**2} unknowns) on {args.backend}, "
          f"Tsit5 to t = {args.tf:g}: {sol.retcode}")
    print(f"  {seconds:.2f} s, {sol.stats.naccept} steps ({sol.stats.nreject} rejected), "
          f"{sol.stats.nf} evaluations of f")
    print(f"  checksum: sum a = {sum_a:.10f}, sum b = {sum_b:.10f}  "
          f"(state a {type(u).__module__}.{type(u).__name__})")


if __name__ == "__main__":
    main()
