"""Stiff test problems against published or exact references: HIRES (the IVP test set's
reference solution), a 50-digit linear stiff problem that Rosenbrock methods solve exactly
(mpmath.expm), and Rodas5's order conditions checked in 80-digit arithmetic.

The right-hand sides live in ``stiff_problems.py`` (shared with ``benchmarks/bench_stiff.py``).
Each tolerance states its reason.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np
import pytest
from stiff_problems import HIRES_REFERENCE, PROBLEMS, hires_jac

import generic as g
from generic.ode.methods.rosenbrock_tableaus import RODAS5, RODAS5_PUBLISHED

# ----------------------------------------------------------------------------- HIRES


def _hires_relative_error(alg, rtol, atol):
    f, u0, tspan, p = PROBLEMS["HIRES"]
    sol = g.solve(g.ODEProblem(f, u0, tspan, p), alg, rtol=rtol, atol=atol)
    assert sol.retcode == "Success"
    u = np.asarray(sol.u[-1], dtype=float)
    # y7 + y8 is a linear invariant (y7' = -y8'): Rosenbrock methods keep it to round-off
    assert abs(u[6] + u[7] - 0.0057) < 1e-15
    return np.max(np.abs(u - HIRES_REFERENCE) / HIRES_REFERENCE)


def test_hires_rodas5():
    """HIRES to t = 321.8122 with Rodas5 at rtol 1e-7 (atol 1e-11: the smallest component is
    5.9e-5) against the published reference (Mazzia & Magherini's test set, RADAU5 at
    rtol 1.1e-18 in extended precision; SciPy's Radau at rtol 1e-13 agrees with it to 7e-14):
    every component within 1e-6 relative. Measured 6e-9 (369 steps, ~0.5 s); a global error
    ~10x rtol is normal for a stiff problem, so 1e-6 also leaves room for a different step
    sequence, while a lost order or a wrong stage shows as 1e-4 .. 1."""
    assert _hires_relative_error(g.Rodas5(), 1e-7, 1e-11) < 1e-6


def test_hires_rosenbrock23_user_jacobian():
    """The same with Rosenbrock23 (order 2) and the test set's analytic Jacobian (jac=, and
    tgrad= zero: HIRES is autonomous) at rtol 1e-8, atol 1e-12: within 1e-6 relative (measured
    2.7e-7, 12 900 steps, ~4 s; at rtol 1e-7 it is 1.3e-6, so rtol 1e-8 is what an order-2
    method needs for 1e-6)."""
    alg = g.Rosenbrock23(jac=hires_jac, tgrad=lambda u, p, t: np.zeros(8))
    assert _hires_relative_error(alg, 1e-8, 1e-12) < 1e-6


# ----------------------------------------------------------------------------- 50 digits


def _linear_stiff_problem():
    """u' = A u with A = S diag(J, λ) S⁻¹ (see the test), all in 50-digit mpf."""
    # S = L U with unit triangular integer factors: det S = 1, so S⁻¹ and A are integer
    # matrices and A is exact at any precision
    L = mpmath.matrix([[1, 0, 0, 0], [2, 1, 0, 0], [-1, 1, 1, 0], [0, 3, -1, 1]])
    U = mpmath.matrix([[1, 1, 0, 2], [0, 1, -1, 0], [0, 0, 1, 1], [0, 0, 0, 1]])
    S = L * U
    lam = -mpmath.mpf(10) ** 6
    B = mpmath.matrix([[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, lam]])
    A = S * B * mpmath.inverse(S)
    u0 = mpmath.matrix([1, -1, 2, 1])
    return A, u0


