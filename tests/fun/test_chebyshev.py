"""Chebyshev Funs: construction, evaluation and transforms against closed forms, chebfun's
lengths and numpy.polynomial.chebyshev as a peer."""

from __future__ import annotations

import numpy as np
import numpy.polynomial.chebyshev as npcheb
import pytest
from fun_strategies import funs
from hypothesis import given

import generic as g

X = np.linspace(-1, 1, 201)


@pytest.mark.parametrize("f, chebfun_length, window", [
    (np.exp, 15, 1),  # chebfun: length(chebfun(@exp)) = 15
    (np.sin, 14, 1),  # chebfun: 14
    (lambda x: 1 / (1 + 25 * x * x), 181, 12),  # Runge: coefficients ~ 1.22^-k reach eps at 181
], ids=["exp", "sin", "runge"])
def test_construction_is_accurate_with_lengths_near_chebfuns(f, chebfun_length, window):
    u = g.Fun(f, g.Chebyshev(-1, 1))
    assert abs(len(u) - chebfun_length) <= window
    # accurate to a few ulps of the function's scale (1 here; Runge's series sums 181 terms)
    assert np.max(np.abs(u(X) - f(X))) < 2e-15 * len(u) ** 0.5 * 4


def test_construction_on_a_mapped_interval_and_from_values_and_coefficients():
    space = g.Chebyshev(1.0, 4.0)
    u = g.Fun(np.log, space)
    x = np.linspace(1, 4, 50)
    assert np.max(np.abs(u(x) - np.log(x))) < 1e-14
    assert u(2.5) == pytest.approx(np.log(2.5), abs=1e-15)
    assert isinstance(u(2.5), float)
    v = g.Fun.from_values(np.log(space.grid(len(u))), space)
    np.testing.assert_allclose(v.coefficients, u.coefficients, atol=1e-15)
    w = g.Fun.from_coefficients(u.coefficients, space)
    assert np.array_equal(w(x), u(x))


def test_points_are_chebyshev_points_of_the_second_kind():
    x = g.Chebyshev().grid(9)
    np.testing.assert_allclose(x, -np.cos(np.pi * np.arange(9) / 8), atol=1e-16)


@given(funs(g.Chebyshev(-1, 1)))
def test_clenshaw_and_transforms_agree_with_numpy_polynomial(u):
    # NumPy's chebval is an independent Clenshaw: agreement to rounding on a unit-size series
    np.testing.assert_allclose(u(X), npcheb.chebval(X, u.coefficients), atol=1e-14)
    values = u.values
    np.testing.assert_allclose(values, npcheb.chebval(u.points, u.coefficients), atol=1e-14)
    np.testing.assert_allclose(g.Fun.from_values(values, u.space).coefficients, u.coefficients,
                               atol=1e-14)


@given(funs(g.Chebyshev(-1, 1)))
def test_diff_and_integrate_agree_with_numpy_polynomial(u):
    np.testing.assert_allclose(u.diff().coefficients, npcheb.chebder(u.coefficients),
                               atol=1e-12)
    np.testing.assert_allclose(u.integrate().coefficients,
                               npcheb.chebint(u.coefficients, lbnd=-1), atol=1e-14)


def test_evaluation_outside_the_domain_is_refused():
    with pytest.raises(ValueError, match="outside the domain"):
        g.Fun(np.exp, g.Chebyshev())(1.5)


def test_bad_input_gets_clear_errors():
    with pytest.raises(ValueError, match="not resolved"):
        g.Fun(np.sign, g.Chebyshev())  # a jump: no Chebyshev series converges
    with pytest.raises(ValueError, match="nan or inf"):
        with np.errstate(divide="ignore"):
            g.Fun(lambda x: 1 / x, g.Chebyshev())
    with pytest.raises(TypeError, match="space must be"):
        g.Fun(np.exp, (-1, 1))
    with pytest.raises(ValueError, match="a < b"):
        g.Chebyshev(1, 0)
    with pytest.raises(ValueError, match="different spaces"):
        g.Fun(np.exp, g.Chebyshev()) + g.Fun(np.exp, g.Chebyshev(0, 1))


def test_scalar_callables_and_constants():
    import math

    u = g.Fun(math.cos, g.Chebyshev())  # math.cos refuses arrays: sampled point by point
    assert u(0.3) == pytest.approx(math.cos(0.3), abs=1e-15)
    c = g.Fun(2.5, g.Chebyshev())
    assert len(c) == 1 and c(0.7) == 2.5
    assert len(g.Fun(lambda x: 3.0, g.Chebyshev())) == 1


def test_complex_chebyshev_fun():
    u = g.Fun(lambda x: np.exp(1j * x), g.Chebyshev())
    assert not u.isreal
    assert abs(u(0.4) - np.exp(0.4j)) < 1e-15
    assert np.max(np.abs(u.real(X) - np.cos(X))) < 1e-15
    assert np.max(np.abs(u.imag(X) - np.sin(X))) < 1e-15
