"""The float64 fast path: ``g.solve`` on a float64 problem, compiled.

:func:`fast_path_refusal` says whether a problem can take the path (and why not);
:func:`solve_compiled` compiles the user's functions (plain Python or ``numba.njit``), builds the
compiled integrator record and runs :mod:`generic.ode.stepping` compiled by Numba: the same
source as the generic path. The loop is compiled once per combination of types and cached on
disk by Numba (``cache=True``), so a second process loads it instead of compiling; the user's
functions enter it as first-class function values of fixed signature.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace

import numpy as np
from numba import njit, types
from numba.core.errors import NumbaError

from .. import stepping
from ..algorithms import ExplicitRK
from ..callbacks import ContinuousCallback, DiscreteCallback
from ..errors import FastPathError
from ..implicit import Implicit
from ..integrator import check_first_derivative, failure_message, saveat_or_ends
from ..rosenbrock import Rosenbrock
from ..solution import ODESolution, Stats
from ..tableau import converted
from . import overloads  # noqa: F401 - registers the compiled hooks
from .entry import BAD_SHAPE, entry
from .functions import addresses, affect_signature, condition_signature, rhs_signature
from .implicit import compiled_implicit
from .parameters import ParameterError, flatten, layout, rebuild_expression, wrapper
from .record import CompiledContinuous, CompiledDiscrete, compiled_tableau, new_record
from .results import CompiledInterpolants
from .rosenbrock import compiled_rosenbrock, difference_floor, user_derivatives

__all__ = ["solve_compiled", "fast_path_refusal", "FastPathError", "STIFF"]

STIFF = (Rosenbrock, Implicit)  # the methods with a Jacobian, kept in per-solve buffers


# ------------------------------------------------------------------ eligibility

_FLOAT_TYPES = (float, int, np.floating, np.integer)


def _is_float(x) -> bool:
    return type(x) is float or (isinstance(x, _FLOAT_TYPES) and not isinstance(x, bool))


def fast_path_refusal(prob, alg, options: dict) -> str | None:
    """None if ``prob`` with ``alg`` can run compiled, else the reason it cannot."""
    if isinstance(alg, type) or not hasattr(alg, "attempt"):
        return f"{alg!r} is not an ODE algorithm instance (g.Tsit5(), g.Vern9(), ...)"
    if not isinstance(alg, (ExplicitRK, *STIFF)):
        return (f"{alg.name} runs on the generic path only (the fast path takes the explicit "
                f"Runge–Kutta methods, Rosenbrock23, Rodas5, ImplicitEuler and TRBDF2)")
    u0 = prob.u0
    if isinstance(alg, STIFF) and not isinstance(u0, np.ndarray):
        return f"{alg.name} takes a 1-d float64 array state on the fast path (u0 = [x] for " \
               f"one equation), got {type(u0).__qualname__}"
    refusal = data_refusal(prob)
    if refusal is not None:
        return refusal
    for name, fn in _user_functions(prob, alg, options):
        if not _compilable(fn):
            return f"{name} is a {type(fn).__qualname__}: the fast path compiles functions " \
                   f"(def, lambda or numba.njit)"
    for name in ("rtol", "atol"):
        tol = options.get(name)
        if not (_is_float(tol) or (isinstance(tol, np.ndarray) and tol.dtype.kind == "f"
                                   and tol.shape == np.shape(u0))):
            return f"{name} must be a float (or a float array shaped like u0), got {tol!r}"
    for name in _TIME_OPTIONS:
        v = options.get(name)
        if v is None or _is_float(v) or (isinstance(v, tuple) and not v):  # (): no times
            continue
        if np.asarray(v).dtype.kind not in "fiu":
            return f"{name} must be float times, got {v!r}"
    for cb in _callback_list(options.get("callback")):
        if not isinstance(cb, (ContinuousCallback, DiscreteCallback)):
            return f"unknown callback {cb!r}"
    return None


_TIME_OPTIONS = ("saveat", "tstops", "dt", "dtmin", "dtmax")


def _compilable(fn) -> bool:
    return inspect.isfunction(fn) or hasattr(fn, "py_func")  # def/lambda, or a Numba function


def _user_functions(prob, alg, options: dict) -> list[tuple[str, Callable]]:
    """(name, function) of the user's functions a compiled solve compiles."""
    functions = [("f", prob.f_user)]
    if isinstance(alg, STIFF):
        functions += [(name, getattr(alg, name)) for name in ("jac", "tgrad")
                      if getattr(alg, name, None) is not None]
    for cb in _callback_list(options.get("callback")):
        functions += [(f"a callback's {name}", getattr(cb, name))
                      for name in ("condition", "affect", "affect_neg")
                      if getattr(cb, name, None) is not None]
    return functions


