"""The generic functions of floor 2 on every number type it supports.

Elementary functions: accuracy of the float methods against mpmath at 30 digits, IEEE semantics,
precision kept (float32, np.float64, mpmath), uncertainties, object arrays, complex numbers,
binary functions with mixed argument kinds, array API arrays. Protocol functions: value, norm,
eps, eltype, real/imag/conj, isfinite, convert.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import array_api_strict as xps
import mpmath
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from uncertainties import ufloat
from uncertainties.core import AffineScalarFunc

import generic as g

E = g.ELEMENTARY
UNARY, BINARY = list(g.UNARY), list(g.BINARY)
F64_EPS = 2.0**-52
F32_EPS = 2.0**-23


def floats(lo, hi, **kw):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, **kw)


def exclusive(lo, hi):
    return floats(lo, hi, exclude_min=True, exclude_max=True)


def not_a_pole(x: float) -> bool:
    """x is not a pole of gamma (0, -1, -2, ...), nor so near 0 that gamma overflows."""
    return not (x <= 0 and x == math.floor(x)) and abs(x) > 1e-300


# mpmath's own function for each generic function (the reference at any precision).
MPMATH = {
    **{name: getattr(mpmath, name) for name in (
        "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh",
        "atanh", "exp", "expm1", "log", "log1p", "log10", "sqrt", "sign", "floor", "ceil", "erf",
        "erfc", "gamma", "digamma", "atan2", "hypot")},
    "exp2": lambda x: mpmath.power(2, x),
    "log2": lambda x: mpmath.log(x, 2),
    "cbrt": lambda x: mpmath.sign(x) * mpmath.cbrt(abs(x)),  # the real cube root
    "abs": abs,
    "lgamma": lambda x: mpmath.re(mpmath.loggamma(x)),
    "pow": mpmath.power,
}

# name -> (inputs: a strategy of float tuples, tolerance in ulps, floor). The float method must be
# within `ulps` units in the last place of max(|exact|, floor) of the exact value (mpmath at 30
# digits from the exact float input, so the whole error is the float method's).
# Tolerances: libm functions of glibc are documented within 1-2 ulps (tanh, erfc, pow measured up
# to ~1.5), so 2; functions computed exactly (abs, sign, floor, ceil) 0; cbrt 3 (glibc's cbrt is
# not correctly rounded, measured 2.7 ulps); gamma and lgamma 8 (CPython computes them itself with
# a Lanczos sum, documented only as "a few ulps", measured 6); digamma is mpmath's, rounded once,
# so 1. lgamma's floor is 1: it has zeros at 1 and 2 (and between its negative poles), where
# CPython's absolute error, not its relative one, is small.
def unary(strategy):
    return st.tuples(strategy)


ACCURACY = {
    "sin": (unary(floats(-100, 100)), 2, 0),
    "cos": (unary(floats(-100, 100)), 2, 0),
    "tan": (unary(floats(-100, 100)), 2, 0),
    "asin": (unary(floats(-1, 1)), 2, 0),
    "acos": (unary(floats(-1, 1)), 2, 0),
    "atan": (unary(floats(-1e300, 1e300)), 2, 0),
    "sinh": (unary(floats(-700, 700)), 2, 0),
    "cosh": (unary(floats(-700, 700)), 2, 0),
    "tanh": (unary(floats(-30, 30)), 2, 0),
    "asinh": (unary(floats(-1e300, 1e300)), 2, 0),
    "acosh": (unary(floats(1, 1e300)), 2, 0),
    "atanh": (unary(exclusive(-1, 1)), 2, 0),
    "exp": (unary(floats(-700, 700)), 2, 0),
    "expm1": (unary(floats(-700, 700)), 2, 0),
    "exp2": (unary(floats(-1000, 1000)), 2, 0),
    "log": (unary(exclusive(0, 1e300)), 2, 0),
    "log1p": (unary(exclusive(-1, 1e300)), 2, 0),
    "log2": (unary(exclusive(0, 1e300)), 2, 0),
    "log10": (unary(exclusive(0, 1e300)), 2, 0),
    "sqrt": (unary(floats(0, 1e300)), 2, 0),
    "cbrt": (unary(floats(-1e300, 1e300)), 3, 0),
    "abs": (unary(floats(-1e300, 1e300)), 0, 0),
    "sign": (unary(floats(-1e300, 1e300)), 0, 0),
    "floor": (unary(floats(-1e15, 1e15)), 0, 0),
    "ceil": (unary(floats(-1e15, 1e15)), 0, 0),
    "erf": (unary(floats(-10, 10)), 2, 0),
    "erfc": (unary(floats(-5, 26)), 2, 0),  # beyond 26.5 erfc is subnormal
    "gamma": (unary(floats(-10, 170).filter(not_a_pole)), 8, 0),
    "lgamma": (unary(floats(-10, 1e3).filter(not_a_pole)), 8, 1),
    "digamma": (unary(floats(-10, 1e3).filter(not_a_pole)), 1, 0),
    "atan2": (st.tuples(floats(-10, 10), floats(-10, 10)).filter(lambda a: a[0] != 0), 2, 0),
    "hypot": (st.tuples(floats(-1e300, 1e300), floats(-1e300, 1e300)), 2, 0),
    "pow": (
        st.one_of(
            st.tuples(floats(1e-3, 100), floats(-50, 50)),
            st.tuples(floats(-100, -1e-3), st.integers(-50, 50).map(float)),
        ),
        2,
        0,
    ),
}

# Points inside each function's domain, away from zeros and poles, for type and path checks.
INSIDE = {name: 0.625 for name in E} | {"acosh": 1.625, "pow": 1.625}
INSIDE_TOO = {name: 0.875 for name in E} | {"acosh": 1.875}


def ulps_off(result, exact, floor=0.0) -> float:
    """|result - exact| in units in the last place (of a float64) of max(|exact|, floor)."""
    scale = max(abs(float(exact)), floor)
    error = abs(mpmath.mpf(result) - exact)
    return 0.0 if error == 0 else float(error / np.spacing(scale))


def same_float(a, b) -> bool:
    """a and b are the same IEEE value: equal with equal signs (zeros, infinities), or nan."""
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def call(name, x):
    """Call the generic function with the sample x, repeated for a binary function."""
    return E[name](x) if name in g.UNARY else E[name](x, x)


def test_the_tables_cover_every_elementary_function():
    assert set(ACCURACY) == set(MPMATH) == set(E) == set(UNARY) | set(BINARY)


# ----------------------------------------------------------------------------- floats


@pytest.mark.parametrize("name", list(ACCURACY))
def test_float_method_agrees_with_mpmath_at_30_digits(name):
    inputs, ulps, floor = ACCURACY[name]

    @given(inputs)
    def check(args):
        result = E[name](*args)
        assert type(result) is float
        with mpmath.workdps(30):
            exact = MPMATH[name](*(mpmath.mpf(a) for a in args))
        assert ulps_off(result, exact, floor) <= ulps, (args, result, exact)

    check()


# Float results at the edges of each domain, as C99 Annex F, NumPy and compiled code give them.
nan, inf = math.nan, math.inf
IEEE_SPECIAL_VALUES = [
    ("sqrt", (-1.0,), nan), ("sqrt", (-0.0,), -0.0), ("sqrt", (inf,), inf), ("sqrt", (nan,), nan),
    ("log", (0.0,), -inf), ("log", (-1.0,), nan), ("log", (inf,), inf),
    ("log2", (0.0,), -inf), ("log10", (-1.0,), nan), ("log1p", (-1.0,), -inf),
    ("log1p", (-2.0,), nan), ("exp", (1000.0,), inf), ("exp", (-inf,), 0.0),
    ("expm1", (1000.0,), inf), ("expm1", (-inf,), -1.0), ("exp2", (2000.0,), inf),
    ("sinh", (-1000.0,), -inf), ("cosh", (1000.0,), inf), ("tanh", (-inf,), -1.0),
    ("asin", (2.0,), nan), ("acos", (-2.0,), nan), ("acosh", (0.5,), nan), ("atanh", (1.0,), inf),
    ("atanh", (-1.0,), -inf), ("atanh", (2.0,), nan), ("sin", (inf,), nan), ("cos", (-inf,), nan),
    ("tan", (inf,), nan), ("gamma", (0.0,), inf), ("gamma", (-0.0,), -inf), ("gamma", (-1.0,), nan),
    ("gamma", (200.0,), inf), ("gamma", (-inf,), nan), ("lgamma", (0.0,), inf),
    ("lgamma", (-3.0,), inf), ("lgamma", (inf,), inf), ("digamma", (0.0,), -inf),
    ("digamma", (-0.0,), inf), ("digamma", (-2.0,), nan), ("erf", (-inf,), -1.0),
    ("erfc", (-inf,), 2.0), ("cbrt", (-inf,), -inf), ("cbrt", (-0.0,), -0.0),
    ("floor", (inf,), inf), ("ceil", (-inf,), -inf), ("floor", (nan,), nan), ("abs", (-inf,), inf),
    ("sign", (nan,), nan), ("sign", (-inf,), -1.0),
    ("pow", (-1.0, 0.5), nan), ("pow", (0.0, -1.0), inf), ("pow", (-0.0, -1.0), -inf),
    ("pow", (10.0, 1000.0), inf), ("pow", (nan, 0.0), 1.0), ("pow", (1.0, nan), 1.0),
    ("pow", (-8.0, 1 / 3), nan), ("hypot", (inf, nan), inf), ("hypot", (1.5e308, 1.5e308), inf),
    ("atan2", (0.0, -0.0), math.pi), ("atan2", (-0.0, -1.0), -math.pi),
    ("atan2", (inf, inf), math.pi / 4),
]


@pytest.mark.parametrize(("name", "args", "expected"), IEEE_SPECIAL_VALUES)
def test_float_method_follows_ieee_not_math_exceptions(name, args, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and quietly: no RuntimeWarning from the fallback
        result = E[name](*args)
    assert type(result) is float
    assert same_float(result, expected)
    # NumPy arrays (ufuncs, SciPy for the special functions) agree at these points.
    with np.errstate(all="ignore"):
        assert same_float(E[name](*(np.array([a]) for a in args))[0], expected)


@pytest.mark.parametrize("name", UNARY)
@given(x=st.floats(allow_subnormal=False))  # SciPy's gammaln(5e-324) is inf, not 744.4
def test_float_method_never_raises_and_agrees_with_numpy_on_nan_and_inf(name, x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = E[name](x)
    with np.errstate(all="ignore"):
        reference = E[name](np.array([x]))[0]
    if name == "lgamma" and x == -inf:
        # C99 (and math.lgamma) give lgamma(-inf) = +inf; SciPy's gammaln gives -inf.
        reference = inf
    assert math.isnan(result) == math.isnan(reference)
    if math.isinf(result) or math.isinf(reference):
        assert result == reference


# ----------------------------------------------------------------------------- NumPy scalars


@pytest.mark.parametrize("name", list(E))
def test_float32_in_float32_out(name):
    x = np.float32(INSIDE[name])
    xs = np.array([INSIDE[name], INSIDE_TOO[name]], dtype=np.float32)
    scalar, array = call(name, x), call(name, xs)
    assert type(scalar) is np.float32
    assert array.dtype == np.float32
    # Computed in float32, not only cast: within 2 float32 ulps of the float64 result rounded to
    # float32 (NumPy's and SciPy's float32 loops are accurate to about one float32 ulp).
    exact = np.float32(call(name, float(x)))
    for result in (scalar, array[0]):
        assert abs(float(result) - float(exact)) <= 2 * float(np.spacing(abs(exact)))


@pytest.mark.parametrize("name", BINARY)
def test_float32_beside_python_numbers_stays_float32(name):
    x, xs = np.float32(1.625), np.array([1.625, 0.5], dtype=np.float32)
    assert type(E[name](x, 2.0)) is np.float32
    assert type(E[name](2.0, x)) is np.float32
    assert type(E[name](x, 2)) is np.float32
    assert E[name](xs, 2.0).dtype == np.float32
    assert E[name](2.0, xs).dtype == np.float32


@pytest.mark.parametrize("name", list(E))
def test_float64_scalars_and_arrays_agree_with_the_float_method(name):
    _, ulps, floor = ACCURACY[name]
    x = np.float64(INSIDE[name])
    scalar, array = call(name, x), call(name, np.array([INSIDE[name]]))
    assert type(scalar) is np.float64
    assert array.dtype == np.float64
    # Two implementations of the same function (libm or CPython against NumPy's or SciPy's
    # loops), each within `ulps` of the exact value, are within 2 * ulps of each other.
    reference = call(name, float(x))
    assert ulps_off(scalar, mpmath.mpf(reference), floor) <= 2 * ulps
    assert ulps_off(array[0], mpmath.mpf(reference), floor) <= 2 * ulps


# ----------------------------------------------------------------------------- mpmath


def inward(name, a) -> mpmath.mpf:
    """A 50-digit number next to the float a, on the side inside the function's domain."""
    return mpmath.mpf(a) * (1 + mpmath.mpf(10) ** -40 * (1 if name == "acosh" else -1))


