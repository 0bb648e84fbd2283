"""Floor 1: the dispatcher, the abstract types, declaring generic functions, the missing-method
error and its recipe, and the dispatch table itself (no ambiguities, cache-friendly signatures)."""

from __future__ import annotations

import itertools
import math
import textwrap
import types
import typing
import warnings

import array_api_strict as xps
import mpmath
import numpy as np
import plum
import pytest
from uncertainties import ufloat

import generic as g
from generic.dispatch import register

PROTOCOL = {f.__name__: f for f in (g.value, g.norm, g.eps, g.eltype, g.real, g.imag, g.conj,
                                    g.isfinite)}


# Number types the library has never heard of, as a user's own would be. Each test that adds
# methods uses its own class, so the methods it adds to the library's dispatcher match nothing else.
class Unsupported:
    pass


class Celsius:
    def __init__(self, degrees: float):
        self.degrees = degrees


class Interval:
    """A toy number type: an interval [lo, hi]; monotone functions map the end points."""

    def __init__(self, lo: float, hi: float):
        self.lo, self.hi = lo, hi


class Toy:
    pass


# ----------------------------------------------------------------------------- missing methods


def test_missing_method_error_is_a_type_error_naming_function_types_and_recipe():
    with pytest.raises(g.MissingMethodError) as info:
        g.sin(Unsupported())
    error = info.value
    assert isinstance(error, TypeError)
    assert error.function_name == "sin"
    assert error.types == (Unsupported,)
    message = str(error)
    assert "generic.sin has no method for argument types (Unsupported)" in message
    assert "@g.dispatch\n    def sin(x: Unsupported):" in message


def test_missing_method_error_of_a_binary_function_names_both_types():
    with pytest.raises(g.MissingMethodError) as info:
        g.hypot(Unsupported(), 1.0)
    message = str(info.value)
    assert "generic.hypot has no method for argument types (Unsupported, float)" in message
    assert "def hypot(x: Unsupported, y: float):" in message


@pytest.mark.parametrize("name", list(PROTOCOL))
def test_protocol_functions_raise_the_missing_method_error_too(name):
    with pytest.raises(g.MissingMethodError, match=f"def {name}\\(x: Unsupported\\)"):
        PROTOCOL[name](Unsupported())


def test_convert_to_an_unsupported_constant_raises_the_missing_method_error():
    with pytest.raises(g.MissingMethodError, match="generic.convert"):
        g.convert(float, Unsupported())


def recipe(error: g.MissingMethodError, body: str) -> str:
    """The code the error message shows, with ``body`` in place of its ``...``."""
    code = str(error).split("without touching generic:\n", 1)[1]
    code = textwrap.dedent(code)
    assert code.rstrip().endswith("...")
    return code.rstrip()[:-3] + body + "\n"


def test_the_recipe_in_the_error_message_adds_a_working_method():
    with pytest.raises(g.MissingMethodError) as info:
        g.sin(Celsius(30.0))
    # Run the recipe exactly as the message shows it, as a user pasting it next to their type.
    namespace = {"Celsius": Celsius}
    exec(recipe(info.value, "return Celsius(math.sin(x.degrees))"), {**namespace, "math": math})
    result = g.sin(Celsius(30.0))  # the earlier failed lookup was cached; it must not stick
    assert isinstance(result, Celsius)
    assert result.degrees == math.sin(30.0)
    assert g.sin(0.5) == math.sin(0.5)  # other types are untouched


def test_user_methods_join_the_generic_function_of_the_same_name():
    @g.dispatch
    def sin(x: Interval):
        return Interval(*sorted((math.sin(x.lo), math.sin(x.hi))))  # monotone on [-pi/2, pi/2]

    @g.dispatch
    def value(x: Interval):
        return (x.lo + x.hi) / 2

    @g.dispatch
    def norm(x: Interval):
        return max(abs(x.lo), abs(x.hi))

    # plum's Dispatcher groups methods by function name: the decorated names are g's functions.
    assert sin is g.sin and value is g.value and norm is g.norm

    def solver_like(u):  # code that names no number type
        return g.value(g.sin(u)), g.norm(u)

    mid, size = solver_like(Interval(-0.5, 1.0))
    assert mid == (math.sin(-0.5) + math.sin(1.0)) / 2
    assert size == 1.0
    assert solver_like(0.25) == (math.sin(0.25), 0.25)


# ----------------------------------------------------------------------------- declaring


def test_generic_function_declares_a_documented_function_with_a_missing_method():
    @g.generic_function
    def _test_only_double(x):
        """Twice x, for this test only."""

    assert "Twice x, for this test only." in _test_only_double.__doc__
    with pytest.raises(g.MissingMethodError, match="_test_only_double"):
        _test_only_double(1.0)

    @g.dispatch
    def _test_only_double(x: float):
        return 2 * x

    assert _test_only_double(1.5) == 3.0
    with pytest.raises(g.MissingMethodError):
        _test_only_double(Toy())


