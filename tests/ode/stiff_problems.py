"""Stiff test problems shared by the tests (``test_stiff_problems.py``) and the stiff benchmark
(``benchmarks/bench_stiff.py``): right-hand sides ``f(u, p, t)``, initial values, time spans.

Every right-hand side is written with operators on the components and builds its result with
``np.array``, so the same function runs on floats, duals, measurements and mpmath numbers.

- Robertson's chemical kinetics (H. H. Robertson 1966; Hairer & Wanner, Solving ODEs II, §IV.1,
  eq. (1.4)): k = (0.04, 3e7, 1e4), u0 = (1, 0, 0), t in [0, 1e5]. Eigenvalues down to ~-1e4;
  u2 stays ~1e-5 .. 1e-10.
- Van der Pol with μ = 1000 in the unscaled form u1'' − μ(1 − u1²)u1' + u1 = 0 (Hairer & Wanner
  II, §IV.1, eq. (1.5) before rescaling time): u0 = (2, 0), t in [0, 3000] (period ≈ 1614, so
  about two relaxation jumps).
- HIRES, "High Irradiance RESponse" of plant photomorphogenesis (Schäfer 1975; Hairer & Wanner
  II, §IV.10): 8 equations, t in [0, 321.8122]. ``HIRES_REFERENCE`` is the published reference
  solution at t = 321.8122 from the IVP test set of F. Mazzia and C. Magherini (University of
  Bari, release 2.4, 2008, problem "hires", routine ``hiressol`` of ``hires.f``: "computed using
  true double precision RADAU5 on Cray C90, uround = 1.01d-19, rtol = atol = h0 = 1.1d-18").
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["robertson", "robertson_jac", "van_der_pol", "van_der_pol_jac", "van_der_pol_compiled",
           "van_der_pol_compiled_jac", "hires", "hires_jac",
           "PROBLEMS", "JACOBIANS", "HIRES_REFERENCE", "HIRES_T_END"]


def robertson(u, p, t):
    k1, k2, k3 = p
    y1, y2, y3 = u[0], u[1], u[2]
    return np.array([-k1 * y1 + k3 * y2 * y3, k1 * y1 - k2 * y2 * y2 - k3 * y2 * y3,
                     k2 * y2 * y2])


def robertson_jac(u, p, t):
    """∂f/∂u of :func:`robertson` (float states)."""
    k1, k2, k3 = p
    y1, y2, y3 = u
    return np.array([[-k1, k3 * y3, k3 * y2],
                     [k1, -2 * k2 * y2 - k3 * y3, -k3 * y2],
                     [0.0, 2 * k2 * y2, 0.0]])


def van_der_pol(u, p, t):
    """u1' = u2, u2' = μ (1 − u1²) u2 − u1 with μ = p."""
    return np.array([u[1], p * (1 - u[0] * u[0]) * u[1] - u[0]])


def van_der_pol_jac(u, p, t):
    """∂f/∂u of :func:`van_der_pol` (float states)."""
    return np.array([[0.0, 1.0], [-2 * p * u[0] * u[1] - 1, p * (1 - u[0] * u[0])]])


@njit
def van_der_pol_compiled(u, p, t):
    """:func:`van_der_pol` compiled with μ = p[0] (p a float64 array: the type the fast-path
    tests share)."""
    return np.array([u[1], p[0] * (1 - u[0] * u[0]) * u[1] - u[0]])


@njit
def van_der_pol_compiled_jac(u, p, t):
    """∂f/∂u of :func:`van_der_pol_compiled`."""
    return np.array([[0.0, 1.0], [-2 * p[0] * u[0] * u[1] - 1, p[0] * (1 - u[0] * u[0])]])


def hires(u, p, t):
    y1, y2, y3, y4, y5, y6, y7, y8 = u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]
    r = 280 * y6 * y8
    return np.array([
        -1.71 * y1 + 0.43 * y2 + 8.32 * y3 + 0.0007,
        1.71 * y1 - 8.75 * y2,
        -10.03 * y3 + 0.43 * y4 + 0.035 * y5,
        8.32 * y2 + 1.71 * y3 - 1.12 * y4,
        -1.745 * y5 + 0.43 * y6 + 0.43 * y7,
        -r + 0.69 * y4 + 1.71 * y5 - 0.43 * y6 + 0.69 * y7,
        r - 1.81 * y7,
        -r + 1.81 * y7,
    ])


def hires_jac(u, p, t):
    """∂f/∂u of :func:`hires` (float states), as ``hires.f``'s ``jeval`` of the test set."""
    J = np.zeros((8, 8))
    J[0, :3] = -1.71, 0.43, 8.32
    J[1, :2] = 1.71, -8.75
    J[2, 2:5] = -10.03, 0.43, 0.035
    J[3, 1:4] = 8.32, 1.71, -1.12
    J[4, 4:7] = -1.745, 0.43, 0.43
    y6, y8 = u[5], u[7]
    J[5, 3:8] = 0.69, 1.71, -0.43 - 280 * y8, 0.69, -280 * y6
    J[6, 5:8] = 280 * y8, -1.81, 280 * y6
    J[7, 5:8] = -280 * y8, 1.81, -280 * y6
    return J


HIRES_T_END = 321.8122
HIRES_REFERENCE = np.array([
    0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
    0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2,
])

# name: (f, u0, tspan, p)
PROBLEMS = {
    "Robertson": (robertson, np.array([1.0, 0.0, 0.0]), (0.0, 1e5), (0.04, 3e7, 1e4)),
    "Van der Pol μ=1000": (van_der_pol, np.array([2.0, 0.0]), (0.0, 3000.0), 1000.0),
    "HIRES": (hires, np.array([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057]),
              (0.0, HIRES_T_END), None),
}

# name: ∂f/∂u(u, p, t) (for reference solutions: SciPy's Radau with an exact Jacobian)
JACOBIANS = {"Robertson": robertson_jac, "Van der Pol μ=1000": van_der_pol_jac, "HIRES": hires_jac}
