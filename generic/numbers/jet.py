"""First-order perturbation numbers: a value and its partial derivatives over some axes.

Dual numbers (the axes: one differentiation, named by its tag) and measurements (the axes: the
independent sources of uncertainty) are the same algebra: a value ``v`` and a linear part, the
partials ``p`` with respect to the axes, propagated by the chain rule to first order. This module
holds that algebra once — the sum, product, quotient and power rules, the chain rule of every
generic function from ``generic.functions.DERIVATIVES``, the array container and the NumPy
protocol — and each family says only how the axes of two operands align.

Layout: a scalar's partials have shape (k,); an array's value has shape S and its partials
(k,) + S, so ``partials[i]`` is the i-th partial of every element and each rule is a few NumPy
calls over long contiguous rows (never a Python loop over elements).

A family subclasses :class:`Jet` once (its base, the ``family``), and from that base a scalar
class (with :class:`ScalarJet`) and an array class (with :class:`ArrayJet`), then sets
``family.scalar``/``family.array`` and implements :meth:`Jet._align`; see ``dual.py`` and
``measurement.py``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numba
import numpy as np

from ..dispatch import priority, register
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
    lu,
    lu_solve,
    pack_objects,
    real,
    stage_buffer,
    stage_sum,
    value,
)

__all__ = ["Jet", "ScalarJet", "ArrayJet", "register_jet_methods", "is_objects"]

_PLAIN_SCALARS = frozenset({float, int, np.float64, np.float32, complex})


class Jet:
    """A value and its partials over ``axes``; the arithmetic of every family."""

    __slots__ = ("value", "partials", "axes")
    __generic_priority__ = 0
    scalar: type  # the family's scalar and array classes, set by the family
    array: type
    noun = "perturbation number"  # for error messages: "dual number", "measurement"
    drops = "its partial derivatives"

    def __init__(self, value, partials, axes):
        self.value = value
        self.partials = partials
        self.axes = axes

    # --- family hooks

    @classmethod
    def _align(cls, a, b) -> tuple:
        """(av, ap, bv, bp, axes) for two members of the family: the values and partials of
        ``a`` and ``b`` over common ``axes``; a partials entry is None for an operand that is a
        constant there."""
        raise NotImplementedError

    @classmethod
    def _operand(cls, x):
        """A foreign operand converted for arithmetic (a ufloat into a measurement), ``x``
        itself, or NotImplemented to let Python try the other operand's method."""
        return x

    @classmethod
    def _from_objects(cls, array: np.ndarray, like: Jet):
        """A family array from an object array of family scalars and constants, on axes that
        ``like`` can align with."""
        raise NotImplementedError

    @classmethod
    def _make(cls, value_, partials, axes):
        """A scalar or an array of the family, as the value is a scalar or an array."""
        family = cls.family
        if type(value_) in _PLAIN_SCALARS:  # the common case, without the checks of __init__
            number = object.__new__(family.scalar)
            number.value, number.partials, number.axes = value_, partials, axes
            return number
        if isinstance(value_, np.ndarray) and value_.ndim == 0:  # a 0-d result is a scalar
            return family.scalar(value_[()], partials, axes)
        if _is_array(value_):
            if tuple(partials.shape[1:]) != tuple(value_.shape):  # a constant was broadcast
                dtype = value_.dtype if isinstance(value_, np.ndarray) else float
                partials = partials + np.zeros((1,) + tuple(value_.shape), dtype=dtype)
            return family.array(value_, partials, axes)
        return family.scalar(value_, partials, axes)

    # --- arithmetic: one implementation per operator, for either argument order

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
        return self._make(-self.value, -self.partials, self.axes)

    def __pos__(self):
        return self

    def __abs__(self):
        return ELEMENTARY["abs"](self)

    # --- comparisons are by value

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
            f"float() of a {self.noun} would silently drop {self.drops}. Use g.value(x) if "
            f"the value is what you want; to carry {self.drops} through a function, call the "
            f"generic functions (g.sin, g.exp, ...) instead of math.sin or float()."
        )

    __int__ = __complex__ = __float__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _array_ufunc(ufunc, method, inputs, kwargs)


