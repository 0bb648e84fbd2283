"""Delay equations against exact piecewise polynomials: y' = -a y(t - τ), y = 1 for t <= 0."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dde_references import delayed_decay, delayed_decay_mp, pieces_0_3
from hypothesis import given, settings
from hypothesis import strategies as st

import generic as g

T_DENSE = np.linspace(0.0, 3.0, 301)  # steps land on 0, 1, 2, 3: most of these are between steps


def decay_problem(tf=3.0, u0=1.0, history=1.0, a=None, tau=1.0):
    if a is None:
        return g.DDEProblem(lambda u, h, p, t: -h(p, t - tau), u0, history, (0.0, tf),
                            lags=[tau])
    return g.DDEProblem(lambda u, h, p, t: -p * h(p, t - tau), u0, history, (0.0, tf), p=a,
                        lags=[tau])


def test_the_general_formula_is_the_pieces_derived_by_hand():
    """The reference the other tests use (the sum over k) is the three pieces of [0, 3]."""
    for t in T_DENSE:
        assert abs(delayed_decay(t) - pieces_0_3(t)) < 1e-14


@pytest.mark.parametrize("alg, options", [
    (g.Tsit5(), {}), (g.DP5(), {}), (g.BS3(), {}), (g.Vern7(), {}), (g.Vern9(), {}),
    (g.DP8(), {}), (g.RK4(), {"dt": 0.1}), (g.Heun(), {"dt": 0.05, "adaptive": False}),
])
def test_exact_piecewise_polynomials_on_0_3(alg, options):
    """On [0, 3] the solution is a polynomial of degree <= 3 on each unit interval and the steps
    land on 1 and 2, so each step integrates a polynomial in t of degree <= 2: exact for every
    method of order >= 3, and for Heun (order 2) up to its O(dt^3) error on [2, 3]; the dense
    output (the methods' own, or cubic Hermite) reproduces cubics. What is left is rounding
    (~1e-15): 1e-12 would catch a history read one step off or a missed discontinuity (O(1e-3))."""
    sol = g.solve(decay_problem(), alg, rtol=1e-8, atol=1e-10, **options)
    assert sol.retcode == "Success"
    error = max(abs(sol(t) - pieces_0_3(t)) for t in T_DENSE)
    nodes = max(abs(u - pieces_0_3(t)) for t, u in zip(sol.t, sol.u, strict=True))
    bound = 5e-4 if alg.order < 3 else 1e-12  # Heun: its error dt^2 |y'''| / 12 = 2e-4
    assert error < bound and nodes < bound


def test_steps_land_exactly_on_the_discontinuities():
    """y' jumps at 0, y'' at 1, y''' at 2: the solver steps onto t = 1 and t = 2 exactly."""
    sol = g.solve(decay_problem(), g.Tsit5(), rtol=1e-6, atol=1e-8)
    assert 1.0 in sol.t.tolist() and 2.0 in sol.t.tolist() and sol.t[-1] == 3.0


@pytest.mark.parametrize("alg", [g.Tsit5(), g.DP5(), g.BS3()], ids=repr)
def test_errors_shrink_with_the_tolerance(alg):
    """On [0, 10] the pieces reach degree 11, so the methods are no longer exact: the error
    (at 1001 dense points, against the exact sum in 40 digits) falls with the tolerance.
    Measured with Tsit5: 8.6e-5, 2.8e-6, 4.3e-8 at 1e-4, 1e-6, 1e-8; the bounds (50 × tol, and
    a fall of 10× per 100× in tol) leave margin for every method and catch a history that
    caps the accuracy (a low-order or misplaced interpolant stalls the error)."""
    prob = decay_problem(tf=10.0)
    ts = np.linspace(0.0, 10.0, 1001)
    reference = np.array([delayed_decay_mp(t) for t in ts])
    errors = []
    for tol in (1e-4, 1e-6, 1e-8):
        sol = g.solve(prob, alg, rtol=tol, atol=tol)
        errors.append(float(np.max(np.abs(sol(ts) - reference))))
        assert errors[-1] < 50 * tol
    assert errors[1] < errors[0] / 10 and errors[2] < errors[1] / 10


def test_a_jump_at_t0_is_a_restart_one_lag_later():
    """u0 = 2 while the history is 1: y = 2 - t on [0, 1], then y' = -(2 - (t - 1)), so
    y = -1 + (t - 3)^2 / 2 on [1, 2]. The step from t = 1 must start from f with the right
    limit y(0+) = 2 (reading the left limit 1 gives errors ~1e-7 here and many rejections)."""
    sol = g.solve(decay_problem(tf=2.0, u0=2.0), g.Tsit5(), rtol=1e-8, atol=1e-10)
    ts = np.linspace(0.0, 2.0, 201)
    exact = np.where(ts <= 1, 2 - ts, -1 + (ts - 3) ** 2 / 2)
    assert np.max(np.abs(sol(ts) - exact)) < 1e-12
    assert sol.stats.nreject == 0


def test_a_history_function_is_read_before_t0():
    """History cos(t): on [0, 1], y = 1 - ∫_0^t cos(s - 1) ds = 1 - sin(t - 1) - sin(1)
    (Tsit5 at 1e-10: error ~1e-11; 1e-9 leaves margin)."""
    prob = g.DDEProblem(lambda u, h, p, t: -h(p, t - 1), 1.0, lambda p, t: g.cos(t), (0.0, 1.0),
                        lags=[1.0])
    sol = g.solve(prob, g.Tsit5(), rtol=1e-10, atol=1e-10)
    ts = np.linspace(0.0, 1.0, 101)
    assert np.max(np.abs(sol(ts) - (1 - np.sin(ts - 1) - math.sin(1)))) < 1e-9


def test_steps_longer_than_the_lag_are_iterated_to_a_fixed_point():
    """With τ = 0.1 on [0, 20] the adaptive steps grow far past the lag once the
    discontinuities have smoothed out; iterating those steps keeps the error at the level of
    the tolerance (measured 7e-9 at rtol 1e-7: the Tsit5 dense output on the short steps near
    t = 0), the same as a solve held to steps <= τ, with a fraction of the f evaluations."""
    prob = decay_problem(tf=20.0, tau=0.1)
    ts = np.linspace(0.0, 20.0, 401)
    reference = np.array([delayed_decay_mp(t, tau=0.1) for t in ts])
    long_steps = g.solve(prob, g.Tsit5(), rtol=1e-7, atol=1e-9)
    short_steps = g.solve(prob, g.Tsit5(), rtol=1e-7, atol=1e-9, dtmax=0.1)
    assert np.max(np.diff(long_steps.t)) > 10 * 0.1
    assert np.max(np.abs(long_steps(ts) - reference)) < 1e-7
    assert np.max(np.abs(short_steps(ts) - reference)) < 1e-7
    assert long_steps.stats.nf < short_steps.stats.nf


@settings(max_examples=15, deadline=None)
@given(a=st.floats(0.2, 2.0), tau=st.floats(0.3, 1.5), t=st.floats(0.0, 3.0))
def test_solution_matches_the_exact_sum_for_any_rate_and_lag(a, tau, t):
    """y' = -a y(t - τ): Tsit5 at 1e-10 against the exact sum (errors measured < 1e-9 for these
    a, τ on [0, 3]; 1e-8 is the bound)."""
    sol = g.solve(decay_problem(a=a, tau=tau), g.Tsit5(), rtol=1e-10, atol=1e-10)
    assert abs(sol(t) - delayed_decay_mp(t, a, tau)) < 1e-8


def test_saveat_and_dense_false():
    """saveat gives those times (values from the dense output); no dense output is returned
    unless asked, though the solve used it as its history."""
    sol = g.solve(decay_problem(), g.Tsit5(), saveat=0.25)
    assert np.allclose(sol.t, np.arange(13) * 0.25)
    assert np.max(np.abs(sol.u - [pieces_0_3(t) for t in sol.t])) < 1e-12
    with pytest.raises(ValueError, match="dense output"):
        sol(0.3)


@pytest.mark.parametrize("alg", [g.Vern9(), g.Vern7()], ids=repr)
def test_methods_without_dense_output_keep_their_order_through_the_history(alg):
    """Vern7/Vern9 have no dense output of their own; read through cubic Hermite their history
    would hold the error near 2e-7 on τ = 0.1 whatever the tolerance. The multi-step Hermite
    history (degree >= the order) lets rtol 1e-11 give ~3e-12 (measured); bound 1e-10."""
    prob = decay_problem(tf=20.0, tau=0.1)
    ts = np.linspace(0.0, 20.0, 201)
    reference = np.array([delayed_decay_mp(t, tau=0.1) for t in ts])
    sol = g.solve(prob, alg, rtol=1e-11, atol=1e-13)
    assert np.max(np.abs(sol(ts) - reference)) < 1e-10
