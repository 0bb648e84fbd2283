"""Numba overloads of the generic functions' float64 methods.

Compiled code (the float64 fast path) calls ``generic.sin`` and friends like any other code;
numba resolves the plum function object through these overloads to ``math`` for scalars and
NumPy for arrays. One source: the same solver code runs interpreted or compiled.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from .core import (
    SMALL_STATE,
    isfinite,
    magnitude,
    maximum,
    norm,
    stage_buffer,
    stage_state,
    stage_sum,
    value,
)
from .elementary import ELEMENTARY

INLINE = {"forceinline": True}  # LLVM inlines these small methods into their callers: a call
# between separately compiled functions costs more than the arithmetic of most of them

_SCALAR = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "asinh": math.asinh, "acosh": math.acosh, "atanh": math.atanh, "exp": math.exp,
    "expm1": math.expm1, "log": math.log, "log1p": math.log1p, "log2": math.log2,
    "log10": math.log10, "sqrt": math.sqrt, "abs": abs,
    "floor": np.floor, "ceil": np.ceil,  # math.floor is an int in numba: wrong for inf and nan
    "erf": math.erf, "erfc": math.erfc, "gamma": math.gamma,
    "lgamma": math.lgamma, "atan2": math.atan2, "hypot": math.hypot,
}
_ARRAY = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos,
    "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
    "asinh": np.arcsinh, "acosh": np.arccosh, "atanh": np.arctanh, "exp": np.exp,
    "expm1": np.expm1, "log": np.log, "log1p": np.log1p, "log2": np.log2, "log10": np.log10,
    "sqrt": np.sqrt, "abs": np.abs, "sign": np.sign, "floor": np.floor, "ceil": np.ceil,
    "exp2": np.exp2, "cbrt": np.cbrt, "atan2": np.arctan2, "hypot": np.hypot,
    "pow": np.power,
}


def _is_real(t) -> bool:
    return isinstance(t, (types.Float, types.Integer))


def _unary(scalar_fn, array_fn):
    def typer(x):
        if scalar_fn is not None and _is_real(x):
            return lambda x: scalar_fn(x)
        if array_fn is not None and isinstance(x, types.Array) and _is_real(x.dtype):
            return lambda x: array_fn(x)
        return None

    return typer


def _binary(scalar_fn, array_fn):
    def typer(x, y):
        if scalar_fn is not None and _is_real(x) and _is_real(y):
            return lambda x, y: scalar_fn(x, y)
        if array_fn is not None and (isinstance(x, types.Array) or isinstance(y, types.Array)):
            return lambda x, y: array_fn(x, y)
        return None

    return typer


@njit(inline="always")
def _pow_scalar(x, y):
    return x**y


@njit(inline="always")
def _exp2_scalar(x):
    return 2.0**x


@njit(inline="always")
def _cbrt_scalar(x):
    return np.cbrt(x)  # libm's cbrt, as math.cbrt; abs(x) ** (1 / 3) is 50 ulps off near 1e300


@njit(inline="always")
def _sign_scalar(x):
    return x if x != x else float((x > 0) - (x < 0))


def _elementwise(scalar_fn):
    """The array version of a scalar function that NumPy lacks (erf, gamma, ...): a loop."""

    @njit
    def array_fn(x):
        out = np.empty(x.shape)
        for i in np.ndindex(x.shape):
            out[i] = scalar_fn(x[i])
        return out

    return array_fn


_SCALAR.update(pow=_pow_scalar, exp2=_exp2_scalar, cbrt=_cbrt_scalar, sign=_sign_scalar)
_ARRAY.update({name: _elementwise(_SCALAR[name]) for name in ("erf", "erfc", "gamma", "lgamma")})

for _name, _func in ELEMENTARY.items():
    _s, _a = _SCALAR.get(_name), _ARRAY.get(_name)
    if _name in ("atan2", "hypot", "pow"):
        overload(_func, jit_options=INLINE)(_binary(_s, _a))
    else:
        overload(_func, jit_options=INLINE)(_unary(_s, _a))

# as g.abs: the same bits
overload(magnitude, jit_options=INLINE)(_unary(_SCALAR["abs"], _ARRAY["abs"]))


@overload(value, jit_options=INLINE)
def _value(x):
    if _is_real(x) or isinstance(x, types.Array):
        return lambda x: x


@overload(norm, jit_options=INLINE)
def _norm(x):
    if _is_real(x):
        return lambda x: abs(float(x))
    if isinstance(x, types.Array):
        def impl(x):  # as the NumPy method: one BLAS dot (the same bits), careful on overflow
            if x.size == 0:
                return 0.0
            flat = x if x.ndim == 1 else np.ascontiguousarray(x).reshape(-1)
            squares = np.vdot(flat, flat)
            if math.isfinite(squares) and squares < 1e300:
                return math.sqrt(squares / x.size)
            return math.sqrt(np.mean(np.abs(x) ** 2))

        return impl


@overload(isfinite, jit_options=INLINE)
def _isfinite(x):
    if _is_real(x):
        return lambda x: math.isfinite(x)
    if isinstance(x, types.Array):
        return lambda x: np.isfinite(x)


@overload(maximum, jit_options=INLINE)
def _maximum(x, y):
    if _is_real(x) and _is_real(y):
        return lambda x, y: max(x, y)
    if isinstance(x, types.Array) or isinstance(y, types.Array):
        return lambda x, y: np.maximum(x, y)


@overload(stage_buffer, jit_options=INLINE)
def _stage_buffer(k, n):
    if isinstance(k, types.Array):
        def impl(k, n):
            return np.empty((n,) + k.shape)
        return impl
    if isinstance(k, types.Float):
        def impl(k, n):
            return np.empty(n)
        return impl
    return None


@overload(stage_sum, jit_options=INLINE)
def _stage_sum(weights, stages, count):
    """Σ_j<count weights[j] stages[j], rounded as the interpreted methods, so that the compiled
    and interpreted solvers take the same steps: for a scalar state over the nonzero weights in
    order (None if every weight is zero); for a small array state (``SMALL_STATE`` values) a
    loop in order, as NumPy's method sums it; for a larger one the same BLAS product."""
    if not (isinstance(weights, types.Array) and isinstance(stages, types.Array)):
        return None
    if stages.ndim == 1:
        def impl(weights, stages, count):
            total, nonzero = 0.0, False
            for j in range(count):
                w = weights[j]
                if w != 0:
                    total += stages[j] * w
                    nonzero = True
            return total if nonzero else None
        return impl

    if stages.ndim == 2:  # stages of a 1-d state (the fast path's): no reshaping
        def impl(weights, stages, count):  # noqa: F811
            n = stages.shape[1]
            if n > SMALL_STATE:  # one BLAS product, as NumPy's method: the same bits
                return np.dot(np.ascontiguousarray(weights[:count]), stages[:count])
            total = np.zeros(n)
            for j in range(count):
                w = weights[j]
                for m in range(n):
                    total[m] += stages[j, m] * w
            return total
        return impl

    def impl(weights, stages, count):  # noqa: F811 - the array case
        flat = stages.reshape(stages.shape[0], -1)
        if flat.shape[1] > SMALL_STATE:  # one BLAS product, as NumPy's method: the same bits
            return np.dot(np.ascontiguousarray(weights[:count]),
                          flat[:count]).reshape(stages.shape[1:])
        total = np.zeros(flat.shape[1])  # small: in order, as NumPy's method (no BLAS call)
        for j in range(count):
            w = weights[j]
            for m in range(flat.shape[1]):
                total[m] += flat[j, m] * w
        return total.reshape(stages.shape[1:])
    return impl


