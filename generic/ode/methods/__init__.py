"""Tableaus of the explicit Runge–Kutta methods, stored exactly (see :mod:`..tableau`).

One module per method family, each with its source in the docstring: ``classic`` (Euler,
midpoint, Heun, RK4), ``bs3``, ``dp5``, ``tsit5``, ``verner`` (Vern7, Vern9) and ``dp8``
(Hairer's DOP853). ``docs/ode-methods.md`` tabulates them.
"""

from .bs3 import BS3
from .classic import EULER, HEUN, MIDPOINT, RK4
from .dp5 import DP5
from .dp8 import DP8
from .tsit5 import TSIT5
from .verner import VERN7, VERN9

__all__ = ["EULER", "MIDPOINT", "HEUN", "RK4", "BS3", "DP5", "TSIT5", "VERN7", "VERN9", "DP8"]