def test_register_adds_builtins_and_ufuncs_with_precedence():
    @g.generic_function
    def _test_only_root(x):
        """Square root, for this test only."""

    register(_test_only_root, math.sqrt, float)
    register(_test_only_root, np.sqrt, np.floating, precedence=1)  # np.float64 is also a float
    assert _test_only_root(4.0) == 2.0 and type(_test_only_root(4.0)) is float
    assert type(_test_only_root(np.float64(4.0))) is np.float64


def test_elementary_functions_carry_their_table_docstrings():
    for name, doc in {**g.UNARY, **g.BINARY}.items():
        assert doc in g.ELEMENTARY[name].__doc__
        assert getattr(g, name) is g.ELEMENTARY[name]


# ----------------------------------------------------------------------------- abstract types


def test_scalar_and_array_abstract_types():
    scalars = [1, 1.0, 1j, np.float32(1), np.float64(1), np.int64(1), np.complex128(1),
               mpmath.mpf(1), mpmath.mpc(1), ufloat(1, 0.1)]
    arrays = [np.zeros(2), np.zeros(2, dtype=object), xps.asarray([1.0])]
    for x in scalars:
        assert isinstance(x, g.Scalar) and not isinstance(x, g.Array), type(x)
    for x in arrays:
        assert isinstance(x, g.Array) and not isinstance(x, g.Scalar), type(x)
    assert not isinstance([1.0], g.Array) and not isinstance("1", g.Scalar)


def test_numpy_scalars_are_scalars_not_arrays():
    # NumPy 2 gives its scalars __array_namespace__; if they counted as Arrays, every function
    # with methods for both NumPy scalars and Arrays would be ambiguous for them.
    assert hasattr(np.float64(1), "__array_namespace__")
    assert not issubclass(np.float64, g.Array) and not issubclass(np.generic, g.Array)


# ----------------------------------------------------------------------------- the table


def samples():
    """One value of every kind of argument the floor has methods for."""
    return {
        "int": 2, "float": 0.5, "complex": 0.5 + 0.5j, "float32": np.float32(0.5),
        "float64": np.float64(0.5), "complex128": np.complex128(0.5 + 0.5j), "int64": np.int64(2),
        "ndarray": np.array([0.5, 0.25]), "float32 array": np.array([0.5], dtype=np.float32),
        "object array": np.array([mpmath.mpf(0.5)], dtype=object), "mpf": mpmath.mpf(0.5),
        "mpc": mpmath.mpc(0.5, 0.5), "ufloat": ufloat(0.5, 0.1), "xps": xps.asarray([0.5, 0.25]),
    }


def calls():
    kinds = samples()
    for name, f in {**g.ELEMENTARY, **PROTOCOL}.items():
        arity = 2 if name in g.BINARY else 1
        for combination in itertools.product(kinds, repeat=arity):
            yield name, f, combination, tuple(kinds[k] for k in combination)


def test_no_call_of_any_kinds_is_ambiguous():
    """Every generic function called with every combination of supported kinds either answers
    or raises a MissingMethodError (or the underlying library's own error), never plum's
    AmbiguousLookupError: a tie between methods is a bug of the table, not of the caller."""
    ambiguous = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for name, f, combination, args in calls():
            try:
                f(*args)
            except plum.AmbiguousLookupError:
                ambiguous.append(f"{name}{combination}")
            except Exception:  # noqa: BLE001, S110  (missing methods and domain errors are fine)
                pass
    assert not ambiguous, "\n".join(ambiguous)


@pytest.mark.parametrize(
    ("x", "y", "kind"),
    [
        (0.5, np.array([0.5]), np.ndarray),
        (np.array([0.5]), 2, np.ndarray),
        (np.float64(0.5), 0.25, np.float64),
        (0.25, np.float64(0.5), np.float64),
        (np.float32(0.5), 2.0, np.float32),
        (2, np.float32(0.5), np.float32),
        (np.float64(0.5), np.array([0.5]), np.ndarray),
        (np.array([0.5], dtype=object), 2.0, np.ndarray),
    ],
)
def test_numpy_beside_python_numbers_has_one_method(x, y, kind):
    for name in g.BINARY:
        assert isinstance(g.ELEMENTARY[name](x, y), kind), name


def test_elementary_and_value_norm_signatures_keep_plums_cache_on():
    """plum caches a lookup by argument types only if every method's signature is "faithful"
    (decided by the argument's type alone): no Literal, tuple[...] or type[X] hints, which cost
    ~10x per call. eps and convert take types and are called once per solve, so they may."""
    for name, f in {**g.ELEMENTARY, **PROTOCOL}.items():
        if name == "eps":
            continue
        for method in f.methods:
            assert method.signature.is_faithful, (name, method.signature)
            for t in method.signature.types:
                assert typing.get_origin(t) in (None, typing.Union, types.UnionType), (name, t)
