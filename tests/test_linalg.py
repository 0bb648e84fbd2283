"""generic.linsolve / lu / lu_solve on float64, complex, mpmath, object arrays, duals,
measurements and array_api_strict; singular matrices raise."""

import array_api_strict as xp
import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from uncertainties import unumpy
from uncertainties.unumpy import ulinalg

import generic as g
import generic.linalg  # noqa: F401  (registers the general method)
from generic.linalg import SingularMatrixError

sizes = st.integers(1, 6)
seeds = st.integers(0, 2**32 - 1)


def system(n, seed, columns=None, complex_=False):
    """A well-conditioned random system: a random matrix plus n·I (diagonally dominant-ish,
    condition number O(1)), so tolerances below are a few ulps times small factors."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) + n * np.eye(n)
    b = rng.standard_normal(n if columns is None else (n, columns))
    if complex_:
        A = A + 1j * rng.standard_normal((n, n))
        b = b + 1j * rng.standard_normal(b.shape)
    return A, b


@given(sizes, seeds, st.sampled_from([None, 1, 3]), st.booleans())
def test_float_matches_numpy(n, seed, columns, complex_):
    A, b = system(n, seed, columns, complex_)
    expected = np.linalg.solve(A, b)
    # the same LAPACK gesv call: identical
    np.testing.assert_array_equal(g.linsolve(A, b), expected)
    # getrf + getrs (SciPy) vs gesv: same algorithm, rounding may differ by a few ulps
    np.testing.assert_allclose(g.lu_solve(g.lu(A), b), expected, rtol=1e-12, atol=1e-14)


@given(sizes, seeds, st.sampled_from([None, 2]))
def test_object_floats_match_float_path(n, seed, columns):
    A, b = system(n, seed, columns)
    x = g.linsolve(A.astype(object), b.astype(object))
    assert x.dtype == object
    # same algorithm as LAPACK in a different summation order; condition O(1): ~1e-15 relative
    np.testing.assert_allclose(x.astype(float), np.linalg.solve(A, b), rtol=1e-12, atol=1e-13)


@given(st.integers(1, 5), seeds)
def test_mpmath_50_digits(n, seed):
    mpmath.mp.dps = 50
    A, b = system(n, seed)
    A_mp = mpmath.matrix(A.tolist()) + mpmath.mpf(1) / 3 * mpmath.eye(n)  # not float-exact
    b_mp = mpmath.matrix(b.tolist()) * mpmath.pi
    A_obj = np.array(A_mp.tolist(), dtype=object)
    b_obj = np.array([b_mp[i] for i in range(n)], dtype=object)
    x = g.linsolve(A_obj, b_obj)
    assert all(isinstance(xi, mpmath.mpf) for xi in x)
    x_ref = mpmath.lu_solve(A_mp, b_mp)
    # 50 digits, condition O(1): agreement and residual to ~1e-48; 1e-45 leaves a margin
    assert mpmath.norm(mpmath.matrix(list(x)) - x_ref) < mpmath.mpf("1e-45")
    assert mpmath.norm(A_mp * mpmath.matrix(list(x)) - b_mp) < mpmath.mpf("1e-45")


def parametrised(n, seed):
    """A(p) = A0 + p0·E, b(p) = b0·p1, and the closed-form derivative of x = A⁻¹b."""
    A0, b0 = system(n, seed)
    E = np.random.default_rng(seed + 1).standard_normal((n, n))
    p = np.array([0.3, 1.7])

    def closed_form():
        A, b = A0 + p[0] * E, b0 * p[1]
        x = np.linalg.solve(A, b)
        return np.stack([-np.linalg.solve(A, E @ x),       # -A⁻¹ dA A⁻¹ b
                         np.linalg.solve(A, b0)], axis=1)  # A⁻¹ db
    return A0, b0, E, p, closed_form()


@given(st.integers(1, 6), seeds)
def test_dual_derivative_closed_form(n, seed):
    A0, b0, E, p, expected = parametrised(n, seed)

    def vectorised(q):  # DualArray A and b: the value matrix is factored once
        return g.linsolve(A0 + q[0] * E, b0 * q[1])

    def objects(q):  # object arrays of Dual scalars: the general LU, pivoting on values
        return g.linsolve(np.asarray(A0 + q[0] * E, dtype=object),
                          np.asarray(b0 * q[1], dtype=object))

    # condition O(1): each is a handful of float64 solves, agreement ~1e-15
    J = g.jacobian(vectorised, p)
    np.testing.assert_allclose(J, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g.jacobian(objects, p), J, rtol=1e-10, atol=1e-12)


def test_dual_only_in_b_or_only_in_A():
    A0, b0, E, p, expected = parametrised(4, 7)
    J_b = g.jacobian(lambda q: g.linsolve(A0 + p[0] * E, b0 * q[0]), p[1:])
    J_A = g.jacobian(lambda q: g.linsolve(A0 + q[0] * E, b0 * p[1]), p[:1])
    # same float64 solves as the closed form: ~1e-15
    np.testing.assert_allclose(J_b[:, 0], expected[:, 1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(J_A[:, 0], expected[:, 0], rtol=1e-10, atol=1e-12)


def test_dual_matrix_rhs_and_lu_reuse():
    A0, b0, E, p, _ = parametrised(4, 3)
    B0 = np.random.default_rng(5).standard_normal((4, 3))

    def f(q):
        F = g.lu(A0 + q[0] * E)
        return np.concatenate([g.lu_solve(F, B0 * q[1]).ravel(),
                               g.linsolve(A0 + q[0] * E, B0 * q[1]).ravel()])

    J = g.jacobian(f, p)
    np.testing.assert_allclose(J[:12], J[12:], rtol=1e-12, atol=1e-14)  # same arithmetic
    A = A0 + p[0] * E
    X = np.linalg.solve(A, B0 * p[1])
    np.testing.assert_allclose(J[:12, 0], (-np.linalg.solve(A, E @ X)).ravel(), rtol=1e-10,
                               atol=1e-12)  # closed form, condition O(1)


def test_second_derivative_nested_duals():
    A0, b0, E, p, _ = parametrised(3, 11)
    # x(t) = (A0 + tE)⁻¹ b0: x'' = 2 (A⁻¹E)² x
    d2 = g.derivative(lambda t: g.derivative(lambda s: g.linsolve(A0 + s * E, b0), t), 0.2)
    A = A0 + 0.2 * E
    M = np.linalg.solve(A, E)
    np.testing.assert_allclose(d2, 2 * M @ M @ np.linalg.solve(A, b0), rtol=1e-9, atol=1e-11)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # ulinalg uses np.matrix
def test_measurements_match_uncertainties():
    A0, b0 = system(3, 21)
    sA, sb = 0.01 * np.abs(A0) + 1e-3, 0.02 * np.abs(b0) + 1e-3
    A_m, b_m = g.measurement(A0, sA), g.measurement(b0, sb)
    x = g.linsolve(A_m, b_m)
    A_u, b_u = unumpy.uarray(A0, sA), unumpy.uarray(b0, sb)
    x_u = np.asarray(ulinalg.inv(A_u)) @ b_u
    # both are first-order propagation of the same independent inputs: equal to rounding
    np.testing.assert_allclose(g.value(x), unumpy.nominal_values(x_u), rtol=1e-12)
    np.testing.assert_allclose(g.uncertainty(x), unumpy.std_devs(x_u), rtol=1e-9)
    # and the same as the object-array general method on Measurement scalars
    x_obj = g.linsolve(np.asarray(A_m), np.asarray(b_m))
    np.testing.assert_allclose([g.uncertainty(v) for v in x_obj], g.uncertainty(x), rtol=1e-9)


def test_measurement_uncertainty_via_dual_jacobian():
    A0, b0 = system(3, 4)
    sA, sb = np.full((3, 3), 0.01), np.full(3, 0.05)
    x = g.linsolve(g.measurement(A0, sA), g.measurement(b0, sb))

    def f(z):
        return g.linsolve(z[:9].reshape(3, 3), z[9:])
    J = g.jacobian(f, np.concatenate([A0.ravel(), b0]))
    std = np.sqrt((J**2) @ np.concatenate([sA.ravel(), sb]) ** 2)
    np.testing.assert_allclose(g.uncertainty(x), std, rtol=1e-10)  # same linearisation


def test_array_api_strict():
    A, b = system(4, 9)
    B = np.random.default_rng(2).standard_normal((4, 2))
    x = g.linsolve(xp.asarray(A), xp.asarray(b))
    assert type(x) is type(xp.asarray(b))
    np.testing.assert_allclose(np.asarray(x), np.linalg.solve(A, b), rtol=1e-12)  # LAPACK both
    X = g.lu_solve(g.lu(xp.asarray(A)), xp.asarray(B))
    np.testing.assert_allclose(np.asarray(X), np.linalg.solve(A, B), rtol=1e-12)


SINGULAR = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])


@pytest.mark.parametrize("make", [
    lambda A: A, lambda A: A.astype(object), lambda A: A.astype(complex),
    lambda A: np.array([[mpmath.mpf(int(v)) for v in row] for row in A], dtype=object),
    lambda A: g.measurement(A, np.full(A.shape, 0.1)),
    lambda A: xp.asarray(A),
], ids=["float64", "object", "complex", "mpmath", "measurement", "array_api_strict"])
def test_singular_raises(make):
    A = make(SINGULAR)
    b = xp.ones(3) if isinstance(A, type(xp.ones(3))) else np.ones(3)
    with pytest.raises(SingularMatrixError, match="singular matrix"):
        g.linsolve(A, b)
    if not isinstance(A, type(xp.ones(3))):
        with pytest.raises(np.linalg.LinAlgError, match="singular matrix"):
            g.lu(A)


def test_singular_dual_raises():
    with pytest.raises(SingularMatrixError):
        g.jacobian(lambda q: g.linsolve(SINGULAR * q[0], np.ones(3)), np.array([1.0]))


@given(sizes, seeds)
def test_lu_reuse_equals_linsolve(n, seed):
    A, b = system(n, seed)
    F = g.lu(A.astype(object))
    for scale in (1.0, -2.5):
        # the same general arithmetic in the same order: identical
        np.testing.assert_array_equal(g.lu_solve(F, scale * b.astype(object)),
                                      g.linsolve(A.astype(object), scale * b.astype(object)))
    F = g.lu(A)
    # getrs vs gesv: a few ulps
    np.testing.assert_allclose(g.lu_solve(F, b), g.linsolve(A, b), rtol=1e-12, atol=1e-14)


def test_shape_errors():
    with pytest.raises(ValueError, match="square"):
        g.linsolve(np.ones((2, 3), dtype=object), np.ones(2))
    with pytest.raises(ValueError, match="does not match"):
        g.lu_solve(g.lu(np.eye(3, dtype=object)), np.ones(2))
