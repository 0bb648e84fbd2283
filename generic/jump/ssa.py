"""``g.ssa``: Gillespie's stochastic simulation algorithm, one run or an ensemble."""

from __future__ import annotations

import inspect
import math
import secrets
import warnings
from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace

import numpy as np

from .random import run_seed, run_seeds, seed_stream
from .simulate import BAD_RATE, BAD_SHAPE, RETCODES, SUCCESS, simulate
from .solution import SSAEnsembleSolution, SSASolution, SSAStats

__all__ = ["ssa", "SSACompileError", "SSACompileWarning"]

METHODS = ("direct", "sorting")


class SSACompileError(TypeError):
    """``ssa(..., compile=True)`` on propensities or parameters Numba cannot compile."""


class SSACompileWarning(UserWarning):
    """``ssa`` fell back to the Python path: the propensities or parameters do not compile."""


def ssa(x0, propensities: Callable, stoichiometry, p, tf: float, *, seed: int | None = None,
        saveat=None, trajectories: int | None = None, method: str = "direct",
        compile: bool | None = None, maxiters: int = 10**7
        ) -> SSASolution | SSAEnsembleSolution:
    """Simulate a reaction network exactly with Gillespie's stochastic simulation algorithm.

    x0: the initial counts (integers, one per species). propensities(x, p): the reactions'
    rates in state ``x`` (an int64 array: read it, do not change it), a sequence of floats.
    stoichiometry: integers, shape (reactions, species): row j is added to ``x`` when reaction
    j fires. p: parameters (a float, an array, a tuple; a list of numbers is passed as a
    float64 array). tf: the end time (runs start at 0).

    seed: an integer in [0, 2**64); the same seed gives the same run on both paths (None: a
    fresh one, kept in ``sol.seed``). saveat: save only on a grid (a spacing, or sorted times
    in [0, tf]) instead of at every event. trajectories: run that many times in one call
    (compiled: one ``prange`` call over Numba's threads), run ``i`` seeded from ``(seed, i)``
    (run 0 is the single run with ``seed``); saved on ``saveat`` (default ``[0, tf]``).
    method: "direct" (Gillespie 1977) or "sorting" (sorting direct method, McCollum et al.
    2006): the same statistics, the sorting one faster when few reactions dominate.
    compile: None compiles with Numba when it can and otherwise warns
    (:class:`SSACompileWarning`) and runs the same source as Python; True raises
    :class:`SSACompileError` instead; False runs as Python. maxiters: the most events per run
    (then retcode "MaxIters").

    Returns an :class:`SSASolution` (``t``, ``x``, ``sol(t)``, ``retcode``, ``stats``) or,
    with ``trajectories``, an :class:`SSAEnsembleSolution` (``x`` of shape (runs, times,
    species), ``mean()``, ``var()``, ``quantile(q)``). A propensity that is negative or not
    finite, or the wrong number of rates, raises ``ValueError``.
    """
    network = _network(x0, propensities, stoichiometry, tf, method, maxiters)
    p = _parameters(p)
    seed = secrets.randbits(63) if seed is None else _seed(seed)
    if trajectories is None:
        grid = None if saveat is None else _grid(saveat, network.tf)
    else:
        trajectories = _count(trajectories)
        grid = _grid(np.array([0.0, network.tf]) if saveat is None else saveat, network.tf)
    addrs = _compiled_addresses(propensities, network.x0, p, compile)
    if trajectories is None:
        return _single(network, p, grid, seed, addrs)
    return _ensemble(network, p, grid, seed, trajectories, addrs)


# ------------------------------------------------------------------ checking the arguments

def _integers(name: str, values, ndim: int, shape_text: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != ndim or array.dtype.kind not in "iuf" or array.size == 0:
        raise ValueError(f"ssa: {name} must be {shape_text} of integers, got "
                         f"{array.dtype} of shape {array.shape}")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array) & (array == np.round(array))):
        raise ValueError(f"ssa: {name} must hold whole numbers, got {array}")
    return np.ascontiguousarray(array, dtype=np.int64)


