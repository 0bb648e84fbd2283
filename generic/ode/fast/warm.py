"""``python -m generic compile``: compile the float64 fast path ahead of its first use.

The compiled solver has one specialisation per kind of problem (a number or an array state; the
explicit, the Rosenbrock or the implicit methods; a single solve or a threaded ensemble),
whatever the problem's parameters, method of the family, tolerances or callbacks. Each compiles
once per machine and Numba version (about a minute) into Numba's cache on disk; this runs one
small solve of each kind, so that later processes (a notebook, a job on a cluster node sharing
the installation) load them instead.
"""

from __future__ import annotations

import time

import numpy as np

__all__ = ["KINDS", "warm"]


def _array_explicit():
    import generic as g

    prob = g.ODEProblem(lambda u, p, t: -p[0] * u, np.array([1.0, 2.0]), (0.0, 1.0), p=(1.0,))
    g.solve(prob, g.Tsit5(), compile=True)


def _number_explicit():
    import generic as g

    g.solve(g.ODEProblem(lambda u, p, t: -u, 1.0, (0.0, 1.0)), g.Tsit5(), compile=True)


def _rosenbrock():
    import generic as g

    prob = g.ODEProblem(lambda u, p, t: np.array([-1e3 * u[0], -u[1]]), np.array([1.0, 1.0]),
                        (0.0, 1.0))
    g.solve(prob, g.Rodas5(), compile=True)


def _implicit():
    import generic as g

    prob = g.ODEProblem(lambda u, p, t: np.array([-1e3 * u[0], -u[1]]), np.array([1.0, 1.0]),
                        (0.0, 1.0))
    g.solve(prob, g.TRBDF2(), compile=True)


def _ensemble():
    import generic as g

    prob = g.ODEProblem(lambda u, p, t: -p[0] * u, np.array([1.0, 2.0]), (0.0, 1.0), p=(1.0,))
    g.solve(g.EnsembleProblem(prob, ps=[(1.0,), (2.0,)]), g.Tsit5(), compile=True)


KINDS = {"explicit": _array_explicit, "explicit-number": _number_explicit,
         "rosenbrock": _rosenbrock, "implicit": _implicit, "ensemble": _ensemble}


def warm(kinds: list[str] | None = None) -> dict[str, float]:
    """Compile (or load) the fast path's specialisations ``kinds`` (default all of
    :data:`KINDS`); the seconds each took."""
    unknown = sorted(set(kinds or ()) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}: choose from {sorted(KINDS)}")
    seconds = {}
    for kind in kinds or KINDS:
        start = time.perf_counter()
        KINDS[kind]()
        seconds[kind] = time.perf_counter() - start
    return seconds