class ScalarJet(Jet):
    """A scalar of a family: hashable and truth-tested by value."""

    __slots__ = ()

    def __hash__(self):
        return hash(self.value)

    def __bool__(self):
        return bool(self.value)


class ArrayJet(Jet):
    """An array of a family: ``value`` of shape S, ``partials`` of shape (k,) + S.

    Indexing gives a scalar for one element and an array (a copy) for a slice: an assignment
    may re-align the axes (a measurement meeting new sources), which would break views.
    NumPy functions without a rule here run on ``np.asarray(x)``, an object array of scalars.
    """

    __slots__ = ()
    __hash__ = None

    def __init__(self, value, partials, axes):
        value = value if isinstance(value, ArrayJet) else np.asarray(value)
        if isinstance(partials, (list, tuple)):
            partials = np.asarray(partials)
        if tuple(partials.shape[1:]) != tuple(value.shape):
            raise ValueError(
                f"{type(self).__name__} partials must have shape (k,) + value.shape: value "
                f"{tuple(value.shape)}, partials {tuple(partials.shape)}"
            )
        super().__init__(value, partials, axes)

    shape = property(lambda self: tuple(self.value.shape))
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

    def __bool__(self):
        return bool(self.value)

    def __getitem__(self, index):
        if type(index) is int and type(self.value) is np.ndarray and self.value.ndim == 1 \
                and self.value.dtype == np.float64:  # one element of a vector: the short way
            return self._make(self.value.item(index), self.partials[:, index].copy(), self.axes)
        value_, partials = self.value[index], self.partials[_partials_index(index)]
        if not _is_array(value_):
            if type(value_) is np.float64:  # an element: Python floats compute faster
                value_ = float(value_)
            return self._make(value_, _own(partials), self.axes)
        return self._make(_own(value_), _own(partials), self.axes)

    def __setitem__(self, index, item):
        converted = self._operand(item)
        if converted is NotImplemented:
            raise TypeError(f"cannot store a {type(item).__qualname__} in a "
                            f"{type(self).__name__}: an element must be a number, a "
                            f"{self.noun}, or an array of those")
        item = converted
        if is_objects(item):  # element by element, onto the flat positions the index selects
            targets = np.arange(self.size).reshape(self.shape)[index]
            item = np.broadcast_to(item, np.shape(targets))
            for i in np.ndindex(np.shape(targets)):
                self[np.unravel_index(targets[i], self.shape)] = item[i]
            return
        if not isinstance(item, Jet):
            self.value[index] = item
            self.partials[_partials_index(index)] = 0
            return
        _, own, item_value, item_partials, axes = self._align(self, item)
        if own is None:
            raise TypeError(f"cannot store {item!r} in {type(self).__name__}: it would make the "
                            f"array a constant inside it; build a new array instead")
        self.partials, self.axes = own, axes
        self.value[index] = item_value
        self.partials[_partials_index(index)] = 0 if item_partials is None else item_partials

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != object:
            self.__float__()
        out = np.empty(self.shape, dtype=object)
        for i in np.ndindex(self.shape):
            out[i] = self[i]
        return out

    def copy(self):
        return self._make(_own(self.value), _own(self.partials), self.axes)

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        new_value = self.value.reshape(shape)
        new_partials = self.partials.reshape((self.npartials,) + tuple(np.shape(value(new_value))))
        return self._make(_own(new_value), _own(new_partials), self.axes)

    def ravel(self):
        return self.reshape(-1)

    flatten = ravel

    def transpose(self, *axes):
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = tuple(range(self.ndim))[::-1] if not axes else tuple(axes)
        return self._make(_own(self.value.transpose(axes)),
                          _own(self.partials.transpose(0, *(a + 1 for a in axes))), self.axes)

    def sum(self, axis=None, **kwargs):
        self._only_axis("sum", kwargs)
        axes = tuple(range(self.ndim)) if axis is None else _positive_axes(axis, self.ndim)
        return self._make(self.value.sum(axis=axes),
                          self.partials.sum(axis=tuple(a + 1 for a in axes)), self.axes)

    def mean(self, axis=None, **kwargs):
        self._only_axis("mean", kwargs)
        axes = tuple(range(self.ndim)) if axis is None else _positive_axes(axis, self.ndim)
        return self.sum(axes) / math.prod(self.shape[a] for a in axes)

    def _only_axis(self, name: str, kwargs: dict) -> None:
        if any(v is not None and v is not False for v in kwargs.values()):
            raise TypeError(f"{type(self).__name__}.{name} takes only axis, got {sorted(kwargs)};"
                            f" apply it to np.asarray(x) (an object array) instead")

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


