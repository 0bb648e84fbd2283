"""Dual numbers (generic/numbers/dual.py): derivatives against mpmath and complex steps, ring
laws, nesting and tags, DualArray against object arrays of Dual, precision, singular points."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generic as g
from generic.testing import strategies as gst

# max_examples from the profile in conftest.py (25 by default; HYPOTHESIS_PROFILE=thorough: 500)
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPS = np.finfo(float).eps


def parts(x, k: int):
    """(values, partials of shape (k,) + S) as float arrays, of a Dual, a DualArray, or an object
    array of Duals and plain numbers (constants: zero partials)."""
    if isinstance(x, (g.Dual, g.DualArray)):
        return np.asarray(x.value, dtype=float), np.asarray(x.partials, dtype=float)
    x = np.asarray(x, dtype=object)
    values, partials = np.empty(x.shape), np.zeros((k,) + x.shape)
    for i in np.ndindex(x.shape):
        e = x[i]
        values[i] = e.value if isinstance(e, g.Dual) else e
        if isinstance(e, g.Dual):
            partials[(slice(None),) + i] = e.partials
    return values, partials


def absolute(x: g.Dual) -> g.Dual:
    """|x| componentwise: evaluating a formula on these adds every term's magnitude."""
    return g.Dual(abs(x.value), np.abs(x.partials))


def assert_dual_close(a, b, scale, factor: float):
    """Values and partials of ``a`` and ``b`` agree within ``factor * eps`` times those of the
    (nonnegative) dual ``scale``, the same formula on magnitudes: the rounding error bound."""
    assert abs(a.value - b.value) <= factor * EPS * scale.value
    assert np.all(np.abs(a.partials - b.partials) <= factor * EPS * scale.partials)


def mp_derivative(f, *xs, order=None):
    """mpmath.diff at 30 digits of ``f`` written with generic functions (run on mpf)."""
    with mpmath.workdps(30):
        point = tuple(mpmath.mpf(x) for x in xs)
        if len(point) == 1:
            return mpmath.diff(f, point[0])
        return mpmath.diff(f, point, order)


# ----------------------------------------------------------------------------- against mpmath


@FAST
@given(gst.expressions(), gst.reals(-3, 3))
def test_derivative_of_random_composition_matches_mpmath_diff(expr, x):
    reference = mp_derivative(lambda t: expr.evaluate(gst.MPMATH, t), x)
    # Relative 1e-12 (~4500 eps) of the rounding-error scale of forward mode, which is
    # |derivative| unless terms cancel; 1e-25 absolute: mpmath.diff's own error at 30 digits.
    tolerance = 1e-12 * gst.derivative_scale(expr, x) + 1e-25
    assert abs(g.derivative(expr, x) - reference) <= tolerance, str(expr)


@FAST
@given(gst.expressions(nvars=3), st.lists(gst.reals(-2, 2), min_size=3, max_size=3))
def test_gradient_of_random_composition_matches_mpmath_partials(expr, xs):
    grad = g.gradient(lambda x: expr(*x), np.array(xs))
    for j, order in enumerate(((1, 0, 0), (0, 1, 0), (0, 0, 1))):
        reference = mp_derivative(lambda *t: expr.evaluate(gst.MPMATH, *t), *xs, order=order)
        # as above, per direction
        assert abs(grad[j] - reference) <= 1e-12 * gst.derivative_scale(expr, xs, j) + 1e-25


# Each unary function on an interval inside its domain, away from singular derivatives.
DOMAINS = {
    "sin": (-10, 10), "cos": (-10, 10), "tan": (-1.4, 1.4), "asin": (-0.95, 0.95),
    "acos": (-0.95, 0.95), "atan": (-10, 10), "sinh": (-5, 5), "cosh": (-5, 5),
    "tanh": (-20, 20), "asinh": (-10, 10), "acosh": (1.05, 10), "atanh": (-0.95, 0.95),
    "exp": (-20, 20), "expm1": (-40, 5), "exp2": (-10, 10), "log": (0.01, 100),
    "log1p": (-0.95, 10), "log2": (0.01, 100), "log10": (0.01, 100), "sqrt": (0.01, 100),
    "cbrt": (-10, 10), "abs": (-10, 10), "sign": (-10, 10), "floor": (-10, 10),
    "ceil": (-10, 10), "erf": (-5, 5), "erfc": (-5, 5), "gamma": (2, 6), "lgamma": (2, 10),
}
# gamma' = gamma * digamma: kept right of digamma's root (1.46), where relative accuracy holds.


