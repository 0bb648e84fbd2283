"""The float64 fast path of the SDE solvers: the same step functions and the same fixed-step
loop (:mod:`.steps`, :func:`.integrate.run_fixed`) compiled by Numba.

The user's ``f`` and ``g`` are compiled with ``numba.njit`` (or used as they are when they
already are Numba functions) and passed, with the method's compiled step, to the compiled
loop as first-class functions. A single solve takes its increments from the same
:class:`.BrownianPath` as the generic path; the ensemble draws trajectory ``i``'s path inside
its ``prange`` loop from the trajectory's key with the same compiled function the path uses
(:func:`generic.random.brownian_values_from`), so both paths give the same numbers.
Compiled code is specialised per (method, f, g) and not cached on disk (a second of
compilation per new problem in a process).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numba import njit, prange, types
from numba.core.errors import NumbaError
from numba.extending import overload

from ..ode.fast import overloads as _ode_overloads  # noqa: F401 - compiled hooks.finite
from ..ode.fast.driver import FastPathError, _first_line, data_refusal  # shared
from ..ode.fast.trajectory import trajectory_u0
from ..random import brownian_values_from
from .integrate import run_fixed
from .steps import noise_product

__all__ = ["solve_fixed_compiled", "fast_path_refusal", "compiled_functions", "run_ensemble",
           "FastPathError"]


@overload(noise_product)
def _noise_product(G, dW):
    if isinstance(G, types.Array) and G.ndim == 2:
        return lambda G, dW: np.dot(np.ascontiguousarray(G), dW)
    return lambda G, dW: G * dW


def trajectory_parameters(p_rows, p_shared, i):
    """Trajectory ``i``'s parameters as the user gave them: row ``i`` of ``p_rows``, or
    ``p_shared`` when ``p_rows`` is None (compiled only; the SDE kernels are compiled per
    problem, so ``p`` keeps its own type)."""
    raise NotImplementedError("compiled code only")


@overload(trajectory_parameters)
def _trajectory_parameters(p_rows, p_shared, i):
    if isinstance(p_rows, types.NoneType):
        return lambda p_rows, p_shared, i: p_shared
    return lambda p_rows, p_shared, i: p_rows[i]


def fast_path_refusal(prob) -> str | None:
    """None if ``prob`` can run compiled, else why not."""
    return data_refusal(prob)


@lru_cache(maxsize=256)
def _jit(func):
    return func if hasattr(func, "py_func") else njit(func)


@lru_cache(maxsize=16)
def _compiled_step(step):
    return njit(step)


_run_fixed = njit(run_fixed)


def compiled_functions(prob, alg) -> tuple:
    """(compiled step, f, g) for ``prob`` solved with ``alg``."""
    return _compiled_step(alg.step), _jit(prob.f), _jit(prob.g)


def _refuse(prob, what: str) -> None:
    refusal = fast_path_refusal(prob)
    if refusal is not None:
        raise FastPathError(f"{what} cannot take this problem: {refusal}; pass compile=False "
                            f"for the generic path")


def solve_fixed_compiled(prob, alg, the_plan, path):
    """A fixed-step solve on the fast path (the plan and path as the generic path's)."""
    from .solve import checked_functions, fixed_solution

    _refuse(prob, "solve(..., compile=True)")
    checked_functions(prob)  # shapes checked, with Python's error messages
    times = np.asarray(the_plan.grid, dtype=np.float64)
    dW, dZ = path.grid_increments(times)
    slots = the_plan.save_slots()
    out = np.empty((int(slots.max()) + 1, *np.shape(prob.u0)))
    step, f, g = compiled_functions(prob, alg)
    try:
        u, steps = _run_fixed(step, f, g, prob.p, prob.u0, times, np.ascontiguousarray(dW),
                              np.ascontiguousarray(dZ), slots, out)
    except NumbaError as error:
        raise FastPathError(f"solve(..., compile=True): f or g does not compile with Numba: "
                            f"{_first_line(error)}") from None
    return fixed_solution(prob, alg, the_plan, path, out, int(steps), u)


@njit(parallel=True)
def _ensemble_kernel(step, f, g, p_rows, p_shared, u0s, times, keys, template, half, with_z,
                     slots, out, steps):
    n_steps, size = len(times) - 1, half * 2 if with_z else half
    for i in prange(u0s.shape[0]):
        values = brownian_values_from(keys[i], np.uint64(0), times, size, np.zeros(size))
        dW = np.empty_like(template)
        dZ = np.empty_like(template) if with_z else dW
        flat_w, flat_z = dW.reshape((n_steps, half)), dZ.reshape((n_steps, half))
        for k in range(n_steps):
            for j in range(half):
                flat_w[k, j] = values[k + 1, j] - values[k, j]
                if with_z:
                    flat_z[k, j] = values[k + 1, half + j] - values[k, half + j]
        result = _run_fixed(step, f, g, trajectory_parameters(p_rows, p_shared, i),
                            trajectory_u0(u0s, i), times, dW, dZ, slots, out[i])
        steps[i] = result[1]


def run_ensemble(prob, alg, u0s: np.ndarray, p_rows, times: np.ndarray, keys: np.ndarray,
                 slots: np.ndarray, out: np.ndarray, steps: np.ndarray) -> None:
    """Solve trajectory ``i`` from ``u0s[i]`` on the Brownian path of key ``keys[i]`` (the
    path a :class:`.BrownianPath` of that key draws on the grid ``times``) for every ``i`` in
    one compiled call over Numba's threads, writing its saved states into ``out[i]`` and its
    number of steps into ``steps[i]``."""
    _refuse(prob, "the compiled ensemble")
    step, f, g = compiled_functions(prob, alg)
    template = np.zeros((len(times) - 1, *prob.noise_shape))  # one trajectory's dW
    try:
        _ensemble_kernel(step, f, g, p_rows, None if p_rows is not None else prob.p, u0s, times,
                         keys, template, int(np.prod(prob.noise_shape, dtype=int)),
                         bool(alg.needs_z), slots, out, steps)
    except NumbaError as error:
        raise FastPathError(f"the compiled ensemble: f or g does not compile with Numba: "
                            f"{_first_line(error)}") from None
