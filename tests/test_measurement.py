"""Tests of generic.numbers.measurement: linear error propagation with correlations.

The reference is the ``uncertainties`` package: both propagate to first order with analytic
derivatives in double precision, so on the same expression they agree up to rounding. Property
tests take their example counts from the hypothesis profile in conftest.py (25 by default);
the tolerances below held over 4000 examples per property test.
"""

from __future__ import annotations

import copy
import math
import pickle
import sys
import warnings
import weakref
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import uncertainties
from hypothesis import given, settings
from hypothesis import strategies as st
from uncertainties import unumpy

import generic as g

M = sys.modules["generic.numbers.measurement"]

# Tolerance of every comparison with uncertainties. Both libraries evaluate the same analytic
# derivative formulas in float64, so results differ by rounding only: a few ulps (1e-16) per
# operation over the <= ~30 operations of an expression below stays far under 1e-12. Where a
# result is a difference of larger terms (a - b, or partials that cancel), its rounding is
# relative to those terms, so the absolute floor scales with the largest intermediate magnitude.
RTOL = 1e-12


def close(a, b, scale=1.0, rtol=RTOL) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=rtol * scale)


# ----------------------------------------------------------------------------- random expressions

# Each unary node maps its argument into the function's domain (away from singular points) with
# tanh, so every random tree is well defined; values stay bounded (|.| < ~1e3 at these depths).
def _in(lo, hi):
    return lambda a: (lo + hi) / 2 + (hi - lo) / 2 * g.tanh(a)


UNARY_CASES = {
    "sin": None, "cos": None, "atan": None, "tanh": None, "asinh": None, "erf": None,
    "erfc": None, "abs": None,
    "tan": _in(-1.2, 1.2), "asin": _in(-0.9, 0.9), "acos": _in(-0.9, 0.9),
    "atanh": _in(-0.9, 0.9), "acosh": _in(1.1, 3.0), "sinh": _in(-2, 2), "cosh": _in(-2, 2),
    "exp": _in(-2, 2), "expm1": _in(-2, 2), "exp2": _in(-2, 2), "log": _in(0.5, 2.5),
    "log1p": _in(-0.5, 1.5), "log2": _in(0.5, 2.5), "log10": _in(0.5, 2.5),
    "sqrt": _in(0.5, 2.5), "cbrt": _in(0.5, 2.5),
}
BINARY_CASES = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / _in(0.5, 2.5)(b),
    "**int": lambda a, b: a**2 + b**3,
    "**": lambda a, b: g.pow(_in(0.5, 2.5)(a), g.tanh(b)),
    "atan2": lambda a, b: g.atan2(a, _in(0.5, 2.5)(b)),
    "hypot": lambda a, b: g.hypot(a, _in(0.5, 2.5)(b)),
}

leaves = st.one_of(st.sampled_from(["x", "y", "z"]), st.floats(-2, 2))
trees = st.recursive(
    leaves,
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(sorted(UNARY_CASES)), sub),
        st.tuples(st.sampled_from(sorted(BINARY_CASES)), sub, sub),
    ),
    max_leaves=8,
)


def evaluate(tree, inputs: dict, seen: list):
    """Evaluate a tree with the generic functions (which take ufloats too); ``seen`` collects
    every intermediate result."""
    if isinstance(tree, str):
        result = inputs[tree]
    elif isinstance(tree, float):
        result = tree
    elif len(tree) == 2:
        name, arg = tree
        a = evaluate(arg, inputs, seen)
        squash = UNARY_CASES[name]
        result = g.ELEMENTARY[name](squash(a) if squash else a)
    else:
        name, left, right = tree
        result = BINARY_CASES[name](evaluate(left, inputs, seen), evaluate(right, inputs, seen))
    seen.append(result)
    return result


def magnitude(xs) -> float:
    return max([1.0] + [abs(g.value(x)) + g.uncertainty(x) for x in xs])


inputs = st.tuples(st.floats(-2, 2), st.floats(0.01, 0.5))


