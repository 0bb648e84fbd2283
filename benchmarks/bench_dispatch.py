"""The cost of plum dispatch: generic functions against the calls they end in, side by side.

Run: python benchmarks/bench_dispatch.py
Prints, per case, the best-of-N time per call of the generic function and of the underlying
math / NumPy / mpmath call, their difference (what dispatch and the method's wrapper cost) and
their ratio. Both columns are measured in the same process, one right after the other; on a
shared machine read the ratios and differences, not the absolute times.
"""

from __future__ import annotations

import math
import sys
import time
import timeit
from fractions import Fraction

import mpmath
import numpy as np

import generic as g

A = np.random.default_rng(0).uniform(-1, 1, 1000)
Q = Fraction(1, 3)
SIN_FLOAT = g.sin.invoke(float)  # a method resolved once, as a solver would per solve


def _identity(x):
    return x


def _rms(x):
    return float(np.sqrt(np.mean(np.abs(x) ** 2)))


# name -> (generic call, the call it ends in)
CASES = {
    "sin(float)": (lambda: g.sin(0.5), lambda: math.sin(0.5)),
    "sin(float), g.sin.invoke(float) once": (lambda: SIN_FLOAT(0.5), lambda: math.sin(0.5)),
    "sin(np.float32)": (lambda: g.sin(np.float32(0.5)), lambda: np.sin(np.float32(0.5))),
    "sin(mpf)": (lambda: g.sin(mpmath.mpf(0.5)), lambda: mpmath.sin(mpmath.mpf(0.5))),
    "sin(ndarray[1000])": (lambda: g.sin(A), lambda: np.sin(A)),
    "atan2(ndarray[1000], float)": (lambda: g.atan2(A, 0.5), lambda: np.arctan2(A, 0.5)),
    "value(float)": (lambda: g.value(0.5), lambda: _identity(0.5)),
    "value(ndarray[1000])": (lambda: g.value(A), lambda: _identity(A)),
    "norm(float)": (lambda: g.norm(-0.5), lambda: float(abs(-0.5))),
    "norm(ndarray[1000])": (lambda: g.norm(A), lambda: _rms(A)),
    "convert(float, Fraction)": (lambda: g.convert(float, Q), lambda: float(Q)),
    "eps(float)": (lambda: g.eps(float), lambda: sys.float_info.epsilon),
}


def best_time(fn, budget: float = 0.02, repeat: int = 5) -> float:
    """Best-of-``repeat`` seconds per call, each repeat running about ``budget`` seconds."""
    number, elapsed = 1, 0.0
    while elapsed < budget:  # calibrate: double the loop until it takes `budget`
        number *= 2
        elapsed = timeit.timeit(fn, number=number)
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    for generic_call, direct_call in CASES.values():  # warm plum's caches and NumPy's loops
        generic_call(), direct_call()
    print(f"{'case':<38} {'generic':>10} {'direct':>10} {'overhead':>10} {'ratio':>7}")
    for name, (generic_call, direct_call) in CASES.items():
        t_generic, t_direct = best_time(generic_call), best_time(direct_call)
        print(
            f"{name:<38} {t_generic * 1e6:8.3f}us {t_direct * 1e6:8.3f}us "
            f"{(t_generic - t_direct) * 1e6:8.3f}us {t_generic / t_direct:6.1f}x"
        )
    print(
        "\noverhead: what dispatch and the method's wrappers add per call. eps(T) is"
        "\neps(convert(T, 0)); convert caches its type[X] resolution per type."
    )


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.1f} s)")
