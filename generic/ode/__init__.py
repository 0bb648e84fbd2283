"""Floor 5: ordinary differential equations, solved by one generic implementation per method.

``ODEProblem``, ``solve``/``init``, the explicit Runge–Kutta family (``Euler`` ... ``Vern9``,
``DP8``), extrapolation (``GBS``), stiff methods (``ImplicitEuler``, ``TRBDF2``,
``Rosenbrock23``, ``Rodas5``), split problems ``u' = L u + N`` with exponential (``ETDRK4``)
and IMEX (``KenCarp4``) methods, step control, dense output, callbacks and ensembles. Nothing
here names a number type.
"""

from .algorithms import (
    BS3,
    DP5,
    DP8,
    RK4,
    Euler,
    ExplicitRK,
    Heun,
    Midpoint,
    Tsit5,
    Vern7,
    Vern9,
)
from .callbacks import CallbackSet, ContinuousCallback, DiscreteCallback
from .ensemble import (
    EnsembleBatched,
    EnsembleDask,
    EnsembleProblem,
    EnsembleSerial,
    EnsembleSolution,
    EnsembleThreads,
)
from .errors import FastPathError, FastPathWarning
from .exponential import ETDRK4
from .gbs import GBS
from .imex import KenCarp4
from .implicit import TRBDF2, ImplicitEuler
from .integrator import Integrator
from .problem import ODEProblem
from .rosenbrock import Rodas5, Rosenbrock23
from .solution import ODESolution
from .solve import init, solve
from .split import SplitODEProblem

__all__ = ["ODEProblem", "ODESolution", "Integrator", "solve", "init", "ExplicitRK", "Euler",
           "Midpoint", "Heun", "RK4", "BS3", "DP5", "Tsit5", "Vern7", "Vern9", "DP8", "GBS",
           "ImplicitEuler", "TRBDF2", "Rosenbrock23", "Rodas5",
           "ContinuousCallback", "DiscreteCallback", "CallbackSet", "EnsembleProblem",
           "EnsembleSolution", "EnsembleSerial", "EnsembleThreads", "EnsembleBatched",
           "EnsembleDask", "SplitODEProblem", "ETDRK4", "KenCarp4", "FastPathError",
           "FastPathWarning"]
