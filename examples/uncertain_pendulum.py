"""A pendulum with uncertain gravity, length and initial angle (the example of Measurements.jl).

    θ'' = -(g / L) sin θ,   g = 9.79 ± 0.02 m/s²,   L = 1.00 ± 0.01 m,
    θ(0) = π/60 ± 0.01 rad,  θ'(0) = 0,   t in [0, 6.3] s

``g.solve`` runs the nonlinear equation on measurements: every number carries its value and its
partial derivatives with respect to the three independent sources, so the uncertainty of θ(t)
comes out of the same solve, correlations included. The small-angle closed form
θ0 cos(√(g/L) t), propagated the same way, agrees to what the small angle allows (the true
frequency is lower by θ0²/16), and so does the linear propagation by the dual Jacobian of the
solve (a different route to the same first-order uncertainty).

Run: ``python examples/uncertain_pendulum.py``.
"""

from __future__ import annotations

import math

import numpy as np

import generic as g

G, L, THETA0 = (9.79, 0.02), (1.00, 0.01), (math.pi / 60, 0.01)


def pendulum(u, p, t):
    grav, length = p
    return np.array([u[1], -(grav / length) * g.sin(u[0])], dtype=object)


def solve(theta0, grav, length, times):
    u0 = np.array([theta0, 0 * theta0], dtype=object)
    prob = g.ODEProblem(pendulum, u0, (0.0, float(times[-1])), (grav, length))
    sol = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10, saveat=times)
    assert sol.retcode == "Success", sol.message
    return sol.u[:, 0]


def main() -> None:
    grav, length, theta0 = g.measurement(*G), g.measurement(*L), g.measurement(*THETA0)
    times = np.linspace(0.0, 6.3, 10)
    theta = solve(theta0, grav, length, times)
    closed = [theta0 * g.cos(g.sqrt(grav / length) * t) for t in times]

    J = g.jacobian(lambda x: solve(x[0], x[1], x[2], times), np.array([THETA0[0], G[0], L[0]]))
    sigma_dual = np.sqrt((J**2) @ np.array([THETA0[1], G[1], L[1]]) ** 2)

    print(__doc__.split("\n\n")[1].rstrip(), "\n")
    print(f"{'t (s)':>6}  {'θ(t), solved with measurements':<34}{'θ0 cos(√(g/L) t)':<34}"
          f"{'σ by the dual Jacobian':>22}")
    for t, x, c, s in zip(times, theta, closed, sigma_dual, strict=True):
        print(f"{t:6.2f}  {g.value(x): .6f} ± {g.uncertainty(x):.6f}"
              f"{'':<13}{g.value(c): .6f} ± {g.uncertainty(c):.6f}{'':<13}{s:10.6f}")

    worst = max(abs(g.value(x) - g.value(c)) for x, c in zip(theta, closed, strict=True))
    omega = math.sqrt(G[0] / L[0])
    lag = THETA0[0] ** 3 * omega * times[-1] / 16
    print(f"\nlargest |θ - closed form| = {worst:.1e} rad; the small-angle phase lag predicts "
          f"about θ0³ ω t / 16 = {lag:.1e} rad at t = {times[-1]}")
    last = theta[-1]
    print("share of the variance of θ(6.3) from each source (squared correlation):")
    for name, source in (("θ0", theta0), ("g", grav), ("L", length)):
        share = float(g.covariance([last, source])[0, 1]) ** 2 / (
            g.uncertainty(source) ** 2 * g.uncertainty(last) ** 2)
        print(f"  {name:>2}: {share:6.1%}")


if __name__ == "__main__":
    main()