def data_refusal(prob) -> str | None:
    """None if the problem's state, times and parameters are float64 data the compiled code
    takes (shared by every compiled solver), else why not."""
    u0 = prob.u0
    if isinstance(u0, np.ndarray):
        if type(u0) is not np.ndarray:
            return f"the state is a {type(u0).__qualname__}, a NumPy array subclass: the " \
                   f"compiled code would drop its own methods (compile=False keeps them)"
        if u0.dtype != np.float64 or u0.ndim != 1:
            return f"the state must be float64 (a float or a 1-d array), got {u0.dtype} " \
                   f"with {u0.ndim} dimension(s)"
    elif not isinstance(u0, (float, np.float64)):
        return f"the state must be float64 (a float or a 1-d array), got {type(u0).__qualname__}"
    if not (_is_float(prob.tspan[0]) and _is_float(prob.tspan[1])):
        return f"tspan must be floats, got {tuple(type(t).__qualname__ for t in prob.tspan)}"
    try:
        layout(prob.p)
    except ParameterError as error:
        return str(error)
    return None


def _callback_list(callback) -> list:
    if callback is None:
        return []
    return list(callback) if isinstance(callback, (list, tuple)) else [callback]


# ------------------------------------------------------------------ compiling the user's code

def _jit(func: Callable):
    """``func`` as a Numba dispatcher (itself if it is one)."""
    if hasattr(func, "py_func"):
        return func
    return _jit_cached(func)


@lru_cache(maxsize=1024)
def _jit_cached(func):
    return njit(func, forceinline=True)  # inlined into the wrappers below


@lru_cache(maxsize=1024)
def _rhs(f_user, in_place: bool, array_state: bool, lay):
    """A compiled ``f(u, flat, t) -> du`` (float64, contiguous) around the user's f, given its
    parameters rebuilt from their flat array (``parameters.flatten``; ``lay`` their layout)."""
    p = rebuild_expression(lay)
    if in_place:
        body = f"    du = np.empty_like(u)\n    f(du, u, {p}, t)\n    return du\n"
    elif array_state:
        body = f"    return np.ascontiguousarray(np.asarray(f(u, {p}, t), dtype=np.float64))\n"
    else:
        body = f"    return float(f(u, {p}, t))\n"
    return wrapper("def rhs(u, flat, t):\n" + body, "rhs", f=_jit(f_user))


@lru_cache(maxsize=1024)
def _rhs_addresses(f_user, in_place: bool, array_state: bool, lay) -> tuple[int, int]:
    """The addresses of :func:`_rhs`'s compiled right-hand side (cached: a signature is slow
    to hash)."""
    rhs = _rhs(f_user, in_place, array_state, lay)
    return addresses(rhs, rhs_signature(state_type(array_state), FLAT))


@lru_cache(maxsize=1024)
def _condition(condition, kind: str):
    result = "float" if kind == "continuous" else "bool"
    return wrapper(f"def condition(u, t, integ):\n    return {result}(c(u, t, integ))\n",
                   "condition", c=_jit(condition))


@lru_cache(maxsize=1024)
def _affect(affect):
    return wrapper("def affect(integ):\n    a(integ)\n", "affect", a=_jit(affect))


@njit
def _no_affect(integ):
    return None


@lru_cache(maxsize=64)
def _tableau(alg_type):
    return compiled_tableau(converted(alg_type.tableau, float))


@lru_cache(maxsize=64)
def _float_tableau(alg_type):
    """The method's tableau in floats for dense output (None: cubic Hermite, Rosenbrock)."""
    tableau = getattr(alg_type, "tableau", None)
    return None if tableau is None else converted(tableau, float)


