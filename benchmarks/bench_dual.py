"""Dual-array arithmetic against the same NumPy arithmetic on floats, side by side.

Run: python benchmarks/bench_dual.py
Prints, per operation and number of partials k, the time of the DualArray operation divided by
the time of the NumPy operation on the value arrays alone. The issue's aim: at most (k + 1) * 1.5.

A dual operation allocates k + 1 arrays where NumPy allocates one. With glibc's default
thresholds, freed multi-megabyte blocks go back to the operating system and every new one pays
its page faults again; on some machines (sandboxes, VMs) that costs more than the arithmetic.
The table is printed twice: with the allocator's defaults, then with its mmap and trim
thresholds raised (``mallopt``, as a long-running process's warm heap behaves), which leaves
the arithmetic. Both sides of each ratio run under the same allocator settings.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import timeit

import numpy as np

import generic as g

N = 10**5
OPERATIONS = {
    "x + y": lambda x, y: x + y,
    "x * y": lambda x, y: x * y,
    "x / y": lambda x, y: x / y,
    "sin(x)": lambda x, y: np.sin(x),
    "exp(x) * y": lambda x, y: np.exp(x) * y,
    "x*y + sin(x)*exp(y) (RHS-like)": lambda x, y: x * y + np.sin(x) * np.exp(y),
}


def best_time(fn, repeat: int = 7) -> float:
    number = 20
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def table(rng) -> None:
    xv, yv = rng.uniform(0.5, 2.0, N), rng.uniform(0.5, 2.0, N)
    header = ("operation", "k", "numpy µs", "dual µs", "ratio", "aim")
    print("{:34s} {:>3s} {:>10s} {:>10s} {:>7s} {:>6s}".format(*header))
    for k in (1, 4, 8):
        xd = g.DualArray(xv, rng.standard_normal((k, N)))
        yd = g.DualArray(yv, rng.standard_normal((k, N)))
        for name, op in OPERATIONS.items():
            t_float = best_time(lambda: op(xv, yv))
            t_dual = best_time(lambda: op(xd, yd))
            ratio = t_dual / t_float
            aim = (k + 1) * 1.5
            flag = "" if ratio <= aim else "  over"
            print(f"{name:34s} {k:3d} {t_float * 1e6:10.1f} {t_dual * 1e6:10.1f} {ratio:7.2f}"
                  f" {aim:6.1f}{flag}")


def raise_allocator_thresholds() -> bool:
    """glibc mallopt: keep freed blocks in the heap (M_MMAP_THRESHOLD -3, M_TRIM_THRESHOLD -1)."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(-3, 2**30)) and bool(libc.mallopt(-1, 2**30))


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"DualArray vs NumPy on {N} elements (ratio = dual time / float time; aim <= (k+1)*1.5)")
    print("\n-- allocator defaults --")
    table(rng)
    if raise_allocator_thresholds():
        print("\n-- allocator thresholds raised (mallopt): the arithmetic alone --")
        table(rng)


if __name__ == "__main__":
    main()
