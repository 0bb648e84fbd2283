"""One Lotka–Volterra problem, one solver, every number type.

    x' = a x - b x y,   y' = -c y + d x y,   (a, b, c, d) = (1.5, 1, 3, 1),  x(0) = y(0) = 1

solved to t = 10 by ``g.solve`` with the same right-hand side for each number type: the state
keeps the type it starts in. A row per type:

* float64 and float32: the answer to the precision of each (errors against the mpmath row);
* complex128: the complex-step derivative, Im x(a + ih) / h = dx/da, exact to rounding;
* mpmath at 50 digits: a reference to 20 digits (Vern9, rtol 1e-20);
* dual numbers: all eight sensitivities d(x, y)/d(a, b, c, d) by ``g.jacobian``;
* measurements and ``uncertainties``: a ± 1% propagated through the solve.

Run: ``python examples/lotka_volterra_every_type.py`` (a few seconds).
"""

from __future__ import annotations

import time

import mpmath
import numpy as np
from uncertainties import ufloat

import generic as g

P = (1.5, 1.0, 3.0, 1.0)
T = 10.0


def lotka_volterra(u, p, t):
    a, b, c, d = p[0], p[1], p[2], p[3]
    x, y = u[0], u[1]
    return np.array([a * x - b * x * y, -c * y + d * x * y])


def final_state(u0, p, tspan=(0.0, T), alg=None, **options):
    options = {"rtol": 1e-10, "atol": 1e-12} | options
    sol = g.solve(g.ODEProblem(lotka_volterra, u0, tspan, p), alg or g.Vern9(), **options)
    assert sol.retcode == "Success", sol.message
    return sol.u[-1]


def row(name: str, seconds: float, x, y, note: str = "") -> None:
    print(f"{name:<24} {seconds:6.2f} s   x(10) = {x:<26} y(10) = {y:<26} {note}")


def main() -> None:
    print(__doc__.split("\n\n")[1].strip(), "\n")

    # mpmath first: the reference for the float rows
    start = time.perf_counter()
    with mpmath.workdps(50):
        p_mp = [mpmath.mpf(v) for v in P]
        u0_mp = np.array([mpmath.mpf(1), mpmath.mpf(1)], dtype=object)
        ref = final_state(u0_mp, p_mp, (mpmath.mpf(0), mpmath.mpf(T)),
                          rtol=mpmath.mpf("1e-20"), atol=mpmath.mpf("1e-20"))
        seconds = time.perf_counter() - start
        mp_x, mp_y = mpmath.nstr(ref[0], 22), mpmath.nstr(ref[1], 22)
    reference = np.array([float(ref[0]), float(ref[1])])

    start = time.perf_counter()
    u = final_state(np.array([1.0, 1.0]), P)
    error = np.max(np.abs(u - reference))
    row("float64 (Vern9 1e-10)", time.perf_counter() - start, f"{u[0]:.16f}", f"{u[1]:.16f}",
        f"error {error:.1e}")

    start = time.perf_counter()
    u32 = final_state(np.array([1.0, 1.0], dtype=np.float32), np.float32(P), alg=g.Tsit5(),
                      rtol=1e-6, atol=1e-7)
    error = np.max(np.abs(u32.astype(float) - reference))
    row("float32 (Tsit5 1e-6)", time.perf_counter() - start, repr(u32[0]), repr(u32[1]),
        f"error {error:.1e}, dtype {u32.dtype}")

    start = time.perf_counter()
    h = 1e-20  # complex step: no cancellation, so h can be tiny
    uc = final_state(np.array([1.0 + 0j, 1.0 + 0j]), (P[0] + 1j * h, *P[1:]))
    row("complex128", time.perf_counter() - start, f"{uc[0].real:.16f}", f"{uc[1].real:.16f}",
        f"Im/h: dx/da = {uc[0].imag / h:.12f}")

    row("mpmath, 50 digits", seconds, mp_x, mp_y, "Vern9, rtol 1e-20: the reference")

    start = time.perf_counter()
    J = g.jacobian(lambda p: final_state(np.array([1.0, 1.0]), p), np.array(P))
    row("dual numbers", time.perf_counter() - start, f"{u[0]:.16f}", f"{u[1]:.16f}",
        f"dx/da = {J[0, 0]:.12f}")
    print(f"{'':<33}d(x, y)/d(a, b, c, d) =")
    for line in np.array2string(J, precision=10, suppress_small=True).splitlines():
        print(f"{'':<35}{line}")

    start = time.perf_counter()
    pm = [g.measurement(v, 0.01 * v) for v in P]
    um = final_state(np.array([1.0, 1.0]), pm, alg=g.Tsit5(), rtol=1e-8, atol=1e-10)
    row("measurements, ±1%", time.perf_counter() - start, f"{um[0]:.6f}", f"{um[1]:.6f}",
        "linear propagation, correlations kept")
    sigma = np.sqrt((J**2) @ (0.01 * np.array(P)) ** 2)
    print(f"{'':<35}σ from the dual Jacobian: {sigma[0]:.6f}, {sigma[1]:.6f}")

    start = time.perf_counter()
    pu = [ufloat(v, 0.01 * v) for v in P]
    uu = final_state(np.array([1.0, 1.0]), pu, alg=g.Tsit5(), rtol=1e-8, atol=1e-10)
    row("uncertainties, ±1%", time.perf_counter() - start, f"{uu[0]:.6f}", f"{uu[1]:.6f}",
        "the uncertainties package, same solver")


if __name__ == "__main__":
    main()
