"""Measurements: linear error propagation with correlations (like Julia's Measurements.jl).

``g.measurement(5.23, 0.14)`` makes an independent uncertain quantity: a new *source* of
uncertainty with its own standard deviation. Every quantity computed from measurements carries its
value and its partial derivatives with respect to the sources it depends on, so correlations are
exact to first order: ``x - x`` is ``0 ± 0``, while two separate measurements of 5.23 ± 0.14
differ by ``0 ± 0.198`` (= 0.14·√2). The standard deviation is ``sqrt(sum_s (∂f/∂s · σ_s)²)``.

Representation
--------------
* A *source* (``_Source``) is a unique increasing id, the value and the standard deviation it was
  created with (and, once it has met the ``uncertainties`` package, its ``Variable``).
* A *sources* set (``_Sources``) is a tuple of sources sorted by id. It is interned: equal sets are
  the same object, so the common case (operands over the same sources) costs an ``is`` test and
  no alignment. Operands over different sets are aligned onto their union, whose index maps are
  cached per pair.
* ``Measurement``: ``value`` (any real number type: float, NumPy scalar, mpmath ``mpf``) and a
  dense ``partials`` vector of shape ``(m,)`` over ``sources``.
* ``MeasurementArray``: ``value`` of shape S and ``partials`` of shape S + (m,) over one sources
  set, so arithmetic on 10^4 elements costs a few NumPy calls, no Python loop over elements.
  Each MeasurementArray owns its arrays (indexing and reshaping copy), so assignment is safe.

Partials are dense: an array of n *independent* measurements carries an n x n partials matrix.
That suits states and parameters (up to a few thousand sources); for larger independent data use
an object array of scalar measurements (see docs/measurements.md).

The chain rules come from ``generic.functions.DERIVATIVES``; comparisons compare values only.
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
import operator
import sys
import weakref
from collections.abc import Callable

import mpmath
import numpy as np
from uncertainties.core import AffineScalarFunc as UFloat
from uncertainties.core import LinearCombination, Variable

from ..dispatch import Scalar, dispatch, generic_function, register
from ..functions import (
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

__all__ = [
    "Measurement",
    "MeasurementArray",
    "measurement",
    "uncertainty",
    "covariance",
    "correlation",
    "from_uncertainties",
    "to_uncertainties",
]

# Priority among number types that wrap one another (see generic.numbers.dual): duals (100) are
# outer, so a dual meeting a measurement returns a dual of measurements, never the reverse.
GENERIC_PRIORITY = 50

# An array of n independent measurements holds n x n partials; refuse sizes that cannot be meant.
_MAX_DENSE_PARTIALS = 2**28  # 2 GiB of float64


# ----------------------------------------------------------------------------- sources


class _Source:
    """One independent source of uncertainty."""

    __slots__ = ("id", "value", "std", "variable", "__weakref__")

    def __init__(self, id_: int, value_, std, variable=None):
        self.id, self.value, self.std, self.variable = id_, value_, std, variable


class _Sources:
    """An interned, id-sorted tuple of sources; equal sets are the same object."""

    __slots__ = ("items", "ids", "std", "__weakref__")

    def __init__(self, items: tuple):
        self.items = items
        self.ids = np.fromiter((s.id for s in items), dtype=np.int64, count=len(items))
        stds = [s.std for s in items]
        self.std = np.array(stds, dtype=float if all(
            isinstance(s, (float, int, np.floating, np.integer)) for s in stds) else object)

    def __len__(self):
        return len(self.items)


_next_id = itertools.count(1).__next__  # atomic in CPython
_interned: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _intern(items) -> _Sources:
    """The one ``_Sources`` for these sources (``items`` sorted by id, without repeats)."""
    key = tuple(s.id for s in items)
    found = _interned.get(key)
    if found is None:
        found = _interned[key] = _Sources(tuple(items))
    return found


_NO_SOURCES = _intern(())


@functools.lru_cache(maxsize=256)
def _union(a: _Sources, b: _Sources):
    """(union, positions of a's sources in it or None if a is the union, same for b)."""
    merged = {s.id: s for s in a.items}
    merged.update((s.id, s) for s in b.items)
    union = _intern([merged[i] for i in sorted(merged)])
    ia = None if union is a else np.searchsorted(union.ids, a.ids)
    ib = None if union is b else np.searchsorted(union.ids, b.ids)
    return union, ia, ib


def _widen(partials: np.ndarray, positions, union: _Sources) -> np.ndarray:
    """``partials`` over a subset of ``union``'s sources, spread onto all of them."""
    if positions is None:
        return partials
    out = np.zeros(partials.shape[:-1] + (len(union),), dtype=partials.dtype)
    out[..., positions] = partials
    return out


def _align(a, b):
    """The partials of ``a`` and ``b`` over one sources set, and that set."""
    if a.sources is b.sources:
        return a.partials, b.partials, a.sources
    union, ia, ib = _union(a.sources, b.sources)
    return _widen(a.partials, ia, union), _widen(b.partials, ib, union), union


# ----------------------------------------------------------------------------- the types


class _Uncertain:
    """Arithmetic shared by ``Measurement`` and ``MeasurementArray``: (value, partials, sources)."""

    __slots__ = ("value", "partials", "sources")
    __generic_priority__ = GENERIC_PRIORITY

    def __init__(self, value, partials, sources: _Sources):
        self.value = value
        self.partials = partials
        self.sources = sources

    @property
    def std(self):
        """Standard deviation (``g.uncertainty(self)``)."""
        return _std(self.partials, self.sources)

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
        return _binary(_pow_operator, operator.pow, self, other)

    def __rpow__(self, other):
        return _binary(_pow_operator, operator.pow, other, self)

    def __matmul__(self, other):
        return _binary(_matmul, operator.matmul, self, other)

    def __rmatmul__(self, other):
        return _binary(_matmul, operator.matmul, other, self)

    def __neg__(self):
        return _make(-self.value, -self.partials, self.sources)

    def __pos__(self):
        return self

    def __abs__(self):
        return ELEMENTARY["abs"](self)

    # Comparisons are by value (the uncertainty plays no part): documented in measurements.md.
    def __lt__(self, other):
        return _compare(operator.lt, self, other)

    def __le__(self, other):
        return _compare(operator.le, self, other)

    def __gt__(self, other):
        return _compare(operator.gt, self, other)

    def __ge__(self, other):
        return _compare(operator.ge, self, other)

    def __eq__(self, other):
        return _compare(operator.eq, self, other)

    def __ne__(self, other):
        return _compare(operator.ne, self, other)

    def __float__(self):
        raise TypeError(
            "float() of a measurement would silently drop its uncertainty. Use g.value(x) for "
            "the value and g.uncertainty(x) for the standard deviation; to propagate the "
            "uncertainty through a function, call the generic functions (g.sin, g.exp, ...) "
            "instead of math.sin or float()."
        )

    __int__ = __complex__ = __index__ = __float__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _array_ufunc(ufunc, method, inputs, kwargs)


class Measurement(_Uncertain):
    """A real number with a standard uncertainty, correlated through shared sources.

    Make one with :func:`measurement`; ``Measurement(value, partials, sources)`` is the low-level
    constructor used by the arithmetic. ``x.value`` is the value in its own type (float, mpf, ...),
    ``g.value(x)`` the float, ``x.std`` or ``g.uncertainty(x)`` the standard deviation.
    """

    __slots__ = ()

    def __hash__(self):
        return hash(self.value)

    def __bool__(self):
        return bool(self.value)

    def __repr__(self):
        return f"{_num(self.value)} ± {_num(self.std)}"

    def __str__(self):
        return _short(self.value, self.std)

    def __format__(self, spec: str):
        if not spec:
            return str(self)
        return f"{format(self.value, spec)} ± {format(self.std, spec)}"

    def derivatives(self) -> dict:
        """{(source id, source std): ∂self/∂source} for every source self depends on."""
        return {(s.id, s.std): d for s, d in zip(self.sources.items, self.partials.tolist())}


class MeasurementArray(_Uncertain):
    """An array of measurements: ``value`` of shape S and ``partials`` of shape S + (m,) over one
    sources set; the constructor takes ownership of both arrays.

    Indexing gives a ``Measurement`` for one element and a ``MeasurementArray`` (a copy) for a
    slice. NumPy functions without a method here run on ``np.asarray(x)``, an object array of
    ``Measurement``.
    """

    __slots__ = ()
    __hash__ = None

    def __init__(self, value, partials, sources: _Sources):
        value = np.asarray(value)
        if partials.shape != value.shape + (len(sources),):
            raise ValueError(
                f"MeasurementArray partials must have shape value.shape + (number of sources,):"
                f" value {value.shape}, partials {partials.shape}, {len(sources)} sources"
            )
        super().__init__(value, partials, sources)

    shape = property(lambda self: self.value.shape)
    ndim = property(lambda self: self.value.ndim)
    size = property(lambda self: self.value.size)
    dtype = property(lambda self: np.dtype(object))
    T = property(lambda self: self.transpose())

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __bool__(self):
        return bool(self.value)

    def __getitem__(self, index):
        value_ = self.value[index]
        partials = self.partials[_partials_index(index)]
        if np.may_share_memory(partials, self.partials):
            partials = partials.copy()
        if isinstance(value_, np.ndarray) and value_.ndim:
            return MeasurementArray(value_.copy(), partials, self.sources)
        return Measurement(value_[()] if isinstance(value_, np.ndarray) else value_, partials,
                           self.sources)

    def __setitem__(self, index, item):
        item = _operand(item)
        if isinstance(item, np.ndarray) and item.dtype == object:
            item = _from_objects(item)
        if item is NotImplemented:
            raise TypeError("a MeasurementArray element must be a number, a Measurement, a "
                            "ufloat, or an array of those")
        if not isinstance(item, _Uncertain):
            self.value[index] = item
            self.partials[_partials_index(index)] = 0
            return
        if item.sources is self.sources:
            partials = item.partials
        else:
            union, ia, ib = _union(self.sources, item.sources)
            self.partials, self.sources = _widen(self.partials, ia, union), union
            partials = _widen(item.partials, ib, union)
        self.value[index] = item.value
        self.partials[_partials_index(index)] = partials

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != object:
            self.__float__()
        out = np.empty(self.shape, dtype=object)
        for i in np.ndindex(self.shape):
            out[i] = self[i]
        return out

    def __repr__(self):
        return f"MeasurementArray({_array_text(self, repr)})"

    def __str__(self):
        return _array_text(self, str)

    def copy(self) -> MeasurementArray:
        return MeasurementArray(self.value.copy(), self.partials.copy(), self.sources)

    def reshape(self, *shape) -> MeasurementArray:
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        new_value = self.value.reshape(shape).copy()
        return MeasurementArray(
            new_value, self.partials.reshape(new_value.shape + (len(self.sources),)).copy(),
            self.sources)

    def ravel(self) -> MeasurementArray:
        return self.reshape(-1)

    flatten = ravel

    def transpose(self, *axes) -> MeasurementArray:
        axes = tuple(range(self.ndim))[::-1] if not axes else axes
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return MeasurementArray(self.value.transpose(axes).copy(),
                                self.partials.transpose(*axes, self.ndim).copy(), self.sources)

    def sum(self, axis=None, **kwargs):
        _no_kwargs("sum", kwargs)
        axes = tuple(range(self.ndim)) if axis is None else _positive_axes(axis, self.ndim)
        return _make(self.value.sum(axis=axes), self.partials.sum(axis=axes), self.sources)

    def mean(self, axis=None, **kwargs):
        _no_kwargs("mean", kwargs)
        axes = tuple(range(self.ndim)) if axis is None else _positive_axes(axis, self.ndim)
        return self.sum(axes) / math.prod(self.shape[a] for a in axes)

    def astype(self, dtype):
        if np.dtype(dtype) == object:
            return np.asarray(self)
        self.__float__()

    def tolist(self) -> list:
        return np.asarray(self).tolist()

    def __array_function__(self, func, types, args, kwargs):
        handler = _ARRAY_FUNCTIONS.get(func)
        if handler is not None:
            result = handler(*args, **kwargs)
            if result is not NotImplemented:
                return result
        return func(*_to_objects(args), **_to_objects(kwargs))


Scalar.register(Measurement)


# ----------------------------------------------------------------------------- construction


def measurement(value_, std):
    """An independent uncertain quantity: a new source of uncertainty.

    ``measurement(5.23, 0.14)`` gives a :class:`Measurement`. Arrays (``value_`` and ``std`` of
    one shape, or a scalar ``std``) give a :class:`MeasurementArray` with one independent source
    per element. Values may be any real number type (float, mpmath ``mpf``, ...); integers become
    floats. ``std`` must be >= 0 (nan is allowed, as in ``uncertainties``).
    """
    if isinstance(value_, (_Uncertain, UFloat)) or isinstance(std, (_Uncertain, UFloat)):
        raise TypeError("g.measurement(value, std) takes plain numbers; a quantity that is "
                        "already uncertain keeps its sources (use it directly, or "
                        "g.from_uncertainties(u) for an uncertainties number)")
    if np.ndim(value_) == 0 and np.ndim(std) == 0:
        value_, std = _real(value_, "value"), _real(std, "std")
        _check_std(std)
        source = _Source(_next_id(), value_, std)
        return Measurement(value_, np.ones(1), _intern((source,)))
    values, stds = np.broadcast_arrays(_real_array(value_), _real_array(std))
    if np.any(np.asarray(value(stds)) < 0):
        _check_std(float(np.min(value(stds))))
    n = values.size
    if n * n > _MAX_DENSE_PARTIALS:
        raise ValueError(
            f"g.measurement of {n} independent elements would hold a dense {n} x {n} partials "
            f"matrix ({n * n * 8 / 2**30:.0f} GiB). Use an object array of scalar measurements, "
            f"np.array([g.measurement(v, s) for v, s in zip(values, stds)], dtype=object), "
            f"which propagates elementwise with one source per element"
        )
    items = tuple(_Source(_next_id(), v, s) for v, s in zip(values.flat, stds.flat))
    return MeasurementArray(values.copy(), np.eye(n).reshape(values.shape + (n,)), _intern(items))


def _real(x, what: str):
    if isinstance(x, (bool, np.bool_)) or isinstance(x, (complex, np.complexfloating)):
        raise TypeError(f"g.measurement: the {what} must be a real number, got {x!r}")
    return float(x) if isinstance(x, (int, np.integer)) else x


def _real_array(x) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype.kind in "biu":
        return a.astype(float)
    if a.dtype.kind == "c":
        raise TypeError("g.measurement: values and stds must be real")
    return a


def _check_std(std):
    if std < 0:
        raise ValueError(f"g.measurement: a standard deviation must be >= 0, got {std!r}; "
                         "pass its absolute value")


def _make(value_, partials, sources: _Sources):
    """A Measurement or a MeasurementArray, as the value is a scalar or an array."""
    if isinstance(value_, np.ndarray):
        if value_.ndim == 0:
            return Measurement(value_[()], partials, sources)
        if partials.shape[:-1] != value_.shape:
            partials = np.broadcast_to(partials, value_.shape + partials.shape[-1:]).copy()
        return MeasurementArray(value_, partials, sources)
    return Measurement(value_, partials, sources)


def _std(partials, sources: _Sources):
    """sqrt(sum_s (partial_s * std_s)^2) over the last axis."""
    q = partials * sources.std
    if partials.ndim == 1:
        s2 = q @ q if len(q) else 0.0
        if isinstance(s2, (float, np.floating)):
            return math.sqrt(s2)
        return ELEMENTARY["sqrt"](s2)
    s2 = np.einsum("...i,...i->...", q, q) if q.dtype != object else (q * q).sum(-1)
    return np.sqrt(s2) if s2.dtype != object else ELEMENTARY["sqrt"](s2)


# ----------------------------------------------------------------------------- rules


def _col(x):
    """``x`` with a trailing axis, so it broadcasts against partials of shape S + (m,)."""
    return x[..., None] if isinstance(x, np.ndarray) and x.ndim else x


def _sum(a, b):
    """Sum of two partials terms, either of which may be None (a constant operand)."""
    if a is None or b is None:
        p = b if a is None else a
        return p.copy() if p.ndim > 1 else p  # arrays own their partials (see __setitem__)
    return a + b


def _all_finite(d) -> bool:
    if isinstance(d, float):
        return math.isfinite(d)
    if isinstance(d, (np.ndarray, np.generic)) and d.dtype.kind in "fiub":
        return bool(np.isfinite(d).all())
    return bool(np.all(isfinite(d)))


def _scale(d, p):
    """Derivative ``d`` times partials ``p``; a zero partial stays zero where ``d`` is infinite
    (a source that does not move the argument contributes nothing, never 0 · inf = nan)."""
    if p is None:
        return None
    if _all_finite(d):
        return _col(d) * p
    with np.errstate(invalid="ignore"):
        scaled = _col(d) * p
    return np.where(p == 0, p, scaled)


def _rule(rule: Callable, *args):
    """A derivative rule; at a singular point (1 / 0) the IEEE value (inf), without warnings."""
    if any(isinstance(a, (np.ndarray, np.generic)) for a in args):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return rule(*args)
    try:
        return rule(*args)
    except ZeroDivisionError:
        with np.errstate(all="ignore"):
            return rule(*(np.float64(a) if isinstance(a, (int, float)) else a for a in args))


def _add(av, ap, bv, bp, sources):
    return _make(av + bv, _sum(ap, bp), sources)


def _sub(av, ap, bv, bp, sources):
    return _make(av - bv, _sum(ap, None if bp is None else -bp), sources)


def _mul(av, ap, bv, bp, sources):
    return _make(av * bv, _sum(None if ap is None else _col(bv) * ap,
                               None if bp is None else _col(av) * bp), sources)


def _div(av, ap, bv, bp, sources):
    q = av / bv
    if bp is None:
        return _make(q, ap / _col(bv), sources)
    numerator = -_col(q) * bp if ap is None else ap - _col(q) * bp
    return _make(q, numerator / _col(bv), sources)


def _d_pow_base(x, y):
    """d(x**y)/dx = y x**(y-1), exactly 0 for y == 0 (also at x == 0)."""
    if np.ndim(y) == 0:
        return x * 0 if y == 0 else _rule(lambda x, y: y * x ** (y - 1), x, y)
    with np.errstate(all="ignore"):
        return np.where(y == 0, 0, y * x ** (y - 1))


def _d_pow_exponent(x, y, f):
    """d(x**y)/dy = x**y log(x), 0 at x == 0 for y > 0 (as in uncertainties)."""
    log = ELEMENTARY["log"]
    if np.ndim(x) == 0 and np.ndim(y) == 0:
        return f * 0 if (x == 0 and y > 0) else f * log(x)
    with np.errstate(all="ignore"):
        return np.where((x == 0) & (y > 0), 0, f * log(x))


def _pow_rule(power: Callable):
    def rule(av, ap, bv, bp, sources):
        f = power(av, bv)
        da = None if ap is None else _d_pow_base(av, bv)
        db = None if bp is None else _d_pow_exponent(av, bv, f)
        return _make(f, _sum(_scale(da, ap), _scale(db, bp)), sources)

    return rule


_pow_operator = _pow_rule(operator.pow)


def _table_rule(name: str):
    """The rule of a binary generic function from BINARY_DERIVATIVES."""
    if name == "pow":
        return _pow_rule(ELEMENTARY["pow"])
    func, derivative = ELEMENTARY[name], BINARY_DERIVATIVES[name]

    def rule(av, ap, bv, bp, sources):
        f = func(av, bv)
        da, db = _rule(derivative, av, bv, f)
        return _make(f, _sum(_scale(da, ap), _scale(db, bp)), sources)

    return rule


def _matmul(av, ap, bv, bp, sources):
    terms = []
    if ap is not None:  # d(a) @ b, with the sources axis moved first and back
        terms.append(np.moveaxis(np.moveaxis(ap, -1, 0) @ bv, 0, -1))
    if bp is not None:
        if np.ndim(bv) == 1:  # a @ d(b) for a vector b: (..., n) @ (n, m)
            terms.append(av @ bp)
        else:
            terms.append(np.moveaxis(av @ np.moveaxis(bp, -1, 0), 0, -1))
    return _make(av @ bv, terms[0] if len(terms) == 1 else terms[0] + terms[1], sources)


# ----------------------------------------------------------------------------- operands

_CONSTANTS = (numbers.Real, np.generic, mpmath.mpf)


def _operand(x):
    """``x`` ready for arithmetic with a measurement: measurements and arrays as they are,
    uncertainties numbers converted (keeping their correlations), NotImplemented otherwise."""
    if isinstance(x, (_Uncertain, np.ndarray)):
        return x
    if isinstance(x, UFloat):
        return from_uncertainties(x)
    if isinstance(x, _CONSTANTS):
        return x
    return NotImplemented


def _is_objects(x) -> bool:
    return isinstance(x, np.ndarray) and x.dtype == object


def _binary(rule: Callable, op: Callable, a, b):
    """``a op b`` with at least one measurement, by ``rule(av, ap, bv, bp, sources)``.

    Object arrays go elementwise unless a MeasurementArray is involved (then they are converted
    to one); types of higher priority (duals) wrap measurements, so they get NotImplemented.
    """
    for x in (a, b):
        if not isinstance(x, _Uncertain) and getattr(type(x), "__generic_priority__",
                                                     0) > GENERIC_PRIORITY:
            return NotImplemented
    a, b = _operand(a), _operand(b)
    if a is NotImplemented or b is NotImplemented:
        return NotImplemented
    if _is_objects(a) or _is_objects(b):
        if not (isinstance(a, MeasurementArray) or isinstance(b, MeasurementArray)):
            return _elementwise(op, a, b)
        a, b = (_from_objects(x) if _is_objects(x) else x for x in (a, b))
    if isinstance(a, _Uncertain):
        if isinstance(b, _Uncertain):
            ap, bp, sources = _align(a, b)
            return rule(a.value, ap, b.value, bp, sources)
        return rule(a.value, a.partials, b, None, a.sources)
    return rule(a, None, b.value, b.partials, b.sources)


def _elementwise(op: Callable, *args):
    """``op`` applied elementwise over object arrays (a Measurement counts as one element)."""
    wrapped = []
    for a in args:
        if isinstance(a, MeasurementArray):
            a = np.asarray(a)
        elif not isinstance(a, np.ndarray):
            boxed = np.empty((), dtype=object)
            boxed[()] = a
            a = boxed
        wrapped.append(a)
    return np.frompyfunc(op, len(args), 1)(*wrapped)


def _compare(op: Callable, a, b):
    b = _plain(b)
    if b is NotImplemented:
        return NotImplemented
    return op(a.value, b)


def _plain(x):
    """The value of a comparison operand."""
    if isinstance(x, _Uncertain):
        return x.value
    if isinstance(x, UFloat):
        return x.nominal_value
    if _is_objects(x):
        return value(x)
    if isinstance(x, (np.ndarray, *_CONSTANTS)):
        return x
    return NotImplemented


def _as_measurement(x) -> Measurement:
    """A scalar element as a Measurement: measurements as they are, ufloats converted,
    numbers as constants (no sources)."""
    if isinstance(x, Measurement):
        return x
    if isinstance(x, UFloat):
        return from_uncertainties(x)
    if isinstance(x, _CONSTANTS):
        return Measurement(_real(x, "value"), np.zeros(0), _NO_SOURCES)
    raise TypeError(f"cannot use {type(x).__qualname__} as a measurement: expected a number, a "
                    f"Measurement or an uncertainties number")


def _stack(items: list, shape: tuple) -> MeasurementArray:
    """A MeasurementArray of shape ``shape`` from a flat list of Measurements."""
    sets = {id(m.sources): m.sources for m in items}
    dtypes = {m.partials.dtype for m in items} or {np.dtype(float)}
    dtype = np.result_type(*dtypes)
    if len(sets) == 1:
        (sources,) = sets.values()
        partials = np.array([m.partials for m in items], dtype=dtype).reshape(
            shape + (len(sources),))
    else:
        merged = {s.id: s for src in sets.values() for s in src.items}
        sources = _intern([merged[i] for i in sorted(merged)])
        positions = {k: np.searchsorted(sources.ids, src.ids) for k, src in sets.items()}
        partials = np.zeros((len(items), len(sources)), dtype=dtype)
        for row, m in zip(partials, items):
            row[positions[id(m.sources)]] = m.partials
        partials = partials.reshape(shape + (len(sources),))
    values = np.empty(len(items), dtype=object)
    values[:] = [m.value for m in items]
    values = np.array(values.tolist()).reshape(shape) if items else np.zeros(shape)
    return MeasurementArray(values, partials, sources)


def _from_objects(array: np.ndarray) -> MeasurementArray:
    """A MeasurementArray from an object array of measurements, ufloats and numbers."""
    return _stack([_as_measurement(x) for x in array.flat], array.shape)


def _as_vector(xs) -> MeasurementArray:
    """A 1-d MeasurementArray from a MeasurementArray or a sequence of scalars."""
    if isinstance(xs, MeasurementArray):
        return xs.reshape(-1)
    if isinstance(xs, _Uncertain | UFloat):
        xs = [xs]
    return _from_objects(np.array(list(xs.flat) if isinstance(xs, np.ndarray) else list(xs),
                                  dtype=object).reshape(-1))


# ----------------------------------------------------------------------------- small helpers


def _partials_index(index):
    """Index of the partials array for an index of the value array (m stays the last axis)."""
    index = index if isinstance(index, tuple) else (index,)
    return index + (slice(None),) if Ellipsis in index else index + (Ellipsis, slice(None))


def _positive_axes(axis, ndim: int) -> tuple:
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim for a in axes)


