"""The Rosenbrock methods on the float64 fast path: their compiled data and compiled attempt.

The steps are those of the generic path, :func:`~generic.ode.rosenbrock.rosenbrock23_step` and
:func:`~generic.ode.rosenbrock.rodas5_step`, compiled by Numba on a :class:`CompiledRosenbrock`
(the field names of the generic path's ``RosenbrockCoefficients``); ``W`` is factorised by the
compiled ``g.lu`` (``generic/functions/compiled_linalg.py``). What differs by path is where
``J`` and ``∂f/∂t`` come from: here the user's ``jac``/``tgrad`` compiled, else forward
differences of the compiled f (``n + 2`` evaluations at a new point: f itself, one per column,
one in time), kept in the record's buffers so that a rejected step's retry from the same
``(t, u)`` reuses them, as on the generic path.

The difference step of column j is ``sqrt(eps) max(|u_j|, s_j)``, signed like ``u_j``, with
``s_j = min(1, atol_j / rtol)``: the size at which the tolerances turn from absolute to
relative. The textbook ``s_j = 1`` makes Robertson's entry ``2 k2 u_2`` (u_2 ~ 1e-7 .. 4e-5)
10 % wrong and Rodas5 take 7× the steps at rtol 1e-8; with ``s_j`` it takes the steps of the
exact Jacobian there (and within 1 % of them on Van der Pol and HIRES).

Both methods share one Numba type (the method is a field, chosen at run time), so the solve is
compiled once for both. Rodas5's attempt evaluates f at an accepted new point (the loop would
do it next, counted the same), so both methods hand the loop ``f_new``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numba import njit, types
from numba.core.extending import overload, register_jitable
from numba.extending import intrinsic

from ...functions import (
    compiled_linalg,  # noqa: F401 - compiled lu, lu_solve, identity_like
    eps,
    identity_like,
    lu,
    lu_solve,
)
from .. import hooks
from ..attempt import Attempt
from ..rosenbrock import RODAS5_STAGES, Rodas5, factor_w, rodas5_step, rosenbrock23_step, solve_w
from .functions import _function_value, _unliteral, addresses, rhs_signature, rhs_value
from .parameters import rebuild_expression, wrapper
from .record import CompiledIntegratorType
from .trajectory import trajectory_tab

__all__ = ["CompiledRosenbrock", "compiled_rosenbrock", "difference_floor", "derivatives",
           "difference_jacobian", "user_derivatives", "jac_value", "same_point", "address_pair",
           "pair"]

ROSENBROCK23, RODAS5 = 0, 1
_SQRT_EPS = math.sqrt(2.220446049250313e-16)


class CompiledRosenbrock(NamedTuple):
    """A Rosenbrock method's float64 data for the compiled record: the coefficients (fields of
    ``RosenbrockCoefficients``; unused ones zero), the user's compiled ``jac``/``tgrad``
    (addresses, with flags), the buffers of ``J`` and ``∂f/∂t`` and the point they belong to.
    ``c`` (no stages kept) and ``dense`` (none) make the dense output cubic Hermite."""

    method: int
    gamma: float
    e32: float
    half: float
    sixth: float
    a: np.ndarray
    gc: np.ndarray
    nodes: np.ndarray
    d: np.ndarray
    c: np.ndarray
    dense: np.ndarray
    jac: np.ndarray
    has_jac: bool
    tgrad: np.ndarray
    has_tgrad: bool
    fd_floor: np.ndarray
    J: np.ndarray
    dT: np.ndarray
    point_t: np.ndarray
    point_u: np.ndarray


def _matrix(rows) -> np.ndarray:
    out = np.zeros((RODAS5_STAGES, RODAS5_STAGES))
    for i, row in enumerate(rows or ()):
        out[i, :len(row)] = [float(w) for w in row]
    return out


def _vector(values) -> np.ndarray:
    return np.array([float(v) for v in values]) if values else np.zeros(RODAS5_STAGES)


def difference_floor(atol, rtol, n: int) -> np.ndarray:
    """``s_j = min(1, atol_j / rtol_j)`` (1 where atol_j is 0): the size below which a
    component's difference step stops shrinking with it."""
    atol = np.broadcast_to(np.asarray(atol, dtype=float), (n,))
    rtol = np.broadcast_to(np.asarray(rtol, dtype=float), (n,))
    with np.errstate(divide="ignore", invalid="ignore"):
        floor = np.minimum(1.0, atol / rtol)
    return np.where(atol > 0, floor, 1.0)


