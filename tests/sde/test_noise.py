"""Scalar and general (non-diagonal) noise against closed-form moments, over ensembles."""

import math

import numpy as np
import pytest

import generic as g

# trajectories (compiled ensembles): sample moments within 5 standard errors (a 1-in-10^6
# false alarm)
N = 2000


def _within(sample, expected, se):
    assert abs(sample - expected) < 5 * se


def test_scalar_noise_ornstein_uhlenbeck_pair():
    # du_i = -θ_i u_i dt + s_i dW (one W for both): Var u_i(T) = s_i²(1 - e^{-2θ_i T})/(2θ_i),
    # Cov = s_1 s_2 (1 - e^{-(θ_1+θ_2)T}) / (θ_1 + θ_2); u0 = 0 so the means are 0
    theta, s = np.array([1.0, 3.0]), np.array([0.5, 1.0])
    prob = g.SDEProblem(lambda u, p, t: -theta * u, lambda u, p, t: s + 0.0 * u,
                        np.zeros(2), (0.0, 1.0), noise="scalar")
    sol = g.solve(g.EnsembleProblem(prob), g.EM(), dt=1 / 200, trajectories=N, seed=1,
                  compile=True)
    end = sol.u[:, -1]
    cov = np.cov(end.T)
    var = s**2 * (1 - np.exp(-2 * theta)) / (2 * theta)
    c12 = s[0] * s[1] * (1 - math.exp(-theta.sum())) / theta.sum()
    # EM's bias at dt = 1/200 is O(dt), far below the sampling error (relative 5·sqrt(2/N))
    assert cov[0, 0] == pytest.approx(var[0], rel=5 * math.sqrt(2 / N))
    assert cov[1, 1] == pytest.approx(var[1], rel=5 * math.sqrt(2 / N))
    _within(cov[0, 1], c12, math.sqrt((var[0] * var[1] + c12**2) / N))
    _within(end[:, 0].mean(), 0.0, math.sqrt(var[0] / N))


def test_scalar_noise_drives_identical_components_identically():
    prob = g.SDEProblem(lambda u, p, t: -u, lambda u, p, t: 0.3 * u + 0.1, np.ones(2),
                        (0.0, 1.0), noise="scalar")
    for alg in (g.EM(), g.Milstein(), g.SRIW1()):
        sol = g.solve(prob, alg, dt=0.05, seed=3, adaptive=False)
        assert sol.u[-1, 0] == sol.u[-1, 1]
        assert sol.W.shape == ()


def _general(u, p, t):
    s1, s2, s3 = p
    return np.array([[s1, s2], [s3, 0.0]])


def test_general_noise_linear_system_moments():
    # du1 = -u1 dt + s1 dW1 + s2 dW2, du2 = s3 dW1 (m = 2 Wiener processes), u0 = 0:
    # Var u1 = (s1² + s2²)(1 - e^{-2T})/2, Var u2 = s3² T, Cov = s1 s3 (1 - e^{-T})
    p = (0.5, 0.8, 1.2)
    prob = g.SDEProblem(lambda u, p, t: np.array([-u[0], 0.0]), _general, np.zeros(2),
                        (0.0, 1.0), p=p, m=2)
    assert prob.noise == "general"
    sol = g.solve(g.EnsembleProblem(prob), g.EM(), dt=1 / 100, trajectories=N, seed=2,
                  compile=True)
    cov = np.cov(sol.u[:, -1].T)
    v1 = (p[0]**2 + p[1]**2) * (1 - math.exp(-2)) / 2
    v2 = p[2]**2
    c12 = p[0] * p[2] * (1 - math.exp(-1))
    assert cov[0, 0] == pytest.approx(v1, rel=5 * math.sqrt(2 / N))
    assert cov[1, 1] == pytest.approx(v2, rel=5 * math.sqrt(2 / N))
    _within(cov[0, 1], c12, math.sqrt((v1 * v2 + c12**2) / N))


def test_general_noise_path_has_m_processes():
    prob = g.SDEProblem(lambda u, p, t: 0.0 * u, _general, np.zeros(2), (0.0, 1.0),
                        p=(1.0, 0.0, 0.0), m=2)
    sol = g.solve(prob, g.EM(), dt=0.25, seed=1)
    assert sol.W.shape == (2,)
    assert sol.u[-1, 0] == pytest.approx(sol.W(1.0)[0], abs=1e-14)  # u1 = W1 exactly
