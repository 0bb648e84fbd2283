"""The float64 fast path: the stepping loop of :mod:`generic.ode.stepping` compiled by Numba."""

from .driver import FastPathError, fast_path_refusal, solve_compiled

__all__ = ["solve_compiled", "fast_path_refusal", "FastPathError"]