@settings(deadline=None)
@given(trees, inputs, inputs, inputs)
def test_random_expressions_agree_with_uncertainties(tree, xin, yin, zin):
    names = ("x", "y", "z")
    ours = {n: g.measurement(*v) for n, v in zip(names, (xin, yin, zin), strict=True)}
    theirs = {n: uncertainties.ufloat(*v) for n, v in zip(names, (xin, yin, zin), strict=True)}
    seen: list = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = evaluate(tree, ours, [])
        u = evaluate(tree, theirs, seen)
    scale = magnitude(seen)
    assert close(g.value(m), g.value(u), scale)
    assert close(g.uncertainty(m), g.uncertainty(u), scale)


@settings(deadline=None)
@given(trees, inputs, inputs, inputs)
def test_covariance_and_correlation_agree_with_uncertainties(tree, xin, yin, zin):
    ours = [g.measurement(*v) for v in (xin, yin, zin)]
    theirs = [uncertainties.ufloat(*v) for v in (xin, yin, zin)]
    seen: list = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = evaluate(tree, dict(zip("xyz", ours, strict=True)), [])
        u = evaluate(tree, dict(zip("xyz", theirs, strict=True)), seen)
    ms, us = [m, ours[0] + m, ours[1] * ours[2]], [u, theirs[0] + u, theirs[1] * theirs[2]]
    if isinstance(u, float):
        ms, us = ms[1:], us[1:]
    scale = magnitude(seen + us) ** 2  # covariances are products of two stds
    expected = np.array(uncertainties.covariance_matrix(us))
    np.testing.assert_allclose(g.covariance(ms), expected, rtol=RTOL, atol=RTOL * scale)
    std = np.sqrt(np.diag(expected))
    if std.min() > 1e-3:  # a correlation divides by the stds: keep away from 0 / 0
        np.testing.assert_allclose(g.correlation(ms), uncertainties.correlation_matrix(us),
                                   rtol=RTOL, atol=RTOL * scale / std.min() ** 2)


def test_gamma_and_lgamma_match_mpmath_derivatives():
    # uncertainties differentiates gamma and lgamma numerically (~1e-8), so the reference here is
    # mpmath's derivative at 30 digits; ours is analytic (gamma * digamma), rounding-limited.
    for x0 in (0.3, 1.7, 4.5):
        x = g.measurement(x0, 0.1)
        with mpmath.workdps(30):
            for name, f in (("gamma", mpmath.gamma), ("lgamma", mpmath.loggamma)):
                expected = abs(float(mpmath.diff(f, x0))) * 0.1
                assert close(g.uncertainty(g.ELEMENTARY[name](x)), expected)


def test_locally_constant_functions_have_zero_uncertainty():
    x = g.measurement(2.5, 0.1)
    for name in ("floor", "ceil", "sign"):
        assert g.uncertainty(g.ELEMENTARY[name](x)) == 0


# ----------------------------------------------------------------------------- correlations


def test_the_5_23_example():
    x, y = g.measurement(5.23, 0.14), g.measurement(5.23, 0.14)
    d = x - y
    assert g.value(d) == 0 and close(g.uncertainty(d), 0.14 * math.sqrt(2))
    assert repr(x) == "5.23 ± 0.14" and str(d) == "0.00 ± 0.20"


nonzero_inputs = st.tuples(st.floats(0.1, 2), st.floats(0.01, 0.5))


@settings(deadline=None)
@given(nonzero_inputs, inputs)
def test_a_quantity_minus_itself_is_exactly_zero(xin, yin):
    x, y = g.measurement(*xin), g.measurement(*yin)
    for expr in (x - x, g.sin(x) - g.sin(x), x * y - y * x, (x + y) - (y + x), x / x - 1):
        assert g.value(expr) == 0 and g.uncertainty(expr) == 0


def test_dependence_through_functions_is_tracked():
    x = g.measurement(0.7, 0.01)
    assert g.uncertainty(g.sin(x) ** 2 + g.cos(x) ** 2) < 1e-16
    assert close(g.uncertainty(2 * x), 2 * g.uncertainty(x + 0))
    a = g.measurement(np.array([1.0, 2.0]), 0.1)
    assert g.uncertainty(a.sum() - a[0] - a[1]) == 0


