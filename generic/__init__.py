"""generic: numerical solvers written once, run on any number type and any array backend.

    import generic as g
    g.sin(x)            # a generic function: float, float32, mpmath, duals, measurements, arrays
    g.derivative(f, x)  # forward-mode AD with dual numbers
    g.measurement(5.23, 0.14)  # linear error propagation with correlations

See README.md and docs/ for the tour; ``python -m generic tour`` shows each capability.
"""

from .dde import *  # noqa: F403
from .dde import __all__ as _dde_names
from .dispatch import Array, MissingMethodError, Scalar, convert, dispatch, generic_function
from .fun import *  # noqa: F403
from .fun import __all__ as _fun_names
from .functions import *  # noqa: F403
from .functions import __all__ as _function_names
from .jump import *  # noqa: F403
from .jump import __all__ as _jump_names
from .linalg import SingularMatrixError
from .numbers import *  # noqa: F403
from .numbers import __all__ as _number_names
from .ode import *  # noqa: F403
from .ode import __all__ as _ode_names
from .quadrature import quadgk
from .roots import bisection, brent, false_position, find_root, newton
from .sde import *  # noqa: F403
from .sde import __all__ as _sde_names

__version__ = "0.1.0"

__all__ = ["dispatch", "generic_function", "convert", "Scalar", "Array", "MissingMethodError",
           *_function_names, *_number_names, *_fun_names, *_ode_names,
           *_sde_names, *_dde_names, *_jump_names,
           "bisection", "brent", "false_position", "find_root", "newton", "quadgk",
           "SingularMatrixError"]
