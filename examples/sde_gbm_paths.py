"""Stochastic differential equations: geometric Brownian motion, solved on one Brownian path
by three methods, replayed with a dual number for a pathwise sensitivity, and an ensemble's
statistics against the closed forms.

    dX = μ X dt + σ X dW,   X_T = X0 exp((μ - σ²/2) T + σ W_T)
"""

import numpy as np

import generic as g

mu, sigma, x0 = 1.01, 0.87, 0.5


def drift(u, p, t):
    return p[0] * u


def diffusion(u, p, t):
    return p[1] * u


prob = g.SDEProblem(drift, diffusion, x0, (0.0, 1.0), p=(mu, sigma))

# 1. One path, three methods: the error against the exact solution on that path
sol = g.solve(prob, g.SRIW1(), dt=2.0**-6, adaptive=False, seed=42)
exact = x0 * np.exp((mu - sigma**2 / 2) + sigma * sol.W(1.0))
print(f"exact X(1) on this path      {exact:.10f}")
for alg in (g.EM(), g.Milstein(), g.SRIW1()):
    s = g.solve(prob, alg, dt=2.0**-6, adaptive=False, noise=sol.W)
    print(f"{alg.name:9s} dt=1/64          {s.u[-1]:.10f}   error {abs(s.u[-1] - exact):.2e}")
adaptive = g.solve(prob, g.SRIW1(), rtol=1e-4, atol=1e-4, noise=sol.W)
print(f"SRIW1 adaptive (rtol 1e-4)   {adaptive.u[-1]:.10f}   error "
      f"{abs(adaptive.u[-1] - exact):.2e}   steps {adaptive.stats.naccept} "
      f"(rejected {adaptive.stats.nreject})")

# 2. Pathwise sensitivity: the same path replayed with μ a dual number
em = g.solve(prob, g.EM(), dt=2.0**-6, noise=sol.W)
dual = g.solve(g.SDEProblem(drift, diffusion, x0, (0.0, 1.0), p=(g.Dual(mu, [1.0]), sigma)),
               g.EM(), dt=2.0**-6, noise=sol.W)
W = np.array([sol.W(k / 64) for k in range(65)])  # the path on the grid
factors = 1 + mu / 64 + sigma * np.diff(W)  # EM: X = x0 ∏ (1 + μh + σΔW)
print(f"dX(1)/dμ by a dual solve     {dual.u[-1].partials[0]:.12f}")
print(f"closed form x0 ∏(..) Σ h/(..) {x0 * np.prod(factors) * np.sum((1 / 64) / factors):.12f}")

# 3. Ensemble statistics (compiled, 10000 trajectories, each on its own stream of the seed)
ens = g.solve(g.EnsembleProblem(prob), g.EM(), dt=1 / 200, trajectories=10_000, seed=1,
              saveat=0.25, compile=True)
print("t        mean      E[X_t]    var       Var[X_t]")
for t, m, v in zip(ens.t, ens.mean(), ens.var(), strict=True):
    print(f"{t:.2f}  {m:9.4f} {x0 * np.exp(mu * t):9.4f} {v:9.4f} "
          f"{x0**2 * np.exp(2 * mu * t) * (np.exp(sigma**2 * t) - 1):9.4f}")
print("5%, 50%, 95% quantiles at t=1:", np.round(ens.quantile([0.05, 0.5, 0.95])[:, -1], 4))