# ----------------------------------------------------------------------------- arrays

array_inputs = st.lists(st.tuples(st.floats(0.5, 2), st.floats(0.01, 0.3)), min_size=1,
                        max_size=6)

# NumPy's vectorised sin/exp/... may differ from libm's (used for Python floats) by an ulp or
# so; propagated over these short expressions that stays below 1e-13 relative.
ARRAY_RTOL = 1e-13


@settings(deadline=None)
@given(array_inputs)
def test_array_agrees_with_scalars_elementwise(pairs):
    values, stds = np.array(pairs).T
    a = g.measurement(values, stds)
    s = g.measurement(1.5, 0.2)  # a shared scalar source
    scalars = [a[i] for i in range(len(a))]

    def f(x):
        return x * g.sin(s * x) + g.exp(x / 10) - x**2 / (1 + s) + g.atan2(x, s)

    fa = f(a)
    for i, x in enumerate(scalars):
        fx = f(x)
        assert math.isclose(g.value(fa[i]), g.value(fx), rel_tol=ARRAY_RTOL)
        assert math.isclose(g.uncertainty(fa)[i], g.uncertainty(fx), rel_tol=ARRAY_RTOL)
    np.testing.assert_allclose(g.covariance(fa), g.covariance(np.array([f(x) for x in scalars])),
                               rtol=ARRAY_RTOL, atol=1e-15)
    np.testing.assert_allclose(g.value(np.sin(a)), np.sin(values), rtol=1e-15)


def test_array_construction_indexing_and_assignment():
    a = g.measurement(np.array([[1.0, 2.0], [3.0, 4.0]]), 0.1)
    assert isinstance(a, g.MeasurementArray) and a.shape == (2, 2) and len(a) == 2
    assert isinstance(a[0, 1], g.Measurement) and g.value(a[0, 1]) == 2.0
    assert isinstance(a[..., 0], g.MeasurementArray) and list(g.value(a[..., 0])) == [1.0, 3.0]
    assert [g.value(r).tolist() for r in a] == [[1.0, 2.0], [3.0, 4.0]]
    np.testing.assert_allclose(g.covariance(a), 0.01 * np.eye(4))  # independent elements
    b = a.copy()
    x = g.measurement(10.0, 1.0)
    b[0, 0] = x  # new source: b widens, a is untouched
    assert g.uncertainty(b[0, 0] - x) == 0 and g.value(a[0, 0]) == 1.0
    b[1] = 5.0  # constants have no uncertainty
    assert np.all(g.uncertainty(b[1]) == 0)
    b[0, 1] = uncertainties.ufloat(7.0, 0.5)
    assert close(g.uncertainty(b[0, 1]), 0.5)
    c = a[0]
    c[0] = 0.0  # a slice is a copy
    assert g.value(a[0, 0]) == 1.0
    assert g.value(a.sum()) == 10 and close(g.uncertainty(a.sum()), 0.2)
    assert g.value(np.sum(a, axis=0)).tolist() == [4.0, 6.0]
    assert close(g.value(a.mean()), 2.5)
    assert a.reshape(4).shape == (4,) and a.T.shape == (2, 2)
    assert g.value(np.concatenate([a[0], x + np.zeros(1)])).tolist() == [1.0, 2.0, 10.0]


def test_scalar_std_broadcasts_and_shapes_must_match():
    a = g.measurement([1, 2, 3], 0.5)
    assert np.all(g.uncertainty(a) == 0.5) and g.value(a).dtype == float
    with pytest.raises(ValueError):
        g.measurement(np.ones(3), np.ones(2))


def test_array_mixes_with_scalars_and_ndarrays_in_both_orders():
    a = g.measurement(np.array([1.0, 2.0]), 0.1)
    s = g.measurement(3.0, 0.2)
    t = np.array([10.0, 20.0])
    for r in (a + s, s + a, a * t, t * a, t + s, s * t, a - np.float64(1), 2.0**a, a**2):
        assert isinstance(r, g.MeasurementArray) and r.shape == (2,)
    assert g.uncertainty(a * s - s * a).tolist() == [0, 0]
    assert g.uncertainty((t * s)[1]) == pytest.approx(20 * 0.2)
    np.testing.assert_array_equal(a > 1.5, [False, True])


