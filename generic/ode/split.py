"""Split ODE problems: ``u' = L u + N(u, p, t)``, a linear part and a nonlinear part.

The linear part ``L`` is what makes a semi-discretised PDE stiff (diffusion, dispersion). Given
apart, it lets an exponential method (:class:`~.exponential.ETDRK4`) or an IMEX method
(:class:`~.imex.KenCarp4`) treat it exactly or implicitly while ``N`` stays explicit. Both reach
``L`` only through ``g.diagonal_apply(L, u, phi)`` (``phi(L) u``), so ``L`` must be diagonal in
the state's basis: an array of eigenvalues for an array state (Fourier coefficients: ``-k²``
for ``u_xx``, ``i k³`` for ``-u_xxx``), or an operator that a function type diagonalises itself
(``lambda u: u.diff(2)`` on a Fourier Fun).

A :class:`SplitODEProblem` is an :class:`~.problem.ODEProblem` whose ``f`` is ``L u + N``, so
every other ODE method solves it too (Tsit5 to compare, Rodas5 ...).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ..functions import diagonal_apply, value
from .problem import ODEProblem

__all__ = ["SplitODEProblem", "identity", "require_split"]


def identity(z):
    """``phi(z) = z``: ``g.diagonal_apply(L, u, identity)`` is ``L u``."""
    return z


class SplitODEProblem(ODEProblem):
    """The initial value problem ``u' = L u + N(u, p, t)``, ``u(tspan[0]) = u0``.

    ``L``: the linear part, diagonal in the state's basis: an array of eigenvalues shaped like
    ``u0`` (or one number; kept as a NumPy array), or a callable linear operator ``L(u)`` for a
    state type that finds its eigenvalues itself (a Fourier Fun). Constant during the solve.
    ``N(u, p, t) -> du``: the nonlinear part, out of place; None for ``N = 0``.
    ``u0``, ``tspan``, ``p``: as for :class:`~.problem.ODEProblem` (a multiprecision state wants
    ``L`` in its own number type, else the eigenvalues carry float64 digits only).
    """

    def __init__(self, L, N: Callable | None, u0, tspan, p=None):
        self.L = _as_operator(L)
        self.N = _zero if N is None else _as_nonlinear(N)
        super().__init__(self._split_f, u0, tspan, p)
        _check_shapes(self.L, self.u0)

    def _split_f(self, u, p, t):
        return self.linear(u) + self.N(u, p, t)

    def linear(self, u):
        """``L u``."""
        return self.L(u) if callable(self.L) else diagonal_apply(self.L, u, identity)

    def __repr__(self) -> str:
        return f"SplitODEProblem(u0={self.u0!r}, tspan={self.tspan!r}, p={self.p!r})"


def require_split(prob, method: str) -> SplitODEProblem:
    """``prob`` if it is a :class:`SplitODEProblem`, else a clear error for ``method``."""
    if not isinstance(prob, SplitODEProblem):
        raise TypeError(f"{method} solves a g.SplitODEProblem(L, N, u0, tspan): it needs the "
                        f"linear part L apart from N; got a {type(prob).__name__} (give "
                        f"u' = L u + N(u, p, t) as SplitODEProblem, or use another method)")
    return prob


def _zero(u, p, t):
    return u * 0


def _as_operator(L):
    if callable(L):
        return L
    if not isinstance(L, np.ndarray):  # a list, or one number (of any type): an array
        items = L if isinstance(L, (list, tuple)) else [L]
        plain = all(isinstance(x, (int, float, complex, np.number)) for x in items)
        L = np.asarray(L, dtype=None if plain else object)
    try:
        v = np.asarray(value(L.reshape(-1)))  # (value of a 0-d object array fails)
    except TypeError:
        v = None
    if v is None or v.dtype.kind not in "biufc":
        raise TypeError(f"SplitODEProblem: L must be an array of eigenvalues (or a number), or "
                        f"a callable linear operator L(u); got {type(L).__qualname__}")
    return L


def _as_nonlinear(N):
    if not callable(N):
        raise TypeError(f"SplitODEProblem: N must be callable N(u, p, t) -> du (or None), "
                        f"got {N!r}")
    try:
        parameters = [q for q in inspect.signature(N).parameters.values()
                      if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD)
                      and q.default is q.empty]
    except (TypeError, ValueError):
        return N
    if len(parameters) == 4:
        raise TypeError("SplitODEProblem: N must be out of place, N(u, p, t) -> du (an "
                        "in-place N(du, u, p, t) is not taken)")
    return N


def _check_shapes(L, u0) -> None:
    if callable(L):
        return
    shape_L, shape_u = np.shape(L), np.shape(value(u0))
    try:
        fits = np.broadcast_shapes(shape_L, shape_u) == shape_u
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"SplitODEProblem: L has shape {shape_L} but u0 has shape {shape_u}: "
                         f"give one eigenvalue per coefficient of the state (or a number)")
