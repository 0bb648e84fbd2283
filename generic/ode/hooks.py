"""What the stepping loop (:mod:`.stepping`) asks of the integrator it runs on.

Each hook is a small function whose Python body here serves the generic path (the
:class:`~.integrator.Integrator`, any number type, callbacks as Python objects). The float64 fast
path gives each one a compiled method for its compiled integrator record
(``generic/ode/fast/overloads.py``), the way a number type adds methods to a generic function.
The loop itself is not written twice.
"""

from __future__ import annotations

import copy
import math

import numpy as np
from array_api_compat import array_namespace, is_array_api_obj

from ..functions import derivative, isfinite, norm, value
from .interpolation import StepInterpolant, interpolate

__all__ = ["attempt", "next_dt", "retry_dt", "compress_state", "copy_state", "finite",
           "make_interpolant", "save", "record_interpolant", "interpolate", "state_at",
           "flow_slope",
           "event_function", "cb_count", "cb_condition", "cb_affect", "cb_has_handler",
           "cb_interp_points", "cb_save_positions", "discrete_condition", "discrete_affect"]


# ------------------------------------------------------------------ the method and its control

def attempt(integ, f, t, u, dt, f0):
    """Try a step of signed size ``dt`` from ``(t, u)``: the algorithm's ``Attempt``.

    When the step is accepted and ``g.compress`` shortens its new state (a function state
    dropping coefficients below the tolerance), the derivative that a FSAL method returns
    belongs to the state before compression: f is evaluated again at the compressed state.
    (The dropped tail, amplified by a stiff operator such as d²/dx², would otherwise come back
    through the next step's first stage and grow the state without bound.) For most states
    ``compress`` is the identity and this costs nothing; one whose compressed form has the
    same value (a number type flattening its record of operations) keeps its derivative."""
    tried = integ.alg.attempt(integ, integ.cache, t, u, dt, f0)
    if tried.f_new is None or not tried.err <= 1.0:
        return tried
    u_new = integ.compress(tried.u_new)
    if u_new is tried.u_new:
        return tried
    if norm(value(u_new) - value(tried.u_new)) == 0:  # a new form of the same value
        return tried._replace(u_new=u_new)
    return tried._replace(u_new=u_new, f_new=f(u_new, integ.p, t + dt), nf=tried.nf + 1)


def next_dt(integ, dt: float, err: float) -> float:
    """The step size after an accepted step with error norm ``err``."""
    return integ.controller.next_dt(dt, err)


def retry_dt(integ, dt: float, err: float) -> float:
    """The step size to retry with after a rejected step."""
    return integ.controller.retry_dt(dt, err)


def compress_state(integ, x):
    """``g.compress(x, atol, rtol)``, its method resolved once per state type."""
    return integ.compress(x)


def copy_state(u):
    """A copy of the state that a callback may change in place (scalars are immutable)."""
    return u.copy() if hasattr(u, "copy") else u


def finite(u) -> bool:
    """Whether every value of the state is finite."""
    v = value(u)
    if isinstance(v, np.ndarray):
        return bool(np.isfinite(v).all())
    if is_array_api_obj(v):  # any array API array, also one without __array_namespace__
        xp = array_namespace(v)
        return bool(xp.all(xp.isfinite(v)))
    if isinstance(v, (int, float, complex, np.number)):
        return math.isfinite(abs(v))
    return bool(isfinite(v))  # a type's own method (a function state: its coefficients)


# ------------------------------------------------------------------ dense output

def make_interpolant(t0, dt, u0, u1, f0, f1, ks, tab):
    """The solution on the step just taken."""
    return StepInterpolant(t0, dt, u0, u1, f0, f1, ks, tab)


def save(integ, t, u) -> None:
    """Append ``(t, u)`` to the saved solution."""
    integ.ts.append(t)
    integ.us.append(u)


def record_interpolant(integ, interpolant, end, cut: bool) -> None:
    """Keep the step's interpolant for dense output (``cut``: an event ended it at ``end``)."""
    if cut:
        interpolant.end = end
    integ.interpolants.append(interpolant)


def state_at(integ, f, interpolant, t_prev, t):
    """The method's own step from the start of ``interpolant``'s step to ``t``, taken as the
    solve would take it but with a copy of the controller, so that its state (GBS's order) is
    left as it was. Should that step be refused (err > 1), a plain fixed step gives the state."""
    adaptive, controller = integ.adaptive, integ.controller
    tried = None
    try:
        if controller is not None:
            integ.controller = copy.deepcopy(controller)
            tried = integ.alg.attempt(integ, integ.cache, t_prev, interpolant.u0, t - t_prev,
                                      interpolant.f0)
            integ.nf += tried.nf
        if tried is None or not tried.err <= 1.0:
            integ.adaptive, integ.controller = False, None
            tried = integ.alg.attempt(integ, integ.cache, t_prev, interpolant.u0, t - t_prev,
                                      interpolant.f0)
            integ.nf += tried.nf
    finally:
        integ.adaptive, integ.controller = adaptive, controller
    return tried.u_new


# ------------------------------------------------------------------ callbacks

def cb_count(callbacks) -> int:
    """How many callbacks (continuous or discrete) there are."""
    return len(callbacks)


def cb_condition(callbacks, k: int, u, t, integ):
    """Callback ``k``'s condition at ``(u, t)``."""
    return callbacks[k].condition(u, t, integ)


def cb_has_handler(callbacks, k: int, up: bool) -> bool:
    """Whether callback ``k`` acts on an upward (``up``) or downward crossing."""
    cb = callbacks[k]
    return (cb.affect if up else cb.affect_neg) is not None


def cb_affect(callbacks, k: int, up: bool, integ) -> None:
    cb = callbacks[k]
    (cb.affect if up else cb.affect_neg)(integ)


def cb_interp_points(callbacks, k: int) -> int:
    return callbacks[k].interp_points


def cb_save_positions(callbacks, k: int):
    """Callback k's (save before, save after) its affect (continuous or discrete)."""
    return callbacks[k].save_positions


def flow_slope(callbacks, k: int, u, f_u, t, integ):
    """d/ds of callback ``k``'s condition along the flow through ``(t, u)``, in the problem's
    number type (by a dual in s: exact)."""
    condition = callbacks[k].condition
    return derivative(lambda s: condition(u + (s - t) * f_u, s, integ), t)


def event_function(integ, callbacks, k: int, interpolant):
    """``t -> callback k's condition on the interpolant at t``, as a float."""
    condition = callbacks[k].condition

    def at(t):
        return float(value(condition(interpolant(t), t, integ)))

    return at


def discrete_condition(callbacks, k: int, u, t, integ) -> bool:
    return bool(callbacks[k].condition(u, t, integ))


def discrete_affect(callbacks, k: int, integ) -> None:
    callbacks[k].affect(integ)