def _no_kwargs(name: str, kwargs: dict):
    if any(v is not None and v is not False for v in kwargs.values()):
        raise TypeError(f"MeasurementArray.{name} takes only axis, got {sorted(kwargs)}; "
                        f"apply the operation to np.asarray(x) (an object array) instead")


def _to_objects(args):
    if isinstance(args, MeasurementArray):
        return np.asarray(args)
    if isinstance(args, (list, tuple)):
        return type(args)(_to_objects(a) for a in args)
    if isinstance(args, dict):
        return {k: _to_objects(v) for k, v in args.items()}
    return args


def _num(x) -> str:
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    if isinstance(x, (int, np.integer)):
        return repr(int(x))
    return str(x)


def _short(v, s) -> str:
    """``v ± s`` with s to two significant digits and v to the same decimal place."""
    try:
        vf, sf = float(value(v)), float(value(s))
    except (TypeError, ValueError):
        return f"{v} ± {s}"
    if not (math.isfinite(vf) and math.isfinite(sf) and sf > 0):
        return f"{_num(v)} ± {_num(s)}"
    lead = math.floor(math.log10(sf))
    big = math.floor(math.log10(max(abs(vf), sf)))
    if lead < -4 or big >= 6:  # scientific notation, exponent of the larger of the two
        digits = max(big - lead + 1, 1)
        scale = 10.0**big
        return f"({vf / scale:.{digits}f} ± {sf / scale:.{digits}f})e{big:+d}"
    decimals = max(1 - lead, 0)
    return f"{vf:.{decimals}f} ± {sf:.{decimals}f}"