@pytest.mark.parametrize("alg", [g.Rosenbrock23(), g.Rodas5()], ids=["Rosenbrock23", "Rodas5"])
def test_50_digit_rosenbrock_exact_on_linear_stiff_problem(alg):
    """u' = A u, A = S diag(J, λ) S⁻¹ with J the 3×3 nilpotent Jordan block (J³ = 0) and
    λ = -1e6, u(0) = (1, -1, 2, 1), t in [0, 1], 16 fixed steps, in 50-digit mpmath. A Rosenbrock
    step maps u to R(hA) u with R its stability function; R(z) = 1 + z + z²/2 + O(z³) for any
    method of order >= 2, and J³ = 0, so on J's block R(hJ) = I + hJ + h²J²/2 = exp(hJ):
    exact, whatever the step. On λ's block R(hλ) = O(1/(hλ)) (L-stable, R(∞) = 0): after 16
    steps with hλ = -62 500 that mode is below 1e-60, as is exp(λ) = e^-1e6. So in exact
    arithmetic both methods return exp(A) u0; in 50-digit arithmetic they must agree with
    mpmath.expm to 1e-40 relative (measured 1e-43: round-off of ~1e-50 grown by |hλ| and the
    entries of A, ~1e7). This needs the coefficients' order-2 conditions to hold to 1e-40:
    Rosenbrock23's √2 is stored to 67 digits, Rodas5's coefficients to 64 (with the published
    16-digit ones its error is 1e-15)."""
    with mpmath.workdps(50):
        A, u0 = _linear_stiff_problem()
        exact = mpmath.expm(A) * u0  # A is exact; expm at 50 digits
        An = np.array([[A[i, j] for j in range(4)] for i in range(4)], dtype=object)
        prob = g.ODEProblem(lambda u, p, t: An @ u, np.array(list(u0), dtype=object),
                            (mpmath.mpf(0), mpmath.mpf(1)))
        sol = g.solve(prob, alg, dt=mpmath.mpf(1) / 16, adaptive=False)
        assert sol.retcode == "Success"
        assert all(isinstance(x, mpmath.mpf) for x in sol.u[-1])
        scale = max(abs(x) for x in exact)
        error = max(abs(sol.u[-1][i] - exact[i]) for i in range(4)) / scale
        assert error < mpmath.mpf("1e-40"), mpmath.nstr(error, 3)


# ------------------------------------------------------------------ Rodas5's coefficients


def _trees(order: int) -> list:
    """Rooted trees with ``order`` vertices, each a sorted tuple of its subtrees."""
    if order == 1:
        return [()]

    def forests(n, largest):  # multisets of trees with n vertices in all, sizes <= largest
        if n == 0:
            yield ()
            return
        for size in range(min(n, largest), 0, -1):
            for tree in _trees(size):
                for rest in forests(n - size, size):
                    yield tuple(sorted((tree,) + rest))

    return sorted(set(forests(order - 1, order - 1)))


def _density(tree) -> int:
    """t! = |t| times the product of the subtrees' densities."""
    result = 1 + sum(_size(child) for child in tree)
    for child in tree:
        result *= _density(child)
    return result


def _size(tree) -> int:
    return 1 + sum(_size(child) for child in tree)


@lru_cache(maxsize=2)
def _standard_form(tableau_name: str):
    """(α, Γ, b, b̂, c, d) of the tableau, in 80-digit mpf, from its transformed form: Γ⁻¹ =
    I/γ − C, α = A Γ, b = m Γ (m = A's row 6 then 1, 1, 1; b̂ the same with 1, 1, 0)."""
    tableau = {"RODAS5": RODAS5, "RODAS5_PUBLISHED": RODAS5_PUBLISHED}[tableau_name]
    fraction = Fraction(tableau["gamma"])
    s, gamma = 8, mpmath.mpf(fraction.numerator) / fraction.denominator
    a, C = mpmath.zeros(s, s), mpmath.zeros(s, s)
    for i, row in enumerate(tableau["A"]):
        for j, q in enumerate(row):
            a[i, j] = mpmath.mpf(q)
    for j in range(5):  # stages 7 and 8: stage 6's point plus k6 (plus k7)
        a[6, j] = a[7, j] = a[5, j]
    a[6, 5] = a[7, 5] = a[7, 6] = 1
    for i, row in enumerate(tableau["C"]):
        for j, q in enumerate(row):
            C[i, j] = mpmath.mpf(q)
    Gamma = mpmath.inverse(mpmath.eye(s) / gamma - C)
    alpha = a * Gamma
    m = [a[5, j] for j in range(5)]
    b = mpmath.matrix([m + [1, 1, 1]]) * Gamma
    b_hat = mpmath.matrix([m + [1, 1, 0]]) * Gamma
    c = [sum(alpha[i, j] for j in range(s)) for i in range(s)]
    d = [sum(Gamma[i, j] for j in range(s)) for i in range(s)]
    return alpha, Gamma, b, b_hat, c, d


