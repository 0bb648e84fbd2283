"""``phi(L) u`` for a Fun with Dirichlet conditions, by eigendecomposing L's collocation matrix.

On the collocation grid of ``m`` Chebyshev points that :func:`~.dirichlet.collocation_length`
picks for the Fun, the operator ``L`` (a callable on Funs, e.g. ``lambda u: u.diff(2)``) is the
``(m - 2) x (m - 2)`` matrix ``A`` of the values of ``L ℓ_j`` at the interior points, ``ℓ_j`` the
Dirichlet Fun that is 1 at interior point j and 0 at the others: the second-derivative matrix
with its boundary rows and columns removed, whose eigenvalues are real, negative and distinct
(Trefethen, Spectral Methods in MATLAB, SIAM 2000, ch. 7). With ``A = V Λ V⁻¹`` (computed once
per operator and grid, cached), ``phi(L) u`` has the interior values ``V phi(Λ) V⁻¹ u`` and zero
at the ends. The eigenvector matrix of ``d²/dx²`` is well conditioned (cond(V) = 1.6, 2.3, 2.7,
3.3 for 17, 65, 129, 257 points), so the exponentials and resolvents of the split methods are
computed to rounding. The result is cut at its rounding plateau (:func:`chopped`).
"""

from __future__ import annotations

import weakref

import numpy as np

from .chop import standard_chop
from .dirichlet import collocation_length
from .fun import EPS, Fun

__all__ = ["collocation_apply", "eigensystem", "per_operator"]

_SYSTEMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def eigensystem(L, space, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(λ, V, V⁻¹)`` of the collocation matrix of ``L`` on the ``m``-point grid of ``space``
    (real when the eigenvalues are). Cached per (L, space, m)."""
    return per_operator(_SYSTEMS, L, (space, m),
                        lambda: _decompose(collocation_matrix(L, space, m)))


def per_operator(store: weakref.WeakKeyDictionary, L, key, compute):
    """``compute()``, remembered in ``store`` per operator ``L`` (while it lives) and ``key``;
    not remembered for an ``L`` that cannot be weakly referenced."""
    try:
        cache = store.setdefault(L, {})
    except TypeError:
        cache = {}
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def collocation_matrix(L, space, m: int) -> np.ndarray:
    """``A[i, j] = (L ℓ_j)(x_i)`` for the interior points ``x_i`` of the ``m``-point grid."""
    inner = space.grid(m)[1:-1]
    A = np.empty((m - 2, m - 2))
    for j in range(m - 2):
        values = np.zeros(m)
        values[j + 1] = 1.0
        Le = L(Fun._make(space, space.to_coefficients(values)))
        if not isinstance(Le, Fun) or Le.space.periodic or Le.space.domain != space.domain:
            raise TypeError(f"diagonal_apply: L must map a Fun on {space!r} to a Fun on the "
                            f"same interval, got {Le!r}")
        column = space.evaluate(Le.coefficients, inner)
        if np.iscomplexobj(column):
            raise TypeError("diagonal_apply: L must map real functions to real functions on a "
                            "Dirichlet space")
        A[:, j] = column
    return A


def _decompose(A: np.ndarray):
    lam, V = np.linalg.eig(A)
    scale = max(float(np.max(np.abs(lam), initial=0.0)), 1.0)
    if np.max(np.abs(lam.imag), initial=0.0) <= 1e-12 * scale:
        lam, V = lam.real.copy(), V.real.copy()
    return lam, V, np.linalg.inv(V)


def collocation_apply(L, u: Fun, phi) -> Fun:
    """``phi(L) u`` on the collocation grid of ``u`` (see the module docstring)."""
    if not callable(L):
        raise TypeError(f"diagonal_apply on a Fun takes L as a callable linear operator "
                        f"(lambda u: u.diff(2)), got {type(L).__qualname__}")
    space = u.space
    m = collocation_length(len(u))
    lam, V, V_inv = eigensystem(L, space, m)
    inner = space.to_values(space.resize(u.coefficients, m))[1:-1]
    result = V @ (np.asarray(phi(lam)) * (V_inv @ inner))
    if np.iscomplexobj(result) and u.isreal:
        result = result.real  # L is real (checked): its complex pairs give a real result
    values = np.zeros(m, dtype=result.dtype)
    values[1:-1] = result
    return Fun._make(space, chopped(space.to_coefficients(values)))


def chopped(c: np.ndarray) -> np.ndarray:
    """``c`` cut where its coefficients reach their rounding plateau (standardChop at machine
    precision): collocation results carry rounding amplified by the operator's norm, and a
    nonlinear part would multiply that noisy tail into ever longer Funs."""
    keep = standard_chop(np.abs(c), EPS)
    return c[:keep] if keep < len(c) else c
