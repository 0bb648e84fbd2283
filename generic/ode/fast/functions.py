"""The user's compiled functions as first-class function values inside cached compiled code.

A compiled solve is cached by Numba on disk per combination of types; the user's right-hand
side and callbacks cannot be part of that code (they differ per problem and are compiled per
process). They enter it as the two addresses Numba gives a compiled function (its C wrapper
and its native entry point): :func:`addresses` reads them in Python, and the intrinsics here
rebuild the function value of the right signature inside compiled code, so a call through it
is a direct native call.
"""

from __future__ import annotations

from functools import lru_cache

from numba import types
from numba.core import cgutils
from numba.experimental.function_type import _get_jit_address, _get_wrapper_address
from numba.extending import intrinsic

from .wrapper_cache import LOAD_ERRORS, uncached

__all__ = ["addresses", "rhs_signature", "condition_signature", "affect_signature",
           "rhs_value", "condition_at", "discrete_condition_at", "affect_at"]


@lru_cache(maxsize=64)  # building a signature costs more than the rest of a small solve
def rhs_signature(u_type, p_type):
    return u_type(u_type, p_type, types.float64)


def condition_signature(u_type, record_type, result=types.float64):
    return result(u_type, types.float64, record_type)


def affect_signature(record_type):
    return types.none(record_type)


@lru_cache(maxsize=4096)
def addresses(dispatcher, signature) -> tuple[int, int]:
    """(C wrapper address, native address) of ``dispatcher`` compiled for ``signature`` (a
    wrapper whose cached code does not load is compiled afresh)."""
    try:
        return _addresses(dispatcher, signature)
    except LOAD_ERRORS:
        if not uncached(dispatcher):
            raise
        return _addresses(dispatcher, signature)


def _addresses(dispatcher, signature) -> tuple[int, int]:
    return (int(_get_wrapper_address(dispatcher, signature)),
            int(_get_jit_address(dispatcher, signature)))


def _function_value(context, builder, function_type, addrs):
    return _function_from(context, builder, function_type, builder.extract_value(addrs, 0),
                          builder.extract_value(addrs, 1))


def _function_from(context, builder, function_type, c_address, jit_address):
    voidptr = context.get_value_type(types.voidptr)
    value = cgutils.create_struct_proxy(function_type)(context, builder)
    value.c_addr = builder.inttoptr(c_address, voidptr)
    value.py_addr = voidptr(None)
    value.jit_addr = builder.inttoptr(jit_address, voidptr)
    return value._getvalue()


def _unliteral(t):
    return types.unliteral(t)


@intrinsic
def rhs_value(typingctx, addrs, u, p):
    """``f(u, p, t) -> du`` from its addresses (u and p give the signature)."""
    function_type = types.FunctionType(rhs_signature(_unliteral(u), _unliteral(p)))

    def codegen(context, builder, signature, args):
        return _function_value(context, builder, function_type, args[0])
    return function_type(addrs, u, p), codegen


@intrinsic
def condition_at(typingctx, c_address, jit_address, u, integ):
    """``condition(u, t, integ) -> float`` from its two addresses (int64 values read at run
    time: any number of callbacks share one compiled type)."""
    function_type = types.FunctionType(condition_signature(_unliteral(u), integ))

    def codegen(context, builder, signature, args):
        return _function_from(context, builder, function_type, args[0], args[1])
    return function_type(types.int64, types.int64, u, integ), codegen


@intrinsic
def discrete_condition_at(typingctx, c_address, jit_address, u, integ):
    """``condition(u, t, integ) -> bool`` from its two addresses."""
    function_type = types.FunctionType(condition_signature(_unliteral(u), integ,
                                                           types.boolean))

    def codegen(context, builder, signature, args):
        return _function_from(context, builder, function_type, args[0], args[1])
    return function_type(types.int64, types.int64, u, integ), codegen


@intrinsic
def affect_at(typingctx, c_address, jit_address, integ):
    """``affect(integ)`` from its two addresses."""
    function_type = types.FunctionType(affect_signature(integ))

    def codegen(context, builder, signature, args):
        return _function_from(context, builder, function_type, args[0], args[1])
    return function_type(types.int64, types.int64, integ), codegen
