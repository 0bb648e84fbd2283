"""Methods of the generic functions for mpmath numbers (``mpf``, ``mpc``).

Results are computed at mpmath's working precision. A real function of a real ``mpf`` stays
real: where mpmath would return a complex number (``sqrt(-1)``), the method returns ``nan`` as
floats do, so a solver sees the same behaviour on every real type.
"""

from __future__ import annotations

import mpmath

from ..dispatch import dispatch, register
from .core import conj, eltype, eps, imag, isfinite, norm, real, uncertainty, value
from .elementary import ELEMENTARY

mpf, mpc = mpmath.mpf, mpmath.mpc

_TABLE = {
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan,
    "asin": mpmath.asin, "acos": mpmath.acos, "atan": mpmath.atan,
    "sinh": mpmath.sinh, "cosh": mpmath.cosh, "tanh": mpmath.tanh,
    "asinh": mpmath.asinh, "acosh": mpmath.acosh, "atanh": mpmath.atanh,
    "exp": mpmath.exp, "expm1": mpmath.expm1, "exp2": lambda x: mpmath.power(2, x),
    "log": mpmath.log, "log1p": mpmath.log1p, "log2": lambda x: mpmath.log(x, 2),
    "log10": mpmath.log10, "sqrt": mpmath.sqrt, "cbrt": mpmath.cbrt,
    "abs": abs, "sign": mpmath.sign, "floor": mpmath.floor, "ceil": mpmath.ceil,
    "erf": mpmath.erf, "erfc": mpmath.erfc, "gamma": mpmath.gamma,
    "lgamma": lambda x: mpmath.re(mpmath.loggamma(x)), "digamma": mpmath.digamma,
    "atan2": mpmath.atan2, "hypot": mpmath.hypot, "pow": mpmath.power,
}
_REAL_ONLY = {"cbrt", "floor", "ceil", "erf", "erfc", "lgamma", "atan2", "hypot"}


def _real_valued(fn):
    def method(*args):
        try:
            result = fn(*args)
        except (ValueError, ZeroDivisionError):
            return mpmath.nan
        return result if type(result) is not mpc else mpmath.nan

    return method


_MpReal = mpf | int | float
for _name, _fn in _TABLE.items():
    _func = ELEMENTARY[_name]
    _n = 2 if _name in ("atan2", "hypot", "pow") else 1
    if _name == "cbrt":  # mpmath.cbrt of a negative number is complex; the real cube root is odd
        _fn = lambda x: mpmath.sign(x) * mpmath.cbrt(abs(x))  # noqa: E731
    if _n == 1:
        register(_func, _real_valued(_fn), mpf)
    else:  # mixed mpf / builtin arguments; at least one is mpf
        register(_func, _real_valued(_fn), mpf, _MpReal)
        register(_func, _real_valued(_fn), int | float, mpf)
    if _name not in _REAL_ONLY:
        register(_func, _fn, *([mpc] * _n))


@dispatch
def value(x: mpf):
    return float(x)


@dispatch
def value(x: mpc):
    return complex(x)


@dispatch
def norm(x: mpf | mpc):
    return float(abs(x))


@dispatch
def eps(x: mpf | mpc):
    return +mpmath.mp.eps


@dispatch
def eltype(x: mpf | mpc):
    return type(x)


@dispatch
def real(x: mpf | mpc):
    return mpmath.re(x)


@dispatch
def imag(x: mpf | mpc):
    return mpmath.im(x)


@dispatch
def conj(x: mpf | mpc):
    return mpmath.conj(x)


@dispatch
def isfinite(x: mpf | mpc):
    return bool(mpmath.isfinite(x))


@dispatch
def uncertainty(x: mpf):
    return x * 0
