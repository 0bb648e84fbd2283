"""Callbacks: events located on the solution, their times differentiated, the solve changed.

The bouncing ball is the reference problem: u = (height, velocity), u'' = -g, dropped from h,
bouncing with restitution e when the height crosses zero downwards. Its impact times are known
in closed form, t_1 = sqrt(2h/g) and t_{k+1} = t_k + 2 e^k t_1, and so are their derivatives
with respect to h: d t_k / dh = (t_k / t_1) / sqrt(2 g h). Every method with an error estimate
solves the ball's quadratic motion exactly (to rounding), so event times are compared to
rounding, and their derivatives (dual numbers through ``g.solve``, with the Newton step in the
problem's type that carries them, see ``generic/ode/callbacks.py``) likewise.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import generic as g

GRAVITY = 9.81
METHODS = [g.Tsit5(), g.DP5(), g.BS3(), g.Vern9(), g.DP8(), g.RK4()]


def fall(u, p, t):
    """(h, v)' = (v, -g), written so that dual or mpmath states keep their type."""
    return u[::-1] * np.array([1.0, 0.0]) - np.array([0.0, p])


def height(u, t, integ):
    return u[0]


def impacts(h, n=1, e=0.9, alg=None, record=None, **options):
    """The first n impact times of a ball dropped from h (a float or a dual)."""
    alg = alg or g.Tsit5()
    times = []

    def bounce(integ):
        times.append(integ.t)
        if record is not None:
            record.append((integ.t, integ.u.copy()))
        if len(times) == n:
            integ.terminate()
        else:
            integ.u = integ.u * np.array([1.0, -e])

    if not alg.adaptive:
        options.setdefault("dt", 0.01)
    cb = g.ContinuousCallback(height, None, affect_neg=bounce)
    prob = g.ODEProblem(fall, h * np.array([1.0, 0.0]), (0.0, 100.0), GRAVITY)
    sol = g.solve(prob, alg, callback=cb, **options)
    return np.array(times), sol


def exact_impacts(h, n, e=0.9):
    t1 = math.sqrt(2 * h / GRAVITY)
    return t1 * np.array([1 + 2 * sum(e**j for j in range(1, k + 1)) for k in range(n)])


# ----------------------------------------------------------------- the bouncing ball


def test_first_impact_time_is_sqrt_2h_over_g():
    """Tsit5 integrates a quadratic exactly; the event time is found to rounding (1e-14 of
    t ~ 0.6: Tsit5's interpolant holds ~16 digits)."""
    times, sol = impacts(2.0)
    assert sol.retcode == "Terminated"
    assert abs(times[0] - math.sqrt(2 * 2.0 / GRAVITY)) < 1e-14
    assert sol.t[-1] == times[0]
    assert abs(sol.u[-1][0]) < 1e-13  # on the floor


def test_derivative_of_the_impact_time_through_solve_is_1_over_sqrt_2gh():
    """d t_1 / dh = 1 / sqrt(2 g h), by dual numbers through g.solve and the event location.
    The float event time is found on floats; the Newton step in the dual type gives it the
    implicit function theorem's derivative. To 1e-10 (measured: rounding, 1e-16)."""
    for h in (0.5, 2.0, 10.0):
        dt_dh = g.derivative(lambda h: impacts(h)[0][0], h)
        assert abs(dt_dh - 1 / math.sqrt(2 * GRAVITY * h)) < 1e-10


