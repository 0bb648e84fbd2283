"""Dual numbers: forward-mode automatic differentiation.

A dual number ``a + b·ε`` (ε² = 0) carries a value and partial derivatives. ``Dual`` is a scalar
with any number of partials; ``DualArray`` is a vectorised array of duals (a value array of shape
S and a partials array of shape (k,) + S), so arithmetic on 10^5 duals costs a few NumPy calls.
The partial axis comes first: ``partials[i]`` is the i-th partial derivative, shaped like the
value, so every operation broadcasts over long contiguous rows.
Both speak NumPy's ufunc protocol and have methods for every generic function, whose chain rules
come from ``generic.functions.DERIVATIVES``.

Tags keep nested differentiation right (Siskind & Pearlmutter, "Perturbation confusion and
referential transparency", 2005): each ``derivative`` call makes a new, larger tag; in an
operation mixing tags the larger tag is the outer dual and a smaller one is a constant inside its
value. Values may be any number type (float32, mpmath, duals of another tag, measurements).

Non-differentiable points: ``abs`` and ``sign`` use derivative ``sign(x)`` and 0, so ``abs`` has
derivative 0 at 0; ``sqrt`` at 0 has an infinite derivative, and a zero partial stays zero (a
direction the input does not move in contributes nothing, never ``0 · inf = nan``).
"""

from __future__ import annotations

import itertools
import math
import operator
import threading
from collections.abc import Callable

import numba
import numpy as np

from ..dispatch import Scalar, dispatch, register
from ..functions import (
    BINARY,
    BINARY_DERIVATIVES,
    DERIVATIVES,
    ELEMENTARY,
    UNARY,
    conj,
    eltype,
    eps,
    imag,
    isfinite,
    norm,
    real,
    value,
)

__all__ = ["Dual", "DualArray", "TagError", "derivative", "gradient", "jacobian", "hessian"]

# Priority among number types that wrap one another: the higher one is the outer type.
# Duals are outermost, so the derivative of an uncertain quantity is a dual of measurements.
GENERIC_PRIORITY = 100


class TagError(ValueError):
    """Duals of different differentiation calls were mixed in a way that cannot be right."""


_tag_counter = itertools.count(1)
_state = threading.local()


def _active_tags() -> list[int]:
    if not hasattr(_state, "active"):
        _state.active = []
    return _state.active


# ----------------------------------------------------------------------------- the types


class _DualBase:
    """Arithmetic shared by ``Dual`` and ``DualArray``: both are (value, partials, tag)."""

    __slots__ = ("value", "partials", "tag")
    __generic_priority__ = GENERIC_PRIORITY

    def __init__(self, value, partials, tag: int = 0):
        self.value = value
        self.partials = partials
        self.tag = tag

    # arithmetic: one implementation per operator, taking either argument order
    def __add__(self, other):
        return _binary(_add, operator.add, self, other)

    def __radd__(self, other):
        return _binary(_add, operator.add, other, self)

    def __sub__(self, other):
        return _binary(_sub, operator.sub, self, other)

    def __rsub__(self, other):
        return _binary(_sub, operator.sub, other, self)

    def __mul__(self, other):
        return _binary(_mul, operator.mul, self, other)

    def __rmul__(self, other):
        return _binary(_mul, operator.mul, other, self)

    def __truediv__(self, other):
        return _binary(_div, operator.truediv, self, other)

    def __rtruediv__(self, other):
        return _binary(_div, operator.truediv, other, self)

    def __pow__(self, other):
        return _binary(_pow, operator.pow, self, other)

    def __rpow__(self, other):
        return _binary(_pow, operator.pow, other, self)

    def __matmul__(self, other):
        return _binary(_matmul, operator.matmul, self, other)

    def __rmatmul__(self, other):
        return _binary(_matmul, operator.matmul, other, self)

    def __neg__(self):
        return _make(-self.value, -self.partials, self.tag)

    def __pos__(self):
        return self

    def __abs__(self):
        return ELEMENTARY["abs"](self)

    # comparisons are by value
    def __lt__(self, other):
        return value(self) < value(other)

    def __le__(self, other):
        return value(self) <= value(other)

    def __gt__(self, other):
        return value(self) > value(other)

    def __ge__(self, other):
        return value(self) >= value(other)

    def __eq__(self, other):
        return value(self) == value(other)

    def __ne__(self, other):
        return value(self) != value(other)

    def __float__(self):
        raise TypeError(
            "float() of a dual number would drop its derivatives. Use g.value(x) if the value "
            "is what you want; to differentiate through a function, call the generic functions "
            "(g.sin, g.exp, ...) instead of math.sin or float()."
        )

    __int__ = __complex__ = __float__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _array_ufunc(ufunc, method, inputs, kwargs)


