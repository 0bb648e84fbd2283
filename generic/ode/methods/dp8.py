"""Dormand–Prince 8(5,3) as in Hairer's DOP853: 12 stages, order 8, two error estimates.

The eighth-order solution ``b`` is propagated. DOP853 estimates the error with two embedded
formulas and combines them. ``btilde`` holds Hairer's ``er1 … er12``, the weights of the
fifth-order estimate (``b - bhat5``; ``bhat5`` itself is not published, and the sign of ``er``
cannot matter, since it enters only through a norm). ``extra["btilde3"]`` holds ``b - bhat3``
for the third-order formula ``bhat3 = (bhh1 on stage 1, bhh2 on stage 9, bhh3 on stage 12)``,
formed exactly here. The combined estimate of ``dop853.f`` (subroutine ``DP86CO``) is, with
``sk_i = atol_i + rtol_i max(|y0_i|, |y1_i|)`` and n components,

    err5² = Σ_i (Σ_j er_j k_ij / sk_i)²
    err3² = Σ_i (Σ_j (b_j - bhat3_j) k_ij / sk_i)²
    deno  = err5² + 0.01 err3²        (set to 1 when deno <= 0)
    err   = |h| err5² sqrt(1 / (n deno)),

that is, in RMS norms ‖e‖ = sqrt(Σ_i (e_i / sk_i)² / n) of the two error vectors (without h),
``err = |h| ‖e5‖² / sqrt(‖e5‖² + 0.01 ‖e3‖²)``. The step is accepted when err <= 1. Since
``e5 = O(h^6)`` and ``e3 = O(h^4)``, err behaves like ``h^8``, and DOP853 scales the step with
``err^(-1/8)`` (its ``expo1 = 1/8``): the order to use in step-size control is the method order 8,
not ``error_order + 1``. ``error_order = 5`` states the order of ``bhat5``.

Not FSAL as a tableau (``fsal=False``): the 12th stage is at ``t + h`` but at the input
``y0 + h Σ a_12j k_j``, not at the new solution. DOP853 spends a 13th evaluation, f at the new
point, which it reuses as the first stage of the next step, so its cost per step is 12
evaluations either way. DOP853's seventh-order dense output (three further stages) is not
transcribed: ``dense`` is None (Hermite interpolation).

Precision: Hairer publishes the coefficients as decimals of 28 to 30 significant digits
(they are irrational, involving √6), kept here as strings with exactly those digits. The
method is therefore exact only to about 1e-28: beyond that, prefer Vern9.

Sources: E. Hairer, S. P. Nørsett, G. Wanner, *Solving Ordinary Differential Equations I:
Nonstiff Problems*, 2nd ed., Springer 1993, §II.10 and the code ``dop853.f``
(http://www.unige.ch/~hairer/software.html); the method is built on P. J. Prince,
J. R. Dormand, "High order embedded Runge–Kutta formulae", J. Comput. Appl. Math. 7(1) (1981)
67–75. The digits below are those of ``dop853.f``, as reproduced in SciPy
(``scipy/integrate/_ivp/dop853_coefficients.py``) and checked entry by entry against
OrdinaryDiffEq.jl (``lib/OrdinaryDiffEqHighOrderRK/src/high_order_rk_tableaus.jl``,
``DP8ConstantCache``): identical.
"""

from __future__ import annotations

from fractions import Fraction as F

from ..tableau import Tableau

__all__ = ["DP8"]

_C = {  # Hairer: c2 … c11; c12 = 1 (the step end)
    2: "0.526001519587677318785587544488e-01",
    3: "0.789002279381515978178381316732e-01",
    4: "0.118350341907227396726757197510",
    5: "0.281649658092772603273242802490",
    6: "0.333333333333333333333333333333",
    7: "0.25",
    8: "0.307692307692307692307692307692",
    9: "0.651282051282051282051282051282",
    10: "0.6",
    11: "0.857142857142857142857142857142",
    12: 1,
}

