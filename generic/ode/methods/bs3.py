"""Bogacki–Shampine 3(2): the pair behind MATLAB's ``ode23`` and SciPy's ``RK23``.

Four stages, the fourth being f at the new point (FSAL), so a step costs three evaluations.
The third-order solution is propagated; the embedded second-order solution ``bhat`` gives the
error estimate ``btilde = b - bhat``. No dense output of its own: the method's natural
interpolant is the cubic Hermite polynomial through both end points and slopes, which is what
``dense=None`` selects.

Source of the coefficients: P. Bogacki, L. F. Shampine, "A 3(2) pair of Runge–Kutta formulas",
Appl. Math. Lett. 2(4) (1989) 321–325, doi:10.1016/0893-9659(89)90079-7. Checked against SciPy,
``scipy/integrate/_ivp/rk.py`` (class ``RK23``; its ``E`` is ``bhat - b``, the negative of our
``btilde``) and OrdinaryDiffEq.jl, ``lib/OrdinaryDiffEqLowOrderRK/src/low_order_rk_tableaus.jl``
(``BS3ConstantCache``).
"""

from __future__ import annotations

from fractions import Fraction as F

from ..tableau import Tableau

__all__ = ["BS3"]

_B = (F(2, 9), F(1, 3), F(4, 9), 0)
_BHAT = (F(7, 24), F(1, 4), F(1, 3), F(1, 8))  # second order

BS3 = Tableau(
    name="BS3",
    order=3,
    c=(0, F(1, 2), F(3, 4), 1),
    A=(
        (),
        (F(1, 2),),
        (0, F(3, 4)),
        _B[:3],  # FSAL: the last stage is f(t + dt, u_new)
    ),
    b=_B,
    btilde=tuple(x - y for x, y in zip(_B, _BHAT, strict=True)),
    error_order=2,
    fsal=True,
    reference="P. Bogacki, L. F. Shampine, A 3(2) pair of Runge–Kutta formulas, "
    "Appl. Math. Lett. 2(4) (1989) 321–325.",
)