@pytest.mark.parametrize("alg", METHODS, ids=lambda a: a.name)
def test_several_bounces_and_their_derivatives(alg):
    """Five impacts at t_1 (1 + 2e + 2e² + ...) and their derivatives with respect to h, for
    every method (fixed steps for RK4). The ball's motion is a quadratic: every method here
    integrates it exactly, so the times agree to rounding, accumulated over five bounces
    (1e-12 of t ~ 3)."""
    h = 2.0
    times, sol = impacts(h, n=5, alg=alg)
    assert sol.retcode == "Terminated"
    np.testing.assert_allclose(times, exact_impacts(h, 5), rtol=0, atol=1e-12)
    derivatives = g.derivative(lambda h: impacts(h, n=5, alg=alg)[0], h)
    expected = exact_impacts(h, 5) / exact_impacts(h, 1)[0] / math.sqrt(2 * GRAVITY * h)
    np.testing.assert_allclose(derivatives, expected, rtol=0, atol=1e-10)


def test_many_bounces_are_all_found():
    """A step whose error estimate is 0 grows tenfold per step: after a bounce the next step
    must not jump over the next flight. Twenty bounces, each found."""
    times, sol = impacts(1.0, n=20, e=0.8)
    assert sol.retcode == "Terminated" and len(times) == 20
    np.testing.assert_allclose(times, exact_impacts(1.0, 20, e=0.8), rtol=0, atol=1e-11)


def test_velocity_is_reversed_and_the_solution_continues_from_the_affected_state():
    """Saved before and after each bounce (save_positions): the velocity flips and shrinks by
    e; between bounces sol(t) follows the parabola from the new state."""
    record = []
    times, sol = impacts(2.0, n=3, record=record)
    t1, t2 = times[0], times[1]
    i = int(np.flatnonzero(sol.t == t1)[0])
    assert sol.t[i + 1] == t1  # saved twice: before and after the affect
    v_before, v_after = sol.u[i][1], sol.u[i + 1][1]
    assert v_before < 0 and abs(v_after + 0.9 * v_before) < 1e-12
    for t in np.linspace(t1, t2, 7)[1:-1]:
        expected = v_after * (t - t1) - GRAVITY / 2 * (t - t1) ** 2
        assert abs(sol(t)[0] - expected) < 1e-12  # a parabola, interpolated exactly


@pytest.mark.parametrize("alg", [g.DP5(), g.Vern9()], ids=lambda a: a.name)
def test_event_time_in_mpmath_is_exact_to_working_precision(alg):
    """At 30 digits the impact time is sqrt(2h/g) to ~1e-30: the root is bracketed on floats
    (1e-16), and one Newton step in mpmath squares that error. (Methods with rational dense
    output or Hermite interpolation; Tsit5's interpolant has ~17-digit coefficients.)"""
    with mpmath.workdps(30):
        grav, h = mpmath.mpf("9.81"), mpmath.mpf(2)
        times = []

        def land(integ):
            times.append(integ.t)
            integ.terminate()

        prob = g.ODEProblem(lambda u, p, t: np.array([u[1], -p + 0 * u[1]], dtype=object),
                            np.array([h, mpmath.mpf(0)], dtype=object),
                            (mpmath.mpf(0), mpmath.mpf(10)), grav)
        g.solve(prob, alg, callback=g.ContinuousCallback(height, None, affect_neg=land))
        assert isinstance(times[0], mpmath.mpf)
        assert abs(times[0] - mpmath.sqrt(2 * h / grav)) < mpmath.mpf("1e-28")


def test_event_time_derivative_on_a_nonlinear_problem():
    """u' = -u from u0: u = 1/2 at t* = ln(2 u0), so dt*/du0 = 1/u0. Through Tsit5 at
    rtol 1e-10 (an interpolated, not exact, solution): the derivative is right to the solver's
    accuracy, ~1e-10 (a dropped derivative, as in OrdinaryDiffEq.jl issue #4388, gives 0)."""
    def event_time(u0):
        found = []
        cb = g.ContinuousCallback(lambda u, t, integ: u - 0.5, None,
                                  affect_neg=lambda integ: (found.append(integ.t),
                                                            integ.terminate()))
        g.solve(g.ODEProblem(lambda u, p, t: -u, u0, (0.0, 5.0)), g.Tsit5(), rtol=1e-10,
                atol=1e-12, callback=cb)
        return found[0]

    for u0 in (1.0, 3.0):
        assert abs(event_time(u0) - math.log(2 * u0)) < 1e-9
        assert abs(g.derivative(event_time, u0) - 1 / u0) < 1e-8


