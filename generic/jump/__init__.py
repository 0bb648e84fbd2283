"""Floor 5: jump processes: Gillespie's stochastic simulation algorithm (``g.ssa``)."""

from .solution import SSAEnsembleSolution, SSASolution, SSAStats
from .ssa import SSACompileError, SSACompileWarning, ssa

__all__ = ["ssa", "SSASolution", "SSAEnsembleSolution", "SSAStats", "SSACompileError",
           "SSACompileWarning"]
