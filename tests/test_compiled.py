"""Numba overloads of the generic functions: compiled code calling ``g.sin`` and friends gives
what the interpreted generic call gives, on float64 scalars and arrays.

Scalars: the compiled overload calls the same C library function as the interpreted float method
(``math.sin`` is libm's ``sin`` in both), so the results are bitwise equal. The exceptions are
the functions CPython implements itself instead of calling libm: ``hypot`` (within 1 ulp of
libm's), ``gamma`` and ``lgamma`` (a Lanczos sum; libm's and CPython's are each a few ulps from
the exact value, so they are within 8 ulps of each other, lgamma in units of max(|value|, 1),
as it has zeros at 1 and 2).

Arrays: numba's loops call libm per element; NumPy's ufunc loops dispatch at run time to SIMD
kernels on some CPUs (SVML on AVX-512, its own tanh), accurate to about 4 ulps, and the special
functions go through SciPy (Cephes). So arrays agree within 4 ulps (bitwise where NumPy calls
libm too), gamma within 8 and lgamma within 8 units of max(|value|, 1).
"""

from __future__ import annotations

import functools
import math
import zlib

import numpy as np
import pytest
from numba import njit
from numba.core.errors import TypingError

import generic as g

E = g.ELEMENTARY
COMPILED = [name for name in E if name != "digamma"]  # numba has no digamma (nor SciPy's)

# Sample domain of each function: inside it, away from overflow.
DOMAIN = {name: (-20.0, 20.0) for name in E} | {
    "asin": (-1.0, 1.0), "acos": (-1.0, 1.0), "atanh": (-1.0, 1.0), "acosh": (1.0, 100.0),
    "log": (0.0, 1e3), "log1p": (-1.0, 1e3), "log2": (0.0, 1e3), "log10": (0.0, 1e3),
    "sqrt": (0.0, 1e3), "gamma": (-10.0, 170.0), "lgamma": (-10.0, 1e3), "exp": (-700.0, 700.0),
    "expm1": (-700.0, 700.0), "exp2": (-1000.0, 1000.0), "sinh": (-700.0, 700.0),
    "cosh": (-700.0, 700.0), "tan": (-100.0, 100.0),
    "erfc": (-5.0, 5.0),
}
# inf, nan, signed zeros, and points outside most domains: IEEE results must agree too.
SPECIAL = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, -1.0, -2.5, 1.0, 2.0, 1e300, -1e300])

# Tolerances in ulps (scalar, array) and the floor of the ulp scale, see the module docstring.
TOLERANCE = {name: (0, 4, 0.0) for name in E} | {
    "hypot": (1, 4, 0.0), "gamma": (8, 8, 0.0), "lgamma": (8, 8, 1.0),
    # SciPy's erfc (the interpreted array method) loses accuracy like x**2 eps: 27 ulps at
    # x = 5, 470 at x = 25; libm's (compiled, and the float method) stays within 2.
    "erfc": (0, 32, 0.0),
}


def points(name: str, n: int = 64) -> np.ndarray:
    lo, hi = DOMAIN[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))  # the same points in every run
    return np.concatenate([np.linspace(lo, hi, n), rng.uniform(lo, hi, n), SPECIAL])


@functools.cache
def compiled(name: str):
    """One compiled function per generic function: the scalar overload in a loop, and the
    array overloads (both arguments arrays, and an array beside a scalar for binary ones)."""
    f = E[name]
    if name in g.UNARY:

        @njit
        def run(xs):
            out = np.empty_like(xs)
            for i in range(xs.size):
                out[i] = f(xs[i])
            return out, f(xs)

    else:

        @njit
        def run(xs, ys):
            out = np.empty_like(xs)
            for i in range(xs.size):
                out[i] = f(xs[i], ys[i])
            return out, f(xs, ys), f(xs, ys[1]), f(xs[1], ys)

    return run