class Dual(_DualBase):
    """A dual number: ``value`` (any number type), ``partials`` (a 1-d array of k partial
    derivatives, or a list/tuple converted to one) and ``tag`` (0 for duals made by hand)."""

    __slots__ = ()

    def __init__(self, value, partials=(), tag: int = 0):
        if not isinstance(partials, (np.ndarray, DualArray)):
            partials = _as_partials(partials)
        super().__init__(value, partials, tag)

    def __hash__(self):
        return hash(value(self))

    def __bool__(self):
        return bool(value(self))

    def __repr__(self):
        tag = f", tag={self.tag}" if self.tag else ""
        partials = self.partials
        partials = partials.tolist() if isinstance(partials, np.ndarray) else partials
        return f"Dual({self.value!r}, {partials!r}{tag})"


class DualArray(_DualBase):
    """An array of dual numbers: ``value`` of shape S, ``partials`` of shape (k,) + S
    (``partials[i]`` is the i-th partial derivative of every element).

    Indexing gives a ``Dual`` for one element and a ``DualArray`` for a slice. NumPy functions
    without a method here run on ``np.asarray(x)``, an object array of ``Dual``.
    """

    __slots__ = ()
    __hash__ = None

    def __init__(self, value, partials, tag: int = 0):
        value = value if isinstance(value, DualArray) else np.asarray(value)
        if isinstance(partials, (list, tuple)):
            partials = np.asarray(partials)
        if tuple(partials.shape[1:]) != tuple(value.shape):
            raise ValueError(
                f"DualArray partials must have shape (k,) + value.shape: value {value.shape}, "
                f"partials {partials.shape}"
            )
        super().__init__(value, partials, tag)

    shape = property(lambda self: self.value.shape)
    ndim = property(lambda self: len(self.value.shape))
    size = property(lambda self: math.prod(self.value.shape))
    dtype = property(lambda self: np.dtype(object))
    T = property(lambda self: self.transpose())

    @property
    def npartials(self) -> int:
        return self.partials.shape[0]

    def __len__(self):
        return self.value.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, index):
        value_, partials = self.value[index], self.partials[_partials_index(index)]
        if not _is_array(value_):  # an element is a copy, as in NumPy; a slice is a view
            partials = partials.copy()
        return _make(value_, partials, self.tag)

    def __setitem__(self, index, item):
        if isinstance(item, _DualBase) and item.tag == self.tag:
            self.value[index] = item.value
            self.partials[_partials_index(index)] = item.partials
        elif isinstance(item, np.ndarray) and item.dtype == object:
            self[index] = _from_objects(item, self.tag, self.npartials)
        else:
            self.value[index] = item
            self.partials[_partials_index(index)] = 0

    def __array__(self, dtype=None, copy=None):
        out = np.empty(self.shape, dtype=object)
        for i in np.ndindex(self.shape):
            out[i] = self[i]
        return out

    def __repr__(self):
        tag = f", tag={self.tag}" if self.tag else ""
        return f"DualArray(value={self.value!r}, partials={self.partials!r}{tag})"

    def copy(self) -> DualArray:
        return DualArray(self.value.copy(), self.partials.copy(), self.tag)

    def reshape(self, *shape) -> DualArray:
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], tuple) else shape
        new_value = self.value.reshape(shape)
        return DualArray(new_value, self.partials.reshape((self.npartials,) + new_value.shape),
                         self.tag)

    def ravel(self) -> DualArray:
        return self.reshape(-1)

    def transpose(self, *axes) -> DualArray:
        axes = tuple(range(self.ndim))[::-1] if not axes else axes
        return DualArray(self.value.transpose(axes),
                         self.partials.transpose(0, *(a + 1 for a in axes)), self.tag)

    def sum(self, axis=None):
        axes = tuple(range(self.ndim)) if axis is None else _positive_axes(axis, self.ndim)
        return _make(self.value.sum(axis=axes), self.partials.sum(axis=tuple(a + 1 for a in axes)),
                     self.tag)

    def mean(self, axis=None):
        count = self.size if axis is None else math.prod(
            self.shape[a] for a in _positive_axes(axis, self.ndim))
        return self.sum(axis) / count

    def astype(self, dtype):
        if np.dtype(dtype) == object:
            return np.asarray(self)
        raise TypeError("a DualArray converts only to an object array (astype(object)); "
                        "use g.value(x) for its values")

    def tolist(self) -> list:
        return np.asarray(self).tolist()

    def __array_function__(self, func, types, args, kwargs):
        handler = _ARRAY_FUNCTIONS.get(func)
        if handler is not None:
            result = handler(*args, **kwargs)
            if result is not NotImplemented:
                return result
        return func(*_to_objects(args), **_to_objects(kwargs))


