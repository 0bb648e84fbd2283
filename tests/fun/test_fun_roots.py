"""Roots: colleague matrix with subdivision, against closed forms, SciPy's Bessel zeros and
numpy.polynomial.chebyshev.chebroots."""

from __future__ import annotations

import numpy as np
import numpy.polynomial.chebyshev as npcheb
import pytest
import scipy.special as sp

import generic as g


@pytest.mark.parametrize("k", [1, 5, 40])
def test_roots_of_cos_kx(k):
    # cos(kx) on [-1, 1]: x = (j + 1/2) π / k inside; k = 40 needs subdivision (length > 50)
    u = g.Fun(lambda x: np.cos(k * x), g.Chebyshev())
    j = np.arange(-k, k)
    exact = (j + 0.5) * np.pi / k
    exact = exact[np.abs(exact) <= 1]
    r = u.roots()
    assert len(r) == len(exact)
    np.testing.assert_allclose(r, exact, atol=1e-13)


def test_bessel_j0_zeros_on_a_long_interval():
    u = g.Fun(sp.j0, g.Chebyshev(0, 100))
    assert len(u) > 50  # the subdivision path
    exact = sp.jn_zeros(0, 31)  # j_{0,31} = 96.6, j_{0,32} = 99.8 < 100 too
    exact = np.r_[exact, sp.jn_zeros(0, 32)[-1]]
    r = u.roots()
    assert len(r) == 32
    np.testing.assert_allclose(r, exact, atol=1e-12)


def test_roots_agree_with_numpy_chebroots():
    rng = np.random.default_rng(3)
    c = rng.standard_normal(12)
    u = g.Fun.from_coefficients(c, g.Chebyshev())
    reference = npcheb.chebroots(c)
    reference = np.sort(reference[(np.abs(reference.imag) < 1e-10)
                                  & (np.abs(reference.real) <= 1)].real)
    np.testing.assert_allclose(u.roots(), reference, atol=1e-12)


def test_fourier_roots_on_the_period():
    # sin(3x) on [0, 2π): 0, π/3, ..., 5π/3 (2π is 0 again: once)
    u = g.Fun(lambda x: np.sin(3 * x), g.Fourier())
    np.testing.assert_allclose(u.roots(), np.arange(6) * np.pi / 3, atol=1e-13)
    v = g.Fun(lambda x: np.cos(x) - 0.5, g.Fourier())
    np.testing.assert_allclose(v.roots(), [np.pi / 3, 5 * np.pi / 3], atol=1e-13)


def test_no_roots_and_complex_funs():
    assert len(g.Fun(lambda x: 2 + np.sin(x), g.Fourier()).roots()) == 0
    assert len(g.Fun(1.0, g.Chebyshev()).roots()) == 0
    with pytest.raises(ValueError, match="complex"):
        g.Fun(lambda x: np.exp(1j * x), g.Chebyshev()).roots()
