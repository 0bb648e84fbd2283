"""Arrays borrowed for the length of a compiled call: the same data without reference counting.

Numba counts the references of every array it passes around with an atomic increment and
decrement. The stepping loop reads the tableau, the tolerances, the parameters and the stop
times from the integrator record on every step: a profile of a Lotka–Volterra solve put more
than half of its samples in those atomic operations (borrowing took about 12% off a step;
the state arrays, which are new each step, are still counted). The arrays a solve
only reads and that outlive it (the caller's arguments) need no counting: :func:`borrowed`
gives the same array with no owner (``meminfo`` null), which Numba's reference counting skips.
A borrowed array must not outlive the call: never return one to Python or keep it after it.
"""

from __future__ import annotations

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["borrowed"]


def _borrow(context, builder, typ, value):
    """``value`` of type ``typ`` as a new reference whose arrays have no owner."""
    if isinstance(typ, types.Array):
        source = context.make_array(typ)(context, builder, value=value)
        view = context.make_array(typ)(context, builder)
        for field in ("data", "shape", "strides", "itemsize", "nitems"):
            setattr(view, field, getattr(source, field))
        view.meminfo = cgutils.get_null_value(view.meminfo.type)
        view.parent = cgutils.get_null_value(view.parent.type)
        return view._getvalue()
    if isinstance(typ, types.BaseTuple):
        members = [_borrow(context, builder, member, builder.extract_value(value, i))
                   for i, member in enumerate(typ.types)]
        return context.make_tuple(builder, typ, members)
    context.nrt.incref(builder, typ, value)  # anything else stays counted
    return value


@intrinsic
def borrowed(typingctx, x):
    """``x`` (an array, or a tuple or named tuple holding arrays) with its arrays borrowed: the
    same type and data, not reference counted. Only for arrays that outlive the call."""
    def codegen(context, builder, signature, args):
        return _borrow(context, builder, signature.args[0], args[0])
    return x(x), codegen
