"""Geometric Brownian motion dX = μX dt + σX dW, with its exact solution on a given path."""

import numpy as np

MU, SIGMA, X0, T = 1.01, 0.87, 0.5, 1.0


def drift(u, p, t):
    return p[0] * u


def diffusion(u, p, t):
    return p[1] * u


def exact(W_T, mu=MU, sigma=SIGMA, x0=X0, t=T):
    """X_T = X0 exp((μ - σ²/2) T + σ W_T) (Itô)."""
    return x0 * np.exp((mu - sigma**2 / 2) * t + sigma * W_T)


def strong_errors(g, alg, paths: int, dts, seed: int = 1) -> list:
    """Mean |X_T - exact| over ``paths`` independent paths (the components of one diagonal-noise
    state), for each step in ``dts``, all on the same Brownian paths (finest first; the coarser
    grids' times are on the finest)."""
    prob = g.SDEProblem(drift, diffusion, np.full(paths, X0), (0.0, T), p=(MU, SIGMA))
    errors, path = {}, None
    for dt in sorted(dts):
        sol = g.solve(prob, alg, dt=dt, adaptive=False, saveat=[T],
                      **({"seed": seed} if path is None else {"noise": path}))
        path = sol.W
        errors[dt] = float(np.mean(np.abs(sol.u[-1] - exact(path(T)))))
    return [errors[dt] for dt in dts]


def slope(dts, errors) -> float:
    """The least-squares slope of log(error) against log(dt): the measured order."""
    return float(np.polyfit(np.log(dts), np.log(errors), 1)[0])
