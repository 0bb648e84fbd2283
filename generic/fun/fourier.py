"""Fourier series on a period ``[a, b)``: complex exponential coefficients, values on an
equispaced grid.

A Fun of length ``N = 2m + 1`` holds the coefficients of the wave numbers ``-m..m`` in that
order (the mean in the middle): ``u(x) = Σ_k c_k e^{i k ω (x - a)}``, ``ω = 2π / (b - a)``. A real
function's coefficients are exactly Hermitian (``c_{-k} = conj(c_k)``): the transforms of real
values use the real FFT and fill the negative wave numbers by conjugation, so real functions stay
real through arithmetic and calculus, and evaluate to real numbers. Differentiation is the
diagonal ``(i k ω)``; products are exact (both factors zero-padded to the product's length).
"""

from __future__ import annotations

import numpy as np

from .space import Space

__all__ = ["Fourier"]

EPS = float(np.finfo(float).eps)


class Fourier(Space):
    """Trigonometric series on the period ``[a, b)`` (default [0, 2π))."""

    periodic = True

    def __init__(self, a: float = 0.0, b: float = 2 * np.pi):
        super().__init__(a, b)

    @property
    def omega(self) -> float:
        return 2 * np.pi / self.length

    def grid(self, n: int) -> np.ndarray:
        """``n`` equispaced points ``a + (b - a) j / n``, j = 0..n-1 (n odd)."""
        _check_odd(n)
        return self.a + self.length * np.arange(n) / n

    def sizes(self, start: int = 33):
        """Grid sizes 33, 65, 129, ...: at least 17 wave numbers for standardChop."""
        return super().sizes(max(start, 33))

    def wave_numbers(self, n: int) -> np.ndarray:
        return np.arange(n) - n // 2

    def to_coefficients(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values)
        n = len(values)
        _check_odd(n)
        if np.iscomplexobj(values):
            return np.fft.fftshift(np.fft.fft(values)) / n
        half = np.fft.rfft(values) / n  # c_0 .. c_m
        return np.concatenate([np.conj(half[:0:-1]), half])

    def to_values(self, c: np.ndarray) -> np.ndarray:
        n = len(c)
        if self.is_real(c):
            return np.fft.irfft(c[n // 2:] * n, n)
        return np.fft.ifft(np.fft.ifftshift(c)) * n

    def resize(self, c: np.ndarray, n: int) -> np.ndarray:
        _check_odd(n)
        m_old, m_new = len(c) // 2, n // 2
        if m_new <= m_old:
            return c[m_old - m_new:m_old + m_new + 1]
        pad = np.zeros(m_new - m_old, dtype=c.dtype)
        return np.concatenate([pad, c, pad])

    def constant_index(self, n: int) -> int:
        return n // 2

    def is_real(self, c: np.ndarray) -> bool:
        return not np.iscomplexobj(c) or bool(np.array_equal(c[::-1], np.conj(c)))

    def chop_magnitudes(self, c: np.ndarray) -> np.ndarray:
        """|c_k| + |c_{-k}| for k = 0..m."""
        m = len(c) // 2
        a = np.abs(c)
        out = a[m:].copy()
        out[1:] += a[m - 1::-1] if m else a[:0]
        return out

    def length_for(self, keep: int) -> int:
        return 2 * keep - 1

    def product_length(self, n: int, m: int) -> int:
        return n + m - 1

    def evaluate(self, c: np.ndarray, x):
        """Horner's rule in z = e^{iω(x - a)} (|z| = 1: stable)."""
        theta = self.omega * (np.asarray(x, dtype=float) - self.a)
        z = np.exp(1j * theta)
        m = len(c) // 2
        if self.is_real(c):  # Re(c_0 + 2 Σ_{k>0} c_k z^k)
            total = np.zeros_like(z)
            for ck in c[:m:-1]:
                total = (total + 2 * ck) * z
            return (total + c[m]).real
        total = np.zeros_like(z)
        for ck in c[::-1]:
            total = total * z + ck
        return total * np.conj(z) ** m

    def diff(self, c: np.ndarray, order: int = 1) -> np.ndarray:
        return c * self.symbol(len(c), order)

    def symbol(self, n: int, order: int) -> np.ndarray:
        """(i k ω)^order for the wave numbers of a length-``n`` Fun."""
        k = self.wave_numbers(n)
        # (k ω)^order times i^order exactly, so that a real Fun's derivative stays exactly
        # Hermitian (complex powers would round the two halves differently)
        return (k * self.omega) ** order * (1, 1j, -1, -1j)[order % 4]

    def integrate(self, c: np.ndarray):
        """The periodic antiderivative, zero at ``a``; None when the mean is not zero (the
        antiderivative is not periodic then)."""
        n, m = len(c), len(c) // 2
        if abs(c[m]) > 10 * EPS * max(np.max(np.abs(c)), 1e-300):
            return None
        k = self.wave_numbers(n)
        d = np.zeros(n, dtype=complex)
        nonzero = k != 0
        d[nonzero] = c[nonzero] / (1j * k[nonzero] * self.omega)
        if self.is_real(c):  # Σ_{k≠0} d_k is real: keep d exactly Hermitian
            d[m] = -2 * np.sum(d[m + 1:].real)
        else:
            d[m] = -(np.sum(d[:m]) + np.sum(d[m + 1:]))
        return d

    def sum(self, c: np.ndarray):
        """∫_a^b u dx = (b - a) c_0."""
        c0 = c[len(c) // 2]
        return (c0.real if self.is_real(c) else c0) * self.length

    def mean_square(self, c: np.ndarray) -> float:
        """(1/(b - a)) ∫ |u|² = Σ |c_k|² (Parseval)."""
        return float(np.sum(np.abs(c) ** 2))

    def roots(self, c: np.ndarray):
        """None: a Fourier Fun finds its roots as a Chebyshev Fun on its period."""
        return None


def _check_odd(n: int) -> None:
    if n % 2 == 0:
        raise ValueError(f"a Fourier Fun has an odd number of coefficients (wave numbers -m..m) "
                         f"and of grid values; got {n}: drop or add one value")
