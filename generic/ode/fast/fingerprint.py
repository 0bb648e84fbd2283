"""What compiling a user's function depends on, as a hash: the key of its cached machine code.

Numba compiles a function from its code and the values of the globals it reads (numbers,
arrays and the functions it calls are frozen in as constants). :func:`fingerprint` hashes
exactly those: the function's code objects, its defaults, its module's name (Numba's cached code
imports that module again for the function's globals), and each global it names — recursively
through the Python and Numba functions it calls; numbers, strings, tuples and arrays by value;
versioned packages (NumPy, Numba, ``generic``...) by name and version, a module of the
user's own by the values of the attributes the function can read of it. Anything it cannot
see through (a closure's cells, a class, an object) makes the function uncacheable: ``None``.

Keyed on code rather than on a file, a function typed at a prompt or in a notebook caches too,
and editing a file elsewhere than the function does not recompile it.
"""

from __future__ import annotations

import builtins
import hashlib
import inspect
import types

import numpy as np

__all__ = ["fingerprint"]

# packages whose modules and functions are known by name and version
_VERSIONED = ("numpy", "math", "cmath", "numba", "generic", "scipy", "builtins")
_NUMBER_TYPES = (bool, int, float, complex, str, bytes, type(None))


def fingerprint(func) -> str | None:
    """A hex SHA-256 of everything compiling ``func`` (a Python or Numba function) depends
    on, or None when that cannot be known (the function must then be compiled afresh)."""
    digest = hashlib.sha256()
    try:
        ok = _function(digest, func, set())
    except Exception:  # noqa: BLE001 - anything unforeseen: not cached, compiled as before
        return None
    return digest.hexdigest() if ok else None


def _function(digest, func, seen: set) -> bool:
    options = getattr(func, "targetoptions", None)  # a Numba dispatcher: fastmath=... count
    func = getattr(func, "py_func", func)
    if not inspect.isfunction(func) or func.__closure__:
        return False  # a closure's cells are not visible here
    if id(func) in seen:  # recursion
        return True
    seen.add(id(func))
    top = func.__module__.split(".")[0] if func.__module__ else ""
    if top in _VERSIONED:
        return _versioned(digest, func.__module__, f"{func.__qualname__}")
    # its module too: Numba's cached code imports it again (the function's environment)
    digest.update(f"function {func.__module__} {func.__qualname__} "
                  f"{sorted((options or {}).items())!r}".encode())
    if not _code(digest, func.__code__):
        return False
    for default in (func.__defaults__ or ()) + tuple((func.__kwdefaults__ or {}).values()):
        if not _value(digest, default, seen, ()):
            return False
    names = _names(func.__code__)
    return all(_global(digest, func, name, seen, names) for name in names)


def _names(code) -> list[str]:
    """The global and attribute names used by ``code`` and the code nested in it."""
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names += _names(const)
    return sorted(set(names))


def _global(digest, func, name: str, seen: set, names: list[str]) -> bool:
    if name in func.__globals__:
        digest.update(f"global {name}".encode())
        return _value(digest, func.__globals__[name], seen, names)
    if hasattr(builtins, name):
        digest.update(f"builtin {name}".encode())
    return True  # an attribute's name (np.sin's sin): its module is hashed


def _code(digest, code) -> bool:
    digest.update(code.co_code)
    digest.update(repr((code.co_names, code.co_varnames, code.co_freevars)).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            if not _code(digest, const):
                return False
        elif isinstance(const, frozenset):  # ``x in {...}``: its order varies between runs
            digest.update(repr(sorted(repr(c) for c in const)).encode())
        elif isinstance(const, (tuple, *_NUMBER_TYPES)):
            digest.update(f"{type(const).__name__} {const!r}".encode())
        else:
            return False
    return True


def _value(digest, value, seen: set, names) -> bool:
    """Hash ``value``, a global or default of a function that uses ``names`` (its global and
    attribute names: what it can read of a module)."""
    if isinstance(value, _NUMBER_TYPES):
        digest.update(f"{type(value).__name__} {value!r}".encode())
        return True
    if isinstance(value, np.generic):
        digest.update(f"{value.dtype} {value!r}".encode())
        return True
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return False
        digest.update(f"array {value.dtype} {value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
        return True
    if isinstance(value, tuple):
        digest.update(f"tuple {len(value)}".encode())
        return all(_value(digest, item, seen, names) for item in value)
    if isinstance(value, types.ModuleType):
        return _module(digest, value, seen, names)
    if inspect.isfunction(value) or hasattr(value, "py_func"):
        return _function(digest, value, seen)
    module = getattr(value, "__module__", None) or ""
    if inspect.isbuiltin(value) or isinstance(value, np.ufunc) or \
            (module.split(".")[0] in _VERSIONED and hasattr(value, "__qualname__")):
        return _versioned(digest, module or "numpy", getattr(value, "__qualname__",
                                                             getattr(value, "__name__", "")))
    return False  # a class, an object: what Numba makes of it is not known here


def _module(digest, module, seen: set, names) -> bool:
    """A versioned package by name and version; any other module by the values of the
    attributes the function can read of it (``mymodel.k``, ``mymodel.helper``)."""
    name = module.__name__
    if name.split(".")[0] in _VERSIONED:
        return _versioned(digest, name, "")
    visit = (id(module), tuple(names))  # another function may read other attributes of it
    if visit in seen:
        return True
    seen.add(visit)
    digest.update(f"module {name}".encode())
    for attribute in names:
        if attribute in vars(module):
            digest.update(f"attribute {attribute}".encode())
            if not _value(digest, vars(module)[attribute], seen, names):
                return False
    return True


def _versioned(digest, module: str, qualname: str) -> bool:
    top = module.split(".")[0]
    package = __import__(top)
    version = getattr(package, "__version__", "")
    if top == "generic":
        from ...compiled_cache import sources_hash
        version = sources_hash()
    digest.update(f"versioned {module} {qualname} {version}".encode())
    return True