def ulps_apart(a: np.ndarray, b: np.ndarray, floor: float) -> np.ndarray:
    """Distance of a from b in ulps of max(|b|, floor); 0 where both are the same nan or inf."""
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    scale = np.spacing(np.maximum(np.abs(b), floor))
    with np.errstate(invalid="ignore", over="ignore"):
        distance = np.abs(a - b) / scale
    return np.where(same, 0.0, np.nan_to_num(distance, nan=np.inf))


def interpreted_scalars(name, *columns) -> np.ndarray:
    return np.array([E[name](*(float(c[i]) for c in columns)) for i in range(len(columns[0]))])


@pytest.mark.parametrize("name", COMPILED)
def test_compiled_scalar_equals_interpreted_float_method(name):
    xs = points(name)
    scalar_ulps, _, floor = TOLERANCE[name]
    with np.errstate(all="ignore"):
        if name in g.UNARY:
            got = compiled(name)(xs)[0]
            expected = interpreted_scalars(name, xs)
        else:
            ys = points("sin")[::-1].copy()
            got = compiled(name)(xs, ys)[0]
            expected = interpreted_scalars(name, xs, ys)
    assert got.dtype == np.float64
    distance = ulps_apart(got, expected, floor)
    assert distance.max() <= scalar_ulps, (xs[distance.argmax()], got[distance.argmax()])
    # Signed zeros too: floor(-0.5) is -0.0 on both paths.
    zeros = expected == 0
    assert np.array_equal(np.signbit(got[zeros]), np.signbit(expected[zeros]))


@pytest.mark.parametrize("name", COMPILED)
def test_compiled_arrays_equal_interpreted_ndarray_method(name):
    xs = points(name)
    if name == "lgamma":  # C99's lgamma(-inf) is +inf (libm, compiled); SciPy's gammaln gives -inf
        xs = xs[xs != -np.inf]
    _, array_ulps, floor = TOLERANCE[name]
    with np.errstate(all="ignore"):
        if name in g.UNARY:
            results = compiled(name)(xs)[1:]
            expected = [E[name](xs)]
        else:
            ys = points("sin")[::-1][: xs.size].copy()
            results = compiled(name)(xs, ys)[1:]
            expected = [E[name](xs, ys), E[name](xs, ys[1]), E[name](xs[1], ys)]
    for got, want in zip(results, expected, strict=True):
        assert got.dtype == np.float64 and got.shape == want.shape
        distance = ulps_apart(got, want, floor)
        assert distance.max() <= array_ulps, (xs[distance.argmax()], got[distance.argmax()])


def test_digamma_has_no_compiled_method():
    # Compiled code calling g.digamma fails to compile, so solve() takes the generic path.
    @njit
    def use(x):
        return g.digamma(x)

    with pytest.raises(TypingError):
        use(0.5)


def test_protocol_functions_compile():
    @njit
    def protocol(x, xs):
        return (g.value(x), g.value(xs), g.norm(x), g.norm(xs), g.norm(xs[:0]),
                g.isfinite(x), g.isfinite(xs))

    xs = np.array([3.0, -4.0, np.inf, np.nan, 1e-300])
    finite = xs[:2].copy()
    value, values, norm, norms, empty, isfinite, isfinites = protocol(-2.5, finite)
    assert value == -2.5 and np.array_equal(values, finite)
    assert norm == 2.5 and norm == g.norm(-2.5)
    assert empty == 0.0
    assert norms == g.norm(finite) == math.sqrt(12.5)
    assert isfinite and np.array_equal(isfinites, [True, True])
    assert np.array_equal(protocol(math.inf, xs)[6], g.isfinite(xs))
    assert not protocol(math.nan, xs)[5] and not g.isfinite(math.nan)


def test_compiled_norm_is_the_interpreted_norm():
    @njit
    def norm(xs):
        return g.norm(xs)

    xs = np.random.default_rng(1).normal(size=1000)
    # numba's np.mean sums left to right, NumPy's pairwise: both within n * eps of the exact
    # mean square, so within 1000 * eps of each other (in practice a few ulps).
    assert math.isclose(norm(xs), g.norm(xs), rel_tol=1000 * 2.0**-52)
    assert type(norm(xs)) is float
