"""Floor 5: stochastic differential equations (``g.SDEProblem``, ``g.EM``, ...)."""

__all__: list[str] = []