_A = {  # Hairer: a21 … a1211
    (2, 1): "5.26001519587677318785587544488e-2",
    (3, 1): "1.97250569845378994544595329183e-2",
    (3, 2): "5.91751709536136983633785987549e-2",
    (4, 1): "2.95875854768068491816892993775e-2",
    (4, 3): "8.87627564304205475450678981324e-2",
    (5, 1): "2.41365134159266685502369798665e-1",
    (5, 3): "-8.84549479328286085344864962717e-1",
    (5, 4): "9.24834003261792003115737966543e-1",
    (6, 1): "3.7037037037037037037037037037e-2",
    (6, 4): "1.70828608729473871279604482173e-1",
    (6, 5): "1.25467687566822425016691814123e-1",
    (7, 1): "3.7109375e-2",
    (7, 4): "1.70252211019544039314978060272e-1",
    (7, 5): "6.02165389804559606850219397283e-2",
    (7, 6): "-1.7578125e-2",
    (8, 1): "3.70920001185047927108779319836e-2",
    (8, 4): "1.70383925712239993810214054705e-1",
    (8, 5): "1.07262030446373284651809199168e-1",
    (8, 6): "-1.53194377486244017527936158236e-2",
    (8, 7): "8.27378916381402288758473766002e-3",
    (9, 1): "6.24110958716075717114429577812e-1",
    (9, 4): "-3.36089262944694129406857109825",
    (9, 5): "-8.68219346841726006818189891453e-1",
    (9, 6): "2.75920996994467083049415600797e1",
    (9, 7): "2.01540675504778934086186788979e1",
    (9, 8): "-4.34898841810699588477366255144e1",
    (10, 1): "4.77662536438264365890433908527e-1",
    (10, 4): "-2.48811461997166764192642586468",
    (10, 5): "-5.90290826836842996371446475743e-1",
    (10, 6): "2.12300514481811942347288949897e1",
    (10, 7): "1.52792336328824235832596922938e1",
    (10, 8): "-3.32882109689848629194453265587e1",
    (10, 9): "-2.03312017085086261358222928593e-2",
    (11, 1): "-9.3714243008598732571704021658e-1",
    (11, 4): "5.18637242884406370830023853209",
    (11, 5): "1.09143734899672957818500254654",
    (11, 6): "-8.14978701074692612513997267357",
    (11, 7): "-1.85200656599969598641566180701e1",
    (11, 8): "2.27394870993505042818970056734e1",
    (11, 9): "2.49360555267965238987089396762",
    (11, 10): "-3.0467644718982195003823669022",
    (12, 1): "2.27331014751653820792359768449",
    (12, 4): "-1.05344954667372501984066689879e1",
    (12, 5): "-2.00087205822486249909675718444",
    (12, 6): "-1.79589318631187989172765950534e1",
    (12, 7): "2.79488845294199600508499808837e1",
    (12, 8): "-2.85899827713502369474065508674",
    (12, 9): "-8.87285693353062954433549289258",
    (12, 10): "1.23605671757943030647266201528e1",
    (12, 11): "6.43392746015763530355970484046e-1",
}

_B = {  # Hairer: b1, b6 … b12 (eighth order)
    1: "5.42937341165687622380535766363e-2",
    6: "4.45031289275240888144113950566",
    7: "1.89151789931450038304281599044",
    8: "-5.8012039600105847814672114227",
    9: "3.1116436695781989440891606237e-1",
    10: "-1.52160949662516078556178806805e-1",
    11: "2.01365400804030348374776537501e-1",
    12: "4.47106157277725905176885569043e-2",
}

_ER = {  # Hairer: er1, er6 … er12, the weights of the fifth-order error estimate
    1: "0.1312004499419488073250102996e-1",
    6: "-0.1225156446376204440720569753e+1",
    7: "-0.4957589496572501915214079952",
    8: "0.1664377182454986536961530415e+1",
    9: "-0.3503288487499736816886487290",
    10: "0.3341791187130174790297318841",
    11: "0.8192320648511571246570742613e-1",
    12: "-0.2235530786388629525884427845e-1",
}

_BHH = {  # Hairer: bhh1, bhh2, bhh3, the third-order weights (on stages 1, 9, 12)
    1: "0.244094488188976377952755905512",
    9: "0.733846688281611857341361741547",
    12: "0.220588235294117647058823529412e-1",
}


_STAGES = range(1, 13)
_b = tuple(_B.get(i, 0) for i in _STAGES)

DP8 = Tableau(
    name="DP8",
    order=8,
    c=(0, *(_C[i] for i in range(2, 13))),
    A=tuple(tuple(_A.get((i, j), 0) for j in range(1, i)) for i in _STAGES),
    b=_b,
    btilde=tuple(_ER.get(i, 0) for i in _STAGES),
    error_order=5,
    fsal=False,
    reference="E. Hairer, S. P. Nørsett, G. Wanner, Solving Ordinary Differential Equations I, "
    "2nd ed., Springer 1993, §II.10 (DOP853); P. J. Prince, J. R. Dormand, J. Comput. Appl. "
    "Math. 7 (1981) 67–75.",
    extra={
        # b - bhat3, the weights of DOP853's third-order error estimate (exact differences)
        "btilde3": tuple(F(_B.get(i, 0)) - F(_BHH.get(i, 0)) for i in _STAGES),
    },
)
