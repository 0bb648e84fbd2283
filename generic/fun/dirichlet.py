"""Chebyshev series that vanish at both ends: ``g.Chebyshev(a, b, bc="dirichlet")``.

A Fun on this space keeps ``u(a) = u(b) = 0``: construction (from a function, values,
coefficients or another Fun), ``compress`` and adding a number remove the linear interpolant of
the end values (``u(1) = Σ c_k``, ``u(-1) = Σ (-1)^k c_k``; an O(tolerance) correction of the
constant and linear coefficients), and construction refuses a function that does not vanish at
the ends. Sums, multiples and products of such Funs vanish there to rounding.

Derivatives are those of the method of lines (Chebyshev collocation, Trefethen, Spectral Methods
in MATLAB, SIAM 2000, ch. 7 and 13): ``u.diff(k)`` has the exact values of ``u^(k)`` at the
interior points of a Chebyshev grid of at least the Fun's length and zero at the ends, since the
state's time derivative must vanish where the state is held fixed. So ``u.diff(2)`` is a right-
hand side for ``u_t = u_xx`` with ``u(a) = u(b) = 0``, not the calculus derivative; that one is
``u.to_chebyshev().diff(2)`` (a plain Chebyshev Fun). The grid has ``collocation_length(len(u))``
points (17, 33, 65, ...: the few sizes keep the cached eigendecompositions of
:mod:`.collocation` few) and ``g.diagonal_apply`` uses the same grid, so the split methods' ``L u``
agrees with ``L(u)`` exactly.
"""

from __future__ import annotations

import numpy as np

from .chebyshev import Chebyshev

__all__ = ["DirichletChebyshev", "collocation_length", "BC_TOLERANCE", "MAX_COLLOCATION"]

# A function whose end values exceed this fraction of its size is refused at construction (the
# O(tolerance) misfit of a chopped series that vanishes at the ends is far below it).
BC_TOLERANCE = 1e-8
# The largest collocation grid: its eigendecomposition costs a few seconds.
MAX_COLLOCATION = 1025


def collocation_length(n: int) -> int:
    """The collocation grid for a Fun of length ``n``: the first of 17, 33, 65, ... >= n."""
    m = 17
    while m < n:
        m = 2 * m - 1
    if m > MAX_COLLOCATION:
        raise ValueError(f"a Dirichlet Fun of length {n} needs a collocation grid of {m} points, "
                         f"more than {MAX_COLLOCATION}: the solution is not resolved (loosen the "
                         f"tolerances, or the solution is not smooth)")
    return m


class DirichletChebyshev(Chebyshev):
    """Chebyshev series on ``[a, b]`` that vanish at ``a`` and ``b``; made by
    ``g.Chebyshev(a, b, bc="dirichlet")``."""

    bc = "dirichlet"

    def __repr__(self) -> str:
        return f"Chebyshev({self.a!r}, {self.b!r}, bc='dirichlet')"

    def constrain(self, c: np.ndarray, tol: float | None = None) -> np.ndarray:
        """``c`` minus the linear interpolant of its end values. With ``tol``, first refuse end
        values above ``max(BC_TOLERANCE, 1000 tol)`` times the size of the function."""
        right = np.sum(c)
        left = np.sum(c[::2]) - np.sum(c[1::2])
        if tol is not None:
            size = float(np.sum(np.abs(c)))
            bound = max(BC_TOLERANCE, 1000 * tol) * size
            if max(abs(left), abs(right)) > bound:
                raise ValueError(
                    f"a Fun on {self!r} must vanish at both ends, but u({self.a}) = {left:.3g} "
                    f"and u({self.b}) = {right:.3g}: give a function with u(a) = u(b) = 0 "
                    f"(or use g.Chebyshev({self.a}, {self.b}) without bc)")
        c = self.resize(c, max(len(c), 2)).copy()
        c[0] -= (right + left) / 2
        c[1] -= (right - left) / 2
        return c

    def diff(self, c: np.ndarray, order: int = 1) -> np.ndarray:
        """The method-of-lines derivative: the exact ``order``-th derivative at the interior
        points of the collocation grid, zero at the ends."""
        if order == 0:
            return c
        m = collocation_length(len(c))
        exact = Chebyshev.diff(self, c, order)
        values = self.to_values(self.resize(exact, m))
        values[0] = values[-1] = 0
        from .collocation import chopped  # the same cut as diagonal_apply's L u

        return chopped(self.to_coefficients(values))

    def integrate(self, c: np.ndarray):
        """None: an antiderivative does not vanish at both ends (Fun.integrate then returns a
        plain Chebyshev Fun)."""
        return None

    def plain(self) -> Chebyshev:
        """The Chebyshev space on the same interval, without boundary conditions."""
        return Chebyshev(self.a, self.b)
