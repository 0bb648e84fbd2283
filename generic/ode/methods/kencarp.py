"""Kennedy & Carpenter's ARK4(3)6L[2]SA: an additive Runge–Kutta (IMEX) pair, stored exactly.

Two tableaus with one ``c``, one ``b`` and one embedded ``bhat`` (third order): an explicit
one (``KENCARP4_EXPLICIT``) for the nonstiff part and an L-stable, stiffly accurate ESDIRK
(``KENCARP4_IMPLICIT``) for the stiff part, diagonal ``γ = 1/4`` (in ``extra["gamma"]``; ``A``
holds the strictly lower triangle). The first stage is explicit in both.

The coefficients are the rationals the paper gives for ARK4(3)6L[2]SA. They are
themselves rational approximations: they satisfy the order conditions of the combined method to
3e-26 (checked in exact arithmetic by tests/ode/test_split_tableau.py), so the method is accurate
to about 25 digits at most, at any working precision.

Source: C. A. Kennedy & M. H. Carpenter, "Additive Runge–Kutta schemes for
convection–diffusion–reaction equations", Appl. Numer. Math. 44 (2003) 139–181,
doi:10.1016/S0168-9274(02)00138-1, ARK4(3)6L[2]SA. Checked against SUNDIALS ARKODE,
``src/arkode/arkode_butcher_erk.def`` / ``arkode_butcher_dirk.def`` (``ARK436L2SA_ERK_6_3_4``,
``ARK436L2SA_DIRK_6_3_4``; its ``d`` is our ``bhat``).
"""

from __future__ import annotations

from fractions import Fraction as F

from ..tableau import Tableau

__all__ = ["KENCARP4_EXPLICIT", "KENCARP4_IMPLICIT"]

_C = (0, F(1, 2), F(83, 250), F(31, 50), F(17, 20), 1)
_B = (F(82889, 524892), 0, F(15625, 83664), F(69875, 102672), F(-2260, 8211), F(1, 4))
_BHAT = (F(4586570599, 29645900160), 0, F(178811875, 945068544), F(814220225, 1159782912),
         F(-3700637, 11593932), F(61727, 225920))
_BTILDE = tuple(x - y for x, y in zip(_B, _BHAT, strict=True))
_REFERENCE = ("Kennedy & Carpenter, Appl. Numer. Math. 44 (2003) 139-181, ARK4(3)6L[2]SA")

KENCARP4_EXPLICIT = Tableau(
    name="KenCarp4 (explicit part)",
    order=4,
    c=_C,
    A=(
        (),
        (F(1, 2),),
        (F(13861, 62500), F(6889, 62500)),
        (F(-116923316275, 2393684061468), F(-2731218467317, 15368042101831),
         F(9408046702089, 11113171139209)),
        (F(-451086348788, 2902428689909), F(-2682348792572, 7519795681897),
         F(12662868775082, 11960479115383), F(3355817975965, 11060851509271)),
        (F(647845179188, 3216320057751), F(73281519250, 8382639484533),
         F(552539513391, 3454668386233), F(3354512671639, 8306763924573), F(4040, 17871)),
    ),
    b=_B,
    btilde=_BTILDE,
    error_order=3,
    reference=_REFERENCE,
)

KENCARP4_IMPLICIT = Tableau(
    name="KenCarp4 (implicit part)",
    order=4,
    c=_C,
    A=(  # strictly lower triangle; the diagonal is gamma (stage 1: 0, explicit)
        (),
        (F(1, 4),),
        (F(8611, 62500), F(-1743, 31250)),
        (F(5012029, 34652500), F(-654441, 2922500), F(174375, 388108)),
        (F(15267082809, 155376265600), F(-71443401, 120774400), F(730878875, 902184768),
         F(2285395, 8070912)),
        _B[:5],  # stiffly accurate: the last row is b
    ),
    b=_B,
    btilde=_BTILDE,
    error_order=3,
    reference=_REFERENCE,
    extra={"gamma": (F(1, 4),)},
)