Scalar.register(Dual)


# ----------------------------------------------------------------------------- helpers


def _as_partials(partials):
    array = np.asarray(partials)
    if array.dtype == object or array.dtype.kind in "fc":
        return array
    return array.astype(float)


def _partials_index(index):
    """Index of the partials array for an index of the value array (k stays the first axis)."""
    return (slice(None),) + (index if isinstance(index, tuple) else (index,))


def _positive_axes(axis, ndim: int) -> tuple[int, ...]:
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim for a in axes)


def _is_array(x) -> bool:
    return isinstance(x, (np.ndarray, DualArray))


def _make(value_, partials, tag: int):
    """A Dual or a DualArray, as the value is a scalar or an array."""
    if _is_array(value_):
        if tuple(partials.shape[1:]) != tuple(value_.shape):  # a constant broadcast the value
            partials = partials + np.zeros((1,) + tuple(value_.shape), dtype=value_.dtype
                                           if isinstance(value_, np.ndarray) else float)
        return DualArray(value_, partials, tag)
    return Dual(value_, partials, tag)


def _ndim(x) -> int:
    return len(x.shape) if _is_array(x) else 0


def _lift(p, ndim: int):
    """Partials ``p`` (shape (k,) + S) with leading unit axes, so S has ``ndim`` axes and ``p``
    broadcasts against values of ``ndim`` dimensions."""
    if p is None or len(p.shape) - 1 >= ndim:
        return p
    return p.reshape(p.shape[:1] + (1,) * (ndim - len(p.shape) + 1) + tuple(p.shape[1:]))


def _parts(x, tag: int):
    """(value, partials) of ``x`` seen from tag ``tag``; partials None for a constant."""
    if isinstance(x, _DualBase) and x.tag == tag:
        return x.value, x.partials
    return x, None


def _priority(x) -> int:
    return getattr(type(x), "__generic_priority__", 0)


def _binary(impl: Callable, op: Callable, a, b):
    """Apply the dual rule ``impl`` to ``a op b``; object arrays go elementwise, number types
    of higher priority wrap duals (return NotImplemented so theirs is called)."""
    if (isinstance(a, np.ndarray) and a.dtype == object) or (
        isinstance(b, np.ndarray) and b.dtype == object
    ):
        return _elementwise(op, a, b)
    other = b if isinstance(a, _DualBase) else a
    if not isinstance(other, _DualBase) and _priority(other) > GENERIC_PRIORITY:
        return NotImplemented
    tag = max(x.tag for x in (a, b) if isinstance(x, _DualBase))
    return impl(*_parts(a, tag), *_parts(b, tag), tag)


