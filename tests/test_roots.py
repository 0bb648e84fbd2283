"""Generic root finding: closed forms, dual derivatives (implicit function theorem), mpmath."""

import math

import mpmath
import numpy as np
import pytest

import generic as g
from generic.roots import ConvergenceError

DOTTIE = 0.7390851332151607  # root of cos x = x


@pytest.fixture
def mp40():
    old = mpmath.mp.dps
    mpmath.mp.dps = 40
    yield
    mpmath.mp.dps = old


@pytest.mark.parametrize("method", [g.bisection, g.false_position])
def test_bracketing_closed_forms(method):
    # a few ulps: the float iteration ends at a neighbouring float, the polish step rounds
    assert abs(method(lambda x: x * x - 2, 0.0, 2.0) - math.sqrt(2)) <= 4e-16
    assert abs(method(lambda x: g.cos(x) - x, 0.0, 1.0) - DOTTIE) <= 4e-16
    # polynomial (x-1)(x-2)(x-3): root 2 in [1.5, 2.5]
    assert abs(method(lambda x: (x - 1) * (x - 2) * (x - 3), 1.5, 2.7) - 2) <= 4e-16


def test_newton_and_find_root():
    assert abs(g.newton(lambda x: x * x - 2, 1.0) - math.sqrt(2)) <= 4e-16  # few ulps
    assert abs(g.newton(lambda x: g.cos(x) - x, 1.0, fprime=lambda x: -g.sin(x) - 1)
               - DOTTIE) <= 4e-16
    assert abs(g.find_root(lambda x: x**3 - x - 1, (1.0, 2.0)) - 1.324717957244746) <= 4e-16
    assert abs(g.find_root(lambda x: x**3 - x - 1, 1.5) - 1.324717957244746) <= 4e-16
    assert abs(g.brent(lambda x: x * x - 2, 0.0, 2.0) - math.sqrt(2)) <= 4e-16  # unchanged API


@pytest.mark.parametrize("solve", [
    lambda f: g.newton(f, 1.0),
    lambda f: g.bisection(f, 0.0, 3.0),
    lambda f: g.false_position(f, 0.0, 3.0),
    lambda f: g.find_root(f, (0.0, 3.0)),
])
def test_dual_root_derivative(solve):
    # root of x^2 - p is sqrt(p); d/dp = 1 / (2 sqrt p). One rounding in the final Newton step.
    d = g.derivative(lambda p: solve(lambda x: x * x - p), 2.0)
    assert abs(d - 1 / (2 * math.sqrt(2))) <= 1e-14


def test_measurement_root():
    p = g.measurement(2.0, 0.1)
    r = g.newton(lambda x: x * x - p, 1.0)
    # linear propagation: sigma = 0.1 / (2 sqrt 2), to rounding
    assert abs(g.uncertainty(r) - 0.1 / (2 * math.sqrt(2))) <= 1e-15


def test_mpmath_40_digits(mp40):
    tol = mpmath.mpf(10) ** -39  # 40 significant digits
    assert abs(g.newton(lambda x: x * x - 2, mpmath.mpf(1)) - mpmath.sqrt(2)) < tol
    exact = mpmath.findroot(lambda x: mpmath.cos(x) - x, 0.7)
    for r in (g.bisection(lambda x: g.cos(x) - x, mpmath.mpf(0), 1.0),
              g.false_position(lambda x: g.cos(x) - x, mpmath.mpf(0), 1.0),
              g.find_root(lambda x: g.cos(x) - x, (mpmath.mpf(0), 1.0))):
        assert isinstance(r, mpmath.mpf) and abs(r - exact) < tol


def F(x, p=4.0):  # circle x^2 + y^2 = p meets the line x = y at (sqrt(p/2), sqrt(p/2))
    return np.array([x[0] ** 2 + x[1] ** 2 - p, x[0] - x[1]])


def test_vector_newton(mp40):
    x = g.newton(F, np.array([1.0, 0.5]))
    assert np.max(np.abs(x - math.sqrt(2))) <= 4e-16  # few ulps
    # d/dp sqrt(p/2) = 1 / (4 sqrt(p/2)) at p = 4; float Jacobian at the root is exact to ulps
    d = g.derivative(lambda p: g.newton(lambda x: F(x, p), np.array([1.0, 0.5])), 4.0)
    assert np.max(np.abs(d - 1 / (4 * math.sqrt(2)))) <= 1e-14
    xm = g.newton(F, np.array([mpmath.mpf(1), mpmath.mpf("0.5")], dtype=object))
    assert max(abs(xi - mpmath.sqrt(2)) for xi in xm) < mpmath.mpf(10) ** -39


def test_errors():
    with pytest.raises(ValueError, match="bracket"):
        g.bisection(lambda x: x * x + 1, -1.0, 1.0)
    with pytest.raises(ValueError, match="bracket"):
        g.false_position(lambda x: x * x - 2, 2.0, 3.0)
    with pytest.raises(ConvergenceError):
        g.newton(lambda x: x * x + 1, 0.5, maxiter=20)  # no real root: Newton wanders
    with pytest.raises(ConvergenceError):
        g.newton(lambda x: x * x - 2, 1.0, maxiter=2)
