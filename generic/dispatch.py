"""Floor 1: the dispatcher, the abstract types, the missing-method error and ``convert``.

Everything in ``generic`` that differs per number type is a method of a generic function
declared with :func:`generic_function` on the one private :data:`dispatch`. Users extend the
library by decorating their own methods with ``@g.dispatch``: a function of the same name joins
the generic function of that name.
"""

from __future__ import annotations

import abc
import inspect
import sys
from collections.abc import Callable
from fractions import Fraction

import mpmath
import numpy as np
import plum
import uncertainties.core

__all__ = [
    "dispatch",
    "Scalar",
    "Array",
    "MissingMethodError",
    "generic_function",
    "convert",
    "register",
    "priority",
]

dispatch = plum.Dispatcher()
"""The library's dispatcher. ``@g.dispatch def sin(x: MyType): ...`` adds a method to ``g.sin``."""


class Scalar(abc.ABC):
    """Abstract scalar number: builtins, NumPy scalars, mpmath, uncertainties, and every number
    type that registers itself with ``Scalar.register(MyType)``."""


for _t in (int, float, complex, np.number, mpmath.ctx_mp_python.mpnumeric,
           uncertainties.core.AffineScalarFunc):
    Scalar.register(_t)


# Array classes that array_api_compat gives a namespace although they have no
# ``__array_namespace__`` of their own (CuPy 14's ndarray has none), as (module, class):
# recognised only once their library is imported, which this never does.
_COMPAT_ARRAYS = (("cupy", "ndarray"), ("torch", "Tensor"))


class Array(abc.ABC):
    """Abstract array of the Python array API standard: any class with ``__array_namespace__``
    (NumPy, array_api_strict, ...) and the arrays ``array_api_compat`` wraps in a namespace
    (CuPy, PyTorch)."""

    @classmethod
    def __subclasshook__(cls, C: type) -> bool:
        if issubclass(C, np.generic):  # NumPy 2 scalars have ``__array_namespace__``: Scalars
            return False
        has_namespace = any("__array_namespace__" in B.__dict__ for B in C.__mro__)
        if has_namespace or any(
                module in sys.modules and issubclass(C, getattr(sys.modules[module], name))
                for module, name in _COMPAT_ARRAYS):
            return True
        return NotImplemented


def priority(x) -> int:
    """Nesting priority of ``x``'s number type: its class attribute ``__generic_priority__``, 0 for
    plain numbers. When two number types meet in arithmetic, the one of higher priority is the
    outer type and treats the other as a constant; the lower one returns ``NotImplemented`` so
    Python calls the higher one's reflected operator. Duals are 100 (outermost: the derivative
    of an uncertain quantity is a dual of measurements), measurements 50.
    """
    return getattr(type(x), "__generic_priority__", 0)


class MissingMethodError(TypeError):
    """A generic function has no method for the argument types it was called with."""

    def __init__(self, name: str, args: tuple):
        self.function_name = name
        self.types = tuple(type(a) for a in args)
        names = ", ".join(t.__qualname__ for t in self.types)
        params = ", ".join(f"{p}: {t.__name__}"
                           for p, t in zip("xyzwvu", self.types, strict=False))
        super().__init__(
            f"generic.{name} has no method for argument types ({names}).\n"
            f"Add one next to your type, without touching generic:\n\n"
            f"    import generic as g\n\n"
            f"    @g.dispatch\n"
            f"    def {name}({params}):\n"
            f"        ...\n"
        )


def generic_function(stub: Callable) -> plum.Function:
    """Declare a generic function from a stub whose name, parameters and docstring define it.

    The declaration adds a least-specific method on ``object`` that raises
    :class:`MissingMethodError`, naming the function, the types, and how to add a method.
    """
    func = dispatch.abstract(stub)
    name = stub.__name__
    arity = len(inspect.signature(stub).parameters)

    def missing(*args):
        raise MissingMethodError(name, args)

    func.register(missing, signature=plum.Signature(*([object] * arity)))
    return func


# ----------------------------------------------------------------------------- convert


