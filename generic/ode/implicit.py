"""Implicit one-step methods for stiff problems: backward Euler and TR-BDF2.

Both solve their stage equations in the form of OrdinaryDiffEq.jl: a stage is
``u_s = tmp + c z`` with ``z = h f(t_s, tmp + c z)``, solved for ``z`` by simplified Newton::

    W = I - c h J,      r = h f(t_s, tmp + c z) - z,      z <- z + W⁻¹ r

with ``J = g.state_jacobian(lambda v: f(v, p, t), u)`` (dual numbers; forward differences on
the device for array API arrays) or the user's ``jac(u, p, t)``, taken at the step's start,
and ``W`` (built with ``g.identity_like(J)``) factored once with ``g.lu`` and reused for every
iteration (and, in TR-BDF2, both stages: they share ``c = d = γ/2``). ``J`` is kept across
steps while Newton converges fast (rate θ ≤ ``jac_reuse_rate``); ``W`` is refactored when
``c h`` changes.

Convergence (Hairer & Wanner, Solving ODEs II, §IV.8; OrdinaryDiffEq's ``NLNewton``): with
``‖Δ‖`` the RMS norm (``g.norm``, on floats) of the Newton correction relative to
``error_scale`` (``atol + rtol·|u|``), the rate ``θ_k = ‖Δ_k‖ / ‖Δ_{k-1}‖`` and
``η = θ / (1 - θ)``, the iteration has converged when ``η ‖Δ‖ < κ`` (κ = 1/100: the iteration
error is a hundredth of the local error tolerance). It has failed when θ > ``max_rate`` (0.9),
when ``θ^(kmax-k) / (1-θ) ‖Δ‖ > κ`` (it cannot converge within ``kmax`` iterations), or
after ``kmax`` = 10 iterations. A failure with a Jacobian from an earlier step recomputes J at
the step's start and tries once more; a failure with a fresh J makes the attempt return
``err = inf``, so that the integrator shrinks the step (by its controller's ``qmin``). An
error-test rejection also makes the next try recompute J if it was not fresh.

Error estimates:

- ``ImplicitEuler``: the local error of backward Euler is ``-(h²/2) y'' + O(h³)``; with
  ``y'' ≈ (f_new - f_old)/h`` this is ``(h/2)(f_new - f_old) = (z - h f_old)/2``, half the
  difference between the implicit step and the explicit-Euler predictor (the estimate of
  OrdinaryDiffEq's ``ImplicitEuler``, up to its norm).
- ``TRBDF2``: Hosea & Shampine's embedded estimate
  ``est = (1-√2)/3 z_0 + 1/3 z_γ + (√2-2)/3 z_1`` (the z's are h times f at t, t + γh, t + h;
  the weights annihilate constants and linear functions, so ``est = O(h³)``), filtered as they
  recommend by ``W⁻¹ est`` (``smooth_est=True``): that keeps the estimate of stiff,
  well-damped components from rejecting steps the L-stable method takes accurately.

``f_new`` is returned as ``z/h`` of the last stage (no extra evaluation; stiffly accurate),
and dense output is the integrator's cubic Hermite interpolation.

Every constant that touches the state (γ, d = γ/2, ω = √2/4, the error weights) is built from
√2 as an exact rational of its 60-digit decimal, converted with ``convert`` to the state's
element type, so a multiprecision solve uses 60-digit (not float64) coefficients. (Beyond 60 digits
the coefficients are the limit: raise the string.)

Limitations: the state must be a scalar or a 1-D array (the Jacobian is taken as a matrix);
the Jacobian is dense (``g.lu`` of an n×n matrix); ``nf`` counts the evaluations a Jacobian
costs (one dual-number sweep; n + 1 for differences; none for ``jac``), the iterations one each.
Each Newton iteration brings one float to the host (its correction's norm).

References: R. E. Bank, W. M. Coughran, W. Fichtner, E. H. Grosse, D. J. Rose & R. K. Smith,
"Transient simulation of silicon devices and circuits", IEEE Trans. CAD 4 (1985) 436–451;
M. E. Hosea & L. F. Shampine, "Analysis and implementation of TR-BDF2", Appl. Numer. Math.
20 (1996) 21–37; E. Hairer & G. Wanner, Solving ODEs II, 2nd ed., Springer 1996, §IV.8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..dispatch import convert
from ..functions import eltype, identity_like, lu, lu_solve, norm, state_jacobian, value
from .algorithms import Algorithm, Attempt, Counted
from .controller import error_scale

__all__ = ["ImplicitEuler", "TRBDF2", "NewtonStats"]

SQRT2 = Fraction("1.41421356237309504880168872420969807856967187537694807317667974")


@dataclass
class NewtonStats:
    """Counts of the implicit machinery of one solve (``integrator.cache.stats``)."""

    njac: int = 0  # Jacobian evaluations
    nfactor: int = 0  # LU factorisations of W
    nnewton: int = 0  # Newton iterations (each one f evaluation and one solve)
    nfail: int = 0  # Newton failures (the step retried with a fresh J, or rejected)


class _Cache:
    """Per-solve state: the converted constants, the Jacobian and the factored W."""

    def __init__(self, constants: dict, scalar: bool):
        self.c = constants
        self.scalar = scalar
        self.J = None
        self.J_u = None  # the state J was taken at (identity: fresh for this step's start)
        self.recompute = True
        self.W = None
        self.W_ch = None  # float value of c·h that W was formed with
        self.eta = 1.0  # the last converged η (first-iteration test of the next solve)
        self.theta = 0.0  # the last convergence rate
        self.stats = NewtonStats()


class _Implicit(Algorithm):
    """Shared Newton machinery (see the module docstring)."""

    adaptive = True
    kappa = 0.01
    kmax = 10
    max_rate = 0.9

    def __init__(self, jac_reuse_rate: float = 0.2, jac=None):
        self.jac_reuse_rate = float(jac_reuse_rate)
        self.jac = jac  # optional jac(u, p, t) -> ∂f/∂u

    def _constants(self, T) -> dict:
        return {}

    def prepare(self, integrator):
        u = integrator.u
        return _Cache(self._constants(eltype(u)), np.ndim(value(u)) == 0)

    # -- linear algebra -------------------------------------------------------------------

    def _jacobian(self, integ, cache, t, u) -> int:
        f, p = integ.f, integ.p
        f_u = Counted(lambda v: f(v, p, t))
        cache.J = self.jac(u, p, t) if self.jac is not None else state_jacobian(f_u, u)
        cache.J_u, cache.recompute, cache.W = u, False, None
        cache.stats.njac += 1
        return f_u.calls

    def _factor(self, cache, ch) -> None:
        key = float(value(ch))
        if cache.W is not None and cache.W_ch == key:
            return
        if cache.scalar:
            cache.W = 1 - ch * cache.J
        else:
            cache.W = lu(identity_like(cache.J) - ch * cache.J)
        cache.W_ch = key
        cache.stats.nfactor += 1

    def _solve(self, cache, b):
        return b / cache.W if cache.scalar else lu_solve(cache.W, b)

    # -- Newton ---------------------------------------------------------------------------

    def _newton(self, integ, cache, t_s, tmp, c, h, z, scale):
        """Solve ``z = h f(t_s, tmp + c z)`` from the guess ``z``. Returns (z, converged, nf)."""
        f, p = integ.f, integ.p
        eta = max(cache.eta, 1e-16) ** 0.8
        ndz_prev, nf = None, 0
        for k in range(1, self.kmax + 1):
            r = h * f(tmp + c * z, p, t_s) - z
            nf += 1
            cache.stats.nnewton += 1
            dz = self._solve(cache, r)
            ndz = float(norm(dz / scale))
            if not math.isfinite(ndz):
                return z, False, nf
            z = z + dz
            if ndz_prev is not None:
                theta = ndz / ndz_prev if ndz_prev > 0 else 0.0
                cache.theta = max(cache.theta, theta)
                if theta > self.max_rate:
                    return z, False, nf
                if theta ** (self.kmax - k) / (1 - theta) * ndz > self.kappa and theta > 0:
                    return z, False, nf
                eta = theta / (1 - theta)
            if eta * ndz < self.kappa or ndz == 0:
                cache.eta = eta
                return z, True, nf
            ndz_prev = ndz
        return z, False, nf

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        nf = 0
        if cache.J is None or cache.recompute:
            nf += self._jacobian(integrator, cache, t, u)
        while True:
            cache.theta = 0.0
            result = self._stages(integrator, cache, t, u, dt, f0)
            nf += result[-1]
            if result[0] is not None:
                break
            cache.stats.nfail += 1
            cache.eta = 1.0
            if cache.J_u is u:  # a fresh Jacobian did not help: a smaller step
                return Attempt(u, math.inf, None, nf)
            nf += self._jacobian(integrator, cache, t, u)
        u_new, est, f_new, _ = result
        err = 0.0
        if integrator.adaptive:
            scale = error_scale(u, u_new, integrator.atol, integrator.rtol)
            err = float(norm(est / scale))
            if not err <= 1.0 and cache.J_u is not u:
                cache.recompute = True
        if cache.theta > self.jac_reuse_rate:
            cache.recompute = True
        return Attempt(u_new, err, f_new, nf)

    def _stages(self, integrator, cache, t, u, dt, f0):
        """(u_new, error estimate, f_new, nf), or (None, None, None, nf) if Newton failed."""
        raise NotImplementedError


class ImplicitEuler(_Implicit):
    """Backward Euler, order 1, L-stable: ``u₁ = u₀ + h f(t + h, u₁)``.

    Adaptive with the estimate ``(h/2)(f₁ - f₀)`` (see the module docstring); the Newton
    iteration starts from the explicit Euler predictor ``z = h f₀``.
    ``jac_reuse_rate``: keep the Jacobian for the next step while Newton's rate stays below it;
    ``jac(u, p, t)``: the Jacobian ∂f/∂u, if known (else differentiated).
    """

    order = 1
    dense_order = 3

    def _constants(self, T) -> dict:
        return {"one": convert(T, 1), "half": convert(T, Fraction(1, 2))}

    def _stages(self, integrator, cache, t, u, dt, f0):
        one = cache.c["one"]
        self._factor(cache, dt)
        zprev = dt * f0
        scale = error_scale(u, u, integrator.atol, integrator.rtol)
        z, ok, nf = self._newton(integrator, cache, t + dt, u, one, dt, zprev, scale)
        if not ok:
            return None, None, None, nf
        est = cache.c["half"] * (z - zprev)
        return u + z, est, z / dt, nf


class TRBDF2(_Implicit):
    """TR-BDF2 (Bank et al. 1985; Hosea & Shampine 1996): a trapezoidal stage to t + γh,
    γ = 2 - √2, then BDF2 through u₀, u_γ, u₁. Order 2, L-stable, one W = I - (γ/2) h J for
    both stages, with Hosea & Shampine's embedded error estimate (filtered by W⁻¹ when
    ``smooth_est``). ``jac_reuse_rate``: keep the Jacobian for the next step while Newton's
    rate stays below it; ``jac(u, p, t)``: the Jacobian ∂f/∂u, if known."""

    order = 2
    dense_order = 3

    def __init__(self, jac_reuse_rate: float = 0.2, smooth_est: bool = True, jac=None):
        super().__init__(jac_reuse_rate, jac)
        self.smooth_est = bool(smooth_est)

    def _constants(self, T) -> dict:
        s = SQRT2
        exact = {
            "gamma": 2 - s,
            "d": 1 - s / 2,
            "omega": s / 4,
            "alpha1": -s / 2,  # BDF2-stage predictor z = α1 z₀ + α2 z_γ (extrapolated f)
            "alpha2": 1 + s / 2,
            "b1": (1 - s) / 3,
            "b2": Fraction(1, 3),
            "b3": (s - 2) / 3,
        }
        return {k: convert(T, v) for k, v in exact.items()}

    def _stages(self, integrator, cache, t, u, dt, f0):
        c = cache.c
        d = c["d"]
        self._factor(cache, d * dt)
        scale = error_scale(u, u, integrator.atol, integrator.rtol)
        zprev = dt * f0
        # trapezoidal stage: u_γ = u + d z₀ + d z_γ at t + γh
        tmp = u + d * zprev
        gamma_t = convert(eltype(t), 2 - SQRT2)  # in the time's type, not the state's
        zg, ok, nf = self._newton(integrator, cache, t + gamma_t * dt, tmp, d, dt, zprev, scale)
        if not ok:
            return None, None, None, nf
        # BDF2 stage: u₁ = u + ω (z₀ + z_γ) + d z₁ at t + h
        tmp = u + c["omega"] * (zprev + zg)
        z0 = c["alpha1"] * zprev + c["alpha2"] * zg
        z, ok, nf2 = self._newton(integrator, cache, t + dt, tmp, d, dt, z0, scale)
        nf += nf2
        if not ok:
            return None, None, None, nf
        est = c["b1"] * zprev + c["b2"] * zg + c["b3"] * z
        if self.smooth_est:
            est = self._solve(cache, est)
        return tmp + d * z, est, z / dt, nf