def _elementwise(op: Callable, *args):
    wrapped = []
    for a in args:
        if isinstance(a, DualArray):
            a = np.asarray(a)
        elif not isinstance(a, np.ndarray):
            boxed = np.empty((), dtype=object)
            boxed[()] = a
            a = boxed
        wrapped.append(a)
    return np.frompyfunc(op, len(args), 1)(*wrapped)


def _sum_partials(*terms):
    present = [t for t in terms if t is not None]
    if len(present) == 1:
        return present[0]
    return present[0] + present[1]


def _all_finite(d) -> bool:
    if type(d) is float:
        return math.isfinite(d)
    if isinstance(d, np.ndarray) and d.dtype.kind in "fc":
        return bool(np.isfinite(d).all())
    return bool(np.all(isfinite(d)))


def _scale(p, d):
    """Partials ``p`` times derivative ``d``, keeping exact zeros where ``d`` is infinite."""
    if p is None:
        return None
    if _all_finite(d):
        return p * d
    with np.errstate(invalid="ignore"):
        scaled = p * d
    mask = np.asarray(value(p)) == 0
    if isinstance(scaled, np.ndarray):
        return np.where(mask, 0 * p, scaled)
    return _make(np.where(mask, 0, scaled.value), np.where(mask, 0, scaled.partials), scaled.tag)


def _add(av, ap, bv, bp, tag):
    r = max(_ndim(av), _ndim(bv))
    return _make(av + bv, _sum_partials(_lift(ap, r), _lift(bp, r)), tag)


def _sub(av, ap, bv, bp, tag):
    r = max(_ndim(av), _ndim(bv))
    ap, bp = _lift(ap, r), _lift(bp, r)
    return _make(av - bv, ap if bp is None else (-bp if ap is None else ap - bp), tag)


def _product_rule(ap, bv, av, bp):
    return ap * bv + av * bp


def _quotient_rule(ap, q, bp, bv):
    return (ap - q * bp) / bv


# The same rules fused into one pass for float64 arrays (one temporary instead of three).
_FUSED = {rule: numba.vectorize(cache=True)(rule) for rule in (_product_rule, _quotient_rule)}


def _fused(rule: Callable, *args):
    if all(isinstance(a, np.ndarray) and a.dtype == np.float64 for a in args):
        return _FUSED[rule](*args)
    return rule(*args)


def _mul(av, ap, bv, bp, tag):
    r = max(_ndim(av), _ndim(bv))
    ap, bp = _lift(ap, r), _lift(bp, r)
    if ap is not None and bp is not None:
        return _make(av * bv, _fused(_product_rule, ap, bv, av, bp), tag)
    return _make(av * bv, ap * bv if bp is None else av * bp, tag)


def _div(av, ap, bv, bp, tag):
    r = max(_ndim(av), _ndim(bv))
    ap, bp = _lift(ap, r), _lift(bp, r)
    q = av / bv
    if bp is None:
        return _make(q, ap / bv, tag)
    if ap is None:
        return _make(q, -q * bp / bv, tag)
    return _make(q, _fused(_quotient_rule, ap, q, bp, bv), tag)


def _pow(av, ap, bv, bp, tag):
    if bp is None and isinstance(bv, (int, np.integer)):  # x**n: exact at x = 0 for any n >= 1
        if bv == 0:
            return _make(av**0, ap * 0, tag)
        return _make(av**bv, ap * (bv * av ** (bv - 1)), tag)
    return _binary_function("pow", av, ap, bv, bp, tag)


