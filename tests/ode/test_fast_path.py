"""The float64 fast path (solve(..., compile=True)): the stepping source compiled by Numba.

It must take the same steps as the generic path and agree with it to round-off. Both run the
same arithmetic in the same order (the compiled stage sums and error norms call the same BLAS
routines as NumPy), so on these problems they agree to the last bit or nearly: the tolerance
1e-13 relative leaves room for a last-bit difference in a math library call, which the step-size
controller can propagate (the next step depends on the error estimate, itself a difference of
nearly equal numbers). Events allow 1e-9: the compiled Newton slope on the condition is a
central difference where the generic path uses a dual number (the root is the same; the last
Newton step's rounding is not). Counts of steps and evaluations must be equal.
"""

import math

import numpy as np
import pytest

import generic as g
from generic.ode.fast import FastPathError

P = (1.5, 1.0, 3.0, 1.0)


def lotka_volterra(u, p, t):
    a, b, c, d = p
    return np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])


LV = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), p=P)

ADAPTIVE = [g.Heun(), g.BS3(), g.DP5(), g.Tsit5(), g.Vern7(), g.Vern9(), g.DP8()]
FIXED = [g.Euler(), g.Midpoint(), g.RK4()]


def _agree(fast, generic, rel=1e-13):
    assert fast.retcode == generic.retcode == "Success"
    assert fast.stats == generic.stats
    assert fast.t.shape == generic.t.shape
    np.testing.assert_allclose(fast.t, generic.t, rtol=rel, atol=0)
    np.testing.assert_allclose(fast.u, generic.u, rtol=rel, atol=rel)


@pytest.mark.parametrize("alg", ADAPTIVE, ids=lambda a: a.name)
def test_same_steps_as_generic_path(alg):
    fast = g.solve(LV, alg, rtol=1e-6, atol=1e-6, compile=True)
    generic = g.solve(LV, alg, rtol=1e-6, atol=1e-6, compile=False)
    _agree(fast, generic)


@pytest.mark.parametrize("alg", FIXED, ids=lambda a: a.name)
def test_fixed_steps_same_as_generic_path(alg):
    fast = g.solve(LV, alg, dt=0.01, compile=True)
    generic = g.solve(LV, alg, dt=0.01)
    _agree(fast, generic)


@pytest.mark.parametrize("alg", [g.Tsit5(), g.Vern9()], ids=lambda a: a.name)
def test_saveat_and_dense_output(alg):
    times = np.linspace(0.0, 10.0, 37)
    fast = g.solve(LV, alg, rtol=1e-6, atol=1e-6, saveat=times, compile=True)
    generic = g.solve(LV, alg, rtol=1e-6, atol=1e-6, saveat=times)
    _agree(fast, generic)
    np.testing.assert_array_equal(fast.t, times)
    dense_fast = g.solve(LV, alg, rtol=1e-6, atol=1e-6, compile=True)
    dense_generic = g.solve(LV, alg, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dense_fast(times), dense_generic(times), rtol=1e-13, atol=1e-14)


def test_accuracy_against_a_tight_reference():
    """Independent of the generic path: SciPy's DOP853 at rtol 1e-13 as the reference."""
    integrate = pytest.importorskip("scipy.integrate")
    ref = integrate.solve_ivp(lambda t, u: lotka_volterra(u, P, t), (0.0, 10.0), [1.0, 1.0],
                              method="DOP853", rtol=1e-13, atol=1e-13)
    sol = g.solve(LV, g.Vern9(), rtol=1e-10, atol=1e-10, compile=True)
    np.testing.assert_allclose(sol.u[-1], ref.y[:, -1], rtol=1e-8)


def _falling(u, p, t):
    return np.array([u[1], -p[0]])


def _floor(u, t, integ):
    return u[0]


def _bounce(integ):
    integ.u[1] = -integ.p[1] * integ.u[1]


