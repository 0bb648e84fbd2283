"""Choosing the next reaction: Gillespie's direct method and the sorting direct method.

Direct method (D. T. Gillespie, "Exact stochastic simulation of coupled chemical reactions",
J. Phys. Chem. 81 (1977) 2340-2361): with rates a_j and total a0, the time to the next event is
exponential with rate a0, and reaction j fires with probability a_j / a0 (the first whose
cumulative rate exceeds u·a0 for a uniform u). Sorting direct method (J. M. McCollum, G. D.
Peterson, C. D. Cox, M. L. Simpson, N. F. Samatova, "The sorting direct method for stochastic
simulation of biochemical systems with varying reaction execution behavior", Comput. Biol.
Chem. 30 (2006) 39-49): the same choice searched in an order that adapts (the reaction that
fired moves one place forward), so frequent reactions are found after few additions.

Every function here is ``register_jitable``: Numba compiles it for the compiled path and the
Python path runs it as it is (see :mod:`.simulate`).
"""

from __future__ import annotations

import math

from numba.extending import register_jitable

from .random import uniform

__all__ = ["total_rate", "waiting_time", "select", "promote", "fire"]


@register_jitable(inline="always")
def total_rate(a):
    """(a0, j): the sum of the rates ``a``, and -1 if all are finite and non-negative, else
    the index of the first that is not (the sum is then of those before it)."""
    a0 = 0.0
    for j in range(a.shape[0]):
        aj = a[j]
        if not (aj >= 0.0 and aj < math.inf):
            return a0, j
        a0 += aj
    return a0, -1


@register_jitable(inline="always")
def waiting_time(a0):
    """The time to the next event: exponential with rate ``a0`` (infinite when no reaction
    can fire; then nothing is drawn)."""
    if a0 > 0.0:
        return -math.log(1.0 - uniform()) / a0
    return math.inf


@register_jitable(inline="always")
def select(a, a0, order):
    """The position in ``order`` of the reaction that fires: the first whose cumulative rate,
    summed in that order, exceeds u·a0 (u uniform in [0, 1))."""
    target = uniform() * a0
    cumulative = 0.0
    last = -1
    for k in range(order.shape[0]):
        aj = a[order[k]]
        if aj > 0.0:
            cumulative += aj
            last = k
            if cumulative > target:
                return k
    return last  # rounding left u·a0 at the sum: the last reaction that can fire


@register_jitable(inline="always")
def promote(order, k):
    """Sorting direct method: the reaction at position ``k`` (it fired) moves one place
    forward in the search order."""
    if k > 0:
        j = order[k]
        order[k] = order[k - 1]
        order[k - 1] = j


@register_jitable(inline="always")
def fire(x, j, species, changes, counts):
    """Apply reaction ``j`` to the counts ``x``: ``x[species[j, i]] += changes[j, i]`` for its
    ``counts[j]`` non-zero stoichiometric entries."""
    for i in range(counts[j]):
        x[species[j, i]] += changes[j, i]
