"""Hypothesis strategies for every number type of ``generic``, and random expressions.

    from hypothesis import given
    from generic.testing import strategies as gst

    @given(gst.duals(npartials=2), gst.duals(npartials=2))
    def test_addition_commutes(x, y):
        assert (x + y).value == (y + x).value

Number strategies draw finite values of bounded magnitude (solvers see states, not overflow
tests): :func:`reals`, :func:`float32s`, :func:`complexes`, :func:`mpfs` (at mpmath's working
precision when drawn), :func:`ufloats`, :func:`duals`, :func:`dual_arrays` and
:func:`measurements` (when ``generic.numbers.measurement`` is present, see
:func:`has_measurements`). :data:`NUMBERS` names one strategy per scalar type.

:func:`expressions` draws random compositions of the elementary generic functions, each on a
safe domain (``log(1 + u*u)``, ``sqrt(2 + sin(u))``, ``asin(tanh(u)/2)``), as
:class:`Expression` objects that evaluate in a *namespace*: ``expr(x)`` uses ``generic``'s
functions, ``expr.evaluate(MPMATH, x)`` mpmath's, ``expr.evaluate(UMATH, x)`` those of
``uncertainties``. The same formula on two number types is a differential test:

    @given(gst.expressions(), gst.reals(-2, 2))
    def test_dual_derivative_matches_mpmath(expr, x):
        with mpmath.workdps(30):
            reference = mpmath.diff(lambda t: expr.evaluate(gst.MPMATH, t), mpmath.mpf(x))
        error = abs(g.derivative(expr, x) - reference)
        assert error <= 1e-12 * gst.derivative_scale(expr, x) + 1e-25  # + mpmath.diff's error

Requires ``hypothesis`` (a test dependency); the rest of ``generic.testing`` does not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from types import SimpleNamespace

import mpmath
import numpy as np
import uncertainties
from hypothesis import strategies as st
from uncertainties import umath

import generic as g

__all__ = [
    "reals", "float32s", "complexes", "mpfs", "ufloats", "duals", "dual_arrays",
    "measurements", "has_measurements", "NUMBERS", "numbers",
    "Expression", "expressions", "derivative_scale",
    "GENERIC", "MPMATH", "NUMPY", "UMATH", "MATH", "FUNCTIONS", "ANALYTIC",
]


# ----------------------------------------------------------------------------- numbers


def reals(min_value: float = -10.0, max_value: float = 10.0, *, min_magnitude: float = 0.0,
          width: int = 64) -> st.SearchStrategy[float]:
    """Finite floats in [min_value, max_value], no subnormals; with ``min_magnitude`` > 0 also
    ``|x| >= min_magnitude`` (away from zero, e.g. for a divisor)."""
    floats = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False,
                       allow_subnormal=False, width=width)
    if min_magnitude > 0:
        floats = floats.filter(lambda x: abs(x) >= min_magnitude)
    return floats


def float32s(min_value: float = -10.0, max_value: float = 10.0, *,
             min_magnitude: float = 0.0) -> st.SearchStrategy[np.float32]:
    """Finite ``np.float32`` scalars in [min_value, max_value]."""
    return reals(min_value, max_value, min_magnitude=min_magnitude, width=32).map(np.float32)


def complexes(max_magnitude: float = 10.0) -> st.SearchStrategy[complex]:
    """Complex numbers whose real and imaginary parts are finite, in [-max, max]."""
    part = reals(-max_magnitude, max_magnitude)
    return st.builds(complex, part, part)


@st.composite
def mpfs(draw, min_value: float = -10.0, max_value: float = 10.0) -> mpmath.mpf:
    """``mpmath.mpf`` uniformly in [min_value, max_value] with every bit of mpmath's working
    precision *at draw time* used (not floats in disguise); shrinks towards the midpoint."""
    prec = mpmath.mp.prec
    m = draw(st.integers(-(2**prec), 2**prec))
    lo, hi = mpmath.mpf(min_value), mpmath.mpf(max_value)
    return (lo + hi) / 2 + (hi - lo) / 2 * mpmath.ldexp(m, -prec)


def ufloats(min_value: float = -10.0, max_value: float = 10.0, *,
            max_relative_std: float = 0.1) -> st.SearchStrategy:
    """Independent ``uncertainties.ufloat`` variables: a nominal value in range and a positive
    standard deviation of at most ``max_relative_std`` of its magnitude (of 1e-3 near 0)."""

    @st.composite
    def draw_ufloat(draw):
        nominal = draw(reals(min_value, max_value))
        return uncertainties.ufloat(nominal, draw(_stds(nominal, max_relative_std)))

    return draw_ufloat()


def _stds(nominal: float, max_relative_std: float) -> st.SearchStrategy[float]:
    return st.floats(1e-6, max_relative_std).map(lambda f: f * max(abs(nominal), 1e-3))


def _npartials(npartials: int | None):
    return st.integers(1, 3) if npartials is None else st.just(npartials)


@st.composite
def duals(draw, values: st.SearchStrategy | None = None, npartials: int | None = None,
          partials: st.SearchStrategy | None = None) -> g.Dual:
    """``g.Dual`` (tag 0) with a value from ``values`` (default :func:`reals`) and ``npartials``
    partials (default 1 to 3, drawn) from ``partials`` (default reals in [-10, 10])."""
    k = draw(_npartials(npartials))
    value = draw(values if values is not None else reals())
    parts = draw(st.lists(partials if partials is not None else reals(), min_size=k, max_size=k))
    return g.Dual(value, np.array(parts, dtype=float))


@st.composite
def dual_arrays(draw, shape: int | tuple[int, ...] | None = None, npartials: int | None = None,
                min_value: float = -10.0, max_value: float = 10.0) -> g.DualArray:
    """``g.DualArray`` of float64 values in range and partials in [-10, 10]; ``shape``
    (default: a vector of 1 to 4 elements) and ``npartials`` (default 1 to 3) may be fixed."""
    if shape is None:
        shape = (draw(st.integers(1, 4)),)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    k = draw(_npartials(npartials))
    size = math.prod(shape)
    values = draw(st.lists(reals(min_value, max_value), min_size=size, max_size=size))
    parts = draw(st.lists(reals(), min_size=size * k, max_size=size * k))
    return g.DualArray(np.array(values).reshape(shape), np.array(parts).reshape((k,) + shape))


def has_measurements() -> bool:
    """Whether ``generic.numbers.measurement`` provides ``g.measurement`` yet."""
    return callable(getattr(g, "measurement", None))


def measurements(min_value: float = -10.0, max_value: float = 10.0, *,
                 max_relative_std: float = 0.1) -> st.SearchStrategy:
    """Independent ``g.Measurement`` scalars: ``g.measurement(value, std)`` with a positive std
    of at most ``max_relative_std`` of the value's magnitude (of 1e-3 near 0). Raises
    ``NotImplementedError`` when the measurement module is not there (check
    :func:`has_measurements`, or skip)."""
    if not has_measurements():
        raise NotImplementedError("generic has no g.measurement yet "
                                  "(generic/numbers/measurement.py)")

    @st.composite
    def draw_measurement(draw):
        nominal = draw(reals(min_value, max_value))
        return g.measurement(nominal, draw(_stds(nominal, max_relative_std)))

    return draw_measurement()


NUMBERS: dict[str, Callable[[], st.SearchStrategy]] = {
    "float": reals,
    "float32": float32s,
    "complex": complexes,
    "mpf": mpfs,
    "ufloat": ufloats,
    "dual": duals,
}
"""Name -> strategy factory (called without arguments) for each scalar number type;
``"measurement"`` is added when :func:`has_measurements`."""


def numbers(names: Sequence[str] | None = None) -> st.SearchStrategy:
    """A number of any (or one of the named) scalar types of :data:`NUMBERS`."""
    table = dict(NUMBERS)
    if has_measurements():
        table["measurement"] = measurements
    chosen = list(table) if names is None else list(names)
    return st.one_of([table[name]() for name in chosen])


# ----------------------------------------------------------------------------- namespaces

FUNCTIONS = (
    "sin", "cos", "tan", "exp", "expm1", "exp2", "log", "log1p", "log2", "log10", "sqrt", "cbrt",
    "tanh", "sinh", "cosh", "atan", "asinh", "asin", "acos", "erf", "atan2", "hypot", "pow",
)
"""The function names expressions draw from by default (each on a safe domain)."""

ANALYTIC = tuple(f for f in FUNCTIONS if f not in ("cbrt", "erf", "atan2", "hypot"))
"""Functions whose forms are complex-analytic near the real axis and have complex methods:
for complex-step tests, ``expressions(functions=ANALYTIC)``."""


def _namespace(module, **overrides) -> SimpleNamespace:
    return SimpleNamespace(**{**{name: getattr(module, name, None) for name in FUNCTIONS},
                              **overrides})


GENERIC = SimpleNamespace(**{name: g.ELEMENTARY[name] for name in FUNCTIONS})
"""``generic``'s functions: every number type with methods (floats, duals, measurements, ...)."""

