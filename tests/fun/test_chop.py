"""standardChop (Aurentz & Trefethen 2017) and the tail chop of compress."""

from __future__ import annotations

import numpy as np

from generic.fun.chop import standard_chop, tail_chop

EPS = np.finfo(float).eps


def test_standard_chop_cuts_a_geometric_series_where_it_meets_a_noise_plateau():
    # 10^-k for k = 0..49 plus noise at 1e-16: the paper's example; the series meets the
    # plateau at k = 16, and standardChop keeps about that many coefficients
    rng = np.random.default_rng(0)
    coeffs = 10.0 ** -np.arange(50) + 1e-16 * rng.standard_normal(50)
    keep = standard_chop(np.abs(coeffs), EPS)
    assert 14 <= keep <= 18


def test_standard_chop_keeps_everything_while_there_is_no_plateau():
    assert standard_chop(0.9 ** np.arange(40), EPS) == 40  # decays to 1.5e-2 only
    assert standard_chop(np.ones(10), EPS) == 10  # fewer than 17: undecided


def test_standard_chop_of_zero_and_of_a_constant():
    assert standard_chop(np.zeros(20), EPS) == 1
    assert standard_chop(np.r_[1.0, np.zeros(19)], EPS) == 1


def test_tail_chop_drops_exactly_the_tail_whose_sum_is_below_the_tolerance():
    m = np.array([1.0, 0.1, 0.01, 0.001, 0.0001])
    assert tail_chop(m, 0.0011) == 3  # 0.001 + 0.0001 <= 0.0011
    assert tail_chop(m, 0.00105) == 4
    assert tail_chop(m, 10.0) == 1  # never empty