@pytest.mark.parametrize("alg", [g.Vern7(), g.Vern9(), g.DP8(), g.Tsit5()],
                         ids=lambda a: a.name)
def test_event_time_has_the_accuracy_of_the_method_not_of_its_interpolant(alg):
    """u' = u from 1 reaches 2 at t = ln 2. Vern7/Vern9/DP8 interpolate with cubic Hermite
    (O(h^4): ~1e-6 on their long steps at rtol 1e-10), yet the event lands on the method's
    own solution (Newton steps with the method's step to the event), so t* is as accurate as
    the solve: ~1e-10 at rtol 1e-10 (the tolerance: 1e-9)."""
    fired = []
    cb = g.ContinuousCallback(lambda u, t, i: u - 2.0,
                              lambda i: (fired.append((i.t, i.u)), i.terminate()))
    g.solve(g.ODEProblem(lambda u, p, t: u, 1.0, (0.0, 2.0)), alg, rtol=1e-10, atol=1e-12,
            callback=cb)
    t_event, u_event = fired[0]
    assert abs(t_event - math.log(2)) < 1e-9
    assert abs(u_event - 2.0) < 1e-9


def test_derivative_of_an_event_time_with_respect_to_a_threshold():
    """Only the condition carries the dual (u = c, c a dual; the state is float): the event
    time t* = ln(1/c) of u' = -u, u0 = 1 gets d t*/dc = -1/c, and the state after the event
    (reset to 1 there) carries it on: u(1) = e^-(1 - t*) = 1/(e c), du(1)/dc = -1/(e c²).
    Tsit5 at rtol 1e-10: to 1e-9."""
    def solve(c):
        found = []

        def reset(integ):
            found.append(integ.t)
            integ.u = integ.u * 0 + 1.0

        cb = g.ContinuousCallback(lambda u, t, integ: u[0] - c, None, affect_neg=reset)
        sol = g.solve(g.ODEProblem(lambda u, p, t: -u, np.array([1.0]), (0.0, 1.0)), g.Tsit5(),
                      rtol=1e-10, atol=1e-12, callback=cb)
        return found[0], sol.u[-1][0]

    c = 0.5
    assert abs(g.derivative(lambda c: solve(c)[0], c) + 1 / c) < 1e-9
    assert abs(g.derivative(lambda c: solve(c)[1], c) + 1 / (math.e * c * c)) < 1e-9


# ----------------------------------------------------------------- crossing directions


def crossings(affect_up, affect_down, tspan=(0.0, 10.0)):
    """u = sin t (as u' = cos t), condition u: down at π, 3π; up at 2π."""
    prob = g.ODEProblem(lambda u, p, t: np.array([math.cos(t)]), np.array([0.0]), tspan)
    cb = g.ContinuousCallback(lambda u, t, integ: u[0], affect_up, affect_neg=affect_down)
    return g.solve(prob, g.Tsit5(), rtol=1e-10, atol=1e-12, callback=cb)


def test_affect_runs_at_upward_and_affect_neg_at_downward_crossings():
    up, down = [], []
    crossings(lambda i: up.append(i.t), lambda i: down.append(i.t))
    # event times to the solver's accuracy (rtol 1e-10: ~1e-10 in t near a simple zero)
    np.testing.assert_allclose(up, [2 * math.pi], atol=1e-9)
    np.testing.assert_allclose(down, [math.pi, 3 * math.pi], atol=1e-9)


