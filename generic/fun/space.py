"""What a function space gives :class:`~.fun.Fun`: a basis on an interval ``[a, b]``.

A space turns values on its own grid into coefficients and back, evaluates, differentiates and
integrates coefficient vectors, and finds roots. :class:`~.fun.Fun` holds a space and a
coefficient vector and is written against this interface only, so a new basis (one that keeps
boundary conditions, say) is a new subclass. Coefficients are NumPy arrays (float64 or
complex128).
"""

from __future__ import annotations

import numpy as np

__all__ = ["Space"]


class Space:
    """A basis on ``[a, b]``. A subclass implements, for coefficient vectors ``c``:

    1. ``grid(n)``: the ``n`` sample points (increasing); ``sizes(start)``: the grid sizes
       adaptive construction tries, the first at least ``start``;
    2. ``to_coefficients(values)`` / ``to_values(c)``: the transforms between the grid and the
       basis (by the FFT), and ``resize(c, n)`` (pad with zeros or truncate);
    3. ``chop_magnitudes(c)``: a non-increasing-in-importance sequence of coefficient sizes that
       the chopping rules cut, and ``length_for(keep)`` the vector length that keeps ``keep``;
    4. ``evaluate(c, x)``, ``diff(c, order)``, ``integrate(c)`` (or None), ``sum(c)``,
       ``roots(c)``, ``product_length(n, m)``;
    5. ``constrain(c, tol)`` for a space with boundary conditions (the identity by default).
    """

    periodic: bool = False
    bc: str | None = None  # boundary conditions every Fun on the space keeps

    def constrain(self, c: np.ndarray, tol: float | None = None) -> np.ndarray:
        """``c`` made to satisfy the space's boundary conditions (the identity without any);
        with ``tol``, first raise if ``c`` misses them by more than a tolerance-sized amount."""
        return c

    def __init__(self, a: float = -1.0, b: float = 1.0):
        a, b = float(a), float(b)
        if not (np.isfinite(a) and np.isfinite(b) and a < b):
            raise ValueError(f"{type(self).__name__}({a}, {b}): the domain must be a finite "
                             f"interval with a < b")
        self.a, self.b = a, b

    @property
    def domain(self) -> tuple[float, float]:
        return self.a, self.b

    @property
    def length(self) -> float:
        """b - a."""
        return self.b - self.a

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.domain == self.domain

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.a, self.b))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.a!r}, {self.b!r})"

    def sizes(self, start: int = 17):
        """Grid sizes 17, 33, 65, ... (2^k + 1) from the first at least ``start``."""
        n = 17
        while n < start:
            n = 2 * n - 1
        while True:
            yield n
            n = 2 * n - 1

    def check_inside(self, x: np.ndarray) -> None:
        """Raise for points outside [a, b] (a little rounding allowed)."""
        slack = 1e-12 * max(self.length, abs(self.a), abs(self.b))
        if x.size and (np.min(x) < self.a - slack or np.max(x) > self.b + slack):
            raise ValueError(f"points outside the domain [{self.a}, {self.b}] of this Fun "
                             f"(min {np.min(x)}, max {np.max(x)})")