def _method_data(alg, u0, lay, rtol, atol):
    """The record's ``tab``: an explicit method's compiled tableau (shared), or a stiff
    method's coefficients with its own Jacobian buffers and the user's compiled jac/tgrad."""
    if isinstance(alg, STIFF):
        jac, tgrad = user_derivatives(alg, lay, lambda fn: _rhs(fn, False, True, lay))
        floor = difference_floor(atol, rtol, u0.shape[0])
        if isinstance(alg, Implicit):
            return compiled_implicit(alg, u0, jac, floor)
        return compiled_rosenbrock(alg, u0, jac, tgrad, floor)
    return _tableau(type(alg))


# ------------------------------------------------------------------ the solve

def solve_compiled(prob, alg, options: dict) -> ODESolution:
    """Solve on the fast path; :class:`FastPathError` (with Numba's message) if the user's
    functions do not compile."""
    try:
        return _solve(prob, alg, options)
    except NumbaError as error:
        raise FastPathError(f"solve(..., compile=True): the problem's functions do not "
                            f"compile with Numba: {_first_line(error)}") from None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Numba highlights its messages for terminals


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in _ANSI.sub("", str(error)).splitlines()
             if line.strip() and not line.strip().startswith("Failed in nopython mode")] or \
        [str(error).strip()]
    text = " ".join(lines[:3])
    return text if len(text) < 400 else text[:400] + "..."


def _solve(prob, alg, o: dict) -> ODESolution:
    array_state = isinstance(prob.u0, np.ndarray)
    u0 = np.ascontiguousarray(prob.u0, dtype=np.float64) if array_state else float(prob.u0)
    call = prepare(prob, alg, o, u0, prob.p)
    arrays = entry(*entry_arguments(call, alg.order))
    if arrays[2] == BAD_SHAPE:
        raise ValueError(f"f(u0, p, t0) returned an array not shaped like u0 {np.shape(u0)}: "
                         f"f must return du shaped like u")
    return _solution(prob, alg, arrays, type(alg), int(o["maxiters"]), call.dtmin)


def prepare(prob, alg, o: dict, u0, p, keep_saves: bool = True) -> SimpleNamespace:
    """What the compiled entry points take for ``prob`` solved from ``u0`` with parameters
    ``p`` (their types decide the compiled specialisation): ``record_args`` (the record's
    data), ``functions`` (the right-hand side's and callbacks' addresses) and ``dtmin``.
    ``keep_saves=False`` drops the callbacks' extra saves (ensembles save on a grid only).
    The first solve of a right-hand side checks ``f(u0, p, t0)`` in Python first, as the
    generic path does (later ones: the compiled solve checks its shape)."""
    array_state = isinstance(u0, np.ndarray)
    t0, tf = float(prob.tspan[0]), float(prob.tspan[1])
    direction = 1.0 if tf > t0 else -1.0
    span = abs(tf - t0)
    adaptive = bool(o["adaptive"] and alg.adaptive)
    dt = o.get("dt")
    if dt is None and not adaptive:
        raise ValueError(f"{alg.name} takes fixed steps: give dt=... to solve (or use an "
                         f"adaptive method)")
    dtmin = float(o["dtmin"]) if o.get("dtmin") is not None else \
        4 * 2.220446049250313e-16 * max(abs(t0), abs(tf), span)
    dtmax = float(o["dtmax"]) if o.get("dtmax") is not None else span
    saveat_option = saveat_or_ends(o.get("saveat"), o.get("save_everystep"), (t0, tf))
    saveat = _saveat(saveat_option, t0, tf, direction, span)
    stops = _stops(o.get("tstops"), saveat if alg.dense_order + 1 < alg.order else _NONE,
                   t0, tf, direction)
    save_everystep = (saveat_option is None) if o.get("save_everystep") is None \
        else bool(o["save_everystep"])
    dense = (saveat_option is None) if o.get("dense") is None else bool(o["dense"])
    callbacks = _callback_list(o.get("callback"))
    continuous = [c for c in callbacks if isinstance(c, ContinuousCallback)]
    discrete = [c for c in callbacks if isinstance(c, DiscreteCallback)]
    rtol, atol = _tolerance(o["rtol"], u0), _tolerance(o["atol"], u0)
    lay = layout(p)
    flat = flatten(p, lay)

    try:
        method_data = _method_data(alg, u0, lay, rtol, atol)
    except Exception as error:  # noqa: BLE001 - jac= or tgrad= that do not compile
        raise FastPathError(f"jac= or tgrad= do not compile with Numba: "
                            f"{_first_line(error)}") from None
    record_args = (t0, u0, flat, tf, direction, span, 0.0 if dt is None else abs(float(dt)),
                   dtmin, dtmax, adaptive, int(o["maxiters"]), rtol, atol, method_data,
                   _control(alg), stops, saveat, save_everystep, dense)
    key = (prob.f_user, prob.in_place, array_state, lay)
    if (key, np.shape(u0)) not in _CHECKED:  # before compiling: the generic path's errors
        check_first_derivative(SimpleNamespace(f=prob.f, u0=u0, p=p, tspan=prob.tspan))
        if len(_CHECKED) > 1024:
            _CHECKED.clear()
        _CHECKED.add((key, np.shape(u0)))
    try:  # Numba's errors, and what its lowering raises (float("du") is a ValueError)
        f_addresses = _rhs_addresses(*key)
        callback_sets = compiled_callbacks(continuous, discrete, record_args, keep_saves)
    except Exception as error:  # noqa: BLE001 - any failure to compile is the fast path's
        raise FastPathError(f"the problem's functions do not compile with Numba: "
                            f"{_first_line(error)}") from None
    return SimpleNamespace(record_args=record_args, dtmin=dtmin, layout=lay,
                           functions=(f_addresses, *callback_sets))


