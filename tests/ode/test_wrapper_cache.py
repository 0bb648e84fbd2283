"""The per-problem wrappers cached on disk: the key (fingerprint) sees every change that would
change the compiled code, and a second process loads the wrapper instead of compiling it."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from generic.ode.fast.fingerprint import fingerprint

SCALE = 2.0
OFFSET = np.array([1.0, 2.0])


def _defined(source: str, name: str = "f", **names):
    namespace = {"np": np, "math": math, **names}
    exec(textwrap.dedent(source), namespace)  # noqa: S102 - the test's own sources
    return namespace[name]


def helper(x):
    return 2.0 * x


def scaled(u, p, t):
    return SCALE * u


def shifted(u, p, t):
    return u + OFFSET


def calls_helper(u, p, t):
    return helper(u)


@settings(max_examples=40, deadline=None)
@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_fingerprint_distinguishes_constants(a, b):
    """Two functions that differ in a literal only have equal fingerprints exactly when the
    literals are the same float (bit for bit: 0.0 and -0.0 compile differently)."""
    fa = _defined(f"def f(u, p, t):\n    return u * {a!r}\n")
    fb = _defined(f"def f(u, p, t):\n    return u * {b!r}\n")
    assert (fingerprint(fa) == fingerprint(fb)) == (repr(a) == repr(b))


def test_fingerprint_is_the_same_for_the_same_code():
    source = "def f(u, p, t):\n    a, b = p\n    return np.array([a * u[0], -b * math.sin(u[1])])\n"
    first, second = _defined(source), _defined(source)
    assert first is not second
    assert fingerprint(first) is not None
    assert fingerprint(first) == fingerprint(second)


def test_fingerprint_follows_globals_and_callees():
    """A global's value, a called function's code and a module attribute are part of it."""
    global SCALE, OFFSET, helper
    before = fingerprint(scaled), fingerprint(shifted), fingerprint(calls_helper)
    saved = SCALE, OFFSET, helper
    try:
        SCALE = 3.0
        OFFSET = np.array([1.0, 2.5])

        def helper(x):  # noqa: F811 - redefined on purpose
            return 3.0 * x
        after = fingerprint(scaled), fingerprint(shifted), fingerprint(calls_helper)
    finally:
        SCALE, OFFSET, helper = saved
    assert all(b != a for b, a in zip(before, after, strict=True))
    assert (fingerprint(_defined("def f(u, p, t):\n    return np.sin(u)\n"))
            != fingerprint(_defined("def f(u, p, t):\n    return np.cos(u)\n")))


def test_fingerprint_follows_a_modules_attributes():
    """``model.helper(u)``: the helper's code and the module's constants count, not the rest
    of the module."""
    import types

    model = types.ModuleType("model")
    model.rate = 2.0
    model.unused = object()  # not read by f: no effect
    model.helper = _defined("def helper(x):\n    return 2.0 * x\n", "helper")
    f = _defined("def f(u, p, t):\n    return model.rate * model.helper(u)\n", model=model)
    first = fingerprint(f)
    assert first is not None
    model.rate = 3.0
    second = fingerprint(f)
    model.helper = _defined("def helper(x):\n    return 3.0 * x\n", "helper")
    third = fingerprint(f)
    model.helper = _defined("def helper(x):\n    return model.k * x\n", "helper", model=model)
    model.k = 1.0
    fourth = fingerprint(f)
    model.k = 5.0  # read by the helper only, after f read model.rate
    fifth = fingerprint(f)
    assert len({first, second, third, fourth, fifth}) == 5


def test_fingerprint_sees_numba_options():
    source = "def f(u, p, t):\n    return u * 2.0\n"
    plain, fast = njit(_defined(source)), njit(fastmath=True)(_defined(source))
    assert fingerprint(plain) != fingerprint(fast)


def test_fingerprint_sees_the_module():
    """The same code defined in two modules: two fingerprints (Numba's cached code imports the
    function's module again, so one module's cache entry must not serve the other)."""
    import types

    source = "def f(u, p, t):\n    return 2.0 * u\n"
    functions = []
    for module_name in ("first_module", "second_module"):
        module = types.ModuleType(module_name)
        exec(source, module.__dict__)  # noqa: S102 - the test's own source
        functions.append(module.f)
    assert functions[0].__module__ != functions[1].__module__
    assert fingerprint(functions[0]) != fingerprint(functions[1])


def test_unknowable_dependencies_are_not_cached():
    """A closure's cells and a global object are not visible to the hash: None."""
    k = 2.0

    def closure(u, p, t):
        return k * u

    class Model:
        rate = 1.0
    uses_object = _defined("def f(u, p, t):\n    return model.rate * u\n", model=Model())
    assert fingerprint(closure) is None
    assert fingerprint(uses_object) is None


