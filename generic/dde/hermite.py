"""Hermite interpolation through several steps: the history of a method without dense output.

Cubic Hermite on one step (the ODE solver's dense output for Vern7, Vern9, DP8, BS3, RK4) is
good to O(h^4) only, and a delay equation feeds that error back through every lag: Vern9 at
rtol 1e-12 would be held near 1e-8. Where the solution is smooth across a step's ends, the
values and derivatives at the ends of the neighbouring steps raise the degree: m nodes give the
Hermite polynomial of degree 2m - 1, good to O(h^2m); m is chosen so that 2m - 1 >= the
method's order (Vern9: 5 nodes, degree 9). Where neighbours are missing (a discontinuity
interval covered by one step), nodes inside the step come from the method's own step (Hairer,
Nørsett & Wanner, Solving ODEs I, §II.6 and §II.17). Never across a discontinuity point, where
the solution's low derivatives jump. The polynomial is in Newton form on the doubled nodes
(divided differences), in plain arithmetic on the states and times: any number type goes.
"""

from __future__ import annotations

__all__ = ["hermite_newton", "newton_value", "step_nodes"]


def hermite_newton(nodes: list) -> tuple:
    """The Newton form of the Hermite polynomial through ``nodes`` ``[(x, u, du/dx), ...]``
    (distinct x): ``(z, c)`` with p(s) = c0 + c1 (s - z0) + c2 (s - z0)(s - z1) + ...,
    z the doubled nodes."""
    z = [x for x, _, _ in nodes for _ in range(2)]
    column = [u for _, u, _ in nodes for _ in range(2)]  # column[j]: Q[j][order - 1]
    coefficients = [column[0]]
    for order in range(1, len(z)):
        nxt = column[:order]  # unused below the diagonal
        for j in range(order, len(z)):
            if order == 1 and j % 2 == 1:  # a doubled node: the derivative
                nxt.append(nodes[j // 2][2])
            else:
                nxt.append((column[j] - column[j - 1]) / (z[j] - z[j - order]))
        column = nxt
        coefficients.append(column[order])
    return z, coefficients


def newton_value(z: list, coefficients: list, s):
    """p(s) of :func:`hermite_newton`'s form, by Horner's rule (the state first in each
    product)."""
    total = coefficients[-1]
    for j in range(len(coefficients) - 2, -1, -1):
        total = total * (s - z[j]) + coefficients[j]
    return total


def step_nodes(step_at, count: int, i: int, smooth_at, wanted: int) -> list | None:
    """Up to ``wanted`` nodes ``(t, u, f)`` for step ``i`` of ``count`` (``step_at(k)`` gives
    step k): its two ends, then the far ends of the steps after and before it, alternately,
    as long as the solution is smooth where they join (``smooth_at(t)``: no discontinuity
    there). None for a step an event cut short (its end state is not at its end)."""
    step = step_at(i)
    if step.end is not None:
        return None
    nodes = [(step.t0, step.u0, step.f0), (step.t_end, step.u1, step.f1)]
    right, left = i + 1, i - 1
    while len(nodes) < wanted:
        grown = False
        if right < count and step_at(right).end is None and smooth_at(step_at(right).t0):
            after = step_at(right)
            nodes.append((after.t_end, after.u1, after.f1))
            right, grown = right + 1, True
        if len(nodes) < wanted and left >= 0 and step_at(left).end is None and \
                smooth_at(step_at(left + 1).t0):
            before = step_at(left)
            nodes.append((before.t0, before.u0, before.f0))
            left, grown = left - 1, True
        if not grown:
            break
    return nodes
