"""Rosenbrock23 and Rodas5 on the float64 fast path (``solve(..., compile=True)``): the steps
of ``generic/ode/rosenbrock.py`` compiled by Numba, checked against the generic path and
against independent references.

What is asserted against the generic path, and why:
- with the user's ``jac=`` both paths use the same Jacobian (and ∂f/∂t: both exactly 0 for
  these autonomous problems: a dual in t, a difference of equal values), so they take the same
  steps: equal accepted/rejected counts, step times within 1e-6 relative and final states
  within 1e-10. They differ only in rounding (a compiled LU against LAPACK's), which the error
  estimate (a small difference of stages) and the step-size controller amplify: Robertson's
  step times drift apart by ~2e-8 (measured). A wrong stage or coefficient shows as 1e-3 .. 1.
- without ``jac=`` the generic path differentiates with dual numbers (exact) and the compiled
  one by forward differences (to ~1e-8), so the steps differ: their counts agree within 10 %
  and both solutions meet the reference.

Every problem here has ``p`` a float64 array (Van der Pol's μ as ``p[0]``; HIRES ignores it), so
the compiled solve has one type combination: one Numba compile (~40-60 s on a first run,
cached on disk after) serves every test of this file.
"""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from stiff_problems import (
    HIRES_REFERENCE,
    HIRES_T_END,
    hires_jac,
    robertson,
    robertson_jac,
    van_der_pol_compiled,
    van_der_pol_compiled_jac,
)
from stiff_problems import hires as stiff_problems_hires

import generic as g
from generic.ode.fast import FastPathError

scipy_integrate = pytest.importorskip("scipy.integrate")


van_der_pol, van_der_pol_jac = van_der_pol_compiled, van_der_pol_compiled_jac  # μ = p[0]


hires = njit(stiff_problems_hires)  # the shared right-hand side, compiled


# name: (f, jac, u0, tspan, p, atol / rtol): the benchmark's problems and tolerance scales
PROBLEMS = {
    "Robertson": (robertson, robertson_jac, np.array([1.0, 0.0, 0.0]), (0.0, 1e5),
                  np.array([0.04, 3e7, 1e4]), 1e-6),
    "VanDerPol": (van_der_pol, van_der_pol_jac, np.array([2.0, 0.0]), (0.0, 3000.0),
                  np.array([1000.0]), 1.0),
    "HIRES": (hires, hires_jac, np.array([1.0, 0, 0, 0, 0, 0, 0, 0.0057]), (0.0, HIRES_T_END),
              np.zeros(1), 1e-4),
}


def problem(name, compiled=True):
    """The problem; for the generic path with f's Python source (dual numbers pass through
    it; a Numba-compiled f takes floats only)."""
    f, _, u0, tspan, p, _ = PROBLEMS[name]
    return g.ODEProblem(f if compiled else getattr(f, "py_func", f), u0, tspan, p)


def solve_both(name, alg, rtol, **options):
    atol = rtol * PROBLEMS[name][5]
    fast = g.solve(problem(name), alg, rtol=rtol, atol=atol, compile=True, **options)
    generic = g.solve(problem(name, compiled=False), alg, rtol=rtol, atol=atol, compile=False,
                      **options)
    assert fast.retcode == generic.retcode == "Success"
    return fast, generic


def relative(u, ref):
    return float(np.max(np.abs(np.asarray(u) - ref) / np.abs(ref)))


def reference(name):
    """SciPy's LSODA (compiled Fortran) at rtol 1e-12 with the exact Jacobian: agrees with the
    Radau reference of test_rosenbrock.py to 7e-11 on Robertson and Van der Pol (measured) in
    a second where Radau takes a minute. HIRES: the published reference."""
    f, jac, u0, tspan, p, scale = PROBLEMS[name]
    if name == "HIRES":
        return HIRES_REFERENCE
    f = getattr(f, "py_func", f)
    sol = scipy_integrate.solve_ivp(lambda t, u: f(u, p, t), tspan, u0, method="LSODA",
                                    rtol=1e-12, atol=1e-12 * scale * 1e-4,
                                    jac=lambda t, u: jac(u, p, t))
    assert sol.success
    return sol.y[:, -1]


