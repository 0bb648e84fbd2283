"""The parameters ``p`` of a compiled solve as one float64 array, and back.

The compiled solver is cached on disk per combination of argument types. Were ``p`` passed as
it is, every new shape of parameters (a tuple of four floats, of three, an array, None) would
compile the whole solver again (about a minute). Instead the solver sees one type: a 1-d
float64 array holding every number of ``p`` (:func:`flatten`). Each problem's own small
wrapper around the user's function rebuilds ``p`` in its original structure from that array
(:func:`rebuild_expression`), so the user's ``f(u, p, t)`` receives the tuple, number, array or
None it was given; only the wrapper is compiled per problem.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .wrapper_cache import compiled_wrapper

__all__ = ["layout", "flatten", "rebuild_expression", "wrapper", "ParameterError"]


class ParameterError(TypeError):
    """Parameters the compiled path cannot hold as float64 data."""


def layout(p):
    """A hashable description of ``p``'s structure: ``None``, ``"float"``, ``"int"``,
    ``("array", shape, "float" | "int")`` or ``("tuple", (layouts...))``."""
    if p is None:
        return None
    if type(p) is tuple and all(type(x) is float for x in p):  # the usual case, quickly
        return _floats_layout(len(p))
    if isinstance(p, (bool, np.bool_)):
        raise ParameterError(f"p holds a bool ({p!r}); give it as 0.0 / 1.0")
    if isinstance(p, (int, np.integer)):
        return "int"
    if isinstance(p, (float, np.floating)):
        return "float"
    if isinstance(p, np.ndarray) and p.dtype.kind in "fiu":
        return ("array", p.shape, "float" if p.dtype.kind == "f" else "int")
    if isinstance(p, tuple):
        return ("tuple", tuple(layout(x) for x in p))
    raise ParameterError(f"p must be float64 data (a float, a float array, a tuple of them or "
                         f"None), got {type(p).__qualname__}")


@lru_cache(maxsize=64)
def _floats_layout(n: int):
    return ("tuple", ("float",) * n)


def _size(lay) -> int:
    if lay is None:
        return 0
    if lay in ("float", "int"):
        return 1
    if lay[0] == "array":
        return int(np.prod(lay[1], dtype=np.int64))
    return sum(_size(x) for x in lay[1])


def flatten(p, lay) -> np.ndarray:
    """Every number of ``p`` (of layout ``lay``, see :func:`layout`) in one C-contiguous
    float64 array (``p`` itself when it is one)."""
    if isinstance(p, np.ndarray) and p.dtype == np.float64 and p.ndim == 1 \
            and p.flags.c_contiguous and p.flags.writeable:
        return p  # as it is: a callback changing integ.p changes the user's array, as usual
    if isinstance(lay, tuple) and lay[0] == "tuple" and \
            all(item in ("float", "int") for item in lay[1]):
        return np.array(p, dtype=np.float64)  # numbers only: one conversion
    out = np.empty(_size(lay))
    _fill(p, out, 0)
    return out


def _fill(p, out: np.ndarray, at: int) -> int:
    if p is None:
        return at
    if isinstance(p, tuple):
        for x in p:
            at = _fill(x, out, at)
        return at
    values = np.asarray(p, dtype=np.float64).reshape(-1)
    out[at:at + values.size] = values
    return at + values.size


def rebuild_expression(lay, name: str = "flat") -> str:
    """Python source (compiled by Numba) that rebuilds ``p`` of layout ``lay`` from the array
    ``name`` made by :func:`flatten`."""
    expression, _ = _expression(lay, name, 0, top=True)
    return expression


def _expression(lay, name: str, at: int, top: bool = False) -> tuple[str, int]:
    if lay is None:
        return "None", at
    if lay == "float":
        return f"{name}[{at}]", at + 1
    if lay == "int":
        return f"np.int64({name}[{at}])", at + 1
    if lay[0] == "array":
        shape, kind = lay[1], lay[2]
        size = _size(lay)
        if top and kind == "float" and len(shape) == 1:
            return name, at + size  # the array itself
        view = f"{name}[{at}:{at + size}]"
        if len(shape) != 1:
            view = f"{view}.reshape({tuple(shape)!r})"
        if kind == "int":
            view = f"{view}.astype(np.int64)"
        return view, at + size
    parts = []
    for item in lay[1]:
        part, at = _expression(item, name, at)
        parts.append(part)
    return "(" + "".join(part + ", " for part in parts) + ")", at


def wrapper(source: str, name: str, **names):
    """The function ``name`` defined by ``source`` (a wrapper generated from a layout by
    :func:`rebuild_expression`; NumPy is ``np`` in it; ``names`` the compiled functions it
    calls), compiled by Numba and cached on disk (:mod:`.wrapper_cache`)."""
    return compiled_wrapper(source, name, names)