@pytest.mark.parametrize("name", list(ACCURACY))
def test_mpf_at_50_digits_is_mpmaths_own_function(name):
    inputs, _, _ = ACCURACY[name]

    @given(inputs)
    def check(args):
        mpmath.mp.dps = 50
        # Only the first argument moves: pow's integral exponents of negative bases stay so.
        x = [inward(name, args[0]), *(mpmath.mpf(a) for a in args[1:])]
        result = E[name](*x)
        assert type(result) is mpmath.mpf
        assert result == MPMATH[name](*x)

    check()


OUT_OF_DOMAIN = [
    ("sqrt", (-1,)), ("log", (-1,)), ("log2", (-2,)), ("log10", (-1,)), ("log1p", (-2,)),
    ("asin", (2,)), ("acos", (-2,)), ("acosh", ("0.5",)), ("atanh", (2,)), ("gamma", (-1,)),
    ("digamma", (-2,)), ("pow", (-1, "0.5")),
]


@pytest.mark.parametrize(("name", "args"), OUT_OF_DOMAIN)
def test_real_mpf_function_out_of_its_domain_is_nan_not_mpc(name, args):
    mpmath.mp.dps = 50
    result = E[name](*(mpmath.mpf(a) for a in args))
    assert type(result) is mpmath.mpf
    assert mpmath.isnan(result)


