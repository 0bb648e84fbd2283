"""The protocol functions every number type provides: value, norm, eps, eltype and friends.

Declared here once; methods for builtins and NumPy are in :mod:`.builtin_methods`, for mpmath,
uncertainties and array API backends in their modules, for library number types in theirs.
"""

from __future__ import annotations

import numpy as np

from ..dispatch import convert, dispatch, generic_function
from .elementary import ELEMENTARY

# States of at most this many values sum their stages in a loop (NumPy: a reduction in order)
# rather than by a BLAS product, whose call costs more than the sum; the compiled and NumPy
# methods of stage_sum agree on it, so the two paths round alike.
SMALL_STATE = 64

__all__ = ["value", "norm", "eps", "eltype", "real", "imag", "conj", "isfinite", "uncertainty",
           "maximum", "magnitude", "derivative", "jacobian", "state_jacobian", "time_derivative",
           "identity_like", "compress", "diagonal_apply", "stage_buffer", "stage_sum", "pack",
           "pack_objects", "lu", "lu_solve", "linsolve"]


@generic_function
def value(x):
    """Primal value of ``x`` as a float (or float array), all perturbations and uncertainties
    dropped. Solvers take every control decision (step acceptance, event signs, comparisons) on
    ``value``. Nested types unwrap fully: the value of a dual of a dual is a float."""


@generic_function
def norm(x):
    """Error norm of ``x``: a float, the root mean square over elements.

    Duals include their partials (so sensitivities stay accurate after rejected steps);
    measurements count only values; function types use their function norm.
    """


@generic_function
def eps(x):
    """Machine epsilon of the number type of ``x``: an instance, or a type ``T`` (then of
    ``convert(T, 0)``, so methods are written for instances and plum's cache stays on).

    mpmath's follows its working precision; a dual's is its value type's.
    """


_eps_function = eps


def eps(x):
    return _eps_function(convert(x, 0) if isinstance(x, type) else x)


eps.__doc__ = _eps_function.__doc__
eps.plum_function = _eps_function


@generic_function
def eltype(x):
    """The scalar number type of ``x``: ``float`` for a float, ``np.float32`` for a float32
    array, ``mpmath.mpf`` for an object array of mpf. Solvers pass it to :func:`convert`."""


@generic_function
def real(x):
    """Real part of ``x``."""


@generic_function
def imag(x):
    """Imaginary part of ``x``."""


@generic_function
def conj(x):
    """Complex conjugate of ``x``."""


@generic_function
def isfinite(x):
    """Whether ``value(x)`` is finite (elementwise for arrays)."""


@generic_function
def uncertainty(x):
    """Standard deviation of ``x``: a float for a scalar (in the value's type: mpf for an mpf
    measurement), an ndarray for an array. Exact numbers have uncertainty 0."""


@generic_function
def maximum(x, y):
    """Elementwise maximum of two real values (floats or real arrays); solvers use it on
    ``value``s, e.g. for error scales ``atol + rtol * maximum(|u|, |u_new|)``."""


@generic_function
def magnitude(x):
    """The size of ``x`` that error scales are made of: ``|x|`` elementwise for numbers and
    arrays (``g.abs``); a function type (``g.Fun``) gives its maximum norm, a float. Solvers
    call it on values: ``atol + rtol * maximum(magnitude(value(u)), magnitude(value(u_new)))``.
    """


@dispatch
def magnitude(x: object):
    return ELEMENTARY["abs"](x)


@generic_function
def derivative(f, x):
    """Derivative of ``f`` at scalar ``x`` (an ndarray of f's shape for array-valued f).

    Declared here so that solvers can differentiate (an event condition along the solution)
    without importing a number type; forward-mode dual numbers provide the method
    (``generic/numbers/dual.py``), and another AD can add its own.
    """


@generic_function
def state_jacobian(f, u):
    """``∂f/∂u`` at ``u`` for a function ``f`` of the state alone, as a stiff solver needs it:
    a number for a scalar ``u``, else shaped ``shape(f(u)) + shape(u)`` (a matrix for a vector).

    The general method is exact: forward-mode dual numbers (:func:`derivative`,
    :func:`jacobian`), one evaluation of ``f``. Array API arrays (CuPy, array_api_strict) cannot
    hold duals; their method takes forward differences with the namespace's own operations on
    the array's device (``size(u) + 1`` evaluations, accurate to about ``sqrt(eps)``).
    """


@dispatch
def state_jacobian(f: object, u: object):
    return derivative(f, u) if np.ndim(value(u)) == 0 else jacobian(f, u)


@generic_function
def time_derivative(f, t, like):
    """``d f(t) / dt`` at ``t`` for a function ``f`` of time whose values are like the state
    ``like`` (a stiff solver's ``∂f/∂t``). The method is chosen by ``like``: exact by a dual
    number in ``t`` in general, a forward difference on the device for array API arrays."""


@dispatch
def time_derivative(f: object, t: object, like: object):
    return derivative(f, t)


@generic_function
def identity_like(A):
    """The identity matrix of the square matrix ``A``'s size, in ``A``'s precision and on its
    device where it has them (a stiff solver's ``I - c J``). In general float64 NumPy."""


@dispatch
def identity_like(A: object):
    return np.eye(np.shape(value(A))[0])


