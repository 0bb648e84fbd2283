"""Methods of the generic functions for arrays of the Python array API standard.

Any array class with ``__array_namespace__`` (CuPy, array_api_strict, PyTorch through
array_api_compat, ...) is a :class:`generic.Array`; its methods call the array's own namespace,
so the data stays on its device: every new array is made on the device of the array it comes
from, and nothing comes back to the host but the floats a solver decides on (``norm``).
NumPy arrays have their own, more specific methods.
"""

from __future__ import annotations

import math

from array_api_compat import array_namespace, device

from ..dispatch import Array, dispatch, register
from .core import (
    conj,
    eltype,
    eps,
    identity_like,
    imag,
    isfinite,
    maximum,
    norm,
    real,
    state_jacobian,
    time_derivative,
    value,
)
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


# ----------------------------------------------------------------------------- stiff solvers
# There are no dual numbers on a device: the Jacobian and ∂f/∂t are forward differences,
# computed with the namespace's operations on the state's device (no transfer to the host).


def _difference_step(xp, x):
    """sqrt(eps)·max(|x|, 1) elementwise, rounded so that ``(x + h) - x == h`` exactly (the
    quotient then divides by the step really taken; Press et al., Numerical Recipes §5.7)."""
    size = xp.abs(x)
    h = math.sqrt(xp.finfo(x.dtype).eps) * xp.maximum(size, xp.ones_like(size))
    h = (x + h) - x
    return xp.real(h) if _is_complex(xp, h) else h


@dispatch
def state_jacobian(f: object, u: Array):
    xp = array_namespace(u)
    shape = tuple(u.shape)
    n = math.prod(shape)
    x = xp.reshape(u, (n,))
    f0 = f(u)
    f0_flat = xp.reshape(f0, (-1,))
    h = _difference_step(xp, x)
    steps = xp.eye(n, dtype=h.dtype, device=device(x)) * h  # row j: h_j e_j
    columns = [xp.reshape(f(xp.reshape(x + steps[j, :], shape)), (-1,)) - f0_flat
               for j in range(n)]
    return xp.reshape(xp.stack(columns, axis=1) / h, tuple(f0.shape) + shape)


@dispatch
def time_derivative(f: object, t: object, like: Array):
    xp = array_namespace(like)
    tv = float(value(t))
    h = math.sqrt(xp.finfo(like.dtype).eps) * max(abs(tv), 1.0)
    h = (t + h) - t  # a step the time type represents exactly
    return (f(t + h) - f(t)) / h


@dispatch
def identity_like(A: Array):
    xp = array_namespace(A)
    return xp.eye(A.shape[0], dtype=A.dtype, device=device(A))
