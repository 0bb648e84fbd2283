"""``g.Fun``: a function on an interval as a Chebyshev or Fourier series.

``g.Fun(f, g.Chebyshev(a, b))`` samples the callable ``f`` on grids of 17, 33, 65, ... points
until its coefficients fall onto a plateau (Aurentz & Trefethen's standardChop), as chebfun does;
``g.Fun(f, g.Fourier(a, b))`` does the same for a periodic ``f``. A Fun is its space and its
coefficient vector; arithmetic, calculus and the generic functions make new Funs. Everything
that depends on the basis is a method of the space (:mod:`.chebyshev`, :mod:`.fourier`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .chop import standard_chop
from .space import Space

__all__ = ["Fun", "compose"]

EPS = float(np.finfo(float).eps)
MAX_LENGTH = 2**16 + 1


class Fun:
    """A function on ``space`` (a :class:`~.chebyshev.Chebyshev` or :class:`~.fourier.Fourier`
    interval), held as its series coefficients.

    ``Fun(f, space)``: adaptive construction from a callable (vectorised over a NumPy array of
    points, or else called point by point), a number (a constant) or another Fun (resampled on
    ``space``). ``length=n`` samples ``n`` points and keeps them all; ``tol`` is the relative
    accuracy (machine epsilon by default). Raises ValueError when ``f`` is not resolved by
    65537 points (not smooth, or not periodic for a Fourier space).

    ``len(u)`` is the number of coefficients, ``u.coefficients`` the coefficient vector,
    ``u.space`` the space, ``u(x)`` evaluates at a number or an array of points.
    """

    __array_ufunc__ = None  # NumPy scalars and arrays defer to the Fun's reflected operators
    __slots__ = ("space", "coefficients")

    def __init__(self, f, space: Space, *, length: int | None = None,
                 tol: float | None = None):
        if not isinstance(space, Space):
            raise TypeError(f"Fun(f, space): space must be g.Chebyshev(a, b) or "
                            f"g.Fourier(a, b), got {space!r}")
        self.space = space
        if isinstance(f, Fun) and f.space == space and length is None:
            self.coefficients = f.coefficients.copy()
            return
        if _is_number(f):
            c = np.zeros(1, dtype=np.result_type(type(f), float))
            c[0] = f
            self.coefficients = space.constrain(c, EPS)
            return
        if not callable(f):
            raise TypeError(f"Fun(f, space): f must be a callable, a number or a Fun, got "
                            f"{type(f).__qualname__}")
        sample = _sampler(f, space)
        tol = EPS if tol is None else tol
        if length is not None:
            c = space.to_coefficients(sample(int(length)))
        else:
            c = adaptive(sample, space, tol=tol)
        self.coefficients = space.constrain(c, tol)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_coefficients(cls, coefficients, space: Space) -> Fun:
        """The Fun with these coefficients (Chebyshev: of T_0, T_1, ...; Fourier: of the wave
        numbers -m..m, odd length)."""
        c = _as_coefficients(coefficients)
        if space.periodic and len(c) % 2 == 0:
            raise ValueError(f"Fourier coefficients come for wave numbers -m..m: an odd "
                             f"number, got {len(c)}")
        return cls._make(space, space.constrain(c, EPS))

    @classmethod
    def from_values(cls, values, space: Space) -> Fun:
        """The interpolant of ``values`` at ``space.grid(len(values))`` (Chebyshev points of the
        second kind, increasing; or the equispaced periodic grid, odd length)."""
        c = space.to_coefficients(_as_coefficients(values))
        return cls._make(space, space.constrain(c, EPS))

    @classmethod
    def _make(cls, space: Space, coefficients: np.ndarray) -> Fun:
        u = cls.__new__(cls)
        u.space, u.coefficients = space, coefficients
        return u

    def _new(self, coefficients: np.ndarray) -> Fun:
        return Fun._make(self.space, coefficients)

    # ------------------------------------------------------------------ inspection

    def __len__(self) -> int:
        return len(self.coefficients)

    def __repr__(self) -> str:
        kind = "real" if self.isreal else "complex"
        return f"Fun({self.space!r}, length {len(self)}, {kind})"

    @property
    def isreal(self) -> bool:
        """Whether the function is real (it then evaluates to real numbers)."""
        return self.space.is_real(self.coefficients)

    @property
    def values(self) -> np.ndarray:
        """The values at ``self.points`` (the space's grid of ``len(self)`` points)."""
        return self.space.to_values(self.coefficients)

    @property
    def points(self) -> np.ndarray:
        return self.space.grid(len(self))

    def copy(self) -> Fun:
        return self._new(self.coefficients.copy())

    def __call__(self, x):
        """u at ``x``: a number for a number, an array for an array."""
        xs = np.asarray(x, dtype=float)
        if not self.space.periodic:
            self.space.check_inside(xs)
        y = self.space.evaluate(self.coefficients, xs)
        return y.item() if np.ndim(y) == 0 else y

    # ------------------------------------------------------------------ arithmetic

    def _other(self, other):
        """``other`` as a Fun on this space, or as a number; None if it is neither."""
        if isinstance(other, Fun):
            if other.space != self.space:
                raise ValueError(f"Funs on different spaces ({self.space!r} and "
                                 f"{other.space!r}): resample one, g.Fun(u, space)")
            return other
        return other if _is_number(other) else None

    def __add__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        if isinstance(other, Fun):
            n = max(len(self), len(other))
            return self._new(self.space.resize(self.coefficients, n)
                             + self.space.resize(other.coefficients, n))
        c = self.coefficients.astype(np.result_type(self.coefficients, type(other)))
        c[self.space.constant_index(len(c))] += other
        return self._new(self.space.constrain(c, EPS))

    __radd__ = __add__

    def __neg__(self) -> Fun:
        return self._new(-self.coefficients)

    def __pos__(self) -> Fun:
        return self

    def __sub__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        return (-self) + other

    def __mul__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        if isinstance(other, Fun):
            return self._product(other)
        return self._new(self.coefficients * other)

    __rmul__ = __mul__

    def _product(self, other: Fun) -> Fun:
        """The exact product (both factors padded to its length, multiplied on the grid),
        trailing coefficients below machine precision dropped."""
        space = self.space
        n = space.product_length(len(self), len(other))
        values = space.to_values(space.resize(self.coefficients, n)) \
            * space.to_values(space.resize(other.coefficients, n))
        return self._new(space.constrain(trim(space.to_coefficients(values), space)))

    def __truediv__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        if isinstance(other, Fun):
            _check_no_roots(other)
            return compose(np.divide, self, other)
        return self._new(self.coefficients / other)

    def __rtruediv__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        _check_no_roots(self)
        return compose(lambda v: other / v, self)

    def __pow__(self, exponent):
        if isinstance(exponent, (int, np.integer)) and exponent >= 0:
            if exponent == 0:
                return Fun(1.0, self.space)
            result, base, n = None, self, int(exponent)
            while n:
                if n & 1:
                    result = base if result is None else result * base
                n >>= 1
                if n:
                    base = base * base
            return result
        if isinstance(exponent, Fun):
            return compose(np.power, self, exponent)
        if not _is_number(exponent):
            return NotImplemented
        if isinstance(exponent, (int, np.integer)):
            return 1 / (self ** (-int(exponent)))
        return compose(lambda v: v ** exponent, self)

    def __rpow__(self, base):
        if not _is_number(base):
            return NotImplemented
        return compose(lambda v: base ** v, self)

    def __abs__(self) -> Fun:
        _check_no_roots(self, "abs", ValueError)
        return compose(np.abs, self)

    # ------------------------------------------------------------------ calculus

    def diff(self, order: int = 1) -> Fun:
        """The ``order``-th derivative. On a space with Dirichlet conditions, the method-of-
        lines derivative: exact at the interior collocation points, zero at the ends
        (:mod:`.dirichlet`); ``u.to_chebyshev().diff()`` is the calculus derivative there."""
        if order < 0:
            raise ValueError(f"diff(order={order}): order must be >= 0")
        return self._new(self.space.diff(self.coefficients, order))

    def integrate(self) -> Fun:
        """The antiderivative that is zero at ``a``. A Fourier Fun with a nonzero mean has no
        periodic antiderivative: the result is then a Chebyshev Fun on the same interval."""
        d = self.space.integrate(self.coefficients)
        if d is None:
            return self.to_chebyshev().integrate()
        return self._new(d)

    def sum(self):
        """∫_a^b u(x) dx."""
        s = self.space.sum(self.coefficients)
        return s.item() if isinstance(s, np.generic) else s

    def mean(self):
        """The mean value (1/(b - a)) ∫_a^b u."""
        return self.sum() / self.space.length

    def roots(self) -> np.ndarray:
        """The real roots in [a, b] (in [a, b) for a periodic Fun), sorted."""
        r = self.space.roots(self.coefficients)
        if r is not None:
            return r
        r = self.to_chebyshev().roots()
        a, period = self.space.a, self.space.length
        r = np.sort(np.where(r >= self.space.b - 1e-12 * period, a, r))  # b is a again
        if len(r) > 1 and r[1] - r[0] < 1e-12 * period:
            r = r[1:]  # the root at a, found at both ends
        return r

    def to_chebyshev(self) -> Fun:
        """The same function as a Chebyshev Fun on the same interval."""
        from .chebyshev import Chebyshev

        if type(self.space) is Chebyshev:
            return self
        if isinstance(self.space, Chebyshev):  # with boundary conditions: the same series
            return Fun._make(Chebyshev(*self.space.domain), self.coefficients.copy())
        return Fun(self, Chebyshev(*self.space.domain))

    def _extremum(self, sign: float):
        if not self.isreal:
            raise ValueError("max/min of a complex Fun: take g.real(u) or abs first")
        calculus = self if self.space.periodic else self.to_chebyshev()  # the true derivative
        candidates = np.concatenate([calculus.diff().roots(), [self.space.a, self.space.b]])
        values = self(candidates)
        i = int(np.argmax(sign * values))
        return float(values[i]), float(candidates[i])

    def max(self) -> float:
        """The maximum of a real Fun (at a root of u' or an end point)."""
        return self._extremum(1.0)[0]

    def min(self) -> float:
        """The minimum of a real Fun."""
        return self._extremum(-1.0)[0]

    def argmax(self) -> float:
        return self._extremum(1.0)[1]

    def argmin(self) -> float:
        return self._extremum(-1.0)[1]

    def norm(self, p: float = 2) -> float:
        """p = 2: the root mean square sqrt((1/(b - a)) ∫ |u|²) (``g.norm``, the solvers' error
        norm); p = inf: the maximum of |u|."""
        if p == 2:
            return float(np.sqrt(self.space.mean_square(self.coefficients)))
        if p == np.inf:
            if self.isreal:
                return max(abs(self.max()), abs(self.min()))
            return (self * self.conj()).real.max() ** 0.5
        raise ValueError(f"norm(p={p}): p must be 2 or numpy.inf")

    def conj(self) -> Fun:
        """The complex conjugate."""
        c = self.coefficients
        if not np.iscomplexobj(c):
            return self
        return self._new(np.conj(c[::-1]) if self.space.periodic else np.conj(c))

    @property
    def real(self) -> Fun:
        """The real part (exactly real: a Chebyshev Fun of real coefficients, a Fourier Fun of
        exactly Hermitian ones)."""
        c = self.coefficients
        if not np.iscomplexobj(c):
            return self
        return self._new((c + np.conj(c[::-1])) * 0.5 if self.space.periodic else c.real)

    @property
    def imag(self) -> Fun:
        """The imaginary part, a real Fun."""
        c = self.coefficients
        if not np.iscomplexobj(c):
            return self._new(np.zeros(1))
        return self._new((c - np.conj(c[::-1])) * -0.5j if self.space.periodic else c.imag)

    def plot(self, ax=None, n: int = 1000, **kwargs):
        """Plot on ``ax`` (a matplotlib Axes; the current one by default) at ``n`` points;
        a complex Fun plots its real and imaginary parts. Returns the Axes."""
        import matplotlib.pyplot as plt

        ax = plt.gca() if ax is None else ax
        x = np.linspace(self.space.a, self.space.b, n)
        y = self(x)
        if np.iscomplexobj(y):
            ax.plot(x, y.real, label="real", **kwargs)
            ax.plot(x, y.imag, label="imag", **kwargs)
            ax.legend()
        else:
            ax.plot(x, y, **kwargs)
        return ax


# ---------------------------------------------------------------------- building blocks

def adaptive(sample: Callable[[int], np.ndarray], space: Space, tol: float = EPS,
             start: int = 17) -> np.ndarray:
    """The chopped coefficients of the function whose values on ``space.grid(n)`` are
    ``sample(n)``, for grids of 2^k + 1 points (from ``start``) until standardChop finds the
    series resolved."""
    for n in space.sizes(start):
        if n > MAX_LENGTH:
            break
        values = sample(n)
        if not np.all(np.isfinite(values)):
            raise ValueError(f"the function gave nan or inf on {space!r}: it must be finite "
                             f"on the whole interval")
        c = space.to_coefficients(values)
        magnitudes = space.chop_magnitudes(c)
        keep = standard_chop(magnitudes, tol)
        if keep < len(magnitudes):
            return space.resize(c, space.length_for(keep))
    raise ValueError(f"the function is not resolved on {space!r} with {MAX_LENGTH} points: "
                     f"is it smooth{' and periodic' if space.periodic else ''} there? "
                     f"(Fun(f, space, length=n) samples n points without the check)")


def compose(F: Callable, *funs: Fun, tol: float = EPS) -> Fun:
    """The Fun of ``x -> F(u1(x), u2(x), ...)`` for Funs on one space, by adaptive resampling:
    the Funs' values on ever finer grids (by the FFT) go through ``F`` (applied to NumPy
    arrays) until the result is resolved."""
    space = funs[0].space
    for u in funs[1:]:
        if u.space != space:
            raise ValueError(f"compose: Funs on different spaces ({space!r}, {u.space!r})")

    def sample(n: int) -> np.ndarray:
        return np.asarray(F(*(space.to_values(space.resize(u.coefficients, n)) for u in funs)))

    longest = max(len(u) for u in funs)
    return Fun._make(space, space.constrain(adaptive(sample, space, tol, start=longest), tol))


def trim(c: np.ndarray, space: Space, tol: float = EPS) -> np.ndarray:
    """``c`` without the trailing coefficients (outermost wave numbers) below ``tol`` times the
    largest."""
    magnitudes = space.chop_magnitudes(c)
    big = np.nonzero(magnitudes > tol * np.max(magnitudes, initial=0.0))[0]
    keep = big[-1] + 1 if len(big) else 1
    return space.resize(c, space.length_for(keep))


def _sampler(f: Callable, space: Space) -> Callable[[int], np.ndarray]:
    """``n -> f`` on ``space.grid(n)``: one call on the array of points when ``f`` is
    vectorised, else one call per point."""
    def sample(n: int) -> np.ndarray:
        x = space.grid(n)
        try:
            y = f(x)
            y = np.asarray(y) if not isinstance(y, Fun) else None
        except (TypeError, ValueError):
            y = None
        if y is None or y.dtype == object or y.shape not in ((n,), ()):
            y = np.asarray([f(float(xi)) for xi in x])
            if y.dtype == object:
                raise TypeError("Fun(f, space): f must return numbers (float or complex)")
        return np.broadcast_to(y, (n,)).astype(np.result_type(y, float))

    return sample


def _as_coefficients(values) -> np.ndarray:
    c = np.array(values)
    if c.ndim != 1 or len(c) == 0:
        raise ValueError(f"a Fun needs a non-empty vector of values or coefficients, got shape "
                         f"{c.shape}")
    if c.dtype.kind not in "biufc":
        raise TypeError(f"a Fun's coefficients are float or complex numbers, got dtype "
                        f"{c.dtype}")
    return c.astype(np.result_type(c, float))


def _is_number(x) -> bool:
    return isinstance(x, (int, float, complex, np.number)) and not isinstance(x, bool)


def _check_no_roots(u: Fun, what: str = "division", error: type = ZeroDivisionError) -> None:
    if u.isreal and len(u.roots()):
        raise error(f"{what}: the Fun has roots in [{u.space.a}, {u.space.b}] "
                                f"(at {u.roots()[:3]}...): the result is not smooth there")