def _apply_rule(rule: Callable, *args):
    """A derivative rule; at a singular point (1 / 0) the IEEE value (inf), without warnings."""
    if isinstance(args[0], (np.ndarray, np.generic)):
        with np.errstate(divide="ignore", invalid="ignore"):
            return rule(*args)
    try:
        return rule(*args)
    except ZeroDivisionError:
        with np.errstate(all="ignore"):
            return rule(*(np.float64(a) if isinstance(a, (int, float)) else a for a in args))


def _binary_function(name: str, av, ap, bv, bp, tag):
    f = ELEMENTARY[name](av, bv)
    da, db = _apply_rule(BINARY_DERIVATIVES[name], av, bv, f)
    r = max(_ndim(av), _ndim(bv))
    return _make(f, _sum_partials(_scale(_lift(ap, r), da), _scale(_lift(bp, r), db)), tag)


def _matmul(av, ap, bv, bp, tag):
    terms = []
    if ap is not None:  # d(a) @ b: the partial axis is matmul's batch axis
        terms.append(ap @ bv)
    if bp is not None:  # a @ d(b); a vector b's partials (k, m) become k column vectors
        terms.append((av @ bp[..., None])[..., 0] if _ndim(bv) == 1 else av @ bp)
    return _make(av @ bv, _sum_partials(*terms), tag)


def _to_objects(args):
    if isinstance(args, DualArray):
        return np.asarray(args)
    if isinstance(args, (list, tuple)):
        return type(args)(_to_objects(a) for a in args)
    if isinstance(args, dict):
        return {k: _to_objects(v) for k, v in args.items()}
    return args


def _from_objects(array: np.ndarray, tag: int, k: int) -> DualArray:
    """A DualArray of tag ``tag`` from an object array of duals and constants."""
    values = np.empty(array.shape, dtype=object)
    partials = np.zeros((k,) + array.shape, dtype=object)
    for i in np.ndindex(array.shape):
        values[i], p = _parts(array[i], tag)
        if p is not None:
            partials[(slice(None),) + i] = p
    if all(isinstance(v, (float, int, np.floating)) for v in values.flat):
        values, partials = values.astype(float), partials.astype(float)
    return DualArray(values, partials, tag)


# ----------------------------------------------------------------------------- generic methods


def _unary_method(name: str):
    func, rule = ELEMENTARY[name], DERIVATIVES[name]

    def method(x):
        if rule is None:
            raise NotImplementedError(
                f"generic.{name} of a dual number needs the derivative of {name}, which generic "
                f"does not provide; add a method with @g.dispatch def {name}(x: g.Dual)."
            )
        fx = func(x.value)
        return _make(fx, _scale(x.partials, _apply_rule(rule, x.value, fx)), x.tag)

    return method


def _binary_method(name: str):
    def method(a, b):
        tag = max(x.tag for x in (a, b) if isinstance(x, _DualBase))
        return _binary_function(name, *_parts(a, tag), *_parts(b, tag), tag)

    return method


_Duals = Dual | DualArray
_Plain = int | float | complex | np.number | np.ndarray | Scalar
for _name in UNARY:
    register(ELEMENTARY[_name], _unary_method(_name), _Duals)
for _name in BINARY:
    # Dual is also a Scalar: precedence settles (Dual, Dual) between these two methods.
    register(ELEMENTARY[_name], _binary_method(_name), _Duals, _Duals | _Plain, precedence=1)
    register(ELEMENTARY[_name], _binary_method(_name), _Plain, _Duals)


@dispatch
def value(x: Dual | DualArray):
    return value(x.value)


@dispatch
def norm(x: Dual | DualArray):
    k = x.partials.shape[0]
    return math.sqrt((norm(x.value) ** 2 + k * norm(x.partials) ** 2) / (k + 1))


@dispatch
def eps(T: type[Dual]):
    return eps(float)


@dispatch
def eps(x: Dual | DualArray):
    return eps(x.value)


@dispatch
def eltype(x: Dual | DualArray):
    return Dual


@dispatch
def real(x: Dual | DualArray):
    return _make(real(x.value), real(x.partials), x.tag)


