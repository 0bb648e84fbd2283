"""Calculus: the product rule and the fundamental theorem by hypothesis; integrals against
mpmath.quad and closed forms; norms; max and min."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from fun_strategies import funs, pairs
from hypothesis import given

import generic as g


def sample(u):
    a, b = u.space.domain
    return np.linspace(a, b, 41)


@given(pairs())
def test_product_rule(uv):
    u, v = uv
    x = sample(u)
    # derivatives of unit-size series of length <= 25: rounding grows like n² eps
    np.testing.assert_allclose((u * v).diff()(x), (u.diff() * v + u * v.diff())(x), atol=1e-11)


@given(funs())
def test_integral_of_the_derivative_and_derivative_of_the_integral(u):
    x = sample(u)
    a = u.space.a
    np.testing.assert_allclose(u.diff().integrate()(x), u(x) - u(a), atol=1e-12)
    np.testing.assert_allclose(u.integrate().diff()(x), u(x), atol=1e-12)
    assert u.integrate()(a) == pytest.approx(0.0, abs=1e-14)


@given(funs())
def test_sum_is_the_integral_by_mpmath_quad(u):
    a, b = u.space.domain
    reference = mpmath.quad(lambda t: u(float(t)), [a, (a + b) / 2, b])
    assert u.sum() == pytest.approx(float(reference), abs=1e-12)


def test_integrals_against_closed_forms():
    assert g.Fun(np.exp, g.Chebyshev(0, 2)).sum() == pytest.approx(np.exp(2) - 1, rel=1e-15)
    runge = g.Fun(lambda x: 1 / (1 + 25 * x * x), g.Chebyshev())
    assert runge.sum() == pytest.approx(2 * np.arctan(5) / 5, rel=1e-14)
    u = g.Fun(lambda x: 1 / (2 - np.cos(x)), g.Fourier())
    assert u.sum() == pytest.approx(2 * np.pi / np.sqrt(3), rel=1e-15)
    # a Fourier Fun with a nonzero mean integrates to a Chebyshev Fun (not periodic)
    w = u.integrate()
    assert isinstance(w.space, g.Chebyshev)
    assert w(2 * np.pi) == pytest.approx(2 * np.pi / np.sqrt(3), rel=1e-14)


def test_norm_is_the_root_mean_square_over_the_interval():
    # ∫_0^1 x² dx = 1/3: RMS 1/√3; 2 + sin x on a period: RMS √(4 + 1/2)
    x = g.Fun(lambda t: t, g.Chebyshev(0, 1))
    assert g.norm(x) == pytest.approx(1 / np.sqrt(3), rel=1e-15)
    v = g.Fun(lambda t: 2 + np.sin(t), g.Fourier())
    assert g.norm(v) == pytest.approx(np.sqrt(4.5), rel=1e-15)
    assert v.norm(np.inf) == pytest.approx(3.0, rel=1e-15)
    assert isinstance(g.norm(v), float)


@given(funs())
def test_norm_matches_mpmath_quad(u):
    a, b = u.space.domain
    mean_square = mpmath.quad(lambda t: u(float(t)) ** 2, [a, (a + b) / 2, b]) / (b - a)
    assert g.norm(u) == pytest.approx(float(mpmath.sqrt(mean_square)), rel=1e-12, abs=1e-14)


def test_max_and_min_against_closed_forms():
    # sin x + cos x = √2 sin(x + π/4): max √2 at π/4, min -√2 at 5π/4
    u = g.Fun(lambda x: np.sin(x) + np.cos(x), g.Fourier())
    assert u.max() == pytest.approx(np.sqrt(2), rel=1e-15)
    assert u.min() == pytest.approx(-np.sqrt(2), rel=1e-15)
    assert u.argmax() == pytest.approx(np.pi / 4, abs=1e-8)  # a flat maximum: ~sqrt(eps)
    # x e^{-x} on [0, 5]: max 1/e at 1, min 0 at the end point 0
    v = g.Fun(lambda x: x * np.exp(-x), g.Chebyshev(0, 5))
    assert v.max() == pytest.approx(1 / np.e, rel=1e-15)
    assert v.argmax() == pytest.approx(1.0, abs=1e-8)
    assert v.min() == pytest.approx(0.0, abs=1e-15)


@given(funs())
def test_max_and_min_bound_the_values_on_a_fine_grid(u):
    a, b = u.space.domain
    y = u(np.linspace(a, b, 2001))
    assert u.max() >= np.max(y) - 1e-13 and u.min() <= np.min(y) + 1e-13
    assert u.max() <= np.max(y) + 1e-4 and u.min() >= np.min(y) - 1e-4  # grid resolution


def test_magnitude_is_the_size_for_error_scales():
    v = g.Fun(lambda t: 2 + np.sin(t), g.Fourier())
    assert g.magnitude(v) == pytest.approx(3.0, rel=1e-2)  # sampled maximum
    np.testing.assert_array_equal(g.magnitude(np.array([-1.0, 2.0])), [1.0, 2.0])
    assert g.magnitude(-3.0) == 3.0