MPMATH = _namespace(mpmath, exp2=lambda x: mpmath.power(2, x), log2=lambda x: mpmath.log(x, 2),
                    pow=mpmath.power)
"""mpmath's functions: the reference, at mpmath's working precision."""

NUMPY = _namespace(np, asin=np.arcsin, acos=np.arccos, atan=np.arctan, asinh=np.arcsinh,
                   atan2=np.arctan2, pow=np.power, erf=None)
"""NumPy's ufuncs (the ufunc protocol of ``DualArray`` and object arrays); no ``erf``."""

UMATH = _namespace(umath, exp2=lambda x: 2.0**x, log2=lambda x: umath.log(x) / math.log(2),
                   cbrt=lambda x: x ** (1 / 3))
"""``uncertainties.umath`` (``cbrt`` only of positive arguments, as expressions use it)."""

MATH = _namespace(math, exp2=lambda x: 2.0**x, cbrt=lambda x: math.copysign(abs(x) ** (1 / 3), x))
"""The ``math`` module: plain floats."""


# ----------------------------------------------------------------------------- expressions

# name -> (formula, function of (namespace, u)): each function on an argument kept inside its
# domain and away from singular derivatives, whatever u is.
_UNARY_FORMS: dict[str, tuple[str, Callable]] = {
    "neg": ("-{0}", lambda ns, u: -u),
    "**2": ("({0})**2", lambda ns, u: u**2),
    "**3": ("({0})**3", lambda ns, u: u**3),
    "sin": ("sin({0})", lambda ns, u: ns.sin(u)),
    "cos": ("cos({0})", lambda ns, u: ns.cos(u)),
    "tan": ("tan(sin({0})/2)", lambda ns, u: ns.tan(ns.sin(u) / 2)),
    "exp": ("exp(sin({0}))", lambda ns, u: ns.exp(ns.sin(u))),
    "expm1": ("expm1(cos({0}))", lambda ns, u: ns.expm1(ns.cos(u))),
    "exp2": ("exp2(tanh({0}))", lambda ns, u: ns.exp2(ns.tanh(u))),
    "log": ("log(1 + {0}*{0})", lambda ns, u: ns.log(1 + u * u)),
    "log1p": ("log1p({0}*{0})", lambda ns, u: ns.log1p(u * u)),
    "log2": ("log2(2 + sin({0}))", lambda ns, u: ns.log2(2 + ns.sin(u))),
    "log10": ("log10(3 + cos({0}))", lambda ns, u: ns.log10(3 + ns.cos(u))),
    "sqrt": ("sqrt(2 + sin({0}))", lambda ns, u: ns.sqrt(2 + ns.sin(u))),
    "cbrt": ("cbrt(2 + cos({0}))", lambda ns, u: ns.cbrt(2 + ns.cos(u))),
    "tanh": ("tanh({0})", lambda ns, u: ns.tanh(u)),
    "sinh": ("sinh(sin({0}))", lambda ns, u: ns.sinh(ns.sin(u))),
    "cosh": ("cosh(cos({0}))", lambda ns, u: ns.cosh(ns.cos(u))),
    "atan": ("atan({0})", lambda ns, u: ns.atan(u)),
    "asinh": ("asinh({0})", lambda ns, u: ns.asinh(u)),
    "asin": ("asin(tanh({0})/2)", lambda ns, u: ns.asin(ns.tanh(u) / 2)),
    "acos": ("acos(sin({0})/2)", lambda ns, u: ns.acos(ns.sin(u) / 2)),
    "erf": ("erf({0})", lambda ns, u: ns.erf(u)),
}
_BINARY_FORMS: dict[str, tuple[str, Callable]] = {
    "+": ("({0} + {1})", lambda ns, u, v: u + v),
    "-": ("({0} - {1})", lambda ns, u, v: u - v),
    "*": ("{0}*{1}", lambda ns, u, v: u * v),
    "/": ("{0}/(1 + {1}*{1})", lambda ns, u, v: u / (1 + v * v)),
    "atan2": ("atan2({0}, 2 + cos({1}))", lambda ns, u, v: ns.atan2(u, 2 + ns.cos(v))),
    "hypot": ("hypot({0}, 1 + {1}*{1})", lambda ns, u, v: ns.hypot(u, 1 + v * v)),
    "pow": ("pow(2 + sin({0}), cos({1}))", lambda ns, u, v: ns.pow(2 + ns.sin(u), ns.cos(v))),
}
_CONSTANTS = (0.5, 1.0, 2.0, 3.0, -1.5, 0.25)  # exact in every binary type, so no convert


