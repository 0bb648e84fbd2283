"""The reaction networks of the jump tests, written once (every test shares their compiled code:
one propensity function per network and one type of p, a 2-tuple of floats)."""

from __future__ import annotations

import numpy as np

# birth-death: 0 -> X at rate k, X -> 0 at rate gamma x; p = (k, gamma). k = 0: pure decay.
BIRTH_DEATH_NU = np.array([[1], [-1]])


def birth_death(x, p):
    return p[0], p[1] * x[0]


# SIR as in Gillespie.jl's README: S + I -> 2I at rate beta S I, I -> R at rate gamma I.
SIR_NU = np.array([[-1, 1, 0], [0, -1, 1]])
SIR_X0 = np.array([999, 1, 0])
SIR_P = (0.1 / 1000, 0.01)


def sir(x, p):
    beta, gamma = p
    return np.array([beta * x[0] * x[1], gamma * x[1]])


def z_score(mean_a: float, se_a: float, mean_b: float, se_b: float = 0.0) -> float:
    """|a - b| in standard errors of the difference."""
    return abs(mean_a - mean_b) / np.sqrt(se_a**2 + se_b**2)
