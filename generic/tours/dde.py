"""Tour section ``dde``: delay differential equations by the method of steps."""

from __future__ import annotations

import math

from ..tour import _row, section


@section("dde")
def _dde() -> None:
    """y' = -y(t - 1) against its exact polynomials, in floats, 50 digits and duals."""
    import mpmath
    import numpy as np

    import generic as g

    def exact(t, a=1.0):  # y' = -a y(t - 1), y = 1 before 0: Σ (-a)^k (t - k + 1)^k / k!
        terms = [(-a) ** k * (t - k + 1) ** k / math.factorial(k) for k in range(int(t) + 2)]
        return sum(terms[1:], terms[0])

    print("Delay equations: g.DDEProblem(f, u0, history, tspan, p, lags=[1]), f(u, h, p, t):")
    prob = g.DDEProblem(lambda u, h, p, t: -h(p, t - 1), 1.0, 1.0, (0.0, 3.0), lags=[1.0])
    sol = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10)
    ts = np.linspace(0, 3, 301)
    _row("y' = -y(t-1), Tsit5: max error, 301 pts",
         f"{max(abs(sol(t) - exact(t)) for t in ts):.1e}", "exact cubic pieces")
    _row("  steps land on the kinks t = 1, 2", str(1.0 in sol.t.tolist() and
                                                    2.0 in sol.t.tolist()), "True")
    with mpmath.workdps(50):
        mpf = mpmath.mpf
        prob50 = g.DDEProblem(lambda u, h, p, t: -h(p, t - 1), mpf(1), mpf(1),
                              (mpf(0), mpf(3)), lags=[mpf(1)])
        y3 = g.solve(prob50, g.Vern9(), rtol=mpf(10) ** -45, atol=mpf(10) ** -45).u[-1]
        _row("y(3) at 50 digits (Vern9)", mpmath.nstr(y3, 45), "-1/6")

    def final(a):
        decay = g.DDEProblem(lambda u, h, p, t: -p * h(p, t - 1), 1.0, 1.0, (0.0, 3.0), a,
                             lags=[1.0])
        return g.solve(decay, g.Tsit5(), rtol=1e-10, atol=1e-12).u[-1]

    a = 0.7
    slope = sum(k * (-1) ** k * a ** (k - 1) * (4 - k) ** k / math.factorial(k)
                for k in range(1, 4))
    _row("d y(3)/da of y' = -a y(t-1), duals", f"{g.derivative(final, a):.14f}",
         f"{slope:.14f}")
    long_lag = g.DDEProblem(lambda u, h, p, t: -h(p, t - 0.1), 1.0, 1.0, (0.0, 20.0),
                            lags=[0.1])
    sol = g.solve(long_lag, g.Tsit5(), rtol=1e-8, atol=1e-10)
    _row("lag 0.1: longest step (fixed point)", f"{np.max(np.diff(sol.t)):.2f}",
         "steps beyond the lag are iterated")
