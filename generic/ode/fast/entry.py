"""The compiled solve: one cached function from the problem's data to the solution's arrays."""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.core.extending import overload

from .. import stepping
from .functions import affect_value, condition_value, discrete_condition_value, rhs_value
from .record import CompiledContinuous, CompiledDiscrete, new_record
from .results import results

__all__ = ["entry", "BAD_SHAPE"]

BAD_SHAPE = -1  # status: f(u0) is not shaped like u0


def pack_continuous(specs, u, integ):
    """The continuous callbacks as a tuple of records of function values (compiled only)."""
    raise NotImplementedError("compiled code only")


def pack_discrete(specs, u, integ):
    """The discrete callbacks as a tuple of records of function values (compiled only)."""
    raise NotImplementedError("compiled code only")


def _generated(item: str, count: int, namespace: dict):
    items = "".join(item.format(i=i) + ", " for i in range(count))
    source = f"def impl(specs, u, integ):\n    return ({items})\n"
    exec(source, namespace)  # noqa: S102 - generated from a count only
    return namespace["impl"]


@overload(pack_continuous)
def _pack_continuous(specs, u, integ):
    return _generated(
        "CompiledContinuous(condition_value(specs[{i}][0], u, integ), "
        "affect_value(specs[{i}][1], integ), affect_value(specs[{i}][2], integ), "
        "specs[{i}][3], specs[{i}][4], specs[{i}][5], specs[{i}][6])", len(specs),
        {"CompiledContinuous": CompiledContinuous, "condition_value": condition_value,
         "affect_value": affect_value})


@overload(pack_discrete)
def _pack_discrete(specs, u, integ):
    return _generated(
        "CompiledDiscrete(discrete_condition_value(specs[{i}][0], u, integ), "
        "affect_value(specs[{i}][1], integ), specs[{i}][2])", len(specs),
        {"CompiledDiscrete": CompiledDiscrete,
         "discrete_condition_value": discrete_condition_value, "affect_value": affect_value})


def same_shape(a, b):
    """Whether ``a`` and ``b`` have the same shape (compiled only)."""
    raise NotImplementedError("compiled code only")


@overload(same_shape)
def _same_shape(a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array):
        return lambda a, b: a.shape == b.shape
    if isinstance(a, types.Array) or isinstance(b, types.Array):
        return lambda a, b: False
    return lambda a, b: True


@njit(cache=True)
def entry(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive, maxiters, rtol, atol,
          tab, control, tstops, saveat, save_everystep, dense, f_addresses, continuous_specs,
          discrete_specs, order):
    """Run a whole solve (see ``driver._solve`` for the arguments); the solution's arrays."""
    integ = new_record(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive, maxiters,
                       rtol, atol, tab, control, tstops, saveat, save_everystep, dense,
                       len(continuous_specs))
    f = rhs_value(f_addresses, u0, p)
    continuous = pack_continuous(continuous_specs, u0, integ)
    discrete = pack_discrete(discrete_specs, u0, integ)
    integ.f0 = stepping.call_f(integ, f, integ.u, integ.t)
    if not same_shape(integ.f0, u0):
        integ.status = BAD_SHAPE
        integ.f0 = integ.u
        return results(integ)
    stepping.start(integ, f, continuous, order)
    stepping.run(integ, f, continuous, discrete)
    return results(integ)


_ = np  # NumPy is used by the generated code's callees