def test_numpy_ufuncs_and_asarray():
    a = g.measurement(np.array([0.5, 1.0]), 0.1)
    assert isinstance(np.sin(a), g.MeasurementArray)
    assert g.uncertainty(np.add(a, a) - 2 * a).tolist() == [0, 0]
    assert close(g.uncertainty(np.arctan2(a, 1.0))[0], 0.1 / 1.25)
    objects = np.asarray(a)
    assert objects.dtype == object and isinstance(objects[0], g.Measurement)
    assert g.uncertainty(objects[0] - a[0]) == 0  # the same sources
    with pytest.raises(TypeError, match="np.asarray"):
        np.fmod(a, 2.0)


def test_object_arrays_work_elementwise():
    x, y = g.measurement(0.5, 0.1), g.measurement(1.0, 0.2)
    o = np.array([x, y], dtype=object)
    for r in (np.sin(o), g.sin(o), o + x, x * o, o**2, np.arctan2(o, 2.0)):
        assert r.dtype == object and isinstance(r[0], g.Measurement)
    assert g.uncertainty((o - x)[0]) == 0
    assert g.value(o).tolist() == [0.5, 1.0] and g.uncertainty(o).tolist() == [0.1, 0.2]
    assert g.eltype(o) is g.Measurement and g.norm(o) == pytest.approx(math.sqrt(0.625))
    a = g.measurement(np.array([1.0, 2.0]), 0.1)
    assert isinstance(o + a, g.MeasurementArray)  # a MeasurementArray takes object arrays in


# ----------------------------------------------------------------------------- protocol


def test_number_protocol():
    x = g.measurement(-2.0, 0.1)
    a = g.measurement(np.array([3.0, 4.0]), 0.1)
    assert isinstance(x, g.Scalar)
    assert g.value(x) == -2.0 and type(g.value(x)) is float
    assert g.norm(x) == 2.0 and g.norm(a) == pytest.approx(math.sqrt(12.5))  # values only
    assert g.eps(x) == g.eps(g.Measurement) == sys.float_info.epsilon
    assert g.eltype(x) is g.Measurement and g.eltype(a) is g.Measurement
    assert g.convert(g.Measurement, Fraction(1, 3)) == 1 / 3
    for same in (g.real(x), g.conj(x)):  # a real measurement is its own real part and conjugate
        assert same == x and g.uncertainty(same - x) == 0
    assert g.value(g.imag(x)) == 0 and g.uncertainty(g.imag(x)) == 0
    assert g.isfinite(x) and g.isfinite(a).tolist() == [True, True]
    assert g.uncertainty(1.0) == 0 and g.uncertainty(np.ones(2)).tolist() == [0, 0]
    assert g.uncertainty(uncertainties.ufloat(1, 0.3)) == 0.3


def test_comparisons_are_by_value():
    x, y = g.measurement(1.0, 0.5), g.measurement(1.0, 0.1)
    assert x == y and x <= y and not x < y and x < 2 and 0 < x and x != 1.5
    assert hash(x) == hash(1.0) and bool(g.measurement(0.0, 1.0)) is False


def test_arithmetic_with_python_and_numpy_scalars():
    x = g.measurement(2.0, 0.1)
    for r in (x + 1, 1 + x, x * np.float64(3), np.float64(3) * x, x / 2, 2 / x, x**2, 2**x,
              x ** np.float32(1.5), -x, abs(-x), +x, x - np.int64(1)):
        assert isinstance(r, g.Measurement)
    assert close(g.uncertainty(2 / x), 2 / 4 * 0.1)
    assert close(g.uncertainty(2**x), 2**2 * math.log(2) * 0.1)


