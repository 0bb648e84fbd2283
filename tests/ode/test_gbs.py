"""Gragg–Bulirsch–Stoer extrapolation (``g.GBS``): accuracy, adaptive order, number types.

Every check goes through the public API, ``g.solve`` / ``g.init`` with ``g.GBS()``; the columns
each accepted step used are read from the integrator's controller (``integ.controller.columns``).
Each tolerance states why it is what it is.
"""

from __future__ import annotations

import math
from fractions import Fraction
from statistics import median

import mpmath
import numpy as np
import pytest

import generic as g
from generic.ode.gbs import step_numbers

scipy_integrate = pytest.importorskip("scipy.integrate")


def grow(u, p, t):
    return u


def decay(u, p, t):
    return -p * u


def oscillator(u, p, t):
    return np.array([u[1], -u[0]])


def logistic(u, p, t):  # non-autonomous: the nodes t + i h of the midpoint lines matter too
    return t * u * (1 - u)


def logistic_exact(t):
    return 1 / (1 + math.exp(-t * t / 2))


def lotka_volterra(u, p, t):
    a, b, c, d = p
    x, y = u
    return np.array([a * x - b * x * y, -c * y + d * x * y])


def solve_counting(prob, alg, **options):
    """The solution and the column counts of the accepted steps."""
    integ = g.init(prob, alg, **options)
    sol = integ.solve()
    assert sol.retcode == "Success", sol.message
    return sol, integ.controller.columns


# ------------------------------------------------------------------ high precision


def test_fifty_digits_of_e_in_a_handful_of_steps():
    mpmath.mp.dps = 50
    prob = g.ODEProblem(grow, mpmath.mpf(1), (mpmath.mpf(0), mpmath.mpf(1)))
    sol, columns = solve_counting(prob, g.GBS(), rtol=mpmath.mpf("1e-46"),
                                  atol=mpmath.mpf("1e-48"))
    assert isinstance(sol.u[-1], mpmath.mpf)
    # rtol 1e-46 with e ~ 2.7: the local errors are ~1e-46 each and there are few steps, so the
    # global error stays under 1e-45 (it is about 1e-46); a double-precision constant anywhere
    # (weights, 1/n_j) would leave an error near 1e-17 instead.
    assert abs(sol.u[-1] - mpmath.e) < mpmath.mpf("1e-45")
    # The order adapts: about a dozen columns (order ~ 26), so a few steps do it (5 today; a
    # fixed order-8 method would need hundreds). 40 leaves room for control changes.
    assert sol.stats.naccept + sol.stats.nreject < 40
    assert max(columns) >= 10


def test_fifty_digits_with_the_bulirsch_sequence_and_without_smoothing():
    mpmath.mp.dps = 50
    prob = g.ODEProblem(grow, mpmath.mpf(1), (mpmath.mpf(0), mpmath.mpf(1)))
    for alg in (g.GBS(sequence="bulirsch"), g.GBS(smoothing=False)):
        sol, _ = solve_counting(prob, alg, rtol=mpmath.mpf("1e-46"), atol=mpmath.mpf("1e-48"))
        # as above: the tolerance 1e-46 over a few steps
        assert abs(sol.u[-1] - mpmath.e) < mpmath.mpf("1e-45")
        assert sol.stats.naccept < 40


def test_weights_are_exact_in_the_state_type():
    mpmath.mp.dps = 50
    prob = g.ODEProblem(grow, mpmath.mpf(1), (mpmath.mpf(0), mpmath.mpf(1)))
    integ = g.init(prob, g.GBS())
    ns = integ.alg.ns
    for j in range(1, len(ns)):
        for m in range(j):
            exact = Fraction(ns[j - m - 1] ** 2, ns[j] ** 2 - ns[j - m - 1] ** 2)
            w = integ.cache.weights[j][m]
            # 50 digits: within a few units of the last place (2^-166 relative), not 1e-17
            assert abs(w - mpmath.mpf(exact.numerator) / exact.denominator) <= 1e-49 * abs(w)


def test_step_number_sequences():
    assert step_numbers("harmonic", 6) == (2, 4, 6, 8, 10, 12)
    assert step_numbers("bulirsch", 8) == (2, 4, 6, 8, 12, 16, 24, 32)
    with pytest.raises(ValueError, match="harmonic.*bulirsch"):  # named after whom? both
        step_numbers("deuflhard", 3)
    with pytest.raises(ValueError):
        step_numbers("romberg", 3)


# ------------------------------------------------------------------ float64


