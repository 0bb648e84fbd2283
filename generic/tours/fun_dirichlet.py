"""Tour section "fun_dirichlet": heat on [-1, 1] with u(±1) = 0 as a Chebyshev Fun with Dirichlet
conditions, ETDRK4 exact in the linear part (docs/fun.md, "Dirichlet boundary conditions")."""

from __future__ import annotations

from ..tour import _row, section


@section("fun_dirichlet")
def _fun_dirichlet() -> None:
    """g.Chebyshev(a, b, bc="dirichlet"): heat with u(±1) = 0 by ETDRK4 and KenCarp4."""
    import numpy as np

    import generic as g

    print("Heat u_t = u_xx, u(±1) = 0, u0 = 1 - x², against the sine series at x = 0.5:")
    space = g.Chebyshev(-1, 1, bc="dirichlet")
    u0 = g.Fun(lambda x: 1 - x * x, space, length=65)
    prob = g.SplitODEProblem(lambda u: u.diff(2), None, u0, (0.0, 0.1))
    k = np.arange(1, 121)
    b = 16 * (1 - (-1.0) ** k) / (k * np.pi) ** 3
    exact = np.sum(b * np.exp(-(k * np.pi / 2) ** 2 * 0.1) * np.sin(k * np.pi * 1.5 / 2))
    for alg, options in [(g.ETDRK4(), dict(dt=0.01, rtol=1e-12, atol=1e-12)),
                         (g.KenCarp4(), dict(rtol=1e-8, atol=1e-10))]:
        u = g.solve(prob, alg, **options).u[-1]
        _row(f"{alg.name}: u(0.5, t = 0.1)", f"{u(0.5):.13f}", f"{exact:.13f}")
        _row(f"{alg.name}: u(-1), u(1)", f"{u(-1.0):.0e}, {u(1.0):.0e}", "0, 0")
