"""The generic functions' methods for :class:`~.fun.Fun`: what makes a Fun a state that the ODE
solvers step without naming it.

``value`` (a Fun of float coefficients is its own value), ``norm`` (the root mean square over the
interval, a float: the error norm), ``magnitude`` (the maximum norm, sampled: the error scale),
``compress`` (chop relative to the solver's tolerances), ``isfinite``, ``eltype`` (float: the
solvers' tableau coefficients are real numbers), ``real``/``imag``/``conj``, every elementary
function by adaptive resampling, and ``diagonal_apply`` for a linear operator on a Fourier Fun
(diagonal on its modes) or on a Chebyshev Fun with Dirichlet conditions (by collocation,
:mod:`.collocation`).
"""

from __future__ import annotations

import weakref

import numpy as np

from ..dispatch import dispatch, register
from ..functions import (
    BINARY,
    ELEMENTARY,
    UNARY,
    compress,
    conj,
    diagonal_apply,
    eltype,
    imag,
    isfinite,
    magnitude,
    norm,
    real,
    state_jacobian,
    value,
)
from .chop import tail_chop
from .collocation import collocation_apply, per_operator
from .dirichlet import DirichletChebyshev
from .fun import Fun, compose

__all__ = ["COMPRESS_FRACTION", "eigenvalues"]

# compress drops trailing coefficients that sum to at most this fraction of the solver's error
# scale atol + rtol ‖u‖∞ (the size of error each step is allowed): the change is then a tenth of
# what the step control accepts anyway, so it cannot decide a step, while the kept length
# follows the solution (coefficients decay geometrically: a ten times smaller fraction would
# keep only a few more of them).
COMPRESS_FRACTION = 1.0


@dispatch
def value(u: Fun):
    return u


@dispatch
def norm(u: Fun):
    return u.norm()


@dispatch
def magnitude(u: Fun):
    """max |u| on a grid of at least twice the Fun's length and 65 points (the error scale
    needs its size, not the exact maximum: this is within a few per cent of it, at the cost of
    one FFT)."""
    n = 2 * max(len(u), 32) + 1
    return float(np.max(np.abs(u.space.to_values(u.space.resize(u.coefficients, n)))))


@dispatch
def compress(u: Fun, atol: object, rtol: object):
    """``u`` without the trailing coefficients whose sizes sum to less than
    ``COMPRESS_FRACTION * (atol + rtol * max|u|)``: a change below what the solver resolves
    (the sum bounds the change in the maximum norm).

    On a space with Dirichlet conditions the end values are then removed again."""
    scale = float(np.max(value(atol))) + float(np.max(value(rtol))) * magnitude(u)
    space = u.space
    keep = tail_chop(space.chop_magnitudes(u.coefficients), COMPRESS_FRACTION * scale)
    n = space.length_for(keep)
    if isinstance(space, DirichletChebyshev):
        return Fun._make(space, space.constrain(space.resize(u.coefficients, n)))
    return u if n >= len(u) else Fun._make(space, space.resize(u.coefficients, n))


@dispatch
def state_jacobian(f: object, u: Fun):
    raise TypeError(
        "a stiff method needs ∂f/∂u as a matrix, which a Fun state does not give: for a Fun use "
        "an explicit method (g.Tsit5(), g.Vern7()), or put the stiff linear part L (diagonal on "
        "Fourier modes, e.g. lambda u: u.diff(2)) in g.SplitODEProblem(L, N, u0, tspan) and "
        "solve with g.ETDRK4() or g.KenCarp4() (on a Chebyshev Fun that needs boundary "
        "conditions: g.Chebyshev(a, b, bc='dirichlet'))")


@dispatch
def isfinite(u: Fun):
    return bool(np.all(np.isfinite(u.coefficients)))


@dispatch
def eltype(u: Fun):
    return float


@dispatch
def real(u: Fun):
    return u.real


@dispatch
def imag(u: Fun):
    return u.imag


@dispatch
def conj(u: Fun):
    return u.conj()


