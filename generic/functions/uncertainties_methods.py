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
    try:
        derivatives = _flat_derivatives(u._linear_part)
    except AttributeError:  # an uncertainties without these internals: its own expansion
        derivatives = dict(u.derivatives)
    return UFloat(u.nominal_value, LinearCombination(derivatives))


def _flat_derivatives(combo: LinearCombination) -> dict:
    """The derivatives {Variable: coefficient} of a linear combination, in time linear in the
    size of its graph of sub-expressions. (``uncertainties``' own expansion walks every path
    through that graph: a Runge–Kutta step, whose stages each reuse all earlier ones, has
    exponentially many; 35 ms per state element for Tsit5 on Lotka–Volterra.) Reverse
    accumulation: each sub-expression's coefficient is summed once, parents before children."""
    if combo.expanded():
        return dict(combo.linear_combo)
    order, seen, stack = [], set(), [(combo, False)]
    while stack:  # depth-first post-order of the unexpanded sub-expressions
        node, finished = stack.pop()
        if finished:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if not node.expanded():
            stack.extend((child, False) for _, child in node.linear_combo
                         if id(child) not in seen)
    weight = {id(combo): 1.0}
    derivatives: dict = {}
    for node in reversed(order):  # every node before the sub-expressions it uses
        w = weight.get(id(node), 0.0)
        if node.expanded():
            for variable, factor in node.linear_combo.items():
                derivatives[variable] = derivatives.get(variable, 0.0) + w * factor
        else:
            for factor, child in node.linear_combo:
                weight[id(child)] = weight.get(id(child), 0.0) + w * factor
    return derivatives
