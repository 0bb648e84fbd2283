"""Butcher tableaus, stored exactly, converted once per solve to the state's number type.

A method is mostly data: a :class:`Tableau` of exact coefficients (``Fraction`` or decimal
strings with all the digits the paper gives), its order, and optionally its own dense output.
:func:`converted` turns the exact numbers into the number type of the state (``g.convert``), so
a 50-digit solve gets 50-digit coefficients; the result is cached per type and precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..dispatch import convert
from ..functions import eps

Exact = Fraction | int | str  # an exact coefficient: a fraction, or a decimal string


@dataclass(frozen=True)
class Tableau:
    """An explicit Runge–Kutta method's exact coefficients.

    ``A[i]`` is row i of the strictly lower-triangular matrix (``len(A[i]) == i``), ``c[i]`` the
    node and ``b`` the weights of the propagated solution (of order ``order``). ``btilde`` are the
    weights of the error estimate, ``b - bhat`` for an embedded solution ``bhat`` of order
    ``error_order`` (None for a method without one). ``fsal``: the last stage is f at the new
    point (first same as last), so a step costs ``stages - 1`` evaluations. ``dense``: the
    coefficients of a dense output, ``dense[i][j]`` the coefficient of θ**(j+1) in ``b_i(θ)``,
    the weight of stage i at θ ∈ [0, 1] (``u(t + θ dt) = u + dt Σ b_i(θ) k_i``), with
    ``dense_order`` its order; None means cubic Hermite interpolation.
    """

    name: str
    order: int
    c: tuple[Exact, ...]
    A: tuple[tuple[Exact, ...], ...]
    b: tuple[Exact, ...]
    btilde: tuple[Exact, ...] | None = None
    error_order: int | None = None
    fsal: bool = False
    dense: tuple[tuple[Exact, ...], ...] | None = None
    dense_order: int | None = None
    reference: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def stages(self) -> int:
        return len(self.c)

    def __hash__(self) -> int:
        return hash(self.name)


class Weights:
    """A row of coefficients in one number type: ``values`` (a tuple) and ``array`` (NumPy)."""

    __slots__ = ("values", "array")

    def __init__(self, values: tuple):
        self.values = values
        self.array = np.asarray(values, dtype=None if all(
            isinstance(v, (int, float, complex, np.number)) for v in values) else object)

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self):
        return iter(self.values)

    def __getitem__(self, i):
        return self.values[i]


@dataclass(frozen=True)
class ConvertedTableau:
    """A tableau's coefficients in one number type (tuples, so loops index them plainly)."""

    tableau: Tableau
    c: tuple
    A: tuple  # of Weights
    b: Weights
    btilde: Weights | None
    dense: tuple | None
    extra: dict  # the tableau's extra coefficient tuples, converted too
    fsal: bool = False
    btilde3: Weights | None = None  # a second error estimate's weights (DP8's 3rd order)

def converted(tableau: Tableau, T) -> ConvertedTableau:
    """``tableau`` with every coefficient converted to number type ``T`` (cached per type and
    precision, so a new working precision converts again)."""
    return _converted(tableau, T, eps(T))


@lru_cache(maxsize=256)
def _converted(tableau: Tableau, T, _precision) -> ConvertedTableau:
    def conv(values):
        return None if values is None else tuple(convert(T, q) for q in values)

    def weights(values):
        return None if values is None else Weights(conv(values))

    return ConvertedTableau(
        tableau=tableau,
        c=conv(tableau.c),
        A=tuple(weights(row) for row in tableau.A),
        b=weights(tableau.b),
        btilde=weights(tableau.btilde),
        dense=None if tableau.dense is None else tuple(conv(row) for row in tableau.dense),
        extra={key: weights(values) for key, values in tableau.extra.items()
               if isinstance(values, tuple)},
        fsal=tableau.fsal,
        btilde3=weights(tableau.extra.get("btilde3")),
    )
