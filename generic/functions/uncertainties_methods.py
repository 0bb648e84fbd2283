"""Methods of the generic functions for ``uncertainties`` numbers (``ufloat`` and derived).

``uncertainties.umath`` does the propagation; functions it lacks are written with the ones it
has. The value is the nominal value; the norm counts the value only, as for measurements.
"""

from __future__ import annotations

import math
import sys

from uncertainties import umath
from uncertainties.core import AffineScalarFunc as UFloat
from uncertainties.core import LinearCombination

from ..dispatch import dispatch, register
from .core import compress, conj, eltype, eps, imag, isfinite, norm, real, uncertainty, value
from .elementary import ELEMENTARY

_TABLE = {
    "sin": umath.sin, "cos": umath.cos, "tan": umath.tan,
    "asin": umath.asin, "acos": umath.acos, "atan": umath.atan,
    "sinh": umath.sinh, "cosh": umath.cosh, "tanh": umath.tanh,
    "asinh": umath.asinh, "acosh": umath.acosh, "atanh": umath.atanh,
    "exp": umath.exp, "expm1": umath.expm1, "exp2": lambda x: 2.0**x,
    "log": umath.log, "log1p": umath.log1p, "log2": lambda x: umath.log(x) / math.log(2),
    "log10": umath.log10, "sqrt": umath.sqrt, "cbrt": lambda x: _sign(x) * _abs(x) ** (1 / 3),
    "abs": lambda x: _abs(x), "sign": lambda x: _sign(x),
    "floor": lambda x: float(math.floor(x.nominal_value)),  # umath.floor is deprecated
    "ceil": lambda x: float(math.ceil(x.nominal_value)),
    "erf": umath.erf, "erfc": umath.erfc, "gamma": umath.gamma, "lgamma": umath.lgamma,
    "atan2": umath.atan2, "hypot": umath.hypot, "pow": umath.pow,
}


def _sign(x) -> float:
    v = x.nominal_value
    return float((v > 0) - (v < 0))


def _abs(x):  # abs() of an uncertainties number is deprecated (a FutureWarning)
    return _sign(x) * x


_Real = int | float
for _name, _fn in _TABLE.items():
    _func = ELEMENTARY[_name]
    if _name in ("atan2", "hypot", "pow"):
        register(_func, _fn, UFloat, UFloat | _Real)
        register(_func, _fn, _Real, UFloat)
    else:
        register(_func, _fn, UFloat)


@dispatch
def value(x: UFloat):
    return x.nominal_value


@dispatch
def norm(x: UFloat):
    return abs(x.nominal_value)


@dispatch
def eps(x: UFloat):
    return sys.float_info.epsilon


@dispatch
def eltype(x: UFloat):
    return UFloat


@dispatch
def real(x: UFloat):
    return x


@dispatch
def imag(x: UFloat):
    return 0.0


@dispatch
def conj(x: UFloat):
    return x


@dispatch
def isfinite(x: UFloat):
    return math.isfinite(x.nominal_value)


@dispatch
def uncertainty(x: UFloat):
    return x.std_dev


@dispatch
def compress(u: UFloat, atol: object, rtol: object):
    # A flat linear combination of the independent variables: the same number, but later
    # operations no longer re-expand the whole history of the solve.
    return UFloat(u.nominal_value, LinearCombination(dict(u.derivatives)))
