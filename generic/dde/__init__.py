"""Floor 5: delay differential equations (``g.DDEProblem``), by the method of steps.

``g.solve(g.DDEProblem(f, u0, history, tspan, p, lags=[...]), g.Tsit5())`` steps the delay
equation with any ODE method: the history after ``t0`` is the method's dense output, steps land
on the points where the solution's derivatives jump, and a step longer than a lag is iterated to
a fixed point. Nothing here names a number type.
"""

from . import solve as _solve  # noqa: F401  (registers the DDE solver with g.solve)
from .problem import DDEProblem

__all__ = ["DDEProblem"]
