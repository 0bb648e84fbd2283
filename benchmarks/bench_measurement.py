"""MeasurementArray against uncertainties.unumpy, side by side in one process.

Run: python benchmarks/bench_measurement.py
Each case evaluates one formula on 10^4 points whose values depend on 3 independent sources and
returns values and standard deviations; both libraries' answers are checked to agree. The ratio
is unumpy time / MeasurementArray time (the issue's aim: >= 50). A last row times the same
formula as a Python loop over scalar Measurements vs scalar ufloats, for reference.
"""

from __future__ import annotations

import time

import numpy as np
import uncertainties
from uncertainties import unumpy

import generic as g

N = 10**4
T = np.linspace(0.0, 10.0, N)
INPUTS = ((1.3, 0.05), (0.8, 0.02), (0.5, 0.01))  # (value, std) of the 3 sources


def damped(x, y, z, t, sin, exp):
    return x * sin(y * t) + exp(z * t / 10)


def rational(x, y, z, t, sin, exp):
    return (x + y * t + z * t**2) / (1 + x * t) - y * z


CASES = {"x*sin(y*t) + exp(z*t/10)": damped, "(x + y t + z t^2)/(1 + x t) - y z": rational}


def with_measurements(formula):
    x, y, z = (g.measurement(v, s) for v, s in INPUTS)
    r = formula(x, y, z, T, np.sin, np.exp)
    return g.value(r), g.uncertainty(r)


def with_unumpy(formula):
    x, y, z = (uncertainties.ufloat(v, s) for v, s in INPUTS)
    r = formula(x, y, z, T, unumpy.sin, unumpy.exp)
    return unumpy.nominal_values(r), unumpy.std_devs(r)


def scalar_loop(formula, make, sin, exp, value, std, n=1000):
    x, y, z = (make(v, s) for v, s in INPUTS)
    rs = [formula(x, y, z, t, sin, exp) for t in T[:n]]
    return np.array([value(r) for r in rs]), np.array([std(r) for r in rs])


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def check(a, b) -> None:
    # Same formulas and derivative rules in float64 on both sides: rounding-level agreement.
    np.testing.assert_allclose(a[0], b[0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a[1], b[1], rtol=1e-12, atol=1e-14)


def main() -> None:
    print(f"MeasurementArray vs uncertainties.unumpy: {N} points, 3 independent sources")
    print("(best of several runs; ratio = unumpy time / generic time; aim >= 50)\n")
    header = ("formula", "unumpy ms", "generic ms", "ratio")
    print("{:36s} {:>11s} {:>11s} {:>8s}".format(*header))
    for name, formula in CASES.items():
        t_u, ref = best(lambda f=formula: with_unumpy(f), repeat=3)
        t_g, ours = best(lambda f=formula: with_measurements(f), repeat=20)
        check(ours, ref)
        print(f"{name:36s} {t_u * 1e3:11.2f} {t_g * 1e3:11.3f} {t_u / t_g:8.0f}")

    n = 1000
    print(f"\nscalar Python loop over {n} points (Measurement vs ufloat), for reference:")
    t_u, ref = best(lambda: scalar_loop(damped, uncertainties.ufloat, g.sin, g.exp,
                                        lambda r: r.nominal_value, lambda r: r.std_dev, n), 3)
    t_g, ours = best(lambda: scalar_loop(damped, g.measurement, g.sin, g.exp, g.value,
                                         g.uncertainty, n), 3)
    check(ours, ref)
    print(f"{'damped, scalar loop':36s} {t_u * 1e3:11.2f} {t_g * 1e3:11.3f} {t_u / t_g:8.2f}")


if __name__ == "__main__":
    main()
