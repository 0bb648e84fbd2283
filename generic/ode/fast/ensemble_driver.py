"""``g.solve(EnsembleProblem, alg, ensemble=g.EnsembleThreads())``: the compiled ensemble."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from numba.core.errors import NumbaError

from .. import stepping
from ..solution import Stats
from .driver import FastPathError, _first_line, fast_path_refusal, prepare
from .ensemble import ensemble_entry
from .entry import BAD_SHAPE
from .parameters import ParameterError, flatten, layout

__all__ = ["solve_ensemble_compiled"]


def solve_ensemble_compiled(ens, alg, trajectories: int, options: dict, progress=None):
    """Solve ``trajectories`` trajectories of ``ens`` in one compiled call (or one per chunk
    when ``progress`` is a progress bar); an :class:`~..ensemble.EnsembleSolution`."""
    from ..ensemble.solution import EnsembleSolution

    batch = _batches(ens, trajectories)
    o = dict(options, save_everystep=False, dense=False)
    if o.get("saveat") is None:
        o["saveat"] = tuple(float(t) for t in batch.prob.tspan)
    refusal = fast_path_refusal(batch.prob, alg, o)
    if refusal is not None:
        raise FastPathError(f"the compiled ensemble cannot take this problem: {refusal}; use "
                            f"ensemble=g.EnsembleSerial() for the generic path")
    try:
        call = prepare(batch.prob, alg, o, batch.u0s[0], batch.p_example, keep_saves=False)
        p_rows = _flat_rows(batch, call.layout)
        out = _outputs(batch.u0s, len(call.record_args[16]))
        chunk = trajectories if progress is None else max(1, -(-trajectories // 100))
        for a in range(0, trajectories, chunk):
            b = min(a + chunk, trajectories)
            rows = p_rows if p_rows.shape[0] == 1 else p_rows[a:b]
            ensemble_entry(call.record_args[0], batch.u0s[a:b], rows,
                           *call.record_args[3:17], *call.functions, alg.order,
                           out.us[a:b], out.saved[a:b], out.status[a:b], out.counts[a:b],
                           out.ends[a:b], out.u_end[a:b])
            if progress is not None:
                progress.update(b - a)
    except NumbaError as error:
        raise FastPathError(f"the compiled ensemble: the problem's functions do not compile "
                            f"with Numba: {_first_line(error)}") from None
    if (out.status == BAD_SHAPE).any():
        raise ValueError(f"f(u0, p, t0) returned an array not shaped like u0 "
                         f"{batch.u0s.shape[1:]}: f must return du shaped like u")
    from ..integrator import failure_message
    retcodes, messages = [], []
    for i, status in enumerate(out.status):
        status = int(status)
        retcodes.append(stepping.RETCODE.get(status, "Success"))
        state = SimpleNamespace(t=float(out.ends[i, 0]), dt_failed=float(out.ends[i, 1]),
                                maxiters=int(o["maxiters"]), dtmin=call.dtmin)
        messages.append(failure_message(status, state) if status != stepping.SUCCESS else "")
    stats = [Stats(*(int(c) for c in row)) for row in out.counts]
    return EnsembleSolution(call.record_args[16], out.us, retcodes, messages, stats,
                            t_end=out.ends[:, 0].copy(), u_end=out.u_end, alg=alg,
                            mode="threads")


def _outputs(u0s: np.ndarray, n_times: int) -> SimpleNamespace:
    n = u0s.shape[0]
    return SimpleNamespace(
        us=np.full((n, n_times, *u0s.shape[1:]), np.nan), saved=np.zeros(n, dtype=np.int64),
        status=np.zeros(n, dtype=np.int64), counts=np.zeros((n, 3), dtype=np.int64),
        ends=np.zeros((n, 2)), u_end=np.full(u0s.shape, np.nan))


def _batches(ens, n: int) -> SimpleNamespace:
    """The trajectories' initial states as one float64 array, their parameters (None: the
    problem's, shared) and the problem they share."""
    prob, u0s, ps = ens.batch(n)
    u0s = _float_rows(u0s, n, "initial values")
    if ps is None:
        return SimpleNamespace(prob=prob, u0s=u0s, ps=None, p_example=prob.p)
    ps = list(ps[:n])
    if len(ps) != n:
        raise FastPathError(f"the compiled ensemble needs parameters for {n} trajectories, "
                            f"got {len(ps)}")
    return SimpleNamespace(prob=prob, u0s=u0s, ps=ps, p_example=ps[0])


def _flat_rows(batch, lay) -> np.ndarray:
    """The trajectories' parameters flattened (``parameters.flatten``), a row each (one row
    when they share the problem's)."""
    if batch.ps is None:
        return np.ascontiguousarray(flatten(batch.p_example, lay)[None, :])
    rows = []
    for p in map(_as_parameters, batch.ps):
        try:
            if layout(p) != lay:
                raise ParameterError(f"parameters {p!r} are not shaped like the first "
                                     f"trajectory's ({lay})")
            rows.append(flatten(p, lay))
        except ParameterError as error:
            raise FastPathError(f"the compiled ensemble: {error}; use "
                                f"ensemble=g.EnsembleSerial()") from None
    return np.ascontiguousarray(np.stack(rows)) if rows else np.zeros((0, 0))


def _as_parameters(p):
    """A trajectory's parameters as the problem would hold them (a list is a tuple)."""
    return tuple(p) if isinstance(p, list) else p


def _float_rows(items, n: int, what: str) -> np.ndarray:
    """``items[:n]`` as one C-contiguous float64 array over trajectories (1-d: a number each,
    2-d: a row each)."""
    try:
        rows = np.ascontiguousarray(np.asarray(list(items[:n]), dtype=np.float64))
    except (TypeError, ValueError) as error:
        raise FastPathError(f"the compiled ensemble needs float64 {what} of one shape for every "
                            f"trajectory ({error}); use ensemble=g.EnsembleSerial()") from None
    if rows.shape[0] != n or rows.ndim > 2:
        raise FastPathError(f"the compiled ensemble needs the {what} as numbers or 1-d float64 "
                            f"arrays, one per trajectory; got shape {rows.shape}")
    return rows
