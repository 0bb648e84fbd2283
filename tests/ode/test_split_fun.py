"""ETDRK4 and KenCarp4 with a Fourier Fun state: the same methods, unchanged, through the Fun's
``g.diagonal_apply`` method (L = d²/dx², found diagonal on the Fourier modes by the Fun).

Periodic heat u_t = u_xx on [0, 2π] from u0 = 1/(2 - cos x) = (1/√3)(1 + 2 Σ r^k cos kx),
r = 2 - √3, so u(x, t) = (1/√3)(1 + 2 Σ r^k e^{-k² t} cos kx) (the series summed to k = 80,
beyond which r^k < 1e-45).
"""

from __future__ import annotations

import numpy as np
import pytest

import generic as g

T = 0.5
R = 2 - np.sqrt(3)


def heat_exact(x: np.ndarray, t: float) -> np.ndarray:
    k = np.arange(1, 81)[:, None]
    return (1 + 2 * np.sum(R**k * np.exp(-k * k * t) * np.cos(k * x), axis=0)) / np.sqrt(3)


def heat_problem():
    if not hasattr(g, "Fun"):
        pytest.skip("g.Fun is not there yet")
    u0 = g.Fun(lambda x: 1 / (2 - np.cos(x)), g.Fourier(0, 2 * np.pi))
    try:
        return g.SplitODEProblem(lambda u: u.diff(2), None, u0, (0.0, T))
    except TypeError as error:  # ODEProblem takes numbers and arrays only, so far
        pytest.skip(f"ODEProblem does not take a Fun state yet: {error}")


@pytest.mark.parametrize("alg, options, bound", [
    # exact for the linear part: what is left is rounding and the Fun's truncation, which the
    # solver sets from atol/rtol (measured 3e-15)
    (g.ETDRK4(), dict(dt=0.1, rtol=1e-13, atol=1e-14), 1e-13),
    # the ESDIRK's error, controlled to the tolerance (measured 6e-9)
    (g.KenCarp4(), dict(rtol=1e-8, atol=1e-10), 1e-7),
], ids=["ETDRK4", "KenCarp4"])
def test_split_methods_solve_periodic_heat_on_a_fourier_fun(alg, options, bound):
    prob = heat_problem()
    sol = g.solve(prob, alg, **options)
    assert sol.retcode == "Success"
    u = sol.u[-1]
    assert isinstance(u, g.Fun)
    x = np.linspace(0, 2 * np.pi, 29)
    assert np.max(np.abs(u(x) - heat_exact(x, T))) < bound
