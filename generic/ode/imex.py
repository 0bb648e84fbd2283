"""Additive Runge–Kutta (IMEX) methods for ``u' = L u + N(u, p, t)`` with ``L`` diagonal.

An explicit tableau ``(A^E, b, c)`` for ``N`` and an ESDIRK tableau ``(A^I, b, c)`` with
diagonal ``γ`` for ``L``. Stage i (the first is ``u`` itself)::

    U_i = (I - γ h L)^-1 [u + h Σ_{j<i} (A^E_ij N_j + A^I_ij L U_j)],   N_j = N(U_j, t + c_j h)

    u_new = u + h Σ b_j (N_j + L U_j),    error estimate h Σ (b_j - bhat_j)(N_j + L U_j)

Each implicit stage is solved exactly, without Newton iterations or a Jacobian:
``g.diagonal_apply(L, rhs, z -> 1 / (1 - γ h z))``, and ``L U_j`` is
``g.diagonal_apply(L, U_j, identity)``. The step is arithmetic on the state and that generic
function only, so it runs on any state type that has a ``diagonal_apply`` method (NumPy arrays
of Fourier coefficients, object arrays of multiprecision numbers, Fourier Funs). The embedded
estimate drives the integrator's PI step control; dense output is cubic Hermite.

``N`` at the step's start comes from ``f0 = L u + N(u)`` (one diagonal product instead of an N
call), so a step costs ``stages - 1`` evaluations of N plus the stepping loop's f at the end.

Reference: C. A. Kennedy & M. H. Carpenter, "Additive Runge–Kutta schemes for
convection–diffusion–reaction equations", Appl. Numer. Math. 44 (2003) 139–181.
"""

from __future__ import annotations

from ..dispatch import convert
from ..functions import diagonal_apply, eltype, norm, stage_buffer, stage_sum
from .algorithms import Algorithm, Attempt
from .controller import error_scale
from .exponential import Remembered
from .methods.kencarp import KENCARP4_EXPLICIT, KENCARP4_IMPLICIT
from .split import identity, require_split
from .tableau import Tableau, converted

__all__ = ["AdditiveRK", "KenCarp4"]


class AdditiveRK(Algorithm):
    """An IMEX additive Runge–Kutta pair: explicit tableau for N, ESDIRK for L (exact
    diagonal solves), with an embedded error estimate. Adaptive by default; ``dt=`` with
    ``adaptive=False`` gives fixed steps."""

    explicit: Tableau
    implicit: Tableau  # strictly lower A; extra["gamma"] the diagonal

    @property
    def order(self) -> int:
        return self.explicit.order

    def prepare(self, integrator):
        prob = require_split(integrator.prob, self.name)
        T = eltype(integrator.u)
        implicit = converted(self.implicit, T)
        time_type = eltype(integrator.t0)  # nodes in the time's type (a complex state's are not)
        nodes = tuple(convert(time_type, c) for c in self.explicit.c)
        return _Cache(prob, converted(self.explicit, T), implicit,
                      implicit.extra["gamma"].values[0], nodes)

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        L, N, p = cache.L, cache.N, integrator.p
        tab_E, tab_I = cache.explicit, cache.implicit
        gh = cache.gamma * dt
        solve = Remembered(lambda lam: 1 / (1 - gh * lam))
        s = len(tab_E.c)
        Lk, Nk = stage_buffer(f0, s), stage_buffer(f0, s)
        Lk[0] = diagonal_apply(L, u, identity)
        Nk[0] = f0 - Lk[0]
        for i in range(1, s):
            rhs = u + dt * (stage_sum(tab_E.A[i], Nk, i) + stage_sum(tab_I.A[i], Lk, i))
            U = diagonal_apply(L, rhs, solve)
            Lk[i] = diagonal_apply(L, U, identity)
            Nk[i] = N(U, p, t + cache.nodes[i] * dt)
        u_new = u + dt * (stage_sum(tab_E.b, Nk, s) + stage_sum(tab_E.b, Lk, s))
        err = 0.0
        if integrator.adaptive:
            estimate = dt * (stage_sum(tab_E.btilde, Nk, s) + stage_sum(tab_E.btilde, Lk, s))
            scale = error_scale(u, u_new, integrator.atol, integrator.rtol)
            err = float(norm(estimate / scale))
        return Attempt(u_new, err, None, s - 1)


class _Cache:
    """Per solve: L, N, the converted tableaus, γ and the nodes c in the time's type."""

    def __init__(self, prob, explicit, implicit, gamma, nodes):
        self.L, self.N = prob.L, prob.N
        self.explicit, self.implicit, self.gamma, self.nodes = explicit, implicit, gamma, nodes


class KenCarp4(AdditiveRK):
    """Kennedy & Carpenter's ARK4(3)6L[2]SA: 4th order, 3rd-order embedded estimate, six
    stages, L-stable stiffly accurate ESDIRK part (γ = 1/4), for a
    :class:`~.split.SplitODEProblem` with ``L`` diagonal in the state's basis."""

    explicit = KENCARP4_EXPLICIT
    implicit = KENCARP4_IMPLICIT

