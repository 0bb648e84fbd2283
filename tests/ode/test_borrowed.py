"""``borrowed``: the compiled solve's read-only arrays without reference counting."""

from __future__ import annotations

import sys

import numpy as np
from numba import njit

from generic.ode.fast.borrowed import borrowed


@njit
def _write_through_borrowed(x, pair):
    view = borrowed(x)
    view[0] = 7.0  # the same data
    a, (b, label) = borrowed(pair)
    return view.sum() + a[1] + b, label


def test_borrowed_arrays_are_the_same_data_and_type():
    """A borrowed array reads and writes the caller's data, in tuples too (nested), and the
    members that are not arrays (a string, counted) pass through unchanged."""
    x = np.array([1.0, 2.0, 3.0])
    pair = (np.array([10.0, 20.0]), (5.0, "kept"))
    total, label = _write_through_borrowed(x, pair)
    assert x[0] == 7.0
    assert total == 7.0 + 2.0 + 3.0 + 20.0 + 5.0
    assert label == "kept"


def test_borrowed_arrays_leave_the_owners_count_alone():
    """Borrowing many times inside a loop neither releases nor keeps a reference to the
    caller's array (Python's count of it is unchanged) and leaves it intact."""
    @njit
    def many(x):
        s = 0.0
        for _ in range(1000):
            s += borrowed(x)[1]
        return s

    x = np.arange(3.0)
    many(x)  # compiled
    references = sys.getrefcount(x)
    assert many(x) == 1000.0
    assert sys.getrefcount(x) == references  # an unbalanced count would show here
    np.testing.assert_array_equal(x, [0.0, 1.0, 2.0])
