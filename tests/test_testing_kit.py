"""generic.testing: the conformance kit on every number type, on the example's interval type and
on deliberately incomplete types; the hypothesis strategies and expression namespaces."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest
import uncertainties
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generic as g
from generic.dispatch import register
from generic.testing import (
    REQUIRED_FUNCTIONS,
    ConformanceError,
    check_number_type,
)
from generic.testing import strategies as gst

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # conftest profile
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def interval_module():
    """examples/custom_number_type.py, imported once (its methods join generic's functions)."""
    name = "custom_number_type"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# ----------------------------------------------------------------------------- kit passes

SAMPLES = {
    "float": lambda: [0.5, -1.25, 2.0],
    "float32": lambda: [np.float32(0.5), np.float32(-1.25), np.float32(2.0)],
    "mpf": lambda: [mpmath.mpf(1) / 3, mpmath.mpf(-1.25), mpmath.mpf(2)],
    "Dual": lambda: [g.Dual(0.5, [1.0, 0.0]), g.Dual(-1.25, [0.0, 1.0]), g.Dual(2.0, [1.0, 1.0])],
    "ufloat": lambda: [uncertainties.ufloat(0.5, 0.01), uncertainties.ufloat(-1.25, 0.1),
                       uncertainties.ufloat(2.0, 0.05)],
    "Measurement": lambda: [g.measurement(0.5, 0.01), g.measurement(-1.25, 0.1),
                            g.measurement(2.0, 0.05)],
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_kit_passes_for_library_number_types(kind):
    if kind == "Measurement" and not gst.has_measurements():
        pytest.skip("generic/numbers/measurement.py is not there yet")
    report = check_number_type(SAMPLES[kind](), raise_on_failure=False)
    assert report.ok, str(report)
    assert not report.warnings, str(report)
    assert {c.row for c in report.checks} >= {"arithmetic", "value", "norm", "constants",
                                             "precision", "comparisons", "functions"}
    assert all(report[f"{name}(x)"].status == "pass" for name in REQUIRED_FUNCTIONS)


def test_kit_passes_for_mpf_at_50_digits_with_50_digit_constants():
    with mpmath.workdps(50):
        report = check_number_type([mpmath.mpf(1) / 3, mpmath.mpf(-1.25), mpmath.mpf(2)])
    assert report.ok and not report.warnings


def test_kit_passes_for_nested_duals_with_every_elementary_function():
    samples = [g.Dual(g.Dual(v, [1.0]), [g.Dual(0.5, [0.0])]) for v in (0.5, 0.75, 1.5)]
    # all but the gamma family: a second derivative of gamma needs trigamma, not provided
    functions = [f for f in g.UNARY if f not in ("gamma", "lgamma", "digamma")]
    report = check_number_type(samples, functions=functions, raise_on_failure=False)
    assert report.ok, str(report)


def test_kit_passes_for_the_example_interval_type(interval_module):
    report = check_number_type(interval_module.samples(), raise_on_failure=False)
    assert report.ok, str(report)
    assert report.type is interval_module.Interval
    one_third = g.convert(interval_module.Interval, "1/3")
    assert 1 / 3 in one_third and one_third.width > 0  # 1/3 is enclosed, not rounded


@pytest.mark.parametrize("script", ["custom_number_type.py", "derivatives.py"])
def test_example_scripts_run_and_exit_zero(script):
    result = subprocess.run([sys.executable, str(EXAMPLES / script)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout


# ----------------------------------------------------------------------------- kit failures


class Bare:
    """Arithmetic on a float payload, and the protocol's methods except ``g.sin``."""

    def __init__(self, v):
        self.v = float(v)

    def __repr__(self):
        return f"Bare({self.v})"

    @staticmethod
    def _other(o):
        return o.v if isinstance(o, Bare) else o

    def __add__(self, o):
        return Bare(self.v + self._other(o))

    def __radd__(self, o):
        return Bare(o + self.v)

    def __sub__(self, o):
        return Bare(self.v - self._other(o))

    def __rsub__(self, o):
        return Bare(o - self.v)

    def __mul__(self, o):
        return Bare(self.v * self._other(o))

    def __rmul__(self, o):
        return Bare(o * self.v)

    def __truediv__(self, o):
        return Bare(self.v / self._other(o))

    def __rtruediv__(self, o):
        return Bare(o / self.v)

    def __neg__(self):
        return Bare(-self.v)

    def __pow__(self, n):
        return Bare(self.v**n)


for _func, _impl in ((g.value, lambda x: x.v), (g.norm, lambda x: abs(x.v)),
                     (g.isfinite, lambda x: math.isfinite(x.v)), (g.eltype, lambda x: Bare),
                     (g.eps, lambda x: sys.float_info.epsilon)):
    register(_func, _impl, Bare)
for _name in REQUIRED_FUNCTIONS:
    if _name != "sin":
        register(g.ELEMENTARY[_name], lambda x, f=g.ELEMENTARY[_name]: Bare(f(x.v)), Bare)

BARE = [Bare(0.5), Bare(-1.25), Bare(2.0)]


def test_kit_names_the_missing_function_the_type_and_the_fix():
    report = check_number_type(BARE, raise_on_failure=False)
    assert not report.ok
    assert [c.name for c in report.failures] == ["sin(x)"]
    sin = report["sin(x)"]
    assert sin.row == "functions"
    assert isinstance(sin.error, g.MissingMethodError)
    assert "generic.sin has no method for argument types (Bare)" in sin.detail
    assert sin.fix == "@g.dispatch def sin(x: Bare): ..."
    text = str(report)
    assert "FAIL" in text and "sin(x)" in text and "@g.dispatch def sin(x: Bare)" in text


def test_kit_raises_with_the_report_by_default():
    with pytest.raises(ConformanceError, match=r"@g.dispatch def sin\(x: Bare\)") as caught:
        check_number_type(BARE)
    assert isinstance(caught.value, AssertionError)
    assert caught.value.report.failures[0].name == "sin(x)"


def test_kit_finds_wrong_values_and_dropped_types():
    class Sloppy(Bare):
        pass

    register(g.ELEMENTARY["sin"], lambda x: Bare(math.cos(x.v)), Sloppy)  # wrong function
    register(g.ELEMENTARY["cos"], lambda x: math.cos(x.v), Sloppy)  # drops the type
    report = check_number_type([Sloppy(0.5), Sloppy(-1.25)], raise_on_failure=False)
    assert "float64 gives" in report["sin(x)"].detail
    assert "returned a plain float" in report["cos(x)"].detail
    assert report["sin(x)"].error is None  # a wrong result, not an exception


def test_kit_warns_when_convert_caps_a_more_precise_type():
    class Precise(Bare):
        pass

    register(g.eps, lambda x: 1e-30, Precise)  # more precision than a float, no convert
    report = check_number_type([Precise(0.5), Precise(2.0)], functions=(), raise_on_failure=False)
    check = report["convert(T, Fraction(1, 3))"]
    assert check.status == "warn" and "returns a float with eps 2.22e-16" in check.detail
    assert "def convert(T: type[Precise]" in check.fix
    assert report["eps(x), eps(T)"].status == "warn"  # eps(T) is eps(convert(T, 0))
    assert report.ok  # a warning is advice


def test_kit_reports_every_missing_protocol_method():
    class Empty:
        pass

    report = check_number_type([Empty()], functions=("exp",), raise_on_failure=False)
    failed = {c.name for c in report.failures}
    assert {"x + y", "1.5 - x", "-x", "x ** 2", "value(x) -> float", "norm(x) -> float >= 0",
            "isfinite(x)", "eps(x), eps(T)", "exp(x)"} <= failed
    assert report["eps(x), eps(T)"].fix == "@g.dispatch def eps(x: Empty): ..."
    assert report["1.5 - x"].fix == "define Empty.__rsub__(self, other: float)"


# ----------------------------------------------------------------------------- strategies


@FAST
@given(st.data())
def test_number_strategies_draw_their_types_in_range(data):
    assert abs(data.draw(gst.reals(-2, 2))) <= 2
    assert isinstance(data.draw(gst.float32s()), np.float32)
    assert isinstance(data.draw(gst.complexes()), complex)
    with mpmath.workdps(40):
        x = data.draw(gst.mpfs(-1, 1))
        assert isinstance(x, mpmath.mpf) and -1 <= x <= 1
    u = data.draw(gst.ufloats())
    assert 0 < u.std_dev <= 0.1 * max(abs(u.nominal_value), 1e-3)
    d = data.draw(gst.duals(npartials=3))
    assert isinstance(d, g.Dual) and d.partials.shape == (3,)
    a = data.draw(gst.dual_arrays(shape=(2, 3), npartials=2))
    assert a.shape == (2, 3) and a.npartials == 2
    assert abs(data.draw(gst.reals(min_magnitude=0.5))) >= 0.5
    data.draw(gst.numbers())


@FAST
@given(st.data())
def test_measurement_strategy(data):
    if not gst.has_measurements():
        with pytest.raises(NotImplementedError):
            gst.measurements()
        return
    m = data.draw(gst.measurements(-3, 3))
    assert isinstance(m, g.Measurement) and abs(g.value(m)) <= 3
    assert 0 < g.uncertainty(m) <= 0.1 * max(abs(g.value(m)), 1e-3)


@FAST
@given(gst.expressions(nvars=2), st.lists(gst.reals(-2, 2), min_size=2, max_size=2))
def test_expressions_agree_in_every_namespace(expr, xs):
    reference = expr.evaluate(gst.MPMATH, *(mpmath.mpf(x) for x in xs))
    scale = 1 + abs(float(reference))
    # float64 evaluation of a dozen well-conditioned operations: 1e-12 of the value's scale
    for result in (expr(*xs), expr.evaluate(gst.MATH, *xs),
                   expr.evaluate(gst.UMATH, *(uncertainties.ufloat(x, 0.01) for x in xs))):
        assert abs(g.value(result) - float(reference)) <= 1e-12 * scale * (1 + 10**4), str(expr)
    assert expr.variables <= {0, 1} and expr.variables
    assert str(expr) in repr(expr)


@FAST
@given(gst.expressions(functions=("sin", "exp", "log", "sqrt", "tanh", "atan")),
       gst.reals(-2, 2))
def test_numpy_namespace_evaluates_dual_arrays_like_generic(expr, x):
    a = g.DualArray(np.array([x, x / 2]), np.ones((1, 2)))
    by_ufuncs, by_generic = expr.evaluate(gst.NUMPY, a), expr(a)
    # the same methods, except on constant subexpressions: np.tanh(-1.5) and math.tanh(-1.5)
    # may differ by an ulp, carried through a few well-conditioned operations
    for u, v in ((by_ufuncs.value, by_generic.value), (by_ufuncs.partials, by_generic.partials)):
        np.testing.assert_allclose(u, v, rtol=1e-13, atol=1e-13)


def test_derivative_scale_exceeds_cancelling_derivative():
    expr = gst.Expression(("binary", "-", ("unary", "sin", ("var", 0)), ("var", 0)), 1)
    assert str(expr) == "(sin(x) - x)"
    x = 1e-5
    d = g.derivative(expr, x)  # cos(x) - 1 ~ -5e-11, computed with an error ~ eps
    assert abs(d) < 1e-10 and gst.derivative_scale(expr, x) >= 1.0


def test_expressions_reject_unknown_functions():
    with pytest.raises(ValueError, match="frobnicate"):
        gst.expressions(functions=("sin", "frobnicate"))