def test_power_edge_cases():
    z = g.measurement(0.0, 0.1)
    y = g.measurement(2.0, 0.1)
    assert g.uncertainty(z**2) == 0 and g.value(z**0) == 1 and g.uncertainty(z**0) == 0
    assert g.uncertainty(z**y) == 0  # d/dy 0**y = 0 for y > 0, as in uncertainties
    root = g.sqrt((z + y) - y)  # infinite derivative: the z partial is inf, the y partial 0
    assert g.uncertainty(root) == math.inf
    assert sorted(root.derivatives().values()) == [0.0, math.inf]  # 0 stays 0, not 0 * inf


def test_values_of_other_number_types():
    with mpmath.workdps(30):
        x = g.measurement(mpmath.mpf(2), mpmath.mpf("0.1"))
        s = g.sin(x)
        assert isinstance(s.value, mpmath.mpf)
        # 30-digit arithmetic end to end: agreement far beyond float precision
        assert abs(s.value - mpmath.sin(2)) < mpmath.mpf(10) ** -28
        assert abs(g.uncertainty(s) - abs(mpmath.cos(2)) / 10) < mpmath.mpf(10) ** -28
        assert g.eps(x) == mpmath.mp.eps and type(g.value(x)) is float


# ----------------------------------------------------------------------------- uncertainties


def test_round_trips_keep_correlations():
    u = uncertainties.ufloat(1.0, 0.1)
    v = u * 2 + uncertainties.ufloat(3.0, 0.2)
    m = g.from_uncertainties(v)
    assert close(g.value(m), v.nominal_value) and close(g.uncertainty(m), v.std_dev)
    back = g.to_uncertainties(m)
    assert (back - v).std_dev == 0  # the same Variables
    assert g.uncertainty(m - g.from_uncertainties(u) * 2 - g.from_uncertainties(v - 2 * u)) == 0
    x = g.measurement(5.0, 0.3)
    ux = g.to_uncertainties(x)
    assert ux.std_dev == 0.3 and g.to_uncertainties(x) is not ux
    assert (ux - g.to_uncertainties(x)).std_dev == 0  # the same source gives the same Variable
    assert g.uncertainty(g.from_uncertainties(ux) - x) == 0


def test_mixed_expressions_are_correlated():
    x = g.measurement(2.0, 0.1)
    u = uncertainties.ufloat(1.5, 0.2)
    ux = g.to_uncertainties(x)
    cases = [
        (x + u, ux + u), (u + x, u + ux), (u * x, u * ux), (x / u, ux / u), (u - x, u - ux),
        (x**u, ux**u), (u**x, u**ux), (g.atan2(u, x), g.atan2(u, ux)),
        (g.hypot(x, u), g.hypot(ux, u)), (g.pow(u, x), g.pow(u, ux)),
        ((x + u) - x, u),
    ]
    for ours, reference in cases:
        assert isinstance(ours, g.Measurement)
        assert close(g.value(ours), reference.nominal_value)
        assert close(g.uncertainty(ours), reference.std_dev)


def test_unumpy_arrays_convert_and_mix():
    arr = unumpy.uarray([1.0, 2.0], [0.1, 0.2])
    m = g.from_uncertainties(arr)
    assert isinstance(m, g.MeasurementArray)
    np.testing.assert_allclose(g.uncertainty(m), [0.1, 0.2])
    assert g.uncertainty(m - arr).tolist() == [0, 0] and g.uncertainty(arr - m).tolist() == [0, 0]
    back = g.to_uncertainties(m)
    assert back.dtype == object and unumpy.std_devs(back - arr).tolist() == [0, 0]
    np.testing.assert_allclose(g.covariance(m * m[0]),
                               uncertainties.covariance_matrix(list(arr * arr[0])), rtol=RTOL)