# ----------------------------------------------------------------------------- helpers


def _is_array(x) -> bool:
    return isinstance(x, (np.ndarray, ArrayJet))


def _own(x):
    """``x`` as an array of its own (a NumPy view copied; jets copy themselves)."""
    return x.copy() if isinstance(x, np.ndarray) else x


def _ndim(x) -> int:
    return len(x.shape) if _is_array(x) else 0


def _partials_index(index):
    """Index of the partials for an index of the value (the partial axis stays first)."""
    return (slice(None),) + (index if isinstance(index, tuple) else (index,))


def _positive_axes(axis, ndim: int) -> tuple[int, ...]:
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(a % ndim for a in axes)


def _lift(p, ndim: int):
    """Partials ``p`` (shape (k,) + S) with unit axes after the first, so that S has ``ndim``
    axes and ``p`` broadcasts against a value of ``ndim`` dimensions."""
    if p is None or len(p.shape) - 1 >= ndim:
        return p
    return p.reshape(p.shape[:1] + (1,) * (ndim - len(p.shape) + 1) + tuple(p.shape[1:]))


def is_objects(x) -> bool:
    return isinstance(x, np.ndarray) and x.dtype == object


def _binary(rule: Callable, op: Callable, a, b):
    """``a op b`` with at least one member of a family, by ``rule(family, av, ap, bv, bp,
    axes)``. Object arrays go elementwise; a foreign number type of higher priority wraps this
    family (it gets NotImplemented here, so Python calls its reflected operator)."""
    a_in, b_in = isinstance(a, Jet), isinstance(b, Jet)
    if a_in and b_in:
        if a.family is b.family:
            return rule(a.family, *a._align(a, b))
        a_in = a.__generic_priority__ >= b.__generic_priority__  # the outer family acts
        b_in = not a_in
    member, other = (a, b) if a_in else (b, a)
    if type(other) not in _PLAIN_SCALARS:
        if is_objects(other):
            if not isinstance(member, ArrayJet):
                return _elementwise(op, a, b)
            other = member._from_objects(other, member)  # stays vectorised
        if priority(other) > member.__generic_priority__:
            return NotImplemented
        other = member._operand(other)
        if other is NotImplemented:
            return NotImplemented
        if isinstance(other, Jet) and other.family is member.family:  # a converted ufloat
            return _binary(rule, op, *((a, other) if a_in else (other, b)))
    if a_in:
        return rule(a.family, a.value, a.partials, other, None, a.axes)
    return rule(b.family, other, None, b.value, b.partials, b.axes)


def _elementwise(op: Callable, *args):
    """``op`` over object arrays elementwise (a family scalar counts as one element)."""
    wrapped = []
    for a in args:
        if isinstance(a, ArrayJet):
            a = np.asarray(a)
        elif not isinstance(a, np.ndarray):
            boxed = np.empty((), dtype=object)
            boxed[()] = a
            a = boxed
        wrapped.append(a)
    return np.frompyfunc(op, len(args), 1)(*wrapped)


def _compare(op: Callable, a: Jet, b):
    if isinstance(b, Jet):
        return op(a.value, b.value)
    if type(b) in _PLAIN_SCALARS or (isinstance(b, np.ndarray) and not is_objects(b)):
        return op(a.value, b)
    return op(value(a), value(b))


def _to_objects(args):
    if isinstance(args, ArrayJet):
        return np.asarray(args)
    if isinstance(args, (list, tuple)):
        return type(args)(_to_objects(a) for a in args)
    if isinstance(args, dict):
        return {k: _to_objects(v) for k, v in args.items()}
    return args


# ----------------------------------------------------------------------------- the rules


def _sum_terms(a, b):
    """The sum of two partials terms, either of which may be None (a constant operand)."""
    if a is None or b is None:
        p = b if a is None else a
        # array results own their partials (a scalar's are never changed in place)
        return p.copy() if isinstance(p, np.ndarray) and p.ndim > 1 else p
    return a + b


