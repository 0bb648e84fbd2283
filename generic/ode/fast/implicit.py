"""The implicit methods (``ImplicitEuler``, ``TRBDF2``) on the float64 fast path.

Their stages, attempt and Newton iteration are those of the generic path
(:func:`~generic.ode.implicit.implicit_attempt`, :mod:`generic.ode.newton`), compiled by Numba
on a :class:`CompiledImplicit`: the generic path's ``NewtonCache`` fields, the coefficients as
floats, with buffers for what the generic cache holds as objects. What differs by path are the
three functions that hold the Jacobian and ``W``, given compiled methods here:

- :func:`~generic.ode.newton.newton_jacobian`: the user's compiled ``jac``, else forward
  differences of the compiled f at the step's start (``n + 1`` evaluations: f there, one per
  column; the step of ``fast/rosenbrock.py``'s :func:`difference_jacobian`), into ``J``;
- :func:`~generic.ode.newton.newton_matrix`: ``W = I − ch J`` factored by the compiled
  ``g.lu`` into the ``LU``/``perm`` buffers, formed again only when ``ch`` or ``J`` changed;
- :func:`~generic.ode.newton.jacobian_current`: whether ``J`` was taken at this ``(t, u)``
  (by value; the generic path asks whether ``u`` is the same object).

Both methods share one Numba type (the method is a field), so one compile serves both.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numba import types
from numba.core.extending import overload

from .. import hooks
from ..attempt import Attempt
from ..implicit import COEFFICIENTS, GAMMA, implicit_attempt
from ..newton import (
    NFACTOR,
    W_CH,
    jacobian_current,
    jacobian_taken,
    new_state,
    newton_jacobian,
    newton_matrix,
)
from ..rosenbrock import factor_w
from .record import CompiledIntegratorType
from .rosenbrock import address_pair, difference_jacobian, jac_value, pair, same_point
from .trajectory import trajectory_tab

__all__ = ["CompiledImplicit", "compiled_implicit"]


class CompiledImplicit(NamedTuple):
    """An implicit method's float64 data for the compiled record (the fields its stages and
    :mod:`generic.ode.newton` read, as in ``NewtonCache``), the user's compiled ``jac``
    (addresses, with a flag), and the buffers: ``J``, the point it was taken at, ``W``'s
    factors. ``c`` (no stages kept) and ``dense`` (none) make the dense output cubic
    Hermite."""

    method: int
    one: float
    half: float
    d: float
    omega: float
    alpha1: float
    alpha2: float
    b1: float
    b2: float
    b3: float
    gamma_t: float
    smooth_est: bool
    kappa: float
    kmax: int
    max_rate: float
    jac_reuse_rate: float
    rates: np.ndarray
    counts: np.ndarray
    jac: np.ndarray
    has_jac: bool
    fd_floor: np.ndarray
    J: np.ndarray
    LU: np.ndarray
    perm: np.ndarray
    point_t: np.ndarray
    point_u: np.ndarray
    c: np.ndarray
    dense: np.ndarray


@lru_cache(maxsize=1)
def _coefficients() -> dict:
    """The coefficients as floats, by field name (γ as the time's ``gamma_t``)."""
    return {**{name: float(q) for name, q in COEFFICIENTS.items()}, "gamma_t": float(GAMMA)}


def compiled_implicit(alg, u0: np.ndarray, jac_addresses, fd_floor: np.ndarray):
    """The :class:`CompiledImplicit` of ``alg`` for a solve from ``u0`` (its own buffers);
    ``jac_addresses`` the user's compiled ``jac`` (None: differences), ``fd_floor`` from
    ``fast/rosenbrock.py``'s ``difference_floor``."""
    n = u0.shape[0]
    rates, counts = new_state()
    return CompiledImplicit(
        method=alg.method, **_coefficients(), smooth_est=bool(alg.smooth_est),
        kappa=float(alg.kappa), kmax=int(alg.kmax), max_rate=float(alg.max_rate),
        jac_reuse_rate=float(alg.jac_reuse_rate), rates=rates, counts=counts,
        jac=address_pair(jac_addresses), has_jac=jac_addresses is not None, fd_floor=fd_floor,
        J=np.zeros((n, n)), LU=np.zeros((n, n)), perm=np.zeros(n, dtype=np.int64),
        point_t=np.full(1, np.nan), point_u=np.zeros(n), c=np.zeros(0), dense=np.zeros((0, 1)))


def _implicit_data(cache) -> bool:
    return isinstance(cache, types.NamedTuple) and cache.instance_class is CompiledImplicit


@overload(newton_jacobian)
def _newton_jacobian(cache, f, p, t, u):
    if _implicit_data(cache):
        def impl(cache, f, p, t, u):
            nf = 0
            if cache.has_jac:
                cache.J[:, :] = jac_value(pair(cache.jac), u, p)(u, p, t)
            else:
                difference_jacobian(cache.J, f, p, t, u, f(u, p, t), cache.fd_floor)
                nf = u.shape[0] + 1
            cache.point_t[0] = t
            cache.point_u[:] = u
            jacobian_taken(cache)
            return nf
        return impl


@overload(jacobian_current)
def _jacobian_current(cache, t, u):
    if _implicit_data(cache):
        return lambda cache, t, u: same_point(cache, t, u)


@overload(newton_matrix)
def _newton_matrix(cache, ch):
    if _implicit_data(cache):
        def impl(cache, ch):
            if not cache.rates[W_CH] == ch:
                LU, perm = factor_w(cache.J, ch)
                cache.LU[:, :] = LU
                cache.perm[:] = perm
                cache.rates[W_CH] = ch
                cache.counts[NFACTOR] += 1
            return cache.LU, cache.perm
        return impl


@overload(trajectory_tab)
def _trajectory_tab(tab, i):
    if _implicit_data(tab):
        def impl(tab, i):
            return CompiledImplicit(
                tab.method, tab.one, tab.half, tab.d, tab.omega, tab.alpha1, tab.alpha2, tab.b1,
                tab.b2, tab.b3, tab.gamma_t, tab.smooth_est, tab.kappa, tab.kmax, tab.max_rate,
                tab.jac_reuse_rate, tab.rates.copy(), tab.counts.copy(), tab.jac, tab.has_jac,
                tab.fd_floor, tab.J.copy(), tab.LU.copy(), tab.perm.copy(),
                tab.point_t.copy(), tab.point_u.copy(), tab.c, tab.dense)
        return impl


def _implicit_record(integ) -> bool:
    return isinstance(integ, CompiledIntegratorType) and _implicit_data(integ.field_dict["tab"])


@overload(hooks.attempt)
def _attempt(integ, f, t, u, dt, f0):
    if _implicit_record(integ):
        def impl(integ, f, t, u, dt, f0):
            tab = integ.tab
            u_new, err, f_new, nf = implicit_attempt(f, integ.p, t, u, dt, f0, tab,
                                                     integ.adaptive, integ.atol, integ.rtol)
            return Attempt(u_new, err, f_new, nf, tab.c.reshape((0,) + u.shape), tab)
        return impl