def _register_elementary() -> None:
    """Every elementary function of a Fun (and of two Funs, or a Fun and a number) by adaptive
    resampling: the function applied to the Funs' values on ever finer grids."""
    for name in UNARY:
        register(ELEMENTARY[name], lambda u, f=ELEMENTARY[name]: compose(f, u), Fun)
    for name in BINARY:
        f = ELEMENTARY[name]
        register(f, lambda x, y, f=f: compose(f, x, y), Fun, Fun, precedence=1)
        register(f, lambda x, y, f=f: compose(lambda v: f(v, y), x), Fun, object)
        register(f, lambda x, y, f=f: compose(lambda v: f(x, v), y), object, Fun)


_register_elementary()


# ---------------------------------------------------------------------- diagonal operators

_EIGENVALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def eigenvalues(L, space, n: int) -> tuple[np.ndarray, bool]:
    """The eigenvalues of the linear operator ``L`` (a callable on Funs) on the ``n`` Fourier
    modes of ``space`` (wave numbers -m..m), and whether ``L`` maps real functions to real ones
    (λ_{-k} = conj(λ_k)): ``L`` applied to each basis function e^{ikω(x-a)}, checked to give a
    multiple of it. Cached per (L, space) and probe length. Raises ValueError if ``L`` is not
    diagonal."""
    # A mode's eigenvalue does not depend on the length: probe once at the next 2^k + 1 modes
    # and slice, so the stages' varying lengths reuse one probe (not one per length).
    probed = 2 ** max(int(np.ceil(np.log2(max(n - 1, 1)))), 1) + 1
    lam, real = per_operator(_EIGENVALUES, L, (space, probed), lambda: _probe(L, space, probed))
    first = (probed - n) // 2
    return lam[first:first + n], real


def _probe(L, space, n: int) -> tuple[np.ndarray, bool]:
    if not space.periodic:
        raise TypeError(f"diagonal_apply: the operator is not diagonal in the basis of "
                        f"{space!r}; exponential and IMEX methods need a Fourier Fun, a "
                        f"Chebyshev Fun with boundary conditions (g.Chebyshev(a, b, "
                        f"bc='dirichlet')), or an array state with L an array of eigenvalues")
    lam = np.zeros(n, dtype=complex)
    off_diagonal = 0.0
    for j in range(n):
        e = np.zeros(n, dtype=complex)
        e[j] = 1.0
        Le = L(Fun._make(space, e))
        if not isinstance(Le, Fun) or Le.space != space:
            raise TypeError(f"diagonal_apply: L must map a Fun on {space!r} to a Fun on the "
                            f"same space, got {type(Le).__qualname__}")
        c = space.resize(Le.coefficients, max(n, len(Le)))
        m = (len(c) - n) // 2
        lam[j] = c[m + j]
        c = c.copy()
        c[m + j] = 0
        off_diagonal = max(off_diagonal, float(np.max(np.abs(c))))
    if off_diagonal > 1e-10 * max(float(np.max(np.abs(lam))), 1.0):
        raise ValueError(f"diagonal_apply: L is not diagonal in the Fourier basis (it maps a "
                         f"mode onto others, by up to {off_diagonal:.3g}): only constant-"
                         f"coefficient operators such as u.diff(2) - u can be applied this "
                         f"way; put the rest of the right-hand side in the nonlinear part")
    scale = max(float(np.max(np.abs(lam))), 1.0)
    keeps_real = bool(np.max(np.abs(lam[::-1] - np.conj(lam))) <= 1e-12 * scale)
    return lam, keeps_real


@dispatch
def diagonal_apply(L: object, u: Fun, phi: object):
    """``phi(L) u`` for a linear operator ``L`` (a callable on Funs) that is diagonal on the
    Fourier modes: each coefficient times phi of its eigenvalue. A real u stays real when ``L``
    maps real functions to real functions. On a Chebyshev space with Dirichlet conditions:
    by collocation (:func:`~.collocation.collocation_apply`)."""
    if isinstance(u.space, DirichletChebyshev):
        return collocation_apply(L, u, phi)
    if not callable(L):
        raise TypeError(f"diagonal_apply on a Fun takes L as a callable linear operator "
                        f"(lambda u: u.diff(2)), got {type(L).__qualname__}")
    space, c = u.space, u.coefficients
    lam, keeps_real = eigenvalues(L, space, len(u))
    result = np.asarray(phi(lam)) * c
    if keeps_real and u.isreal:
        result = (result + np.conj(result[::-1])) * 0.5  # exactly Hermitian: real stays real
    return Fun._make(space, result)