def _all_finite(d) -> bool:
    if type(d) is float:
        return math.isfinite(d)
    if isinstance(d, (np.ndarray, np.generic)) and d.dtype.kind in "fiub":
        # One pass without a temporary: a sum is finite when every term is (an overflowing sum
        # of finite terms only sends the caller to its slower, equally correct path).
        return bool(np.isfinite(np.add.reduce(d, axis=None)))
    return bool(np.all(isfinite(d)))


def _scale(p, d):
    """Partials ``p`` times derivative ``d``; a zero partial stays zero where ``d`` is infinite
    (an axis that does not move the argument contributes nothing, never 0 · inf = nan)."""
    if p is None:
        return None
    if _all_finite(d):
        return p * d
    with np.errstate(invalid="ignore"):
        scaled = p * d
    mask = np.asarray(value(p)) == 0
    if isinstance(scaled, np.ndarray):
        return np.where(mask, 0 * p, scaled)
    return scaled._make(np.where(mask, 0, scaled.value), np.where(mask, 0, scaled.partials),
                        scaled.axes)


def _apply_rule(rule: Callable, *args):
    """A derivative rule; at a singular point (1 / 0) or past the float range (tanh's
    1 / cosh(x)² at |x| > 355) the IEEE value (inf; 1 / inf = 0), without warnings."""
    if any(isinstance(a, (np.ndarray, np.generic)) for a in args):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return rule(*args)
    try:
        return rule(*args)
    except (ZeroDivisionError, OverflowError):  # Python floats raise where IEEE rounds
        with np.errstate(all="ignore"):
            return rule(*(np.float64(a) if isinstance(a, (int, float)) else a for a in args))


def _product_rule(ap, bv, av, bp):
    return ap * bv + av * bp


def _quotient_rule(ap, q, bp, bv):
    return (ap - q * bp) / bv


# The same rules fused into one pass for float64 arrays (one temporary instead of three).
_FUSED = {rule: numba.vectorize(cache=True)(rule) for rule in (_product_rule, _quotient_rule)}


_FUSE_FROM = 512  # elements: below it the compiled ufunc's call overhead outweighs the pass


def _fused(rule: Callable, *args):
    if args[0].size >= _FUSE_FROM and all(
            isinstance(a, np.ndarray) and a.dtype == np.float64 for a in args):
        return _FUSED[rule](*args)
    return rule(*args)


def _scalars(av, bv) -> bool:
    """Both values are plain floats (the scalar case, which skips the array bookkeeping)."""
    return type(av) in _FLOATS and type(bv) in _FLOATS


_FLOATS = frozenset({float, np.float64, int})


def _add(family, av, ap, bv, bp, axes):
    if ap is not None and bp is not None and _scalars(av, bv):
        return family._make(av + bv, ap + bp, axes)
    r = max(_ndim(av), _ndim(bv))
    return family._make(av + bv, _sum_terms(_lift(ap, r), _lift(bp, r)), axes)


def _sub(family, av, ap, bv, bp, axes):
    if ap is not None and bp is not None and _scalars(av, bv):
        return family._make(av - bv, ap - bp, axes)
    r = max(_ndim(av), _ndim(bv))
    ap, bp = _lift(ap, r), _lift(bp, r)
    return family._make(av - bv, _sum_terms(ap, None if bp is None else -bp), axes)


def _mul(family, av, ap, bv, bp, axes):
    if ap is not None and bp is not None and _scalars(av, bv):
        return family._make(av * bv, ap * bv + av * bp, axes)  # two scalars: the short way
    r = max(_ndim(av), _ndim(bv))
    ap, bp = _lift(ap, r), _lift(bp, r)
    if ap is not None and bp is not None:
        return family._make(av * bv, _fused(_product_rule, ap, bv, av, bp), axes)
    return family._make(av * bv, ap * bv if bp is None else av * bp, axes)


def _div(family, av, ap, bv, bp, axes):
    r = max(_ndim(av), _ndim(bv))
    ap, bp = _lift(ap, r), _lift(bp, r)
    q = av / bv
    if bp is None:
        return family._make(q, ap / bv, axes)
    if ap is None:
        return family._make(q, -q * bp / bv, axes)
    return family._make(q, _fused(_quotient_rule, ap, q, bp, bv), axes)