@overload(stage_state, jit_options=INLINE)
def _stage_state(u, dt, weights, stages, count):
    """``u + dt * stage_sum(...)`` in one pass: the products summed over the stages in the
    order of :func:`stage_sum`, then scaled and added, element by element (the bits of the
    composition, with one new array instead of three)."""
    if not (isinstance(weights, types.Array) and isinstance(stages, types.Array)):
        return None
    if _is_real(u) and stages.ndim == 1:
        def impl(u, dt, weights, stages, count):
            increment = stage_sum(weights, stages, count)
            return u if increment is None else u + dt * increment
        return impl
    if not isinstance(u, types.Array):
        return None

    if u.ndim == 1 and stages.ndim == 2:  # the fast path's states: no reshaping
        def impl(u, dt, weights, stages, count):  # noqa: F811 - a 1-d state
            n = u.shape[0]
            # A stage's state is f's argument only, and its row of the buffer is filled
            # with f's value next (erk_step): it is computed in that row, not allocated. The
            # last row's state may be the step's result (FSAL): that one is a new array.
            out = stages[count] if count < stages.shape[0] - 1 else np.empty(n)
            if n > SMALL_STATE:  # the BLAS product of stage_sum, then one pass
                increment = np.dot(np.ascontiguousarray(weights[:count]), stages[:count])
                for m in range(n):
                    out[m] = u[m] + dt * increment[m]
                return out
            for m in range(n):
                total = 0.0
                for j in range(count):
                    total += stages[j, m] * weights[j]
                out[m] = u[m] + dt * total
            return out
        return impl

    def impl(u, dt, weights, stages, count):  # noqa: F811 - any other shape
        flat = stages.reshape(stages.shape[0], -1)
        increment = stage_sum(weights, flat, count)
        return u + dt * increment.reshape(u.shape)
    return impl
