"""Coefficients of the Rosenbrock methods (``generic/ode/rosenbrock.py``), stored exactly.

Rosenbrock23 — L. F. Shampine & M. W. Reichelt, "The MATLAB ODE Suite", SIAM J. Sci. Comput.
18 (1997) 1–22, §3 (the method of ``ode23s``): ``d = 1 / (2 + √2)``, ``e32 = 6 + √2``. √2 is
stored to 67 digits (``SQRT2``) and converted to the state's type, so a 50-digit solve gets a
50-digit √2; d and e32 are then computed in that type.

Rodas5 — G. A. Di Marzo, "RODAS5(4) – Méthodes de Rosenbrock d'ordre 5(4) adaptées aux
problèmes différentiels-algébriques", Mémoire de diplôme, Université de Genève 1993; see Hairer
& Wanner, Solving ODEs II, 2nd ed. (1996) §VI.4. The coefficients are those of
OrdinaryDiffEq.jl's ``Rodas5Tableau`` (``src/tableaus/rosenbrock_tableaus.jl``, SciML), in the
transformed form of Hairer's ``rodas.f``: with ``W = I/(hγ) − J``,

    W k_i = f(t + c_i h, u + Σ_j a_ij k_j) + d_i h ∂f/∂t + Σ_j (C_ij / h) k_j,

stage 7 at ``u + Σ a_6j k_j + k_6``, stage 8 at that ``+ k_7``, ``u_new = ... + k_8`` and ``k_8``
the error estimate (the method is stiffly accurate). They are copied digit for digit as given
there (16 significant digits — all the source gives; the source's ``c_i`` are its float64
values). So in a higher precision than float64 Rodas5's order conditions hold only to ~1e-16:
a 30-digit solve with Rodas5 is accurate to ~1e-15 at best, not to 30 digits.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["SQRT2", "RODAS5"]

SQRT2 = "1.414213562373095048801688724209698078569671875376948073176679737990732"

_RODAS5_A = (
    (),
    ("2.0",),
    ("3.040894194418781", "1.041747909077569"),
    ("2.576417536461461", "1.622083060776640", "-.9089668560264532"),
    ("2.760842080225597", "1.446624659844071", "-.3036980084553738", ".2877498600325443"),
    ("-14.09640773051259", "6.925207756232704", "-41.47510893210728", "2.343771018586405",
     "24.13215229196062"),
)

_RODAS5_C = (
    (),
    ("-10.31323885133993",),
    ("-21.04823117650003", "-7.234992135176716"),
    ("32.22751541853323", "-4.943732386540191", "19.44922031041879"),
    ("-20.69865579590063", "-8.816374604402768", "1.260436877740897", "-.7495647613787146"),
    ("-46.22004352711257", "-17.49534862857472", "-289.6389582892057", "93.60855400400906",
     "318.3822534212147"),
    ("34.20013733472935", "-14.15535402717690", "57.82335640988400", "25.83362985412365",
     "1.408950972071624", "-6.551835421242162"),
    ("42.57076742291101", "-13.80770672017997", "93.98938432427124", "18.77919633714503",
     "-31.58359187223370", "-6.685968952921985", "-5.810979938412932"),
)

RODAS5 = {
    "gamma": Fraction(19, 100),
    "A": _RODAS5_A,  # rows 0..5 (stages 1..6); stages 7, 8 add k6, k7 to stage 6's point
    "C": _RODAS5_C,  # rows 0..7 (stages 1..8)
    # nodes of stages 1..8 (stages 6, 7, 8 at t + h)
    "c": ("0", "0.38", "0.3878509998321533", "0.4839718937873840", "0.4570477008819580",
          "1", "1", "1"),
    # d_i of stages 1..8 (d_1 = γ; stages 6, 7, 8 have none)
    "d": ("0.19", "-0.1823079225333714636", "-0.319231832186874912", "0.3449828624725343",
          "-0.377417564392089818", "0", "0", "0"),
}