@generic_function
def compress(u, atol, rtol):
    """``u`` in a compact form of equal value, for solvers to call on each accepted state with
    their tolerances. The identity for most types. A function type chops coefficients below the
    tolerance; an ``uncertainties`` number flattens the tree of operations it records (whose
    expansion otherwise grows exponentially with the number of steps)."""


@dispatch
def compress(u: object, atol: object, rtol: object):
    return u


@generic_function
def diagonal_apply(L, u, phi):
    """``phi(L) u`` for a linear operator ``L`` that is diagonal in the basis of the state ``u``
    (exponential and IMEX methods: ``exp(h L) u``, ``(I - h L)^-1 u``, the φ functions).

    ``phi`` maps a NumPy array of eigenvalues (complex or real) to an array of the same shape.
    ``L`` is an array (or number) of eigenvalues for an array state (``phi(L) * u``); a function
    type takes ``L`` as a callable linear operator (``lambda u: u.diff(2)``) and finds its
    eigenvalues on its own basis (Fourier modes)."""


@dispatch
def diagonal_apply(L: object, u: object, phi: object):
    raise TypeError(
        f"diagonal_apply: no method for an operator {type(L).__qualname__} on a state "
        f"{type(u).__qualname__}. Exponential and IMEX methods need L diagonal in the state's "
        f"basis: give L as an array of eigenvalues for an array state, or as a callable on a "
        f"Fourier Fun; another type adds @g.dispatch def diagonal_apply(L: ..., u: ..., phi)")


@generic_function
def stage_buffer(k, n):
    """Storage for ``n`` vectors like ``k`` (the stages of a Runge–Kutta step): a list, or for a
    NumPy number array a stacked array, so :func:`stage_sum` is one matrix product."""


@generic_function
def stage_sum(weights, stages, count):
    """``Σ_j<count weights.values[j] * stages[j]`` (None when every weight is zero).

    ``weights`` has ``values`` (a tuple of numbers) and ``array`` (the same as a NumPy
    vector); a list of stages is summed term by term, a stacked array by one product."""


@generic_function
def stage_state(u, dt, weights, stages, count):
    """``u + dt * stage_sum(weights, stages, count)``: the state at which a Runge–Kutta stage is
    evaluated (``u`` itself when every weight is zero). Stages from ``count`` on are not read:
    a method may use row ``count`` of the buffer as the result's storage (the caller fills it
    with that stage's derivative next); its compiled float64 method does, except for the last
    row (a step's result must be its own array). Rounded as the composition."""


@dispatch
def stage_buffer(k: object, n: int):
    return [None] * n


@dispatch
def stage_sum(weights: object, stages: list, count: int):
    total = None
    for w, k in zip(weights.values[:count], stages, strict=False):
        if w != 0:
            term = k * w  # the stage first: mpf * ndarray would repr the array (mpmath)
            total = term if total is None else total + term
    return total


@dispatch
def stage_state(u: object, dt: object, weights: object, stages: object, count: int):
    increment = stage_sum(weights, stages, count)
    return u if increment is None else u + dt * increment


@generic_function
def pack(x):
    """``x`` in its vectorised form: an object array of one number type's scalars becomes that
    type's own array (duals → ``DualArray``, measurements → ``MeasurementArray``), so further
    arithmetic is a few NumPy calls instead of a Python loop. Anything else is returned as it
    is. Solvers apply it to what the user's right-hand side returns."""


@dispatch
def pack(x: object):
    return x


@generic_function
def pack_objects(element, array):
    """The vectorised form of the object ``array`` whose element ``element`` has the number
    type that decides it (see :func:`pack`); number types with an array type add a method."""


@dispatch
def pack_objects(element: object, array: object):
    return array


@generic_function
def lu(A):
    """LU factorisation of the square matrix ``A`` with partial pivoting, for
    :func:`lu_solve` to solve ``A x = b`` for many right-hand sides (a Newton iteration reuses
    one). The result is opaque: only :func:`lu_solve` reads it. Float64/complex NumPy arrays go
    to LAPACK, perturbation arrays factor their value matrix once, anything else runs the general
    Doolittle method of ``generic.linalg``. A singular matrix raises ``SingularMatrixError`` (a
    ``numpy.linalg.LinAlgError``)."""


@generic_function
def lu_solve(factorization, b):
    """Solve ``A x = b`` with ``factorization = lu(A)``; ``b`` a vector or a matrix of
    right-hand sides (columns)."""


@generic_function
def linsolve(A, b):
    """Solve ``A x = b`` for a square matrix ``A`` and a vector or matrix ``b``, for any number
    type: LAPACK for float64/complex NumPy arrays, the array's own ``linalg.solve`` for array API
    backends, one value factorisation for duals and measurements, LU with partial pivoting
    (pivots chosen on ``value``) for object arrays. A singular matrix raises
    ``SingularMatrixError`` (a ``numpy.linalg.LinAlgError``), never nan."""


@generic_function
def jacobian(f, x):
    """Jacobian of ``f`` at array ``x``: ``J[i..., j...] = ∂f(x)[i...] / ∂x[j...]`` (an ndarray
    of shape ``shape(f(x)) + shape(x)``). Declared here so that solvers (stiff methods, Newton
    iterations) can differentiate without importing a number type; forward-mode dual numbers
    provide the method (``generic/numbers/dual.py``; keyword ``chunk`` limits the partials per
    evaluation)."""