@lru_cache(maxsize=16)
def _coefficients(alg_type) -> tuple:
    """The method's fields of :class:`CompiledRosenbrock`, converted once per method."""
    k = alg_type.coefficients(float, eps(float))
    return (RODAS5 if issubclass(alg_type, Rodas5) else ROSENBROCK23, float(k.gamma),
            float(k.e32 or 0.0), float(k.half or 0.0), float(k.sixth or 0.0),
            _matrix(k.a), _matrix(k.gc), _vector(k.nodes), _vector(k.d),
            np.zeros(0), np.zeros((0, 1)))


def compiled_rosenbrock(alg, u0: np.ndarray, jac_addresses, tgrad_addresses,
                        fd_floor: np.ndarray):
    """The :class:`CompiledRosenbrock` of ``alg`` for a solve from ``u0`` (its own buffers);
    ``jac_addresses``/``tgrad_addresses`` from :func:`user_derivatives` (None: differences),
    ``fd_floor`` from :func:`difference_floor`."""
    n = u0.shape[0]
    return CompiledRosenbrock(
        *_coefficients(type(alg)),
        address_pair(jac_addresses), jac_addresses is not None,
        address_pair(tgrad_addresses), tgrad_addresses is not None, fd_floor,
        np.zeros((n, n)), np.zeros(n), np.full(1, np.nan), np.zeros(n))


_STATE, _FLAT = types.float64[::1], types.float64[::1]  # the state's and parameters' types


def jac_signature(u_type, p_type):
    return types.float64[:, ::1](u_type, p_type, types.float64)


@lru_cache(maxsize=1024)
def _jac(jac_user, lay):
    """The user's ``jac(u, p, t)`` compiled, given ``p`` rebuilt from its flat array."""
    j = jac_user if hasattr(jac_user, "py_func") else njit(jac_user)
    source = (f"def jac(u, flat, t):\n    return np.ascontiguousarray(np.asarray("
              f"j(u, {rebuild_expression(lay)}, t), dtype=np.float64))\n")
    return wrapper(source, "jac", j=j)


def user_derivatives(alg, lay, rhs_of):
    """(jac addresses or None, tgrad addresses or None): the user's ``jac``/``tgrad`` compiled
    for parameters of layout ``lay`` (``rhs_of(f)``: the driver's compiled-right-hand-side
    wrapper, used for ``tgrad``)."""
    jac = None if alg.jac is None else addresses(_jac(alg.jac, lay),
                                                 jac_signature(_STATE, _FLAT))
    tgrad = None if getattr(alg, "tgrad", None) is None else \
        addresses(rhs_of(alg.tgrad), rhs_signature(_STATE, _FLAT))
    return jac, tgrad


def address_pair(addresses) -> np.ndarray:
    """A compiled function's two addresses (or none: zeros) as an int64 array: the form the
    method's data keeps them in (a tuple inside it would stop ``prange`` taking it)."""
    return np.array(addresses or (0, 0), dtype=np.int64)


@register_jitable(forceinline=True)
def pair(addresses):
    """:func:`address_pair`'s array as the tuple that a function value is built from."""
    return addresses[0], addresses[1]


@intrinsic
def jac_value(typingctx, addrs, u, p):
    """``jac(u, p, t) -> ∂f/∂u`` from its addresses (u and p give the signature)."""
    function_type = types.FunctionType(jac_signature(_unliteral(u), _unliteral(p)))

    def codegen(context, builder, signature, args):
        return _function_value(context, builder, function_type, args[0])
    return function_type(addrs, u, p), codegen


@register_jitable
def same_point(tab, t, u):
    """Whether the buffers' Jacobian was taken at ``(t, u)`` (``tab.point_t``, ``point_u``)."""
    if not tab.point_t[0] == t:
        return False
    for i in range(u.shape[0]):
        if tab.point_u[i] != u[i]:
            return False
    return True


