"""Adaptive Gauss-Kronrod quadrature on floats, mpmath, duals and measurements."""

import math

import mpmath
import pytest

import generic as g
from generic.quadrature import gauss_kronrod


def test_nodes_match_quadpack():
    x, wk, wg = gauss_kronrod(float)
    # QUADPACK dqk15 constants; computed nodes agree to a few ulps
    assert abs(x[-1] - 0.991455371120812639206854697526329) <= 1e-15
    assert abs(wk[-1] - 0.022935322010529224963732008058970) <= 1e-15
    assert abs(wg[-2] - 0.129484966168869693270611432679082) <= 1e-15
    assert abs(sum(wk) - 2) <= 1e-15 and abs(sum(wg) - 2) <= 1e-15


def test_float_closed_forms():
    val, E = g.quadgk(math.exp, 0.0, 1.0)
    assert abs(val - (math.e - 1)) <= 1e-13 and E <= 1e-13  # smooth: one panel, ~1e-16
    val, _ = g.quadgk(lambda x: 1 / (1 + x * x), 0.0, 1.0, rtol=1e-13)
    assert abs(val - math.pi / 4) <= 1e-13
    val, _ = g.quadgk(g.sin, 0.0, math.pi, rtol=1e-13)
    assert abs(val - 2) <= 1e-13
    assert abs(g.quadgk(math.exp, 1.0, 0.0)[0] + (math.e - 1)) <= 1e-13  # reversed limits


def test_endpoint_singularity():
    # sqrt has an infinite derivative at 0: bisection towards 0 converges (algebraically)
    val, E = g.quadgk(math.sqrt, 0.0, 1.0, rtol=1e-12)
    assert abs(val - 2 / 3) <= 1e-12
    val, E = g.quadgk(lambda x: 1 / math.sqrt(x), 0.0, 1.0, rtol=1e-8)
    assert abs(val - 2) <= 1e-7  # integrable singularity: looser


def test_mpmath_40_digits():
    old = mpmath.mp.dps
    mpmath.mp.dps = 40
    try:
        val, E = g.quadgk(g.exp, mpmath.mpf(0), mpmath.mpf(1), rtol=1e-38)
        assert abs(val - (mpmath.e - 1)) < mpmath.mpf(10) ** -38  # 40-digit nodes and weights
        f = lambda x: mpmath.log(1 + x) / (1 + x * x)  # noqa: E731
        val, E = g.quadgk(f, mpmath.mpf(0), mpmath.mpf(1), rtol=1e-36)
        assert abs(val - mpmath.quad(f, [0, 1])) < mpmath.mpf(10) ** -35  # pi log2 / 8
    finally:
        mpmath.mp.dps = old


def test_dual_derivative():
    # d/dp ∫0^1 exp(p x) dx = (e^p (p - 1) + 1) / p^2; at p = 2: (e^2 + 1) / 4
    def integral(p):
        return g.quadgk(lambda x: g.exp(p * x), 0.0, 1.0, rtol=1e-14)[0]

    d = g.derivative(integral, 2.0)
    assert abs(d - (math.e**2 + 1) / 4) <= 1e-13  # norm includes partials: both converge


@pytest.mark.parametrize("p0", [1.0, 2.0])
def test_measurement_uncertainty(p0):
    p = g.measurement(p0, 0.1)
    val, _ = g.quadgk(lambda x: g.exp(p * x), 0.0, 1.0)
    dIdp = (math.exp(p0) * (p0 - 1) + 1) / p0**2
    assert abs(g.value(val) - (math.exp(p0) - 1) / p0) <= 1e-13
    assert abs(g.uncertainty(val) - 0.1 * dIdp) <= 1e-12  # linear propagation, closed form