def test_pickle_and_deepcopy_keep_correlations(monkeypatch):
    x, y = g.measurement(1.0, 0.1), g.measurement(2.0, 0.2)
    a = g.measurement(np.array([1.0, 2.0]), 0.1) * y
    x2, w2, a2 = copy.deepcopy([x, x + 2 * y, a])
    assert g.uncertainty(x2 - x) == 0 and g.uncertainty(w2 - x - 2 * y) == 0
    assert g.uncertainty(a2 - a).tolist() == [0, 0]
    # Across processes: in a "worker" (a fresh registry), sources are new but one source stays
    # one; results sent back map to the main process's sources again.
    data = pickle.dumps([y, x + 2 * y, a])
    main_registry = M._by_origin
    monkeypatch.setattr(M, "_by_origin", weakref.WeakValueDictionary())
    y_w, w_w, a_w = pickle.loads(data)
    assert g.uncertainty(y_w - y) > 0  # the worker's copy is its own source
    assert math.isclose(g.uncertainty(w_w - 2 * y_w), g.uncertainty(x))
    assert math.isclose(g.uncertainty(a_w[0] - y_w), g.uncertainty(a[0] - y))
    back = pickle.dumps([g.sin(w_w), a_w])
    monkeypatch.setattr(M, "_by_origin", main_registry)
    s_m, a_m = pickle.loads(back)
    assert g.uncertainty(s_m - g.sin(x + 2 * y)) == 0 and g.uncertainty(a_m - a).tolist() == [0, 0]


# ----------------------------------------------------------------------------- errors


def test_float_raises_and_says_what_to_do():
    x = g.measurement(1.0, 0.1)
    for convert in (float, int, complex):
        with pytest.raises(TypeError, match=r"drop its uncertainty.*g\.value\(x\)"):
            convert(x)
    with pytest.raises(TypeError, match=r"g\.value"):
        np.asarray(g.measurement(np.ones(2), 0.1), dtype=float)


def test_error_messages_name_problem_and_fix():
    x = g.measurement(1.0, 0.1)
    with pytest.raises(TypeError, match=r"derivative of digamma.*@g.dispatch def digamma"):
        g.digamma(x)
    with pytest.raises(ValueError, match=r">= 0.*absolute value"):
        g.measurement(1.0, -0.1)
    with pytest.raises(TypeError, match=r"plain numbers.*use it directly"):
        g.measurement(x, 0.1)
    with pytest.raises(TypeError, match=r"uncertainties number.*got str"):
        g.from_uncertainties("1+/-0.1")
    with pytest.raises(TypeError, match=r"takes a Measurement"):
        g.to_uncertainties("x")
    with pytest.raises(TypeError, match=r"must be a number, a measurement"):
        g.measurement(np.ones(2), 0.1)[0] = "a"
    with pytest.raises(ValueError, match=r"dense .* partials.*object array"):
        g.measurement(np.zeros(20000), 0.1)
    with pytest.raises(TypeError, match=r"no measurement rule.*generic functions"):
        np.fmod(x, 2.0)
    with pytest.raises(TypeError, match=r"takes only axis"):
        g.measurement(np.ones(2), 0.1).sum(out=np.zeros(1))


def test_derivative_of_an_uncertain_quantity_is_a_dual_of_measurements():
    # d/dt sin(t x) at t = 1 is x cos(x): the derivative carries the uncertainty of x, propagated
    # to first order; uncertainties computes the same closed form (tolerance: RTOL, rounding).
    x, ux = g.measurement(2.0, 0.1), uncertainties.ufloat(2.0, 0.1)
    slope = g.derivative(lambda t: g.sin(t * x), 1.0)
    reference = ux * uncertainties.umath.cos(ux)
    assert isinstance(slope, g.Measurement)
    assert close(g.value(slope), reference.nominal_value)
    assert close(g.uncertainty(slope), reference.std_dev)
    # correlated with x, not new noise: minus the same closed form in measurements leaves rounding
    assert g.uncertainty(slope - x * g.cos(x)) < 1e-15


@pytest.mark.parametrize("x0", [360.0, 403.9269523470943, -800.0])
def test_tanh_far_out_has_zero_slope(x0):
    """tanh's slope 1 / cosh(x)² is below the float range past |x| ≈ 372, and Python floats
    raise OverflowError squaring cosh(x) past |x| ≈ 355: the slope is the IEEE result, 0, as
    uncertainties gives (a case hypothesis found)."""
    m = g.tanh(g.measurement(x0, 0.5))
    reference = uncertainties.umath.tanh(uncertainties.ufloat(x0, 0.5))
    assert g.value(m) == reference.nominal_value == math.copysign(1.0, x0)
    assert g.uncertainty(m) == reference.std_dev == 0.0
