"""2-D reaction–diffusion on NumPy, on CuPy (a GPU) and on the float64 fast path: one source.

Run: python benchmarks/bench_gpu_pde.py [--sizes 256 1024] [--tf 200]
     (run_all.py calls main(); needs CuPy and a CUDA device for the GPU column, else it prints
     "CuPy: no device" and measures the rest)

The problem is examples/reaction_diffusion_2d.py: Gray–Scott on an N×N periodic grid
(2·N² unknowns; N = 1024 is 10^6 grid points), five-point Laplacian by ``xp.roll``, Tsit5 at
rtol = atol = 1e-6 to t = 200 (about 90 steps, limited by the diffusion's stability, so the
same number at every N), saving the end state only. The same right-hand side runs on NumPy
and on CuPy (``array_namespace(u)``); the fast path (``compile=True``, N = 256 only) runs the
same stepping source compiled by Numba with the Laplacian written as loops on a flat state.

Printed per N: the time of one ``g.solve`` on each backend (best of a few; CuPy after a warm-up
solve that compiles its kernels, the device synchronised before the clock stops), the ratios
time NumPy / time CuPy and time NumPy / time fast path, and the largest difference between the
end states (NumPy's against each other's): both sides do the same arithmetic, so differences
are rounding (CuPy's kernels may contract a·b + c into one fused multiply-add) unless a step
decision flips, then of the order of the tolerance.
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import time

import numpy as np

import generic as g

HERE = pathlib.Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "reaction_diffusion_2d", HERE.parent / "examples" / "reaction_diffusion_2d.py")
rd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rd)

RTOL = ATOL = 1e-6
FAST_PATH_SIZES = (256,)


def cupy_or_none():
    """The cupy module if it imports and sees a CUDA device, else None."""
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        return cupy
    except Exception:  # noqa: BLE001 - no CuPy, no driver, no device: all mean "no GPU"
        return None


def timed(run, repeats: int, sync=None) -> tuple[float, object]:
    """(best time of ``repeats`` runs, the last result); ``sync()`` before each clock stop."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        if sync is not None:
            sync()
        best = min(best, time.perf_counter() - start)
    return best, result


def solve_numpy(n: int, tf: float):
    return rd.solve(n, "numpy", tf, RTOL, ATOL)


def solve_fast(n: int, tf: float):
    u0 = rd.initial_state(n).reshape(-1)
    prob = g.ODEProblem(rd.gray_scott_loops, u0, (0.0, tf), rd.PARAMS)
    return g.solve(prob, g.Tsit5(), rtol=RTOL, atol=ATOL, saveat=[tf], compile=True)


def main(sizes: tuple[int, ...] = (256, 1024), tf: float = 200.0) -> None:
    print(f"Gray–Scott N×N, Tsit5 rtol = atol = {RTOL:g} to t = {tf:g}: g.solve on NumPy, "
          f"CuPy and the fast path (compile=True, N in {FAST_PATH_SIZES})")
    print("(ratios of best-of-several times measured side by side; absolute times mean little)")
    cupy = cupy_or_none()
    if cupy is None:
        print("CuPy: no device")
    else:
        name = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)["name"]
        print(f"CuPy {cupy.__version__} on {name.decode() if isinstance(name, bytes) else name}")
    header = (f"{'N':>5} {'unknowns':>9} {'steps':>6} {'numpy s':>8} {'cupy s':>8} "
              f"{'np/cupy':>8} {'|np-cupy|':>10} {'fast s':>8} {'np/fast':>8} {'|np-fast|':>10}")
    print(header)
    for n in sizes:
        repeats = 3 if n <= 256 else 1
        t_np, sol_np = timed(lambda n=n: solve_numpy(n, tf), repeats)
        end_np = sol_np.u[-1, ...]
        row = f"{n:>5} {2 * n * n:>9} {sol_np.stats.naccept:>6} {t_np:>8.3f}"
        if cupy is not None:
            sync = cupy.cuda.Device().synchronize
            timed(lambda n=n: rd.solve(n, "cupy", tf, RTOL, ATOL), 1, sync)  # compile kernels
            t_cp, sol_cp = timed(lambda n=n: rd.solve(n, "cupy", tf, RTOL, ATOL), 3, sync)
            assert isinstance(sol_cp.u, cupy.ndarray)
            diff = float(np.max(np.abs(cupy.asnumpy(sol_cp.u[-1, ...]) - end_np)))
            row += f" {t_cp:>8.3f} {t_np / t_cp:>8.1f} {diff:>10.2e}"
        else:
            row += f" {'-':>8} {'-':>8} {'-':>10}"
        if n in FAST_PATH_SIZES:
            compile_start = time.perf_counter()
            solve_fast(n, tf)  # compiles f (and the solver, if not cached on disk)
            first = time.perf_counter() - compile_start
            t_fast, sol_fast = timed(lambda n=n: solve_fast(n, tf), repeats)
            diff = float(np.max(np.abs(sol_fast.u[-1] - end_np.reshape(-1))))
            row += f" {t_fast:>8.3f} {t_np / t_fast:>8.1f} {diff:>10.2e}"
            row += f"   (fast path first call incl. compile: {first:.1f} s)"
        else:
            row += f" {'-':>8} {'-':>8} {'-':>10}"
        print(row)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 1024],
                        help="grid points per side (default 256 1024)")
    parser.add_argument("--tf", type=float, default=200.0, help="final time (default 200)")
    args = parser.parse_args()
    main(tuple(args.sizes), args.tf)
