"""The ODE algorithms: each is a tableau (data) and, rarely, its own error norm.

``g.Tsit5()`` and friends are instances of :class:`ExplicitRK`; the integrator asks an algorithm
for its converted tableau, its order, whether it adapts, and the norm of its error estimate.
Adding a method is adding a tableau (``methods/``) and a two-line class here.
"""

from __future__ import annotations

import math

from ..functions import norm, value
from . import methods
from .erk import weighted_sum
from .tableau import Tableau

__all__ = ["ExplicitRK", "Euler", "Midpoint", "Heun", "RK4", "BS3", "DP5", "Tsit5", "Vern7",
           "Vern9", "DP8"]


class ExplicitRK:
    """An explicit Runge–Kutta method given by its :class:`~.tableau.Tableau`."""

    tableau: Tableau

    @property
    def name(self) -> str:
        return type(self).__name__

    @property
    def order(self) -> int:
        return self.tableau.order

    @property
    def adaptive(self) -> bool:
        return self.tableau.btilde is not None

    def error_norm(self, tab, ks, dt, scale) -> float:
        """The norm of the local error estimate ``dt Σ btilde_i k_i`` relative to ``scale``."""
        e = weighted_sum(tab.btilde, ks)
        return 0.0 if e is None else float(norm((dt * e) / scale))

    def __repr__(self) -> str:
        return f"{self.name}()"


class Euler(ExplicitRK):
    """Forward Euler, order 1 (fixed steps)."""

    tableau = methods.EULER


class Midpoint(ExplicitRK):
    """Explicit midpoint rule, order 2 (fixed steps)."""

    tableau = methods.MIDPOINT


class Heun(ExplicitRK):
    """Heun's method (explicit trapezoid), order 2."""

    tableau = methods.HEUN


class RK4(ExplicitRK):
    """The classical Runge–Kutta method, order 4 (fixed steps)."""

    tableau = methods.RK4


class BS3(ExplicitRK):
    """Bogacki–Shampine 3(2), FSAL."""

    tableau = methods.BS3


class DP5(ExplicitRK):
    """Dormand–Prince 5(4), FSAL, with its free 4th-order dense output."""

    tableau = methods.DP5


class Tsit5(ExplicitRK):
    """Tsitouras 5(4), FSAL, with its free 4th-order dense output; the default choice."""

    tableau = methods.TSIT5


class Vern7(ExplicitRK):
    """Verner's efficient 7(6) pair."""

    tableau = methods.VERN7


class Vern9(ExplicitRK):
    """Verner's efficient 9(8) pair, for tight tolerances and high precision."""

    tableau = methods.VERN9


class DP8(ExplicitRK):
    """Dormand–Prince 8(5,3) (Hairer's DOP853) with its combined error estimate."""

    tableau = methods.DP8

    def error_norm(self, tab, ks, dt, scale) -> float:
        """err = |dt| err5² / sqrt(err5² + 0.01 err3²), the RMS norms of the 5th- and
        3rd-order estimates (Hairer, Nørsett & Wanner, Solving ODEs I, §II.10, DOP853)."""
        err5 = float(norm(weighted_sum(tab.btilde, ks) / scale))
        err3 = float(norm(weighted_sum(tab.extra["btilde3"], ks) / scale))
        denominator = err5 * err5 + 0.01 * err3 * err3
        if denominator <= 0:
            return 0.0
        return abs(float(value(dt))) * err5 * err5 / math.sqrt(denominator)
