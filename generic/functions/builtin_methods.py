"""Methods of the generic functions for Python numbers and NumPy scalars and arrays.

Floats follow IEEE semantics as NumPy and compiled code do: a domain error gives nan and an
overflow gives inf (``math`` would raise), so the generic and compiled paths agree. NumPy
scalars and arrays keep their precision (float32 in, float32 out). Object arrays apply the
generic function elementwise, so an array of mpf or of duals works like its elements.
"""

from __future__ import annotations

import cmath
import math
import sys
from functools import cache

import mpmath
import numpy as np
import plum

from ..dispatch import convert, dispatch, register
from .core import (
    SMALL_STATE,
    compress,
    conj,
    derivative,
    diagonal_apply,
    eltype,
    eps,
    identity_like,
    imag,
    isfinite,
    maximum,
    norm,
    pack,
    pack_objects,
    real,
    stage_buffer,
    stage_sum,
    state_jacobian,
    time_derivative,
    uncertainty,
    value,
)
from .elementary import BINARY, ELEMENTARY, UNARY

Real = int | float
NumpyScalar = np.floating | np.complexfloating | np.integer

def _array_special(scipy_name: str, scalar):
    """The array method of a special function: SciPy's ufunc when SciPy is importable, else
    ``scalar`` elementwise. SciPy is imported on the first call (it costs ~0.4 s at start-up)."""
    def special(x):
        return _special_function(scipy_name, scalar)(x)
    special.__name__ = scipy_name
    return special


@cache
def _special_function(scipy_name: str, scalar):
    try:
        import scipy.special
    except ImportError:  # pragma: no cover - SciPy is a test dependency, optional at run time
        return np.vectorize(scalar, otypes=[float])
    return getattr(scipy.special, scipy_name)


def _digamma_float(x: float) -> float:
    if x == 0:  # a pole signed as gamma's, as SciPy's psi (the array method) has it
        return -math.copysign(math.inf, x)
    return float(mpmath.digamma(x)) if not (x < 0 and x == math.floor(x)) else math.nan


def _cbrt_float(x: float) -> float:  # abs(x) ** (1 / 3) is 50 ulps off near 1e300
    return float(np.cbrt(x))


_cbrt_float = getattr(math, "cbrt", _cbrt_float)  # Python >= 3.11; the same libm cbrt


def _log1p_complex(z: complex) -> complex:  # NumPy's complex log1p loses all digits near 0
    if abs(z) > 0.5:
        return cmath.log(1 + z)
    x, y = z.real, z.imag  # log|1 + z| = log1p(2x + x**2 + y**2) / 2
    return complex(0.5 * math.log1p(x * (2 + x) + y * y), math.atan2(y, 1 + x))


def _sign_float(x: float) -> float:
    return x if x != x else float((x > 0) - (x < 0))