_METHOD_DATA = 13  # the place of the method's data in ``record_args``


def entry_arguments(call: SimpleNamespace, order: int) -> tuple:
    """The arguments of :func:`~.entry.entry` for a prepared ``call``: the method's data and
    the callback tables as plain tuples (Numba types those faster; see ``entry``)."""
    args, (f_addresses, continuous, discrete) = call.record_args, call.functions
    return (*args[:_METHOD_DATA], tuple(args[_METHOD_DATA]), *args[_METHOD_DATA + 1:],
            f_addresses, tuple(continuous), tuple(discrete), order)


# the right-hand sides whose f(u0, p, t0) was checked in Python, by (rhs key, shape of u0)
_CHECKED: set = set()
_NONE = np.zeros(0)  # no times (read only by compiled code)


_CONTROLS: dict = {}  # the controllers' constants by (method type, order)


def _control(alg) -> tuple:
    """The constants of ``alg.controller()`` (a PI controller: a function of the method's
    type and order) as the record takes them."""
    key = (type(alg), alg.order)
    control = _CONTROLS.get(key)
    if control is None:
        c = alg.controller()
        control = _CONTROLS[key] = (float(c.beta1), float(c.beta2), float(c.qmin),
                                    float(c.qmax), float(c.safety), float(c.err_prev))
    return control


def _stops(tstops, saveat: np.ndarray, t0: float, tf: float, direction: float) -> np.ndarray:
    """The times to step onto: ``tstops`` and ``saveat`` in the span (t0, tf], then tf, in
    the direction of time (saveat: for a method whose dense output is below its order, as
    the generic path)."""
    if not tstops and not saveat.size:
        return np.array([tf]) if direction * (tf - t0) > 0 else _NONE
    stops = [float(t) for t in np.atleast_1d(np.asarray(tstops or (), dtype=float))]
    stops.append(tf)
    stops += list(saveat)
    return _in_time_order((t for t in stops if direction * (t - t0) > 0
                           and direction * (t - tf) <= 0), direction)


def _in_time_order(times, direction: float) -> np.ndarray:
    """``times`` as floats, sorted in the direction of time, as a float64 array."""
    return np.array(sorted(map(float, times), reverse=direction < 0), dtype=np.float64)


FLAT = types.float64[::1]  # the parameters' type in compiled code (parameters.flatten)


def state_type(array_state: bool):
    """The Numba type of a compiled solve's state (an array or a float)."""
    return FLAT if array_state else types.float64


