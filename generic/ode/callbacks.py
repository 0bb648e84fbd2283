"""Callbacks: events that change the solution while it is computed.

``ContinuousCallback(condition, affect)``: ``affect(integrator)`` runs when
``condition(u, t, integrator)`` crosses zero (found and landed on by :mod:`.stepping`). The
sign is checked at several interpolated points
per step, the crossing is located on the step's interpolant by Brent's method on values, and a
final Newton step in the problem's own number type, ``t* = t_r - c(u(t_r), t_r) / (dc/dt)``
with ``dc/dt`` differentiated along the flow, gives the event time its exact derivatives when
the problem carries duals (OrdinaryDiffEq.jl's events drop them; its issue #4388).

``DiscreteCallback(condition, affect)``: ``affect(integrator)`` runs after every step at which
``condition(u, t, integrator)`` is true.

In ``affect`` the integrator's ``u`` may be reassigned or changed in place, ``p`` too, and
``integrator.terminate()`` stops the solve with retcode "Terminated".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ContinuousCallback", "DiscreteCallback", "CallbackSet"]


@dataclass
class ContinuousCallback:
    """An event at the zeros of ``condition(u, t, integrator)``.

    ``affect(integrator)`` runs at upward crossings (negative to positive) and
    ``affect_neg(integrator)`` at downward ones (by default ``affect`` too; pass None to ignore
    downward crossings, or pass ``affect=None`` to ignore upward ones). ``interp_points``: sign
    checks per step. ``save_positions``: save the state just before and just after ``affect``.
    """

    condition: Callable
    affect: Callable | None
    affect_neg: Callable | None | str = "same"
    interp_points: int = 10
    save_positions: tuple[bool, bool] = (True, True)

    def __post_init__(self):
        if self.affect_neg == "same":
            self.affect_neg = self.affect


@dataclass
class DiscreteCallback:
    """``affect(integrator)`` after each step at which ``condition(u, t, integrator)`` holds."""

    condition: Callable
    affect: Callable
    save_positions: tuple[bool, bool] = (True, True)


class CallbackSet(list):
    """Several callbacks, checked in order (the earliest continuous event fires first)."""

    def __init__(self, *callbacks):
        super().__init__(callbacks)