@pytest.mark.parametrize("make, name", [
    (g.Rodas5, "Robertson"), (g.Rodas5, "VanDerPol"), (g.Rodas5, "HIRES"),
    (g.Rosenbrock23, "Robertson"), (g.Rosenbrock23, "HIRES"),  # (Van der Pol: 1300 steps)
], ids=lambda x: getattr(x, "__name__", x))
def test_same_steps_as_generic_path_with_user_jacobian(make, name):
    """The same Jacobian on both paths: the same steps (see the module docstring)."""
    jac = PROBLEMS[name][1]
    fast, generic = solve_both(name, make(jac=jac), 1e-5)
    assert (fast.stats.naccept, fast.stats.nreject) == \
        (generic.stats.naccept, generic.stats.nreject)
    assert relative(fast.u[-1], generic.u[-1]) < 1e-10
    assert np.allclose(fast.t, generic.t, rtol=1e-6, atol=0)


def test_jacobian_is_reused_by_rejected_steps():
    """Van der Pol (many rejected steps) with jac=: the compiled path spends 2 evaluations per
    new point (f there, for ∂f/∂t by a difference), the generic path 1 (a dual in t); a
    retried step reuses both on both paths, so the counts differ by exactly the number of
    points, the accepted steps — not by the tries."""
    fast, generic = solve_both("VanDerPol", g.Rodas5(jac=van_der_pol_jac), 1e-5)
    assert fast.stats.nreject > 50
    assert fast.stats.nf - generic.stats.nf == fast.stats.naccept


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_difference_jacobian_close_to_generic_path(name):
    """Forward-difference Jacobians (compiled) against exact dual ones (generic): step counts
    within 10 % and final states within 1e-4 relative of each other (both ~rtol 1e-6 off the
    reference: the global error of a stiff solve is ~10-100 rtol)."""
    fast, generic = solve_both(name, g.Rodas5(), 1e-6)
    steps_fast, steps_generic = fast.stats.naccept, generic.stats.naccept
    assert abs(steps_fast - steps_generic) <= 0.1 * steps_generic
    assert relative(fast.u[-1], generic.u[-1]) < 1e-4


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_rodas5_accuracy_against_reference(name):
    """Compiled Rodas5 within 1e-6 relative of the reference, at rtol 1e-8 (atol scaled as the
    benchmark: the smallest components of Robertson and HIRES are 1e-7 .. 1e-5); measured
    2.6e-9 and 6.7e-10. Van der Pol at rtol 1e-9: its final state follows two relaxation
    jumps whose timing amplifies the error (5.5e-7 at rtol 1e-8 on both paths, 4.9e-8 at
    1e-9)."""
    f, _, u0, tspan, p, scale = PROBLEMS[name]
    rtol = 1e-9 if name == "VanDerPol" else 1e-8
    sol = g.solve(problem(name), g.Rodas5(), rtol=rtol, atol=rtol * scale, compile=True)
    assert sol.retcode == "Success"
    assert relative(sol.u[-1], reference(name)) < 1e-6


def test_rosenbrock23_accuracy_against_reference():
    """Compiled Rosenbrock23 (order 2) on HIRES at rtol 1e-7, atol 1e-11 within 1e-5 of the
    published reference (measured 1.3e-6, as test_stiff_problems.py measures on the generic
    path; an order-2 method needs rtol 1e-8 for 1e-6)."""
    sol = g.solve(problem("HIRES"), g.Rosenbrock23(), rtol=1e-7, atol=1e-11, compile=True)
    assert sol.retcode == "Success"
    assert relative(sol.u[-1], HIRES_REFERENCE) < 1e-5


def test_dense_output_and_saveat_as_generic_path():
    """Cubic Hermite dense output and saveat (Rodas5 steps onto saveat times, as on the
    generic path): the same values as the generic path with the same Jacobian, within 1e-8
    relative (the step times differ by ~2e-8 relative, see the module docstring: the
    interpolants are those of slightly shifted steps; measured 7e-10)."""
    alg = g.Rodas5(jac=robertson_jac)
    fast, generic = solve_both("Robertson", alg, 1e-5)
    times = np.array([0.3, 7.0, 410.0, 5e4])
    assert relative(np.array([fast(t) for t in times]),
                    np.array([generic(t) for t in times])) < 1e-8
    saved_fast, saved_generic = solve_both("Robertson", alg, 1e-5, saveat=times)
    assert np.array_equal(saved_fast.t, times)
    assert relative(np.array(saved_fast.u), np.array(saved_generic.u)) < 1e-8


def test_refusals():
    """A scalar state is refused with the reason (compiled ensembles are taken: see
    test_stiff_ensemble.py)."""
    decay = g.ODEProblem(lambda u, p, t: -1e3 * u, 1.0, (0.0, 1.0))
    with pytest.raises(FastPathError, match="1-d float64 array"):
        g.solve(decay, g.Rodas5(), compile=True)