# name -> (float function, NumPy function of arrays and NumPy scalars, complex function or None)
_TABLE = {
    "sin": (math.sin, np.sin, cmath.sin),
    "cos": (math.cos, np.cos, cmath.cos),
    "tan": (math.tan, np.tan, cmath.tan),
    "asin": (math.asin, np.arcsin, cmath.asin),
    "acos": (math.acos, np.arccos, cmath.acos),
    "atan": (math.atan, np.arctan, cmath.atan),
    "sinh": (math.sinh, np.sinh, cmath.sinh),
    "cosh": (math.cosh, np.cosh, cmath.cosh),
    "tanh": (math.tanh, np.tanh, cmath.tanh),
    "asinh": (math.asinh, np.arcsinh, cmath.asinh),
    "acosh": (math.acosh, np.arccosh, cmath.acosh),
    "atanh": (math.atanh, np.arctanh, cmath.atanh),
    "exp": (math.exp, np.exp, cmath.exp),
    "expm1": (math.expm1, np.expm1, np.expm1),
    "exp2": (getattr(math, "exp2", lambda x: 2.0**x), np.exp2, np.exp2),  # math.exp2: 3.11+
    "log": (math.log, np.log, cmath.log),
    "log1p": (math.log1p, np.log1p, _log1p_complex),
    "log2": (math.log2, np.log2, np.log2),
    "log10": (math.log10, np.log10, cmath.log10),
    "sqrt": (math.sqrt, np.sqrt, cmath.sqrt),
    "cbrt": (_cbrt_float, np.cbrt, None),
    "abs": (abs, np.abs, abs),
    "sign": (_sign_float, np.sign, lambda z: z / abs(z) if z else 0j),
    # floor and ceil keep x's sign, also of a zero: ceil(-0.5) is -0.0, as in NumPy
    "floor": (lambda x: math.copysign(math.floor(x), x) if math.isfinite(x) else x, np.floor, None),
    "ceil": (lambda x: math.copysign(math.ceil(x), x) if math.isfinite(x) else x, np.ceil, None),
    "erf": (math.erf, _array_special("erf", math.erf), None),
    "erfc": (math.erfc, _array_special("erfc", math.erfc), None),
    "gamma": (math.gamma, _array_special("gamma", math.gamma), None),
    "lgamma": (math.lgamma, _array_special("gammaln", math.lgamma), None),
    "digamma": (_digamma_float, _array_special("psi", _digamma_float), None),
    "atan2": (math.atan2, np.arctan2, None),
    "hypot": (math.hypot, np.hypot, None),
    "pow": (math.pow, np.power, lambda x, y: x**y),  # x**y of floats may be complex
}


def _ieee(float_fn, numpy_fn):
    """The float method: ``float_fn``, falling back to NumPy's IEEE result (nan, inf) where
    ``math`` raises a domain or range error."""

    def method(*args):
        try:
            return float_fn(*args)
        except (ValueError, OverflowError, ZeroDivisionError):
            with np.errstate(all="ignore"):
                return float(numpy_fn(*(float(a) for a in args)))

    return method


def elementwise(func: plum.Function):
    """A method that applies ``func`` to each element of object arrays (other args broadcast)."""
    ufunc_cache = {}

    def method(*args):
        nin = len(args)
        if nin not in ufunc_cache:
            ufunc_cache[nin] = np.frompyfunc(func, nin, 1)
        return ufunc_cache[nin](*args)

    return method


def _numpy_array_method(func: plum.Function, numpy_fn):
    apply_elementwise = elementwise(func)

    def method(*args):
        if any(isinstance(a, np.ndarray) and a.dtype == object for a in args):
            return apply_elementwise(*args)
        return numpy_fn(*args)

    return method


for _name, (_float_fn, _numpy_fn, _complex_fn) in _TABLE.items():
    _func = ELEMENTARY[_name]
    _n = 1 if _name in UNARY else 2
    assert _name in UNARY or _name in BINARY
    register(_func, _ieee(_float_fn, _numpy_fn), *([Real] * _n))
    if _complex_fn is not None:
        register(_func, _complex_fn, *([complex | Real] * _n), precedence=-1)
    # NumPy scalars keep their precision, also beside Python numbers. np.float64 is also a float
    # and np.ndarray also an Array: the precedences pick one winner in each such tie.
    _array_method = _numpy_array_method(_func, _numpy_fn)
    if _n == 1:
        register(_func, _numpy_fn, NumpyScalar, precedence=1)
        register(_func, _array_method, np.ndarray)
    else:
        register(_func, _numpy_fn, NumpyScalar, NumpyScalar | Real, precedence=2)
        register(_func, _numpy_fn, Real, NumpyScalar, precedence=1)
        _Other = Real | NumpyScalar | np.ndarray
        register(_func, _array_method, np.ndarray, _Other, precedence=3)
        register(_func, _array_method, Real | NumpyScalar, np.ndarray, precedence=3)


# ----------------------------------------------------------------------------- protocol


@dispatch
def value(x: Real | complex):
    return x


@dispatch(precedence=1)
def value(x: NumpyScalar):
    return x


