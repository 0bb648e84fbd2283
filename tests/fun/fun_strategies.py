"""Hypothesis strategies for Funs: random series with geometrically decaying coefficients."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import generic as g

SPACES = [g.Chebyshev(-1, 1), g.Chebyshev(0.5, 3.0), g.Fourier(0, 2 * np.pi), g.Fourier(-1, 1)]


@st.composite
def funs(draw, space=None, max_length: int = 25):
    """A real Fun whose k-th coefficient is at most 0.7^k in size."""
    space = draw(st.sampled_from(SPACES)) if space is None else space
    m = draw(st.integers(1, max_length // 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    decay = 0.7 ** np.arange(m + 1)
    if space.periodic:
        half = (rng.uniform(-1, 1, m + 1) + 1j * rng.uniform(-1, 1, m + 1)) * decay
        half[0] = half[0].real
        c = np.concatenate([np.conj(half[:0:-1]), half])
    else:
        c = rng.uniform(-1, 1, 2 * m + 1) * 0.7 ** np.arange(2 * m + 1)
    return g.Fun.from_coefficients(c, space)


def pairs(max_length: int = 25):
    """Two Funs on one space."""
    return st.sampled_from(SPACES).flatmap(
        lambda s: st.tuples(funs(s, max_length), funs(s, max_length)))
