"""``g.solve(..., compile=None)``: the fast path chosen for a float64 problem automatically.

A problem the compiled path can take (a float64 state, float times, float64 parameters, an
explicit Runge–Kutta, Rosenbrock or implicit method, callbacks it knows) runs compiled. Should the
user's right-hand side or a callback not compile with Numba, one warning per function says
why and the solve runs on the generic path; that function is not tried again in this process.
Every other problem (other number types, other methods, a progress bar) takes the generic
path silently: that is what the generic path is for.

The compiled solver itself is compiled once per machine and Numba version (about a minute,
announced on standard error while it happens) and loaded from Numba's cache by every later
process; each problem's own functions compile in a fraction of a second.

``GENERIC_COMPILE=0`` in the environment makes ``compile=None`` mean the generic path
(``compile=True`` still forces the fast path).
"""

from __future__ import annotations

import os
import sys
import threading
import warnings

import numpy as np

from ..errors import FastPathError, FastPathWarning
from ..implicit import Implicit
from ..rosenbrock import Rosenbrock
from .driver import _user_functions, fast_path_refusal, solve_compiled

__all__ = ["choose_compiled", "solve_automatic", "FastPathWarning"]

ANNOUNCE_AFTER = 3.0  # seconds: a compile that takes longer is the solver's, announce it
# the problems' functions that did not compile together, by identity (kept alive with them,
# so that an identity is never reused): not tried again in this process
_failed: dict[tuple[int, ...], tuple] = {}
_solved_kinds: set[tuple[bool, bool, bool]] = set()  # compiled (or loaded) in this process


def choose_compiled(prob, alg, options: dict, progress) -> bool:
    """Whether ``compile=None`` runs ``prob`` compiled."""
    if os.environ.get("GENERIC_COMPILE", "").strip() in ("0", "false", "no", "off"):
        return False
    if progress or fast_path_refusal(prob, alg, options) is not None:
        return False
    return not _failed or _key(_functions(prob, alg, options)) not in _failed


def solve_automatic(prob, alg, options: dict, generic_solve):
    """Solve compiled; if the problem's functions do not compile, warn once and return
    ``generic_solve()``."""
    kind = _kind(prob, alg)
    timer = None
    if kind not in _solved_kinds:  # a thread costs ~0.1 ms: only where a compile may come
        timer = threading.Timer(ANNOUNCE_AFTER, _announce)
        timer.daemon = True
        timer.start()
    try:
        sol = solve_compiled(prob, alg, options)
        _solved_kinds.add(kind)
        return sol
    except FastPathError as error:
        functions = _functions(prob, alg, options)
        _failed[_key(functions)] = tuple(functions)
        warnings.warn(f"{error}. Solving on the generic path instead (compile=False skips "
                      f"the attempt and this warning; numba.njit-compatible functions run "
                      f"compiled).", FastPathWarning, stacklevel=3)
        return generic_solve()
    finally:
        if timer is not None:
            timer.cancel()


def _kind(prob, alg) -> tuple[bool, bool, bool]:
    """What picks the compiled solver's specialisation: an array or a scalar state, an
    explicit, a Rosenbrock or an implicit method (all else is data of one type)."""
    return isinstance(prob.u0, np.ndarray), isinstance(alg, Rosenbrock), \
        isinstance(alg, Implicit)


def _announce() -> None:
    sys.stderr.write("generic: compiling the float64 fast path for this machine (once per Numba "
                     "version, about a minute; later processes load it from Numba's cache). "
                     "compile=False skips it.\n")
    sys.stderr.flush()


def _functions(prob, alg, options: dict) -> list:
    """The user's functions the compiled solve would compile."""
    return [fn for _, fn in _user_functions(prob, alg, options)]


def _key(functions: list) -> tuple[int, ...]:
    return tuple(id(fn) for fn in functions)
