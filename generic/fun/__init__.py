"""Floor 3: Chebyshev and Fourier function types (``g.Fun``).

``g.Fun(f, g.Chebyshev(a, b))`` and ``g.Fun(f, g.Fourier(a, b))``: functions on an interval as
adaptively chopped series, with arithmetic, calculus, roots and the generic functions; a Fun is a
state the ODE solvers step unchanged (docs/fun.md).
"""

from . import methods
from .chebyshev import Chebyshev
from .fourier import Fourier
from .fun import Fun, compose
from .space import Space

del methods

__all__: list[str] = ["Fun", "Chebyshev", "Fourier", "Space", "compose"]
