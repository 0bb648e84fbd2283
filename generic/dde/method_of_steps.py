"""The method of steps: an ODE method stepping a delay equation, iterating overlapping steps.

A step no longer than the smallest lag reads the history only where the solution is already
known (before the step's start), so the ODE method's step is the delay equation's step as it is.
A longer step reads the history inside itself: there the step is iterated as a fixed point,
the history inside the step being the step's own dense output from the previous iterate
(extrapolated from the last step at first), until the end state changes by less than the error
tolerance (Hairer, Nørsett & Wanner, Solving ODEs I, §II.17; OrdinaryDiffEq.jl's
``MethodOfSteps``). A step whose iteration does not settle is rejected as too long.
"""

from __future__ import annotations

from ..functions import value
from ..ode.algorithms import Algorithm, Attempt
from ..ode.controller import error_scale, scaled_norm
from ..ode.hooks import make_interpolant
from .history import History

__all__ = ["MethodOfSteps"]

FIXED_POINT_TOLERANCE = 0.1  # of the error tolerance: the iteration's error stays below it
REJECTED_ERROR = 10.0  # the error norm reported for a step whose iteration did not settle


class MethodOfSteps(Algorithm):
    """The ODE algorithm ``alg`` stepping a delay equation whose right-hand side reads
    ``history``; ``min_lag`` (a float) is the smallest lag, ``max_iterations`` bounds the fixed
    point iteration of a step longer than it. ``jump_arrivals``: the times ``t0 + τ`` (floats)
    where a jump of the state at ``t0`` (``u0 != history(p, t0)``) arrives through a lag; a step
    starting there restarts from f with the history's right limit at ``t0``."""

    def __init__(self, alg: Algorithm, history: History, min_lag: float,
                 max_iterations: int = 10, jump_arrivals: frozenset = frozenset()):
        self.alg, self.history = alg, history
        self.min_lag, self.max_iterations = min_lag, max_iterations
        self.jump_arrivals, self._restarted_at = jump_arrivals, None

    @property
    def name(self) -> str:
        return self.alg.name

    @property
    def order(self) -> int:
        return self.alg.order

    @property
    def adaptive(self) -> bool:
        return self.alg.adaptive

    @property
    def dense_order(self) -> int:
        return self.alg.dense_order

    def prepare(self, integrator):
        return self.alg.prepare(integrator)

    def controller(self):
        return self.alg.controller()

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        """The inner method's step; iterated while the step is longer than the smallest lag."""
        history = self.history
        history.current = None
        t_value = float(value(t))
        if t_value in self.jump_arrivals and t_value != self._restarted_at:
            f0 = self._restart(integrator, t, u)
            self._restarted_at = t_value
        tried = self.alg.attempt(integrator, cache, t, u, dt, f0)
        if abs(float(value(dt))) <= self.min_lag * (1 + 1e-12):
            return tried
        nf = tried.nf
        settled = False
        for _ in range(self.max_iterations):
            history.current, used = self._interpolant(integrator, t, u, dt, f0, tried)
            again = self.alg.attempt(integrator, cache, t, u, dt, f0)
            nf += used + again.nf
            scale = error_scale(u, again.u_new, integrator.atol, integrator.rtol)
            change = scaled_norm(again.u_new - tried.u_new, scale)
            tried = again
            if change <= FIXED_POINT_TOLERANCE:
                settled = True
                break
        # the history inside the step is now this step (f at its end, for a method that does
        # not give it, is read after the step is accepted and before it is recorded)
        history.current, used = self._interpolant(integrator, t, u, dt, f0, tried)
        nf += used
        err = tried.err if settled or not self.adaptive else max(tried.err, REJECTED_ERROR)
        return tried._replace(err=err, nf=nf)

    def _restart(self, integrator, t, u):
        """f at ``(t, u)`` with the history's right limit at ``t0``. It replaces the
        integrator's ``f0`` (the left limit, from the step that ended here), which the stepping
        loop reads again for this step's interpolant."""
        self.history.right_limit = True
        try:
            f0 = integrator.f(u, integrator.p, t)
        finally:
            self.history.right_limit = False
        integrator.nf += 1
        integrator.f0 = f0
        return f0

    def _interpolant(self, integrator, t, u, dt, f0, tried):
        """(The dense output of the tried step, f evaluations used): f at the step's end only
        where the interpolant needs it (cubic Hermite) and the method did not give it."""
        f1, used = tried.f_new, 0
        has_dense = tried.ks is not None and tried.tab is not None and \
            tried.tab.dense is not None and len(tried.tab.dense) > 0
        if f1 is None and not has_dense:
            f1, used = integrator.f(tried.u_new, integrator.p, t + dt), 1
        return make_interpolant(t, dt, u, tried.u_new, f0, f1, tried.ks, tried.tab), used