@dispatch
def imag(x: Dual | DualArray):
    return _make(imag(x.value), imag(x.partials), x.tag)


@dispatch
def conj(x: Dual | DualArray):
    return _make(conj(x.value), conj(x.partials), x.tag)


@dispatch
def isfinite(x: Dual | DualArray):
    return isfinite(x.value)


# ----------------------------------------------------------------------------- NumPy protocol

_ARITHMETIC_UFUNCS = {
    np.add: (_add, operator.add), np.subtract: (_sub, operator.sub),
    np.multiply: (_mul, operator.mul), np.true_divide: (_div, operator.truediv),
    np.power: (_pow, operator.pow), np.matmul: (_matmul, operator.matmul),
}
_GENERIC_UFUNCS = {
    np.sin: "sin", np.cos: "cos", np.tan: "tan", np.arcsin: "asin", np.arccos: "acos",
    np.arctan: "atan", np.sinh: "sinh", np.cosh: "cosh", np.tanh: "tanh", np.arcsinh: "asinh",
    np.arccosh: "acosh", np.arctanh: "atanh", np.exp: "exp", np.expm1: "expm1",
    np.exp2: "exp2", np.log: "log", np.log1p: "log1p", np.log2: "log2", np.log10: "log10",
    np.sqrt: "sqrt", np.cbrt: "cbrt", np.absolute: "abs", np.sign: "sign", np.floor: "floor",
    np.ceil: "ceil", np.arctan2: "atan2", np.hypot: "hypot",
}
# NumPy's object loops (np.sin of an object array of duals) call the element's method named
# after the ufunc (x.sin(), x.arctan2(y)) or math.floor / math.ceil.
for _ufunc, _name in _GENERIC_UFUNCS.items():
    setattr(_DualBase, _ufunc.__name__, lambda self, *args, _f=ELEMENTARY[_name]: _f(self, *args))
_DualBase.__floor__ = _DualBase.floor
_DualBase.__ceil__ = _DualBase.ceil

_VALUE_UFUNCS = {  # decided on values alone
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf,
}


def _array_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__" and not kwargs.get("out"):
        if ufunc in _VALUE_UFUNCS:
            return ufunc(*(value(x) for x in inputs))
        if any(isinstance(x, np.ndarray) and x.dtype == object for x in inputs):
            return _elementwise(lambda *a: ufunc(*a), *inputs)
        if ufunc in _ARITHMETIC_UFUNCS:
            return _binary(*_ARITHMETIC_UFUNCS[ufunc], *inputs)
        if ufunc in _GENERIC_UFUNCS:
            return ELEMENTARY[_GENERIC_UFUNCS[ufunc]](*inputs)
        if ufunc is np.negative:
            return -inputs[0]
        if ufunc is np.positive:
            return inputs[0]
        if ufunc is np.square:
            return inputs[0] * inputs[0]
        if ufunc is np.reciprocal:
            return 1 / inputs[0]
    if method == "reduce" and ufunc is np.add and isinstance(inputs[0], DualArray):
        if not kwargs.get("out") and not kwargs.get("keepdims"):
            return inputs[0].sum(kwargs.get("axis", 0))
    objects = [np.asarray(x) if isinstance(x, DualArray) else x for x in inputs]
    if any(isinstance(x, Dual) for x in objects):
        return _elementwise(lambda *a: getattr(ufunc, method)(*a, **kwargs), *objects)
    return getattr(ufunc, method)(*objects, **kwargs)


def _np_sum(a, axis=None, **kwargs):
    return a.sum(axis) if isinstance(a, DualArray) and not kwargs else NotImplemented


def _np_dot(a, b, out=None):
    if out is None and max(np.ndim(value(a)), np.ndim(value(b))) <= 2:
        return a @ b if np.ndim(value(a)) and np.ndim(value(b)) else a * b
    return NotImplemented