@pytest.mark.parametrize("rtol", [1e-5, 1e-8, 1e-11])
def test_float64_error_follows_the_tolerance(rtol):
    prob = g.ODEProblem(logistic, 0.5, (0.0, 3.0))
    sol, _ = solve_counting(prob, g.GBS(), rtol=rtol, atol=rtol)
    error = abs(sol.u[-1] - logistic_exact(3.0))
    # The global error of a local-error control is of the order of the tolerance: measured
    # 0.12–0.56 x rtol here; allow 10x above, and require it not to be absurdly below (< rtol/1e4
    # would mean the control wastes steps or the error estimate is off).
    assert rtol * 1e-4 < error < 10 * rtol


def test_float64_error_decreases_with_rtol_roughly_proportionally():
    prob = g.ODEProblem(oscillator, np.array([1.0, 0.0]), (0.0, 10.0))
    errors = []
    for rtol in (1e-4, 1e-7, 1e-10):
        sol, _ = solve_counting(prob, g.GBS(), rtol=rtol, atol=rtol * 1e-2)
        errors.append(np.max(np.abs(sol.u[-1] - [math.cos(10), -math.sin(10)])))
    # each 1000x tighter tolerance: measured 1050x and 1640x smaller errors; proportional
    # within a factor of 10 either way
    for loose, tight in zip(errors, errors[1:], strict=False):
        assert 100 < loose / tight < 10_000


def test_harmonic_oscillator_against_cos_and_sin():
    prob = g.ODEProblem(oscillator, np.array([1.0, 0.0]), (0.0, 10.0))
    sol, _ = solve_counting(prob, g.GBS(), rtol=1e-10, atol=1e-12)
    exact = np.array([np.cos(sol.t), -np.sin(sol.t)]).T
    # every saved step within 10x rtol of the closed form (over ~1.6 periods the largest error
    # measured is 6e-11)
    assert np.max(np.abs(sol.u - exact)) < 1e-9
    # the energy u0² + u1² = 1 drifts by twice the state's error at most (measured 1.3e-10)
    assert np.max(np.abs(np.sum(sol.u**2, axis=1) - 1)) < 2e-9


def test_lotka_volterra_against_scipy_dop853():
    p = (1.5, 1.0, 3.0, 1.0)
    ts = np.linspace(0, 10, 11)
    reference = scipy_integrate.solve_ivp(lambda t, u: lotka_volterra(u, p, t), (0, 10),
                                          [1.0, 1.0], method="DOP853", rtol=1e-13, atol=1e-13,
                                          t_eval=ts)
    prob = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), p)
    sol = g.solve(prob, g.GBS(), rtol=1e-12, atol=1e-12, tstops=ts[1:-1])
    ours = np.array([sol.u[list(sol.t).index(t)] for t in ts])  # steps land on ts (tstops)
    # DOP853 at 1e-13 is good to ~2e-13 here (it moves by that much at 1e-14); GBS at 1e-12
    # accumulates ~100x its tolerance over the 1.5 predator-prey cycles (measured 9e-11). 1e-9
    # is that with margin, and ~1e4x tighter than a wrong method or a broken control would get.
    assert np.max(np.abs(ours - reference.y.T)) < 1e-9


def test_backward_in_time():
    prob = g.ODEProblem(grow, math.e, (1.0, 0.0))
    sol, _ = solve_counting(prob, g.GBS(), rtol=1e-10, atol=1e-10)
    assert sol.t[0] == 1.0 and sol.t[-1] == 0.0
    assert np.all(np.diff(sol.t) < 0)
    # u(0) = 1 from u(1) = e: two steps at rtol 1e-10 (measured 1.5e-12)
    assert abs(sol.u[-1] - 1) < 1e-9


def test_chosen_order_rises_for_tighter_tolerances():
    prob = g.ODEProblem(oscillator, np.array([1.0, 0.0]), (0.0, 10.0))
    typical = []
    for rtol in (1e-4, 1e-8, 1e-12):
        _, columns = solve_counting(prob, g.GBS(), rtol=rtol, atol=rtol * 1e-2)
        typical.append(median(columns))
    # measured medians 4, 6, 6.5 columns (orders 8, 12, 13), the largest 5, 7, 9
    assert typical[0] < typical[1] < typical[2]


def test_counts_every_evaluation():
    calls = []

    def counted(u, p, t):
        calls.append(t)
        return -u

    sol = g.solve(g.ODEProblem(counted, 1.0, (0.0, 5.0)), g.GBS(), rtol=1e-8, atol=1e-8)
    assert sol.stats.nf == len(calls)


