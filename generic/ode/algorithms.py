"""The ODE algorithms: each is a tableau (data) and, rarely, its own error norm.

``g.Tsit5()`` and friends are instances of :class:`ExplicitRK`; the integrator asks an algorithm
for its converted tableau, its order, whether it adapts, and the norm of its error estimate.
Adding a method is adding a tableau (``methods/``) and a two-line class here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..functions import eltype, norm, value
from . import methods
from .controller import PIController, error_scale
from .erk import erk_step, weighted_sum
from .tableau import Tableau, converted

__all__ = ["Algorithm", "Attempt", "ExplicitRK", "Euler", "Midpoint", "Heun", "RK4", "BS3",
           "DP5", "Tsit5", "Vern7", "Vern9", "DP8"]


@dataclass
class Attempt:
    """One tried step: the new state, its error norm (a float; 0 for a method that does not
    estimate it), f at the new state if the method has it for free (else None), the number of
    f evaluations, and what the dense output needs (stages and converted tableau, or None for
    Hermite interpolation)."""

    u_new: object
    err: float
    f_new: object
    nf: int
    ks: list | None = None
    tab: object = None


class Algorithm:
    """What the integrator asks of an ODE algorithm.

    A new method implements:
    1. ``order`` and ``adaptive`` (whether it estimates its error);
    2. ``prepare(integrator)``: its per-solve cache (e.g. its tableau converted to the state's
       number type), called once;
    3. ``attempt(integrator, cache, t, u, dt, f0)``: try a step of (signed) size ``dt`` from
       ``(t, u)`` with ``f0 = f(u)``, returning an :class:`Attempt`;
    4. optionally ``controller()``: the step-size controller (PI by default).
    """

    order: int
    adaptive: bool = True
    dense_order: int = 3  # order of the dense output: cubic Hermite unless the method has its own

    @property
    def name(self) -> str:
        return type(self).__name__

    def prepare(self, integrator):
        return None

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        raise NotImplementedError

    def controller(self):
        return PIController(self.order)

    def __repr__(self) -> str:
        return f"{self.name}()"


class ExplicitRK(Algorithm):
    """An explicit Runge–Kutta method given by its :class:`~.tableau.Tableau`."""

    tableau: Tableau

    @property
    def order(self) -> int:
        return self.tableau.order

    @property
    def adaptive(self) -> bool:
        return self.tableau.btilde is not None

    @property
    def dense_order(self) -> int:
        return self.tableau.dense_order if self.tableau.dense is not None else 3

    def prepare(self, integrator):
        return converted(self.tableau, eltype(integrator.u))

    def attempt(self, integrator, tab, t, u, dt, f0) -> Attempt:
        u_new, ks = erk_step(integrator.f, integrator.p, t, u, dt, f0, tab)
        err = 0.0
        if self.adaptive and integrator.adaptive:
            scale = error_scale(u, u_new, integrator.atol, integrator.rtol)
            err = self.error_norm(tab, ks, dt, scale)
        return Attempt(u_new, err, ks[-1] if self.tableau.fsal else None, len(ks) - 1, ks, tab)

    def error_norm(self, tab, ks, dt, scale) -> float:
        """The norm of the local error estimate ``dt Σ btilde_i k_i`` relative to ``scale``."""
        e = weighted_sum(tab.btilde, ks)
        return 0.0 if e is None else abs(float(value(dt))) * float(norm(e / scale))


def _explicit_rk(name: str, tableau: Tableau, doc: str) -> type:
    """An explicit Runge–Kutta algorithm class: a tableau and a docstring."""
    return type(name, (ExplicitRK,), {"tableau": tableau, "__doc__": doc,
                                      "__module__": __name__})


Euler = _explicit_rk("Euler", methods.EULER, "Forward Euler, order 1 (fixed steps).")
Midpoint = _explicit_rk("Midpoint", methods.MIDPOINT,
                        "Explicit midpoint rule, order 2 (fixed steps).")
Heun = _explicit_rk("Heun", methods.HEUN,
                    "Heun's method (explicit trapezoid), order 2, Euler-embedded error.")
RK4 = _explicit_rk("RK4", methods.RK4, "The classical Runge–Kutta method, order 4 (fixed steps).")
BS3 = _explicit_rk("BS3", methods.BS3, "Bogacki–Shampine 3(2), FSAL.")
DP5 = _explicit_rk("DP5", methods.DP5,
                   "Dormand–Prince 5(4), FSAL, with its free 4th-order dense output.")
Tsit5 = _explicit_rk("Tsit5", methods.TSIT5, "Tsitouras 5(4), FSAL, with its free 4th-order "
                     "dense output; the default choice.")
Vern7 = _explicit_rk("Vern7", methods.VERN7, "Verner's efficient 7(6) pair.")
Vern9 = _explicit_rk("Vern9", methods.VERN9,
                     "Verner's efficient 9(8) pair, for tight tolerances and high precision.")


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