def _np_join(join: Callable):
    def handler(arrays, axis=0, **kwargs):
        duals = [a for a in arrays if isinstance(a, DualArray)]
        if kwargs or not duals or len({a.tag for a in duals}) != 1:
            return NotImplemented
        if any(isinstance(a, np.ndarray) and a.dtype == object for a in arrays):
            return NotImplemented
        tag, k = duals[0].tag, duals[0].npartials
        values = [a.value if isinstance(a, DualArray) else np.asarray(a) for a in arrays]
        partials = [a.partials if isinstance(a, DualArray) else
                    np.zeros((k,) + np.shape(a)) for a in arrays]
        ndim = max(v.ndim for v in values) + (join is np.stack)
        return DualArray(join(values, axis=axis), join(partials, axis=axis % ndim + 1), tag)

    return handler


def _np_shape_of(func):
    return lambda a, *args, **kwargs: func(value(a), *args, **kwargs)


_ARRAY_FUNCTIONS = {
    np.sum: _np_sum,
    np.dot: _np_dot,
    np.concatenate: _np_join(np.concatenate),
    np.stack: _np_join(np.stack),
    np.shape: _np_shape_of(np.shape),
    np.ndim: _np_shape_of(np.ndim),
    np.size: _np_shape_of(np.size),
    np.reshape: lambda a, shape, **kw: a.reshape(shape) if not kw else NotImplemented,
    np.transpose: lambda a, axes=None: a.transpose(*(axes or ())),
}


# ----------------------------------------------------------------------------- differentiation


def _seed(x, directions: np.ndarray, tag: int):
    """``x`` (scalar or array) as a dual whose partials are ``directions`` (shape (k,) + S)."""
    if _is_array(x) or isinstance(x, np.ndarray):
        return DualArray(x, directions, tag)
    return Dual(x, directions, tag)


def _unit_directions(x, start: int, stop: int) -> np.ndarray:
    """Partials seeding directions start..stop of the flattened input ``x``."""
    shape = np.shape(value(x)) if not isinstance(x, DualArray) else x.shape
    n = math.prod(shape)
    dtype = _partials_dtype(x)
    eye = np.zeros((stop - start, n), dtype=dtype)
    for j, i in enumerate(range(start, stop)):
        eye[j, i] = 1
    if dtype.kind == "O":  # constants in the value's own type (mpf stays mpf)
        one = _one_like(x)
        eye = np.where(eye == 1, one, one * 0)
    return eye.reshape((stop - start,) + shape)


def _partials_dtype(x):
    if isinstance(x, np.ndarray) and x.dtype.kind in "fc":
        return x.dtype
    if isinstance(x, (np.floating, np.complexfloating)):
        return np.dtype(type(x))
    if isinstance(x, (float, int, np.integer)):
        return np.dtype(float)
    if isinstance(x, np.ndarray) and x.dtype.kind in "iub":
        return np.dtype(float)
    return np.dtype(object)


def _one_like(x):
    element = x.flat[0] if isinstance(x, np.ndarray) else x
    if isinstance(element, _DualBase):
        return 1.0  # a dual of another tag: its partials are constants of the value type
    return element * 0 + 1


def _extract(y, tag: int, k: int):
    """Partials of ``y`` with respect to ``tag``, shape (k,) + shape(y); zero if constant."""
    if isinstance(y, _DualBase) and y.tag == tag:
        return y.partials
    if isinstance(y, _DualBase) and y.tag > tag:
        raise TagError(
            f"the function returned a dual of tag {y.tag}, a perturbation of a differentiation "
            f"newer than this one (tag {tag}); a dual escaped the derivative call that made it"
        )
    if isinstance(y, (list, tuple)):
        has_duals = any(isinstance(e, _DualBase) for e in y)
        y = np.asarray(y, dtype=object) if has_duals else np.asarray(y)
    if isinstance(y, np.ndarray) and y.dtype == object:
        return _from_objects(y, tag, k).partials
    if isinstance(y, np.ndarray) or isinstance(y, _DualBase):
        return np.zeros((k,) + np.shape(value(y)))
    return np.zeros((k,)) if not isinstance(y, complex) else np.zeros((k,), dtype=complex)


