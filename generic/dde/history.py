"""The history ``h(p, s)`` a delay equation's right-hand side reads: the user's history before
``t0``, the solver's dense output after it."""

from __future__ import annotations

import bisect

from ..functions import value
from .hermite import hermite_newton, newton_value, step_nodes

__all__ = ["History"]


class History:
    """``h(p, s)``: ``user(p, s)`` for ``s <= t0``; after ``t0`` the accepted step that covers
    ``s`` (the integrator's list of step interpolants ``steps``, attached once it exists);
    past the last accepted step, the step being tried (``current``, set by the method of steps
    while it iterates an overlapping step) or else the last step extrapolated (or ``u0`` before
    any step: only Hairer's initial step size estimate asks that far ahead).

    A step is read through the method's own dense output where it has one, else through the
    Hermite polynomial of its ends and its neighbours' (:mod:`.hermite`), which stops at the
    ``breaks`` (float times of the discontinuity points). At ``t0`` itself the history is the
    left limit ``user(p, t0)``, or ``u0`` while ``right_limit`` is set (f at the start of a step
    that begins where a jump at ``t0`` arrives through a lag)."""

    def __init__(self, user, t0, u0, breaks: frozenset = frozenset()):
        self.user, self.t0, self.u0 = user, t0, u0
        self.t0_value = float(value(t0))
        self.breaks = breaks | {self.t0_value}
        self.steps: list = []
        self.ends: list[float] = []  # where each of steps ends, as floats, for bisection
        self.current = None
        self.right_limit = False
        self._newton_forms: dict = {}  # step index -> its Hermite polynomial, once final
        self._inner: dict = {}  # step index -> nodes inside it, by the method's own step
        self._building: set = set()  # steps whose inner nodes are being computed
        self.integrator = self.alg = None
        self.nodes_wanted = 2

    def attach(self, integrator, alg, inner: bool) -> None:
        """Read the accepted steps from ``integrator.interpolants`` (which it appends to as
        it goes). A step without the method's own dense output is read through as many nodes
        as make the Hermite polynomial's degree at least the order of ``alg``; where
        neighbours are missing and ``inner`` is set, ``alg`` computes nodes inside the step."""
        self.steps, self.ends, self._newton_forms = integrator.interpolants, [], {}
        self.integrator, self.alg = integrator, alg if inner else None
        self.nodes_wanted = max(2, (alg.order + 2) // 2)

    def __call__(self, p, s):
        s_value = float(value(s))
        if s_value <= self.t0_value:
            if self.right_limit and s_value == self.t0_value:
                return self.u0
            return self.user(p, s)
        steps, ends = self.steps, self.ends
        if len(ends) < len(steps):
            ends.extend(float(value(step.t_end)) for step in steps[len(ends):])
        i = bisect.bisect_left(ends, s_value)
        if i < len(steps):
            return self.on_step(i, s)
        if self.current is not None:
            return self.on_step(len(steps), s)
        if steps:
            return steps[-1](s)
        return self.u0

    def on_step(self, i: int, s):
        """The state at ``s`` on step ``i`` (``i == len(steps)``: the step being tried)."""
        step = self._step_at(i)
        if step.dense is not None and len(step.dense) > 0:
            return step(s)
        final = i + 1 < len(self.steps)  # its neighbours are known for good
        form = self._newton_forms.get(i) if final else None
        if form is None:
            count = len(self.steps) + (self.current is not None and i == len(self.steps))
            nodes = step_nodes(self._step_at, count, i, self._smooth_at, self.nodes_wanted)
            if nodes is None or i in self._building:
                return step(s)
            if len(nodes) < self.nodes_wanted and self.alg is not None and i < len(self.steps):
                nodes = nodes + self._inner_nodes(i, self.nodes_wanted - len(nodes))
            form = hermite_newton([(t - step.t0, u, f) for t, u, f in nodes])
            if final:
                self._newton_forms[i] = form
        return newton_value(*form, s - step.t0)

    def _inner_nodes(self, i: int, count: int) -> list:
        """``count`` nodes ``(t, u, f)`` evenly inside step ``i``, each by the method's own
        step from the step's start (as the ODE solver locates an event), cached."""
        if (i, count) not in self._inner:
            step, integ = self.steps[i], self.integrator
            self._building.add(i)
            try:
                nodes = []
                for j in range(1, count + 1):
                    t = step.t0 + (step.t_end - step.t0) * (j / (count + 1))
                    tried = self.alg.attempt(integ, integ.cache, step.t0, step.u0, t - step.t0,
                                             step.f0)
                    nodes.append((t, tried.u_new, integ.f(tried.u_new, integ.p, t)))
                    integ.nf += tried.nf + 1
            finally:
                self._building.discard(i)
            self._inner[(i, count)] = nodes
        return self._inner[(i, count)]

    def dense_output(self) -> list:
        """The accepted steps as interpolants read the way the history reads them."""
        return [_HistoryStep(self, i, step.t0, step.t_end) for i, step in enumerate(self.steps)]

    def _step_at(self, k: int):
        return self.steps[k] if k < len(self.steps) else self.current

    def _smooth_at(self, t) -> bool:
        return float(value(t)) not in self.breaks


class _HistoryStep:
    """Step ``i`` of a history, with the ``t0``, ``t_end`` and call of a step interpolant."""

    __slots__ = ("history", "i", "t0", "t_end")

    def __init__(self, history: History, i: int, t0, t_end):
        self.history, self.i, self.t0, self.t_end = history, i, t0, t_end

    def __call__(self, t):
        return self.history.on_step(self.i, t)