class Expression:
    """A random formula in variables ``x0, x1, ...`` (``x`` when there is one).

    ``expr(*xs)`` evaluates it with ``generic``'s functions (so on any number type with
    methods); ``expr.evaluate(namespace, *xs)`` with another namespace's (:data:`MPMATH`,
    :data:`UMATH`, :data:`NUMPY`, :data:`MATH`, or any object with the function names as
    attributes). ``str(expr)`` is the formula. Constants are Python floats exact in every
    binary type, so mixing them with a number exercises the number protocol's float mixing.
    """

    def __init__(self, tree: tuple, nvars: int):
        self.tree = tree
        self.nvars = nvars

    def __call__(self, *xs):
        return self.evaluate(GENERIC, *xs)

    def evaluate(self, namespace, *xs):
        if len(xs) != self.nvars:
            raise TypeError(f"{self} takes {self.nvars} argument(s), got {len(xs)}")
        return _evaluate(self.tree, namespace, xs)

    def __str__(self) -> str:
        return _format(self.tree, self.nvars)

    def __repr__(self) -> str:
        names = ", ".join(_variable_name(i, self.nvars) for i in range(self.nvars))
        return f"Expression(lambda {names}: {self})"

    @property
    def variables(self) -> set[int]:
        """Indices of the variables the formula uses."""
        return _variables(self.tree)


