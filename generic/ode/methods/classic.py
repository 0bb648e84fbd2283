"""The classical fixed-step explicit Runge–Kutta methods: Euler, midpoint, Heun, RK4.

All coefficients are small exact rationals. None of these carries a dense output of its own
(``dense`` is None: cubic Hermite interpolation between steps).

``HEUN`` carries the embedded explicit Euler solution as its error estimate (the Heun–Euler
2(1) pair): ``bhat = (1, 0)``, so ``btilde = b - bhat = (-1/2, 1/2)`` and ``error_order = 1``.
An integrator may therefore step Heun adaptively; run with ``adaptive=False`` it ignores
``btilde`` like the other three.

References: E. Hairer, S. P. Nørsett, G. Wanner, *Solving Ordinary Differential Equations I:
Nonstiff Problems*, 2nd ed., Springer 1993, §II.1 (Euler, Runge's midpoint, Heun's method,
Kutta's classical "the" Runge–Kutta method, Table 1.2).
"""

from __future__ import annotations

from fractions import Fraction

from ..tableau import Tableau

__all__ = ["EULER", "MIDPOINT", "HEUN", "RK4"]

_HALF = Fraction(1, 2)

EULER = Tableau(
    name="Euler",
    order=1,
    c=(0,),
    A=((),),
    b=(1,),
    reference="L. Euler, Institutionum calculi integralis, 1768; HNW I §II.1, eq. (1.2).",
)

MIDPOINT = Tableau(
    name="Midpoint",
    order=2,
    c=(0, _HALF),
    A=((), (_HALF,)),
    b=(0, 1),
    reference="C. Runge, Math. Ann. 46 (1895) 167–178 (explicit midpoint rule); HNW I §II.1.",
)

HEUN = Tableau(
    name="Heun",
    order=2,
    c=(0, 1),
    A=((), (1,)),
    b=(_HALF, _HALF),
    btilde=(-_HALF, _HALF),  # b - bhat with bhat = (1, 0), explicit Euler
    error_order=1,
    reference="K. Heun, Z. Math. Phys. 45 (1900) 23–38 (explicit trapezoidal rule); HNW I §II.1."
    " Embedded Euler estimate: the Heun–Euler 2(1) pair.",
)

RK4 = Tableau(
    name="RK4",
    order=4,
    c=(0, _HALF, _HALF, 1),
    A=((), (_HALF,), (0, _HALF), (0, 0, 1)),
    b=(Fraction(1, 6), Fraction(1, 3), Fraction(1, 3), Fraction(1, 6)),
    reference="W. Kutta, Z. Math. Phys. 46 (1901) 435–453; HNW I §II.1, Table 1.2 (left).",
)
