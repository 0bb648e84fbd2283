"""The compiled explicit Runge–Kutta error norm (one pass, no arrays) against the composition the
generic path runs: the same value, bit for bit where BLAS's dot sums in order (this is what makes
both paths take the same steps)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from generic.ode.controller import error_norm, weighted_error_norm
from generic.ode.fast import overloads  # noqa: F401 - registers the compiled method
from generic.ode.fast.record import compiled_tableau
from generic.ode.methods import DP5
from generic.ode.tableau import converted

BTILDE = compiled_tableau(converted(DP5, float)).btilde


@njit
def compiled(weights, ks, u, u_new, atol, rtol):
    return weighted_error_norm(weights, ks, u, u_new, atol, rtol)


def composition(weights, ks, u, u_new, atol, rtol):
    """What the generic path computes: the estimate (products summed over the stages in
    order), then ``error_norm`` (NumPy's methods)."""
    e = np.add.reduce(weights[:, None] * ks, axis=0)
    return error_norm(e, u, u_new, atol, rtol)


finite = st.floats(-1e3, 1e3, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(0, 2**32 - 1), st.booleans())
def test_same_value_as_the_composition(n, seed, tolerance_arrays):
    rng = np.random.default_rng(seed)
    ks = rng.standard_normal((len(BTILDE), n)) * 10.0 ** rng.uniform(-3, 3, (1, n))
    u, u_new = rng.standard_normal(n), rng.standard_normal(n)
    atol = rng.uniform(1e-9, 1e-3, n) if tolerance_arrays else np.full(n, 1e-6)
    rtol = rng.uniform(1e-9, 1e-3, n) if tolerance_arrays else np.full(n, 1e-6)
    got = compiled(BTILDE, ks, u, u_new, atol, rtol)
    want = composition(BTILDE, ks, u, u_new, atol, rtol)
    if n < 16:  # BLAS's dot sums fewer values in order, as the loop: the same bits
        assert got == want
    else:  # the compiled method calls the same dot: round-off at most
        assert math.isclose(got, want, rel_tol=1e-14)


def test_nan_state_gives_nan():
    ks = np.ones((len(BTILDE), 3))
    u, u_new = np.ones(3), np.array([1.0, np.nan, 1.0])
    tol = np.full(3, 1e-6)
    assert math.isnan(compiled(BTILDE, ks, u, u_new, tol, tol))


def test_scalar_state():
    ks = np.array([0.5, -1.0, 2.0, 0.25, 1.5, -0.75, 0.1])
    got = compiled(BTILDE, ks, 1.0, 1.1, 1e-6, 1e-6)
    e = sum(float(w) * k for w, k in zip(BTILDE, ks, strict=True) if w != 0)
    assert got == error_norm(e, 1.0, 1.1, 1e-6, 1e-6)
