"""One trajectory's own data in a compiled ensemble (:mod:`.ensemble`): its parameters, its
initial state, and its method data (a stiff method's buffers are written by a solve, so each
trajectory gets its own; the coefficients stay shared)."""

from __future__ import annotations

from numba import types
from numba.core.extending import overload, register_jitable

from .record import CompiledTableau

__all__ = ["trajectory_p", "trajectory_u0", "trajectory_tab"]


@register_jitable(forceinline=True)
def trajectory_p(p_rows, i):
    """Trajectory ``i``'s flat parameters: row ``i`` of ``p_rows``, or its only row (shared
    by every trajectory)."""
    return p_rows[i] if p_rows.shape[0] > 1 else p_rows[0]


def trajectory_u0(u0s, i):
    """Trajectory ``i``'s initial state, its own copy (compiled only)."""
    raise NotImplementedError("compiled code only")


@overload(trajectory_u0)
def _trajectory_u0(u0s, i):
    if u0s.ndim == 1:
        return lambda u0s, i: u0s[i]
    return lambda u0s, i: u0s[i].copy()


def trajectory_tab(tab, i):
    """The method's data for one trajectory: ``tab`` itself when a solve only reads it (an
    explicit method's tableau), else a copy with buffers of its own (a stiff method's data:
    its overload is beside its data type). Compiled only."""
    raise NotImplementedError("compiled code only")


@overload(trajectory_tab)
def _trajectory_tab(tab, i):
    if isinstance(tab, types.NamedTuple) and tab.instance_class is CompiledTableau:
        return lambda tab, i: tab