def test_every_unary_function_has_a_derivative_test():
    assert set(DOMAINS) | {"digamma"} == set(g.UNARY)


@pytest.mark.parametrize("name", sorted(DOMAINS))
@FEW
@given(data=st.data())
def test_unary_derivative_matches_mpmath_diff(name, data):
    lo, hi = DOMAINS[name]
    x = data.draw(gst.reals(lo, hi, min_magnitude=0.01))
    if name in ("floor", "ceil"):  # away from the jumps, where the finite difference sees one
        x = math.floor(x) + 0.5 + (x - math.floor(x)) / 4
    f = g.ELEMENTARY[name]
    reference = mp_derivative(f, x)  # the generic function's mpmath method, at 30 digits
    d = g.derivative(f, x)
    # relative 1e-12: each rule is a few well-conditioned operations inside these domains;
    # 1e-25 absolute: mpmath.diff's own error at 30 digits (where the derivative is 0)
    assert abs(d - reference) <= 1e-12 * abs(reference) + 1e-25, (name, x, d, reference)


def test_digamma_of_a_dual_names_the_missing_derivative():
    with pytest.raises((NotImplementedError, TypeError), match="digamma"):
        g.digamma(g.Dual(1.5, [1.0]))


BINARY_DOMAINS = {
    "atan2": (gst.reals(-5, 5, min_magnitude=0.1), gst.reals(-5, 5, min_magnitude=0.1)),
    "hypot": (gst.reals(-5, 5, min_magnitude=0.1), gst.reals(-5, 5)),
    "pow": (gst.reals(0.1, 5), gst.reals(-3, 3)),
}


@pytest.mark.parametrize("name", sorted(BINARY_DOMAINS))
@FEW
@given(data=st.data())
def test_binary_partials_match_mpmath_diff(name, data):
    a, b = (data.draw(s) for s in BINARY_DOMAINS[name])
    f = g.ELEMENTARY[name]
    da = mp_derivative(f, a, b, order=(1, 0))
    db = mp_derivative(f, a, b, order=(0, 1))
    both = f(g.Dual(a, [1.0, 0.0]), g.Dual(b, [0.0, 1.0]))  # (Dual, Dual)
    first = f(g.Dual(a, [1.0]), b)  # (Dual, float)
    second = f(a, g.Dual(b, [1.0]))  # (float, Dual)
    # relative 1e-12: two or three well-conditioned operations per partial; 1e-25 absolute:
    # mpmath.diff's error at 30 digits where a partial is 0 (d/dy 1**y)
    for d, reference in ((both.partials[0], da), (both.partials[1], db),
                         (first.partials[0], da), (second.partials[0], db)):
        assert abs(d - reference) <= 1e-12 * abs(reference) + 1e-25, (name, a, b)


# ----------------------------------------------------------------------------- complex step


# Points 0 or of magnitude >= 1e-6: NumPy's complex log1p computes log(1 + z), which drops a
# z below eps, so the complex-step reference of log1p(x²) is 0 (wrong) for |x| < 1e-8
# (hypothesis found x = 1.2e-38, where the dual's 1.4e-76 is the right derivative).
complex_step_points = st.one_of(st.just(0.0), gst.reals(-2, 2, min_magnitude=1e-6))


@FEW
@given(st.lists(gst.expressions(nvars=3, functions=gst.ANALYTIC), min_size=2, max_size=3),
       st.lists(complex_step_points, min_size=3, max_size=3))
def test_jacobian_equals_complex_step_jacobian(exprs, xs):
    def f(x):  # generic functions on complex NumPy scalars go to NumPy's complex ufuncs
        return np.array([e(*x) for e in exprs])

    x = np.array(xs)
    J = g.jacobian(f, x)
    h = 1e-100  # Im f(x + ih e_j) / h has no subtraction: exact to rounding and h^2 f'''/6
    J_cs = np.array([[e(*(x + 1j * h * np.eye(3)[j])).imag / h for j in range(3)] for e in exprs])
    scale = np.array([[gst.derivative_scale(e, xs, j) for j in range(3)] for e in exprs])
    # both methods err by a small multiple of eps times the rounding-error scale; 1e-150
    # absolute covers the complex step's truncation h^2 f'''/6 where the derivative is 0
    assert np.all(np.abs(J - J_cs) <= 1e-12 * scale + 1e-150), [str(e) for e in exprs]


