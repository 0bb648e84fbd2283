"""Right-hand sides written once with the array's own namespace, shared by the device tests
(``test_array_api_devices.py``, ``test_cupy.py``)."""

import numpy as np
from array_api_compat import array_namespace


def ns(u):
    """The array namespace of ``u``; NumPy for anything else (the dual arrays that
    differentiate a NumPy solve)."""
    try:
        return array_namespace(u)
    except TypeError:
        return np


def lotka_volterra(u, p, t):
    x, y = u[0], u[1]
    return ns(u).stack([1.5 * x - x * y, -3.0 * y + x * y])


def robertson(u, p, t):
    y1, y2, y3 = u[0], u[1], u[2]
    return ns(u).stack([-0.04 * y1 + 1e4 * y2 * y3,
                        0.04 * y1 - 1e4 * y2 * y3 - 3e7 * y2**2,
                        3e7 * y2**2])