def _array_text(x: MeasurementArray, fmt: Callable) -> str:
    pairs = zip(x.value.reshape(-1).tolist(), np.asarray(x.std).reshape(-1).tolist())
    texts = np.empty(x.size, dtype=object)
    texts[:] = [f"{_num(v)} ± {_num(s)}" if fmt is repr else _short(v, s) for v, s in pairs]
    return np.array2string(texts.reshape(x.shape), separator=", ",
                           formatter={"all": lambda t: t})


# ----------------------------------------------------------------------------- generic functions

_Measurements = Measurement | MeasurementArray
# Operands of binary generic functions that measurements take in (not Scalar or object: a type
# of higher priority, like Dual, registers its own method taking measurements as constants).
_Other = int | float | np.generic | np.ndarray | mpmath.mpf | UFloat


def _no_derivative(name: str) -> TypeError:
    return TypeError(
        f"generic.{name} of a measurement needs the derivative of {name}, and "
        f"generic.functions.DERIVATIVES has none for it. Propagate by hand "
        f"(g.{name}(g.value(x)) with your own derivative), or add the rule to DERIVATIVES."
    )


def _unary_method(name: str):
    func, derivative = ELEMENTARY[name], DERIVATIVES[name]

    def method(x):
        if derivative is None:
            raise _no_derivative(name)
        f = func(x.value)
        return _make(f, _scale(_rule(derivative, x.value, f), x.partials), x.sources)

    return method