def test_fixed_steps_have_order_two_per_column():
    # adaptive=False: every step builds all max_columns columns, a method of order 2k. Measured
    # on the logistic problem in mpmath at 40 digits (rounding far below the errors, ~1e-20 at
    # the smallest here); each halving of the step must divide the error by 2^(2k) to within
    # 0.3 in the slope (the asymptotic regime is reached only in the limit).
    mpmath.mp.dps = 40
    one = mpmath.mpf(1)
    exact = 1 / (1 + mpmath.exp(-one / 2))
    for k in (2, 3):
        errors = []
        for n in (8, 16, 32):
            sol = g.solve(g.ODEProblem(logistic, one / 2, (0 * one, one)), g.GBS(max_columns=k),
                          dt=one / n, adaptive=False)
            assert len(sol.t) == n + 1
            errors.append(abs(sol.u[-1] - exact))
        slopes = [float(mpmath.log(errors[i] / errors[i + 1], 2)) for i in range(2)]
        assert all(abs(s - 2 * k) < 0.3 for s in slopes), (k, slopes)


# ------------------------------------------------------------------ other number types


def test_dual_numbers_give_the_sensitivity():
    def final(k):
        prob = g.ODEProblem(decay, 1.0, (0.0, 1.0), k)
        return g.solve(prob, g.GBS(), rtol=1e-12, atol=1e-12).u[-1]

    for k in (0.5, 2.0):
        # d/dk e^{-k t} at t = 1 is -e^{-k}; the duals' partials enter the error norm, so they
        # are controlled like the values (measured 4e-15 at rtol 1e-12)
        assert abs(g.derivative(final, k) + math.exp(-k)) < 1e-10


def test_measurements_propagate_uncertainty():
    prob = g.ODEProblem(decay, g.measurement(1.0, 0.1), (0.0, 1.0), 1.0)
    u1 = g.solve(prob, g.GBS(), rtol=1e-10, atol=1e-10).u[-1]
    # value e^-1 and linear uncertainty 0.1 e^-1, both to the tolerance
    assert abs(g.value(u1) - math.exp(-1)) < 1e-9
    assert abs(g.uncertainty(u1) - 0.1 * math.exp(-1)) < 1e-9


def test_float32_stays_float32():
    u0 = np.array([1.0, 0.0], dtype=np.float32)
    prob = g.ODEProblem(lambda u, p, t: np.array([u[1], -u[0]], dtype=np.float32), u0,
                        (0.0, 1.0))
    with np.errstate(over="ignore"):  # float32 norm guard (not GBS's), see generic.functions
        sol = g.solve(prob, g.GBS(), rtol=1e-5, atol=1e-5)
    assert sol.u.dtype == np.float32
    # rtol 1e-5 at float32's 1.2e-7 resolution (measured 9e-7)
    assert np.max(np.abs(sol.u[-1] - [math.cos(1), -math.sin(1)])) < 1e-4


def test_object_array_of_mpf():
    mpmath.mp.dps = 30
    u0 = np.array([mpmath.mpf(1), mpmath.mpf(0)], dtype=object)
    prob = g.ODEProblem(lambda u, p, t: np.array([u[1], -u[0]], dtype=object), u0,
                        (mpmath.mpf(0), mpmath.mpf(1)))
    sol = g.solve(prob, g.GBS(), rtol=mpmath.mpf("1e-27"), atol=mpmath.mpf("1e-27"))
    exact = [mpmath.cos(1), -mpmath.sin(1)]
    # tolerance 1e-27 over three steps (measured 2e-29)
    assert max(abs(a - b) for a, b in zip(sol.u[-1], exact, strict=True)) < mpmath.mpf("1e-26")


def test_rejects_a_bad_column_count():
    with pytest.raises(ValueError):
        g.GBS(max_columns=0)
    with pytest.raises(ValueError):  # adaptive needs a column beyond the chosen one
        g.solve(g.ODEProblem(grow, 1.0, (0.0, 1.0)), g.GBS(max_columns=2))


def test_mildly_stiff_problem_is_solved_with_rejections():
    # u' = -λ(u - cos t), u(0) = 0: the step is bounded by stability (|hλ| of order 1), so
    # tries get rejected (by the error estimate and ODEX's stability check) and must recover
    lam = 500.0
    prob = g.ODEProblem(lambda u, p, t: -p * (u - math.cos(t)), 0.0, (0.0, 2.0), lam)
    sol = g.solve(prob, g.GBS(), rtol=1e-6, atol=1e-6)
    assert sol.retcode == "Success"
    assert sol.stats.nreject > 0
    exact = (lam**2 * math.cos(2) + lam * math.sin(2)) / (lam**2 + 1)  # + a dead transient
    # 10x the tolerance 1e-6 for the global accumulation over ~200 steps (measured 6e-7)
    assert abs(sol.u[-1] - exact) < 1e-5
