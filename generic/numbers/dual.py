"""Dual numbers: forward-mode automatic differentiation.

A dual number ``a + b·ε`` (ε² = 0) carries a value and partial derivatives. ``Dual`` is a scalar
with any number of partials; ``DualArray`` is a vectorised array of duals (a value array of shape
S and a partials array of shape (k,) + S, ``partials[i]`` the i-th partial derivative), so
arithmetic on 10^5 duals costs a few NumPy calls. Their algebra (sum, product and chain rules,
the NumPy protocol) is shared with measurements in :mod:`generic.numbers.jet`; this module adds
what is particular to duals: tags, the norm, and ``derivative``/``gradient``/``jacobian``/
``hessian``.

Tags keep nested differentiation right (Siskind & Pearlmutter, "Perturbation confusion and
referential transparency", 2005): each differentiation makes a new, larger tag; in an operation
mixing tags the larger tag is the outer dual and a smaller one is a constant inside its value.
Values may be any number type (float32, mpmath, duals of another tag, measurements).

Non-differentiable points: ``abs`` and ``sign`` use derivative ``sign(x)`` and 0, so ``abs`` has
derivative 0 at 0; ``sqrt`` at 0 has an infinite derivative, and a zero partial stays zero (a
direction the input does not move in contributes nothing, never ``0 · inf = nan``).
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Callable

import numpy as np

from ..dispatch import Scalar, dispatch
from ..functions import norm, value
from .jet import ArrayJet, Jet, ScalarJet, register_jet_methods

__all__ = ["Dual", "DualArray", "TagError", "derivative", "gradient", "jacobian", "hessian"]


class TagError(ValueError):
    """Duals of different differentiation calls were mixed in a way that cannot be right."""


_tag_counter = itertools.count(1)
_state = threading.local()


def _active_tags() -> list[int]:
    if not hasattr(_state, "active"):
        _state.active = []
    return _state.active


# ----------------------------------------------------------------------------- the types


class _DualFamily(Jet):
    """Duals: the axes are one differentiation, named by its tag (an int; 0 for hand-made)."""

    __slots__ = ()
    __generic_priority__ = 100  # outermost: the derivative of a measurement is a dual
    noun = "dual number"
    drops = "its derivatives"

    tag = property(lambda self: self.axes)

    @classmethod
    def _align(cls, a, b):
        if a.axes == b.axes:
            return a.value, a.partials, b.value, b.partials, a.axes
        if a.axes > b.axes:  # b belongs to an outer differentiation: a constant here
            return a.value, a.partials, b, None, a.axes
        return a, None, b.value, b.partials, b.axes


class Dual(_DualFamily, ScalarJet):
    """A dual number: ``value`` (any number type), ``partials`` (a 1-d array of k partial
    derivatives, or a list/tuple converted to one) and ``tag`` (0 for duals made by hand)."""

    __slots__ = ()

    def __init__(self, value, partials=(), tag: int = 0):
        if not isinstance(partials, (np.ndarray, ArrayJet)):
            partials = _as_partials(partials)
        Jet.__init__(self, value, partials, tag)

    def __repr__(self):
        tag = f", tag={self.tag}" if self.tag else ""
        partials = self.partials
        partials = partials.tolist() if isinstance(partials, np.ndarray) else partials
        return f"Dual({self.value!r}, {partials!r}{tag})"


class DualArray(_DualFamily, ArrayJet):
    """An array of dual numbers: ``value`` of shape S, ``partials`` of shape (k,) + S
    (``partials[i]`` is the i-th partial derivative of every element), ``tag`` as for Dual."""

    __slots__ = ()

    def __init__(self, value, partials, tag: int = 0):
        ArrayJet.__init__(self, value, partials, tag)

    def __repr__(self):
        tag = f", tag={self.tag}" if self.tag else ""
        return f"DualArray(value={self.value!r}, partials={self.partials!r}{tag})"


_DualFamily.family, _DualFamily.scalar, _DualFamily.array = _DualFamily, Dual, DualArray
Scalar.register(Dual)


def _as_partials(partials):
    array = np.asarray(partials)
    if array.dtype == object or array.dtype.kind in "fc":
        return array
    return array.astype(float)


# ----------------------------------------------------------------------------- generic methods

register_jet_methods(Dual, DualArray, int | float | complex | np.number | np.ndarray | Scalar)


@dispatch
def norm(x: Dual | DualArray):
    """RMS over the value and all partials, so sensitivities count in step control."""
    k = x.partials.shape[0]
    return math.sqrt((norm(x.value) ** 2 + k * norm(x.partials) ** 2) / (k + 1))


def _parts(x, tag: int):
    """(value, partials) of ``x`` seen from tag ``tag``; partials None for a constant."""
    if isinstance(x, _DualFamily) and x.tag == tag:
        return x.value, x.partials
    return x, None


def _objects_like(array: np.ndarray, like: _DualFamily) -> DualArray:
    """A DualArray of the outermost tag among the duals in ``array`` (``like`` is one)."""
    outer = max((e for e in array.flat if isinstance(e, _DualFamily)), key=lambda e: e.tag,
                default=like)
    return _from_objects(array, outer.tag, outer.partials.shape[0])


_DualFamily._from_objects = staticmethod(_objects_like)


def _from_objects(array: np.ndarray, tag: int, k: int) -> DualArray:
    """A DualArray of tag ``tag`` from an object array of duals and constants."""
    items = [_parts(x, tag) for x in array.flat]
    if all(type(v) in (float, np.float64) and (p is None or p.dtype == np.float64)
           for v, p in items):  # the common case: float duals, stacked in one go
        zero = np.zeros(k)
        partials = np.stack([zero if p is None else p for _, p in items], axis=-1)
        return DualArray(np.array([v for v, _ in items]).reshape(array.shape),
                         partials.reshape((k,) + array.shape), tag)
    values = np.empty(array.shape, dtype=object)
    partials = np.zeros((k,) + array.shape, dtype=object)
    for i in np.ndindex(array.shape):
        values[i], p = _parts(array[i], tag)
        if p is not None:
            partials[(slice(None),) + i] = p
    if all(isinstance(v, (float, int, np.floating)) for v in values.flat):
        values, partials = values.astype(float), partials.astype(float)
    else:  # nested differentiation: duals of inner tags become one vectorised DualArray each
        values, partials = _pack_inner(values), _pack_inner(partials)
    return DualArray(values, partials, tag)


def _pack_inner(array: np.ndarray):
    """An object array holding duals of inner tags (and constants) as a DualArray of the
    outermost of those tags, so that arithmetic on it stays a few NumPy calls; an object array
    of plain floats as a float array; anything else (mpmath, measurements) unchanged."""
    inner = [e for e in array.flat if isinstance(e, _DualFamily)]
    if inner:
        outer = max(inner, key=lambda e: e.tag)
        return _from_objects(array, outer.tag, outer.partials.shape[0])
    if all(type(e) in (float, int, np.float64) for e in array.flat):
        return array.astype(float)
    return array


# ----------------------------------------------------------------------------- differentiation


def _seed(x, directions: np.ndarray, tag: int):
    """``x`` (scalar or array) as a dual whose partials are ``directions`` (shape (k,) + S)."""
    if isinstance(x, (np.ndarray, DualArray)):
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
    if isinstance(element, _DualFamily):
        return 1.0  # a dual of another tag: its partials are constants of the value type
    return element * 0 + 1


def _extract(y, tag: int, k: int):
    """Partials of ``y`` with respect to ``tag``, shape (k,) + shape(y); zero if constant."""
    if isinstance(y, _DualFamily) and y.tag == tag:
        return y.partials
    if isinstance(y, _DualFamily) and y.tag > tag:
        raise TagError(
            f"the function returned a dual of tag {y.tag}, a perturbation of a differentiation "
            f"newer than this one (tag {tag}); a dual escaped the derivative call that made it"
        )
    if isinstance(y, (list, tuple)):
        has_duals = any(isinstance(e, _DualFamily) for e in y)
        y = np.asarray(y, dtype=object) if has_duals else np.asarray(y)
    if isinstance(y, np.ndarray) and y.dtype == object:
        return _from_objects(y, tag, k).partials
    if isinstance(y, np.ndarray) or isinstance(y, _DualFamily):
        return np.zeros((k,) + np.shape(value(y)))
    return np.zeros((k,)) if not isinstance(y, complex) else np.zeros((k,), dtype=complex)


def _check_no_stale_tags(result) -> None:
    active = set(_active_tags())
    stack = [result]
    while stack:
        item = stack.pop()
        if isinstance(item, _DualFamily):
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
            _check_no_stale_tags(y)  # also an escaped dual returned as it is
            columns.append(_extract(y, tag, stop - start))
        finally:
            _active_tags().pop()
    partials = columns[0] if len(columns) == 1 else np.concatenate(columns, axis=0)
    y_shape = tuple(partials.shape[1:])
    moved = partials.transpose(*range(1, len(partials.shape)), 0)  # (k,) + T -> T + (k,)
    return moved.reshape(y_shape + tuple(x_shape))


def _as_input(x):
    if isinstance(x, (list, tuple)):
        return np.asarray(x, dtype=object if any(isinstance(e, _DualFamily) for e in x) else None)
    return x


@dispatch
def derivative(f: object, x: object):
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


@dispatch
def jacobian(f: object, x: object, *, chunk: int | None = None):
    """Jacobian of ``f`` at ``x``: ``J[i..., j...] = d f(x)[i...] / d x[j...]``, an ndarray of
    shape ``shape(f(x)) + shape(x)`` (m × n for f: R^n -> R^m)."""
    return _differentiate(f, _as_input(x), chunk)


def hessian(f: Callable, x, chunk: int | None = None):
    """Hessian of scalar ``f`` at array ``x``: shape ``shape(x) + shape(x)``, by forward over
    forward differentiation (a jacobian of the gradient)."""
    return jacobian(lambda y: gradient(f, y, chunk), _as_input(x), chunk=chunk)
