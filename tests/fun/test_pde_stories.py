"""Acceptance stories: periodic PDEs with a Fourier Fun state, written by arithmetic on Funs and
solved by g.KenCarp4 (adaptive in time; g.ETDRK4 at a fixed dt, Tsit5 on a non-stiff case),
adaptive in space by the Fun's chopping to the solver tolerance (g.compress).

Each is compared on the grid, at the middle and the final time (both step points: tstops), with
SciPy DOP853 at rtol = 1e-12 on a 256-point Fourier pseudo-spectral method of lines, or (KdV)
with the exact two-soliton solution and its conserved mass and ∫u². Errors are max-norm,
relative to max|u0|. The stories and references: tests/fun/pde_references.py.

Why the bounds: the reference is ~1e-11 from the PDE's solution (all four spectra reach the
rounding level well inside 256 modes); what is left is the time stepping's global error, which
KenCarp4 controls per step to atol + rtol·|u| and which adds up over the steps: we measured it
and allow ten times that (a method or chopping bug moves it by orders of magnitude).
"""

from __future__ import annotations

import numpy as np
import pytest
from pde_references import ALLEN_CAHN, BURGERS, FISHER, KDV, exact, fun_at, scipy_reference

import generic as g


def solve_story(story, alg, tf, **options):
    sol = g.solve(story.problem(tf), alg, tstops=[tf / 2], **options)
    assert sol.retcode == "Success"
    assert all(isinstance(u, g.Fun) for u in sol.u)
    return sol


def errors_against_scipy(story, sol, tf):
    x, references, _ = scipy_reference(story, [tf / 2, tf])
    scale = np.max(np.abs(story.u0(x)))
    return [np.max(np.abs(fun_at(sol, t)(x) - ref)) / scale
            for t, ref in zip((tf / 2, tf), references, strict=True)]


def lengths(sol) -> list[int]:
    return [len(u) for u in sol.u]


@pytest.mark.parametrize("alg, options, bound", [
    # measured 5e-7 (t = 3) and 2e-6 (t = 6) in 42 steps
    (g.KenCarp4(), dict(rtol=1e-6, atol=1e-8), 2e-5),
    # fourth order at dt = 0.1 (60 steps): measured 4e-7 and 7e-7
    (g.ETDRK4(), dict(dt=0.1, rtol=1e-8, atol=1e-10), 7e-6),
], ids=["KenCarp4", "ETDRK4"])
def test_fisher_kpp_front_matches_scipy_method_of_lines(alg, options, bound):
    sol = solve_story(FISHER, alg, FISHER.tf, **options)
    assert max(errors_against_scipy(FISHER, sol, FISHER.tf)) < bound
    counts = lengths(sol)
    # the bump (75 coefficients) spreads into fronts that fill the period: u → 1, fewer modes
    assert max(counts) <= 101 and counts[-1] < counts[0] / 2


@pytest.mark.parametrize("alg", [g.KenCarp4(), g.Tsit5()], ids=repr)
def test_burgers_front_matches_scipy_and_the_length_grows_as_it_steepens(alg):
    # ν = 0.1: |L| ≤ 0.1·38² = 150 on the ~77 modes the front needs: mild, Tsit5 copes too.
    # Measured 3e-6 (KenCarp4, 36 steps) and 2e-6 (Tsit5, 74 steps)
    sol = solve_story(BURGERS, alg, BURGERS.tf, rtol=1e-6, atol=1e-8)
    assert max(errors_against_scipy(BURGERS, sol, BURGERS.tf)) < 3e-5
    counts = lengths(sol)
    # sin x has 3 coefficients; the steepened front needs ~75, and no more than that
    assert counts[0] == 3 and 50 <= counts[-1] <= 101


def test_allen_cahn_chebfun_preset_matches_scipy_method_of_lines():
    # chebfun runs to t = 100 (examples/fun_pde_stories.py and the benchmark do); t = 20 keeps
    # the test at ~2 s. Measured 3e-6 and 2e-6 in 67 steps at rtol = atol = 1e-6
    tf = 20.0
    sol = solve_story(ALLEN_CAHN, g.KenCarp4(), tf, rtol=1e-6, atol=1e-6)
    assert max(errors_against_scipy(ALLEN_CAHN, sol, tf)) < 3e-5
    counts = lengths(sol)
    # interior layers of width ~√(2·5e-3) = 0.1 need ~180 coefficients: bounded, well below
    # the 256-point grid of the reference
    assert max(counts) <= 201


KDV_TF = 0.0015  # the tall soliton (A = 25) is 0.45 behind the small one, closing in


def test_kdv_two_solitons_match_the_exact_solution_and_conserve_mass_and_momentum():
    sol = solve_story(KDV, g.KenCarp4(), KDV_TF, rtol=1e-5, atol=1e-5)
    x = KDV.grid(512)
    scale = 3 * 25.0**2
    for t in (KDV_TF / 2, KDV_TF):
        # measured 2e-4 (t = 7.5e-4) and 5e-4 (t = 1.5e-3): KenCarp4's error at rtol 1e-5
        # accumulated over ~210 steps of a solution moving at speed 625
        assert np.max(np.abs(fun_at(sol, t)(x) - exact(KDV, x, t))) / scale < 2e-3
    u0, u = sol.u[0], sol.u[-1]
    # mass: N = -(u²/2)_x and L = -∂³ have no mean mode, so ∫u is kept to rounding
    assert abs(u.sum() - u0.sum()) < 1e-10 * abs(u0.sum())
    # ∫u² is conserved by the PDE; the time stepping and chopping keep it to their accuracy
    assert abs((u * u).sum() - (u0 * u0).sum()) < 1e-3 * (u0 * u0).sum()
    counts = lengths(sol)
    assert max(counts) <= counts[0] <= 601
