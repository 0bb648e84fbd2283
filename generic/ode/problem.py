"""ODE problems: ``u' = f(u, p, t)`` on ``tspan`` from ``u0``."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ..functions import value

__all__ = ["ODEProblem"]


class ODEProblem:
    """The initial value problem ``u' = f(u, p, t)``, ``u(tspan[0]) = u0``.

    ``f(u, p, t) -> du`` returns the derivative; an in-place ``f(du, u, p, t)`` that writes into
    ``du`` is accepted too (recognised by its four parameters). ``u0`` is a scalar or an array of
    any number type (floats, float32, complex, 50-digit floats, duals, measurements, an object
    array, a GPU array, ...); the state keeps that type. The time type follows ``tspan`` (pass
    high-precision times for a high-precision non-autonomous problem). Integration runs
    backwards when ``tspan[1] < tspan[0]``.
    """

    def __init__(self, f: Callable, u0, tspan, p=None):
        if not callable(f):
            raise TypeError(f"ODEProblem: f must be callable f(u, p, t) -> du, got {f!r}")
        self.in_place = _takes_four_arguments(f)
        self.f_user = f
        self.f = _out_of_place(f) if self.in_place else f
        self.u0 = _as_state(u0)
        self.tspan = _as_tspan(tspan)
        self.p = p

    def __repr__(self) -> str:
        return f"ODEProblem(u0={self.u0!r}, tspan={self.tspan!r}, p={self.p!r})"


def _takes_four_arguments(f: Callable) -> bool:
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # builtins and some callables: assume f(u, p, t)
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and p.default is p.empty]
    return len(positional) == 4


def _out_of_place(f: Callable) -> Callable:
    def f_out_of_place(u, p, t):
        du = u * 0  # a fresh array of u's own type, for f to fill
        f(du, u, p, t)
        return du

    return f_out_of_place


def as_array(items):
    """A list or tuple of numbers as an array: a float array for plain numbers, an object
    array for numbers of other types (duals, multiprecision, ...)."""
    return np.asarray(items, dtype=object if _has_exotic(items) else None)


def _as_state(u0):
    if isinstance(u0, (list, tuple)):
        u0 = as_array(u0)
    if isinstance(u0, np.ndarray) and u0.dtype.kind in "biu":
        u0 = u0.astype(float)  # the state evolves in floats: an integer u0 would truncate
    elif isinstance(u0, (bool, int, np.integer)):
        u0 = float(u0)
    try:
        v = value(u0)
        # NumPy arrays and numbers are checked here; other array API arrays are numeric by the
        # standard, and a number type's own value (a function state's: a Fun) by its value method
        v = np.asarray(v) if isinstance(v, (np.ndarray, np.generic, int, float, complex)) \
            else None
    except TypeError as error:
        raise TypeError(f"ODEProblem: u0 must be a number or an array of numbers; "
                        f"{type(u0).__qualname__} has no generic.value method ({error})") from None
    if v is not None and v.dtype.kind not in "biufc":
        raise TypeError(f"ODEProblem: u0 must be numeric, got {u0!r} (values of dtype {v.dtype})")
    return u0


def _has_exotic(items) -> bool:
    return any(not isinstance(x, (int, float, complex, np.number)) for x in items)


def _as_tspan(tspan):
    try:
        t0, tf = tspan
    except (TypeError, ValueError):
        raise ValueError(f"ODEProblem: tspan must be a pair (t0, tf), got {tspan!r}") from None
    if value(t0) == value(tf):
        raise ValueError(f"ODEProblem: tspan {tspan!r} is empty (t0 == tf); give tf != t0")
    if isinstance(t0, int) and isinstance(tf, int):
        return float(t0), float(tf)
    return t0 + 0 * tf, tf + 0 * t0  # one type for both (an mpf end makes both mpf)
