"""KenCarp4's two tableaus satisfy the order conditions of an additive Runge–Kutta method.

The independent check of the transcription, in exact rational arithmetic. For an additive
method with shared weights b, the order conditions are Butcher's, over rooted trees whose
non-root vertices are each coloured explicit or implicit: Σ_i b_i Φ_i(t) = 1/γ(t), where a
vertex's children contribute (A^colour Φ(child)) (Kennedy & Carpenter 2003, §2; Hairer, Nørsett &
Wanner, Solving ODEs I, §II.15). Kennedy & Carpenter's coefficients are rationals that satisfy
the conditions to about 3e-26, not exactly (SUNDIALS marks the pair as not exact to quad
precision), so that is the tolerance: a wrong digit in any coefficient breaks it by far more.

The ESDIRK part is also checked to be L-stable: R(z) = 1 + z bᵀ (I - zA)⁻¹ 1 tends to 0.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from generic.ode.methods.kencarp import KENCARP4_EXPLICIT, KENCARP4_IMPLICIT

RESIDUAL = Fraction(1, 10**25)  # the paper's rationals meet the conditions to 3e-26


def full_matrix(tab, diagonal=0):
    s = len(tab.c)
    A = [[Fraction(0)] * s for _ in range(s)]
    for i, row in enumerate(tab.A):
        for j, a in enumerate(row):
            A[i][j] = Fraction(a)
        if i > 0:
            A[i][i] = Fraction(diagonal)
    return A


GAMMA = Fraction(KENCARP4_IMPLICIT.extra["gamma"][0])
A_E = full_matrix(KENCARP4_EXPLICIT)
A_I = full_matrix(KENCARP4_IMPLICIT, GAMMA)
S = len(KENCARP4_EXPLICIT.c)


def rooted_trees(n: int) -> list[tuple]:
    """Unordered rooted trees with n vertices, each a sorted tuple of its children."""
    if n == 1:
        return [()]
    trees = set()

    def forests(remaining: int, smallest: tuple):
        if remaining == 0:
            yield ()
            return
        for size in range(1, remaining + 1):
            for tree in rooted_trees(size):
                key = (size, tree)
                if key >= smallest:
                    for rest in forests(remaining - size, key):
                        yield (key, *rest)

    for forest in forests(n - 1, (0, ())):
        trees.add(tuple(tree for _, tree in forest))
    return sorted(trees)


def size(tree) -> int:
    return 1 + sum(size(child) for child in tree)


def density(tree) -> int:
    result = size(tree)
    for child in tree:
        result *= density(child)
    return result


def elementary_weights(tree, colours) -> list:
    """Φ_i(tree), the children's matrices taken from the iterator ``colours`` depth first."""
    phi = [Fraction(1)] * S
    for child in tree:
        A = next(colours)
        inner = elementary_weights(child, colours)
        phi = [phi[i] * sum(A[i][j] * inner[j] for j in range(S)) for i in range(S)]
    return phi


def worst_residual(weights, order: int) -> Fraction:
    worst = Fraction(0)
    for n in range(1, order + 1):
        for tree in rooted_trees(n):
            for colours in itertools.product((A_E, A_I), repeat=n - 1):
                phi = elementary_weights(tree, iter(colours))
                weighted = sum(b * p for b, p in zip(weights, phi, strict=True))
                residual = weighted - Fraction(1, density(tree))
                worst = max(worst, abs(residual))
    return worst


def test_tree_counts_are_butchers():
    assert [len(rooted_trees(n)) for n in range(1, 6)] == [1, 1, 2, 4, 9]


B = [Fraction(x) for x in KENCARP4_EXPLICIT.b]
BHAT = [b - Fraction(e) for b, e in zip(B, KENCARP4_EXPLICIT.btilde, strict=True)]


@pytest.mark.parametrize("weights, order", [(B, 4), (BHAT, 3)], ids=["b order 4",
                                                                     "bhat order 3"])
def test_kencarp4_meets_the_additive_order_conditions(weights, order):
    assert worst_residual(weights, order) < RESIDUAL


def test_kencarp4_orders_are_sharp():
    """One order more fails by far: the declared orders are the real ones."""
    assert worst_residual(B, 5) > Fraction(1, 1000)
    assert worst_residual(BHAT, 4) > Fraction(1, 1000)


def test_both_parts_share_c_b_and_the_implicit_part_is_stiffly_accurate():
    assert KENCARP4_EXPLICIT.c == KENCARP4_IMPLICIT.c and B == list(KENCARP4_IMPLICIT.b)
    assert A_I[-1] == B
    for A in (A_E, A_I):
        for row, c in zip(A, KENCARP4_EXPLICIT.c, strict=True):
            assert abs(sum(row) - Fraction(c)) < RESIDUAL


def stability_function(z: Fraction) -> Fraction:
    """R(z) = 1 + z bᵀ (I - z A_I)⁻¹ 1, by forward substitution (A_I is lower triangular)."""
    y = []
    for i in range(S):
        rhs = 1 + z * sum(A_I[i][j] * y[j] for j in range(i))
        y.append(rhs / (1 - z * A_I[i][i]))
    return 1 + z * sum(b * yi for b, yi in zip(B, y, strict=True))


def test_the_implicit_part_is_l_stable():
    assert abs(stability_function(Fraction(-10**12))) < Fraction(1, 10**10)
    assert all(abs(stability_function(Fraction(-x))) <= 1 for x in (1, 10, 100, 10**4))