def _binary_method(name: str):
    rule, func = _table_rule(name), ELEMENTARY[name]
    return lambda a, b: _binary(rule, func, a, b)


for _name in ELEMENTARY:
    if _name in UNARY:
        register(ELEMENTARY[_name], _unary_method(_name), _Measurements)
    else:
        _method = _binary_method(_name)
        register(ELEMENTARY[_name], _method, _Measurements, _Measurements)
        register(ELEMENTARY[_name], _method, _Measurements, _Other)
        register(ELEMENTARY[_name], _method, _Other, _Measurements)


@dispatch
def value(x: Measurement):
    v = x.value
    return v if type(v) is float else value(v)


@dispatch
def value(x: MeasurementArray):
    return value(x.value)


@dispatch
def norm(x: Measurement | MeasurementArray):
    return norm(x.value)  # values only: uncertainties are not errors a step controller sees


@dispatch
def eps(T: type[Measurement]):
    return sys.float_info.epsilon


@dispatch
def eps(x: Measurement | MeasurementArray):
    return eps(x.value)


@dispatch
def eltype(x: Measurement | MeasurementArray):
    return Measurement


@dispatch
def real(x: Measurement | MeasurementArray):
    return x


@dispatch
def imag(x: Measurement | MeasurementArray):
    return x * 0


