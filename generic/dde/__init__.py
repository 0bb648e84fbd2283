"""Floor 5: delay differential equations (``g.DDEProblem``), by the method of steps."""

__all__: list[str] = []