@pytest.mark.parametrize(
    "name", [n for n in UNARY if n not in ("cbrt", "floor", "ceil", "erf", "erfc", "lgamma")]
)
def test_mpc_in_mpc_out_at_working_precision(name):
    mpmath.mp.dps = 50
    z = mpmath.mpc("0.3", "0.4")
    result = E[name](z)
    assert result == MPMATH[name](z)
    assert type(result) is (mpmath.mpf if name == "abs" else mpmath.mpc)


@pytest.mark.parametrize("name", BINARY)
def test_mpf_beside_python_numbers_stays_mpf(name):
    mpmath.mp.dps = 50
    x = mpmath.mpf(1) / 3
    for args in ((x, 2.0), (2.0, x), (x, 2), (2, x), (x, np.float64(2.0))):
        result = E[name](*args)
        assert type(result) is mpmath.mpf
        assert result == MPMATH[name](*(mpmath.mpf(a) for a in args))


# ----------------------------------------------------------------------------- uncertainties


UNCERTAIN = [n for n in E if n not in ("digamma", "sign", "floor", "ceil")]


@pytest.mark.parametrize("name", UNCERTAIN)
def test_uncertainties_propagate_through_umath(name):
    """The value is the float method's; the standard deviation is |f'(x)| * sigma, with f'
    from mpmath's numerical derivative of its own function (independent of umath)."""
    a = INSIDE[name]
    sx, sy = 1e-3, 2e-3
    x, y = ufloat(a, sx), ufloat(0.375, sy)
    with mpmath.workdps(30):
        f = MPMATH[name]
        if name in g.UNARY:
            result = E[name](x)
            expected_value = E[name](a)
            std = abs(mpmath.diff(f, a)) * sx
        else:
            result = E[name](x, y)
            expected_value = E[name](a, 0.375)
            dx = mpmath.diff(lambda t: f(t, mpmath.mpf(0.375)), a)
            dy = mpmath.diff(lambda t: f(mpmath.mpf(a), t), 0.375)
            std = mpmath.sqrt((dx * sx) ** 2 + (dy * sy) ** 2)  # independent x and y
    assert isinstance(result, AffineScalarFunc)
    # umath evaluates the same libm function, but exp2/log2/cbrt and lgamma go through other
    # formulas (2**x, log(x)/log(2), |x|**(1/3), umath's lgamma): a few ulps.
    assert math.isclose(result.nominal_value, expected_value, rel_tol=4 * F64_EPS)
    # umath's derivatives are analytic formulas evaluated in floats: ~1e-15 relative. 1e-12
    # still catches a wrong derivative (a factor, a sign, a missing chain rule). For gamma and
    # lgamma umath differentiates numerically (a difference quotient): ~1e-8 relative.
    rel_tol = 1e-6 if name in ("gamma", "lgamma") else 1e-12
    assert math.isclose(result.std_dev, float(std), rel_tol=rel_tol)


