"""Dormand–Prince 5(4) (DOPRI5): SciPy's ``RK45``, MATLAB's ``ode45``, Hairer's ``dopri5``.

Seven stages, the seventh being f at the new point (FSAL), so a step costs six evaluations.
The fifth-order solution ``b`` is propagated; the embedded fourth-order ``bhat`` gives the error
estimate ``btilde = b - bhat`` (Hairer's ``e1 … e7`` in ``dopri5.f``).

Dense output: the fourth-order continuous extension of HNW I §II.6 (due to Shampine 1986, the
one in Hairer's ``dopri5.f``). ``dopri5.f`` evaluates it in nested form,

    u(t + θh) = y0 + θ(Δ + (1-θ)(h f0 - Δ + θ(2Δ - h f0 - h f1 + (1-θ) h Σ d_i k_i))),

with ``Δ = y1 - y0``, ``f1 = k7`` and ``d = (-12715105075/11282082432, 0,
87487479700/32700410799, -10690763975/1880347072, 701980252875/199316789632,
-1453857185/822651844, 69997945/29380423)``. Expanded into the weights
``b_i(θ) = Σ_j dense[i][j] θ^(j+1)`` it gives the rationals below, which are exactly SciPy's
``RK45.P`` (the tests rebuild them from the nested form and the ``d_i``).

Sources: J. R. Dormand, P. J. Prince, "A family of embedded Runge–Kutta formulae", J. Comput.
Appl. Math. 6(1) (1980) 19–26, doi:10.1016/0771-050X(80)90013-3; L. F. Shampine, "Some
practical Runge–Kutta formulas", Math. Comp. 46 (1986) 135–150; E. Hairer, S. P. Nørsett,
G. Wanner, *Solving Ordinary Differential Equations I*, 2nd ed., Springer 1993, Table II.5.2 and
§II.6, with ``dopri5.f`` (http://www.unige.ch/~hairer/software.html). Checked against SciPy
``scipy/integrate/_ivp/rk.py`` (``RK45``: ``A``, ``B``, ``C``, ``E = bhat - b``, ``P``).
"""

from __future__ import annotations

from fractions import Fraction as F

from ..tableau import Tableau

__all__ = ["DP5"]

_B = (F(35, 384), 0, F(500, 1113), F(125, 192), F(-2187, 6784), F(11, 84), 0)
_BHAT = (F(5179, 57600), 0, F(7571, 16695), F(393, 640), F(-92097, 339200), F(187, 2100),
         F(1, 40))  # fourth order

DP5 = Tableau(
    name="DP5",
    order=5,
    c=(0, F(1, 5), F(3, 10), F(4, 5), F(8, 9), 1, 1),
    A=(
        (),
        (F(1, 5),),
        (F(3, 40), F(9, 40)),
        (F(44, 45), F(-56, 15), F(32, 9)),
        (F(19372, 6561), F(-25360, 2187), F(64448, 6561), F(-212, 729)),
        (F(9017, 3168), F(-355, 33), F(46732, 5247), F(49, 176), F(-5103, 18656)),
        _B[:6],  # FSAL: the last stage is f(t + dt, u_new)
    ),
    b=_B,
    btilde=tuple(x - y for x, y in zip(_B, _BHAT, strict=True)),
    error_order=4,
    fsal=True,
    dense=(
        (1, F(-8048581381, 2820520608), F(8663915743, 2820520608),
         F(-12715105075, 11282082432)),
        (0, 0, 0, 0),
        (0, F(131558114200, 32700410799), F(-68118460800, 10900136933),
         F(87487479700, 32700410799)),
        (0, F(-1754552775, 470086768), F(14199869525, 1410260304),
         F(-10690763975, 1880347072)),
        (0, F(127303824393, 49829197408), F(-318862633887, 49829197408),
         F(701980252875, 199316789632)),
        (0, F(-282668133, 205662961), F(2019193451, 616988883), F(-1453857185, 822651844)),
        (0, F(40617522, 29380423), F(-110615467, 29380423), F(69997945, 29380423)),
    ),
    dense_order=4,
    reference="J. R. Dormand, P. J. Prince, A family of embedded Runge–Kutta formulae, "
    "J. Comput. Appl. Math. 6 (1980) 19–26; dense output: L. F. Shampine, Math. Comp. 46 (1986) "
    "135–150, as in Hairer–Nørsett–Wanner, Solving ODEs I, §II.6 (dopri5.f).",
)