def test_affect_neg_defaults_to_affect_and_none_ignores_a_direction():
    both = []
    cb = g.ContinuousCallback(lambda u, t, integ: u[0], lambda i: both.append(i.t))
    g.solve(g.ODEProblem(lambda u, p, t: np.array([math.cos(t)]), np.array([0.0]),
                         (0.0, 10.0)), g.Tsit5(), callback=cb)
    assert len(both) == 3
    up = []
    crossings(lambda i: up.append(i.t), None)
    assert len(up) == 1
    down = []
    crossings(None, lambda i: down.append(i.t))
    assert len(down) == 2


def test_the_earliest_of_several_events_fires_first():
    """Two conditions crossed in one step: heights 1.5 and 1.0 of a ball dropped from 2;
    each fires at its own time, the earlier first."""
    order = []
    cbs = g.CallbackSet(
        g.ContinuousCallback(lambda u, t, i: u[0] - 1.0, None,
                             affect_neg=lambda i: order.append(("1.0", i.t))),
        g.ContinuousCallback(lambda u, t, i: u[0] - 1.5, None,
                             affect_neg=lambda i: order.append(("1.5", i.t))),
    )
    prob = g.ODEProblem(fall, np.array([2.0, 0.0]), (0.0, 0.6), GRAVITY)
    g.solve(prob, g.Tsit5(), callback=cbs, dt=0.6)  # one first step over both
    assert [name for name, _ in order] == ["1.5", "1.0"]
    assert abs(order[0][1] - math.sqrt(2 * 0.5 / GRAVITY)) < 1e-13
    assert abs(order[1][1] - math.sqrt(2 * 1.0 / GRAVITY)) < 1e-13


def _lotka_volterra_counting(u, p, t):
    return np.array([p[0] * u[0] - p[1] * u[0] * u[1], -p[2] * u[1] + p[3] * u[0] * u[1]])


def _x_is_two(u, t, integ):
    return u[0] - 2.0


def _x_is_two_scaled(u, t, integ):
    return 3.0 * u[0] - 6.0  # the same zero, another rounding


def _count_up(integ):
    integ.p[4] += 1.0


def _count_down(integ):
    integ.p[5] += 1.0


@pytest.mark.parametrize("compile", [False, True], ids=["generic", "compiled"])
@pytest.mark.parametrize("second", [_x_is_two, _x_is_two_scaled], ids=["same", "scaled"])
def test_two_callbacks_with_one_zero_each_fire_once_there(compile, second):
    """x of Lotka–Volterra crosses 2 six times in [0, 10] (up at 0.73, down at 2.53, ...: the
    crossings of a fine dense-output scan). One callback counts both directions, the other
    only the downward ones of the same zero: 6 and 3, with no crossing lost because the
    other callback landed on it first and none found again at the other's landing point
    (which ping-ponged to MaxIters before)."""
    p = np.array([1.5, 1.0, 3.0, 1.0, 0.0, 0.0])
    prob = g.ODEProblem(_lotka_volterra_counting, np.array([1.0, 1.0]), (0.0, 10.0), p)
    callbacks = [g.ContinuousCallback(_x_is_two, _count_up, _count_up),
                 g.ContinuousCallback(second, None, _count_down)]
    sol = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8, callback=callbacks, compile=compile)
    assert sol.retcode == "Success"
    assert (p[4], p[5]) == (6.0, 3.0)


def test_a_condition_on_time_fires_at_that_time():
    fired = []
    cb = g.ContinuousCallback(lambda u, t, i: t - 1.2345, lambda i: fired.append(i.t))
    g.solve(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 3.0)), g.Tsit5(), callback=cb)
    assert fired == [pytest.approx(1.2345, abs=1e-14)]  # dc/dt = 1: Newton is exact


