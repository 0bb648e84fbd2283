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

References: Shampine & Reichelt, SIAM J. Sci. Comput. 18 (1997) 1–22 (ode23s); Hairer & Wanner,
Solving ODEs II, 2nd ed., Springer 1996, §IV.7 and §VI.4 (rodas.f); Di Marzo 1993 (RODAS5);
coefficients in ``methods/rosenbrock_tableaus.py``.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..dispatch import convert
from ..functions import eltype, eps, identity_like, norm, state_jacobian, time_derivative, value
from ..linalg import lu, lu_solve
from .algorithms import Algorithm, Attempt, Counted
from .controller import PIController, error_scale
from .methods.rosenbrock_tableaus import RODAS5, SQRT2

__all__ = ["Rosenbrock23", "Rodas5"]


def _is_scalar(u) -> bool:
    """Whether the state is one number (not an array): by the shape of its value."""
    return np.ndim(value(u)) == 0


class _RosenbrockBase(Algorithm):
    """What both methods share: the Jacobian, ∂f/∂t, and W = I − γ h J factorised."""

    adaptive = True

    def __init__(self, jac=None, tgrad=None):
        self.jac = jac  # optional jac(u, p, t) -> ∂f/∂u
        self.tgrad = tgrad  # optional tgrad(u, p, t) -> ∂f/∂t

    def __repr__(self) -> str:
        return f"{self.name}()"

    def controller(self):
        return PIController(self.order)

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

    @staticmethod
    def _factor(J, gamma_h, scalar: bool):
        """W = I − γ h J, factorised (for a scalar state, W itself)."""
        if scalar:
            return 1 - gamma_h * J
        return lu(identity_like(J) - gamma_h * J)

    @staticmethod
    def _solve(W, b, scalar: bool):
        return b / W if scalar else lu_solve(W, b)


@lru_cache(maxsize=64)
def _rb23_constants(T, _precision):
    sqrt2 = convert(T, SQRT2)
    return {"d": 1 / (2 + sqrt2), "e32": 6 + sqrt2, "half": convert(T, Fraction(1, 2)),
            "sixth": convert(T, Fraction(1, 6))}


class Rosenbrock23(_RosenbrockBase):
    """Shampine & Reichelt's Rosenbrock 2(3) method (MATLAB's ``ode23s``): order 2, L-stable,
    with a third-order error estimate; three stages, two new f evaluations per step (the third
    stage is f at the new point, reused by the next step), W = I − h J/(2 + √2)."""

    order = 2

    def prepare(self, integrator):
        T = eltype(integrator.u)
        return {"c": _rb23_constants(T, eps(T)), "point": None, "J": None, "dT": None}

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        f, p, c = integrator.f, integrator.p, cache["c"]
        scalar = _is_scalar(u)
        J, dT, nf = self._derivatives(integrator, cache, t, u)
        d, e32 = c["d"], c["e32"]
        W = self._factor(J, d * dt, scalar)
        hdT = (dt * d) * dT
        k1 = self._solve(W, f0 + hdT, scalar)
        f1 = f(u + (c["half"] * dt) * k1, p, t + c["half"] * dt)
        k2 = self._solve(W, f1 - k1, scalar) + k1
        u_new = u + dt * k2
        f2 = f(u_new, p, t + dt)
        nf += 2
        err = 0.0
        if integrator.adaptive:
            k3 = self._solve(W, f2 - e32 * (k2 - f1) - 2 * (k1 - f0) + hdT, scalar)
            e = (c["sixth"] * dt) * (k1 - 2 * k2 + k3)
            err = float(norm(e / error_scale(u, u_new, integrator.atol, integrator.rtol)))
        return Attempt(u_new, err, f2, nf)


@lru_cache(maxsize=64)
def _rodas5_constants(T, _precision):
    def conv(values):
        return tuple(convert(T, q) for q in values)

    return {"gamma": convert(T, RODAS5["gamma"]),
            "A": tuple(conv(row) for row in RODAS5["A"]),
            "C": tuple(conv(row) for row in RODAS5["C"]),
            "c": conv(RODAS5["c"]), "d": conv(RODAS5["d"])}


class Rodas5(_RosenbrockBase):
    """Di Marzo's RODAS5(4) (the coefficients of OrdinaryDiffEq.jl's ``Rodas5``, recomputed to
    64 digits so that its order conditions hold in multiprecision too; see
    ``methods/rosenbrock_tableaus.py``): order 5 with an embedded order-4 estimate, stiffly
    accurate and L-stable, eight stages, eight f evaluations per step (one of them ``f0``),
    γ = 0.19."""

    order = 5

    def prepare(self, integrator):
        T = eltype(integrator.u)
        return {"c": _rodas5_constants(T, eps(T)), "point": None, "J": None, "dT": None}

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        f, p, c = integrator.f, integrator.p, cache["c"]
        scalar = _is_scalar(u)
        J, dT, nf = self._derivatives(integrator, cache, t, u)
        A, C, nodes, ds, gamma = c["A"], c["C"], c["c"], c["d"], c["gamma"]
        gh = gamma * dt
        W = self._factor(J, gh, scalar)
        # W k_i = hγ (f(U_i) + d_i h ∂f/∂t) + γ Σ_j C_ij k_j  (rodas.f's form times hγ)
        ks = []
        u_stage = u
        for i in range(8):
            if i == 0:
                fi = f0
            else:
                if i < 6:
                    u_stage = u
                    for a, k in zip(A[i], ks, strict=True):
                        u_stage = u_stage + a * k
                else:
                    u_stage = u_stage + ks[-1]
                fi = f(u_stage, p, t + nodes[i] * dt)
                nf += 1
            rhs = fi if i >= 5 else fi + (ds[i] * dt) * dT
            rhs = gh * rhs
            for Cij, k in zip(C[i], ks, strict=True):
                rhs = rhs + (gamma * Cij) * k
            ks.append(self._solve(W, rhs, scalar))
        u_new = u_stage + ks[-1]
        err = 0.0
        if integrator.adaptive:
            scale = error_scale(u, u_new, integrator.atol, integrator.rtol)
            err = float(norm(ks[-1] / scale))
        return Attempt(u_new, err, None, nf)
