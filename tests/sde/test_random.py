"""The counter-based generator of the Brownian paths (generic/random.py): normal draws, uniform
bits, independent streams, reproducible, and the same bits as Python and compiled."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import generic as g
from generic import random as rnd

N = 200_000
KEY = np.uint64(rnd.seed_key(2024))


@pytest.fixture(scope="module")
def draws():
    return rnd.normals(KEY, np.uint64(0), N)


def test_normal_moments(draws):
    # mean 0 (SE 1/√N), variance 1 (SE √(2/N)), skewness 0 (SE √(6/N)), excess kurtosis 0
    # (SE √(24/N)): each within 5 standard errors, a false alarm once in ~1.7 million runs
    assert abs(draws.mean()) < 5 / np.sqrt(N)
    assert abs(draws.var() - 1) < 5 * np.sqrt(2 / N)
    assert abs(stats.skew(draws)) < 5 * np.sqrt(6 / N)
    assert abs(stats.kurtosis(draws)) < 5 * np.sqrt(24 / N)


def test_normal_distribution_kolmogorov_smirnov(draws):
    # against the exact normal CDF: KS's critical distance at p = 1e-4 for N = 2e5 is about
    # 4.3e-3, about the mass of one Ziggurat layer (1/256 = 3.9e-3), so a layer lost or doubled
    # shows; a sound generator fails once in 10^4 runs
    assert stats.kstest(draws, "norm").pvalue > 1e-4


def test_tails_are_normal(draws):
    # P(|Z| > 3) = 0.0027: the count of such draws is binomial; within 5 standard deviations.
    # The tail beyond r = 3.654 comes from Marsaglia's tail method, checked here too
    for cut in (3.0, 3.654, 4.0):
        p = 2 * stats.norm.sf(cut)
        count = np.sum(np.abs(draws) > cut)
        assert abs(count - N * p) < 5 * np.sqrt(N * p * (1 - p)) + 1


def test_uniform_bits_chi_square():
    # the 53-bit uniforms of consecutive counters in 100 equal bins: chi-square with 99 degrees
    # of freedom; p > 1e-4 (a sound generator fails once in 10^4 runs)
    # (the same source on uint64 arrays: NumPy wraps array arithmetic around silently)
    u = rnd.uniform_open(rnd.random_bits(KEY, np.arange(20_000, dtype=np.uint64)))
    counts = np.histogram(u, bins=100, range=(0.0, 1.0))[0]
    assert stats.chisquare(counts).pvalue > 1e-4
    assert 0 < u.min() and u.max() < 1


def test_consecutive_draws_are_uncorrelated(draws):
    # lag-k autocorrelations of iid draws have SE 1/√N
    for lag in (1, 2, 3, 7, 64):
        r = np.corrcoef(draws[:-lag], draws[lag:])[0, 1]
        assert abs(r) < 5 / np.sqrt(N)


def test_neighbouring_streams_are_uncorrelated():
    # streams i and i + 1 of one seed (ensemble trajectories), and seeds 0 and 1
    n = 50_000
    keys = [*rnd.stream_keys(7, 3), np.uint64(rnd.seed_key(0)), np.uint64(rnd.seed_key(1))]
    rows = np.array([rnd.normals(k, np.uint64(0), n) for k in keys])
    corr = np.corrcoef(rows)
    off_diagonal = corr[~np.eye(len(keys), dtype=bool)]
    assert np.all(np.abs(off_diagonal) < 5 / np.sqrt(n))


def test_stream_keys_are_distinct_and_match_the_single_ones():
    keys = rnd.stream_keys(5, 10_000)
    assert len(np.unique(keys)) == len(keys)
    assert int(keys[9]) == rnd.seed_key((5, 9)) and int(keys[0]) == rnd.seed_key(5)


@settings(max_examples=20, deadline=None)
@given(start=st.integers(0, 10**6), count=st.integers(0, 40), split=st.integers(0, 40))
def test_a_stream_is_a_function_of_its_counter(start, count, split):
    # any split of a run of draws gives the same numbers (odd or even starts alike)
    split = min(split, count)
    whole = rnd.normals(KEY, np.uint64(start), count)
    a = rnd.normals(KEY, np.uint64(start), split)
    b = rnd.normals(KEY, np.uint64(start + split), count - split)
    assert np.array_equal(whole, np.concatenate([a, b]))


def test_python_and_compiled_draws_are_bit_identical():
    # the register_jitable source run as Python (NumPy uint64 scalars, whose wrap-around is
    # what the generator wants) against the compiled draws
    compiled = rnd.normals(KEY, np.uint64(0), 3000)  # ~36 go through wedges or the tail
    with np.errstate(over="ignore"):
        python = np.array([rnd.normal(KEY, np.uint64(c)) for c in range(3000)])
    assert np.array_equal(python, compiled)


def test_seeds_are_checked_with_a_clear_error():
    for bad in (-1, 2**64, 1.5, (1, 2, 3)):
        with pytest.raises(ValueError, match="seed"):
            rnd.seed_key(bad)
    assert rnd.seed_key(np.random.SeedSequence(3)) == rnd.seed_key(np.random.SeedSequence(3))


def test_a_brownian_path_replays_its_draws():
    a = g.BrownianPath((2,), seed=9)
    b = g.BrownianPath((2,), seed=9)
    for t in (0.5, 1.0, 0.25, 0.75):  # forward, then bridged
        assert np.array_equal(a(t), b(t))
    c = g.BrownianPath((2,), seed=10)
    assert not np.array_equal(a(1.0), c(1.0))
    assert a.counter == 8  # four draws of two normals