def test_affect_may_change_parameters():
    """u' = p u with p = 1 until u = 2, then p = -1: u = e^t up to t = ln 2, then
    2 e^-(t - ln 2). rtol 1e-10: the end value to 1e-9."""
    def switch(integ):
        integ.p = -1.0

    cb = g.ContinuousCallback(lambda u, t, i: u - 2.0, switch, affect_neg=None)
    sol = g.solve(g.ODEProblem(lambda u, p, t: p * u, 1.0, (0.0, 2.0), 1.0), g.Vern9(),
                  rtol=1e-10, atol=1e-12, callback=cb)
    assert abs(sol.u[-1] - 2 * math.exp(-(2 - math.log(2)))) < 1e-9


# ----------------------------------------------------------------- discrete callbacks


def test_discrete_callback_doses_at_stops():
    """A dose of 1 at t = 1, 2, 3 into u' = -u (u0 = 1), with the dose times as tstops so
    the steps land on them: u(4) = e^-4 + e^-3 + e^-2 + e^-1. rtol 1e-10: to 1e-9."""
    doses = [1.0, 2.0, 3.0]

    def dose(integ):
        integ.u = integ.u + 1.0

    cb = g.DiscreteCallback(lambda u, t, integ: t in doses, dose)
    sol = g.solve(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 4.0)), g.Tsit5(), rtol=1e-10,
                  atol=1e-12, tstops=doses, callback=cb)
    assert abs(sol.u[-1] - sum(math.exp(-k) for k in (4, 3, 2, 1))) < 1e-9
    for t in doses:  # saved before and after the dose
        i = int(np.flatnonzero(sol.t == t)[0])
        assert sol.t[i + 1] == t and abs(sol.u[i + 1] - sol.u[i] - 1.0) < 1e-15


def test_discrete_callback_is_checked_after_every_step():
    calls = []
    cb = g.DiscreteCallback(lambda u, t, integ: True, lambda integ: calls.append(integ.t),
                            save_positions=(False, False))
    sol = g.solve(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 4.0)), g.Tsit5(), callback=cb)
    assert len(calls) == sol.stats.naccept
    assert calls == sol.t[1:].tolist()


def test_discrete_callback_in_place_change_of_the_state():
    """The affect may change integ.u in place (an array state): the solve continues from it."""
    def kick(integ):
        integ.u[0] += 1.0

    cb = g.DiscreteCallback(lambda u, t, integ: t == 1.0, kick)
    sol = g.solve(g.ODEProblem(lambda u, p, t: -u, np.array([1.0]), (0.0, 2.0)), g.Vern9(),
                  rtol=1e-10, atol=1e-12, tstops=[1.0], callback=cb)
    assert abs(sol.u[-1][0] - (math.exp(-1) + 1) * math.exp(-1)) < 1e-9  # tolerance 1e-10


# ----------------------------------------------------------------- termination


def test_terminate_from_a_continuous_callback():
    times, sol = impacts(2.0)
    assert sol.retcode == "Terminated" and sol.success
    assert sol.message  # says why
    assert sol.t[-1] == times[0] < 100.0


def test_terminate_from_a_discrete_callback_with_a_message():
    cb = g.DiscreteCallback(lambda u, t, integ: u < 0.5,
                            lambda integ: integ.terminate("half gone"))
    sol = g.solve(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 10.0)), g.Tsit5(), callback=cb)
    assert sol.retcode == "Terminated" and sol.message == "half gone"
    assert math.log(2) < sol.t[-1] < 10.0
    assert sol.u[-1] < 0.5


def test_terminate_while_stepping_by_hand():
    cb = g.DiscreteCallback(lambda u, t, integ: t > 1.0, lambda integ: integ.terminate())
    integ = g.init(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 10.0)), g.Tsit5(), callback=cb)
    while integ.step():
        pass
    assert integ.retcode == "Terminated" and 1.0 < integ.t < 10.0


# ----------------------------------------------------------------- backward, saveat