# ----------------------------------------------------------------------------- ring laws

# Components 0 or of magnitude >= 1e-50: products of three stay normal floats, where rounding
# is relative (a subnormal result rounds absolutely, and a later product amplifies that).
normal = st.one_of(st.just(0.0), gst.reals(min_magnitude=1e-50))
duals2 = gst.duals(values=normal, partials=normal, npartials=2)


@FAST
@given(duals2, duals2)
def test_addition_and_multiplication_commute_exactly(x, y):
    for a, b in ((x + y, y + x), (x * y, y * x)):
        assert a.value == b.value and np.array_equal(a.partials, b.partials)


@FAST
@given(duals2, duals2, duals2)
def test_associativity_within_rounding(x, y, z):
    ax, ay, az = absolute(x), absolute(y), absolute(z)
    # two roundings on each side, each at most eps/2 of the magnitudes summed or multiplied
    assert_dual_close((x + y) + z, x + (y + z), (ax + ay) + az, 4)
    assert_dual_close((x * y) * z, x * (y * z), (ax * ay) * az, 8)


@FAST
@given(duals2, duals2, duals2)
def test_multiplication_distributes_over_addition_within_rounding(x, y, z):
    ax, ay, az = absolute(x), absolute(y), absolute(z)
    # three or four roundings per side, bounded by the magnitudes of x*y + x*z
    assert_dual_close(x * (y + z), x * y + x * z, ax * (ay + az), 8)


@FAST
@given(duals2, gst.duals(values=gst.reals(min_magnitude=0.1), partials=normal, npartials=2))
def test_additive_and_multiplicative_inverses(x, y):
    for zero in (x + (-x), x - x):
        assert zero.value == 0 and np.all(zero.partials == 0)  # exact: a - a == 0 in IEEE
    one = y * (1 / y)
    # each of value and partials is a product or sum of two rounded terms of size |y'|/|y|
    assert abs(one.value - 1) <= 4 * EPS
    assert np.all(np.abs(one.partials) <= 8 * EPS * np.abs(y.partials) / abs(y.value))


# ----------------------------------------------------------------------------- Hessians


@FAST
@given(st.lists(st.integers(-5, 5).map(float), min_size=3, max_size=3))
def test_hessian_of_polynomial_is_exact_and_symmetric(xs):
    def f(x):
        return x[0] ** 2 * x[1] + 3 * x[1] ** 3 - x[0] * x[2] + x[2] ** 4 / 2 + 7.0

    x0, x1, x2 = xs
    exact = np.array([[2 * x1, 2 * x0, -1.0], [2 * x0, 18 * x1, 0.0], [-1.0, 0.0, 6 * x2**2]])
    H = g.hessian(f, np.array(xs))
    assert np.array_equal(H, exact)  # small integers: every operation is exact in float64
    assert np.array_equal(H, H.T)


@FAST
@given(st.lists(gst.reals(-2, 2), min_size=3, max_size=3))
def test_hessian_is_symmetric_and_matches_mpmath(xs):
    def f(x):
        return g.sin(x[0] * x[1]) * g.exp(x[2]) + g.log(1 + x @ x)

    H = g.hessian(f, np.array(xs))
    # the two mixed partials come from different rounding paths of ~10 operations
    assert np.allclose(H, H.T, rtol=0, atol=1e-12 * (1 + np.abs(H).max()))

    def mp_f(a, b, c):
        return mpmath.sin(a * b) * mpmath.exp(c) + mpmath.log(1 + a * a + b * b + c * c)

    for i, j in ((0, 0), (0, 1), (1, 2), (2, 2)):
        order = [0, 0, 0]
        order[i] += 1
        order[j] += 1
        reference = mp_derivative(mp_f, *xs, order=tuple(order))
        # second derivatives of O(10) terms of size up to |H|: 1e-12 of that scale
        assert abs(H[i, j] - reference) <= 1e-12 * (1 + np.abs(H).max())


# ----------------------------------------------------------------------------- nesting and tags


def test_nested_derivative_without_perturbation_confusion():
    # d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1 (confusing the perturbations gives 2)
    assert g.derivative(lambda x: x * g.derivative(lambda y: x + y, 1.0), 1.0) == 1.0
    # d/dx [x * d/dy (x * y)] = d/dx [x^2] = 2x
    assert g.derivative(lambda x: x * g.derivative(lambda y: x * y, 2.0), 3.0) == 6.0


