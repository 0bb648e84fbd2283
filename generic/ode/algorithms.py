"""The ODE algorithms: each is a tableau (data) and, rarely, its own error norm.

``g.Tsit5()`` and friends are instances of :class:`ExplicitRK`; the integrator asks an algorithm
for its converted tableau, its order, whether it adapts, and the norm of its error estimate.
Adding a method is adding a tableau (``methods/``) and a two-line class here.
"""

from __future__ import annotations

from ..functions import eltype
from . import methods
from .attempt import Attempt
from .controller import PIController
from .erk import erk_attempt
from .tableau import Tableau, converted

__all__ = ["Algorithm", "Attempt", "Counted", "ExplicitRK", "Euler", "Midpoint", "Heun", "RK4",
           "BS3", "DP5", "Tsit5", "Vern7", "Vern9", "DP8"]


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


class Counted:
    """``f`` counting its calls in ``calls`` (what a Jacobian cost in f evaluations)."""

    __slots__ = ("f", "calls")

    def __init__(self, f):
        self.f, self.calls = f, 0

    def __call__(self, *args):
        self.calls += 1
        return self.f(*args)


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
        return erk_attempt(integrator.f, integrator.p, tab, t, u, dt, f0,
                           integrator.adaptive, integrator.atol, integrator.rtol)


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


DP8 = _explicit_rk("DP8", methods.DP8, "Dormand–Prince 8(5,3) (Hairer's DOP853) with its "
                  "combined 5th/3rd-order error estimate.")