@dispatch
def conj(x: Measurement | MeasurementArray):
    return x


@dispatch
def isfinite(x: Measurement | MeasurementArray):
    return isfinite(x.value)


@generic_function
def uncertainty(x):
    """Standard deviation of ``x``: a float for a scalar (in the value's type: mpf for an mpf
    measurement), an ndarray for an array. Exact numbers have uncertainty 0."""


@dispatch
def uncertainty(x: Measurement | MeasurementArray):
    return x.std


@dispatch
def uncertainty(x: UFloat):
    return x.std_dev


@dispatch
def uncertainty(x: int | float | np.generic | mpmath.mpf):
    return 0.0 if isinstance(x, int) else x * 0


@dispatch
def uncertainty(x: np.ndarray):
    if x.dtype != object:
        return np.zeros(x.shape)
    return np.array(np.frompyfunc(uncertainty, 1, 1)(x).tolist())


def covariance(xs) -> np.ndarray:
    """Covariance matrix of a MeasurementArray (flattened) or a sequence of Measurements (and
    uncertainties numbers): ``C[i, j] = sum_s ∂x_i/∂s ∂x_j/∂s σ_s²``."""
    x = _as_vector(xs)
    q = x.partials * x.sources.std
    return q @ q.T


def correlation(xs) -> np.ndarray:
    """Correlation matrix ``C[i, j] / (σ_i σ_j)`` of ``xs`` (see :func:`covariance`); entries of
    an exact element (σ = 0) are nan."""
    c = covariance(xs)
    s = np.sqrt(np.diagonal(c).astype(float) if c.dtype != object else np.diagonal(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        return c / s[:, None] / s[None, :]


# ----------------------------------------------------------------------------- NumPy protocol

_ARITHMETIC_UFUNCS = {
    np.add: (_add, operator.add), np.subtract: (_sub, operator.sub),
    np.multiply: (_mul, operator.mul), np.true_divide: (_div, operator.truediv),
    np.power: (_pow_operator, operator.pow), np.float_power: (_pow_operator, operator.pow),
    np.matmul: (_matmul, operator.matmul),
}
_GENERIC_UFUNCS = {
    np.sin: "sin", np.cos: "cos", np.tan: "tan", np.arcsin: "asin", np.arccos: "acos",
    np.arctan: "atan", np.sinh: "sinh", np.cosh: "cosh", np.tanh: "tanh", np.arcsinh: "asinh",
    np.arccosh: "acosh", np.arctanh: "atanh", np.exp: "exp", np.expm1: "expm1",
    np.exp2: "exp2", np.log: "log", np.log1p: "log1p", np.log2: "log2", np.log10: "log10",
    np.sqrt: "sqrt", np.cbrt: "cbrt", np.absolute: "abs", np.sign: "sign", np.floor: "floor",
    np.ceil: "ceil", np.arctan2: "atan2", np.hypot: "hypot",
}
# NumPy's object loops (np.sin of an object array of measurements) call the element's method
# named after the ufunc (x.sin(), x.arctan2(y)).
for _ufunc, _name in _GENERIC_UFUNCS.items():
    setattr(_Uncertain, _ufunc.__name__,
            lambda self, *args, _f=ELEMENTARY[_name]: _f(self, *args))

_VALUE_UFUNCS = {  # decided on values alone
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf,
}


def _array_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__" and not kwargs:
        if ufunc in _VALUE_UFUNCS:
            return ufunc(*(_plain(x) for x in inputs))
        if ufunc in _ARITHMETIC_UFUNCS:
            return _binary(*_ARITHMETIC_UFUNCS[ufunc], *inputs)
        if ufunc in _GENERIC_UFUNCS:
            if any(_is_objects(x) for x in inputs) and not any(
                    isinstance(x, MeasurementArray) for x in inputs):
                return _elementwise(ELEMENTARY[_GENERIC_UFUNCS[ufunc]], *inputs)
            return ELEMENTARY[_GENERIC_UFUNCS[ufunc]](*inputs)
        if ufunc is np.negative:
            return -inputs[0]
        if ufunc is np.positive:
            return +inputs[0]
        if ufunc is np.square:
            return inputs[0] * inputs[0]
        if ufunc is np.reciprocal:
            return 1 / inputs[0]
    if method == "reduce" and ufunc is np.add and isinstance(inputs[0], MeasurementArray):
        if set(kwargs) <= {"axis"}:
            return inputs[0].sum(kwargs.get("axis", 0))
    raise TypeError(
        f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
        + (f" with {sorted(kwargs)}" if kwargs else "")
        + " has no measurement rule. Use the generic functions (g.sin, g.atan2, ...) and "
        "operators, or apply it to np.asarray(x), an object array of Measurement"
    )


def _np_sum(a, axis=None, **kwargs):
    if isinstance(a, MeasurementArray) and not any(v is not None for v in kwargs.values()):
        return a.sum(axis)
    return NotImplemented


def _np_mean(a, axis=None, **kwargs):
    if isinstance(a, MeasurementArray) and not any(v is not None for v in kwargs.values()):
        return a.mean(axis)
    return NotImplemented


def _np_dot(a, b, out=None):
    if out is None and max(np.ndim(_plain(a)), np.ndim(_plain(b))) <= 2:
        return a @ b if np.ndim(_plain(a)) and np.ndim(_plain(b)) else a * b
    return NotImplemented


def _np_join(join: Callable):
    def handler(arrays, axis=0, **kwargs):
        if kwargs:
            return NotImplemented
        items = [a if isinstance(a, MeasurementArray) else
                 _from_objects(np.asarray(a, dtype=object)) for a in arrays]
        sources = items[0].sources
        for item in items[1:]:
            if item.sources is not sources:
                sources = _union(sources, item.sources)[0]
        partials = [_widen(m.partials, None if m.sources is sources else
                           _union(sources, m.sources)[2], sources) for m in items]
        ndim = max(m.ndim for m in items) + (join is np.stack)
        return MeasurementArray(join([m.value for m in items], axis=axis),
                                join(partials, axis=axis % ndim), sources)

    return handler


def _np_shape_of(func):
    return lambda a, *args, **kwargs: func(value(a), *args, **kwargs)


_ARRAY_FUNCTIONS = {
    np.sum: _np_sum,
    np.mean: _np_mean,
    np.dot: _np_dot,
    np.concatenate: _np_join(np.concatenate),
    np.stack: _np_join(np.stack),
    np.shape: _np_shape_of(np.shape),
    np.ndim: _np_shape_of(np.ndim),
    np.size: _np_shape_of(np.size),
    np.reshape: lambda a, shape, **kw: a.reshape(shape) if not kw else NotImplemented,
    np.transpose: lambda a, axes=None: a.transpose(*(axes or ())),
}


# ----------------------------------------------------------------------------- uncertainties

# Source of each uncertainties Variable that has met a measurement, keyed by id(variable):
# the source holds its variable, so the id stays valid while the entry exists, and the entry
# goes when no measurement uses the source any more (Variables allow no weak references).
_source_of_variable: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _source_for(var: Variable) -> _Source:
    source = _source_of_variable.get(id(var))
    if source is None:
        source = _Source(_next_id(), var.nominal_value, var.std_dev, var)
        _source_of_variable[id(var)] = source
    return source


def _variable_for(source: _Source) -> Variable:
    if source.variable is None:
        source.variable = Variable(float(value(source.value)), float(value(source.std)))
        _source_of_variable[id(source.variable)] = source
    return source.variable


def from_uncertainties(x):
    """A Measurement from an ``uncertainties`` number (a MeasurementArray from an array of them).

    Each uncertainties ``Variable`` maps to one generic source and back, always the same one, so
    round trips and expressions mixing both kinds stay correlated.
    """
    if isinstance(x, UFloat):
        derivatives = x.derivatives
        pairs = sorted(((_source_for(var), d) for var, d in derivatives.items()),
                       key=lambda pair: pair[0].id)
        return Measurement(x.nominal_value, np.array([d for _, d in pairs], dtype=float),
                           _intern([s for s, _ in pairs]))
    if isinstance(x, np.ndarray) and x.dtype == object:
        return _from_objects(x)
    if isinstance(x, (list, tuple)):
        return _from_objects(np.array(x, dtype=object))
    raise TypeError(f"g.from_uncertainties takes an uncertainties number (ufloat or derived) or "
                    f"an array of them (unumpy), got {type(x).__qualname__}")


def to_uncertainties(x):
    """An ``uncertainties`` number from a Measurement (an object array of them from a
    MeasurementArray); values are converted to float. Correlations are kept: see
    :func:`from_uncertainties`."""
    if isinstance(x, Measurement):
        linear = {}
        for source, d in zip(x.sources.items, x.partials.tolist()):
            if d != 0:
                linear[_variable_for(source)] = float(d)
        return UFloat(float(value(x)), LinearCombination(linear))
    if isinstance(x, MeasurementArray) or _is_objects(x):
        return np.frompyfunc(to_uncertainties, 1, 1)(np.asarray(x))
    if isinstance(x, _CONSTANTS):
        return x
    raise TypeError(f"g.to_uncertainties takes a Measurement or a MeasurementArray, got "
                    f"{type(x).__qualname__}")
