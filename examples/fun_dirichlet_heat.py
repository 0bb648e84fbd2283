"""Heat u_t = u_xx on [-1, 1] with u(±1) = 0, from u0 = 1 - x², as a Chebyshev Fun with Dirichlet
conditions: ETDRK4 (exact in the linear part) and KenCarp4 against the exact sine series
u = Σ b_k e^{-(kπ/2)² t} sin(kπ(x+1)/2), b_k = 16 (1 - (-1)^k) / (kπ)³."""

import numpy as np

import generic as g

space = g.Chebyshev(-1, 1, bc="dirichlet")
u0 = g.Fun(lambda x: 1 - x * x, space, length=65)  # 65 points for the first steps
prob = g.SplitODEProblem(lambda u: u.diff(2), None, u0, (0.0, 1.0))

x = np.linspace(-1, 1, 101)
k = np.arange(1, 121)[:, None]
b = 16 * (1 - (-1.0) ** k) / (k * np.pi) ** 3


def exact(t):
    return np.sum(b * np.exp(-(k * np.pi / 2) ** 2 * t) * np.sin(k * np.pi * (x + 1) / 2), axis=0)


for alg, options in [(g.ETDRK4(), dict(dt=0.01, rtol=1e-12, atol=1e-12)),
                     (g.KenCarp4(), dict(rtol=1e-8, atol=1e-10))]:
    sol = g.solve(prob, alg, saveat=[0.01, 0.1, 1.0], **options)
    for t, u in zip(sol.t, sol.u, strict=True):
        print(f"{alg.name:9s} t = {t:4.2f}  max error {np.max(np.abs(u(x) - exact(t))):.1e}  "
              f"u(±1) = {u(-1.0):+.0e}, {u(1.0):+.0e}  length {len(u)}")