@generic_function
def convert(T, q):
    """Convert the exact constant ``q`` (``Fraction``, int, or decimal string) to number type ``T``.

    Solvers store tableaus exactly and call ``convert`` once per solve with the state's element
    type (see :func:`generic.eltype`), so an mpmath state at 50 digits gets 50-digit coefficients.
    Types whose arithmetic mixes with Python floats and carries no more than 53 bits (duals,
    measurements) get ``float(q)``; a type that carries more precision adds a method.
    """


def _as_fraction(q) -> Fraction:
    return Fraction(q) if not isinstance(q, Fraction) else q


@dispatch
def convert(T: type[object], q: Fraction | int | str | float):
    return float(_as_fraction(q)) if isinstance(q, str) else float(q)


@dispatch
def convert(T: type[complex], q: Fraction | int | str | float):
    return complex(convert(float, q))


@dispatch(precedence=1)  # np.float64 is also a float, np.complex128 also a complex
def convert(T: type[np.floating], q: Fraction | int | str | float):
    # Round once, from the exact value: float32(float64(q)) may double-round, Fraction does not.
    return _nearest(T, _as_fraction(q))


def _nearest(T: type, frac: Fraction):
    """``frac`` rounded once to the nearest ``T`` (ties to even); exact in ``T``'s normal range."""
    if frac == 0:
        return T(0)
    p = np.finfo(T).nmant + 1  # bits in T's significand
    n, d = abs(frac.numerator), frac.denominator
    e = n.bit_length() - d.bit_length() - p
    num, den = (n, d << e) if e >= 0 else (n << -e, d)  # num / den = n / (d * 2**e)
    if num >= den << p:  # num / den is in [2**(p-1), 2**(p+1)): drop the extra bit
        den, e = den << 1, e + 1
    q, r = divmod(num, den)  # q has p bits
    if 2 * r > den or (2 * r == den and q % 2):
        q += 1
    return np.ldexp(T(q if frac > 0 else -q), e)


@dispatch(precedence=1)
def convert(T: type[np.complexfloating], q: Fraction | int | str | float):
    return T(convert(np.finfo(T).dtype.type, q))


@dispatch
def convert(T: type[mpmath.mpf], q: Fraction | int | str | float):
    if isinstance(q, str):
        return mpmath.mpf(q)
    frac = _as_fraction(q)  # rounded once: mpf(numerator) alone would round a long numerator
    rounded = mpmath.libmp.from_rational(frac.numerator, frac.denominator, mpmath.mp.prec,
                                         mpmath.libmp.round_nearest)
    return mpmath.mpf(rounded)


@dispatch
def convert(T: type[mpmath.mpc], q: Fraction | int | str | float):
    return mpmath.mpc(convert(mpmath.mpf, q))


_convert_function = convert  # the plum function: methods, also users', are added to it
_convert_methods: dict = {}


def convert(T, q):
    return _resolved_by_type(_convert_function, _convert_methods, T, q)(T, q)


def _resolved_by_type(func: plum.Function, cache: dict, T, *args) -> Callable:
    """The method of ``func`` for a type argument ``T``. plum cannot cache methods chosen by
    ``type[X]`` hints (every type is an instance of ``type``) and resolves them afresh at ~100 µs
    a call; this caches them per type, anew whenever a method is added."""
    key = (T, *map(type, args), len(func.methods))
    method = cache.get(key)
    if method is None:
        method = cache[key] = func.resolve_method((T, *args))[0]
    return method


convert.__doc__ = _convert_function.__doc__
convert.plum_function = _convert_function


def register(func: plum.Function, impl: Callable, *types, precedence: int = 0) -> None:
    """Add ``impl`` as the method of ``func`` for argument ``types`` (one type per argument).

    For tables of methods; ``impl`` may be a builtin (``math.sin``) or a ufunc, which plum cannot
    inspect, so it is wrapped in a plain function of the right arity.
    """
    func = getattr(func, "plum_function", func)
    if len(types) == 1:
        def method(x):
            return impl(x)
    elif len(types) == 2:
        def method(x, y):
            return impl(x, y)
    else:
        def method(*args):
            return impl(*args)
    func.register(method, signature=plum.Signature(*types, precedence=precedence))
