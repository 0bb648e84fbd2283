"""Chebyshev series on ``[a, b]``: first-kind coefficients, values at Chebyshev points of the
second kind.

Transforms are the DCT-I by the FFT of the even extension; evaluation is Clenshaw's recurrence;
derivative and antiderivative by the coefficient recurrences; the integral is Clenshaw–Curtis
(the exact integral of the interpolant); roots are the eigenvalues of the colleague matrix, with
recursive subdivision for long series. References: L. N. Trefethen, Approximation Theory and
Approximation Practice (SIAM 2013), chapters 2-3, 18-19; J. P. Boyd, "Computing zeros on a real
interval through Chebyshev expansion and polynomial rootfinding", SIAM J. Numer. Anal. 40 (2002).
"""

from __future__ import annotations

import numpy as np

from .chop import standard_chop
from .space import Space

__all__ = ["Chebyshev"]

EPS = float(np.finfo(float).eps)
# Long series are split in two before their colleague matrix is formed (Boyd); chebfun splits
# a little off the middle so that a root at 0 does not land on the break.
ROOTS_DIRECT_LENGTH = 50
ROOTS_SPLIT = -0.004849834917525


class Chebyshev(Space):
    """Chebyshev polynomials T_k on ``[a, b]`` (default [-1, 1]); a Fun's coefficients
    ``c`` mean ``u(x) = Σ_k c[k] T_k(t)``, ``t = (2x - a - b) / (b - a)``.

    ``bc="dirichlet"`` gives the space of such series that vanish at ``a`` and ``b``
    (:class:`~.dirichlet.DirichletChebyshev`)."""

    def __new__(cls, a: float = -1.0, b: float = 1.0, bc: str | None = None):
        if bc is None:
            return super().__new__(cls)
        if bc == "dirichlet":
            from .dirichlet import DirichletChebyshev

            return super().__new__(DirichletChebyshev)
        raise ValueError(f"Chebyshev(a, b, bc={bc!r}): bc is None or 'dirichlet' (u(a) = u(b) "
                         f"= 0)")

    def __init__(self, a: float = -1.0, b: float = 1.0, bc: str | None = None):
        super().__init__(a, b)

    def grid(self, n: int) -> np.ndarray:
        """The ``n`` Chebyshev points of the second kind, increasing, with both ends."""
        return self.from_unit(_unit_points(n))

    def to_unit(self, x):
        return (2 * x - (self.a + self.b)) / self.length

    def from_unit(self, t):
        return 0.5 * (self.a + self.b) + 0.5 * self.length * t

    def to_coefficients(self, values: np.ndarray) -> np.ndarray:
        return _values_to_coefficients(np.asarray(values))

    def to_values(self, c: np.ndarray) -> np.ndarray:
        return _coefficients_to_values(c)

    def resize(self, c: np.ndarray, n: int) -> np.ndarray:
        if n <= len(c):
            return c[:n]
        return np.concatenate([c, np.zeros(n - len(c), dtype=c.dtype)])

    def constant_index(self, n: int) -> int:
        return 0

    def is_real(self, c: np.ndarray) -> bool:
        return not np.iscomplexobj(c)

    def chop_magnitudes(self, c: np.ndarray) -> np.ndarray:
        return np.abs(c)

    def length_for(self, keep: int) -> int:
        return keep

    def product_length(self, n: int, m: int) -> int:
        return n + m - 1

    def evaluate(self, c: np.ndarray, x):
        """Clenshaw's recurrence at the points ``x``."""
        return _clenshaw_unit(c, self.to_unit(np.asarray(x, dtype=float)))

    def diff(self, c: np.ndarray, order: int = 1) -> np.ndarray:
        for _ in range(order):
            c = _derivative(c) * (2 / self.length)
        return c

    def integrate(self, c: np.ndarray) -> np.ndarray:
        """The antiderivative's coefficients (one longer), zero at ``a``."""
        n = len(c)
        padded = np.concatenate([c, np.zeros(2, dtype=c.dtype)])
        padded[0] *= 2
        k = np.arange(1, n + 1)
        b = np.empty(n + 1, dtype=c.dtype)
        b[1:] = (padded[:n] - padded[2:n + 2]) / (2 * k)
        b[0] = -np.sum(b[1:] * (-1.0) ** k)  # T_k(-1) = (-1)^k
        return b * (self.length / 2)

    def sum(self, c: np.ndarray):
        """∫_a^b u dx = (b - a)/2 Σ_{k even} c_k 2 / (1 - k²) (Clenshaw–Curtis)."""
        return np.sum(_weights_even(c)) * (self.length / 2)

    def mean_square(self, c: np.ndarray) -> float:
        """(1/(b - a)) ∫ |u|², exactly: |u|² sampled on enough points for its degree."""
        n = 2 * len(c) - 1
        squares = np.abs(_coefficients_to_values(self.resize(c, n))) ** 2
        return max(float(np.real(np.sum(_weights_even(
            _values_to_coefficients(squares))))) / 2, 0.0)

    def roots(self, c: np.ndarray) -> np.ndarray:
        """The real roots in [a, b], sorted."""
        if np.iscomplexobj(c):
            raise ValueError("roots: this Fun is complex; take g.real(u) or g.imag(u) first")
        return np.sort(self.from_unit(_unit_roots(np.asarray(c, dtype=float), 0)))


