"""Floor 5: stochastic differential equations (``g.SDEProblem``, ``g.EM``, ...).

``g.solve(g.SDEProblem(f, g_noise, u0, tspan, p), g.EM(), dt=..., seed=...)``; see
docs/sde.md.
"""

from . import ensemble as _ensemble  # noqa: F401 - routes g.solve(EnsembleProblem(sde), ...)
from . import solve as _solve  # noqa: F401 - registers g.solve for SDEProblem
from .algorithms import EM, SRIW1, Milstein, SDEAlgorithm
from .brownian import BrownianPath
from .problem import SDEProblem
from .solution import SDESolution, SDEStats

__all__ = ["SDEProblem", "SDEAlgorithm", "EM", "Milstein", "SRIW1", "BrownianPath",
           "SDESolution", "SDEStats"]
