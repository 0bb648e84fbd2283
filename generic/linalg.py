"""Floor 4: generic linear algebra — ``linsolve``, ``lu`` and ``lu_solve`` for any number type.

The generic functions are declared on floor 2 (``generic.functions.core``); this module adds

- the general method (``object``): LU factorisation with partial pivoting, Doolittle's form
  (Golub & Van Loan, *Matrix Computations*, 4th ed., Alg. 3.4.1, "Gaussian elimination with
  partial pivoting", with forward and back substitution, Algs. 3.1.1–3.1.2). It uses only
  ``+ - * /`` and so runs on object arrays of any number type (multiprecision, duals,
  measurements, linear-propagation packages); the pivot of each column is the entry of
  largest ``abs(value(.))``, so
  duals and measurements pivot on their values. Row operations are whole-row NumPy calls, so an
  n×n matrix costs O(n) NumPy calls, not O(n³) Python operations.
- float32/float64/complex NumPy arrays: LAPACK through ``numpy.linalg.solve``; ``lu``/``lu_solve``
  use ``scipy.linalg.lu_factor``/``lu_solve`` when SciPy is importable (it is not a dependency),
  else the general method.
- array API arrays (CuPy, array_api_strict, ...): the namespace's own ``linalg.solve``, on the
  arrays' device. ``lu_solve`` does not check its result there (see its method).

Duals and measurements (``DualArray``, ``MeasurementArray``) have their methods in
``generic/numbers/jet.py``: they factor the value matrix once and solve for the value and every
partial with it. A singular matrix raises :class:`SingularMatrixError`.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
from array_api_compat import array_namespace

from .dispatch import Array, dispatch
from .functions import linsolve, lu, lu_solve, value


@lru_cache(maxsize=1)
def _scipy_linalg():
    """``scipy.linalg``, or None without SciPy (optional: only the LAPACK LU factorisation for
    reuse needs it; imported on first use, as it costs ~0.25 s at start-up)."""
    try:
        import scipy.linalg
    except ImportError:  # pragma: no cover - exercised only without SciPy
        return None
    return scipy.linalg

__all__ = ["linsolve", "lu", "lu_solve", "SingularMatrixError", "LUFactorization"]


class SingularMatrixError(np.linalg.LinAlgError):
    """The matrix of a linear system is singular (a zero pivot in its LU factorisation)."""


def _singular(column: int, n: int) -> SingularMatrixError:
    return SingularMatrixError(
        f"singular matrix: column {column} of the {n}×{n} matrix has no nonzero pivot "
        f"(LU with partial pivoting); the linear system has no unique solution")


def _square(A) -> int:
    shape = tuple(A.shape)
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError(f"linsolve needs a square matrix, got shape {shape}")
    return shape[0]


def _check_rhs(n: int, b) -> None:
    shape = tuple(np.shape(b)) if not hasattr(b, "shape") else tuple(b.shape)
    if len(shape) not in (1, 2) or shape[0] != n:
        raise ValueError(f"right-hand side of shape {shape} does not match a {n}×{n} matrix")


# ----------------------------------------------------------------------------- general method


class LUFactorization:
    """``P A = L U`` in one array (``L`` unit lower, below the diagonal; ``U`` on and above it)
    and the row permutation ``perm`` (``A[perm] = L U``)."""

    __slots__ = ("lu", "perm")

    def __init__(self, lu_, perm):
        self.lu, self.perm = lu_, perm


def _as_array(A) -> np.ndarray:
    A = np.array(A, dtype=object) if not isinstance(A, np.ndarray) else A.copy()
    if A.dtype.kind in "biu":
        A = A.astype(float)
    return A


@dispatch
def lu(A: object):
    A = _as_array(A)
    n = _square(A)
    perm = np.arange(n)
    for k in range(n):  # Golub & Van Loan Alg. 3.4.1 (outer-product Gaussian elimination)
        magnitudes = [abs(value(a)) for a in A[k:, k]]
        p = k + int(np.argmax(magnitudes))
        if magnitudes[p - k] == 0:
            raise _singular(k, n)
        if p != k:
            A[[k, p]] = A[[p, k]]
            perm[[k, p]] = perm[[p, k]]
        if k + 1 < n:
            A[k + 1:, k] = A[k + 1:, k] / A[k, k]
            A[k + 1:, k + 1:] = A[k + 1:, k + 1:] - np.outer(A[k + 1:, k], A[k, k + 1:])
    return LUFactorization(A, perm)


@dispatch
def lu_solve(factorization: LUFactorization, b: object):
    LU, n = factorization.lu, factorization.lu.shape[0]
    b_array = np.asarray(b) if not isinstance(b, np.ndarray) else b
    _check_rhs(n, b_array)
    dtype = object if object in (LU.dtype, b_array.dtype) else np.result_type(LU.dtype, b_array)
    y = b_array[factorization.perm].astype(dtype)  # a copy, permuted as the rows of A were
    for i in range(1, n):  # forward substitution, L unit lower triangular (G&VL Alg. 3.1.1)
        y[i] = y[i] - LU[i, :i] @ y[:i]
    for i in range(n - 1, -1, -1):  # back substitution (G&VL Alg. 3.1.2)
        if i + 1 < n:
            y[i] = y[i] - LU[i, i + 1:] @ y[i + 1:]
        y[i] = y[i] / LU[i, i]
    return y


@dispatch
def linsolve(A: object, b: object):
    return lu_solve(lu(A), b)


# ----------------------------------------------------------------------------- LAPACK


def _lapack(A: np.ndarray) -> bool:
    return A.dtype.kind in "fc" and A.dtype.itemsize <= 16 and A.dtype != np.longdouble


class LapackLU:
    """``scipy.linalg.lu_factor``'s result (LAPACK ``getrf``)."""

    __slots__ = ("lu", "piv")

    def __init__(self, lu_, piv):
        self.lu, self.piv = lu_, piv


