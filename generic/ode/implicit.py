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

The iteration and its convergence test are :func:`~.newton.newton`'s (``newton.py``). A failure
with a Jacobian from an earlier step recomputes J at the step's start and tries once more; a
failure with a fresh J makes the attempt return ``err = inf``, so that the integrator shrinks the
step (by its controller's ``qmin``). An error-test rejection also makes the next try recompute J
if it was not fresh.

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

One source for both paths: the stages (:func:`implicit_euler_stages`, :func:`trbdf2_stages`) and
the attempt (:func:`implicit_attempt`) are ``register_jitable`` functions of the solve's cache;
the classes below call them on the generic path with a :class:`NewtonCache`, and the float64 fast
path compiles them on its record (``generic/ode/fast/implicit.py``: a finite-difference or the
user's compiled Jacobian, a compiled LU kept in the record's buffers).

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
from fractions import Fraction

from numba.extending import register_jitable

from ..dispatch import convert
from ..functions import eltype
from .algorithms import Algorithm, Attempt
from .controller import error_norm, error_scale
from .newton import (
    ETA,
    NFAIL,
    RECOMPUTE,
    THETA,
    NewtonStats,
    jacobian_current,
    new_state,
    newton,
    newton_jacobian,
    newton_matrix,
)
from .rosenbrock import solve_w

__all__ = ["Implicit", "ImplicitEuler", "TRBDF2", "NewtonStats", "NewtonCache", "implicit_attempt",
           "implicit_euler_stages", "trbdf2_stages", "IMPLICIT_EULER", "TR_BDF2"]

SQRT2 = Fraction("1.41421356237309504880168872420969807856967187537694807317667974")
IMPLICIT_EULER, TR_BDF2 = 0, 1  # cache.method

# The coefficients a stage reads, exact (√2 as a 60-digit rational); cache fields of the same
# names hold them in the state's type. (ImplicitEuler reads "one" and "half" only.)
COEFFICIENTS = {
    "one": Fraction(1),
    "half": Fraction(1, 2),
    "d": 1 - SQRT2 / 2,  # γ/2: both TR-BDF2 stages' c
    "omega": SQRT2 / 4,
    "alpha1": -SQRT2 / 2,  # BDF2-stage predictor z = α1 z₀ + α2 z_γ (extrapolated f)
    "alpha2": 1 + SQRT2 / 2,
    "b1": (1 - SQRT2) / 3,
    "b2": Fraction(1, 3),
    "b3": (SQRT2 - 2) / 3,
}
GAMMA = 2 - SQRT2  # TR-BDF2's intermediate time, converted to the time's type


@register_jitable
def implicit_euler_stages(f, p, t, u, dt, f0, cache, atol, rtol):
    """Backward Euler's stage from the explicit Euler predictor ``z = h f₀``. Returns
    ``(converged, u_new, error estimate, f_new, f evaluations)``."""
    W = newton_matrix(cache, dt)
    zprev = dt * f0
    scale = error_scale(u, u, atol, rtol)
    z, ok, nf = newton(f, p, t + dt, u, cache.one, dt, zprev, scale, W, cache)
    return ok, u + z, cache.half * (z - zprev), z / dt, nf


@register_jitable
def trbdf2_stages(f, p, t, u, dt, f0, cache, atol, rtol):
    """TR-BDF2's trapezoidal stage to t + γh, then its BDF2 stage to t + h, one ``W`` for
    both; returns as :func:`implicit_euler_stages`."""
    d = cache.d
    W = newton_matrix(cache, d * dt)
    scale = error_scale(u, u, atol, rtol)
    zprev = dt * f0
    tmp = u + d * zprev  # trapezoidal stage: u_γ = u + d z₀ + d z_γ at t + γh
    zg, ok, nf = newton(f, p, t + cache.gamma_t * dt, tmp, d, dt, zprev, scale, W, cache)
    if not ok:
        return False, tmp, zprev, zprev, nf
    tmp = u + cache.omega * (zprev + zg)  # BDF2 stage: u₁ = u + ω (z₀ + z_γ) + d z₁ at t + h
    z0 = cache.alpha1 * zprev + cache.alpha2 * zg
    z, ok, nf2 = newton(f, p, t + dt, tmp, d, dt, z0, scale, W, cache)
    est = cache.b1 * zprev + cache.b2 * zg + cache.b3 * z
    if cache.smooth_est:
        est = solve_w(W, est)
    return ok, tmp + d * z, est, z / dt, nf + nf2


@register_jitable
def implicit_attempt(f, p, t, u, dt, f0, cache, adaptive, atol, rtol):
    """One try of the cache's method from ``(t, u)`` (``f0 = f(u)``): ``(u_new, err, f_new,
    f evaluations)``, ``err = inf`` when Newton failed with a fresh Jacobian. Keeps J while
    Newton converges fast; recomputes it after a failure or a rejection with an old one."""
    nf = 0
    if cache.counts[RECOMPUTE]:
        nf += newton_jacobian(cache, f, p, t, u)
    while True:
        cache.rates[THETA] = 0.0
        if cache.method == IMPLICIT_EULER:
            ok, u_new, est, f_new, n = implicit_euler_stages(f, p, t, u, dt, f0, cache, atol,
                                                             rtol)
        else:
            ok, u_new, est, f_new, n = trbdf2_stages(f, p, t, u, dt, f0, cache, atol, rtol)
        nf += n
        if ok:
            break
        cache.counts[NFAIL] += 1
        cache.rates[ETA] = 1.0
        if jacobian_current(cache, t, u):  # a fresh Jacobian did not help: a smaller step
            return u_new, math.inf, f_new, nf
        nf += newton_jacobian(cache, f, p, t, u)
    err = 0.0
    if adaptive:
        err = error_norm(est, u, u_new, atol, rtol)
        if not err <= 1.0 and not jacobian_current(cache, t, u):
            cache.counts[RECOMPUTE] = 1
    if cache.rates[THETA] > cache.jac_reuse_rate:
        cache.counts[RECOMPUTE] = 1
    return u_new, err, f_new, nf


class NewtonCache:
    """The generic path's per-solve state of an implicit method: its coefficients and Newton
    constants (fields named as the compiled record's), the Jacobian (``J``, taken at ``J_u``),
    the factored ``W``, and the ``rates``/``counts`` of :mod:`.newton`."""

    def __init__(self, alg: Implicit, u, t):
        T = eltype(u)
        self.__dict__.update({k: convert(T, v) for k, v in COEFFICIENTS.items()})
        self.gamma_t = convert(eltype(t), GAMMA)  # a time: in the time's type
        self.method = alg.method
        self.smooth_est = alg.smooth_est
        self.kappa, self.kmax, self.max_rate = alg.kappa, alg.kmax, alg.max_rate
        self.jac_reuse_rate, self.jac = alg.jac_reuse_rate, alg.jac
        self.J = self.J_u = self.W = None
        self.rates, self.counts = new_state()

    @property
    def stats(self) -> NewtonStats:
        return NewtonStats(*(int(k) for k in self.counts[1:]))


class Implicit(Algorithm):
    """What both methods share: the Newton constants and the attempt."""

    adaptive = True
    kappa = 0.01
    kmax = 10
    max_rate = 0.9
    method = IMPLICIT_EULER
    smooth_est = False  # TRBDF2's filtered estimate (an instance setting there)

    def __init__(self, jac_reuse_rate: float = 0.2, jac=None):
        self.jac_reuse_rate = float(jac_reuse_rate)
        self.jac = jac  # optional jac(u, p, t) -> ∂f/∂u

    def prepare(self, integrator) -> NewtonCache:
        return NewtonCache(self, integrator.u, integrator.t)

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        u_new, err, f_new, nf = implicit_attempt(integrator.f, integrator.p, t, u, dt, f0,
                                                 cache, integrator.adaptive, integrator.atol,
                                                 integrator.rtol)
        return Attempt(u_new, err, f_new, nf)


class ImplicitEuler(Implicit):
    """Backward Euler, order 1, L-stable: ``u₁ = u₀ + h f(t + h, u₁)``.

    Adaptive with the estimate ``(h/2)(f₁ - f₀)`` (see the module docstring); the Newton
    iteration starts from the explicit Euler predictor ``z = h f₀``.
    ``jac_reuse_rate``: keep the Jacobian for the next step while Newton's rate stays below it;
    ``jac(u, p, t)``: the Jacobian ∂f/∂u, if known (else differentiated).
    """

    order = 1
    dense_order = 3
    method = IMPLICIT_EULER


class TRBDF2(Implicit):
    """TR-BDF2 (Bank et al. 1985; Hosea & Shampine 1996): a trapezoidal stage to t + γh,
    γ = 2 - √2, then BDF2 through u₀, u_γ, u₁. Order 2, L-stable, one W = I - (γ/2) h J for
    both stages, with Hosea & Shampine's embedded error estimate (filtered by W⁻¹ when
    ``smooth_est``). ``jac_reuse_rate``: keep the Jacobian for the next step while Newton's
    rate stays below it; ``jac(u, p, t)``: the Jacobian ∂f/∂u, if known."""

    order = 2
    dense_order = 3
    method = TR_BDF2

    def __init__(self, jac_reuse_rate: float = 0.2, smooth_est: bool = True, jac=None):
        super().__init__(jac_reuse_rate, jac)
        self.smooth_est = bool(smooth_est)