def test_events_in_backward_integration():
    """Going back in time from t = 1, the height of a ball dropped at t = 0 from h rises to h
    at t = 0 and falls to 0 at t = -sqrt(2h/g): a downward crossing in the direction of
    integration. Its time and its derivative with respect to h (through the state at t = 1,
    u(1) = (h - g/2, -g)): d t*/dh = -1/sqrt(2gh)."""
    def landing_backwards(h):
        found = []
        cb = g.ContinuousCallback(height, lambda i: found.append(("up", i.t)),
                                  affect_neg=lambda i: (found.append(("down", i.t)),
                                                        i.terminate()))
        u1 = h * np.array([1.0, 0.0]) + np.array([-GRAVITY / 2, -GRAVITY])
        sol = g.solve(g.ODEProblem(fall, u1, (1.0, -3.0), GRAVITY), g.Tsit5(), callback=cb)
        assert sol.retcode == "Terminated"
        assert [d for d, _ in found] == ["down"]
        return found[0][1]

    h = 10.0
    assert abs(landing_backwards(h) + math.sqrt(2 * h / GRAVITY)) < 1e-13  # exact, to rounding
    assert abs(g.derivative(landing_backwards, h) + 1 / math.sqrt(2 * GRAVITY * h)) < 1e-10


def test_backward_integration_with_bounces():
    """The ball's bounces, integrated from t = 0 back to t = -10 (time reversed: g -> -g in
    reversed time looks the same as forward with the sign of time flipped)."""
    times = []

    def bounce(integ):
        times.append(integ.t)
        integ.u = integ.u * np.array([1.0, -1.0])  # elastic: the reversed motion is the same

    cb = g.ContinuousCallback(height, bounce)
    sol = g.solve(g.ODEProblem(fall, np.array([2.0, 0.0]), (0.0, -3.0), GRAVITY), g.Tsit5(),
                  callback=cb)
    t1 = math.sqrt(2 * 2.0 / GRAVITY)
    np.testing.assert_allclose(times, [-t1, -3 * t1], rtol=0, atol=1e-12)
    assert sol.t[-1] == -3.0


def test_saveat_with_events():
    """saveat keeps its grid through events (values from the interpolant of the step they
    fall in, after a bounce from the bounced state) and adds the event points."""
    grid = np.linspace(0.0, 2.0, 9)
    cb = g.ContinuousCallback(height, None, affect_neg=lambda i: setattr(
        i, "u", i.u * np.array([1.0, -0.9])))
    sol = g.solve(g.ODEProblem(fall, np.array([2.0, 0.0]), (0.0, 2.0), GRAVITY), g.Tsit5(),
                  saveat=grid, callback=cb)
    t1 = math.sqrt(2 * 2.0 / GRAVITY)
    assert set(grid.tolist()) <= set(sol.t.tolist())
    events = [t for t in sol.t if t not in grid]  # two bounces, each saved before and after
    np.testing.assert_allclose(events, np.repeat(exact_impacts(2.0, 2), 2), rtol=0, atol=1e-13)
    assert np.all(np.diff(sol.t) >= 0)
    v1 = 0.9 * GRAVITY * t1
    t2 = exact_impacts(2.0, 2)[1]
    for t, u in zip(sol.t, sol.u, strict=True):
        if t in grid.tolist() and t < t2:
            expected = 2.0 - GRAVITY / 2 * t**2 if t < t1 else \
                v1 * (t - t1) - GRAVITY / 2 * (t - t1) ** 2
            assert abs(u[0] - expected) < 1e-12  # parabolas are interpolated exactly


def test_event_saving_can_be_switched_off():
    cb = g.ContinuousCallback(height, None, affect_neg=lambda i: setattr(
        i, "u", i.u * np.array([1.0, -0.9])), save_positions=(False, False))
    sol = g.solve(g.ODEProblem(fall, np.array([2.0, 0.0]), (0.0, 2.0), GRAVITY), g.Tsit5(),
                  saveat=0.25, callback=cb)
    np.testing.assert_array_equal(sol.t, np.linspace(0.0, 2.0, 9))
