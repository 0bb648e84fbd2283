"""Rosenbrock (linearly implicit) methods for stiff ODEs: ``Rosenbrock23`` and ``Rodas5``.

A Rosenbrock step solves linear systems with the matrix ``W = I − γ h J`` (``J = ∂f/∂u`` at the
step's start) instead of Newton iterations: one LU factorisation per step (``g.lu``), one
``g.lu_solve`` per stage. ``J`` comes from ``g.state_jacobian`` (forward-mode dual numbers;
forward differences on the device for array API arrays) unless the user gives
``jac(u, p, t)``; ``∂f/∂t`` from ``g.time_derivative`` unless the user gives ``tgrad(u, p, t)``.
``W`` is built with ``g.identity_like(J)`` (the Jacobian's precision and device). Everything is
arithmetic on the state and generic functions, so the same code runs on float64 (LAPACK),
float32, multiprecision object arrays (generic LU), duals (the dual LU of ``generic/linalg``)
and array API arrays on their device (the namespace's ``linalg.solve``): nothing here names a
number type.

The Jacobian and ∂f/∂t are computed once per (t, u): a rejected step retries from the same
point and reuses them. ``stats.nf`` counts the evaluations of f they cost (one for a dual
evaluation, which carries all the partials; n + 1 and 2 for differences).

Dense output is the integrator's cubic Hermite interpolation.

One source for both paths: the steps :func:`rosenbrock23_step` and :func:`rodas5_step` are
``register_jitable`` functions of the state, ``J``, ``∂f/∂t`` and the coefficients. The classes
below call them on the generic path; the float64 fast path compiles them on its record
(``generic/ode/fast/rosenbrock.py``: compiled ``lu``/``lu_solve``, a finite-difference or the
user's compiled Jacobian). ``W`` is factorised by :func:`factor_w` and solved with by
:func:`solve_w` (a scalar state divides by the number ``W``); the fast path gives both a
compiled method.

References: Shampine & Reichelt, SIAM J. Sci. Comput. 18 (1997) 1–22 (ode23s); Hairer & Wanner,
Solving ODEs II, 2nd ed., Springer 1996, §IV.7 and §VI.4 (rodas.f); Di Marzo 1993 (RODAS5);
coefficients in ``methods/rosenbrock_tableaus.py``.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from ..dispatch import convert
from ..functions import (
    eltype,
    eps,
    identity_like,
    stage_buffer,
    stage_sum,
    state_jacobian,
    time_derivative,
    value,
)
from ..linalg import lu, lu_solve
from .algorithms import Algorithm, Attempt, Counted
from .controller import PIController, error_norm
from .methods.rosenbrock_tableaus import RODAS5, SQRT2
from .tableau import Weights

__all__ = ["Rosenbrock", "Rosenbrock23", "Rodas5", "RosenbrockCoefficients", "rosenbrock23_step",
           "rodas5_step", "factor_w", "solve_w", "RODAS5_STAGES"]

RODAS5_STAGES = 8


def factor_w(J, gamma_h):
    """``W = I − γh J`` factorised (``g.lu``); for a scalar state the number ``W`` itself."""
    if np.ndim(value(J)) == 0:
        return 1 - gamma_h * J
    return lu(identity_like(J) - gamma_h * J)


def solve_w(W, b):
    """``W⁻¹ b`` with ``W`` from :func:`factor_w` (``g.lu_solve``)."""
    if np.ndim(value(b)) == 0:
        return b / W
    return lu_solve(W, b)


class RosenbrockCoefficients(NamedTuple):
    """A Rosenbrock method's coefficients in the state's number type (the fields a step reads;
    the other method's are None). Rosenbrock23: ``gamma`` = d = 1/(2 + √2), ``e32`` = 6 + √2,
    ``half``, ``sixth``. Rodas5: ``gamma``; ``a[i]``, ``gc[i]`` the weights of the stages j < i
    in stage i's point and right-hand side (γ C_ij); ``nodes[i]``, ``d[i]``."""

    gamma: object
    e32: object = None
    half: object = None
    sixth: object = None
    a: tuple = None
    gc: tuple = None
    nodes: tuple = None
    d: tuple = None


@register_jitable
def rosenbrock23_step(f, p, t, u, dt, f0, J, dT, tab, adaptive, atol, rtol, nf):
    """One step of Rosenbrock23 (Shampine & Reichelt 1997, §3) from ``(t, u)`` with
    ``f0 = f(u)``, ``J = ∂f/∂u`` and ``dT = ∂f/∂t`` there; ``nf`` evaluations already spent."""
    W = factor_w(J, tab.gamma * dt)
    hdT = (dt * tab.gamma) * dT
    k1 = solve_w(W, f0 + hdT)
    f1 = f(u + (tab.half * dt) * k1, p, t + tab.half * dt)
    k2 = solve_w(W, f1 - k1) + k1
    u_new = u + dt * k2
    f2 = f(u_new, p, t + dt)
    err = 0.0
    if adaptive:
        k3 = solve_w(W, f2 - tab.e32 * (k2 - f1) - 2 * (k1 - f0) + hdT)
        e = (tab.sixth * dt) * (k1 - 2 * k2 + k3)
        err = error_norm(e, u, u_new, atol, rtol)
    return Attempt(u_new, err, f2, nf + 2)


@register_jitable
def rodas5_step(f, p, t, u, dt, f0, J, dT, tab, adaptive, atol, rtol, nf):
    """One step of Rodas5 (Hairer's rodas.f form, see ``methods/rosenbrock_tableaus.py``):
    ``W k_i = hγ (f(U_i) + d_i h ∂f/∂t) + Σ_j<i γ C_ij k_j`` with ``W = I − hγ J``; arguments
    as :func:`rosenbrock23_step`."""
    gh = tab.gamma * dt
    W = factor_w(J, gh)
    ks = stage_buffer(f0, RODAS5_STAGES)
    u_stage = u
    for i in range(RODAS5_STAGES):
        fi = f0
        if i > 0:
            if i < 6:
                u_stage = u + stage_sum(tab.a[i], ks, i)
            else:  # stages 7 and 8 (and u_new) add the previous stage to the last point
                u_stage = u_stage + ks[i - 1]
            fi = f(u_stage, p, t + tab.nodes[i] * dt)
            nf += 1
        rhs = gh * (fi + (tab.d[i] * dt) * dT) if i < 5 else gh * fi
        if i > 0:
            rhs = rhs + stage_sum(tab.gc[i], ks, i)
        ks[i] = solve_w(W, rhs)
    last = ks[RODAS5_STAGES - 1]
    u_new = u_stage + last
    err = 0.0
    if adaptive:
        err = error_norm(last, u, u_new, atol, rtol)
    return Attempt(u_new, err, None, nf)


class Rosenbrock(Algorithm):
    """What both methods share: the Jacobian and ∂f/∂t, reused while (t, u) stays the same,
    and the step function (``step``) with its coefficients (``coefficients(T)``)."""

    adaptive = True

    def __init__(self, jac=None, tgrad=None):
        self.jac = jac  # optional jac(u, p, t) -> ∂f/∂u
        self.tgrad = tgrad  # optional tgrad(u, p, t) -> ∂f/∂t

    def __repr__(self) -> str:
        return f"{self.name}()"

    def controller(self):
        return PIController(self.order)

    def prepare(self, integrator):
        T = eltype(integrator.u)
        return {"c": self.coefficients(T, eps(T)), "point": None, "J": None, "dT": None}

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        J, dT, nf = self._derivatives(integrator, cache, t, u)
        return self.step(integrator.f, integrator.p, t, u, dt, f0, J, dT, cache["c"],
                         integrator.adaptive, integrator.atol, integrator.rtol, nf)

    def _derivatives(self, integrator, cache, t, u):
        """(J, ∂f/∂t, f evaluations spent) at (t, u), reused while (t, u) stays the same."""
        if cache["point"] is not None and cache["point"][0] is u and cache["point"][1] == t:
            return cache["J"], cache["dT"], 0
        f, p = integrator.f, integrator.p
        f_u, f_t = Counted(lambda v: f(v, p, t)), Counted(lambda s: f(u, p, s))
        J = self.jac(u, p, t) if self.jac is not None else state_jacobian(f_u, u)
        dT = self.tgrad(u, p, t) if self.tgrad is not None else time_derivative(f_t, t, u)
        cache.update(point=(u, t), J=J, dT=dT)
        return J, dT, f_u.calls + f_t.calls


@lru_cache(maxsize=64)
def _rb23_coefficients(T, _precision) -> RosenbrockCoefficients:
    sqrt2 = convert(T, SQRT2)
    return RosenbrockCoefficients(gamma=1 / (2 + sqrt2), e32=6 + sqrt2,
                                  half=convert(T, Fraction(1, 2)),
                                  sixth=convert(T, Fraction(1, 6)))


class Rosenbrock23(Rosenbrock):
    """Shampine & Reichelt's Rosenbrock 2(3) method (MATLAB's ``ode23s``): order 2, L-stable,
    with a third-order error estimate; three stages, two new f evaluations per step (the third
    stage is f at the new point, reused by the next step), W = I − h J/(2 + √2)."""

    order = 2
    step = staticmethod(rosenbrock23_step)
    coefficients = staticmethod(_rb23_coefficients)


@lru_cache(maxsize=64)
def _rodas5_coefficients(T, _precision) -> RosenbrockCoefficients:
    def conv(values):
        return tuple(convert(T, q) for q in values)

    gamma = RODAS5["gamma"]
    return RosenbrockCoefficients(
        gamma=convert(T, gamma),
        a=tuple(Weights(conv(row)) for row in RODAS5["A"]),
        gc=tuple(Weights(conv(gamma * Fraction(q) for q in row)) for row in RODAS5["C"]),
        nodes=conv(RODAS5["c"]), d=conv(RODAS5["d"]))


class Rodas5(Rosenbrock):
    """Di Marzo's RODAS5(4) (the coefficients of OrdinaryDiffEq.jl's ``Rodas5``, recomputed to
    64 digits so that its order conditions hold in multiprecision too; see
    ``methods/rosenbrock_tableaus.py``): order 5 with an embedded order-4 estimate, stiffly
    accurate and L-stable, eight stages, eight f evaluations per step (one of them ``f0``),
    γ = 0.19."""

    order = 5
    step = staticmethod(rodas5_step)
    coefficients = staticmethod(_rodas5_coefficients)
