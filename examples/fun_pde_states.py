"""Functions as ODE states: two periodic PDEs solved by handing g.solve a Fourier Fun.

Run: python examples/fun_pde_states.py

1. Heat, u_t = u_xx on [0, 2π), u0 = 1/(2 - cos x): the closed form is
   u = (1/√3)(1 + 2 Σ_k r^k e^{-k² t} cos kx), r = 2 - √3.
2. ApproxFun's example, u_t = u_xx + (cos x + 1) u_x, u0 = cos(cos(x - 0.1)) - cos(cos(-0.1)):
   the Fun state that made ApproxFun + DifferentialEquations grow without bound.

The right-hand side is written on Funs (u.diff(2), products); the solver is the ordinary Tsit5.
Each accepted state is compressed relative to the solver's tolerance (g.compress), so the number
of coefficients follows the solution: printed per step, and plotted (with the solution as a
space-time image) to examples/figures/fun_*.png when matplotlib is installed.
"""

from __future__ import annotations

import pathlib

import numpy as np

import generic as g

SPACE = g.Fourier(0, 2 * np.pi)
R = 2 - np.sqrt(3)


def heat_exact(x, t):
    k = np.arange(1, 81)[:, None]
    return (1 + 2 * np.sum(R**k * np.exp(-k * k * t) * np.cos(k * x), axis=0)) / np.sqrt(3)


def report(name: str, sol) -> list[int]:
    lengths = [len(u) for u in sol.u]
    print(f"{name}: {sol.retcode}, {sol.stats.naccept} steps, {sol.stats.nf} f evaluations")
    print("  coefficient count at t =")
    for i in np.linspace(0, len(sol.t) - 1, 8).astype(int):
        print(f"    {sol.t[i]:6.3f}: {lengths[i]}")
    return lengths


def figure(name: str, sol, lengths: list[int]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("  (matplotlib is not installed: no figure)")
        return
    x = np.linspace(0, 2 * np.pi, 200)
    times = np.linspace(sol.t[0], sol.t[-1], 150)
    image = np.array([sol(t)(x) for t in times])
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    shown = left.imshow(image, origin="lower", aspect="auto", cmap="viridis",
                        extent=(x[0], x[-1], times[0], times[-1]))
    fig.colorbar(shown, ax=left)
    left.set(xlabel="x", ylabel="t", title=f"{name}: u(x, t)")
    right.step(sol.t, lengths, where="post")
    right.set(xlabel="t", ylabel="coefficients", title="length of the Fun state",
              ylim=(0, max(lengths) * 1.1))
    fig.tight_layout()
    path = pathlib.Path(__file__).parent / "figures" / f"fun_{name}.png"
    path.parent.mkdir(exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    print(f"  figure: {path.relative_to(pathlib.Path(__file__).parent.parent)}")


# 1. heat: error against the closed form, rtol = atol = 1e-10
u0 = g.Fun(lambda x: 1 / (2 - np.cos(x)), SPACE)
heat = g.solve(g.ODEProblem(lambda u, p, t: u.diff(2), u0, (0.0, 1.0)), g.Tsit5(),
               rtol=1e-10, atol=1e-10)
lengths = report("heat", heat)
x = np.linspace(0, 2 * np.pi, 101)
for t in (0.1, 1.0):
    error = np.max(np.abs(heat(t)(x) - heat_exact(x, t)))
    print(f"  max error at t = {t}: {error:.2e}   (story: below 1e-8)")
    assert error < 1e-8
assert lengths[-1] < lengths[0]
figure("heat", heat, lengths)

# 2. ApproxFun's advection-diffusion example, adaptive in space and time
a = g.Fun(lambda x: np.cos(x) + 1, SPACE)
v0 = g.Fun(lambda x: np.cos(np.cos(x - 0.1)) - np.cos(np.cos(-0.1)), SPACE)
problem = g.ODEProblem(lambda u, p, t: u.diff(2) + a * u.diff(), v0, (0.0, 1.0))
for tol in (1e-3, 1e-6, 1e-10):
    sol = g.solve(problem, g.Tsit5(), rtol=tol, atol=tol)
    counts = [len(u) for u in sol.u]
    print(f"advection-diffusion at tol {tol:g}: {sol.stats.naccept} steps, coefficients "
          f"{counts[0]} -> max {max(counts)} -> {counts[-1]}")
    assert max(counts) <= 100
lengths = report("advection_diffusion", sol)
figure("advection_diffusion", sol, lengths)
