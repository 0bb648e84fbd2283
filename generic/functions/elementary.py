"""The elementary generic functions, each declared once, and their derivatives.

The table :data:`ELEMENTARY` names every function with its arity and docstring; this module turns
each row into a generic function (``generic.sin`` ...). Methods per number type live elsewhere:
builtins and NumPy in :mod:`.builtin_methods`, mpmath and uncertainties in their own modules,
number types of ``generic.numbers`` in theirs.

:data:`DERIVATIVES` holds each function's derivative, written with generic functions, so that a
number type doing linear propagation (duals, measurements, a user's own) applies the chain rule
from one table and nested types (a dual of a dual, a dual of an mpf) differentiate correctly.
"""

from __future__ import annotations

from collections.abc import Callable

import plum

from ..dispatch import generic_function

__all__ = ["ELEMENTARY", "UNARY", "BINARY", "DERIVATIVES", "BINARY_DERIVATIVES"]

# name -> docstring; unary functions of one argument x.
UNARY: dict[str, str] = {
    "sin": "Sine of x (radians).",
    "cos": "Cosine of x (radians).",
    "tan": "Tangent of x (radians).",
    "asin": "Inverse sine of x, in [-pi/2, pi/2].",
    "acos": "Inverse cosine of x, in [0, pi].",
    "atan": "Inverse tangent of x, in (-pi/2, pi/2).",
    "sinh": "Hyperbolic sine of x.",
    "cosh": "Hyperbolic cosine of x.",
    "tanh": "Hyperbolic tangent of x.",
    "asinh": "Inverse hyperbolic sine of x.",
    "acosh": "Inverse hyperbolic cosine of x, x >= 1.",
    "atanh": "Inverse hyperbolic tangent of x, |x| < 1.",
    "exp": "Exponential e**x.",
    "expm1": "exp(x) - 1, accurate for small x.",
    "exp2": "2**x.",
    "log": "Natural logarithm of x.",
    "log1p": "log(1 + x), accurate for small x.",
    "log2": "Base-2 logarithm of x.",
    "log10": "Base-10 logarithm of x.",
    "sqrt": "Square root of x. Its derivative at 0 is infinite; see docs/duals.md.",
    "cbrt": "Real cube root of x (negative for negative x).",
    "abs": "Absolute value of x. Duals take derivative sign(x), so 0 at x = 0.",
    "sign": "Sign of x: -1, 0 or 1 (derivative 0).",
    "floor": "Largest integer <= x, in x's type (derivative 0).",
    "ceil": "Smallest integer >= x, in x's type (derivative 0).",
    "erf": "Error function.",
    "erfc": "Complementary error function 1 - erf(x).",
    "gamma": "Gamma function.",
    "lgamma": "log|gamma(x)|.",
    "digamma": "Digamma function, the derivative of lgamma.",
}

# name -> docstring; binary functions of (x, y).
BINARY: dict[str, str] = {
    "atan2": "Angle of the point (x, y), called as atan2(y, x); in (-pi, pi].",
    "hypot": "sqrt(x**2 + y**2) without overflow.",
    "pow": "x**y.",
}

ELEMENTARY: dict[str, plum.Function] = {}


def _declare(name: str, doc: str, params: tuple[str, ...]) -> plum.Function:
    def stub(*args):
        pass

    stub.__name__ = stub.__qualname__ = name
    stub.__doc__ = doc
    stub.__signature__ = _signature(params)
    return generic_function(stub)


def _signature(params: tuple[str, ...]):
    import inspect

    P = inspect.Parameter
    return inspect.Signature([P(p, P.POSITIONAL_OR_KEYWORD) for p in params])


for _name, _doc in UNARY.items():
    ELEMENTARY[_name] = _declare(_name, _doc, ("x",))
for _name, _doc in BINARY.items():
    ELEMENTARY[_name] = _declare(_name, _doc, ("y", "x") if _name == "atan2" else ("x", "y"))

globals().update(ELEMENTARY)
__all__ += list(ELEMENTARY)

E = ELEMENTARY  # short alias for the rules below


def _pi(x):
    return 4 * E["atan"](x * 0 + 1)


def _ln(x, base: int):
    return E["log"](x * 0 + base)


# d/dx f(x), given x and fx = f(x); written with generic functions so every number type,
# nested ones included, gets its derivative in its own precision.
DERIVATIVES: dict[str, Callable] = {
    "sin": lambda x, fx: E["cos"](x),
    "cos": lambda x, fx: -E["sin"](x),
    "tan": lambda x, fx: 1 + fx * fx,
    "asin": lambda x, fx: 1 / E["sqrt"]((1 - x) * (1 + x)),
    "acos": lambda x, fx: -1 / E["sqrt"]((1 - x) * (1 + x)),
    "atan": lambda x, fx: 1 / (1 + x * x),
    "sinh": lambda x, fx: E["cosh"](x),
    "cosh": lambda x, fx: E["sinh"](x),
    "tanh": lambda x, fx: 1 / E["cosh"](x) ** 2,  # 1 - fx**2 cancels for large |x|
    "asinh": lambda x, fx: 1 / E["sqrt"](x * x + 1),
    "acosh": lambda x, fx: 1 / E["sqrt"]((x - 1) * (x + 1)),
    "atanh": lambda x, fx: 1 / ((1 - x) * (1 + x)),
    "exp": lambda x, fx: fx,
    "expm1": lambda x, fx: E["exp"](x),  # fx + 1 cancels for x << 0
    "exp2": lambda x, fx: fx * _ln(x, 2),
    "log": lambda x, fx: 1 / x,
    "log1p": lambda x, fx: 1 / (1 + x),
    "log2": lambda x, fx: 1 / (x * _ln(x, 2)),
    "log10": lambda x, fx: 1 / (x * _ln(x, 10)),
    "sqrt": lambda x, fx: 1 / (2 * fx),
    "cbrt": lambda x, fx: 1 / (3 * fx * fx),
    "abs": lambda x, fx: E["sign"](x),
    "sign": lambda x, fx: x * 0,
    "floor": lambda x, fx: x * 0,
    "ceil": lambda x, fx: x * 0,
    "erf": lambda x, fx: 2 / E["sqrt"](_pi(x)) * E["exp"](-x * x),
    "erfc": lambda x, fx: -2 / E["sqrt"](_pi(x)) * E["exp"](-x * x),
    "gamma": lambda x, fx: fx * E["digamma"](x),
    "lgamma": lambda x, fx: E["digamma"](x),
    "digamma": None,  # trigamma is not provided; duals of digamma raise a clear error
}

# The two partial derivatives of f(a, b) in call order, given a, b and f(a, b).
BINARY_DERIVATIVES: dict[str, Callable] = {
    "atan2": lambda y, x, f: (x / (x * x + y * y), -y / (x * x + y * y)),
    "hypot": lambda x, y, f: (x / f, y / f),
    "pow": lambda x, y, f: (y * E["pow"](x, y - 1), f * E["log"](x)),
}
