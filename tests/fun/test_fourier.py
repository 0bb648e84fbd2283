"""Fourier Funs: construction against closed-form series, real functions staying real, the
coefficient layout, and the FFT against a direct sum."""

from __future__ import annotations

import numpy as np
import pytest
from fun_strategies import funs
from hypothesis import given

import generic as g

R = 2 - np.sqrt(3)
X = np.linspace(0, 2 * np.pi, 101)


def test_one_over_two_minus_cos_has_its_closed_form_coefficients():
    # 1/(2 - cos x) = (1/√3) Σ_k r^|k| e^{ikx}, r = 2 - √3: resolved where r^k meets eps
    u = g.Fun(lambda x: 1 / (2 - np.cos(x)), g.Fourier(0, 2 * np.pi))
    m = len(u) // 2
    assert 25 <= m <= 31  # r^27 = 3e-16
    k = np.arange(-m, m + 1)
    np.testing.assert_allclose(u.coefficients, R ** np.abs(k) / np.sqrt(3), atol=2e-16)
    assert u.isreal
    y = u(X)
    assert y.dtype == float
    assert np.max(np.abs(y - 1 / (2 - np.cos(X)))) < 1e-15


def test_periodic_interval_other_than_two_pi():
    space = g.Fourier(-1, 1)
    u = g.Fun(lambda x: np.exp(np.sin(np.pi * x)), space)
    x = np.linspace(-1, 1, 77)
    assert np.max(np.abs(u(x) - np.exp(np.sin(np.pi * x)))) < 1e-14
    # derivative: cos(πx) π e^{sin πx}
    du = np.pi * np.cos(np.pi * x) * np.exp(np.sin(np.pi * x))
    assert np.max(np.abs(u.diff()(x) - du)) < 1e-13
    assert u(3.0) == pytest.approx(u(1.0), abs=1e-15)  # periodic beyond the interval


@given(funs(g.Fourier(0, 2 * np.pi)))
def test_evaluation_is_the_direct_sum_of_the_series(u):
    m = len(u) // 2
    k = np.arange(-m, m + 1)
    direct = (np.exp(1j * np.outer(X, k)) @ u.coefficients).real
    np.testing.assert_allclose(u(X), direct, atol=1e-14)
    np.testing.assert_allclose(g.Fun.from_values(u.values, u.space).coefficients,
                               u.coefficients, atol=1e-15)


@given(funs(g.Fourier(0, 2 * np.pi)))
def test_real_funs_stay_exactly_real_through_arithmetic_and_calculus(u):
    v = u.diff(2) * u + 3.0 * u - u.diff() / 2.0
    assert v.isreal and g.exp(v / 10.0).isreal
    w = (u - u.mean()).integrate()
    assert isinstance(w.space, g.Fourier) and w.isreal
    assert np.asarray(v(X)).dtype == float


def test_complex_fourier_fun():
    u = g.Fun(lambda x: np.exp(2j * x), g.Fourier())
    assert not u.isreal and len(u) == 5  # one mode: wave number 2
    assert abs(u.coefficients[4] - 1) < 1e-15
    assert abs(u(0.7) - np.exp(1.4j)) < 1e-15


def test_odd_lengths_are_required():
    with pytest.raises(ValueError, match="odd"):
        g.Fun.from_values(np.ones(4), g.Fourier())
    with pytest.raises(ValueError, match="odd"):
        g.Fun.from_coefficients(np.ones(4), g.Fourier())


def test_non_periodic_functions_are_not_resolved():
    with pytest.raises(ValueError, match="periodic"):
        g.Fun(lambda x: x, g.Fourier())
