"""ImplicitEuler and TRBDF2 on the float64 fast path (``solve(..., compile=True)``): the stages,
attempt and Newton iteration of ``generic/ode/implicit.py`` and ``newton.py`` compiled by Numba,
checked against the generic path and against independent references.

What is asserted against the generic path, and why:
- with the user's ``jac=`` both paths use the same Jacobian, so they take the same steps, the
  same Newton iterations (equal f-evaluation counts: the Jacobian costs none on either path) and
  reach the same states. They differ only in rounding (a compiled LU against LAPACK's), which
  the error estimate and the step-size controller amplify (Rosenbrock's steps drift by 2e-8,
  ``test_rosenbrock_fast.py``): step times within 1e-9 relative, states within 1e-10 (measured
  8e-13 and 2e-15; a wrong coefficient or one Newton iteration more or less shows as 1e-6 or
  worse).
- without ``jac=`` the generic path differentiates with dual numbers (exact) and the compiled
  one by forward differences (to ~1e-8): a slightly different W changes the Newton iterates by
  far less than the Newton tolerance, so the steps are the same except near a threshold:
  accepted counts within 5 %, final states within 1e-7 (measured: the same steps, 7e-12).
  The difference Jacobian costs n + 1 evaluations, the dual one 1.

Every problem has ``p`` a float64 array, so one Numba compile (~1 min on a first run, cached on
disk after) serves every test of this file.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit
from stiff_problems import (
    robertson,
    robertson_jac,
    van_der_pol_compiled,
    van_der_pol_compiled_jac,
)

import generic as g
from generic.ode.fast import FastPathError

scipy_integrate = pytest.importorskip("scipy.integrate")

K = np.array([0.04, 3e7, 1e4])  # Robertson's rates
U0 = np.array([1.0, 0.0, 0.0])


van_der_pol, van_der_pol_jac = van_der_pol_compiled, van_der_pol_compiled_jac  # μ = p[0]


robertson_compiled = njit(robertson)

# name: (compiled f, Python f for the generic path's duals, jac, u0, tspan, p, rtol, atol)
PROBLEMS = {
    "Robertson": (robertson_compiled, robertson, robertson_jac, U0, (0.0, 1e3), K, 1e-5, 1e-9),
    "VanDerPol": (van_der_pol, van_der_pol.py_func, van_der_pol_jac, np.array([2.0, 0.0]),
                  (0.0, 100.0), np.array([100.0]), 1e-5, 1e-5),
}
METHODS = {"ImplicitEuler": g.ImplicitEuler, "TRBDF2": g.TRBDF2}


def solve_both(name, make, with_jac: bool, **options):
    f, f_python, jac, u0, tspan, p, rtol, atol = PROBLEMS[name]
    alg = make(jac=jac) if with_jac else make()
    fast = g.solve(g.ODEProblem(f, u0, tspan, p), alg, rtol=rtol, atol=atol, compile=True,
                   **options)
    generic = g.solve(g.ODEProblem(f_python, u0, tspan, p), alg, rtol=rtol, atol=atol,
                      compile=False, **options)
    assert fast.retcode == generic.retcode == "Success"
    return fast, generic


def relative(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_same_steps_as_generic_path_with_user_jacobian(name, method):
    """The same Jacobian on both paths: the same steps and Newton iterations (see the module
    docstring)."""
    fast, generic = solve_both(name, METHODS[method], with_jac=True)
    assert (fast.stats.naccept, fast.stats.nreject, fast.stats.nf) == \
        (generic.stats.naccept, generic.stats.nreject, generic.stats.nf)
    np.testing.assert_allclose(fast.t, generic.t, rtol=1e-9, atol=0)
    assert relative(fast.u[-1], generic.u[-1]) < 1e-10


@pytest.mark.parametrize("method", list(METHODS))
def test_difference_jacobian_close_to_generic_path(method):
    """Forward differences (compiled) against exact dual Jacobians (generic), Robertson."""
    fast, generic = solve_both("Robertson", METHODS[method], with_jac=False)
    assert abs(fast.stats.naccept - generic.stats.naccept) <= 0.05 * generic.stats.naccept
    assert relative(fast.u[-1], generic.u[-1]) < 1e-7


def reference(name, t_end=None):
    """SciPy's LSODA (compiled Fortran) at rtol 1e-12 with the exact Jacobian."""
    f, _, jac, u0, tspan, p, _, _ = PROBLEMS[name]
    f = f.py_func
    jac = getattr(jac, "py_func", jac)
    sol = scipy_integrate.solve_ivp(lambda t, u: f(u, p, t), (tspan[0], t_end or tspan[1]), u0,
                                    method="LSODA", rtol=1e-12, atol=1e-16,
                                    jac=lambda t, u: jac(u, p, t))
    assert sol.success
    return sol.y[:, -1]


def test_trbdf2_accuracy_against_reference():
    """Compiled TRBDF2 (order 2) on Robertson at rtol 1e-8, atol 1e-12 within 1e-5 relative of
    the reference in every component: the global error of a stiff solve is ~10-100 rtol
    (measured 1.8e-6, in y2 ~ 1e-7); a wrong coefficient of a stage makes it order 1."""
    f, _, _, u0, tspan, p, _, _ = PROBLEMS["Robertson"]
    sol = g.solve(g.ODEProblem(f, u0, tspan, p), g.TRBDF2(), rtol=1e-8, atol=1e-12,
                  compile=True)
    assert sol.retcode == "Success"
    assert relative(sol.u[-1], reference("Robertson")) < 1e-5