@dispatch
def value(x: np.ndarray):
    if x.dtype != object:
        return x
    return np.asarray(elementwise(value)(x).tolist())


@dispatch(precedence=1)
def norm(x: Real | complex | NumpyScalar):
    return float(abs(x))


@dispatch
def norm(x: np.ndarray):
    if x.size == 0:
        return 0.0
    if x.dtype == object:
        squares = [norm(e) ** 2 for e in x.flat]
        return math.sqrt(math.fsum(squares) / x.size)
    flat = x.reshape(-1)
    squares = float(np.vdot(flat, flat).real) if flat.dtype.itemsize >= 8 or \
        flat.dtype.kind == "c" else float(np.vdot(flat.astype(np.float64), flat))  # Σ|x_i|²
    if math.isfinite(squares) and squares < 1e300:
        return math.sqrt(float(squares) / x.size)
    return float(np.sqrt(np.mean(np.abs(x) ** 2)))  # overflowing squares: the careful way


@dispatch
def eps(x: Real | complex):
    return sys.float_info.epsilon


@dispatch(precedence=1)  # np.float64 is also a float
def eps(x: NumpyScalar):
    return np.finfo(x).eps if isinstance(x, np.inexact) else sys.float_info.epsilon


@dispatch
def eps(x: np.ndarray):
    if x.dtype.kind in "fc":
        return np.finfo(x.dtype).eps
    if x.dtype.kind == "O" and x.size:
        return eps(convert(eltype(x), 0))
    return sys.float_info.epsilon


@dispatch(precedence=1)
def eltype(x: Real | complex | NumpyScalar):
    return type(x)


@dispatch
def eltype(x: np.ndarray):
    if x.dtype != object:
        return x.dtype.type
    types = {type(e) for e in x.flat}
    exotic = {t for t in types if t not in (int, float, bool)}
    if len(types) == 1:
        return types.pop()
    if len(exotic) == 1:
        return exotic.pop()
    if not exotic:
        return float
    names = ", ".join(sorted(t.__qualname__ for t in exotic))
    raise TypeError(
        f"object array mixes number types ({names}); convert its elements to one type "
        f"before solving, e.g. np.array([T(e) for e in x], dtype=object)"
    )


@dispatch(precedence=1)
def real(x: Real | np.floating | np.integer):
    return x


@dispatch(precedence=1)
def imag(x: Real | np.floating | np.integer):
    return type(x)(0)  # not x * 0, which is nan for inf and nan


@dispatch(precedence=1)
def conj(x: Real | np.floating | np.integer):
    return x


@dispatch(precedence=2)
def real(x: complex | np.complexfloating):
    return x.real


@dispatch(precedence=2)
def imag(x: complex | np.complexfloating):
    return x.imag


@dispatch(precedence=2)
def conj(x: complex | np.complexfloating):
    return x.conjugate()


@dispatch
def isfinite(x: Real):
    return math.isfinite(x)


@dispatch
def isfinite(x: complex):
    return cmath.isfinite(x)


@dispatch(precedence=1)
def isfinite(x: NumpyScalar):
    return np.isfinite(x)


for _func, _numpy_fn in ((real, np.real), (imag, np.imag), (conj, np.conj),
                         (isfinite, np.isfinite)):
    register(_func, _numpy_array_method(_func, _numpy_fn), np.ndarray)


@dispatch(precedence=1)
def uncertainty(x: Real | np.floating | np.integer):
    return 0.0 if isinstance(x, int) else x * 0


@dispatch
def uncertainty(x: np.ndarray):
    if x.dtype != object:
        return np.zeros(x.shape)
    return np.array(elementwise(uncertainty)(x).tolist())


@dispatch(precedence=1)  # np.float64 is a float and an np.floating
def maximum(x: Real | np.floating | np.integer, y: Real | np.floating | np.integer):
    return x if x >= y or y != y else y


@dispatch(precedence=1)  # an ndarray is also an Array
def maximum(x: np.ndarray, y: np.ndarray | Real | np.floating):
    return np.maximum(x, y)


