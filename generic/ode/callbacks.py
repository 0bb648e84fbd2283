"""Callbacks: events that change the solution while it is computed.

``ContinuousCallback(condition, affect)``: ``affect(integrator)`` runs when
``condition(u, t, integrator)`` crosses zero. The sign is checked at several interpolated points
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

from ..functions import derivative, value
from ..roots import brent

__all__ = ["ContinuousCallback", "DiscreteCallback", "CallbackSet", "find_event",
           "land_on_event"]


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


def _value_of_condition(cb, interpolant, integrator):
    def at(t):
        return float(value(cb.condition(interpolant(t), t, integrator)))

    return at


def find_event(cb: ContinuousCallback, interpolant, t_prev, t_new, previous: float | None,
               integrator):
    """The first zero of ``cb.condition`` in the step (t_prev, t_new], as
    ``(t_root (float), crossing "up"/"down")``, or None. ``previous`` is the condition's value
    at t_prev (None right after an event there: the scan starts inside the step)."""
    at = _value_of_condition(cb, interpolant, integrator)
    tp, tn = float(value(t_prev)), float(value(t_new))
    n = max(cb.interp_points, 1)
    times = [tp + (tn - tp) * j / n for j in range(1, n + 1)]
    times[-1] = tn
    left_t, left_v = (tp, previous) if previous is not None else (times[0], at(times[0]))
    for t in times if previous is not None else times[1:]:
        v = at(t)
        if left_v != 0 and (v == 0 or (v > 0) != (left_v > 0)):
            crossing = "up" if left_v < 0 else "down"
            handler = cb.affect if crossing == "up" else cb.affect_neg
            if handler is not None:
                root = t if v == 0 else brent(at, left_t, t, left_v, v)
                return root, crossing
        left_t, left_v = t, v
    return None


def land_on_event(cb: ContinuousCallback, state_at, t_root, t_prev, t_new, f, p, integrator,
                  iterations: int = 2):
    """The event time and state, to the full order of the method.

    ``t_root`` was found on the step's interpolant, which for a method without its own dense
    output is cubic Hermite: good to O(h^4) only (a Vern9 step at rtol 1e-10 puts an event
    1e-6 off). ``state_at(t)`` is the method's own step from the step's start to ``t``:
    ``iterations`` Newton steps on values with it, ``t -= c / (dc/dt)``, land on the root of
    the condition along the method's solution; a last Newton step in the problem's own number
    type, t* = t - c / (dc/dt), gives the time its derivatives, and the state
    follows it to first order, ``u(t*) = u(t) + (t* - t) f(u(t))`` (exact in value to
    rounding, and in derivatives by the chain rule). Returns ``(t_event, u_event)``.
    """
    lo, hi = sorted((float(value(t_prev)), float(value(t_new))))
    t = t_root
    for _ in range(iterations):
        u = state_at(t)
        f_u = f(u, p, t)
        c = value(cb.condition(u, t, integrator))
        slope = value(derivative(lambda s, u=u, f_u=f_u, t=t:
                                 cb.condition(u + (s - t) * f_u, s, integrator), t))
        if slope == 0:
            break
        t_next = t - c / slope
        if not lo <= float(value(t_next)) <= hi:  # Newton left the step: keep the bracket's
            t = t_root
            break
        t = t_next
    u = state_at(t)
    f_u = f(u, p, t)
    c = cb.condition(u, t, integrator)
    slope = derivative(lambda s: cb.condition(u + (s - t) * f_u, s, integrator), t)
    if value(slope) == 0:
        return t, u
    t_event = t - c / slope
    return t_event, u + (t_event - t) * f_u
