"""Measurements: linear error propagation with correlations (like Julia's Measurements.jl).

``g.measurement(5.23, 0.14)`` makes an independent uncertain quantity: a new *source* of
uncertainty with its own standard deviation. Every quantity computed from measurements carries its
value and its partial derivatives with respect to the sources it depends on, so correlations are
exact to first order: ``x - x`` is ``0 ± 0``, while two separate measurements of 5.23 ± 0.14
differ by ``0 ± 0.198`` (= 0.14·√2). The standard deviation is ``sqrt(sum_s (∂f/∂s · σ_s)²)``.

The algebra (sum, product and chain rules, arrays, the NumPy protocol) is shared with dual
numbers in :mod:`generic.numbers.jet`; this module adds what is particular to measurements:

* A *source* (``_Source``) is a unique increasing id, the value and the standard deviation it was
  created with (and, once it has met the ``uncertainties`` package, its ``Variable``).
* A *sources* set (``_Sources``) is a tuple of sources sorted by id: the axes of the partials. It
  is interned: equal sets are the same object, so the common case (operands over the same
  sources) costs an ``is`` test and no alignment. Operands over different sets are aligned onto
  their union, whose index maps are cached per pair.
* ``Measurement``: ``value`` (float, NumPy scalar, mpmath ``mpf``, ...) and ``partials`` of shape
  ``(m,)`` over ``sources``; ``MeasurementArray``: ``value`` of shape S, ``partials`` (m,) + S.

Partials are dense: an array of n *independent* measurements carries an n x n partials matrix.
That suits states and parameters (up to a few thousand sources); for larger independent data use
an object array of scalar measurements (see docs/measurements.md). The error norm counts values
only; comparisons compare values.
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
import uuid
import weakref
from collections.abc import Callable

import mpmath
import numpy as np
from uncertainties.core import AffineScalarFunc as UFloat
from uncertainties.core import LinearCombination, Variable

from ..dispatch import Scalar, dispatch
from ..functions import ELEMENTARY, norm, uncertainty, value
from .jet import ArrayJet, Jet, ScalarJet, is_objects, register_jet_methods

__all__ = [
    "Measurement",
    "MeasurementArray",
    "measurement",
    "covariance",
    "correlation",
    "from_uncertainties",
    "to_uncertainties",
]

# An array of n independent measurements holds n x n partials; refuse sizes that cannot be meant.
_MAX_DENSE_PARTIALS = 2**28  # 2 GiB of float64


# ----------------------------------------------------------------------------- sources


class _Source:
    """One independent source of uncertainty.

    Ids are per process, so a pickled source travels with an ``origin`` (process token, id):
    unpickling maps an origin to one live source (a new one, with a fresh id, the first time), so
    measurements sent to a worker process and back stay correlated with the originals, and
    ``copy.deepcopy`` keeps correlations.
    """

    __slots__ = ("id", "value", "std", "variable", "origin", "__weakref__")

    def __init__(self, id_: int, value_, std, variable=None):
        self.id, self.value, self.std, self.variable = id_, value_, std, variable
        self.origin = None

    def __reduce__(self):
        if self.origin is None:
            self.origin = (_PROCESS, self.id)
            _by_origin[self.origin] = self
        return _restore_source, (self.origin, self.value, self.std)


_PROCESS = uuid.uuid4().hex
_by_origin: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _restore_source(origin: tuple, value_, std) -> _Source:
    source = _by_origin.get(origin)
    if source is None:
        source = _Source(_next_id(), value_, std)
        source.origin = origin
        _by_origin[origin] = source
    return source


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
    out = np.zeros((len(union),) + tuple(partials.shape[1:]), dtype=partials.dtype)
    out[positions] = partials
    return out


# ----------------------------------------------------------------------------- the types

_CONSTANTS = (numbers.Real, np.generic, mpmath.mpf, np.ndarray)


class _MeasurementFamily(Jet):
    """Measurements: the axes are the sources of uncertainty (an interned ``_Sources``)."""

    __slots__ = ()
    __generic_priority__ = 50  # inside duals: a dual meeting a measurement is a dual of them
    noun = "measurement"
    drops = "its uncertainty"

    sources = property(lambda self: self.axes)

    @property
    def std(self):
        """Standard deviation (``g.uncertainty(self)``)."""
        return _std(self.partials, self.axes)

    @classmethod
    def _align(cls, a, b):
        if a.axes is b.axes:
            return a.value, a.partials, b.value, b.partials, a.axes
        union, ia, ib = _union(a.axes, b.axes)
        return a.value, _widen(a.partials, ia, union), b.value, _widen(b.partials, ib, union), union

    @classmethod
    def _operand(cls, x):
        """uncertainties numbers become measurements (keeping their correlations)."""
        if isinstance(x, UFloat):
            return from_uncertainties(x)
        return x if isinstance(x, (Jet, *_CONSTANTS)) else NotImplemented

    def __reduce__(self):
        return _restore, (type(self), self.value, self.partials, self.axes.items)


def _restore(cls, value_, partials, items):
    """Unpickle: restored sources may sort differently, so the partials follow their order."""
    order = sorted(range(len(items)), key=lambda i: items[i].id)
    if order != list(range(len(items))):
        partials = partials[order]
    return cls(value_, partials, _intern([items[i] for i in order]))


class Measurement(_MeasurementFamily, ScalarJet):
    """A real number with a standard uncertainty, correlated through shared sources.

    Make one with :func:`measurement`; ``Measurement(value, partials, sources)`` is the low-level
    constructor used by the arithmetic. ``x.value`` is the value in its own type (float, mpf, ...),
    ``g.value(x)`` the float, ``x.std`` or ``g.uncertainty(x)`` the standard deviation.
    """

    __slots__ = ()

    def __repr__(self):
        return f"{_num(self.value)} ± {_num(self.std)}"

    def __str__(self):
        return _short(self.value, self.std)

    def __format__(self, spec: str):
        if not spec:
            return str(self)
        return f"{_format_number(self.value, spec)} ± {_format_number(self.std, spec)}"

    def derivatives(self) -> dict:
        """{(source id, source std): ∂self/∂source} for every source self depends on."""
        pairs = zip(self.axes.items, self.partials.tolist(), strict=True)
        return {(s.id, s.std): d for s, d in pairs}


class MeasurementArray(_MeasurementFamily, ArrayJet):
    """An array of measurements: ``value`` of shape S, ``partials`` of shape (m,) + S over one
    sources set. Indexing gives a ``Measurement`` for one element and a copy for a slice."""

    __slots__ = ()

    def __repr__(self):
        return f"MeasurementArray({_array_text(self, repr)})"

    def __str__(self):
        return _array_text(self, str)


_MeasurementFamily.family = _MeasurementFamily
_MeasurementFamily.scalar, _MeasurementFamily.array = Measurement, MeasurementArray
Scalar.register(Measurement)


# ----------------------------------------------------------------------------- construction


def measurement(value_, std):
    """An independent uncertain quantity: a new source of uncertainty.

    ``measurement(5.23, 0.14)`` gives a :class:`Measurement`. Arrays (``value_`` and ``std`` of
    one shape, or a scalar ``std``) give a :class:`MeasurementArray` with one independent source
    per element. Values may be any real number type (float, mpmath ``mpf``, ...); integers become
    floats. ``std`` must be >= 0 (nan is allowed, as in ``uncertainties``).
    """
    if any(isinstance(a, (_MeasurementFamily, UFloat)) for a in (value_, std)):
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
    items = tuple(_Source(_next_id(), v, s) for v, s in zip(values.flat, stds.flat, strict=True))
    return MeasurementArray(values.copy(), np.eye(n).reshape((n,) + values.shape), _intern(items))


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


def _std(partials, sources: _Sources):
    """sqrt(sum_s (partial_s * std_s)^2) over the sources axis (the first)."""
    std = sources.std.reshape((-1,) + (1,) * (partials.ndim - 1))
    q = partials * std
    if partials.ndim == 1:
        s2 = q @ q if len(q) else 0.0
        return math.sqrt(s2) if isinstance(s2, (float, np.floating)) else ELEMENTARY["sqrt"](s2)
    s2 = np.einsum("i...,i...->...", q, q) if q.dtype != object else (q * q).sum(0)
    return np.sqrt(s2) if s2.dtype != object else ELEMENTARY["sqrt"](s2)


def _as_measurement(x) -> Measurement:
    """A scalar element as a Measurement: measurements as they are, ufloats converted,
    numbers as constants (no sources)."""
    if isinstance(x, Measurement):
        return x
    if isinstance(x, UFloat):
        return from_uncertainties(x)
    if isinstance(x, _CONSTANTS[:3]):
        return Measurement(_real(x, "value"), np.zeros(0), _NO_SOURCES)
    raise TypeError(f"cannot use {type(x).__qualname__} as a measurement: expected a number, a "
                    f"Measurement or an uncertainties number")


def _from_objects(array: np.ndarray) -> MeasurementArray:
    """A MeasurementArray from an object array of measurements, ufloats and numbers."""
    items = [_as_measurement(x) for x in array.flat]
    if items and all(m.axes is items[0].axes and type(m.value) is float for m in items):
        # one sources set (a right-hand side's np.array([...]) of one solve): stacked at once
        partials = np.stack([m.partials for m in items], axis=-1)
        return MeasurementArray(np.array([m.value for m in items]).reshape(array.shape),
                                partials.reshape((len(items[0].axes),) + array.shape),
                                items[0].axes)
    merged = {s.id: s for m in items for s in m.axes.items}
    sources = _intern([merged[i] for i in sorted(merged)])
    dtype = np.result_type(*({m.partials.dtype for m in items} or {np.dtype(float)}))
    partials = np.zeros((len(sources), len(items)), dtype=dtype)
    for column, m in enumerate(items):
        partials[np.searchsorted(sources.ids, m.axes.ids), column] = m.partials
    values = np.array([m.value for m in items]).reshape(array.shape) if items else \
        np.zeros(array.shape)
    return MeasurementArray(values, partials.reshape((len(sources),) + array.shape), sources)


_MeasurementFamily._from_objects = staticmethod(lambda array, like: _from_objects(array))


def _as_vector(xs) -> MeasurementArray:
    """A 1-d MeasurementArray from a MeasurementArray or a sequence of scalars."""
    if isinstance(xs, MeasurementArray):
        return xs.reshape(-1)
    if isinstance(xs, _MeasurementFamily | UFloat):
        xs = [xs]
    items = list(xs.flat) if isinstance(xs, np.ndarray) else list(xs)
    return _from_objects(np.array(items, dtype=object).reshape(-1))


# ----------------------------------------------------------------------------- text


def _num(x) -> str:
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    if isinstance(x, (int, np.integer)):
        return repr(int(x))
    return str(x)


def _format_number(x, spec: str) -> str:
    try:
        return format(x, spec)
    except (TypeError, ValueError):  # types without format specs (mpf): as a float
        return format(float(value(x)), spec)


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
    pairs = zip(x.value.reshape(-1).tolist(), np.asarray(x.std).reshape(-1).tolist(),
                strict=True)
    texts = np.empty(x.size, dtype=object)
    texts[:] = [f"{_num(v)} ± {_num(s)}" if fmt is repr else _short(v, s) for v, s in pairs]
    return np.array2string(texts.reshape(x.shape), separator=", ",
                           formatter={"all": lambda t: t})


# ----------------------------------------------------------------------------- generic methods

register_jet_methods(Measurement, MeasurementArray,
                     int | float | np.generic | np.ndarray | mpmath.mpf | UFloat)


@dispatch
def norm(x: Measurement | MeasurementArray):
    return norm(x.value)  # values only: uncertainties are not errors a step controller sees


@dispatch
def uncertainty(x: Measurement | MeasurementArray):
    return x.std


def covariance(xs) -> np.ndarray:
    """Covariance matrix of a MeasurementArray (flattened) or a sequence of Measurements (and
    uncertainties numbers): ``C[i, j] = sum_s ∂x_i/∂s ∂x_j/∂s σ_s²``."""
    x = _as_vector(xs)
    q = x.partials * x.axes.std[:, None]
    return q.T @ q


def correlation(xs) -> np.ndarray:
    """Correlation matrix ``C[i, j] / (σ_i σ_j)`` of ``xs`` (see :func:`covariance`); entries of
    an exact element (σ = 0) are nan."""
    c = covariance(xs)
    s = np.sqrt(np.diagonal(c).astype(float) if c.dtype != object else np.diagonal(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        return c / s[:, None] / s[None, :]


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
        for source, d in zip(x.axes.items, x.partials.tolist(), strict=True):
            if d != 0:
                linear[_variable_for(source)] = float(d)
        return UFloat(float(value(x)), LinearCombination(linear))
    if isinstance(x, MeasurementArray) or is_objects(x):
        return np.frompyfunc(to_uncertainties, 1, 1)(np.asarray(x))
    if isinstance(x, _CONSTANTS):
        return x
    raise TypeError(f"g.to_uncertainties takes a Measurement or a MeasurementArray, got "
                    f"{type(x).__qualname__}")
