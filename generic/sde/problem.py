"""SDE problems: ``du = f(u, p, t) dt + g(u, p, t) dW`` (Itô) on ``tspan`` from ``u0``."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ..functions import value
from ..ode.problem import as_array

__all__ = ["SDEProblem", "NOISE_KINDS"]

NOISE_KINDS = ("diagonal", "scalar", "general")


class SDEProblem:
    """The Itô SDE ``du = f(u, p, t) dt + g(u, p, t) dW``, ``u(tspan[0]) = u0``.

    ``f(u, p, t)`` returns the drift, shaped like ``u``; ``g(u, p, t)`` the diffusion, by
    ``noise``:

    - ``"diagonal"`` (default): shaped like ``u``, one independent Wiener process per
      component (``du_i = f_i dt + g_i dW_i``);
    - ``"scalar"``: shaped like ``u``, one Wiener process for all components;
    - ``"general"``: a noise-rate matrix of shape ``(len(u), m)`` for ``m`` Wiener processes
      (``du = f dt + G dW``); give ``m=``.

    ``u0`` is a number or an array of any number type (floats, float32, perturbation and
    multiprecision numbers, uncertain quantities); the state keeps it. The time type follows
    ``tspan`` (forward only: Itô integrals run forward). ``p`` is passed through to ``f`` and ``g``.
    """

    def __init__(self, f: Callable, g: Callable, u0, tspan, p=None, *, noise: str | None = None,
                 m: int | None = None):
        for name, func in (("f", f), ("g", g)):
            if not callable(func):
                raise TypeError(f"SDEProblem: {name} must be callable {name}(u, p, t), got "
                                f"{func!r}")
            if _positional_count(func) == 4:
                raise TypeError(f"SDEProblem: {name} takes four arguments; write it out of "
                                f"place, {name}(u, p, t) returning the array")
        if noise is None:
            noise = "general" if m is not None else "diagonal"
        if noise not in NOISE_KINDS:
            raise ValueError(f"SDEProblem: noise={noise!r} is not one of {NOISE_KINDS}")
        if noise == "general":
            if m is None or int(m) < 1:
                raise ValueError("SDEProblem: general noise needs m= (the number of Wiener "
                                 "processes, the columns of g's matrix), e.g. m=2")
        elif m is not None:
            raise ValueError(f"SDEProblem: m= is the number of Wiener processes of general "
                             f"noise; {noise} noise has one per component (diagonal) or one "
                             f"(scalar): drop m= or pass noise='general'")
        self.f, self.g, self.p = f, g, p
        self.u0 = _as_state(u0)
        if noise == "general" and np.ndim(value(self.u0)) != 1:
            raise ValueError(f"SDEProblem: general noise needs u0 as a 1-d array (g returns a "
                             f"(len(u), m) matrix), got shape {np.shape(value(self.u0))}")
        self.tspan = _as_tspan(tspan)
        self.noise = noise
        self.m = int(m) if m is not None else None

    @property
    def noise_shape(self) -> tuple:
        """The shape of the Wiener process: that of ``u`` (diagonal), ``()`` (scalar) or
        ``(m,)`` (general)."""
        if self.noise == "scalar":
            return ()
        if self.noise == "general":
            return (self.m,)
        return tuple(np.shape(value(self.u0)))

    @property
    def rate_shape(self) -> tuple:
        """The shape ``g`` must return."""
        u_shape = tuple(np.shape(value(self.u0)))
        return (*u_shape, self.m) if self.noise == "general" else u_shape

    def remake(self, *, u0=None, p=None) -> SDEProblem:
        """This problem with another ``u0`` and/or ``p``."""
        return SDEProblem(self.f, self.g, self.u0 if u0 is None else u0, self.tspan,
                          self.p if p is None else p, noise=self.noise, m=self.m)

    def __repr__(self) -> str:
        noise = self.noise + (f", m={self.m}" if self.m else "")
        return f"SDEProblem(u0={self.u0!r}, tspan={self.tspan!r}, p={self.p!r}, noise={noise})"


def _positional_count(func: Callable) -> int:
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 3
    return sum(1 for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               and p.default is p.empty)


def _as_state(u0):
    if isinstance(u0, (list, tuple)):
        u0 = as_array(u0)
    if isinstance(u0, np.ndarray) and u0.dtype.kind in "biu":
        return u0.astype(float)
    if isinstance(u0, (bool, int, np.integer)):
        return float(u0)
    try:
        value(u0)
    except TypeError as error:
        raise TypeError(f"SDEProblem: u0 must be a number or an array of numbers; "
                        f"{type(u0).__qualname__} has no generic.value method ({error})") from None
    return u0


def _as_tspan(tspan):
    try:
        t0, tf = tspan
    except (TypeError, ValueError):
        raise ValueError(f"SDEProblem: tspan must be a pair (t0, tf), got {tspan!r}") from None
    if not value(tf) > value(t0):
        raise ValueError(f"SDEProblem: tspan {tspan!r} must run forward (tf > t0): Itô "
                         f"integrals are forward in time")
    if isinstance(t0, int) and isinstance(tf, int):
        return float(t0), float(tf)
    return t0 + 0 * tf, tf + 0 * t0
