"""Ensembles as one array problem: the trajectories on the last axis, stepped together.

The batch is an array of a subclass of the trajectories' own array class (NumPy's, CuPy's)
whose only difference is its ``g.norm``: the largest of the trajectories' own RMS norms. So the
unchanged solvers accept a step only when every trajectory's error is within tolerance, with one
step size for all. Why one step size: the whole batch is then a few array operations per stage
(on a GPU, a few kernel launches for all trajectories), and the stepping loop stays the single
source (per-trajectory steps would need it written again in masked form). The price: every
trajectory takes the steps of the hardest one; ``EnsembleThreads`` gives each its own.
"""

from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from ...dispatch import register
from ...functions import norm
from ..problem import ODEProblem
from .solution import EnsembleSolution

__all__ = ["solve_batched", "batch_class"]

_BATCH_CLASSES: dict[type, type] = {}


def batch_class(cls: type) -> type:
    """The trajectory-batch subclass of the array class ``cls`` (made and registered once)."""
    if cls not in _BATCH_CLASSES:
        try:
            sub = type(f"TrajectoryBatch{cls.__name__.capitalize()}", (cls,),
                       {"__module__": __name__,
                        "__doc__": f"A {cls.__qualname__} whose last axis runs over the "
                                   f"trajectories of an ensemble (its g.norm: the largest of "
                                   f"theirs)."})
        except TypeError:
            raise TypeError(f"EnsembleBatched needs an array class it can subclass (NumPy's, "
                            f"CuPy's); {cls.__qualname__} cannot be: use g.EnsembleSerial()") \
                from None
        register(norm, _batch_norm, sub)
        _BATCH_CLASSES[cls] = sub
    return _BATCH_CLASSES[cls]


def _batch_norm(x) -> float:
    """The largest over the last axis (the trajectories) of the RMS over the other axes."""
    if x.size == 0:
        return 0.0
    xp = array_namespace(x)
    squares = xp.abs(x) ** 2
    per_trajectory = xp.mean(squares, axis=tuple(range(x.ndim - 1))) if x.ndim > 1 else squares
    return float(xp.sqrt(xp.max(per_trajectory)))


def solve_batched(ens, alg, n: int, options: dict, xp, progress) -> EnsembleSolution:
    """Solve ``n`` trajectories of ``ens`` as one batch in the namespace ``xp`` (default: the
    initial values')."""
    from ..progress import progress_bar, progress_callback
    from ..solve import solve
    from .solve import ensemble_options

    o = ensemble_options(ens, options)
    if o.get("callback") is not None:
        raise ValueError("EnsembleBatched steps all trajectories as one state, so callbacks "
                         "(which act on one trajectory) are not taken: use g.EnsembleThreads() "
                         "or g.EnsembleSerial()")
    prob, u0s, p = _stacked(ens, n)
    xp = array_namespace(u0s) if xp is None else _namespace(xp)
    u0 = xp.asarray(np.moveaxis(u0s, 0, -1)) if isinstance(u0s, np.ndarray) else \
        xp.moveaxis(xp.asarray(u0s), 0, -1)
    base = type(u0)
    u0 = u0.view(batch_class(base))
    if p is not None and not isinstance(p, tuple):
        p = xp.asarray(p)
    batch = ODEProblem(prob.f_user, u0, prob.tspan, p)
    t0, tf = (float(t) for t in prob.tspan)
    bar = progress_bar(abs(tf - t0), "t", progress)
    if bar is not None:
        o["callback"] = progress_callback(bar, t0, tf)
    try:
        sol = solve(batch, alg, compile=False, **o)
    finally:
        if bar is not None:
            bar.close()
    u = array_namespace(sol.u).moveaxis(sol.u, -1, 0).view(base)  # (n, times, *state)
    u_end = array_namespace(u0).moveaxis(sol.u[-1], -1, 0).view(base) if len(sol.t) else None
    retcodes, messages = [sol.retcode] * n, [sol.message] * n
    stats = [sol.stats] * n
    return EnsembleSolution(sol.t, u, retcodes, messages, stats,
                           t_end=np.full(n, float(sol.t[-1]) if len(sol.t) else np.nan),
                           u_end=u_end, alg=alg, mode="batched", total_stats=sol.stats)


def _namespace(xp):
    """An array namespace from a module (``cupy``, ``numpy``) or a namespace."""
    return array_namespace(xp.asarray([0.0]))


def _stacked(ens, n: int):
    """The shared problem, the initial values as one array over trajectories and the
    parameters: shared, or batched with the trajectories on the last axis."""
    prob, u0s, ps = ens.batch(n)
    u0s = _stack(u0s)
    if ps is None:
        return prob, u0s, prob.p
    rows = _stack(ps)
    xp = array_namespace(rows)
    return prob, u0s, xp.moveaxis(rows, 0, -1) if rows.ndim > 1 else rows


def _stack(items):
    """Items over trajectories as one array (an array already is one)."""
    if hasattr(items, "__array_namespace__"):
        return items
    first = items[0]
    if hasattr(first, "__array_namespace__") and not isinstance(first, np.ndarray):
        return array_namespace(first).stack(list(items))
    return np.asarray([np.asarray(item, dtype=float) for item in items])