def _d_pow_base(x, y):
    """d(x**y)/dx = y x**(y-1), exactly 0 for y == 0 (also at x == 0)."""
    if np.ndim(value(y)) == 0:
        return x * 0 if y == 0 else _apply_rule(lambda x, y: y * x ** (y - 1), x, y)
    with np.errstate(all="ignore"):
        return np.where(value(y) == 0, 0, y * x ** (y - 1))


def _d_pow_exponent(x, y, f):
    """d(x**y)/dy = x**y log(x), and 0 at x == 0 for y > 0 (the limit, as uncertainties has)."""
    log = ELEMENTARY["log"]
    if np.ndim(value(x)) == 0 and np.ndim(value(y)) == 0:
        return f * 0 if (x == 0 and y > 0) else _apply_rule(lambda f, x: f * log(x), f, x)
    with np.errstate(all="ignore"):
        return np.where((value(x) == 0) & (value(y) > 0), 0, f * log(x))


def _pow_rule(power: Callable):
    def rule(family, av, ap, bv, bp, axes):
        if bp is None and isinstance(bv, (int, np.integer)) and bv > 0:  # x**n, exact at x = 0
            return family._make(av**bv, ap * (bv * av ** (bv - 1)), axes)
        f = power(av, bv)
        r = max(_ndim(av), _ndim(bv))
        da = None if ap is None else _d_pow_base(av, bv)
        db = None if bp is None else _d_pow_exponent(av, bv, f)
        return family._make(f, _sum_terms(_scale(_lift(ap, r), da), _scale(_lift(bp, r), db)),
                            axes)

    return rule


_pow_operator = _pow_rule(operator.pow)


def _table_rule(name: str):
    """The rule of a binary generic function, from BINARY_DERIVATIVES."""
    if name == "pow":
        return _pow_rule(ELEMENTARY["pow"])
    func, derivative = ELEMENTARY[name], BINARY_DERIVATIVES[name]

    def rule(family, av, ap, bv, bp, axes):
        f = func(av, bv)
        da, db = _apply_rule(derivative, av, bv, f)
        r = max(_ndim(av), _ndim(bv))
        return family._make(f, _sum_terms(_scale(_lift(ap, r), da), _scale(_lift(bp, r), db)),
                            axes)

    return rule


def _matmul(family, av, ap, bv, bp, axes):
    terms = []
    if ap is not None:  # d(a) @ b: the partial axis is matmul's batch axis
        terms.append(ap @ bv)
    if bp is not None:  # a @ d(b); a vector b's partials (k, m) become k column vectors
        terms.append((av @ bp[..., None])[..., 0] if _ndim(bv) == 1 else av @ bp)
    return family._make(av @ bv, terms[0] if len(terms) == 1 else terms[0] + terms[1], axes)


# ----------------------------------------------------------------------------- generic methods


def _unary_method(name: str):
    func, rule = ELEMENTARY[name], DERIVATIVES[name]

    def method(x):
        if rule is None:
            raise TypeError(
                f"generic.{name} of a {x.noun} needs the derivative of {name}, which "
                f"generic.functions.DERIVATIVES lacks; add the rule there, or a method with "
                f"@g.dispatch def {name}(x: {type(x).__name__})."
            )
        fx = func(x.value)
        return x._make(fx, _scale(x.partials, _apply_rule(rule, x.value, fx)), x.axes)

    return method


def _binary_method(name: str):
    rule, func = _table_rule(name), ELEMENTARY[name]
    return lambda a, b: _binary(rule, func, a, b)


def _stage_buffer(k: ArrayJet, n: int) -> ArrayJet:
    """Stacked storage for n stages like ``k``: one family array with a leading stage axis."""
    shape = tuple(k.value.shape)
    value_ = np.empty((n,) + shape, dtype=k.value.dtype)
    partials = np.empty((k.npartials, n) + shape, dtype=k.partials.dtype)
    return k._make(value_, partials, k.axes)