SCRIPT = """
import sys
import numpy as np
from numba import njit
from generic.ode.fast.wrapper_cache import compiled_wrapper
K = float(sys.argv[1])
def f(u, p, t):
    return K * u
rhs = compiled_wrapper("def rhs(u, flat, t):\\n    return f(u, flat, t)\\n", "rhs",
                       {"f": njit(f)})
print(rhs(np.ones(2), np.zeros(1), 0.0)[0], rhs.stats.cache_hits.get(rhs.signatures[0], 0)
      if rhs.signatures else 0)
"""


def _run(tmp_path, k: float, directory: str) -> tuple[float, int]:
    env = dict(os.environ, GENERIC_CACHE_DIR=directory)
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(k)], capture_output=True,
                         text=True, env=env, check=True, cwd=tmp_path).stdout.split()
    return float(out[0]), int(out[1])


def test_a_second_process_loads_the_wrapper(tmp_path):
    """The second process with the same function loads it from disk; a changed global
    compiles afresh (and gives the new value, not the cached one)."""
    directory = str(tmp_path / "cache")
    assert _run(tmp_path, 2.0, directory) == (2.0, 0)
    assert _run(tmp_path, 2.0, directory) == (2.0, 1)
    assert _run(tmp_path, 3.0, directory) == (3.0, 0)
    assert len(list((tmp_path / "cache").glob("w*.py"))) == 2


def test_an_empty_cache_directory_turns_caching_off(tmp_path):
    assert _run(tmp_path, 2.0, "") == (2.0, 0)
    assert _run(tmp_path, 2.0, "") == (2.0, 0)


GONE_SCRIPT = """
import sys, types
import numpy as np
module = types.ModuleType("soon_gone")
exec("import numpy as np\\ndef f(u, p, t):\\n    return 3.0 * u\\n", module.__dict__)
sys.modules["soon_gone"] = module
if sys.argv[1] == "gone":  # the module the cached code refers to cannot be imported now
    del sys.modules["soon_gone"]
import generic as g
sol = g.solve(g.ODEProblem(module.f, np.array([1.0]), (0.0, 1.0)), g.DP5(), compile=True,
              rtol=1e-10, atol=1e-10)
print(sol.u[-1][0])
"""


def test_a_wrapper_whose_module_is_gone_compiles_afresh(tmp_path):
    """Cached code that cannot be loaded (it imports a module this process lacks) is compiled
    in the process instead of failing the solve."""
    env = dict(os.environ, GENERIC_CACHE_DIR=str(tmp_path / "cache"))
    values = [float(subprocess.run([sys.executable, "-c", GONE_SCRIPT, which],
                                   capture_output=True, text=True, env=env, check=True,
                                   cwd=tmp_path).stdout.split()[-1])
              for which in ("there", "gone")]
    assert values == [values[0], values[0]]
    # u' = 3u, u(0) = 1: e^3, to the solve's tolerance (1e-10 per step, 1e-8 is ample)
    assert math.isclose(values[0], math.exp(3.0), rel_tol=1e-8)


def test_prune_keeps_the_most_recently_used(tmp_path):
    """Wrappers beyond the limit go, least recently used first, with their Numba cache
    files; the others stay."""
    from generic.ode.fast.wrapper_cache import prune
    (tmp_path / "__pycache__").mkdir()
    for i in range(5):
        path = tmp_path / f"w{i}.py"
        path.write_text("")
        os.utime(path, (1000.0 + i, 1000.0 + i))
        (tmp_path / "__pycache__" / f"w{i}.rhs-4.py311.nbi").write_text("")
    os.utime(tmp_path / "w0.py", (2000.0, 2000.0))  # w0 used last
    prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.glob("w*.py")) == ["w0.py", "w4.py"]
    assert sorted(p.name for p in (tmp_path / "__pycache__").iterdir()) == \
        ["w0.rhs-4.py311.nbi", "w4.rhs-4.py311.nbi"]
