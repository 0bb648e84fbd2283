"""compile=None: the fast path chosen automatically, and one compiled solver for every problem.

The compiled solver's argument types must not depend on the problem's parameters, method or
callbacks (else every new problem would compile it again, a minute each): the parameters enter
flattened into one float64 array and are rebuilt for the user's f. These tests check that the
rebuilt parameters are the user's (same steps as the generic path, which passes p as it is),
that no new specialisation appears for new problems, and how the path is chosen.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import generic as g
from generic.ode.fast.entry import entry
from generic.ode.fast.parameters import ParameterError, flatten, layout, rebuild_expression
from generic.ode.fast.results import CompiledInterpolants


def _compiled(sol) -> bool:
    return isinstance(sol.interpolants, CompiledInterpolants)


def lotka_volterra(u, p, t):
    a, b, c, d = p
    return np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])


LV = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), p=(1.5, 1.0, 3.0, 1.0))


def test_float64_problem_runs_compiled_by_default():
    sol = g.solve(LV, g.Tsit5(), rtol=1e-6, atol=1e-6)
    generic = g.solve(LV, g.Tsit5(), rtol=1e-6, atol=1e-6, compile=False)
    assert _compiled(sol) and not _compiled(generic)
    assert sol.stats == generic.stats
    np.testing.assert_allclose(sol.u, generic.u, rtol=1e-13, atol=1e-13)  # see test_fast_path


def test_other_number_types_and_options_take_the_generic_path():
    as_objects = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0], dtype=object), (0.0, 1.0),
                              p=(1.5, 1.0, 3.0, 1.0))
    assert not _compiled(g.solve(as_objects, g.Tsit5()))
    assert not _compiled(g.solve(LV, g.GBS()))  # a method the fast path does not take
    assert not _compiled(g.solve(LV, g.Tsit5(), progress={"disable": True}))
    float32 = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0], dtype=np.float32), (0.0, 1.0),
                           p=(1.5, 1.0, 3.0, 1.0))
    assert not _compiled(g.solve(float32, g.Tsit5()))


def test_environment_switch(monkeypatch):
    monkeypatch.setenv("GENERIC_COMPILE", "0")
    assert not _compiled(g.solve(LV, g.Tsit5()))
    assert _compiled(g.solve(LV, g.Tsit5(), compile=True))  # forcing still works


def test_a_function_that_does_not_compile_warns_once_and_solves_generically():
    table = {"rate": -0.5}  # a dict read from a closure: Numba cannot compile it

    def decay(u, p, t):
        return table["rate"] * u

    prob = g.ODEProblem(decay, np.array([1.0]), (0.0, 2.0))
    with pytest.warns(g.FastPathWarning, match="compile"):
        sol = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10)
    assert not _compiled(sol) and sol.retcode == "Success"
    assert abs(sol.u[-1][0] - math.exp(-1.0)) < 1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not tried (nor warned about) again
        again = g.solve(prob, g.Tsit5(), rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(again.u[-1], sol.u[-1])
    with pytest.raises(g.FastPathError, match="compile"):
        g.solve(prob, g.Tsit5(), compile=True)


def _lv_nested(u, p, t):
    (a, b), rates, scale = p
    return scale * np.array([a * u[0] - b * u[0] * u[1], -rates[0] * u[1] + rates[1] * u[0] * u[1]])


def _lv_matrix(u, p, t):
    return np.array([p[0, 0] * u[0] - p[0, 1] * u[0] * u[1],
                     -p[1, 0] * u[1] + p[1, 1] * u[0] * u[1]])


def _lv_ints(u, p, t):
    a, b, c, d, n = p
    total = 0.0
    for _ in range(n):  # an int parameter stays an int (a loop count)
        total += 1.0
    return total * np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])


def _decay_none(u, p, t):
    return -u if p is None else -p * u


PROBLEMS = {
    "tuple": (lotka_volterra, (1.5, 1.0, 3.0, 1.0)),
    "array": (lotka_volterra, np.array([1.5, 1.0, 3.0, 1.0])),
    "nested": (_lv_nested, ((1.5, 1.0), np.array([3.0, 1.0]), 1.0)),
    "matrix": (_lv_matrix, np.array([[1.5, 1.0], [3.0, 1.0]])),
    "ints": (_lv_ints, (1.5, 1.0, 3.0, 1.0, 2)),
    "none": (_decay_none, None),
    "number": (_decay_none, 0.7),
}


@pytest.mark.parametrize("name", PROBLEMS)
def test_parameters_reach_f_as_given(name):
    """Every layout of p: the compiled solve takes the generic path's steps (the generic path
    passes p as it is), so f saw the same numbers in the same structure."""
    f, p = PROBLEMS[name]
    prob = g.ODEProblem(f, np.array([1.0, 1.0]), (0.0, 5.0), p=p)
    fast = g.solve(prob, g.DP5(), rtol=1e-7, atol=1e-7, compile=True)
    generic = g.solve(prob, g.DP5(), rtol=1e-7, atol=1e-7, compile=False)
    assert fast.stats == generic.stats
    np.testing.assert_allclose(fast.u, generic.u, rtol=1e-13, atol=1e-13)


def _lv_and_a_counter(u, p, t):
    a, b, c, d, _ = p
    return np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])


def _crossing(u, t, integ):
    return u[0] - 2.0


def _crossing_y(u, t, integ):
    return u[1] - 2.0


def _count(integ):
    integ.p[4] += 1.0  # the flat parameters: the tuple's fifth number


def test_new_problems_compile_no_new_solver():
    """After one solve of each kind, other parameters, methods, tolerances and callbacks reuse
    the compiled solver: its specialisations do not grow."""
    g.solve(LV, g.Tsit5(), compile=True)
    g.solve(LV, g.Tsit5(), compile=True, callback=g.ContinuousCallback(_crossing, _count))
    before = len(entry.signatures)
    for name, (f, p) in PROBLEMS.items():
        prob = g.ODEProblem(f, np.array([1.0, 1.0]), (0.0, 2.0), p=p)
        for alg in (g.Vern9(), g.BS3()):
            g.solve(prob, alg, compile=True, rtol=1e-5, atol=np.array([1e-6, 1e-7]))
        assert len(entry.signatures) == before, name
    solves = []
    for compile in (True, False):
        p = np.array([1.5, 1.0, 3.0, 1.0, 0.0])  # the last: a count the callbacks keep
        counting = g.ODEProblem(_lv_and_a_counter, np.array([1.0, 1.0]), (0.0, 10.0), p=p)
        callbacks = [g.ContinuousCallback(_crossing, _count),
                     g.ContinuousCallback(_crossing_y, None, _count)]
        sol = g.solve(counting, g.Tsit5(), rtol=1e-8, atol=1e-8, callback=callbacks,
                      compile=compile)
        solves.append((sol, p[4]))
    (fast, fast_count), (generic, generic_count) = solves
    assert fast.retcode == generic.retcode == "Success"
    assert fast_count == generic_count >= 4  # x rises through 2 and y falls through 2, twice
    np.testing.assert_allclose(fast.t, generic.t, rtol=1e-9, atol=1e-12)  # see test_fast_path
    assert len(entry.signatures) == before


def test_ensemble_runs_threads_by_default():
    ps = [(1.5, 1.0, 3.0, 1.0), (1.2, 1.0, 3.0, 1.0), (1.5, 0.8, 3.0, 1.0)]
    ens = g.EnsembleProblem(LV, ps=ps)  # tuples: f unpacks them
    sol = g.solve(ens, g.Tsit5(), trajectories=3, rtol=1e-8, atol=1e-8)
    serial = g.solve(ens, g.Tsit5(), trajectories=3, rtol=1e-8, atol=1e-8, compile=False)
    assert sol.mode == "threads" and serial.mode == "serial"
    np.testing.assert_allclose(sol.u, serial.u, rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------ flattening, as a law

_floats = st.floats(-1e6, 1e6, allow_nan=False)
_leaves = st.one_of(
    _floats, st.integers(-1000, 1000),
    st.lists(_floats, min_size=1, max_size=4).map(np.array),
    st.lists(st.integers(-50, 50), min_size=1, max_size=4).map(np.array),
    st.lists(_floats, min_size=4, max_size=4).map(lambda v: np.array(v).reshape(2, 2)))
_parameters = st.one_of(st.none(), st.recursive(
    _leaves, lambda inner: st.lists(inner, max_size=3).map(tuple), max_leaves=6))


def _same(a, b) -> bool:
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(_same, a, b))
    if a is None:
        return b is None
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and \
            a.dtype.kind == b.dtype.kind and np.array_equal(a, b)
    if isinstance(a, int):
        return isinstance(b, (int, np.integer)) and a == b
    return isinstance(b, float) and a == b


@given(_parameters)
def test_flatten_then_rebuild_gives_the_parameters_back(p):
    """The source a wrapper compiles, run here by Python on the flat array, rebuilds p: the same
    structure, numbers, array shapes and integer kinds (the numbers are float64-exact here)."""
    flat = flatten(p, layout(p))
    assert flat.dtype == np.float64 and flat.ndim == 1
    rebuilt = eval(rebuild_expression(layout(p)), {"np": np, "flat": flat})  # noqa: S307
    assert _same(p, rebuilt)


def test_parameters_that_are_not_data_are_refused():
    with pytest.raises(ParameterError, match="bool"):
        layout((1.0, True))
    with pytest.raises(ParameterError, match="float64 data"):
        layout({"a": 1.0})
    prob = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 1.0), p=[1.5, 1.0, 3.0, 1.0])
    with pytest.raises(g.FastPathError, match="p must be"):
        g.solve(prob, g.Tsit5(), compile=True)
