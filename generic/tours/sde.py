"""Tour section: stochastic differential equations (``python -m generic tour sde``)."""

from __future__ import annotations

from generic.tour import _row, section


@section("sde")
def _sde() -> None:
    """GBM on one Brownian path: three methods against the exact solution, a dual-number
    replay for the pathwise sensitivity, ensemble moments against closed forms."""
    import numpy as np

    import generic as g

    mu, sigma, x0 = 1.01, 0.87, 0.5

    def drift(u, p, t):
        return p[0] * u

    def diffusion(u, p, t):
        return p[1] * u

    print("dX = μX dt + σX dW (geometric Brownian motion), X(1) on one seeded path:")
    prob = g.SDEProblem(drift, diffusion, x0, (0.0, 1.0), p=(mu, sigma))
    first = g.solve(prob, g.SRIW1(), dt=1 / 64, adaptive=False, seed=42)  # W and Z
    exact = x0 * np.exp(mu - sigma**2 / 2 + sigma * first.W(1.0))
    for alg in (g.EM(), g.Milstein(), g.SRIW1()):
        sol = g.solve(prob, alg, dt=1 / 64, adaptive=False, noise=first.W)
        _row(f"{alg.name} dt=1/64 (strong order {alg.strong_order})", f"{sol.u[-1]:.8f}",
             f"exact on the path {exact:.8f}")
    W = np.array([first.W(k / 64) for k in range(65)])
    factors = 1 + mu / 64 + sigma * np.diff(W)
    dual = g.solve(g.SDEProblem(drift, diffusion, x0, (0.0, 1.0),
                                p=(g.Dual(mu, [1.0]), sigma)), g.EM(), dt=1 / 64, noise=first.W)
    _row("dX(1)/dμ, dual solve on the same path", f"{dual.u[-1].partials[0]:.12f}",
         f"{x0 * np.prod(factors) * np.sum(1 / 64 / factors):.12f} (closed form of EM)")
    ens = g.solve(g.EnsembleProblem(prob), g.EM(), dt=1 / 50, trajectories=1000, seed=1)
    _row("E[X(1)], 1000 trajectories", f"{ens.mean()[-1]:.4f}",
         f"{x0 * np.exp(mu):.4f} ± {np.sqrt(ens.var()[-1] / 1000):.4f} (1 SE)")