def _unit_points(n: int) -> np.ndarray:
    if n == 1:
        return np.zeros(1)
    m = n - 1
    return np.sin(np.pi * np.arange(-m, m + 1, 2) / (2 * m))  # symmetric to the last bit


def _values_to_coefficients(values: np.ndarray) -> np.ndarray:
    """DCT-I by the FFT: values at increasing Chebyshev points to T_k coefficients."""
    n = len(values)
    if n == 1:
        return values.astype(np.result_type(values, float)).copy()
    v = values[::-1]  # at cos(pi j / (n-1)), j = 0..n-1
    extended = np.concatenate([v, v[-2:0:-1]])
    spectrum = np.fft.fft(extended) / (n - 1)
    c = spectrum[:n] if np.iscomplexobj(values) else spectrum[:n].real
    c[0] /= 2
    c[n - 1] /= 2
    return c


def _coefficients_to_values(c: np.ndarray) -> np.ndarray:
    """The inverse DCT-I: T_k coefficients to values at increasing Chebyshev points."""
    n = len(c)
    if n == 1:
        return c.astype(np.result_type(c, float)).copy()
    d = np.concatenate([c, c[-2:0:-1]]).astype(np.result_type(c, float))
    d[1:n - 1] /= 2
    d[n:] /= 2
    values = np.fft.fft(d)[:n]
    values = values if np.iscomplexobj(c) else values.real
    return values[::-1].copy()


def _derivative(c: np.ndarray) -> np.ndarray:
    """d/dt of Σ c_k T_k(t): c'_k = 2 Σ_{j > k, j - k odd} j c_j (halved for k = 0)."""
    n = len(c)
    if n <= 1:
        return np.zeros(1, dtype=c.dtype)
    w = 2 * np.arange(n) * c
    s = np.zeros(n + 1, dtype=w.dtype)
    s[0:n:2] = np.cumsum(w[0::2][::-1])[::-1]
    s[1:n:2] = np.cumsum(w[1::2][::-1])[::-1]
    d = s[1:n].copy()
    d[0] /= 2
    return d


def _weights_even(c: np.ndarray) -> np.ndarray:
    """The terms of ∫_{-1}^{1} Σ c_k T_k: c_k 2/(1 - k²) for even k."""
    k = np.arange(0, len(c), 2)
    return c[::2] * (2 / (1 - k * k))


def _unit_roots(c: np.ndarray, depth: int) -> np.ndarray:
    """Real roots in [-1, 1] of Σ c_k T_k."""
    scale = np.max(np.abs(c)) if len(c) else 0.0
    if scale == 0:
        return np.empty(0)
    significant = np.nonzero(np.abs(c) > EPS * scale)[0]
    c = c[:significant[-1] + 1]
    if len(c) == 1:
        return np.empty(0)
    if len(c) > ROOTS_DIRECT_LENGTH and depth < 40:
        return _split_roots(c, depth)
    return _colleague_roots(c)


def _colleague_roots(c: np.ndarray) -> np.ndarray:
    """Eigenvalues of the colleague matrix of Σ c_k T_k (degree d = len(c) - 1 >= 1), kept
    where real and in [-1, 1] (to a small tolerance)."""
    d = len(c) - 1
    if d == 1:
        r = np.array([-c[0] / c[1]])
    else:
        A = np.zeros((d, d))
        A[0, 1] = 1.0
        i = np.arange(1, d - 1)
        A[i, i - 1] = A[i, i + 1] = 0.5
        A[d - 1, d - 2] = 0.5
        A[d - 1, :] -= c[:d] / (2 * c[d])
        r = np.linalg.eigvals(A)
    tol = 1e-8
    real = r[(np.abs(r.imag) <= tol) & (np.abs(r.real) <= 1 + tol)].real
    return np.clip(real, -1.0, 1.0)


def _split_roots(c: np.ndarray, depth: int) -> np.ndarray:
    """Boyd's subdivision: the roots on [-1, s] and [s, 1], each piece re-interpolated at as many
    points and chopped (it needs fewer coefficients than the whole)."""
    n = len(c)
    found = []
    for lo, hi in ((-1.0, ROOTS_SPLIT), (ROOTS_SPLIT, 1.0)):
        t = 0.5 * (lo + hi) + 0.5 * (hi - lo) * _unit_points(n)
        piece = _values_to_coefficients(_clenshaw_unit(c, t))
        keep = standard_chop(np.abs(piece), EPS)
        roots = _unit_roots(piece[:keep], depth + 1)
        found.append(0.5 * (lo + hi) + 0.5 * (hi - lo) * roots)
    left, right = found
    if len(left) and len(right) and abs(right[0] - left[-1]) < 1e-12:
        right = right[1:]  # one root on the break, found from both sides
    return np.concatenate([left, right])


def _clenshaw_unit(c: np.ndarray, t: np.ndarray) -> np.ndarray:
    b1 = b2 = np.zeros_like(t)
    for ck in c[:0:-1]:
        b1, b2 = ck + 2 * t * b1 - b2, b1
    return c[0] + t * b1 - b2
