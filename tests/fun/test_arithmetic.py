"""Arithmetic and composition: the algebraic laws by hypothesis, against values."""

from __future__ import annotations

import numpy as np
import pytest
from fun_strategies import funs, pairs
from hypothesis import given
from hypothesis import strategies as st

import generic as g


def sample(u):
    a, b = u.space.domain
    return np.linspace(a, b, 37)


@given(pairs(), st.floats(-3, 3))
def test_sum_difference_and_scaling_are_pointwise(uv, s):
    u, v = uv
    x = sample(u)
    np.testing.assert_allclose((u + v)(x), u(x) + v(x), atol=1e-13)
    np.testing.assert_allclose((u - v)(x), u(x) - v(x), atol=1e-13)
    np.testing.assert_allclose((s * u + s)(x), s * u(x) + s, atol=1e-13)
    np.testing.assert_allclose((s - u)(x), s - u(x), atol=1e-13)
    np.testing.assert_allclose((u / 2.0)(x), u(x) / 2, atol=1e-14)


@given(pairs())
def test_product_is_exact_pointwise_and_commutes(uv):
    u, v = uv
    x = sample(u)
    np.testing.assert_allclose((u * v)(x), u(x) * v(x), atol=1e-13)
    assert len(u * v) <= len(u) + len(v) - 1  # no aliasing, nothing spurious
    np.testing.assert_allclose((u * v).coefficients, (v * u).coefficients, atol=1e-15)
    np.testing.assert_allclose((u ** 3)(x), u(x) ** 3, atol=1e-12)


@given(funs())
def test_division_and_composition_by_adaptive_resampling(u):
    x = sample(u)
    d = 3.0 + g.sin(u)  # in [2, 4]: no roots
    np.testing.assert_allclose(d(x), 3 + np.sin(u(x)), atol=1e-13)
    np.testing.assert_allclose((u / d)(x), u(x) / (3 + np.sin(u(x))), atol=1e-13)
    np.testing.assert_allclose((1 / d)(x), 1 / (3 + np.sin(u(x))), atol=1e-13)
    np.testing.assert_allclose(g.exp(u)(x), np.exp(u(x)), rtol=1e-13)


def test_numpy_scalars_use_the_funs_operators_and_object_arrays_hold_funs():
    u = g.Fun(np.cos, g.Fourier())
    for s in (np.float64(2.0), np.float32(2.0), np.int64(2)):
        assert isinstance(s * u, g.Fun) and isinstance(u * s, g.Fun)
        assert isinstance(s + u, g.Fun) and isinstance(s - u, g.Fun)
        assert (s * u)(0.0) == pytest.approx(2.0)
    stacked = np.asarray([u, 2 * u], dtype=object)
    assert stacked.shape == (2,) and stacked[1](0.0) == pytest.approx(2.0)
    assert len(u) == 3 and np.ndim(u) == 0


def test_every_elementary_function_has_a_fun_method():
    u = g.Fun(lambda x: 0.3 + 0.2 * np.sin(x), g.Fourier())  # in [0.1, 0.5]: every domain
    x = np.linspace(0, 2 * np.pi, 13)
    for name in g.UNARY:
        if name in ("sign", "floor", "ceil"):
            continue  # not smooth functions of x in general (constant here)
        v = u + 1 if name == "acosh" else u  # acosh needs x >= 1
        result = g.ELEMENTARY[name](v)
        np.testing.assert_allclose(result(x), g.ELEMENTARY[name](v(x)), rtol=1e-12,
                                   atol=1e-14, err_msg=name)
    np.testing.assert_allclose(g.atan2(u, u + 1)(x), np.arctan2(u(x), u(x) + 1), atol=1e-14)
    np.testing.assert_allclose(g.pow(u, 2.5)(x), u(x) ** 2.5, atol=1e-14)
    np.testing.assert_allclose((2.0 ** u)(x), 2.0 ** u(x), atol=1e-14)


def test_division_by_a_fun_with_roots_is_refused():
    u = g.Fun(np.sin, g.Fourier())
    with pytest.raises(ZeroDivisionError, match="roots"):
        1 / u
    with pytest.raises(ValueError, match="roots"):
        abs(u)