@dispatch(precedence=1)
def maximum(x: Real | np.floating, y: np.ndarray):
    return np.maximum(x, y)


@dispatch
def compress(u: np.ndarray, atol: object, rtol: object):
    if u.dtype != object:
        return u
    return elementwise(lambda x: compress(x, atol, rtol))(u)


@dispatch
def stage_buffer(k: np.ndarray, n: int):
    if k.dtype == object:
        return [None] * n
    return np.empty((n,) + k.shape, dtype=k.dtype)


@dispatch
def stage_sum(weights: object, stages: np.ndarray, count: int):
    w = weights.array[:count]
    flat = stages[:count].reshape(count, -1)
    if flat.shape[1] <= SMALL_STATE and flat.dtype == np.float64:
        # products, then summed over the stages in order: the compiled method's loop, bit for
        # bit (a BLAS call costs more than the sum on a small state)
        total = np.add.reduce(w[:, None] * flat, axis=0)
    else:
        total = w @ flat  # BLAS, as the compiled method calls it for larger states
    return total.reshape(stages.shape[1:])


@dispatch
def pack(x: np.ndarray):
    if x.dtype != object:
        return x
    for element in x.flat:  # the first element of a number type decides (constants do not)
        if not isinstance(element, (int, float, complex, np.number)):
            return pack_objects(element, x)
    return x


# NumPy arrays are also Arrays (NumPy >= 2): they keep the general, exact methods, with the
# result in the state's precision (float32 partials can come back float64 from float64 times
# or constants; a float64 J would make every stage of a float32 stiff solve float64)


def _like_state(x, like: np.ndarray):
    if isinstance(x, np.ndarray) and like.dtype.kind in "fc" and x.dtype.kind in "fc" \
            and x.dtype != like.dtype and not (like.dtype.kind == "f" and x.dtype.kind == "c"):
        return x.astype(like.dtype)
    return x


@dispatch
def state_jacobian(f: object, u: np.ndarray):
    return _like_state(state_jacobian.invoke(object, object)(f, u), u)


@dispatch
def time_derivative(f: object, t: object, like: np.ndarray):
    return _like_state(derivative(f, t), like)


@dispatch
def identity_like(A: np.ndarray):
    return np.eye(A.shape[0], dtype=A.dtype if A.dtype.kind in "fc" else float)


# ----------------------------------------------------------------------------- split ODEs


# An array (or number) of eigenvalues on any state that multiplies elementwise with a NumPy array:
# NumPy arrays and numbers, and dual or measurement arrays, whose perturbations the diagonal
# operator maps like their values. Below every other method (precedence -1): a state type with
# its own basis (a Fun) takes the call.
@dispatch(precedence=-1)
def diagonal_apply(L: np.ndarray | Real | complex | NumpyScalar, u: object, phi: object):
    product = _diagonal_factor(L, phi, u) * u
    return product[()] if isinstance(product, np.ndarray) and product.ndim == 0 else product


def _diagonal_factor(L, phi, u):
    """``phi`` of the eigenvalues ``L`` (a NumPy array), checked against the state ``u``; real
    where the eigenvalues and the state are (a contour mean leaves a zero imaginary part)."""
    eigenvalues = np.asarray(L)
    v = value(u)
    shape = np.shape(v)
    if eigenvalues.shape != shape and eigenvalues.ndim and not _broadcasts_to(eigenvalues, shape):
        raise ValueError(f"diagonal_apply: L has shape {eigenvalues.shape} but the state has "
                         f"shape {shape}: give one eigenvalue per coefficient of the state "
                         f"(or a number)")
    factor = np.asarray(phi(eigenvalues))
    if factor.dtype.kind == "c" and eigenvalues.dtype.kind in "biuf" and not np.iscomplexobj(v):
        factor = factor.real
    return factor


def _broadcasts_to(x: np.ndarray, shape: tuple) -> bool:
    try:
        return np.broadcast_shapes(x.shape, shape) == shape
    except ValueError:
        return False