def test_three_levels_of_nesting():
    # d/dx [x * d/dy [y * d/dz (x + y + z)]] = d/dx [x * d/dy y] = 1
    def inner(x, y):
        return y * g.derivative(lambda z: x + y + z, 0.5)

    assert g.derivative(lambda x: x * g.derivative(lambda y: inner(x, y), 2.0), 1.5) == 1.0
    # d/dx d/dy [x y^2 + d/dz (x y z)] = d/dx [2 x y + x] = 2 y + 1
    value = g.derivative(lambda x: g.derivative(
        lambda y: x * y * y + g.derivative(lambda z: x * y * z, 1.0), 2.0), 3.0)
    assert value == 5.0


def test_jacobian_at_a_dual_point_is_a_vectorised_dual_array():
    """The Jacobian of f(u) = (u0 u1 p, u1² p) taken inside an outer differentiation in p (as a
    stiff solver does when it is itself differentiated) comes back as one DualArray of the outer
    tag whose partials are dJ/dp (closed form), not an object array of nested duals: that
    keeps the linear algebra on it a few NumPy/LAPACK calls (before, Rodas5 under g.jacobian
    took minutes). Exact: every operation is a product of small integers."""
    inner = []

    def outer(q):
        p = q[0]
        u = np.array([2.0, 3.0]) * p
        J = g.jacobian(lambda v: np.array([v[0] * v[1] * p, v[1] * v[1] * p]), u)
        inner.append(J)
        return J

    dJ = g.jacobian(outer, np.array([1.5]))[..., 0]
    assert isinstance(inner[0], g.DualArray) and inner[0].value.dtype == np.float64
    # J = [[u1 p, u0 p], [0, 2 u1 p]] with u = (2p, 3p): [[3p², 2p²], [0, 6p²]], d/dp = 2p (...)
    np.testing.assert_array_equal(np.asarray(dJ, dtype=float),
                                  2 * 1.5 * np.array([[3.0, 2.0], [0.0, 6.0]]))


@FAST
@given(gst.reals(-3, 3))
def test_nested_derivatives_are_higher_derivatives(x):
    second = g.derivative(lambda t: g.derivative(g.sin, t), x)
    third = g.derivative(lambda s: g.derivative(lambda t: g.derivative(
        lambda u: g.exp(2 * u), t), s), x)
    assert abs(second + math.sin(x)) <= 4 * EPS  # -sin(x), from a cos and a negation
    assert abs(third - 8 * math.exp(2 * x)) <= 8 * EPS * 8 * math.exp(2 * x)  # 3 products


def test_escaped_dual_raises_tag_error():
    saved = []
    g.derivative(lambda x: saved.append(x) or x * x, 1.0)
    with pytest.raises(g.TagError, match="escaped"):
        g.derivative(lambda y: y * saved[0], 2.0)
    with pytest.raises(g.TagError, match="escaped"):
        g.derivative(lambda y: saved[0], 2.0)  # returned as it is


def test_float_of_a_dual_raises_a_clear_type_error():
    x = g.Dual(1.0, [1.0])
    for convert in (float, int, complex, math.sin):
        with pytest.raises(TypeError, match="g.value"):
            convert(x)
    with pytest.raises(TypeError, match="g.sin"):
        g.derivative(lambda t: math.sin(t), 1.0)


def test_missing_method_of_the_value_type_is_named():
    from fractions import Fraction

    with pytest.raises(g.MissingMethodError, match=r"generic.sin has no method.*Fraction"):
        g.sin(g.Dual(Fraction(1, 3), [1.0]))


# ----------------------------------------------------------------------------- DualArray


def same(a, b, k: int, rtol: float = 0.0):
    """``a`` and ``b`` (DualArray, Dual, or object arrays) have equal values and partials."""
    (va, pa), (vb, pb) = parts(a, k), parts(b, k)
    assert va.shape == vb.shape and pa.shape == pb.shape
    np.testing.assert_allclose(va, vb, rtol=rtol, atol=0)
    np.testing.assert_allclose(pa, pb, rtol=rtol, atol=0)


vectors = gst.dual_arrays(shape=3, npartials=2)
positive = gst.dual_arrays(shape=3, npartials=2, min_value=0.5, max_value=4)