def _stage_sum(weights, stages: ArrayJet, count: int):
    """Σ_j weights_j stages_j over the stage axis: one product for the values, one for all
    the partials together."""
    w = weights.array[:count]
    shape, k = tuple(stages.value.shape[1:]), stages.npartials
    value_ = (w @ stages.value[:count].reshape(count, -1)).reshape(shape)
    partials = (w @ stages.partials[:, :count].reshape(k, count, -1)).reshape((k,) + shape)
    return stages._make(value_, partials, stages.axes)


def register_jet_methods(scalar: type, array: type, constants) -> None:
    """Register the family's methods of every elementary generic function and of ``value``,
    ``eps``, ``eltype``, ``real``, ``imag``, ``conj``, ``isfinite``. ``constants`` is the union
    of the types a binary function takes beside the family (its other argument)."""
    both = scalar | array
    for name in UNARY:
        register(ELEMENTARY[name], _unary_method(name), both)
    for name in BINARY:
        method = _binary_method(name)
        register(ELEMENTARY[name], method, both, both, precedence=1)
        register(ELEMENTARY[name], method, both, constants)
        register(ELEMENTARY[name], method, constants, both)
    register(value, lambda x: value(x.value), both)
    register(eps, lambda x: eps(x.value), both)
    register(eltype, lambda x: scalar, both)
    for func in (real, imag, conj):
        register(func, lambda x, f=func: x._make(f(x.value), f(x.partials), x.axes), both)
    register(isfinite, lambda x: isfinite(x.value), both)
    register(pack_objects, lambda element, objects: scalar._from_objects(objects, element),
             scalar, np.ndarray)
    register(stage_buffer, _stage_buffer, array, int)
    register(stage_sum, _stage_sum, object, array, int)


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
# NumPy's object loops (np.sin of an object array of jets) call the element's method named
# after the ufunc (x.sin(), x.arctan2(y)), and math.floor / math.ceil call __floor__/__ceil__.
for _ufunc, _name in _GENERIC_UFUNCS.items():
    setattr(Jet, _ufunc.__name__, lambda self, *args, _f=ELEMENTARY[_name]: _f(self, *args))
Jet.__floor__ = Jet.floor
Jet.__ceil__ = Jet.ceil

_VALUE_UFUNCS = {  # decided on values alone
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf,
}


def _array_ufunc(ufunc, method, inputs, kwargs):
    if method == "__call__" and not kwargs:
        if ufunc in _VALUE_UFUNCS:
            return ufunc(*(value(x) for x in inputs))
        if ufunc in _ARITHMETIC_UFUNCS:
            return _binary(*_ARITHMETIC_UFUNCS[ufunc], *inputs)
        if any(is_objects(x) for x in inputs):
            return _elementwise(lambda *a: ufunc(*a), *inputs)
        if ufunc in _GENERIC_UFUNCS:
            return ELEMENTARY[_GENERIC_UFUNCS[ufunc]](*inputs)
        if ufunc is np.negative:
            return -inputs[0]
        if ufunc is np.positive:
            return +inputs[0]
        if ufunc is np.square:
            return inputs[0] * inputs[0]
        if ufunc is np.reciprocal:
            return 1 / inputs[0]
    if method == "reduce" and ufunc is np.add and isinstance(inputs[0], ArrayJet):
        if set(kwargs) <= {"axis"}:
            return inputs[0].sum(kwargs.get("axis", 0))
    member = next(x for x in inputs if isinstance(x, Jet))
    raise TypeError(
        f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
        + (f" with {sorted(kwargs)}" if kwargs else "")
        + f" has no {member.noun} rule. Use the generic functions (g.sin, g.atan2, ...) and "
        f"operators, or apply it to np.asarray(x), an object array of {member.noun}s"
    )


def _np_sum(a, axis=None, **kwargs):
    plain = isinstance(a, ArrayJet) and not any(v is not None for v in kwargs.values())
    return a.sum(axis) if plain else NotImplemented


def _np_mean(a, axis=None, **kwargs):
    plain = isinstance(a, ArrayJet) and not any(v is not None for v in kwargs.values())
    return a.mean(axis) if plain else NotImplemented


def _np_dot(a, b, out=None):
    if out is None and max(np.ndim(value(a)), np.ndim(value(b))) <= 2:
        return a @ b if np.ndim(value(a)) and np.ndim(value(b)) else a * b
    return NotImplemented


