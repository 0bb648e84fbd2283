"""Dual-array arithmetic against the same NumPy arithmetic on floats, side by side.

Run: python benchmarks/bench_dual.py
Prints, per operation and number of partials k, the time of the DualArray operation divided by
the time of the NumPy operation on the value arrays alone. The issue's aim: at most (k + 1) * 1.5.
"""

from __future__ import annotations

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


def main() -> None:
    rng = np.random.default_rng(0)
    xv, yv = rng.uniform(0.5, 2.0, N), rng.uniform(0.5, 2.0, N)
    print(f"DualArray vs NumPy on {N} elements (ratio = dual time / float time; aim <= (k+1)*1.5)")
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


if __name__ == "__main__":
    main()
