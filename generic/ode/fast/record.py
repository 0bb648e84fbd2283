"""The compiled integrator record: a Numba struct with the attributes of
:class:`~generic.ode.integrator.Integrator` that :mod:`generic.ode.stepping` reads and writes.

Built inside compiled code by :func:`new_record` (cached by Numba per field types); compiled
callbacks receive it as their ``integrator`` (``integ.t``, ``integ.u``, ``integ.p``,
``integ.dt``, ``integ.terminate()``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit, types
from numba.core.extending import overload_method
from numba.experimental import structref

from ...compiled_cache import keyed_on_sources
from ...functions import stage_buffer
from ..stepping import TERMINATED

__all__ = ["CompiledIntegratorType", "CompiledIntegrator", "CompiledTableau", "CompiledStep",
           "CompiledContinuous", "CompiledDiscrete", "CompiledEvent", "FIELDS", "new_record",
           "compiled_tableau"]


@structref.register
class CompiledIntegratorType(types.StructRef):
    """Numba type of the compiled integrator record (its field types decide the type)."""

    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class CompiledIntegrator(structref.StructRefProxy):
    """A compiled integrator record seen from Python (results are read by compiled code)."""


FIELDS = (
    # the state and the problem
    "t", "u", "p", "f0", "tf", "tf_value", "direction", "span",
    # step control
    "dt", "dtmin", "dtmax", "adaptive", "maxiters", "rtol", "atol", "tab",
    "beta1", "beta2", "qmin", "qmax", "safety", "err_prev",
    # counters and status
    "nf", "naccept", "nreject", "status", "dt_failed", "message",
    # stop and save times, callbacks' last condition values
    "tstop_times", "tstop_values", "itstop", "saveat_times", "saveat_values", "isave",
    "save_everystep", "dense", "condition_values",
    # the saved solution and the steps for dense output: arrays filled to n_saved, n_steps
    # (rec_times: t0, dt, end; rec_states: u0, u1, f0, f1, a row of each per step)
    "ts", "us", "n_saved", "rec_times", "rec_states", "rec_ks", "n_steps",
)

structref.define_constructor(CompiledIntegrator, CompiledIntegratorType, FIELDS)
structref.define_boxing(CompiledIntegratorType, CompiledIntegrator)


@overload_method(CompiledIntegratorType, "terminate")
def _terminate(integ, message=""):
    """``integ.terminate(message)``: stop after this step, retcode "Terminated"."""
    if isinstance(message, (types.UnicodeType, types.StringLiteral)):
        def impl(integ, message=""):
            integ.status = TERMINATED
            integ.message = message
        return impl

    def impl(integ, message=""):  # noqa: F811 - no message
        integ.status = TERMINATED
    return impl


class CompiledTableau(NamedTuple):
    """An explicit Runge–Kutta tableau in float64 arrays (``A`` square, row i the weights of
    stage i; ``btilde3`` and ``dense`` empty when the method has none)."""

    c: np.ndarray
    A: np.ndarray
    b: np.ndarray
    btilde: np.ndarray
    btilde3: np.ndarray
    dense: np.ndarray
    fsal: bool


class CompiledStep(NamedTuple):
    """One step for dense output, with the fields of ``StepInterpolant``."""

    t0: float
    dt: float
    u0: object
    u1: object
    f0: object
    f1: object
    ks: np.ndarray
    dense: np.ndarray


class CompiledContinuous(NamedTuple):
    """The continuous callbacks: row k holds callback k's compiled functions as their two
    addresses (C wrapper, native), read at run time, so that any number of callbacks shares
    one compiled solver. A missing affect has a do-nothing function and its flag False."""

    condition: np.ndarray  # int64 (n, 2)
    affect: np.ndarray  # int64 (n, 2)
    affect_neg: np.ndarray  # int64 (n, 2)
    has_affect: np.ndarray  # bool (n,)
    has_affect_neg: np.ndarray  # bool (n,)
    interp_points: np.ndarray  # int64 (n,)
    save_positions: np.ndarray  # bool (n, 2): save before, after the affect


class CompiledDiscrete(NamedTuple):
    """The discrete callbacks, as :class:`CompiledContinuous`."""

    condition: np.ndarray  # int64 (n, 2)
    affect: np.ndarray  # int64 (n, 2)
    save_positions: np.ndarray  # bool (n, 2)


class CompiledEvent(NamedTuple):
    """Callback ``k``'s condition on one step's interpolant (what ``evaluate`` evaluates)."""

    integ: object
    callbacks: object
    k: int
    step: object


def compiled_tableau(tab) -> CompiledTableau:
    """The float64 arrays of a tableau converted to float (``tableau.converted(T, float)``)."""
    s = len(tab.c)
    A = np.zeros((s, s))
    for i, row in enumerate(tab.A):
        A[i, :len(row)] = [float(w) for w in row]

    def vector(weights):
        return np.zeros(s) if weights is None else np.array([float(w) for w in weights])

    if tab.dense is None:
        dense = np.zeros((0, 1))
    else:
        degree = max(len(row) for row in tab.dense)
        dense = np.zeros((len(tab.dense), degree))
        for i, row in enumerate(tab.dense):
            dense[i, :len(row)] = [float(w) for w in row]
    btilde3 = np.zeros(0) if tab.btilde3 is None else vector(tab.btilde3)
    return CompiledTableau(np.array([float(c) for c in tab.c]), A, vector(tab.b),
                           vector(tab.btilde), btilde3, dense, bool(tab.fsal))


@keyed_on_sources
@njit(cache=True)
def rows_like(x, n):
    """Storage for ``n`` values like ``x`` (a float or an array), stacked on a first axis."""
    return np.empty((n,) + np.shape(x))


@keyed_on_sources
@njit(cache=True)
def blocks_like(x, n, k):
    """Storage for ``n`` rows of ``k`` values like ``x`` each."""
    return np.empty((n, k) + np.shape(x))


@keyed_on_sources
@njit(cache=True)
def new_record(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive, maxiters, rtol,
               atol, tab, control, tstops, saveat, save_everystep, dense, n_continuous):
    """A record ready for ``stepping.start`` (``f0`` is set to ``u0`` until computed)."""
    ks = stage_buffer(u0, len(tab.c))
    beta1, beta2, qmin, qmax, safety, err_prev = control
    return CompiledIntegrator(
        t0, u0, p, u0, tf, tf, direction, span,
        dt, dtmin, dtmax, adaptive, maxiters, rtol, atol, tab,
        beta1, beta2, qmin, qmax, safety, err_prev,
        0, 0, 0, 0, 0.0, "",
        tstops, tstops, 0, saveat, saveat, 0,
        save_everystep, dense, np.full(n_continuous, np.nan),
        rows_like(t0, 16), rows_like(u0, 16), 0,
        blocks_like(t0, 16, 3), blocks_like(u0, 16, 4), rows_like(ks, 16), 0,
    )
