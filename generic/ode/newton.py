"""The simplified Newton iteration of the implicit methods (``implicit.py``), for both paths.

A stage ``u_s = tmp + c z`` with ``z = h f(t_s, tmp + c z)`` is solved for ``z`` by
simplified Newton (the form of OrdinaryDiffEq.jl's ``NLNewton``)::

    W = I - c h J,      r = h f(t_s, tmp + c z) - z,      z <- z + W⁻¹ r

with ``J = ∂f/∂u`` taken at the step's start and ``W`` factored once (``g.lu``) for every
iteration of the step. Convergence (Hairer & Wanner, Solving ODEs II, §IV.8): with ``‖Δ‖`` the
RMS norm of the correction relative to the error scale, the rate ``θ_k = ‖Δ_k‖ / ‖Δ_{k-1}‖``
and ``η = θ / (1 - θ)``, the iteration has converged when ``η ‖Δ‖ < κ`` (κ = 1/100: the
iteration error a hundredth of the local error tolerance). It has failed when θ > 0.9, when
``θ^(kmax-k) / (1-θ) ‖Δ‖ > κ`` (it cannot converge within ``kmax`` iterations), or after
``kmax`` = 10 iterations.

What a solve keeps between steps is its *cache*: the generic path's ``NewtonCache`` (any number
type) or the fast path's compiled record data (``generic/ode/fast/implicit.py``). Both have the
same fields: the method's coefficients, ``rates`` (float64: η, θ, the ``c h`` that ``W`` was
formed with) and ``counts`` (int64: whether J must be recomputed, then the
:class:`NewtonStats` counts). :func:`newton` is ``register_jitable``: one source, interpreted
on the generic path and compiled by Numba on the fast path. Where the Jacobian and ``W`` live
differs by path, so the three functions that hold them, :func:`newton_jacobian`,
:func:`newton_matrix` and :func:`jacobian_current`, have a Python body here (the generic path)
and a compiled method for the fast path's record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba.extending import register_jitable

from ..functions import state_jacobian, value
from .algorithms import Counted
from .controller import scaled_norm
from .rosenbrock import factor_w, solve_w

__all__ = ["NewtonStats", "newton", "newton_jacobian", "newton_matrix", "jacobian_current",
           "jacobian_taken", "new_state", "ETA", "THETA", "W_CH", "RECOMPUTE", "NJAC", "NFACTOR",
           "NNEWTON", "NFAIL"]

ETA, THETA, W_CH = 0, 1, 2  # cache.rates: the last converged η, the largest θ of the step,
# and the c·h that W was formed with (nan: W must be formed)
RECOMPUTE, NJAC, NFACTOR, NNEWTON, NFAIL = 0, 1, 2, 3, 4  # cache.counts


@dataclass
class NewtonStats:
    """Counts of the implicit machinery of one solve (``integrator.cache.stats``)."""

    njac: int = 0  # Jacobian evaluations
    nfactor: int = 0  # LU factorisations of W
    nnewton: int = 0  # Newton iterations (each one f evaluation and one solve)
    nfail: int = 0  # Newton failures (the step retried with a fresh J, or rejected)


@register_jitable
def newton(f, p, t_s, tmp, c, h, z, scale, W, cache):
    """Solve ``z = h f(t_s, tmp + c z)`` from the guess ``z`` with the factored ``W`` and the
    error scale ``scale``. Returns ``(z, converged, iterations)`` (one f evaluation each)."""
    eta = max(cache.rates[ETA], 1e-16) ** 0.8
    ndz_prev = -1.0  # no earlier correction yet
    kmax = cache.kmax
    for k in range(1, kmax + 1):
        r = h * f(tmp + c * z, p, t_s) - z
        cache.counts[NNEWTON] += 1
        dz = solve_w(W, r)
        ndz = scaled_norm(dz, scale)
        if not math.isfinite(ndz):
            return z, False, k
        z = z + dz
        if ndz_prev >= 0.0:
            theta = ndz / ndz_prev if ndz_prev > 0 else 0.0
            cache.rates[THETA] = max(cache.rates[THETA], theta)
            if theta > cache.max_rate:
                return z, False, k
            if theta > 0 and theta ** (kmax - k) / (1 - theta) * ndz > cache.kappa:
                return z, False, k
            eta = theta / (1 - theta)
        if eta * ndz < cache.kappa or ndz == 0:
            cache.rates[ETA] = eta
            return z, True, k
        ndz_prev = ndz
    return z, False, kmax


def new_state() -> tuple[np.ndarray, np.ndarray]:
    """A solve's ``(rates, counts)`` at its start: η = 1, θ = 0, no ``W``; J to be taken."""
    return np.array([1.0, 0.0, math.nan]), np.array([1, 0, 0, 0, 0], dtype=np.int64)


@register_jitable
def jacobian_taken(cache) -> None:
    """Note a new Jacobian: not to be recomputed, counted, and ``W`` to be formed again."""
    cache.counts[RECOMPUTE] = 0
    cache.counts[NJAC] += 1
    cache.rates[W_CH] = math.nan


def newton_jacobian(cache, f, p, t, u) -> int:
    """Take ``J = ∂f/∂u`` at ``(t, u)`` into ``cache`` (the user's ``jac(u, p, t)``, else
    ``g.state_jacobian``: dual numbers, or differences on a device); the f evaluations spent."""
    f_u = Counted(lambda v: f(v, p, t))
    cache.J = cache.jac(u, p, t) if cache.jac is not None else state_jacobian(f_u, u)
    cache.J_u = u
    jacobian_taken(cache)
    return f_u.calls


def jacobian_current(cache, t, u) -> bool:
    """Whether ``cache``'s Jacobian was taken at this ``(t, u)``, the start of this step."""
    return cache.J_u is u


def newton_matrix(cache, ch):
    """``W = I - ch J`` factored (:func:`~.rosenbrock.factor_w`), formed again only when
    ``ch`` or ``J`` changed."""
    key = float(value(ch))
    if not cache.rates[W_CH] == key:
        cache.W = factor_w(cache.J, ch)
        cache.rates[W_CH] = key
        cache.counts[NFACTOR] += 1
    return cache.W