def compiled_callbacks(continuous: list, discrete: list, record_args: tuple,
                       keep_saves: bool = True) -> tuple:
    """The callbacks as a :class:`CompiledContinuous` and a :class:`CompiledDiscrete` of their
    compiled functions' addresses (for a record built from ``record_args``)."""
    if not continuous and not discrete:
        return _NO_CALLBACKS
    u_type = state_type(isinstance(record_args[1], np.ndarray))
    record_type = _typeof(new_record(*record_args, len(continuous)))
    condition = condition_signature(u_type, record_type)
    discrete_condition = condition_signature(u_type, record_type, types.boolean)
    affect = affect_signature(record_type)
    none = addresses(_no_affect, affect)

    def affect_of(fn):
        return none if fn is None else addresses(_affect(fn), affect)

    def rows(values, dtype, width=None):
        shape = (len(values),) if width is None else (len(values), width)
        return np.array(values, dtype=dtype).reshape(shape)

    compiled_continuous = CompiledContinuous(
        rows([addresses(_condition(cb.condition, "continuous"), condition)
              for cb in continuous], np.int64, 2),
        rows([affect_of(cb.affect) for cb in continuous], np.int64, 2),
        rows([affect_of(cb.affect_neg) for cb in continuous], np.int64, 2),
        rows([cb.affect is not None for cb in continuous], np.bool_),
        rows([cb.affect_neg is not None for cb in continuous], np.bool_),
        rows([int(max(cb.interp_points, 1)) for cb in continuous], np.int64),
        rows([_saves(cb, keep_saves) for cb in continuous], np.bool_, 2))
    compiled_discrete = CompiledDiscrete(
        rows([addresses(_condition(cb.condition, "discrete"), discrete_condition)
              for cb in discrete], np.int64, 2),
        rows([affect_of(cb.affect) for cb in discrete], np.int64, 2),
        rows([_saves(cb, keep_saves) for cb in discrete], np.bool_, 2))
    return compiled_continuous, compiled_discrete


_NO_CALLBACKS = (  # read only by the compiled code: one pair serves every solve without any
    CompiledContinuous(np.zeros((0, 2), np.int64), np.zeros((0, 2), np.int64),
                       np.zeros((0, 2), np.int64), np.zeros(0, np.bool_),
                       np.zeros(0, np.bool_), np.zeros(0, np.int64),
                       np.zeros((0, 2), np.bool_)),
    CompiledDiscrete(np.zeros((0, 2), np.int64), np.zeros((0, 2), np.int64),
                     np.zeros((0, 2), np.bool_)))


def _saves(cb, keep: bool) -> tuple[bool, bool]:
    return (bool(cb.save_positions[0]) and keep, bool(cb.save_positions[1]) and keep)


def _typeof(x):
    from numba import typeof
    return typeof(x)


def _tolerance(tol, u0):
    """A tolerance as the compiled solver takes it: a float for a number state, an array shaped
    like an array state (one compiled type whether it was given as a number or an array)."""
    if isinstance(u0, np.ndarray):
        if isinstance(tol, _FLOAT_TYPES):
            return _filled(float(tol), u0.shape)
        return np.array(np.broadcast_to(np.asarray(tol, dtype=np.float64), u0.shape),
                        order="C")  # a writable copy: read-only arrays are another type
    return float(tol)


@lru_cache(maxsize=256)
def _filled(tol: float, shape: tuple) -> np.ndarray:
    """A tolerance given as a number, as an array (shared between solves: compiled code only
    reads it)."""
    return np.full(shape, tol)


def _saveat(saveat, t0: float, tf: float, direction: float, span: float) -> np.ndarray:
    """The saveat times as the generic path makes them (see ``Integrator._saveat_times``)."""
    if saveat is None:
        return _NONE
    if not isinstance(saveat, (list, tuple)) and np.ndim(saveat) == 0:  # a spacing
        step = abs(float(saveat))
        n = int(math.floor(span / step * (1 + 1e-12)))
        times = [t0 + direction * step * i for i in range(n + 1)]
        if abs(times[-1] - tf) > 1e-12 * span:
            times.append(tf)
        return np.array(times, dtype=np.float64)
    return _in_time_order(saveat, direction)


def _solution(prob, alg, arrays, alg_type, maxiters: int, dtmin: float) -> ODESolution:
    ts, us, status, nf, naccept, nreject, t, dt_failed, times, states, kss, _, termination = \
        arrays
    retcode, message = "Success", ""
    if status != stepping.SUCCESS:
        retcode = stepping.RETCODE.get(status, "Success")
        message = termination if status == stepping.TERMINATED and termination else \
            failure_message(status, SimpleNamespace(t=t, dt_failed=dt_failed,
                                                    maxiters=maxiters, dtmin=dtmin))
    interpolants = CompiledInterpolants(times, states, kss, _float_tableau(alg_type))
    return ODESolution(prob, alg, ts, us, interpolants, retcode, message,
                       Stats(nf, naccept, nreject), breaks=interpolants.breaks())
