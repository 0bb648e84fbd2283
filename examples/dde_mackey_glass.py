"""Delay differential equations: y' = -y(t - 1) exactly, Mackey–Glass, Hutchinson's sensitivity.

    python examples/dde_mackey_glass.py

g.DDEProblem(f, u0, history, tspan, p, lags=[...]) with f(u, h, p, t), h(p, s) the solution at
an earlier time s; g.solve steps it with any ODE method (method of steps). See docs/dde.md.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

import generic as g


def delayed_decay_exact(t):
    """y' = -y(t - 1), y = 1 before 0: Σ_{k <= ⌊t⌋+1} (-1)^k (t - k + 1)^k / k!."""
    terms = [(-1) ** k * (t - k + 1) ** k / math.factorial(k) for k in range(int(t) + 2)]
    return sum(terms[1:], terms[0])


def mackey_glass(u, h, p, t):
    """Mackey & Glass (Science 197, 1977): x' = β x(t-τ) / (1 + x(t-τ)^n) - γ x."""
    beta, gamma, n, tau = p
    lagged = h(p, t - tau)
    return beta * lagged / (1 + lagged**n) - gamma * u


def main() -> None:
    print("y' = -y(t - 1), y = 1 for t <= 0, against its exact piecewise polynomials:")
    prob = g.DDEProblem(lambda u, h, p, t: -h(p, t - 1), 1.0, 1.0, (0.0, 10.0), lags=[1.0])
    for alg in (g.Tsit5(), g.Vern9(), g.BS3()):
        sol = g.solve(prob, alg, rtol=1e-10, atol=1e-10)
        ts = np.linspace(0, 10, 1001)
        with mpmath.workdps(40):
            exact = np.array([float(delayed_decay_exact(mpmath.mpf(t))) for t in ts])
        error = np.max(np.abs(sol(ts) - exact))
        print(f"  {alg.name:6s} rtol 1e-10: max error on 1001 points {error:.1e}, "
              f"{sol.stats.naccept} steps, lands on t = 1, 2, 3: "
              f"{all(k in sol.t.tolist() for k in (1.0, 2.0, 3.0))}")
    with mpmath.workdps(50):
        mpf = mpmath.mpf
        prob50 = g.DDEProblem(lambda u, h, p, t: -h(p, t - 1), mpf(1), mpf(1), (mpf(0), mpf(3)),
                              lags=[mpf(1)])
        sol = g.solve(prob50, g.Vern9(), rtol=mpf(10) ** -45, atol=mpf(10) ** -45)
        print(f"  50 digits: y(3) = {mpmath.nstr(sol.u[-1], 50)}")
        print(f"             exact  {mpmath.nstr(delayed_decay_exact(mpf(3)), 50)}  (= -1/6)")

    print("\nMackey–Glass, β = 0.2, γ = 0.1, n = 10, τ = 17, x = 0.5 before 0 (chaotic):")
    p = (0.2, 0.1, 10, 17.0)
    mg = g.DDEProblem(mackey_glass, 0.5, 0.5, (0.0, 300.0), p, lags=[17.0])
    tight = g.solve(mg, g.Vern9(), rtol=1e-12, atol=1e-12)
    for alg, tol in ((g.Tsit5(), 1e-6), (g.Tsit5(), 1e-9), (g.DP5(), 1e-9)):
        sol = g.solve(mg, alg, rtol=tol, atol=tol)
        times = np.array([50.0, 100.0, 200.0, 300.0])
        print(f"  {alg.name:5s} rtol {tol:.0e}: x(50, 100, 200, 300) = {np.round(sol(times), 8)}"
              f"; vs Vern9 at 1e-12: {np.max(np.abs(sol(times) - tight(times))):.1e}")

    print("\nHutchinson's delayed logistic N' = r N (1 - N(t - 1)), N = 0.5 before 0:")

    def final(r):
        hut = g.DDEProblem(lambda u, h, p, t: p * u * (1 - h(p, t - 1)), 0.5, 0.5, (0.0, 8.0),
                           r, lags=[1.0])
        return g.solve(hut, g.Tsit5(), rtol=1e-12, atol=1e-12).u[-1]

    r, step = 1.2, 1e-4
    print(f"  N(8) at r = 1.2: {final(r):.12f}")
    print(f"  dN(8)/dr by dual numbers      {g.derivative(final, r):.10f}")
    central = (final(r + step) - final(r - step)) / (2 * step)
    print(f"  dN(8)/dr by central difference {central:.10f}")


if __name__ == "__main__":
    main()
