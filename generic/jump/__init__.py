"""Floor 5: jump processes: Gillespie's stochastic simulation algorithm (``g.ssa``)."""

__all__: list[str] = []
