"""The SDE stepping loops: fixed steps on a time grid (one source for both paths) and adaptive
steps with rejection on a Brownian path that remembers (generic path).

:func:`run_fixed` is plain arithmetic on arrays it is handed, so the float64 fast path
compiles it unchanged (``generic/sde/fast.py``) and the generic path runs it as Python on any
number type: both give the same numbers on the same increments.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..functions import norm, sqrt, value
from ..ode.controller import error_scale
from ..ode.hooks import finite

__all__ = ["run_fixed", "run_adaptive", "AdaptiveResult", "Control"]


def run_fixed(step, f, g, p, u, times, dW, dZ, save_slot, out):
    """Step ``u`` over the grid ``times`` with ``step`` and the increments ``dW[k]``, ``dZ[k]``
    of interval k; the state after step k (k = 0: the start) goes to ``out[save_slot[k]]`` when
    that is not negative. Returns ``(u, steps taken)``: fewer than ``len(times) - 1`` when the
    state became nan or inf."""
    if save_slot[0] >= 0:
        out[save_slot[0]] = u
    n = len(times) - 1
    for k in range(n):
        t = times[k]
        h = times[k + 1] - t
        u, _ = step(f, g, p, t, u, h, sqrt(h), dW[k], dZ[k])
        if save_slot[k + 1] >= 0:
            out[save_slot[k + 1]] = u
        if not finite(u):
            return u, k + 1
    return u, n


@dataclass
class Control:
    """Step-size control of an adaptive SDE method: ``dt_new = dt * clamp(safety *
    err^(-exponent), qmin, qmax)``; the exponent 1/2 is 1/(order + 1/2) for strong order 1.5
    (a step's local error is O(h^(order + 1/2)))."""

    exponent: float = 0.5
    safety: float = 0.9
    qmin: float = 0.2
    qmax: float = 2.0

    def factor(self, err: float) -> float:
        if err == 0:
            return self.qmax
        return min(self.qmax, max(self.qmin, self.safety * err ** -self.exponent))


@dataclass
class AdaptiveResult:
    ts: list
    us: list
    u: object
    t: object
    naccept: int
    nreject: int
    status: str
    message: str


def run_adaptive(step, f, g, p, u, t0, tf, dt, path, convert_noise, stops: list, save_every,
                 saveat: list, rtol, atol, maxiters: int, dtmin: float,
                 control: Control) -> AdaptiveResult:
    """Adaptive steps from ``(t0, u)`` to ``tf`` (forward), landing on ``stops`` (increasing,
    ending at ``tf``); ``dt`` the first step. A step is accepted when the norm of its error
    estimate relative to ``atol + rtol * max(|u|, |u_new|)`` is at most 1. Increments come from
    ``path`` (``convert_noise`` turns its float64 into the state's precision); a rejected
    step's end stays on the path and the retry is bridged to it. Saves every step or at the
    ``saveat`` times (which are among ``stops``)."""
    t, tv = t0, float(value(t0))
    ts, us = [], []
    saves = iter(saveat)
    next_save = next(saves, None)
    if save_every or (next_save is not None and next_save == tv):
        ts.append(t)
        us.append(u)
        if not save_every:
            next_save = next(saves, None)
    istop, naccept, nreject = 0, 0, 0
    while istop < len(stops):
        if naccept + nreject >= maxiters:
            return AdaptiveResult(ts, us, u, t, naccept, nreject, "MaxIters",
                                  f"reached maxiters = {maxiters} steps at t = {tv}; raise "
                                  f"maxiters=")
        stop = stops[istop]
        distance = float(value(stop)) - tv
        lands = dt >= distance * (1 - 1e-12)
        if dt < dtmin and not lands:
            return AdaptiveResult(ts, us, u, t, naccept, nreject, "DtLessThanMin",
                                  f"step size {dt:.3g} fell below dtmin = {dtmin:.3g} at "
                                  f"t = {tv}")
        t_new = stop if lands else t + dt
        h = t_new - t
        dW, dZ = path.increment(tv, float(value(t_new)))
        u_new, error = step(f, g, p, t, u, h, sqrt(h), convert_noise(dW), convert_noise(dZ))
        err = float(norm(error / error_scale(u, u_new, atol, rtol)))
        used = abs(float(value(h)))
        if not err <= 1.0:  # rejected, or nan
            nreject += 1
            dt = used * control.factor(err) if err == err else used * control.qmin
            continue
        naccept += 1
        dt = used * control.factor(err)
        t, tv, u = t_new, float(value(t_new)), u_new
        if lands:
            istop += 1
        if not finite(u):
            return AdaptiveResult(ts, us, u, t, naccept, nreject, "Unstable",
                                  f"the state became nan or inf at t = {tv}")
        if save_every or (next_save is not None and next_save == tv):
            ts.append(t)
            us.append(u)
            if not save_every:
                next_save = next(saves, None)
    return AdaptiveResult(ts, us, u, t, naccept, nreject, "Success", "")
