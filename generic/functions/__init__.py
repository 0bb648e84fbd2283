"""Floor 2: the generic functions, each declared once, with methods for builtins, NumPy,
mpmath, uncertainties and array API backends, and numba overloads for compiled float64 code."""

from . import array_api_methods, builtin_methods, compiled, mpmath_methods, uncertainties_methods
from .core import (
    compress,
    conj,
    derivative,
    diagonal_apply,
    eltype,
    eps,
    identity_like,
    imag,
    isfinite,
    jacobian,
    linsolve,
    lu,
    lu_solve,
    magnitude,
    maximum,
    norm,
    pack,
    pack_objects,
    real,
    stage_buffer,
    stage_state,
    stage_sum,
    state_jacobian,
    time_derivative,
    uncertainty,
    value,
)
from .elementary import *  # noqa: F401,F403  (sin, cos, ... generated from the table)
from .elementary import BINARY, BINARY_DERIVATIVES, DERIVATIVES, ELEMENTARY, UNARY

del array_api_methods, builtin_methods, compiled, mpmath_methods, uncertainties_methods

__all__ = ["value", "norm", "eps", "eltype", "real", "imag", "conj", "isfinite", "uncertainty",
           "maximum", "magnitude", "derivative", "jacobian", "state_jacobian", "time_derivative",
           "identity_like", "compress", "diagonal_apply", "stage_buffer", "stage_state",
           "stage_sum", "pack", "pack_objects", "lu", "lu_solve", "linsolve",
           "ELEMENTARY", "UNARY", "BINARY", "DERIVATIVES", "BINARY_DERIVATIVES", *ELEMENTARY]