@FAST
@given(vectors, positive)
def test_dual_array_arithmetic_and_ufuncs_equal_object_arrays(a, b):
    oa, ob = np.asarray(a), np.asarray(b)
    assert oa.dtype == object and all(isinstance(e, g.Dual) for e in oa)
    floats = np.array([0.5, -2.0, 3.0])
    # The same scalar formulas, vectorised or elementwise: equal up to a fused multiply-add
    # (the vectorised product rule may be compiled with one rounding less).
    rtol = 4 * EPS
    for op in (lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y,
               lambda x, y: x / y, lambda x, y: np.hypot(x, y), lambda x, y: np.arctan2(x, y),
               lambda x, y: x * 1.5 - y / 2.0, lambda x, y: floats * x + y / floats,
               lambda x, y: 2.0 / y + x**2 - 3 * x**3):
        same(op(a, b), op(oa, ob), 2, rtol)
    for ufunc in (np.sin, np.cos, np.exp, np.tanh, np.arctan, np.negative, np.square):
        same(ufunc(a), ufunc(oa), 2, rtol)
    for ufunc in (np.sqrt, np.log, np.log1p, np.cbrt):
        same(ufunc(b), ufunc(ob), 2, rtol)
    same(g.sin(a) * g.exp(b), g.sin(oa) * g.exp(ob), 2, rtol)


@FAST
@given(vectors, vectors)
def test_dual_array_indexing_and_setitem_equal_object_arrays(a, b):
    oa, ob = np.asarray(a), np.asarray(b)
    same(a[1], oa[1], 2)
    same(a[1:], oa[1:], 2)
    same(a[::-1], oa[::-1], 2)
    a2, oa2 = a.copy(), oa.copy()
    a2[0], oa2[0] = b[2], ob[2]
    a2[1], oa2[1] = 5.0, 5.0  # a constant: zero partials
    same(a2, oa2, 2)
    same(a, oa, 2)  # copies: the originals are untouched
    element = a[0]
    a[0] = b[1]
    same(element, oa[0], 2)  # an element read earlier is a copy, not a view


@FAST
@given(vectors, vectors, st.lists(gst.reals(), min_size=6, max_size=6))
def test_dual_array_reductions_products_and_joins_equal_object_arrays(a, b, entries):
    oa, ob = np.asarray(a), np.asarray(b)
    M = np.array(entries).reshape(2, 3)
    # sums and products in another order (BLAS, pairwise sums): 1e-12 relative to the terms
    for x, y in ((a.sum(), np.sum(oa)), (np.sum(a), np.sum(oa)), (M @ a, M @ oa),
                 (np.dot(M, a), np.dot(M, oa)), (a @ M.T, oa @ M.T), (a @ b, oa @ ob)):
        vx, px = parts(x, 2)
        vy, py = parts(y, 2)
        scale = 10 * (1 + np.abs(M).max()) * (1 + np.abs(a.partials).max() + np.abs(a.value).max())
        assert np.all(np.abs(vx - vy) <= 1e-12 * scale)
        assert np.all(np.abs(px - py) <= 1e-12 * scale * (1 + np.abs(b.value).max()))
    same(np.concatenate([a, b]), np.concatenate([oa, ob]), 2)
    same(np.stack([a, b]), np.stack([oa, ob]), 2)
    same(np.concatenate([a, np.ones(2)]), np.concatenate([oa, np.ones(2)]), 2)
    same(np.stack([a, b], axis=1), np.stack([oa, ob], axis=1), 2)


def test_dual_array_of_matrices_times_float_vector():
    A = g.DualArray(np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(2, 2, 3))
    v = np.array([1.0, -1.0, 2.0])
    same(A @ v, np.asarray(A) @ v, 2)
    same(np.dot(A, v), np.asarray(A) @ v, 2)
    same(A.T, np.asarray(A).T, 2)


def test_comparisons_are_by_value():
    x, y = g.Dual(1.0, [5.0]), g.Dual(2.0, [-5.0])
    assert x < y and x <= y and y > x and y >= x and not x > y
    assert g.Dual(1.0, [1.0]) == g.Dual(1.0, [2.0]) == 1.0
    assert hash(g.Dual(1.0, [1.0])) == hash(1.0)
    assert sorted([y, x]) == [x, y] and max(x, y) is y
    a = g.DualArray(np.array([1.0, 3.0]), np.ones((1, 2)))
    assert np.array_equal(a < 2.0, [True, False])
    assert np.array_equal(np.less(a, np.array([0.0, 4.0])), [False, True])


# ----------------------------------------------------------------------------- number types