def _variable_name(i: int, nvars: int) -> str:
    return "x" if nvars == 1 else f"x{i}"


def _evaluate(tree: tuple, ns, xs):
    kind = tree[0]
    if kind == "var":
        return xs[tree[1]]
    if kind == "const":
        return tree[1]
    if kind == "unary":
        return _UNARY_FORMS[tree[1]][1](ns, _evaluate(tree[2], ns, xs))
    return _BINARY_FORMS[tree[1]][1](ns, _evaluate(tree[2], ns, xs), _evaluate(tree[3], ns, xs))


def _format(tree: tuple, nvars: int) -> str:
    kind = tree[0]
    if kind == "var":
        return _variable_name(tree[1], nvars)
    if kind == "const":
        return repr(tree[1])
    if kind == "unary":
        return _UNARY_FORMS[tree[1]][0].format(_format(tree[2], nvars))
    return _BINARY_FORMS[tree[1]][0].format(_format(tree[2], nvars), _format(tree[3], nvars))


def _variables(tree: tuple) -> set[int]:
    if tree[0] == "var":
        return {tree[1]}
    if tree[0] == "const":
        return set()
    return set().union(*(_variables(t) for t in tree[2:]))


def expressions(nvars: int = 1, *, functions: Sequence[str] = FUNCTIONS,
                max_leaves: int = 6) -> st.SearchStrategy[Expression]:
    """Random :class:`Expression` in ``nvars`` variables (using at least one of them): a tree
    of ``+ - * /``, unary ``-``, ``**2``, ``**3`` and the named functions (default
    :data:`FUNCTIONS`; :data:`ANALYTIC` for complex-step tests), each on a safe domain, with
    at most ``max_leaves`` leaves."""
    unknown = set(functions) - set(FUNCTIONS)
    if unknown:
        raise ValueError(f"expressions know no function(s) {sorted(unknown)}; "
                         f"choose from {FUNCTIONS}")
    unary = ["neg", "**2", "**3"] + [f for f in functions if f in _UNARY_FORMS]
    binary = ["+", "-", "*", "/"] + [f for f in functions if f in _BINARY_FORMS]
    variables = st.integers(0, nvars - 1).map(lambda i: ("var", i))
    constants = st.sampled_from(_CONSTANTS).map(lambda c: ("const", c))
    leaves = st.one_of(variables, variables, constants)

    def extend(children):
        unary_nodes = st.tuples(st.just("unary"), st.sampled_from(unary), children)
        binary_nodes = st.tuples(st.just("binary"), st.sampled_from(binary), children, children)
        return st.one_of(unary_nodes, binary_nodes)

    trees = st.recursive(leaves, extend, max_leaves=max_leaves)
    return trees.filter(lambda t: bool(_variables(t))).map(lambda t: Expression(t, nvars))


# ----------------------------------------------------------------------------- error scale


