"""DDE problems: ``u'(t) = f(u(t), h, p, t)`` with ``h(p, t - τ)`` the solution at earlier times."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ..functions import value
from ..ode.problem import ODEProblem

__all__ = ["DDEProblem"]


class DDEProblem:
    """The delay differential equation ``u'(t) = f(u(t), h, p, t)`` on ``tspan`` with constant
    lags, ``u(t) = history(p, t)`` for ``t < tspan[0]`` and ``u(tspan[0]) = u0``.

    ``f(u, h, p, t) -> du``: ``h(p, s)`` inside ``f`` is the solution at an earlier time ``s``
    (the history before ``t0``, the solver's dense output after it); an in-place
    ``f(du, u, h, p, t)`` (five parameters) is accepted too. ``history``: ``h(p, t)`` for
    ``t <= t0``, or a constant (number or array). ``u0``: the state at ``t0`` (any number type,
    as for :class:`~generic.ode.ODEProblem`); None takes ``history(p, t0)``. ``lags``: the
    constant delays ``τ > 0`` that ``f`` reads ``h`` at (``t - τ``); they place the steps onto
    the points where the solution's derivatives jump (``t0 + n1 τ1 + n2 τ2 + ...``). Give them
    in the time type (high-precision lags for a high-precision solve). Integration runs forward
    only.
    """

    def __init__(self, f: Callable, u0, history, tspan, p=None, lags=()):
        if not callable(f):
            raise TypeError(f"DDEProblem: f must be callable f(u, h, p, t) -> du, got {f!r}")
        self.in_place = _positional_count(f) == 5
        self.f_user = f
        self.f = _out_of_place(f) if self.in_place else f
        self.lags = _as_lags(lags)
        self.history = _as_history(history)
        self.p = p
        # the ODE problem's checks of u0 and tspan, for the same messages
        t0, tf = ODEProblem(lambda u, p, t: u, 0.0, tspan).tspan
        if not value(tf) > value(t0):
            raise ValueError(f"DDEProblem: tspan {tspan!r} runs backwards; a delay equation "
                             f"runs forward from its history (give t0 < tf)")
        self.tspan = (t0, tf)
        h0 = self._history_at(t0)
        self.u0 = ODEProblem(lambda u, p, t: u, h0 if u0 is None else u0, tspan).u0
        if np.shape(value(h0)) != np.shape(value(self.u0)):
            raise ValueError(f"DDEProblem: history(p, t0) has shape {np.shape(value(h0))}, but "
                             f"u0 has shape {np.shape(value(self.u0))}: the history must "
                             f"return states shaped like u0")

    def _history_at(self, t):
        try:
            h = self.history(self.p, t)
        except TypeError as error:
            raise TypeError(f"DDEProblem: history(p, t) failed at t0 = {t!r} ({error}); the "
                            f"history is called as history(p, t), not history(t)") from None
        try:
            v = np.asarray(value(h))
        except TypeError:
            raise TypeError(f"DDEProblem: history(p, t0) returned {type(h).__qualname__}, "
                            f"which is not a number or an array of numbers") from None
        if v.dtype.kind not in "biufc":
            raise TypeError(f"DDEProblem: history(p, t0) must be numeric, got {h!r}")
        return h

    def __repr__(self) -> str:
        return (f"DDEProblem(u0={self.u0!r}, tspan={self.tspan!r}, lags={self.lags!r}, "
                f"p={self.p!r})")


def _positional_count(f: Callable) -> int:
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # builtins and some callables: assume f(u, h, p, t)
        return 4
    return len([p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                and p.default is p.empty])


def _out_of_place(f: Callable) -> Callable:
    def f_out_of_place(u, h, p, t):
        du = u * 0  # a fresh array of u's own type, for f to fill
        f(du, u, h, p, t)
        return du

    return f_out_of_place


def _as_lags(lags) -> tuple:
    if isinstance(lags, np.ndarray):
        lags = lags.tolist()
    elif not isinstance(lags, (list, tuple)):
        lags = [lags]
    if not lags:
        raise ValueError("DDEProblem: give the constant lags that f reads the history at, "
                         "lags=[tau1, tau2, ...] (all > 0)")
    for lag in lags:
        try:
            positive = float(value(lag)) > 0
        except (TypeError, ValueError):
            raise TypeError(f"DDEProblem: the lags must be numbers, got {lag!r}") from None
        if not positive:
            raise ValueError(f"DDEProblem: the lag {lag!r} is not positive; every lag must be "
                             f"> 0 (a lag of 0 is the ODE u' = f(u, p, t): use g.ODEProblem)")
    return tuple(lags)


def _as_history(history) -> Callable:
    if callable(history):
        return history
    try:
        v = np.asarray(value(history))
    except TypeError:
        v = None
    if v is None or v.dtype.kind not in "biufc":
        raise TypeError(f"DDEProblem: history must be a function history(p, t) or a constant "
                        f"state, got {history!r}")

    def constant(p, t):
        return history

    return constant
