"""A number type defined outside generic, made to pass through every solver.

Intervals [lo, hi] enclose a real number. The class below knows nothing about generic; the
methods after it, added with ``@g.dispatch``, teach generic's functions about it (value,
norm, eps, convert, sin, exp, ...) without touching library code. The conformance kit then
checks every row of the number protocol and prints what passes.

    python examples/custom_number_type.py      # exit status 0 when the kit passes
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction

import generic as g
from generic.testing import check_number_type


def _down(x: float) -> float:
    return math.nextafter(x, -math.inf)


def _up(x: float) -> float:
    return math.nextafter(x, math.inf)


class Interval:
    """The closed interval [lo, hi]. Every result is widened outward by one ulp at each end,
    which encloses the exact result of a correctly rounded operation and of a libm function
    accurate to one ulp: outward-correct enough for an example."""

    __slots__ = ("lo", "hi")

    def __init__(self, lo: float, hi: float | None = None):
        lo, hi = float(lo), float(lo if hi is None else hi)
        if not lo <= hi:
            raise ValueError(f"empty interval [{lo}, {hi}]")
        self.lo, self.hi = lo, hi

    @classmethod
    def outward(cls, lo: float, hi: float) -> Interval:
        return cls(_down(lo), _up(hi))

    def __repr__(self) -> str:
        return f"Interval({self.lo!r}, {self.hi!r})"

    def __contains__(self, x: float) -> bool:
        return self.lo <= x <= self.hi

    @property
    def width(self) -> float:
        return self.hi - self.lo

    # arithmetic, with Python numbers as degenerate intervals in both orders

    def __add__(self, other):
        o = _interval(other)
        return NotImplemented if o is None else Interval.outward(self.lo + o.lo, self.hi + o.hi)

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        o = _interval(other)
        return NotImplemented if o is None else Interval.outward(self.lo - o.hi, self.hi - o.lo)

    def __rsub__(self, other):
        o = _interval(other)
        return NotImplemented if o is None else o - self

    def __mul__(self, other):
        o = _interval(other)
        if o is None:
            return NotImplemented
        products = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return Interval.outward(min(products), max(products))

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        o = _interval(other)
        if o is None:
            return NotImplemented
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError(f"division by {o}, which contains 0")
        return self * Interval.outward(1 / o.hi, 1 / o.lo)

    def __rtruediv__(self, other):
        o = _interval(other)
        return NotImplemented if o is None else o / self

    def __neg__(self):
        return Interval(-self.hi, -self.lo)

    def __pos__(self):
        return self

    def __pow__(self, n):
        if not isinstance(n, int):
            return NotImplemented
        if n < 0:
            return 1 / self**-n
        if n % 2 == 1 or self.lo >= 0:
            return Interval.outward(self.lo**n, self.hi**n) if n else Interval(1.0)
        if self.hi <= 0:
            return Interval.outward(self.hi**n, self.lo**n)
        return Interval(0.0, _up(max(-self.lo, self.hi) ** n))


def _interval(x) -> Interval | None:
    if isinstance(x, Interval):
        return x
    if isinstance(x, (int, float)):  # also np.float64, a float
        return Interval(x)
    return None


# ----------------------------------------------------------------------------- the protocol
# Everything below is the number protocol (docs/testing.md), added from outside the library.


@g.dispatch
def value(x: Interval):
    """The midpoint: solvers take every decision on it."""
    return x.lo / 2 + x.hi / 2


@g.dispatch
def norm(x: Interval):
    """Like a measurement's: the value counts, the width is an uncertainty, not an error."""
    return abs(x.lo / 2 + x.hi / 2)


@g.dispatch
def isfinite(x: Interval):
    return math.isfinite(x.lo) and math.isfinite(x.hi)


@g.dispatch
def eltype(x: Interval):
    return Interval


@g.dispatch
def eps(x: Interval):
    """Machine epsilon; eps(Interval) follows, as the eps of convert(Interval, 0)."""
    return sys.float_info.epsilon


