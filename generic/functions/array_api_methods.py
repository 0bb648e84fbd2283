"""Methods of the generic functions for arrays of the Python array API standard.

Any array class with ``__array_namespace__`` (CuPy, array_api_strict, PyTorch through
array_api_compat, ...) is a :class:`generic.Array`; its methods call the array's own namespace,
so the data stays on its device. NumPy arrays have their own, more specific methods.
"""

from __future__ import annotations

import math

from array_api_compat import array_namespace

from ..dispatch import Array, dispatch, register
from .core import conj, eltype, eps, imag, isfinite, maximum, norm, real, value
from .elementary import ELEMENTARY

# generic name -> array API name, or a function of (xp, *args) for functions the standard lacks
_NAMES = {
    "sin": "sin", "cos": "cos", "tan": "tan", "asin": "asin", "acos": "acos", "atan": "atan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "asinh": "asinh", "acosh": "acosh",
    "atanh": "atanh", "exp": "exp", "expm1": "expm1", "log": "log", "log1p": "log1p",
    "log2": "log2", "log10": "log10", "sqrt": "sqrt", "abs": "abs", "sign": "sign",
    "floor": "floor", "ceil": "ceil", "atan2": "atan2", "hypot": "hypot", "pow": "pow",
    "exp2": lambda xp, x: xp.pow(2.0, x),
    "cbrt": lambda xp, x: _cbrt(xp, x),
}


def _cbrt(xp, x):
    # sign(x) |x|**(1/3) is 50 ulps off near 1e300, as 1/3 is rounded; a Newton step for
    # y**3 = x corrects it. Zeros, infinities and nan are their own cube roots.
    y = xp.sign(x) * xp.pow(xp.abs(x), 1.0 / 3.0)
    step = xp.isfinite(y) & (y != 0)
    one = xp.ones_like(y)
    ys, xs = xp.where(step, y, one), xp.where(step, x, one)
    return xp.where(step, ys - (ys - xs / (ys * ys)) / 3.0, x)


def _method(entry):
    if callable(entry):
        return lambda *args: entry(array_namespace(*args), *args)
    return lambda *args: getattr(array_namespace(*args), entry)(*args)


for _name, _entry in _NAMES.items():
    _func = ELEMENTARY[_name]
    if _name in ("atan2", "hypot", "pow"):
        register(_func, _method(_entry), Array, Array | int | float)
        register(_func, _method(_entry), int | float, Array)
    else:
        register(_func, _method(_entry), Array)


@dispatch
def value(x: Array):
    return x


@dispatch
def norm(x: Array):
    xp = array_namespace(x)
    if math.prod(x.shape) == 0:
        return 0.0
    return float(xp.sqrt(xp.mean(xp.abs(x) ** 2)))


@dispatch
def eltype(x: Array):
    # Python scalars keep an array's precision under the standard's promotion rules, so the
    # constants of a float32 CuPy solve are Python floats.
    return complex if _is_complex(array_namespace(x), x) else float


@dispatch
def eps(x: Array):
    return array_namespace(x).finfo(x.dtype).eps


def _is_complex(xp, x) -> bool:
    return xp.isdtype(x.dtype, "complex floating")


@dispatch
def real(x: Array):
    xp = array_namespace(x)
    return xp.real(x) if _is_complex(xp, x) else x


@dispatch
def imag(x: Array):  # the standard's imag and conj take complex arrays only
    xp = array_namespace(x)
    return xp.imag(x) if _is_complex(xp, x) else xp.zeros_like(x)


@dispatch
def conj(x: Array):
    xp = array_namespace(x)
    return xp.conj(x) if _is_complex(xp, x) else x


@dispatch
def isfinite(x: Array):
    return array_namespace(x).isfinite(x)


@dispatch
def maximum(x: Array, y: Array | int | float):
    return array_namespace(x).maximum(x, y)


@dispatch
def maximum(x: int | float, y: Array):
    return array_namespace(y).maximum(x, y)