class _Scale:
    """Forward mode with a first-order rounding-error analysis: value ``v`` and derivative ``d``,
    and scales ``m`` and ``b`` such that float64 evaluation errs by about ``eps * m`` in the
    value and ``eps * b`` in the derivative (every term's magnitude added, no cancellation;
    a value error feeds the derivative through the second derivative)."""

    __slots__ = ("v", "d", "m", "b")

    def __init__(self, v, d=0.0, m=None, b=None):
        self.v, self.d = v, d
        self.m = abs(v) if m is None else m
        self.b = abs(d) if b is None else b

    @staticmethod
    def of(x) -> _Scale:
        return x if isinstance(x, _Scale) else _Scale(float(x))

    def _combine(self, other, v, da, db, daa, dab, dbb) -> _Scale:
        """The node f(self, other) with value v, partials da, db, second partials daa ..."""
        x, y = self, other
        d = da * x.d + db * y.d
        m = abs(da) * x.m + abs(db) * y.m + abs(v)
        b = (abs(da) * x.b + abs(db) * y.b + (abs(daa) * x.m + abs(dab) * y.m) * abs(x.d)
             + (abs(dab) * x.m + abs(dbb) * y.m) * abs(y.d) + abs(d))
        return _Scale(v, d, m, b)

    def __add__(self, other):
        return self._combine(_Scale.of(other), self.v + _Scale.of(other).v, 1, 1, 0, 0, 0)

    __radd__ = __add__

    def __sub__(self, other):
        return self._combine(_Scale.of(other), self.v - _Scale.of(other).v, 1, -1, 0, 0, 0)

    def __rsub__(self, other):
        return _Scale.of(other) - self

    def __neg__(self):
        return _Scale(-self.v, -self.d, self.m, self.b)

    def __mul__(self, other):
        o = _Scale.of(other)
        return self._combine(o, self.v * o.v, o.v, self.v, 0, 1, 0)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = _Scale.of(other)
        q = self.v / o.v
        return self._combine(o, q, 1 / o.v, -q / o.v, 0, -1 / o.v**2, 2 * q / o.v**2)

    def __rtruediv__(self, other):
        return _Scale.of(other) / self

    def __pow__(self, n: int):
        one = _Scale(1.0, 0.0, 0.0, 0.0)
        return self._combine(one, self.v**n, n * self.v ** (n - 1), 0,
                             n * (n - 1) * self.v ** (n - 2) if n != 1 else 0, 0, 0)


def _unary_scale(name: str):
    f, rule = g.ELEMENTARY[name], g.DERIVATIVES[name]

    def method(x) -> _Scale:
        x = _Scale.of(x)
        fx = f(x.v)
        second = float(mpmath.diff(lambda t: rule(t, f(t)), x.v))
        return x._combine(_Scale(0.0, 0.0, 0.0, 0.0), fx, rule(x.v, fx), 0, second, 0, 0)

    return method


def _binary_scale(name: str):
    f, rule = g.ELEMENTARY[name], g.BINARY_DERIVATIVES[name]

    def method(x, y) -> _Scale:
        x, y = _Scale.of(x), _Scale.of(y)
        fxy = f(x.v, y.v)
        da, db = rule(x.v, y.v, fxy)
        hessian = [[float(mpmath.diff(lambda s, t, i=i: rule(s, t, f(s, t))[i], (x.v, y.v), order))
                    for order in ((1, 0), (0, 1))] for i in (0, 1)]
        return x._combine(y, fxy, da, db, hessian[0][0], hessian[0][1], hessian[1][1])

    return method


_SCALE = SimpleNamespace(**{name: (_binary_scale(name) if name in g.BINARY else _unary_scale(name))
                            for name in FUNCTIONS})


def derivative_scale(expr: Expression, xs: float | Sequence[float], direction: int = 0) -> float:
    """Scale of the rounding error of a float64 forward-mode derivative of ``expr`` at ``xs``
    along variable ``direction``: at least ``|derivative|``, more where terms cancel or where a
    value's rounding error is amplified by a second derivative (``sin(10**4 * x)``).

    Forward mode in float64 errs by a small multiple of ``eps * derivative_scale(...)``, so
    ``|d - exact| <= 1e-12 * derivative_scale(...)`` is a relative test that survives
    cancellation (``d/dx (sin x - x)`` near 0) and ill-conditioned compositions.
    """
    xs = (xs,) if np.ndim(xs) == 0 else tuple(xs)
    seeded = [_Scale(float(x), float(i == direction)) for i, x in enumerate(xs)]
    return max(expr.evaluate(_SCALE, *seeded).b, np.finfo(float).tiny)
