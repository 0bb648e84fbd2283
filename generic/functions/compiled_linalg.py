"""Numba overloads of the linear-algebra generic functions for float64 matrices.

``lu``, ``lu_solve`` and ``identity_like`` (declared in :mod:`.core`) called in compiled code on
float64 NumPy arrays: LU with partial pivoting, Doolittle's form (Golub & Van Loan, *Matrix
Computations*, 4th ed., Alg. 3.4.1, with forward and back substitution, Algs. 3.1.1–3.1.2), the
algorithm of the general method in ``generic/linalg.py`` written as loops. The factorisation is
``(LU, perm)``: ``L`` unit lower below the diagonal, ``U`` on and above it, ``A[perm] = L U``.
For the small systems of a stiff step (n up to a few dozen) loops beat a LAPACK call's overhead.

A zero pivot is not raised (compiled code cannot build the error message's numbers): the
solve then gives inf or nan, as the array API method does, which a solver's error norm rejects.
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.extending import overload, register_jitable

from .core import identity_like, lu, lu_solve

__all__ = ["lu_factor_loops", "lu_solve_loops"]


def _float_matrix(A) -> bool:
    return isinstance(A, types.Array) and A.ndim == 2 and isinstance(A.dtype, types.Float)


@register_jitable
def lu_factor_loops(A):
    """``(LU, perm)`` of the square matrix ``A`` (a copy is factorised)."""
    n = A.shape[0]
    LU = np.ascontiguousarray(A).copy()
    perm = np.arange(n)
    for k in range(n):
        p, largest = k, abs(LU[k, k])
        for i in range(k + 1, n):
            if abs(LU[i, k]) > largest:
                p, largest = i, abs(LU[i, k])
        if p != k:
            for j in range(n):
                LU[k, j], LU[p, j] = LU[p, j], LU[k, j]
            perm[k], perm[p] = perm[p], perm[k]
        pivot = LU[k, k]
        for i in range(k + 1, n):
            factor = LU[i, k] / pivot
            LU[i, k] = factor
            if factor != 0.0:
                for j in range(k + 1, n):
                    LU[i, j] -= factor * LU[k, j]
    return LU, perm


@register_jitable
def lu_solve_loops(LU, perm, b):
    """``x`` with ``A x = b`` from :func:`lu_factor_loops`'s ``(LU, perm)``; ``b`` a vector."""
    n = LU.shape[0]
    y = np.empty(n)
    for i in range(n):
        y[i] = b[perm[i]]
    for i in range(1, n):
        total = y[i]
        for j in range(i):
            total -= LU[i, j] * y[j]
        y[i] = total
    for i in range(n - 1, -1, -1):
        total = y[i]
        for j in range(i + 1, n):
            total -= LU[i, j] * y[j]
        y[i] = total / LU[i, i]
    return y


@overload(lu)
def _lu(A):
    if _float_matrix(A):
        return lambda A: lu_factor_loops(A)


@overload(lu_solve)
def _lu_solve(factorization, b):
    if isinstance(factorization, types.BaseTuple) and len(factorization) == 2 \
            and _float_matrix(factorization[0]) and isinstance(b, types.Array) and b.ndim == 1:
        return lambda factorization, b: lu_solve_loops(factorization[0], factorization[1], b)


@overload(identity_like)
def _identity_like(A):
    if _float_matrix(A):
        return lambda A: np.eye(A.shape[0])
