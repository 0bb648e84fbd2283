"""Coefficients of the Rosenbrock methods (``generic/ode/rosenbrock.py``), stored exactly.

Rosenbrock23 — L. F. Shampine & M. W. Reichelt, "The MATLAB ODE Suite", SIAM J. Sci. Comput.
18 (1997) 1–22, §3 (the method of ``ode23s``): ``d = 1 / (2 + √2)``, ``e32 = 6 + √2``. √2 is
stored to 67 digits (``SQRT2``) and converted to the state's type, so a 50-digit solve gets a
50-digit √2; d and e32 are then computed in that type.

Rodas5 — G. A. Di Marzo, "RODAS5(4) – Méthodes de Rosenbrock d'ordre 5(4) adaptées aux
problèmes différentiels-algébriques", Mémoire de diplôme, Université de Genève 1993; see Hairer
& Wanner, Solving ODEs II, 2nd ed. (1996) §VI.4. The form is that of OrdinaryDiffEq.jl's
``Rodas5Tableau`` (``src/tableaus/rosenbrock_tableaus.jl``, SciML), the transformed form of
Hairer's ``rodas.f``: with ``W = I/(hγ) − J``,

    W k_i = f(t + c_i h, u + Σ_j a_ij k_j) + d_i h ∂f/∂t + Σ_j (C_ij / h) k_j,

stage 7 at ``u + Σ a_6j k_j + k_6``, stage 8 at that ``+ k_7``, ``u_new = ... + k_8`` and ``k_8``
the error estimate (the method is stiffly accurate).

The published coefficients (``RODAS5_PUBLISHED``: OrdinaryDiffEq.jl's, digit for digit, the
same as in every other implementation we found; no source gives more than 16 significant digits)
satisfy Rodas5's order conditions only to ~1.4e-15, so a 30- or 50-digit solve with them is
accurate to ~1e-15 at best. ``RODAS5`` holds coefficients recomputed to 64 significant digits:

- Unknowns: a_31 … a_65 (14; a_21 = c_2/γ = 2) and C_21 … C_87 (28), with the free parameters
  held at their published values: γ = 0.19, c_2 = 0.38, c_3 = 0.3878509998321533,
  c_4 = 0.4839718937873840, c_5 = 0.4570477008819580 (taken as exact decimals), and the stiffly
  accurate structure above (stages 7 and 8, u_new, the embedded solution at stage 8's point).
- Conditions (30, in the standard form α = AΓ, b = mΓ with Γ⁻¹ = I/γ − C, β = α + Γ): the 17
  order conditions of order ≤ 5 for the solution and the 8 of order ≤ 4 for the embedded
  solution (Hairer & Wanner II, §IV.7: Σ_j b_j Φ_j(t) = 1/t! over rooted trees t, Φ using α at
  vertices with several sons and β, diagonal included, at vertices with one son), c_3, c_4, c_5
  as above, c_6 = 1, and d_6 = Σ_j Γ_6j = 0 (then c_7 = c_8 = 1 and d_7 = d_8 = 0 follow).
  The published values satisfy all 30 to 1.4e-15.
- Solved at 140 digits (multiprecision) by Newton from the published values. The system is
  underdetermined (12 free directions) and one combination of three order-5 conditions is
  degenerate (its gradient vanishes on the solution set: a double root), so each Newton step is
  the minimum-norm SVD step with the degenerate direction's component doubled (quadratic
  convergence again). Among the solutions, the one used is the closest to the published
  values in the max norm over the coefficients measured in units of their last published digit
  (a linear program in the 12-dimensional tangent space, then Newton again): every
  coefficient is within 9.3 such units (relative ≤ 7e-15) of its published value — no solution
  lies closer, so the published values themselves carry ~10 units of float64 round-off — and
  all 30 conditions hold to 1e-138. d_2 … d_5 are the row sums of Γ (they agree with the
  published d's, given to 16–19 digits, to 1.7e-15).

So this is Rodas5 to 16 digits, made exact: the same method as far as float64 can tell (its
float64 coefficients move by at most a few ulps), whose order conditions hold in 50-digit
arithmetic. Conditions Di Marzo imposed beyond these (the index-1 DAE conditions of order
5(4) that are not implied by stiff accuracy) hold to ~1e-14, as they did for the published
values. ``tests/ode/test_stiff_problems.py`` checks the order conditions independently.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["SQRT2", "RODAS5", "RODAS5_PUBLISHED"]

SQRT2 = "1.414213562373095048801688724209698078569671875376948073176679737990732"

# ----------------------------------------------------------------------------- Rodas5, 64 digits

_RODAS5_A = (
    (),
    ("2.0",),
    ("3.040894194418778874934835851362558470507529700380064182700761961",
     "1.041747909077566563920604753036935201809468758551809335055332598"),
    ("2.576417536461470342516158969510057855573069170222642543675056332",
     "1.622083060776648316007011392399549068877136439991796944119347876",
     "-0.9089668560264533249747491263106145384194833306838385778526001367"),
    ("2.76084208022559441320754091926565783789442585265972237853333536",
     "1.446624659844067195831131853276057409216702943167456799721412815",
     "-0.3036980084553747342516158969517944171213883902609605904639046627",
     "0.287749860032544593940592594096626748178080423674519043836369616"),
    ("-14.09640773051261195487971916843894619666639519445101287663847502",
     "6.925207756232712834264159003827306235850082594639930744575889154",
     "-41.47510893210728393493304504751868599677701920557566657012881142",
     "2.343771018586414342516158969513227302681336398904368497527628391",
     "24.13215229196059524865207926134953119384596669684895188547171229"),
)

_RODAS5_C = (
    (),
    ("-10.31323885133992926591524160987023630012593574717671135747030221",),
    ("-21.04823117650003189809027200252664616305714723000732703539661897",
     "-7.234992135176722008854984985035372682930748806666261615016692668"),
    ("32.22751541853313657483841030487232220128660903359213655355283988",
     "-4.943732386540181657483841030489470503486346486026142640173224551",
     "19.44922031041876422508348518366791756065965059570776485757608234"),
    ("-20.6986557959006350457912350796673878571261680082257599868924944",
     "-8.816374604402774507128439240451608465004989331736687436977501514",
     "1.260436877740901450489088720760479124446259220841867801336297835",
     "-0.7495647613787136657483841030499925761549933118262345062590137713"),
    ("-46.22004352711266342516158969508806451108863869351584854556947492",
     "-17.49534862857481342516158969511004916913658016629875134773107963",
     "-289.6389582892066342516158969508115591989460402967621658004892923",
     "93.60855400400906503335328668337471827945473135740955556737003946",
     "318.382253421215036741412852285641693146814212724847913425744705"),
    ("34.20013733472944342516158969506928519755348455586536093749398041",
     "-14.15535402717698729025927662278273943576605773981362189563859333",
     "57.82335640988392187458878470549322394039176150156966946277210843",
     "25.83362985412357294815928457863263798783734631336638900364153667",
     "1.408950972071614657483841030487718454399408972616204082080835012",
     "-6.551835421242160679019752224440117928871691601117474513067500649"),
    ("42.57076742291109967953160287558123748554999762157690368502092628",
     "-13.80770672018006342516158969511447324857001870902201351925411801",
     "93.98938432427114657483841030491417523979120810848293176065838912",
     "18.77919633714496177012142021722794869492663948426286937668275595",
     "-31.58359187223365111580611232188146905966033295602446846244047514",
     "-6.685968952921984208493135416303675198278473400431647148580446863",
     "-5.810979938412932467700717321301224849848045421150670076615331259"),
)

RODAS5 = {
    "gamma": Fraction(19, 100),
    "A": _RODAS5_A,  # rows 0..5 (stages 1..6); stages 7, 8 add k6, k7 to stage 6's point
    "C": _RODAS5_C,  # rows 0..7 (stages 1..8)
    # nodes of stages 1..8 (stages 6, 7, 8 at t + h): the published free parameters, exact
    "c": ("0", "0.38", "0.3878509998321533", "0.4839718937873840", "0.4570477008819580",
          "1", "1", "1"),
    # d_i of stages 1..8 (d_1 = γ; stages 6, 7, 8 have none): the row sums of Γ
    "d": ("0.19",
          "-0.1823079225333714464995402221163155304345462804730792800046779098",
          "-0.3192318321868747440970344163106350224364551392840683523709396137",
          "0.3449828624725325736168138661859948547745432966680002568437074855",
          "-0.3774175643920897428720812911157864412514457707598705603138887575",
          "0", "0", "0"),
}

# ----------------------------------------------------------------------------- Rodas5, published

_RODAS5_A_PUBLISHED = (
    (),
    ("2.0",),
    ("3.040894194418781", "1.041747909077569"),
    ("2.576417536461461", "1.622083060776640", "-.9089668560264532"),
    ("2.760842080225597", "1.446624659844071", "-.3036980084553738", ".2877498600325443"),
    ("-14.09640773051259", "6.925207756232704", "-41.47510893210728", "2.343771018586405",
     "24.13215229196062"),
)

_RODAS5_C_PUBLISHED = (
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

# As OrdinaryDiffEq.jl's Rodas5Tableau gives them (16 significant digits): the provenance of
# RODAS5, kept for comparison (tests) and for anyone who wants the float64 method bit for bit.
RODAS5_PUBLISHED = {
    "gamma": Fraction(19, 100),
    "A": _RODAS5_A_PUBLISHED,
    "C": _RODAS5_C_PUBLISHED,
    "c": RODAS5["c"],
    "d": ("0.19", "-0.1823079225333714636", "-0.319231832186874912", "0.3449828624725343",
          "-0.377417564392089818", "0", "0", "0"),
}