def test_float32_in_float32_derivatives_out():
    x = np.float32(0.5)
    d = g.derivative(lambda t: g.sin(t) * t, x)
    assert isinstance(d, np.float32)
    assert abs(d - (math.cos(0.5) * 0.5 + math.sin(0.5))) <= 4 * np.finfo(np.float32).eps
    v = np.array([0.5, 1.5], dtype=np.float32)
    assert g.gradient(lambda t: (g.exp(t) * t).sum(), v).dtype == np.float32
    assert g.jacobian(lambda t: g.sin(t) * 2, v).dtype == np.float32


def test_mpmath_50_digits_keeps_precision_through_derivative():
    with mpmath.workdps(50):
        x = mpmath.mpf(1) / 3

        def f(t):
            return g.exp(g.sin(t)) * t + g.sqrt(1 + t * t)

        d = g.derivative(f, x)
        reference = mpmath.diff(lambda t: mpmath.exp(mpmath.sin(t)) * t
                                + mpmath.sqrt(1 + t * t), x)
        assert isinstance(d, mpmath.mpf)
        assert abs(d - reference) <= mpmath.mpf(10) ** -45  # 50 digits, a few lost to diff
        xs = np.array([x, 2 * x], dtype=object)
        grad = g.gradient(lambda v: f(v[0]) * v[1], xs)
        assert all(isinstance(e, mpmath.mpf) for e in grad)
        assert abs(grad[1] - f(x)) <= mpmath.mpf(10) ** -48


def test_derivative_of_functions_closing_over_arrays():
    A = np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])
    w = np.array([0.5, -1.0])
    x = np.array([0.3, -0.7, 1.1])
    J = g.jacobian(lambda v: A @ g.sin(v), x)
    np.testing.assert_allclose(J, A * np.cos(x), rtol=1e-15)  # one product per entry
    d = g.derivative(lambda t: w * g.exp(t * w), 0.25)
    np.testing.assert_allclose(d, w * w * np.exp(0.25 * w), rtol=1e-15)
    grad = g.gradient(lambda v: w @ (A @ (v * v)), x)
    np.testing.assert_allclose(grad, 2 * x * (w @ A), rtol=1e-14)  # sums of 2 terms


@FAST
@given(st.lists(gst.reals(-2, 2), min_size=5, max_size=5), st.integers(1, 5))
def test_chunked_gradient_and_jacobian_equal_unchunked(xs, chunk):
    x = np.array(xs)

    def f(v):
        return (g.sin(v) * v[::-1]).sum() + g.exp(v[0] * v[4])

    def F(v):
        return g.tanh(v) * v[2] + v**2

    # each partial is computed by the same operations whatever the chunk: bit for bit
    assert np.array_equal(g.gradient(f, x, chunk=chunk), g.gradient(f, x))
    assert np.array_equal(g.jacobian(F, x, chunk=chunk), g.jacobian(F, x))


# ----------------------------------------------------------------------------- singular points


def test_non_differentiable_points():
    assert g.derivative(g.sqrt, 0.0) == math.inf
    s = g.sqrt(g.Dual(0.0, [1.0, 0.0]))  # a zero partial stays 0, never 0 * inf = nan
    assert s.partials[0] == math.inf and s.partials[1] == 0.0
    grad = g.gradient(lambda v: g.sqrt(v[0]) + v[1], np.array([0.0, 1.0]))
    assert grad[0] == math.inf and grad[1] == 1.0
    assert g.derivative(g.abs, 0.0) == 0.0  # sign(0) = 0
    assert g.derivative(g.sign, 0.0) == 0.0
    assert g.derivative(lambda t: t**2, 0.0) == 0.0  # integer power: exact at 0
    assert g.derivative(g.cbrt, 0.0) == math.inf
    a = g.sqrt(g.DualArray(np.array([0.0, 4.0]), np.array([[1.0, 1.0], [0.0, 0.0]])))
    assert a.partials[0, 0] == math.inf and a.partials[1, 0] == 0.0
    assert np.array_equal(a.partials[:, 1], [0.25, 0.0])


def test_norm_includes_partials_and_value_unwraps_nested_duals():
    x = g.Dual(3.0, [4.0])
    assert g.norm(x) == math.sqrt((9 + 16) / 2)  # RMS over value and partials
    nested = g.Dual(g.Dual(2.0, [1.0], tag=1), [g.Dual(1.0, [0.0], tag=1)], tag=2)
    assert g.value(nested) == 2.0 and isinstance(g.value(nested), float)
