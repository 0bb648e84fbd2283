"""The compiled solve: one cached function from the problem's data to the solution's arrays."""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.core.extending import overload, register_jitable

from ...compiled_cache import keyed_on_sources
from .. import stepping
from .borrowed import borrowed
from .functions import rhs_value
from .implicit import CompiledImplicit
from .record import CompiledContinuous, CompiledDiscrete, CompiledTableau, new_record
from .results import results
from .rosenbrock import CompiledRosenbrock

__all__ = ["entry", "run_solve", "method_data", "BAD_SHAPE"]

BAD_SHAPE = -1  # status: f(u0) is not shaped like u0


def same_shape(a, b):
    """Whether ``a`` and ``b`` have the same shape (compiled only)."""
    raise NotImplementedError("compiled code only")


# the method data types, told apart by their numbers of fields in method_data
METHOD_DATA = {len(data._fields): data
               for data in (CompiledTableau, CompiledRosenbrock, CompiledImplicit)}
if len(METHOD_DATA) != 3:
    raise TypeError("the method data types must differ in their numbers of fields "
                    "(method_data tells them apart by it)")


def method_data(fields):
    """The method's data named tuple of these ``fields`` (a plain tuple): the type with as
    many fields. Compiled only."""
    raise NotImplementedError("compiled code only")


@overload(method_data)
def _method_data(fields):
    data = METHOD_DATA.get(len(fields)) if isinstance(fields, types.BaseTuple) else None
    if data is not None:
        return lambda fields: data(*fields)


@overload(same_shape)
def _same_shape(a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array):
        return lambda a, b: a.shape == b.shape
    if isinstance(a, types.Array) or isinstance(b, types.Array):
        return lambda a, b: False
    return lambda a, b: True


@keyed_on_sources
@njit(cache=True)
def entry(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive, maxiters, rtol, atol,
          tab, control, tstops, saveat, save_everystep, dense, f_addresses, continuous,
          discrete, order):
    """Run a whole solve (see ``driver._solve`` for the arguments); the solution's arrays.

    The method's data and the callbacks come as plain tuples of their named tuples' fields
    (``driver.entry_arguments``) and are named again here: Numba's dispatcher types a plain
    tuple in C but a named tuple in Python (an empty compiled function with these arguments
    took 2.5 µs to call with plain tuples, 7.5 µs with named ones)."""
    return run_solve(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive, maxiters,
                     rtol, atol, method_data(tab), control, tstops, saveat, save_everystep,
                     dense, f_addresses, CompiledContinuous(*continuous),
                     CompiledDiscrete(*discrete), order)


@register_jitable
def run_solve(t0, u0, p, tf, direction, span, dt, dtmin, dtmax, adaptive, maxiters, rtol,
              atol, tab, control, tstops, saveat, save_everystep, dense, f_addresses,
              continuous, discrete, order):
    """The body of :func:`entry`, on the named tuples (compiled ensembles call it too)."""
    # the arrays only read, and kept alive by the caller, are borrowed (see .borrowed)
    integ = new_record(t0, u0, borrowed(p), tf, direction, span, dt, dtmin, dtmax, adaptive,
                       maxiters, borrowed(rtol), borrowed(atol), borrowed(tab), control,
                       borrowed(tstops), borrowed(saveat), save_everystep, dense,
                       continuous.condition.shape[0])
    continuous, discrete = borrowed(continuous), borrowed(discrete)
    f = rhs_value(f_addresses, u0, p)
    integ.f0 = stepping.call_f(integ, f, integ.u, integ.t)
    if not same_shape(integ.f0, u0):
        integ.status = BAD_SHAPE
        integ.f0 = integ.u
        return results(integ)
    stepping.start(integ, f, continuous, order)
    stepping.run(integ, f, continuous, discrete)
    return results(integ)


_ = np  # NumPy is used by the generated code's callees