def test_implicit_euler_first_order_against_reference():
    """Backward Euler with fixed steps on Van der Pol μ = 100 to t = 1 (fast transient, then
    slow): halving the step halves the error (order 1): the ratio of the errors of dt and
    dt/2 against the reference is 2 within 0.2 at dt = 1/400, 1/800 (asymptotic there:
    measured 2.003, 2.001)."""
    f, _, _, u0, _, p, _, _ = PROBLEMS["VanDerPol"]
    ref = reference("VanDerPol", t_end=1.0)
    errors = [np.max(np.abs(g.solve(g.ODEProblem(f, u0, (0.0, 1.0), p), g.ImplicitEuler(),
                                    dt=1.0 / n, adaptive=False, compile=True).u[-1] - ref))
              for n in (400, 800, 1600)]
    ratios = [errors[0] / errors[1], errors[1] / errors[2]]
    assert all(abs(r - 2) < 0.2 for r in ratios), ratios


def _half_consumed(u, t, integ):
    return u[0] - 0.5


def _dose(integ):
    integ.u[0] += 0.25  # more of species 1: y1 falls through 0.5 again later


def test_saveat_and_continuous_callback_as_generic_path():
    """saveat and a ContinuousCallback (compiled on the fast path; a dose of y1 each time it
    falls to 0.5): the saved values and the event times agree with the generic path (same
    Jacobian). Against SciPy's LSODA event location at rtol 1e-12: y1 falls slowly there
    (|y1'| = 4.6e-4), so the event time's error is the solution's error over that slope; as a
    relative error of y1 it is within 20 rtol (the global error of a stiff solve is ~10 rtol;
    measured 6.3 rtol)."""
    times = np.array([0.5, 3.0, 40.0, 700.0])
    cb = g.ContinuousCallback(_half_consumed, _dose)
    fast, generic = solve_both("Robertson", g.TRBDF2, with_jac=True, saveat=times,
                               callback=cb)
    np.testing.assert_allclose(fast.t, generic.t, rtol=1e-9, atol=0)
    assert relative(fast.u, generic.u) < 1e-8
    assert np.all(np.isin(times, fast.t))
    events = fast.t[~np.isin(fast.t, np.concatenate([times, [0.0, 1e3]]))]
    assert len(events) >= 2  # dosed at least twice

    def crossing(t, u):
        return u[0] - 0.5
    crossing.terminal = True
    ref = scipy_integrate.solve_ivp(lambda t, u: robertson(u, K, t), (0.0, 1e3), U0,
                                    method="LSODA", rtol=1e-12, atol=1e-16, events=crossing,
                                    jac=lambda t, u: robertson_jac(u, K, t))
    t_event, u_event = ref.t_events[0][0], ref.y_events[0][0]
    slope = abs(robertson(u_event, K, t_event)[0])
    rtol = PROBLEMS["Robertson"][6]
    assert abs(events[0] - t_event) * slope / 0.5 < 20 * rtol


@njit
def _linear(u, p, t):
    return np.array([p[0] * u[0] + u[1], p[1] * u[1]])


@njit
def _linear_jac(u, p, t):
    return np.array([[p[0], 1.0], [0.0, p[1]]])


@settings(max_examples=8, deadline=None)
@given(st.floats(-1e4, -1.0), st.floats(-1e4, -1.0), st.sampled_from(list(METHODS)))
def test_same_steps_on_stiff_linear_systems(lam1, lam2, method):
    """u' = A u with A upper triangular, eigenvalues λ1, λ2 in [-1e4, -1]: for any stiffness
    both paths take the same steps with the same Jacobian (as above), and u2(1) meets the
    closed form e^{λ2}: the flow contracts (λ2 < 0), so the global error is at most the sum of
    the local errors, each within atol + rtol |u| ≤ atol + rtol by the error test; a factor 2
    for the estimate's own error (backward Euler at λ = -1 uses a third of the bound)."""
    p = np.array([lam1, lam2])
    prob = g.ODEProblem(_linear, np.array([1.0, 1.0]), (0.0, 1.0), p)
    alg = METHODS[method](jac=_linear_jac)
    fast = g.solve(prob, alg, rtol=1e-6, atol=1e-8, compile=True)
    generic = g.solve(g.ODEProblem(_linear.py_func, np.array([1.0, 1.0]), (0.0, 1.0), p), alg,
                      rtol=1e-6, atol=1e-8, compile=False)
    assert (fast.stats.naccept, fast.stats.nreject, fast.stats.nf) == \
        (generic.stats.naccept, generic.stats.nreject, generic.stats.nf)
    np.testing.assert_allclose(fast.u[-1], generic.u[-1], rtol=1e-9, atol=1e-15)
    assert abs(fast.u[-1][1] - np.exp(lam2)) < 2 * fast.stats.naccept * (1e-8 + 1e-6)


def test_scalar_state_refused():
    """A scalar state is refused with the reason; compile=None takes the generic path for it
    without a warning (u(1) = e^-1000: below 1e-12, the absolute tolerance's size)."""
    decay = g.ODEProblem(lambda u, p, t: -1e3 * u, 1.0, (0.0, 1.0))
    with pytest.raises(FastPathError, match="1-d float64 array"):
        g.solve(decay, g.TRBDF2(), compile=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert abs(g.solve(decay, g.TRBDF2(), rtol=1e-8, atol=1e-12).u[-1]) < 1e-12


def test_jac_that_does_not_compile():
    """A jac= Numba cannot compile: compile=True raises an error that names jac=."""
    def jac(u, p, t):
        return np.array(object())  # not a float array: Numba refuses it

    f, _, _, u0, tspan, p, _, _ = PROBLEMS["Robertson"]
    prob = g.ODEProblem(f.py_func, u0, (0.0, 1.0), p)
    with pytest.raises(FastPathError, match="jac"):
        g.solve(prob, g.TRBDF2(jac=jac), compile=True)
