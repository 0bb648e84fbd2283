"""SDE solutions: the saved states, the Brownian path they were solved on, linear interpolation."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from ..functions import value
from ..ode.solution import ODESolution, Stats, stack_states

__all__ = ["SDESolution", "SDEStats"]


@dataclass
class SDEStats(Stats):
    """Counts of an SDE solve: drift (``nf``) and diffusion (``ng``) evaluations, accepted and
    rejected steps."""

    ng: int = 0


class SDESolution(ODESolution):
    """The result of ``g.solve`` on an :class:`~.problem.SDEProblem`.

    ``t``, ``u``, ``retcode``, ``message``, ``stats`` as an ODE solution; ``W``: the
    :class:`~.brownian.BrownianPath` it was solved on (pass it back as ``noise=sol.W`` to
    solve again on the same path); ``sol(t)`` interpolates linearly between saved states (as
    a Brownian path itself is known only at its recorded times).
    """

    def __init__(self, prob, alg, ts, us, W, retcode: str, message: str, stats: SDEStats):
        super().__init__(prob, alg, ts if len(ts) else np.empty(0), us, [], retcode, message,
                         stats)
        self.W = W

    def __call__(self, t):
        if np.ndim(value(t)) == 0:
            return self._at(t)
        return stack_states([self._at(s) for s in (t.tolist() if isinstance(t, np.ndarray)
                                                     else t)])

    def _at(self, t):
        times = [float(value(s)) for s in self.t]
        tv = float(value(t))
        if not times[0] - 1e-12 <= tv <= times[-1] + 1e-12:
            raise ValueError(f"sol({tv}) is outside the saved interval [{times[0]}, {times[-1]}]")
        i = min(max(bisect.bisect_right(times, tv), 1), len(times) - 1)
        a, b = self.t[i - 1], self.t[i]
        theta = (t - a) / (b - a)
        return self.u[i - 1] + (self.u[i] - self.u[i - 1]) * theta

    def __repr__(self) -> str:
        return (f"SDESolution(retcode={self.retcode!r}, {len(self.t)} saved points, alg="
                f"{self.alg!r}, stats={self.stats})")