@register_jitable
def difference_jacobian(J, f, p, t, u, fu, floor) -> None:
    """``J`` = forward differences of ``f(·, p, t)`` at ``u`` (``fu = f(u, p, t)``): n
    evaluations, column j's step ``sqrt(eps) max(|u_j|, floor_j)`` signed like ``u_j``."""
    n = u.shape[0]
    v = u.copy()
    for j in range(n):
        h = _SQRT_EPS * max(abs(u[j]), floor[j])
        v[j] = u[j] - h if u[j] < 0 else u[j] + h
        h = v[j] - u[j]  # the step the floats make
        column = f(v, p, t)
        for i in range(n):
            J[i, j] = (column[i] - fu[i]) / h
        v[j] = u[j]


@register_jitable
def derivatives(tab, f, p, t, u):
    """(J, ∂f/∂t, f evaluations spent) at (t, u), kept in ``tab``'s buffers and reused while
    (t, u) stays the same."""
    if same_point(tab, t, u):
        return tab.J, tab.dT, 0
    n, nf = u.shape[0], 0
    need_f = not (tab.has_jac and tab.has_tgrad)
    fu = f(u, p, t) if need_f else u
    nf += 1 if need_f else 0
    if tab.has_jac:
        tab.J[:, :] = jac_value(pair(tab.jac), u, p)(u, p, t)
    else:
        difference_jacobian(tab.J, f, p, t, u, fu, tab.fd_floor)
        nf += n
    if tab.has_tgrad:
        tab.dT[:] = rhs_value(pair(tab.tgrad), u, p)(u, p, t)
    else:
        h = _SQRT_EPS * max(abs(t), 1.0)
        h = (t + h) - t
        tab.dT[:] = (f(u, p, t + h) - fu) / h
        nf += 1
    tab.point_t[0] = t
    tab.point_u[:] = u
    return tab.J, tab.dT, nf


def _rosenbrock_record(integ) -> bool:
    if not isinstance(integ, CompiledIntegratorType):
        return False
    tab = integ.field_dict["tab"]
    return isinstance(tab, types.NamedTuple) and tab.instance_class is CompiledRosenbrock


@overload(hooks.attempt)
def _attempt(integ, f, t, u, dt, f0):
    if _rosenbrock_record(integ):
        def impl(integ, f, t, u, dt, f0):
            tab, p = integ.tab, integ.p
            J, dT, nf = derivatives(tab, f, p, t, u)
            if tab.method == RODAS5:
                tried = rodas5_step(f, p, t, u, dt, f0, J, dT, tab, integ.adaptive,
                                    integ.atol, integ.rtol, nf)
                u_new, err, nf = tried.u_new, tried.err, tried.nf
                f_new = u_new  # unused: the step is rejected
                if not integ.adaptive or err <= 1.0:
                    f_new = f(u_new, p, t + dt)
                    nf += 1
            else:
                tried23 = rosenbrock23_step(f, p, t, u, dt, f0, J, dT, tab, integ.adaptive,
                                            integ.atol, integ.rtol, nf)
                u_new, err, f_new, nf = tried23.u_new, tried23.err, tried23.f_new, tried23.nf
            return Attempt(u_new, err, f_new, nf, tab.c.reshape((0,) + u.shape), tab)
        return impl


@overload(trajectory_tab)
def _trajectory_tab(tab, i):
    if isinstance(tab, types.NamedTuple) and tab.instance_class is CompiledRosenbrock:
        def impl(tab, i):
            return CompiledRosenbrock(
                tab.method, tab.gamma, tab.e32, tab.half, tab.sixth, tab.a, tab.gc, tab.nodes,
                tab.d, tab.c, tab.dense, tab.jac, tab.has_jac, tab.tgrad, tab.has_tgrad,
                tab.fd_floor, tab.J.copy(), tab.dT.copy(), tab.point_t.copy(),
                tab.point_u.copy())
        return impl


@overload(factor_w)
def _factor_w(J, gamma_h):
    if isinstance(J, types.Array) and J.ndim == 2:
        return lambda J, gamma_h: lu(identity_like(J) - gamma_h * J)


@overload(solve_w)
def _solve_w(W, b):
    if isinstance(b, types.Array):
        return lambda W, b: lu_solve(W, b)