def _network(x0, propensities, stoichiometry, tf, method, maxiters) -> SimpleNamespace:
    x0 = _integers("x0", x0, 1, "a 1-d array (one count per species)")
    if np.any(x0 < 0):
        raise ValueError(f"ssa: x0 holds counts, which cannot be negative: {x0}")
    nu = _integers("stoichiometry", stoichiometry, 2, "a 2-d array (reactions, species)")
    if nu.shape[1] != x0.shape[0]:
        raise ValueError(f"ssa: stoichiometry has shape {nu.shape} (reactions, species) but "
                         f"x0 has {x0.shape[0]} species: give one column per species")
    if not callable(propensities):
        raise TypeError(f"ssa: propensities must be a function (x, p) -> rates, got "
                        f"{propensities!r}")
    _check_arity(propensities)
    tf = float(tf)
    if not (0.0 < tf < math.inf):
        raise ValueError(f"ssa: tf must be a positive finite time, got {tf}")
    if method not in METHODS:
        raise ValueError(f"ssa: method must be one of {METHODS}, got {method!r}")
    if int(maxiters) < 0:
        raise ValueError(f"ssa: maxiters must be >= 0, got {maxiters}")
    species, changes, counts = _sparse(nu.tobytes(), nu.shape)
    return SimpleNamespace(x0=x0, propensities=propensities, tf=tf, species=species,
                           changes=changes, counts=counts, sorting=method == "sorting",
                           maxiters=int(maxiters))


