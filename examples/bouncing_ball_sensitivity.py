"""A bouncing ball, and the derivatives of its impact times through the solver and its events.

    h'' = -g (g = 9.81 m/s²), dropped from h0 = 2 m at rest; at h = 0 the velocity reverses
    and shrinks by the restitution e = 0.9

A ``ContinuousCallback`` finds each impact (the sign of h is watched along each step, the
crossing bracketed on floats and landed on with Newton steps on the method's own solution),
and its ``affect`` bounces the ball. Handing ``g.solve`` dual numbers for h0 and e gives the
impact times *and* their derivatives: the last Newton step runs in the problem's own number
type, so the event times carry the implicit function theorem's derivatives (OrdinaryDiffEq.jl
drops them, its issue #4388). The closed form: t_1 = √(2 h0/g), t_{k+1} = t_k + 2 e^k t_1.

The same solve runs on measurements (h0 = 2.00 ± 0.01 m, e = 0.90 ± 0.01) and, for the first
impact, in mpmath at 30 digits, where the event time is exact to the working precision.

Run: ``python examples/bouncing_ball_sensitivity.py``.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

import generic as g

GRAVITY = 9.81


def fall(u, p, t):
    """(h, v)' = (v, -g), in the number type of the state."""
    return u[::-1] * np.array([1.0, 0.0]) - np.array([0.0, GRAVITY])


def impact_times(params, n: int = 5):
    """The first n impact times of a ball dropped from h0 with restitution e."""
    h0, e = params[0], params[1]
    times = []

    def bounce(integ):
        times.append(integ.t)
        if len(times) == n:
            integ.terminate()
        else:
            integ.u = integ.u * np.array([1.0, 0.0]) - e * integ.u * np.array([0.0, 1.0])

    floor = g.ContinuousCallback(lambda u, t, integ: u[0], None, affect_neg=bounce)
    prob = g.ODEProblem(fall, h0 * np.array([1.0, 0.0]), (0.0, 60.0))
    sol = g.solve(prob, g.Tsit5(), callback=floor)
    assert sol.retcode == "Terminated", sol.message
    return np.array(times)


def closed_form(h0: float, e: float, n: int):
    t1 = math.sqrt(2 * h0 / GRAVITY)
    times = t1 * np.array([1 + 2 * sum(e**j for j in range(1, k + 1)) for k in range(n)])
    # d/dh0: every t_k is proportional to t_1 = √(2 h0/g);  d/de: 2 t_1 Σ j e^(j-1)
    d_h0 = times / (2 * h0)
    d_e = t1 * np.array([2 * sum(j * e ** (j - 1) for j in range(1, k + 1)) for k in range(n)])
    return times, d_h0, d_e


def main() -> None:
    h0, e, n = 2.0, 0.9, 5
    print(__doc__.split("\n\n")[1].rstrip(), "\n")

    times = impact_times(np.array([h0, e]), n)
    J = g.jacobian(lambda x: impact_times(x, n), np.array([h0, e]))  # n x 2
    exact, d_h0, d_e = closed_form(h0, e, n)
    print(f"{'impact':>6} {'t_k (s)':>20} {'error':>9} {'dt_k/dh0':>18} {'error':>9} "
          f"{'dt_k/de':>18} {'error':>9}")
    for k in range(n):
        print(f"{k + 1:>6} {times[k]:20.15f} {abs(times[k] - exact[k]):9.1e} "
              f"{J[k, 0]:18.14f} {abs(J[k, 0] - d_h0[k]):9.1e} "
              f"{J[k, 1]:18.14f} {abs(J[k, 1] - d_e[k]):9.1e}")

    uncertain = impact_times(np.array([g.measurement(h0, 0.01), g.measurement(e, 0.01)],
                                      dtype=object), n)
    print("\nwith h0 = 2.00 ± 0.01 m and e = 0.90 ± 0.01 (measurements through the same solve):")
    for k, t in enumerate(uncertain, 1):
        by_hand = math.hypot(0.01 * d_h0[k - 1], 0.01 * d_e[k - 1])
        print(f"  t_{k} = {g.value(t):.6f} ± {g.uncertainty(t):.6f} s"
              f"   (closed form: ± {by_hand:.6f})")

    with mpmath.workdps(30):
        h_mp = mpmath.mpf(2)
        u0 = np.array([h_mp, mpmath.mpf(0)], dtype=object)
        landed = []
        floor = g.ContinuousCallback(lambda u, t, integ: u[0], None,
                                     affect_neg=lambda integ: (landed.append(integ.t),
                                                               integ.terminate()))
        grav = mpmath.mpf("9.81")
        prob = g.ODEProblem(lambda u, p, t: np.array([u[1], -grav + 0 * u[1]], dtype=object),
                            u0, (mpmath.mpf(0), mpmath.mpf(10)))
        g.solve(prob, g.DP5(), callback=floor)
        exact_mp = mpmath.sqrt(2 * h_mp / grav)
        print(f"\nmpmath, 30 digits: t_1 = {mpmath.nstr(landed[0], 30)}"
              f"\n            √(2h/g) = {mpmath.nstr(exact_mp, 30)}"
              f"   (error {mpmath.nstr(abs(landed[0] - exact_mp), 2)})")


if __name__ == "__main__":
    main()