def _order_condition_defects(tableau_name: str) -> tuple[list, list]:
    """|Σ_j b_j Φ_j(t) − 1/t!| over the 17 trees of order <= 5 (b) and the 8 of order <= 4
    (b̂); Hairer & Wanner II, §IV.7: Φ takes α at a vertex with several sons and β = α + Γ
    (diagonal γ included) at a vertex with one son."""
    alpha, Gamma, b, b_hat, _, _ = _standard_form(tableau_name)
    beta, s = alpha + Gamma, 8

    def phi(tree):
        if not tree:
            return mpmath.matrix([1] * s)
        if len(tree) == 1:
            return beta * phi(tree[0])
        result = [mpmath.mpf(1)] * s
        for child in tree:
            w = alpha * phi(child)
            result = [result[i] * w[i] for i in range(s)]
        return mpmath.matrix(result)

    main, embedded = [], []
    for order in range(1, 6):
        for tree in _trees(order):
            p, target = phi(tree), mpmath.mpf(1) / _density(tree)
            main.append(abs(sum(b[0, j] * p[j] for j in range(s)) - target))
            if order <= 4:
                embedded.append(abs(sum(b_hat[0, j] * p[j] for j in range(s)) - target))
    return main, embedded


def test_rodas5_coefficients_satisfy_order_conditions_to_50_digits():
    """Rodas5's stored coefficients (64 digits) satisfy its 17 order conditions of order <= 5
    and the embedded method's 8 of order <= 4 to 1e-55 in 80-digit arithmetic, with nodes
    c_i = Σ_j α_ij equal to the stored c and d_i = Σ_j Γ_ij equal to the stored d (the ∂f/∂t
    weights): all to 1e-55, the rounding of 64-digit decimals with coefficients up to ~300
    leaving 1e-60. The published 16-digit coefficients satisfy the same conditions only to
    ~1e-15 (checked, as the reason for the recomputation), and the stored ones stay within
    1e-14 relative of them (measured 6.8e-15: the closest exact solution, see the tableau's
    docstring), so this is the same method."""
    assert len([t for n in range(1, 6) for t in _trees(n)]) == 17  # 1 + 1 + 2 + 4 + 9
    with mpmath.workdps(80):
        main, embedded = _order_condition_defects("RODAS5")
        assert max(main + embedded) < mpmath.mpf("1e-55")
        _, _, _, _, c, d = _standard_form("RODAS5")
        for i in range(8):
            assert abs(c[i] - mpmath.mpf(RODAS5["c"][i])) < mpmath.mpf("1e-55")
            assert abs(d[i] - mpmath.mpf(RODAS5["d"][i])) < mpmath.mpf("1e-55")
        published_main, published_embedded = _order_condition_defects("RODAS5_PUBLISHED")
        assert mpmath.mpf("1e-17") < max(published_main + published_embedded) < 1e-14
    for key in ("A", "C"):
        for row, published_row in zip(RODAS5[key], RODAS5_PUBLISHED[key], strict=True):
            for q, published in zip(row, published_row, strict=True):
                exact, rounded = Fraction(q), Fraction(published)
                assert abs(exact - rounded) <= Fraction(1, 10**14) * abs(rounded)
