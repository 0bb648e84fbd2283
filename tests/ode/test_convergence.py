"""Every explicit method converges at its declared order.

Fixed steps (``adaptive=False``, ``dt = T/n``) on a smooth, nonlinear, non-autonomous problem
with a closed form,

    u' = t u (1 - u),  u(0) = 1/2,  u(t) = 1 / (1 + exp(-t²/2)),  t in [0, 1],

so both the state and the nodes ``t + c_i dt`` of every stage enter the error. The global error
of a method of order p behaves like C h^p, so halving the step divides it by 2^p and the
empirical order is ``log2(err(h) / err(h/2))``. It is measured over three step sizes (two
slopes) and each slope must lie within 0.3 of the declared order.

The step counts are chosen per method so that the error is in the asymptotic regime (the slope
has settled: the lower-order terms of the error expansion have died out) yet far above rounding
(or, for DP8, above the 28–30 digits its published coefficients have). In float64 that leaves
room only for methods of order <= 4 (a fifth-order method reaches 1e-14 in 32 steps, where
rounding already moves the slope by 0.3); the higher-order methods (and, as a cross-check, all)
run in mpmath at 40 digits, where rounding sits at 1e-40, far under the smallest error measured
(about 1e-34, Vern9 at 128 steps).
"""

from __future__ import annotations

import math

import mpmath
import pytest

import generic as g

# Within 0.3 of the declared order: the asymptotic regime is reached only in the limit, and the
# next term of the error expansion (relative size O(h)) moves a measured slope by up to ~0.25
# at the step counts below (Vern7, whose slope approaches 7 slowly from above, is the worst:
# 7.25 at 128 -> 256 steps, 7.14 at 256 -> 512).
SLOPE_TOLERANCE = 0.3


def rhs(u, p, t):
    return t * u * (1 - u)


def exact(t):
    return 1 / (1 + g.exp(-t * t / 2))


def global_error(alg, n: int, one) -> float:
    """|u_n - u(1)| after n fixed steps of size 1/n, in the number type of ``one``."""
    T = one
    sol = g.solve(g.ODEProblem(rhs, one / 2, (0 * T, T)), alg, dt=T / n, adaptive=False)
    assert sol.retcode == "Success"
    assert len(sol.t) == n + 1  # fixed steps: exactly n of them
    return abs(sol.u[-1] - exact(T))


def empirical_orders(alg, n: int, one) -> list[float]:
    errors = [global_error(alg, n * 2**k, one) for k in range(3)]
    return [float(mpmath.log(errors[k] / errors[k + 1], 2)) for k in range(2)]


# (method, smallest step count): errors at n, 2n, 4n steps. In float64 the smallest error is
# about 3e-11 (RK4 at 64 steps), 1000x above the accumulated rounding (~1e-16 per step).
FLOAT64 = [
    (g.Euler(), 128),
    (g.Midpoint(), 32),
    (g.Heun(), 64),
    (g.RK4(), 16),
    (g.BS3(), 32),
]

# In mpmath at 40 digits. DP8 stops at 64 steps (error 1e-22): its coefficients have only
# 28–30 digits, which caps its accuracy at about 1e-28, and the slope sags from 256 steps on.
MPMATH = [
    (g.Euler(), 128),
    (g.Midpoint(), 32),
    (g.Heun(), 64),
    (g.RK4(), 32),
    (g.BS3(), 32),
    (g.DP5(), 32),
    (g.Tsit5(), 32),
    (g.Vern7(), 128),
    (g.Vern9(), 32),
    (g.DP8(), 16),
]


@pytest.mark.parametrize(("alg", "n"), FLOAT64, ids=[c[0].name for c in FLOAT64])
def test_empirical_order_equals_declared_order_in_float64(alg, n):
    for slope in empirical_orders(alg, n, 1.0):
        assert abs(slope - alg.order) <= SLOPE_TOLERANCE, (alg, slope)


@pytest.mark.parametrize(("alg", "n"), MPMATH, ids=[c[0].name for c in MPMATH])
def test_empirical_order_equals_declared_order_in_mpmath(alg, n):
    with mpmath.workdps(40):
        for slope in empirical_orders(alg, n, mpmath.mpf(1)):
            assert abs(slope - alg.order) <= SLOPE_TOLERANCE, (alg, slope)


def test_every_method_is_measured():
    """A method added to the package must be added here (GBS is another developer's)."""
    exported = {name for name in g.ode.__all__
                if isinstance(getattr(g, name), type) and issubclass(getattr(g, name),
                                                                     g.ExplicitRK)
                and getattr(g, name) is not g.ExplicitRK}
    measured = {alg.name for alg, _ in MPMATH}
    assert exported - {"GBS"} <= measured


@pytest.mark.parametrize("alg", [g.BS3(), g.DP5(), g.Tsit5(), g.Vern7(), g.Vern9(), g.DP8()],
                         ids=lambda a: a.name)
def test_adaptive_error_shrinks_with_the_tolerance(alg):
    """Tolerance proportionality, loosely: tightening rtol = atol by 10^4 shrinks the global
    error by at least 10^2 (an adaptive method's error is roughly proportional to tol^(p/(p+1))
    with p its error estimate's order, i.e. at least tol^(3/4) here; 10^2 leaves room for the
    controller's safety factors), and the error stays within 100x the tolerance."""
    errors = []
    for tol in (1e-5, 1e-9):
        sol = g.solve(g.ODEProblem(rhs, 0.5, (0.0, 3.0)), alg, rtol=tol, atol=tol)
        error = abs(sol.u[-1] - exact(3.0))
        assert error <= 100 * tol, (alg, tol, error)  # a global error of a few tolerances
        errors.append(max(error, 1e-16))
    assert errors[1] <= errors[0] / 100 or errors[1] <= 1e-14, (alg, errors)
    assert math.isfinite(errors[1])
