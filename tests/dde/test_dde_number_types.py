"""Delay equations on other number types: mpmath at 50 digits, dual-number sensitivities."""

from __future__ import annotations

import math

import mpmath
import numpy as np
from dde_references import delayed_decay

import generic as g


def test_50_digits_against_the_exact_polynomials():
    """Vern9 at 50 digits (u0, history, tspan, lag all mpf): the pieces are cubics, each step
    integrates a quadratic exactly and Hermite reproduces cubics, so only 50-digit rounding is
    left (measured 2e-51). 1e-45 fails for any float (1e-16) constant, tableau or time."""
    with mpmath.workdps(50):
        mpf = mpmath.mpf
        prob = g.DDEProblem(lambda u, h, p, t: -h(p, t - 1), mpf(1), lambda p, t: mpf(1),
                            (mpf(0), mpf(3)), lags=[mpf(1)])
        sol = g.solve(prob, g.Vern9(), rtol=mpf(10) ** -40, atol=mpf(10) ** -40)
        assert sol.retcode == "Success"
        ts = [mpf(i) / 7 for i in range(22)]
        assert max(abs(sol(t) - delayed_decay(t)) for t in ts) < mpf(10) ** -45
        assert isinstance(sol.u[-1], mpmath.mpf)
        assert mpf(1) in list(sol.t) and mpf(2) in list(sol.t)  # landed on exactly


def test_mpmath_on_0_10_matches_to_its_tolerance():
    """On [0, 10] (pieces of degree up to 11), Tsit5 at 30 digits and rtol 1e-20: the error is
    ~ the tolerance (measured below 1e-19), far below float64's 1e-16."""
    with mpmath.workdps(30):
        mpf = mpmath.mpf
        prob = g.DDEProblem(lambda u, h, p, t: -h(p, t - 1), mpf(1), lambda p, t: mpf(1),
                            (mpf(0), mpf(10)), lags=[mpf(1)])
        sol = g.solve(prob, g.Vern9(), rtol=mpf(10) ** -20, atol=mpf(10) ** -20)
        ts = [mpf(i) / 3 for i in range(31)]
        assert max(abs(sol(t) - delayed_decay(t)) for t in ts) < mpf(10) ** -17


def test_dual_sensitivity_to_the_rate_is_the_derivative_of_the_polynomial():
    """d y(3) / d a for y' = -a y(t - 1): the derivative of Σ (-a)^k (4 - k)^k / k!,
    Σ k (-1)^k a^(k-1) (4 - k)^k / k!; through the solve at rtol 1e-10 (measured 5e-15: the
    polynomials are integrated exactly, partials included)."""
    def y3(a):
        prob = g.DDEProblem(lambda u, h, p, t: -p * h(p, t - 1), 1.0, lambda p, t: 1.0,
                            (0.0, 3.0), p=a, lags=[1.0])
        return g.solve(prob, g.Tsit5(), rtol=1e-10, atol=1e-12).u[-1]

    a = 0.7
    exact = sum(k * (-1) ** k * a ** (k - 1) * (4 - k) ** k / math.factorial(k)
                for k in range(1, 4))
    assert abs(g.derivative(y3, a) - exact) < 1e-10


def test_dual_sensitivity_to_the_lag():
    """A parameter in the lag: d y(3) / d τ of y' = -y(t - τ) is
    Σ_k (-1)^k (1 - k) (3 - (k-1)τ)^(k-1) / (k-1)!; the step points t0 + nτ carry the
    derivative too (measured 2e-14)."""
    def y3(tau):
        prob = g.DDEProblem(lambda u, h, p, t: -h(p, t - p), 1.0, lambda p, t: 1.0, (0.0, 3.0),
                            p=tau, lags=[tau])
        return g.solve(prob, g.Tsit5(), rtol=1e-10, atol=1e-12).u[-1]

    tau = 0.8
    exact = sum((-1) ** k * (1 - k) * (3 - (k - 1) * tau) ** (k - 1) / math.factorial(k - 1)
                for k in range(1, int(3 / tau) + 2))
    assert abs(g.derivative(y3, tau) - exact) < 1e-10


def test_dual_sensitivity_of_hutchinson_against_central_differences():
    """Hutchinson's delayed logistic N' = r N (1 - N(t - 1)), N = 0.5 before 0, to t = 8:
    d N(8) / d r by duals against central differences of float solves (step 1e-4, both at rtol
    1e-12: difference error ~1e-8 (step²) + 1e-12 / 1e-4; measured agreement 3e-9)."""
    def final(r):
        prob = g.DDEProblem(lambda u, h, p, t: p * u * (1 - h(p, t - 1)), 0.5,
                            lambda p, t: 0.5, (0.0, 8.0), p=r, lags=[1.0])
        return g.solve(prob, g.Vern7(), rtol=1e-12, atol=1e-12).u[-1]

    r, step = 1.2, 1e-4
    central = (final(r + step) - final(r - step)) / (2 * step)
    assert abs(g.derivative(final, r) - central) < 1e-6 * max(1.0, abs(central))


def test_vector_of_duals_gradient():
    """A vector state and a gradient: y' = -a y(t - 1), z' = -b z(t - 1) decoupled, so
    ∇_(a, b) of y(3) + z(3) is the two exact derivatives."""
    def total(ab):
        prob = g.DDEProblem(lambda u, h, p, t: -p * h(p, t - 1), np.array([1.0, 1.0]),
                            lambda p, t: np.array([1.0, 1.0]), (0.0, 3.0), p=ab, lags=[1.0])
        u = g.solve(prob, g.Tsit5(), rtol=1e-10, atol=1e-12).u[-1]
        return u[0] + u[1]

    def dy3(a):
        return sum(k * (-1) ** k * a ** (k - 1) * (4 - k) ** k / math.factorial(k)
                   for k in range(1, 4))

    grad = g.gradient(total, np.array([0.7, 1.3]))
    assert np.max(np.abs(grad - [dy3(0.7), dy3(1.3)])) < 1e-10