@g.dispatch
def convert(T: type[Interval], q: Fraction | int | str | float):
    """The tightest interval of floats around the exact constant ``q`` (1/3 is not a float)."""
    exact = Fraction(q)  # exact also for decimal strings: Fraction("0.1") == 1/10
    f = float(exact)
    if Fraction(f) == exact:
        return Interval(f)
    return Interval(f, _up(f)) if Fraction(f) < exact else Interval(_down(f), f)


# increasing functions map the endpoints


def _increasing(f, x: Interval) -> Interval:
    return Interval.outward(f(x.lo), f(x.hi))


@g.dispatch
def exp(x: Interval):
    return _increasing(math.exp, x)


@g.dispatch
def expm1(x: Interval):
    return _increasing(math.expm1, x)


@g.dispatch
def log(x: Interval):
    if x.lo <= 0:
        raise ValueError(f"log of {x}, which reaches 0 or below")
    return _increasing(math.log, x)


@g.dispatch
def log1p(x: Interval):
    if x.lo <= -1:
        raise ValueError(f"log1p of {x}, which reaches -1 or below")
    return _increasing(math.log1p, x)


@g.dispatch
def sqrt(x: Interval):
    if x.hi < 0:
        raise ValueError(f"sqrt of {x}, which is negative")
    return Interval(max(_down(math.sqrt(max(x.lo, 0.0))), 0.0), _up(math.sqrt(x.hi)))


@g.dispatch
def tanh(x: Interval):
    return Interval(max(_down(math.tanh(x.lo)), -1.0), min(_up(math.tanh(x.hi)), 1.0))


@g.dispatch
def atan(x: Interval):
    return _increasing(math.atan, x)


@g.dispatch
def sinh(x: Interval):
    return _increasing(math.sinh, x)


# even functions: the image of |x|


@g.dispatch
def abs(x: Interval):
    if x.lo >= 0:
        return x
    if x.hi <= 0:
        return -x
    return Interval(0.0, max(-x.lo, x.hi))


@g.dispatch
def cosh(x: Interval):
    a = abs(x)
    return Interval(max(_down(math.cosh(a.lo)), 1.0), _up(math.cosh(a.hi)))


# periodic functions: the endpoints, and ±1 where a maximum or minimum lies inside


def _periodic(f, x: Interval, maximum_at: float) -> Interval:
    """``f`` of period 2π with its maximum 1 at ``maximum_at`` and its minimum -1 half a
    period later."""

    def reaches(point: float) -> bool:  # point + 2πk in [lo, hi] for some integer k
        k = math.ceil((x.lo - point) / (2 * math.pi))
        return point + 2 * math.pi * k <= x.hi

    ends = (f(x.lo), f(x.hi))
    hi = 1.0 if reaches(maximum_at) else min(_up(max(ends)), 1.0)
    lo = -1.0 if reaches(maximum_at + math.pi) else max(_down(min(ends)), -1.0)
    return Interval(lo, hi)


@g.dispatch
def sin(x: Interval):
    return _periodic(math.sin, x, math.pi / 2)


@g.dispatch
def cos(x: Interval):
    return _periodic(math.cos, x, 0.0)


# ----------------------------------------------------------------------------- run the kit


def samples() -> list[Interval]:
    """Narrow intervals of both signs, some in (0, 2] for log and sqrt."""
    return [Interval(0.5, _up(0.5)), Interval(-1.25, -1.2499999999), Interval(2.0, 2.0000001)]


def main() -> int:
    report = check_number_type(samples(), raise_on_failure=False,
                               functions=("sin", "cos", "exp", "log", "sqrt", "abs", "tanh",
                                          "atan", "sinh", "cosh", "expm1", "log1p"))
    print(report)

    x = Interval(0.9, 1.1)
    y = g.sin(x) * g.exp(-x) + x**2 / 3
    print(f"\nsin(x) exp(-x) + x^2/3 on x = {x}: {y}, value {g.value(y):.6f}")
    print(f"one third, enclosed: {g.convert(Interval, Fraction(1, 3))}")
    # composability: duals of intervals give an enclosure of the derivative (cos 1 + sin 1)
    d = g.derivative(lambda t: g.sin(t) * t, Interval(1.0))
    exact = math.cos(1) + math.sin(1)
    print(f"d/dx [x sin x] at x = 1: {d}; contains cos 1 + sin 1 = {exact!r}: {exact in d}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