@pytest.mark.parametrize("name", BINARY)
def test_uncertainties_beside_python_numbers(name):
    x = ufloat(1.625, 1e-3)
    for args, plain in (((x, 2.0), (1.625, 2.0)), ((2.0, x), (2.0, 1.625))):
        result = E[name](*args)
        assert isinstance(result, AffineScalarFunc)
        assert math.isclose(result.nominal_value, E[name](*plain), rel_tol=4 * F64_EPS)
        assert result.std_dev > 0


@pytest.mark.parametrize("name", ["sign", "floor", "ceil"])
def test_uncertainties_piecewise_constant_functions_give_plain_floats(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # umath.floor / ceil and abs() are deprecated
        result = E[name](ufloat(-0.625, 0.1))
    assert type(result) is float
    assert result == E[name](-0.625)


def test_uncertainties_abs_is_not_deprecated_and_propagates():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = g.abs(ufloat(-0.625, 0.1))
    assert (result.nominal_value, result.std_dev) == (0.625, 0.1)


def test_uncertainties_have_no_digamma():
    with pytest.raises(g.MissingMethodError):
        g.digamma(ufloat(0.5, 0.1))


# ----------------------------------------------------------------------------- object arrays


@pytest.mark.parametrize("name", list(E))
def test_object_array_of_mpf_applies_elementwise(name):
    mpmath.mp.dps = 50
    tiny = mpmath.mpf(10) ** -30  # beyond a float's precision: 50 digits must survive
    elements = [mpmath.mpf(INSIDE[name]), mpmath.mpf(INSIDE_TOO[name]) + tiny]
    xs = np.array(elements, dtype=object)
    result = call(name, xs)
    assert result.dtype == object
    assert result.shape == xs.shape
    for r, e in zip(result, elements, strict=True):
        assert type(r) is mpmath.mpf
        assert r == call(name, e)


@pytest.mark.parametrize("name", BINARY)
def test_object_array_beside_floats_and_float_arrays(name):
    mpmath.mp.dps = 50
    xs = np.array([mpmath.mpf(13) / 8, mpmath.mpf(7) / 8], dtype=object)
    for args in ((xs, 2.0), (2.0, xs), (xs, np.array([2.0, 3.0])), (np.array([2.0, 3.0]), xs)):
        result = E[name](*args)
        assert result.dtype == object
        columns = np.broadcast_arrays(*(np.asarray(a, dtype=object) for a in args))
        for r, *elementwise in zip(result, *columns, strict=True):
            assert r == E[name](*elementwise)


def test_object_array_of_floats_uses_the_float_methods():
    xs = np.array([0.5, -1.0, 1000.0], dtype=object)
    with warnings.catch_warnings():
        # The float method is quiet, but the FPU flag its NumPy fallback raised is still set
        # when np.frompyfunc's loop ends, and NumPy reports it there.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = g.sqrt(xs)
    assert [type(r) for r in result] == [float, float, float]
    assert same_float(result[1], nan)  # IEEE in object arrays too


# ----------------------------------------------------------------------------- complex


COMPLEX = [
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh",
    "atanh", "exp", "expm1", "exp2", "log", "log1p", "log2", "log10", "sqrt", "sign",
]


def off_the_axes(t: float) -> bool:
    # Branch cuts lie on the axes, where cmath and mpmath may pick different sides, and near
    # the branch points (+-1, +-i) a 30-digit mpmath cancels more than the float functions do.
    return abs(math.sin(t)) > 1e-6 and abs(math.cos(t)) > 1e-6


def complex_numbers():
    # Moduli from 1e-8 (where expm1 and log1p must not cancel) to 20.
    return st.builds(
        lambda r, t: complex(r * math.cos(t), r * math.sin(t)),
        st.floats(-8, 1.3).map(lambda e: 10.0**e),
        st.floats(-math.pi, math.pi).filter(off_the_axes),
    )


@pytest.mark.parametrize("name", COMPLEX)
@given(z=complex_numbers())
def test_complex_method_agrees_with_mpmath(name, z):
    result = E[name](z)
    assert isinstance(result, complex)
    with mpmath.workdps(30):
        exact = MPMATH[name](mpmath.mpc(z))
        error = abs(mpmath.mpc(result) - exact) / abs(exact)
    # cmath and NumPy's complex functions are accurate to a few ulps normwise (measured < 2);
    # 8 eps catches a cancelling formula (NumPy's own complex log1p is off by 1e-8 near 0).
    assert error <= 8 * F64_EPS, (z, result, exact)


def test_complex_abs_is_real_and_real_only_functions_have_no_complex_method():
    assert g.abs(3 + 4j) == 5.0
    assert type(g.abs(3 + 4j)) is float
    for name in ("cbrt", "floor", "ceil", "erf", "erfc", "gamma", "lgamma", "digamma"):
        with pytest.raises(g.MissingMethodError):
            E[name](1 + 1j)
    for name in ("atan2", "hypot"):
        with pytest.raises(g.MissingMethodError):
            E[name](1 + 1j, 1.0)


def test_complex_pow_and_numpy_complex():
    assert g.pow(-1.0 + 0j, 0.5) == pytest.approx(1j, abs=1e-16)  # complex in, complex root
    assert g.pow(2.0, 1j) == 2.0**1j
    z = np.array([0.5 + 0.5j], dtype=np.complex64)
    assert g.exp(z).dtype == np.complex64
    assert type(g.sqrt(np.complex128(-1))) is np.complex128


# ----------------------------------------------------------------------------- mixed kinds


@pytest.mark.parametrize("name", BINARY)
def test_binary_functions_mix_argument_kinds(name):
    x, y = 1.625, 0.5
    expected = E[name](x, y)
    arr = np.array([x, x])
    cases = [
        ((x, np.array([y, y])), np.ndarray),
        ((arr, y), np.ndarray),
        ((arr, np.array([y, y])), np.ndarray),
        ((np.float64(x), y), np.float64),
        ((x, np.float64(y)), np.float64),
        ((np.float64(x), np.array([y])), np.ndarray),
        ((mpmath.mpf(x), y), mpmath.mpf),
        ((x, mpmath.mpf(y)), mpmath.mpf),
        ((ufloat(x, 0.1), y), AffineScalarFunc),
        ((xps.asarray([x, x]), y), type(xps.asarray(0.0))),
        ((x, xps.asarray([y, y])), type(xps.asarray(0.0))),
    ]
    for args, kind in cases:
        result = E[name](*args)
        assert isinstance(result, kind), (args, type(result))
        values = np.asarray(g.value(result), dtype=float).ravel()
        # NumPy's loops and libm/CPython's scalar functions agree to an ulp or two.
        np.testing.assert_allclose(values, expected, rtol=4 * F64_EPS)


def test_float_pow_of_a_negative_base_is_nan_not_complex():
    assert same_float(g.pow(-8.0, 1 / 3), nan)
    assert g.pow(-2.0, 3.0) == -8.0
    assert g.pow(2, 3) == 8


# ----------------------------------------------------------------------------- array API


ARRAY_API = [n for n in E if n not in ("erf", "erfc", "gamma", "lgamma", "digamma")]


@pytest.mark.parametrize("name", ARRAY_API)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_array_api_strict_matches_numpy(name, dtype):
    values = [INSIDE[name], 0.875, 1.5, -0.25] if name not in ("acosh",) else [1.625, 2.0, 7.5]
    with np.errstate(all="ignore"):
        xp_array = xps.asarray(values, dtype=getattr(xps, dtype))
        np_array = np.asarray(values, dtype=dtype)
        result = call(name, xp_array)
        expected = call(name, np_array)
    assert type(result) is type(xp_array)
    assert result.dtype == xp_array.dtype
    got = np.asarray(result)
    # The same NumPy loops underneath: bitwise equal, except exp2 (pow(2, x) against exp2: an
    # ulp) and cbrt (the standard lacks it: pow plus a Newton step, within an ulp of np.cbrt).
    ulps = 2 if name in ("exp2", "cbrt") else 0
    spacing = np.spacing(np.abs(expected).astype(dtype))
    with np.errstate(invalid="ignore"):
        close = (got == expected) | (np.abs(got - expected) <= ulps * spacing)
    assert np.all(close | (np.isnan(got) & np.isnan(expected))), (got, expected)


def test_array_api_cbrt_is_accurate_at_the_extremes():
    x = np.array([-1e300, -3e-300, 1e-310, 0.0, -0.0, 2e300, np.inf, -np.inf, np.nan])
    got = np.asarray(g.cbrt(xps.asarray(x)))
    with mpmath.workdps(30):
        for r, v in zip(got, x, strict=True):
            if math.isfinite(v) and v != 0:
                exact = mpmath.sign(v) * mpmath.cbrt(abs(mpmath.mpf(v)))
                # sign(x) |x|**(1/3) alone is 50 ulps off at 1e300; the Newton step makes it 1.
                assert ulps_off(r, exact) <= 1
            else:
                assert same_float(r, v)  # zeros, infinities and nan are their own cube roots


def test_array_api_has_no_special_functions():
    for name in ("erf", "erfc", "gamma", "lgamma", "digamma"):
        with pytest.raises(g.MissingMethodError):
            E[name](xps.asarray([0.5]))


def test_array_api_protocol_functions():
    x = xps.asarray([3.0, -4.0])
    x32 = xps.asarray([1.0], dtype=xps.float32)
    z = xps.asarray([3 + 4j])
    assert g.value(x) is x
    assert type(g.norm(x)) is float
    assert g.norm(x) == math.sqrt(12.5)
    assert g.norm(xps.asarray([], dtype=xps.float64)) == 0.0
    assert g.norm(z) == 5.0
    assert g.eps(x) == F64_EPS
    assert g.eps(x32) == F32_EPS
    assert g.eltype(x) is float  # Python scalars keep an array's precision in the standard
    assert g.eltype(z) is complex
    assert np.array_equal(np.asarray(g.imag(x)), [0.0, 0.0])  # the standard's imag is complex-only
    assert g.real(x) is x and g.conj(x) is x
    assert np.array_equal(np.asarray(g.imag(z)), [4.0])
    assert np.array_equal(np.asarray(g.conj(z)), [3 - 4j])
    assert np.array_equal(np.asarray(g.isfinite(xps.asarray([1.0, math.inf]))), [True, False])


# ----------------------------------------------------------------------------- value, norm


def test_value_drops_perturbations_and_keeps_plain_numbers():
    assert g.value(1.5) == 1.5
    assert type(g.value(np.float32(1.5))) is np.float32
    assert type(g.value(np.float64(1.5))) is np.float64
    assert g.value(mpmath.mpf(1) / 3) == 1 / 3 and type(g.value(mpmath.mpf(1))) is float
    assert g.value(mpmath.mpc(1, 2)) == 1 + 2j
    assert g.value(ufloat(1.5, 0.1)) == 1.5
    arr = np.array([1.0, 2.0])
    assert g.value(arr) is arr
    objects = np.array([ufloat(1.5, 0.1), ufloat(2.5, 0.2)], dtype=object)
    assert g.value(objects).dtype == np.float64
    assert list(g.value(objects)) == [1.5, 2.5]
    mps = np.array([mpmath.mpf(1) / 3], dtype=object)
    assert g.value(mps).dtype == np.float64


@given(st.lists(floats(-1e150, 1e150), max_size=50))
def test_norm_is_the_root_mean_square(xs):
    result = g.norm(np.array(xs))
    assert type(result) is float
    if not xs:
        assert result == 0.0
        return
    exact = math.sqrt(math.fsum(x * x for x in xs) / len(xs))
    # NumPy sums pairwise: ~log2(n) eps relative; 1e-13 is loose for n <= 50 and still catches a
    # sum instead of a mean, a missing square root or a max-norm.
    assert math.isclose(result, exact, rel_tol=1e-13, abs_tol=1e-300)


def test_norm_of_scalars_and_object_arrays():
    assert g.norm(-2.0) == 2.0 and type(g.norm(-2)) is float
    assert g.norm(np.float32(-2.0)) == 2.0 and type(g.norm(np.float32(-2.0))) is float
    assert g.norm(3 + 4j) == 5.0
    assert g.norm(np.complex64(3 + 4j)) == 5.0
    assert g.norm(mpmath.mpf(-2)) == 2.0 and type(g.norm(mpmath.mpf(-2))) is float
    assert g.norm(ufloat(-3.0, 1.0)) == 3.0  # values only, as for measurements
    assert g.norm(np.array([3.0 + 4j, 0.0])) == math.sqrt(12.5)
    objects = np.array([mpmath.mpf(3), mpmath.mpf(-4)], dtype=object)
    assert g.norm(objects) == math.sqrt(12.5)
    uncertain = np.array([ufloat(3.0, 1.0), ufloat(-4.0, 1.0)], dtype=object)
    assert g.norm(uncertain) == math.sqrt(12.5)


def test_norm_of_empty_arrays_is_zero():
    assert g.norm(np.array([])) == 0.0
    assert g.norm(np.zeros((0, 3), dtype=np.float32)) == 0.0
    assert g.norm(np.array([], dtype=object)) == 0.0


# ----------------------------------------------------------------------------- eps, eltype


def test_eps_of_types_and_instances():
    assert g.eps(float) == F64_EPS and g.eps(1.0) == F64_EPS
    assert g.eps(complex) == F64_EPS and g.eps(1j) == F64_EPS
    assert g.eps(np.float64) == F64_EPS and g.eps(np.float64(1.0)) == F64_EPS
    assert g.eps(np.float32) == F32_EPS and g.eps(np.float32(1.0)) == F32_EPS
    assert g.eps(np.complex64(1j)) == F32_EPS
    assert g.eps(np.longdouble) == np.finfo(np.longdouble).eps
    assert g.eps(np.zeros(3, dtype=np.float32)) == F32_EPS
    assert g.eps(np.zeros(3)) == F64_EPS
    assert g.eps(ufloat(1.0, 0.1)) == F64_EPS


@pytest.mark.parametrize("dps", [15, 30, 50])
def test_eps_of_mpf_follows_the_working_precision(dps):
    mpmath.mp.dps = dps
    expected = mpmath.mpf(2) ** (1 - mpmath.mp.prec)
    assert g.eps(mpmath.mpf) == expected
    assert g.eps(mpmath.mpf(1)) == expected
    assert g.eps(mpmath.mpc) == expected
    assert g.eps(np.array([mpmath.mpf(1)], dtype=object)) == expected


def test_eltype():
    assert g.eltype(1.0) is float and g.eltype(1) is int and g.eltype(1j) is complex
    assert g.eltype(np.float32(1)) is np.float32
    assert g.eltype(np.zeros(2, dtype=np.float32)) is np.float32
    assert g.eltype(np.zeros(2)) is np.float64
    assert g.eltype(mpmath.mpf(1)) is mpmath.mpf
    assert g.eltype(ufloat(1, 0.1)) is AffineScalarFunc
    assert g.eltype(np.array([mpmath.mpf(1), mpmath.mpf(2)], dtype=object)) is mpmath.mpf
    # Python numbers beside one exotic type take that type; Python numbers alone are float.
    assert g.eltype(np.array([mpmath.mpf(1), 2.0, 3], dtype=object)) is mpmath.mpf
    assert g.eltype(np.array([1, 2.0], dtype=object)) is float
    assert g.eltype(np.array([], dtype=object)) is float


def test_eltype_of_an_object_array_mixing_number_types_is_an_error():
    mixed = np.array([mpmath.mpf(1), ufloat(1, 0.1)], dtype=object)
    with pytest.raises(TypeError, match="mixes number types") as info:
        g.eltype(mixed)
    assert "mpf" in str(info.value) and "Variable" in str(info.value)


# ----------------------------------------------------------------------------- real, imag, ...


def test_real_imag_conj_isfinite_of_scalars_and_arrays():
    assert (g.real(2.0), g.imag(2.0), g.conj(2.0)) == (2.0, 0.0, 2.0)
    assert g.imag(math.inf) == 0.0 and not math.isnan(g.imag(math.nan))  # not x * 0
    assert (g.real(3 + 4j), g.imag(3 + 4j), g.conj(3 + 4j)) == (3.0, 4.0, 3 - 4j)
    z = np.complex64(3 + 4j)
    assert (g.real(z), g.imag(z)) == (3.0, 4.0) and type(g.real(z)) is np.float32
    assert g.conj(z) == np.complex64(3 - 4j)
    assert g.imag(np.float32(2)) == 0 and type(g.imag(np.float32(2))) is np.float32
    assert np.array_equal(g.imag(np.array([1 + 2j])), [2.0])
    assert g.real(mpmath.mpc(1, 2)) == 1 and g.imag(mpmath.mpf(1)) == 0
    assert g.isfinite(1.0) and not g.isfinite(math.inf) and not g.isfinite(complex(0, math.nan))
    assert g.isfinite(np.float32(1)) and not g.isfinite(np.float64(math.nan))
    assert not g.isfinite(mpmath.mpf("inf")) and not g.isfinite(ufloat(math.inf, 1))
    assert np.array_equal(g.isfinite(np.array([1.0, math.nan])), [True, False])


# ----------------------------------------------------------------------------- convert


def fractions_():
    return st.fractions(max_denominator=10**40).filter(lambda q: q != 0) | st.builds(
        Fraction, st.integers(1, 10**60), st.integers(1, 10**60)
    )


def as_fraction(x) -> Fraction:
    if isinstance(x, mpmath.mpf):
        man, exp = mpmath.mpf(x).man_exp
        return Fraction(man) * Fraction(2) ** exp
    return Fraction(*x.as_integer_ratio())


def assert_nearest(result, q: Fraction, T):
    """result is a nearest T to q: no neighbour of result is closer (checked exactly)."""
    error = abs(as_fraction(result) - q)
    for neighbour in (np.nextafter(result, T(math.inf)), np.nextafter(result, T(-math.inf))):
        assert error <= abs(as_fraction(neighbour) - q), (q, result, neighbour)


@given(fractions_())
def test_convert_fraction_to_float_is_correctly_rounded(q):
    result = g.convert(float, q)
    assert type(result) is float
    assert result == float(q)  # Python's Fraction -> float rounds once, correctly


@pytest.mark.parametrize("T", [np.float32, np.float64, np.longdouble])
@given(q=fractions_())
def test_convert_fraction_to_numpy_floats_rounds_once_from_the_exact_value(T, q):
    assume(1e-30 < abs(q) < 1e30)  # float32's normal range is 1.2e-38 to 3.4e38
    result = g.convert(T, q)
    assert type(result) is T
    assert_nearest(result, q, T)


def test_convert_to_float32_does_not_round_twice():
    # float64 rounds 1 + 2**-24 + 2**-60 to the float32 midpoint 1 + 2**-24, which float32
    # would round to even (1.0); the exact value lies above the midpoint.
    q = 1 + Fraction(1, 2**24) + Fraction(1, 2**60)
    assert g.convert(np.float32, q) == np.float32(1 + 2**-23)
    assert np.float32(float(q)) == np.float32(1.0)  # the trap: rounding through float64


@pytest.mark.parametrize("T", [float, np.float32, np.float64, np.longdouble])
def test_convert_decimal_strings(T):
    for s in ("0.1", "-2.5e-3", "1234567.891011121314151617", "3"):
        result = g.convert(T, s)
        assert type(result) is T
        assert_nearest(T(result), Fraction(s), T if T is not float else np.float64)


def test_convert_to_complex_types():
    assert g.convert(complex, Fraction(1, 3)) == complex(1 / 3)
    assert type(g.convert(complex, "0.1")) is complex
    assert g.convert(np.complex64, "0.1") == np.complex64(np.float32(0.1))
    assert type(g.convert(np.complex128, "0.1")) is np.complex128
    third = Fraction(1, 3)
    assert g.convert(np.clongdouble, third).real == g.convert(np.longdouble, third)


def test_convert_to_mpf_at_50_digits_is_exact_to_the_last_digit():
    mpmath.mp.dps = 50
    third = g.convert(mpmath.mpf, Fraction(1, 3))
    assert type(third) is mpmath.mpf
    assert mpmath.nstr(third, 50) == "0." + "3" * 50
    tenth = g.convert(mpmath.mpf, "0.1")
    assert tenth == mpmath.mpf("0.1") and tenth != mpmath.mpf(0.1)  # not through a float
    digits = "0.12345678901234567890123456789012345678901234567891"
    assert mpmath.nstr(g.convert(mpmath.mpf, digits), 50) == digits
    assert g.convert(mpmath.mpc, "0.1") == mpmath.mpc(mpmath.mpf("0.1"))


@given(fractions_())
def test_convert_fraction_to_mpf_is_correctly_rounded(q):
    mpmath.mp.dps = 50
    result = g.convert(mpmath.mpf, q)
    # Reference: q divided out 400 bits beyond the working precision (numerators here have
    # fewer bits, so exactly), then rounded once to it. A second rounding could only matter
    # within 2**-400 of a midpoint, which a fraction with a small denominator cannot be.
    with mpmath.workprec(mpmath.mp.prec + 400):
        wide = mpmath.mpf(q.numerator) / q.denominator
    assert result == +wide


def test_convert_to_types_without_more_precision_is_float():
    assert g.convert(AffineScalarFunc, Fraction(1, 3)) == 1 / 3
    assert type(g.convert(AffineScalarFunc, "0.5")) is float