def _np_join(join: Callable):
    """np.concatenate / np.stack of family arrays and plain arrays, aligned onto common axes."""

    def handler(arrays, axis=0, **kwargs):
        members = [a for a in arrays if isinstance(a, ArrayJet)]
        if kwargs or not members or any(is_objects(a) for a in arrays):
            return NotImplemented
        family = members[0].family
        if any(m.family is not family for m in members):
            return NotImplemented
        reference = members[0]
        for m in members[1:]:  # one set of axes for all (measurements: the union of sources)
            _, own, _, theirs, common = family._align(reference, m)
            if own is None or theirs is None:
                return NotImplemented
            reference = family._make(reference.value, own, common)
        parts = [family._align(reference, a)[2:4] if isinstance(a, ArrayJet) else
                 (np.asarray(a), None) for a in arrays]
        k = reference.npartials
        values = [v for v, _ in parts]
        partials = [np.zeros((k,) + np.shape(v)) if p is None else p for v, p in parts]
        ndim = max(np.ndim(v) for v in values) + (join is np.stack)
        return family._make(join(values, axis=axis), join(partials, axis=axis % ndim + 1),
                            reference.axes)

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


# ----------------------------------------------------------------------------- linear systems
# A x = b for a family matrix and/or right-hand side: the value matrix is factored once (any
# method of generic.lu: LAPACK, the general LU, a nested family's) and solves for the value
# x = A⁻¹b and for every partial at once, dx_i = A⁻¹(db_i − dA_i x): k + 1 right-hand sides, one
# factorisation. The general method lives in generic/linalg.py (floor 4), reached through lu.


class JetLU:
    """The factorisation of a family matrix: ``lu`` of its value matrix, and the matrix."""

    __slots__ = ("lu", "matrix")

    def __init__(self, lu_, matrix):
        self.lu, self.matrix = lu_, matrix


def _solve_stacked(factorization, rhs):
    """Solve for k stacked right-hand sides ``rhs`` of shape (k, n) or (k, n, m) at once."""
    k = rhs.shape[0]
    if k == 0:
        return rhs
    if rhs.ndim == 2:
        return lu_solve(factorization, rhs.transpose()).transpose()
    n, m = rhs.shape[1:]
    x = lu_solve(factorization, rhs.transpose(1, 0, 2).reshape(n, k * m))
    return x.reshape(n, k, m).transpose(1, 0, 2)


def _lu_jet(A: ArrayJet) -> JetLU:
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"linsolve needs a square matrix, got shape {A.shape}")
    return JetLU(lu(A.value), A)


def _lu_solve_constant_matrix(factorization, b: ArrayJet):
    """A constant matrix (factored by ``factorization``), a family right-hand side."""
    return b._make(lu_solve(factorization, b.value),
                   _solve_stacked(factorization, b.partials), b.axes)


def _lu_solve_jet(factorization: JetLU, b):
    A = factorization.matrix
    if is_objects(b):  # an object array of family scalars and constants: vectorised
        b = A._from_objects(b, A)
    A_partials, b_value, b_partials, axes = A.partials, b, None, A.axes  # b a constant here ...
    if isinstance(b, Jet) and b.family is A.family:
        av, ap, b_value, b_partials, axes = A._align(A, b)
        if ap is None:  # A belongs to an inner differentiation: a constant inside b's
            return _lu_solve_constant_matrix(factorization, b)
        A_partials = ap
    elif isinstance(b, Jet) and b.__generic_priority__ > A.__generic_priority__:
        return _lu_solve_constant_matrix(factorization, b)  # ... unless b's family is outer
    x = lu_solve(factorization.lu, b_value)
    dA_x = A_partials @ x if _ndim(x) == 2 else (A_partials @ x[..., None])[..., 0]
    rhs = -dA_x if b_partials is None else b_partials - dA_x
    return A._make(x, _solve_stacked(factorization.lu, rhs), axes)


register(lu, _lu_jet, ArrayJet)
register(lu_solve, _lu_solve_constant_matrix, object, ArrayJet, precedence=1)
register(lu_solve, _lu_solve_jet, JetLU, object, precedence=2)