def _check_no_stale_tags(result) -> None:
    active = set(_active_tags())
    stack = [result]
    while stack:
        item = stack.pop()
        if isinstance(item, _DualBase):
            if item.tag and item.tag not in active:
                raise TagError(
                    f"a dual of tag {item.tag} appears in the result, but the derivative call "
                    f"that made it has returned. A dual escaped its call (stored in a closure, a "
                    f"global or a cache) and was mixed into this one; recompute it inside."
                )
            stack.extend([item.value, item.partials])
        elif isinstance(item, np.ndarray) and item.dtype == object:
            stack.extend(item.flat)


def _differentiate(f: Callable, x, chunk: int | None):
    """Partials of f at x over all input directions, shape shape(f(x)) + shape(x)."""
    x_shape = np.shape(value(x)) if not isinstance(x, DualArray) else x.shape
    n = math.prod(x_shape)
    chunk = n if chunk is None else max(1, min(chunk, n))
    columns = []
    for start in range(0, max(n, 1), chunk):
        stop = min(start + chunk, n)
        tag = next(_tag_counter)
        _active_tags().append(tag)
        try:
            y = f(_seed(x, _unit_directions(x, start, stop), tag))
            columns.append(_extract(y, tag, stop - start))
        finally:
            _active_tags().pop()
    partials = columns[0] if len(columns) == 1 else np.concatenate(columns, axis=0)
    y_shape = tuple(partials.shape[1:])
    moved = partials.transpose(*range(1, len(partials.shape)), 0)  # (k,) + T -> T + (k,)
    result = moved.reshape(y_shape + tuple(x_shape))
    _check_no_stale_tags(result)
    return result


def _as_input(x):
    if isinstance(x, (list, tuple)):
        return np.asarray(x, dtype=object if any(isinstance(e, _DualBase) for e in x) else None)
    return x


def derivative(f: Callable, x):
    """Derivative of ``f`` at scalar ``x``: a scalar for scalar ``f``, an ndarray of the shape of
    ``f(x)`` for array-valued ``f``. Works through closures, generic functions, NumPy ufuncs,
    and nested calls (``derivative(lambda x: x * derivative(lambda y: x + y, 1.0), 1.0) == 1``).
    """
    if np.ndim(value(x)) != 0 or isinstance(x, DualArray):
        raise ValueError("derivative takes a scalar x; use g.gradient or g.jacobian for arrays")
    d = _differentiate(f, x, None)
    return d[()] if isinstance(d, np.ndarray) and d.ndim == 0 else d


def gradient(f: Callable, x, chunk: int | None = None):
    """Gradient of scalar ``f`` at array ``x``: an ndarray of ``x``'s shape.

    ``chunk`` limits how many partials one evaluation of ``f`` carries (``f`` is evaluated
    ceil(n / chunk) times); by default all n at once.
    """
    x = _as_input(x)
    g = _differentiate(f, x, chunk)
    x_ndim = x.ndim if isinstance(x, DualArray) else np.ndim(value(x))
    if (g.ndim if isinstance(g, DualArray) else np.ndim(g)) != x_ndim:
        raise ValueError("gradient needs a scalar-valued f; use g.jacobian for array-valued f")
    return g


def jacobian(f: Callable, x, chunk: int | None = None):
    """Jacobian of ``f`` at ``x``: ``J[i..., j...] = d f(x)[i...] / d x[j...]``, an ndarray of
    shape ``shape(f(x)) + shape(x)`` (m × n for f: R^n -> R^m)."""
    return _differentiate(f, _as_input(x), chunk)


def hessian(f: Callable, x, chunk: int | None = None):
    """Hessian of scalar ``f`` at array ``x``: shape ``shape(x) + shape(x)``, by forward over
    forward differentiation (a jacobian of the gradient)."""
    return jacobian(lambda y: gradient(f, y, chunk), _as_input(x), chunk)
