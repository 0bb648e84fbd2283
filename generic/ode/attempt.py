"""What one tried step returns, for every method and both paths."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Attempt"]


class Attempt(NamedTuple):
    """One tried step: the new state, its error norm (a float; 0 for a method that does not
    estimate it), f at the new state if the method has it for free (else None), the number of
    f evaluations, and what the dense output needs (stages and converted tableau, or None for
    Hermite interpolation)."""

    u_new: object
    err: float
    f_new: object
    nf: int
    ks: object = None
    tab: object = None
