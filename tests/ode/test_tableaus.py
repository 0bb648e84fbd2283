"""The tableaus in ``generic.ode.methods`` satisfy the conditions their declared orders promise.

This is the independent check of the transcription: a mistyped coefficient breaks an order
condition. Every check runs in exact arithmetic on the stored coefficients: ``Fraction`` for
rationals and for decimal strings (a decimal string is an exact rational), exact Q(√6)
arithmetic for Vern9 (from the exact forms in ``VERN9.extra["sqrt6"]``).

The order conditions come from rooted trees (Butcher): for every tree t with ρ(t) ≤ p the
weights must satisfy Σ_i b_i Φ_i(t) = 1/γ(t), where Φ(t) is the elementary weight of t (a
product over the root's subtrees of A Φ(subtree), 1 for a leaf) and γ(t) its density. The
leaf weight is A·1 (the row sums), so the conditions test A itself; ``c`` is tested separately
against the row sums.

Rationals must satisfy the conditions exactly. Decimal coefficients (Tsit5: 85 digits, DP8:
Hairer's 28–30 digits) cannot: each coefficient with D significant digits is off by a relative
10^(1-D) at most (rounded or truncated), and a term of Σ b_i Φ_i(t) is a product of ρ(t)
coefficients, so the residual is bounded by ``ρ(t) · 10 · 10^-D · M(t)``, with M(t) the same
sum over the absolute values of the coefficients (the size of the terms that cancel). That is
the tolerance used: 10 × 10^-(digits given), scaled by the terms' size; a wrong digit among the
first D - 5 or so breaks it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import pytest

from generic.ode.methods import (
    BS3,
    DP5,
    DP8,
    EULER,
    HEUN,
    MIDPOINT,
    RK4,
    TSIT5,
    VERN7,
    VERN9,
)
from generic.ode.methods.verner import DIGITS as VERN9_DIGITS
from generic.ode.tableau import converted

ALL = [EULER, MIDPOINT, HEUN, RK4, BS3, DP5, TSIT5, VERN7, VERN9, DP8]
ADAPTIVE = [t for t in ALL if t.btilde is not None]
STAGES = {"Euler": 1, "Midpoint": 2, "Heun": 2, "RK4": 4, "BS3": 4, "DP5": 7, "Tsit5": 7,
          "Vern7": 10, "Vern9": 16, "DP8": 12}
SHARPNESS_LIMIT = 9  # order conditions of order 10 in Q(√6) would take several seconds


def name_of(tab):
    return tab.name


# ------------------------------------------------------------------------- rooted trees


@dataclass(frozen=True)
class Tree:
    children: tuple[int, ...]  # indices of the root's subtrees in the list of trees
    order: int  # ρ(t), the number of nodes
    density: int  # γ(t)


@functools.cache
def rooted_trees(p: int) -> tuple[Tree, ...]:
    """All rooted trees with at most p nodes, each once, subtrees before the trees they are in.

    A tree of order n is a multiset of subtrees whose orders sum to n - 1; listing a multiset as
    a non-increasing sequence of subtree indices makes each appear once.
    """
    trees = [Tree((), 1, 1)]
    for n in range(2, p + 1):
        for children in _multisets(trees, n - 1, len(trees) - 1):
            density = n
            for k in children:
                density *= trees[k].density
            trees.append(Tree(children, n, density))
    return tuple(trees)


def _multisets(trees, total, largest):
    """Non-increasing index sequences (each index <= largest) of trees whose orders sum to
    ``total``."""
    if total == 0:
        yield ()
        return
    for k in range(largest, -1, -1):
        if trees[k].order <= total:
            for rest in _multisets(trees, total - trees[k].order, k):
                yield (k, *rest)


def test_rooted_trees_are_counted_by_oeis_a000081():
    counts = [sum(t.order == n for t in rooted_trees(9)) for n in range(1, 10)]
    assert counts == [1, 1, 2, 4, 9, 20, 48, 115, 286]


def test_rooted_tree_densities_of_order_four():
    # [[[τ]]] 24, [[τ, τ]] 12, [τ, [τ]] 8, [τ, τ, τ] 4
    assert sorted(t.density for t in rooted_trees(4) if t.order == 4) == [4, 8, 12, 24]


# ------------------------------------------------------------------- exact arithmetic


class Q6:
    """An element p + q√6 of Q(√6), p and q Fractions: exact arithmetic for Vern9."""

    __slots__ = ("p", "q")

    def __init__(self, p, q=0):
        self.p, self.q = Fraction(p), Fraction(q)

    @staticmethod
    def of(x):
        return x if isinstance(x, Q6) else Q6(x)

    def __add__(self, other):
        other = Q6.of(other)
        return Q6(self.p + other.p, self.q + other.q)

    __radd__ = __add__

    def __sub__(self, other):
        other = Q6.of(other)
        return Q6(self.p - other.p, self.q - other.q)

    def __rsub__(self, other):
        return Q6.of(other) - self

    def __mul__(self, other):
        other = Q6.of(other)
        return Q6(self.p * other.p + 6 * self.q * other.q, self.p * other.q + self.q * other.p)

    __rmul__ = __mul__

    def __eq__(self, other):
        other = Q6.of(other)
        return self.p == other.p and self.q == other.q

    def __bool__(self):
        return bool(self.p) or bool(self.q)

    def __repr__(self):
        return f"{self.p} + {self.q}√6"


def exact(x) -> Fraction:
    """A stored coefficient (Fraction, int or decimal string) as the exact rational it is."""
    return Fraction(x)


def significant_digits(s: str) -> int:
    mantissa = re.sub(r"[eE].*$", "", s.strip().lstrip("+-")).replace(".", "")
    return len(mantissa.lstrip("0"))


SHORT = 20
"""A decimal string with fewer significant digits is a terminating decimal given in full, so
exact: DP8's 0.25, 0.6, 3.7109375e-2 (= 19/512), -1.7578125e-2 (= -9/512); Tsit5's dense 0.1017.
The rounded or truncated ones have 28 digits or more."""


def digits_given(tab, *groups) -> int | None:
    """The fewest significant digits among the rounded decimal strings in ``groups``; None when
    the checks run on exact values (all rationals, or Vern9's exact forms)."""
    if "sqrt6" in tab.extra:
        return None
    ds = [significant_digits(x) for g in groups for x in g if isinstance(x, str)]
    ds = [d for d in ds if d >= SHORT]
    return min(ds) if ds else None


def exact_A(tab):
    if "sqrt6" in tab.extra:
        return [[Q6(p, q) for p, q in row] for row in tab.extra["sqrt6"]["A"]]
    return [[exact(x) for x in row] for row in tab.A]


def exact_c(tab):
    if "sqrt6" in tab.extra:
        return [Q6(p, q) for p, q in tab.extra["sqrt6"]["c"]]
    return [exact(x) for x in tab.c]


def flatten(rows):
    return [x for row in rows for x in row]


# ---------------------------------------------------------------- elementary weights


def elementary_weights(A, p):
    """Φ(t) (one value per stage) for every rooted tree t of order <= p."""
    s = len(A)
    zero = A[1][0] * 0 if s > 1 else Fraction(0)
    phi, a_phi = [], []
    for tree in rooted_trees(p):
        v = [zero + 1] * s
        for k in tree.children:
            v = [x * y for x, y in zip(v, a_phi[k], strict=True)]
        phi.append(v)
        a_phi.append([sum((a * v[j] for j, a in enumerate(A[i]) if a), zero) for i in range(s)])
    return phi


def deepest(tab, p):
    """The order up to which a tableau's weights are computed once (all that its tests need)."""
    return max(p, min(tab.order + 1, SHARPNESS_LIMIT))


@functools.cache
def _weights(tab, p):
    return elementary_weights(exact_A(tab), p)


@functools.cache
def _abs_weights(tab, p):
    return elementary_weights([[abs(exact(x)) for x in row] for row in tab.A], p)


def weights_of(tab, p):
    """Φ(t) for the trees of order <= p, in the order of ``rooted_trees(p)``."""
    return _weights(tab, deepest(tab, p))[:len(rooted_trees(p))]


def abs_weights_of(tab, p):
    """Φ(t) of |A|: with |b| the size of the terms in Σ b_i Φ_i(t) (for decimal tableaus)."""
    return _abs_weights(tab, deepest(tab, p))[:len(rooted_trees(p))]


def residuals(tab, b, p):
    """(tree, Σ_i b_i Φ_i(t) - 1/γ(t)) for the trees of order <= p."""
    for tree, v in zip(rooted_trees(p), weights_of(tab, p), strict=True):
        weighted = sum((bi * x for bi, x in zip(b, v, strict=True) if bi), 0 * v[0])
        yield tree, weighted - Fraction(1, tree.density)


def tolerance(tab, size, tree, digits):
    """The bound ρ(t)·10·10^-D·M(t) for the residual of tree t (module docstring)."""
    if digits is None:
        return 0
    index = rooted_trees(tree.order).index(tree)
    magnitude = sum(w * x for w, x in zip(size, abs_weights_of(tab, tree.order)[index],
                                          strict=True))
    return tree.order * Fraction(10, 10**digits) * magnitude


def assert_order(tab, b, size, order, digits, what):
    for tree, r in residuals(tab, b, order):
        assert abs_or_zero(r) <= tolerance(tab, size, tree, digits), (
            f"{tab.name}: {what} fails the order condition of a tree of order {tree.order} "
            f"(residual {float(abs_or_zero(r)):.3g})"
        )


def assert_order_is_sharp(tab, b, size, order, digits, what):
    worst = max(abs_or_zero(r) - tolerance(tab, size, tree, digits)
                for tree, r in residuals(tab, b, order + 1) if tree.order == order + 1)
    assert worst > 0, f"{tab.name}: {what} satisfies every condition of order {order + 1}"


def abs_or_zero(r):
    """|r| for a rational; for an element of Q(√6), 0 when it is zero and 1 otherwise (Vern9 is
    checked for exact equality only)."""
    return (0 if not r else 1) if isinstance(r, Q6) else abs(r)


def weights(tab):
    return [exact(x) for x in tab.b]


def embedded(tab, btilde):
    return [exact(x) - exact(y) for x, y in zip(tab.b, btilde, strict=True)]


# --------------------------------------------------------------------------- the laws


@pytest.mark.parametrize("tab", ALL, ids=name_of)
def test_shapes_are_consistent(tab):
    assert tab.stages == STAGES[tab.name]
    assert len(tab.A) == len(tab.b) == len(tab.c)
    assert all(len(row) == i for i, row in enumerate(tab.A))
    assert tab.btilde is None or len(tab.btilde) == tab.stages
    assert (tab.btilde is None) == (tab.error_order is None)
    assert (tab.dense is None) == (tab.dense_order is None)
    assert tab.dense is None or (len(tab.dense) == tab.stages
                                 and len({len(row) for row in tab.dense}) == 1)
    assert tab.reference


@pytest.mark.parametrize("tab", ALL, ids=name_of)
def test_coefficients_are_fractions_ints_or_decimal_strings(tab):
    fields = [tab.c, tab.b, *tab.A, tab.btilde or (), *(tab.dense or ())]
    for x in flatten(fields):
        assert isinstance(x, Fraction | int | str), (tab.name, x)
        if isinstance(x, str):  # a decimal that mpmath reads as the same number
            assert re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", x), x
            with mpmath.workdps(150):
                assert abs(mpmath.mpf(x) - mpmath.mpf(exact(x).numerator) / exact(x).denominator
                           ) <= mpmath.mpf(10) ** -140 * abs(mpmath.mpf(x))


@pytest.mark.parametrize("tab", ALL, ids=name_of)
def test_nodes_are_the_row_sums_of_A(tab):
    A, c = exact_A(tab), exact_c(tab)
    digits = digits_given(tab, tab.c, flatten(tab.A))
    for i, (row, ci) in enumerate(zip(A, c, strict=True)):
        r = ci - sum(row, 0 * ci)
        if digits is None or isinstance(r, Q6):
            assert not r, (tab.name, i)
        else:  # c_i and the a_ij each off by a relative 10^(1-D) at most
            size = abs(ci) + sum(abs(a) for a in row)
            assert abs(r) <= Fraction(10, 10**digits) * size, (tab.name, i, float(r))


@pytest.mark.parametrize("tab", ALL, ids=name_of)
def test_weights_satisfy_order_conditions_up_to_declared_order(tab):
    b = weights(tab)
    assert_order(tab, b, [abs(x) for x in b], tab.order, digits_given(tab, tab.b, flatten(tab.A)),
                 "b")


@pytest.mark.parametrize("tab", [t for t in ALL if t.order < SHARPNESS_LIMIT], ids=name_of)
def test_declared_order_is_sharp(tab):
    b = weights(tab)
    assert_order_is_sharp(tab, b, [abs(x) for x in b], tab.order,
                          digits_given(tab, tab.b, flatten(tab.A)), "b")


@pytest.mark.parametrize("tab", ADAPTIVE, ids=name_of)
def test_embedded_weights_satisfy_order_conditions_up_to_error_order(tab):
    bhat = embedded(tab, tab.btilde)
    size = [abs(exact(x)) + abs(exact(y)) for x, y in zip(tab.b, tab.btilde, strict=True)]
    digits = digits_given(tab, tab.b, tab.btilde, flatten(tab.A))
    assert_order(tab, bhat, size, tab.error_order, digits, "bhat = b - btilde")
    assert_order_is_sharp(tab, bhat, size, tab.error_order, digits, "bhat = b - btilde")


def test_dp8_third_order_estimate_has_order_three():
    btilde3 = DP8.extra["btilde3"]
    bhat3 = embedded(DP8, btilde3)
    assert [i for i, x in enumerate(bhat3) if x] == [0, 8, 11]  # bhh1, bhh2, bhh3
    size = [abs(exact(x)) + abs(exact(y)) for x, y in zip(DP8.b, btilde3, strict=True)]
    bhh = ["0.244094488188976377952755905512", "0.733846688281611857341361741547",
           "0.220588235294117647058823529412e-1"]  # dop853.f, as in DP8.extra["btilde3"]
    digits = digits_given(DP8, DP8.b, flatten(DP8.A), bhh)
    assert_order(DP8, bhat3, size, 3, digits, "bhat3")
    assert_order_is_sharp(DP8, bhat3, size, 3, digits, "bhat3")


@pytest.mark.parametrize("tab", [t for t in ALL if t.fsal], ids=name_of)
def test_fsal_last_stage_is_the_new_point(tab):
    b = weights(tab)
    assert exact(tab.c[-1]) == 1
    assert b[-1] == 0
    assert [exact(x) for x in tab.A[-1]] == b[:-1]


@pytest.mark.parametrize("tab", [t for t in ALL if not t.fsal and t.stages > 1], ids=name_of)
def test_methods_not_declared_fsal_are_not(tab):
    # a method whose last stage is f at the new point should say so (it saves an evaluation)
    b = weights(tab)
    assert not (exact(tab.c[-1]) == 1 and b[-1] == 0 and [exact(x) for x in tab.A[-1]] == b[:-1])


# ------------------------------------------------------------------------ dense output

# The dense output of Tsit5 is given by Tsitouras as polynomials with factors of 16 to 21
# significant digits, so its conditions hold only to about 1e-16 (5e-17 observed): the
# tolerance is 10 × 10^-16, 16 being the fewest digits of a factor. DP5's is exact.
DENSE = [DP5, TSIT5]
DENSE_TOLERANCE = {"DP5": 0, "Tsit5": Fraction(10, 10**16)}


@pytest.mark.parametrize("tab", DENSE, ids=name_of)
def test_dense_output_ends_at_the_step_solution(tab):
    for row, bi in zip(tab.dense, tab.b, strict=True):  # b_i(1) = b_i
        assert abs(sum(exact(x) for x in row) - exact(bi)) <= DENSE_TOLERANCE[tab.name]


@pytest.mark.parametrize("tab", DENSE, ids=name_of)
def test_dense_output_satisfies_order_conditions_for_every_theta(tab):
    # Σ_i b_i(θ) Φ_i(t) = θ^ρ(t) / γ(t) as polynomials in θ: coefficient by coefficient
    p = tab.dense_order
    d = [[exact(x) for x in row] for row in tab.dense]
    for tree, v in zip(rooted_trees(p), weights_of(tab, p), strict=True):
        for j in range(len(d[0])):  # the coefficient of θ^(j+1)
            lhs = sum(row[j] * x for row, x in zip(d, v, strict=True))
            rhs = Fraction(1, tree.density) if j + 1 == tree.order else 0
            assert abs(lhs - rhs) <= DENSE_TOLERANCE[tab.name], (tab.name, tree, j + 1)


def polynomial_product(*factors):
    out = [Fraction(1)]
    for f in factors:
        prod = [Fraction(0)] * (len(out) + len(f) - 1)
        for i, x in enumerate(out):
            for j, y in enumerate(f):
                prod[i + j] += x * y
        out = prod
    return out


def test_dp5_dense_output_is_hairers_dopri5_formula():
    # dopri5.f: u(θ) = y0 + θ(Δ + (1-θ)(h f0 - Δ + θ(2Δ - h f0 - h f1 + (1-θ) h Σ d_i k_i)))
    # with Δ = h Σ b_i k_i and f1 = k7 (FSAL); Hairer's d_i:
    d = [Fraction(-12715105075, 11282082432), 0, Fraction(87487479700, 32700410799),
         Fraction(-10690763975, 1880347072), Fraction(701980252875, 199316789632),
         Fraction(-1453857185, 822651844), Fraction(69997945, 29380423)]
    theta, one_minus = [0, 1], [1, -1]
    basis = [polynomial_product(theta), polynomial_product(theta, one_minus),
             polynomial_product(theta, theta, one_minus),
             polynomial_product(theta, theta, one_minus, one_minus)]
    b = weights(DP5)
    for i in range(7):
        first, last = int(i == 0), int(i == 6)
        spline = first - b[i]  # h f0 - Δ
        parts = [b[i], spline, b[i] - last - spline, d[i]]
        poly = [sum(k * p[n] if n < len(p) else 0 for k, p in zip(parts, basis, strict=True))
                for n in range(5)]
        assert poly[0] == 0
        assert [exact(x) for x in DP5.dense[i]] == poly[1:]


def test_tsit5_dense_output_is_the_expansion_of_tsitouras_factored_polynomials():
    D = Fraction

    def lin(r):  # θ - r
        return [-D(r), 1]

    def quad(p, q):  # θ² - pθ + q
        return [D(q), -D(p), 1]

    theta, theta2 = [0, 1], [0, 0, 1]
    factored = [
        polynomial_product([D("-1.0530884977290216")], theta, lin("1.3299890189751412"),
                           quad("1.4364028541716351", "0.7139816917074209")),
        polynomial_product([D("0.1017")], theta2, quad("2.1966568338249754", "1.2949852507374631")),
        polynomial_product([D("2.490627285651252793")], theta2,
                           quad("2.38535645472061657", "1.57803468208092486")),
        polynomial_product([D("-16.54810288924490272")], lin("1.21712927295533244"),
                           lin("0.61620406037800089"), theta2),
        polynomial_product([D("47.37952196281928122")], lin("1.203071208372362603"),
                           lin("0.658047292653547382"), theta2),
        polynomial_product([D("-34.87065786149660974")], lin("1.2"), lin("0.666666666666666667"),
                           theta2),
        polynomial_product([D("2.5")], lin("1"), lin("0.6"), theta2),
    ]
    for row, poly in zip(TSIT5.dense, factored, strict=True):
        assert poly[0] == 0
        assert [exact(x) for x in row] == poly[1:] + [0] * (5 - len(poly))


# ------------------------------------------------------------------ Vern9's decimals


def test_vern9_decimals_are_its_exact_entries_correctly_rounded():
    forms = VERN9.extra["sqrt6"]
    stored = [*VERN9.c, *flatten(VERN9.A)]
    pairs = [*forms["c"], *flatten(forms["A"])]
    irrational = 0
    with mpmath.workdps(VERN9_DIGITS + 40):
        root6 = mpmath.sqrt(6)
        for x, (p, q) in zip(stored, pairs, strict=True):
            if q == 0:
                assert exact(x) == p
                continue
            irrational += 1
            assert isinstance(x, str) and significant_digits(x) == VERN9_DIGITS
            value = mpmath.mpf(p.numerator) / p.denominator + mpmath.mpf(
                q.numerator) / q.denominator * root6
            half_ulp = mpmath.mpf(10) ** (mpmath.floor(mpmath.log10(abs(value))) + 1
                                          - VERN9_DIGITS) / 2
            assert abs(mpmath.mpf(x) - value) <= half_ulp
    assert irrational > 50


def test_vern9_weights_are_rational():
    assert all(isinstance(x, Fraction | int) for x in (*VERN9.b, *VERN9.btilde))


# ------------------------------------------------------------------------- conversion


@pytest.mark.parametrize("tab", ALL, ids=name_of)
def test_fifty_digit_solves_get_fifty_digit_coefficients(tab):
    with mpmath.workdps(50):
        ct = converted(tab, mpmath.mpf)
        pairs = [*zip(ct.b, tab.b, strict=True), *zip(ct.c, tab.c, strict=True),
                 *zip(flatten(ct.A), flatten(tab.A), strict=True)]
        for value, stored in pairs:
            q = exact(stored)
            assert isinstance(value, mpmath.mpf)
            # the reference rounds twice (numerator, quotient): allow a few units in the last bit
            assert abs(value - mpmath.mpf(q.numerator) / q.denominator) <= 4 * mpmath.eps * abs(
                value)
