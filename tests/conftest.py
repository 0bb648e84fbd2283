"""Shared test setup: hypothesis profiles and mpmath precision hygiene.

The "ci" profile (loaded by default) bounds every property test to a few dozen examples and
switches deadlines off (the first call of a plum function or a numba overload compiles, which
would trip a deadline), so the whole suite stays fast on two cores. Run more examples locally
with ``HYPOTHESIS_PROFILE=thorough python -m pytest``.
"""

import os

import mpmath
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _restore_mpmath_precision():
    """A test that sets ``mpmath.mp.dps`` must not change the precision of the next test."""
    prec = mpmath.mp.prec
    yield
    mpmath.mp.prec = prec