@lru_cache(maxsize=256)
def _sparse(data: bytes, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stoichiometry (int64 bytes of ``shape``) as (species, changes, counts): row j's
    ``counts[j]`` non-zero entries, in column order (see :func:`.direct.fire`)."""
    nu = np.frombuffer(data, dtype=np.int64).reshape(shape)
    nonzero = nu != 0
    counts = nonzero.sum(axis=1).astype(np.int64)
    width = max(int(counts.max()), 1)
    species = np.ascontiguousarray(np.argsort(~nonzero, axis=1, kind="stable")[:, :width])
    changes = np.ascontiguousarray(np.take_along_axis(nu, species, axis=1))
    for array in (species, changes, counts):
        array.flags.writeable = False
    return species, changes, counts


@lru_cache(maxsize=1024)
def _check_arity(propensities) -> None:
    function = getattr(propensities, "py_func", propensities)
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return
    required = [q for q in parameters if q.default is q.empty
                and q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD)]
    if len(required) != 2:
        raise TypeError(f"ssa: propensities must take (x, p), got {len(required)} required "
                        f"argument(s): the direct method assumes rates that change only at "
                        f"events (time-dependent rates would need thinning)")


def _parameters(p):
    if isinstance(p, list) and all(isinstance(v, (int, float)) for v in p):
        return np.asarray(p, dtype=np.float64)
    return p


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) \
            or not 0 <= seed < 2**64:
        raise ValueError(f"ssa: seed must be an integer in [0, 2**64), got {seed!r}")
    return int(seed)


def _count(trajectories) -> int:
    if isinstance(trajectories, bool) or not isinstance(trajectories, (int, np.integer)) \
            or trajectories < 1:
        raise ValueError(f"ssa: trajectories must be a positive integer, got {trajectories!r}")
    return int(trajectories)


def _grid(saveat, tf: float) -> np.ndarray:
    """The saveat times: a spacing (0, h, 2h, ..., and tf) or sorted times in [0, tf]."""
    if np.ndim(saveat) == 0:
        step = float(saveat)
        if not step > 0:
            raise ValueError(f"ssa: a saveat spacing must be positive, got {saveat}")
        n = int(math.floor(tf / step * (1 + 1e-12)))
        times = step * np.arange(n + 1)
        return times if abs(times[-1] - tf) <= 1e-12 * tf else np.append(times, tf)
    times = np.asarray(saveat, dtype=np.float64)
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) < 0) or times[0] < 0 \
            or times[-1] > tf:
        raise ValueError(f"ssa: saveat must be a spacing or sorted times in [0, tf={tf}], "
                         f"got {saveat!r}")
    return np.ascontiguousarray(times)


# ------------------------------------------------------------------ choosing the path

def _compiled_addresses(propensities, x0, p, compile) -> tuple[int, int] | None:
    """The compiled propensities' addresses, or None for the Python path."""
    if compile is False:
        return None
    from numba.core.errors import NumbaError
    try:
        from .compiled import compiled_rates_addresses
        return compiled_rates_addresses(propensities, p)
    except (NumbaError, ValueError, TypeError) as error:
        reason = _first_lines(error)
    text = (f"ssa: the propensities (or p of type {type(p).__qualname__}) do not compile with "
            f"Numba: {reason}")
    if compile:
        raise SSACompileError(text + "; pass compile=None to fall back to Python") from None
    warnings.warn(text + "; running them as Python (slower; compile=False silences this)",
                  SSACompileWarning, stacklevel=3)
    return None


def _first_lines(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = " ".join(lines[:3])
    return text if len(text) < 400 else text[:400] + "..."


def _python_rates(propensities):
    """``rates(a, x, p)`` of the loop (see :func:`.simulate.simulate`) around the user's."""
    def rates(a, x, p):
        r = np.asarray(propensities(x, p), dtype=np.float64)
        if r.ndim != 1:
            return -1
        if r.shape[0] == a.shape[0]:
            a[:] = r
        return r.shape[0]
    return rates


# ------------------------------------------------------------------ running

def _run(network, p, grid, out, every_event, seed, addrs):
    if addrs is not None:
        from .compiled import run_compiled
        return run_compiled(addrs, network.x0, p, network.tf, network.species, network.changes,
                            network.counts, grid, out, every_event, network.sorting,
                            network.maxiters, seed)
    seed_stream(seed)
    return simulate(_python_rates(network.propensities), network.x0, p, network.tf,
                    network.species, network.changes, network.counts, grid, out, every_event,
                    network.sorting, network.maxiters)


def _single(network, p, grid, seed: int, addrs) -> SSASolution:
    species = network.x0.shape[0]
    every_event = grid is None
    grid_ = np.zeros(0) if every_event else grid
    out = np.zeros((grid_.shape[0], species), dtype=np.int64)
    status, events, t_end, x_end, ts, xs, bad, bad_value = _run(
        network, p, grid_, out, every_event, run_seed(seed), addrs)
    _raise_for(status, bad, bad_value, x_end, t_end, network)
    message = _message(status, network.maxiters, t_end)
    t, x = (np.array(ts), np.array(xs)) if every_event else (grid, out)
    return SSASolution(t, x, RETCODES[status], message, SSAStats(int(events)), seed,
                       addrs is not None)


def _ensemble(network, p, grid, seed: int, runs: int, addrs) -> SSAEnsembleSolution:
    seeds = run_seeds(seed, runs)
    out = np.zeros((runs, grid.shape[0], network.x0.shape[0]), dtype=np.int64)
    status = np.zeros(runs, dtype=np.int64)
    events = np.zeros(runs, dtype=np.int64)
    t_end = np.zeros(runs)
    bad = np.zeros(runs, dtype=np.int64)
    bad_value = np.zeros(runs)
    if addrs is not None:
        from .compiled import ensemble_compiled
        ensemble_compiled(addrs, network.x0, p, network.tf, network.species, network.changes,
                          network.counts, grid, out, network.sorting, network.maxiters, seeds,
                          status, events, t_end, bad, bad_value)
    else:
        for i in range(runs):
            status[i], events[i], t_end[i], _, _, _, bad[i], bad_value[i] = _run(
                network, p, grid, out[i], False, int(seeds[i]), None)
    for i in np.flatnonzero((status == BAD_RATE) | (status == BAD_SHAPE))[:1]:
        _raise_for(status[i], bad[i], bad_value[i], None, t_end[i], network)
    messages = [_message(s, network.maxiters, t) for s, t in zip(status, t_end, strict=True)]
    return SSAEnsembleSolution(grid, out, [RETCODES[s] for s in status], messages, events, seed,
                               addrs is not None)


def _raise_for(status, bad, bad_value, x, t, network) -> None:
    if status == BAD_SHAPE:
        given = "not a 1-d sequence" if bad_value < 0 else f"{int(bad_value)} rates"
        raise ValueError(f"ssa: propensities returned {given} for "
                         f"{network.counts.shape[0]} reactions (rows of the stoichiometry): "
                         f"return one rate per reaction")
    if status == BAD_RATE:
        where = f"in state x = {x} " if x is not None else ""
        raise ValueError(f"ssa: propensity {bad} is {bad_value} {where}at t = {t}: rates must "
                         f"be finite and non-negative (is a count allowed to go below zero?)")


def _message(status, maxiters: int, t_end: float) -> str:
    if status == SUCCESS:
        return ""
    return f"maxiters = {maxiters} events reached at t = {t_end}: raise maxiters"
