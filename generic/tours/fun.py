"""Tour section "fun": Chebyshev and Fourier functions, and a Fun as an ODE state
(docs/fun.md)."""

from __future__ import annotations

from ..tour import _row, section


@section("fun")
def _fun() -> None:
    """g.Fun: functions as adaptively chopped series; the ODE solvers step them unchanged."""
    import numpy as np
    import scipy.special as sp

    import generic as g

    print("Functions as Chebyshev and Fourier series, chopped where they reach eps:")
    u = g.Fun(np.exp, g.Chebyshev(-1, 1))
    _row("len(Fun(exp, Chebyshev(-1, 1)))", len(u), "chebfun: 15")
    _row("∫_{-1}^{1} e^x dx", f"{u.sum():.16f}", f"{np.e - 1 / np.e:.16f}")
    J0 = g.Fun(sp.j0, g.Chebyshev(0, 30))
    _row("roots of J0 on [0, 30] (first three)", J0.roots()[:3], sp.jn_zeros(0, 3))
    v = g.Fun(lambda x: 1 / (2 - np.cos(x)), g.Fourier(0, 2 * np.pi))
    _row("len(Fun(1/(2 - cos x), Fourier))", len(v), "modes -27..27: r^27 ≈ eps")
    # at cos x = √3 - 1: sin x / (2 - cos x)² = √(2√3 - 3) / (3 - √3)²
    _row("max of (1/(2 - cos x))'", f"{v.diff().max():.15f}",
         f"{np.sqrt(2 * np.sqrt(3) - 3) / (3 - np.sqrt(3)) ** 2:.15f}")
    _row("g.norm (RMS over the period)", f"{g.norm(v):.15f}",
         f"{np.sqrt(2 / 3**1.5):.15f}")

    print("A Fourier Fun as the state of g.solve(..., g.Tsit5()): heat u_t = u_xx, rtol 1e-10:")
    r = 2 - np.sqrt(3)
    sol = g.solve(g.ODEProblem(lambda w, p, t: w.diff(2), v, (0.0, 1.0)), g.Tsit5(),
                  rtol=1e-10, atol=1e-10)
    k = np.arange(1, 60)
    exact = (1 + 2 * np.sum(r**k * np.exp(-k * k * 1.0))) / np.sqrt(3)
    _row("u(0, t = 1)", f"{sol.u[-1](0.0):.13f}", f"{exact:.13f}")
    lengths = [len(w) for w in sol.u]
    _row("coefficients at t = 0, 0.1, 1", [lengths[0], len(sol(0.1)), lengths[-1]],
         "shrinking as diffusion smooths")