@dispatch
def lu(A: np.ndarray):
    n = _square(A)
    if _lapack(A) and _scipy_linalg() is not None:
        with warnings.catch_warnings():  # a zero pivot: raised below, not only warned
            warnings.simplefilter("ignore", _scipy_linalg().LinAlgWarning)
            lu_, piv = _scipy_linalg().lu_factor(A, check_finite=False)
        zero = np.flatnonzero(np.diagonal(lu_) == 0)
        if zero.size:  # lu_factor only warns; LAPACK getrf reports the first zero pivot
            raise _singular(int(zero[0]), n)
        return LapackLU(lu_, piv)
    return lu.invoke(object)(A)


@dispatch
def lu_solve(factorization: LapackLU, b: np.ndarray):
    _check_rhs(factorization.lu.shape[0], b)
    if b.dtype == object:  # numbers LAPACK cannot take: the general substitution on its factors
        n = factorization.lu.shape[0]
        perm = np.arange(n)
        for i, p in enumerate(factorization.piv):  # getrf's row swaps as one permutation
            perm[[i, p]] = perm[[p, i]]
        return lu_solve(LUFactorization(factorization.lu, perm), b)
    factors = (factorization.lu, factorization.piv)
    if b.ndim == 2 and 1 < b.shape[1] <= _FEW_COLUMNS and b.shape[0] <= _SMALL:
        # OpenBLAS runs getrs with several right-hand sides on its thread pool even for a 3×3
        # system; on a busy machine each such call then waits milliseconds for its threads
        # (measured: 3×3 with 3 columns, 2 µs idle, 1–15 ms beside another process), while
        # one right-hand side at a time stays single-threaded (~10 µs each). Dual solves
        # (one column per partial) hit this case on every stage of a stiff step.
        out = np.empty(b.shape, dtype=np.result_type(factorization.lu.dtype, b.dtype))
        for j in range(b.shape[1]):
            out[:, j] = _scipy_linalg().lu_solve(factors, b[:, j], check_finite=False)
        return out
    return _scipy_linalg().lu_solve(factors, b, check_finite=False)


_SMALL = 64  # rows: below it, and for at most _FEW_COLUMNS columns, solve column by column
_FEW_COLUMNS = 16


@dispatch
def linsolve(A: np.ndarray, b: np.ndarray):
    if _lapack(A) and b.dtype.kind in "biufc":
        n = _square(A)
        _check_rhs(n, b)
        try:
            return np.linalg.solve(A, b)
        except np.linalg.LinAlgError as error:
            raise SingularMatrixError(f"singular matrix: the {n}×{n} linear system has no "
                                      f"unique solution (LAPACK gesv: {error})") from error
    return lu_solve(lu(A), b)


# ----------------------------------------------------------------------------- array API


class ArrayAPILU:
    """The matrix itself: the array API standard has ``linalg.solve`` but no LU, so
    :func:`lu_solve` solves afresh (on CuPy, cuSOLVER's getrf + getrs)."""

    __slots__ = ("matrix",)

    def __init__(self, matrix):
        self.matrix = matrix


@dispatch
def lu(A: Array):
    _square(A)
    return ArrayAPILU(A)


@dispatch
def lu_solve(factorization: ArrayAPILU, b: Array):
    # Unchecked: a finiteness check is a transfer to the host per solve (a stiff step makes
    # up to eight). A singular matrix gives inf or nan, which a solver's error norm rejects;
    # linsolve checks.
    A = factorization.matrix
    xp = array_namespace(A, b)
    if not hasattr(xp, "linalg"):
        return linsolve(A, b)
    _check_rhs(_square(A), b)
    return _device_solve(xp, A, b)


def _device_solve(xp, A, b):
    if b.ndim == 1:  # the standard's solve takes a vector as x2 only in some versions: a column
        return xp.linalg.solve(A, b[:, None])[:, 0]
    return xp.linalg.solve(A, b)


@dispatch
def linsolve(A: Array, b: Array):
    xp = array_namespace(A, b)
    if not hasattr(xp, "linalg"):
        return lu_solve(lu.invoke(object)(np.asarray(A)), np.asarray(b))
    n = _square(A)
    _check_rhs(n, b)
    try:
        x = _device_solve(xp, A, b)
    except np.linalg.LinAlgError as error:
        raise SingularMatrixError(f"singular matrix: the {n}×{n} linear system has no unique "
                                  f"solution ({error})") from error
    if not bool(xp.all(xp.isfinite(x))) and bool(xp.all(xp.isfinite(A))) \
            and bool(xp.all(xp.isfinite(b))):
        raise SingularMatrixError(f"singular matrix: the {n}×{n} linear system has no unique "
                                  f"solution ({xp.__name__}.linalg.solve gave non-finite values)")
    return x