def test_continuous_callback_compiled():
    """A bouncing ball: the event times agree with the generic path and with the closed form
    (first impact at sqrt(2 h / g))."""
    prob = g.ODEProblem(_falling, np.array([1.0, 0.0]), (0.0, 3.0), p=(9.81, 0.8))
    cb = g.ContinuousCallback(_floor, _bounce)
    fast = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8, callback=cb, compile=True)
    generic = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-8, callback=cb)
    assert fast.retcode == generic.retcode == "Success"
    assert fast.stats.naccept == generic.stats.naccept
    np.testing.assert_allclose(fast.t, generic.t, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fast.u, generic.u, rtol=1e-8, atol=1e-9)
    first_impact = math.sqrt(2 * 1.0 / 9.81)
    hits = fast.t[np.isclose(fast.u[:, 0], 0.0, atol=1e-9)]
    assert abs(hits[0] - first_impact) < 1e-9


def _stop_when_low(u, t, integ):
    return u[0] < 0.5


def _terminate(integ):
    integ.terminate()


def test_discrete_callback_terminates():
    prob = g.ODEProblem(_falling, np.array([1.0, 0.0]), (0.0, 3.0), p=(9.81, 0.8))
    cb = g.DiscreteCallback(_stop_when_low, _terminate)
    fast = g.solve(prob, g.Tsit5(), callback=cb, compile=True)
    generic = g.solve(prob, g.Tsit5(), callback=cb)
    assert fast.retcode == generic.retcode == "Terminated"
    np.testing.assert_allclose(fast.t, generic.t, rtol=1e-9)


def test_scalar_state_and_in_place_f():
    decay = g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 2.0))
    sol = g.solve(decay, g.Tsit5(), rtol=1e-8, atol=1e-10, compile=True)
    assert abs(sol.u[-1] - math.exp(-2.0)) < 1e-7

    def in_place(du, u, p, t):
        du[0] = -u[0]
        du[1] = -2 * u[1]
    prob = g.ODEProblem(in_place, np.array([1.0, 1.0]), (0.0, 2.0), p=P)
    sol = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10, compile=True)
    np.testing.assert_allclose(sol.u[-1], [math.exp(-2.0), math.exp(-4.0)], rtol=1e-6)


def test_failures_are_retcodes():
    blowup = g.ODEProblem(lambda u, p, t: u * u, 1.0, (0.0, 2.0))
    sol = g.solve(blowup, g.Tsit5(), compile=True)
    generic = g.solve(blowup, g.Tsit5())
    assert sol.retcode == generic.retcode
    assert sol.retcode in ("DtLessThanMin", "Unstable")
    sol = g.solve(LV, g.Tsit5(), maxiters=5, compile=True)
    assert sol.retcode == "MaxIters" and "maxiters" in sol.message


def test_refusals_name_the_reason():
    mp = pytest.importorskip("mpmath")
    prob = g.ODEProblem(lambda u, p, t: -u, mp.mpf(1), (0.0, 1.0))
    with pytest.raises(FastPathError, match="float64"):
        g.solve(prob, g.Tsit5(), compile=True)
    with pytest.raises(FastPathError, match="generic path only"):
        g.solve(LV, g.GBS(), compile=True)
    with pytest.raises(FastPathError, match="p must be float64 data"):
        g.solve(g.ODEProblem(lotka_volterra, np.ones(2), (0.0, 1.0), p={"a": 1}), g.Tsit5(),
                compile=True)


def test_uncompilable_f_is_a_clear_error():
    table = {"rate": -1.0}

    def uses_a_dict(u, p, t):
        return table["rate"] * u

    prob = g.ODEProblem(uses_a_dict, np.ones(2), (0.0, 1.0), p=P)
    with pytest.raises(FastPathError, match="do not compile with Numba"):
        g.solve(prob, g.Tsit5(), compile=True)
    assert g.solve(prob, g.Tsit5(), compile=False).retcode == "Success"  # the generic path


def test_shape_mismatch_is_reported():
    prob = g.ODEProblem(lambda u, p, t: np.zeros(3), np.ones(2), (0.0, 1.0), p=P)
    with pytest.raises(ValueError, match="shaped like"):
        g.solve(prob, g.Tsit5(), compile=True)
