"""Linear error propagation with correlations, cross-checked against `uncertainties`.

Run: python examples/measurements.py

A pendulum: g = 4 pi^2 L / T^2 from a measured length L and period T. The same formula runs on
generic measurements and on uncertainties numbers; then a vectorised sweep over many lengths
shares one period measurement, so the results are correlated.
"""

from __future__ import annotations

import math

import numpy as np
import uncertainties

import generic as g


def gravity(length, period):
    return 4 * math.pi**2 * length / period**2


# Scalars: two independent measurements.
L = g.measurement(0.9960, 0.0012)  # m
T = g.measurement(2.0031, 0.0025)  # s
G = gravity(L, T)
reference = gravity(uncertainties.ufloat(0.9960, 0.0012), uncertainties.ufloat(2.0031, 0.0025))
print(f"g = {G} m/s^2   (uncertainties: {reference})")
assert math.isclose(g.value(G), reference.nominal_value, rel_tol=1e-12)
assert math.isclose(g.uncertainty(G), reference.std_dev, rel_tol=1e-12)

# Correlations are exact: a quantity minus itself is 0 ± 0, two equal measurements are not.
print(f"G - G = {G - G!r};  two measurements of 5.23 ± 0.14 differ by "
      f"{g.measurement(5.23, 0.14) - g.measurement(5.23, 0.14)}")

# Generic functions propagate too: the small-angle correction factor for a 10 ± 1 degree swing.
theta = g.measurement(math.radians(10), math.radians(1))
correction = 1 + theta**2 / 16 + 11 * theta**4 / 3072
print(f"G corrected for amplitude = {G * correction**2}")

# Arrays: five lengths, each its own source, timed with the one period T (shared source).
lengths = g.measurement(np.array([0.5, 0.75, 1.0, 1.25, 1.5]), 0.001)
periods = T * g.sqrt(lengths / L)  # periods predicted from the calibration (L, T)
print("predicted periods:", periods)
print("correlation of the first three predictions:\n", np.round(g.correlation(periods[:3]), 3))

# The same computation in uncertainties, through the interop, agrees (correlations included).
u_periods = g.to_uncertainties(periods)
np.testing.assert_allclose(g.covariance(periods),
                           uncertainties.covariance_matrix(list(u_periods)), rtol=1e-12)
print("covariance matrix agrees with uncertainties.covariance_matrix")
