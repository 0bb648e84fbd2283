"""Conformance kit: will a number type pass through generic's solvers, and if not, what is missing?

    import generic as g
    from generic.testing import check_number_type

    report = check_number_type([MyNum(0.5), MyNum(-1.25), MyNum(2.0)], raise_on_failure=False)
    print(report)          # one line per protocol row; each failure with its exception and fix
    report.ok              # True when nothing failed (warnings are advice)

The kit runs every row of the number protocol (docs/testing.md, DESIGN.md) on a few samples of
the type, the way a solver would: arithmetic mixed with Python floats in both orders, ``value``,
``norm``, ``isfinite``, ``eltype``, ``convert`` and ``eps``, comparisons of values, the
elementary functions a right-hand side calls, object arrays of the type, and one explicit
Runge-Kutta step written as the solvers write theirs. Each check compares the primal value of
its result with the same computation in float64, so a method that runs but computes the wrong
thing fails too. It imports nothing above the number types (no solvers).
"""

from __future__ import annotations

import math
import operator
import textwrap
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..dispatch import MissingMethodError, convert
from ..functions import BINARY, ELEMENTARY, eltype, eps, isfinite, norm, value

__all__ = ["check_number_type", "ConformanceReport", "Check", "ConformanceError",
           "REQUIRED_FUNCTIONS"]

REQUIRED_FUNCTIONS = ("sin", "cos", "exp", "log", "sqrt", "abs", "tanh")
"""The elementary functions checked by default: those right-hand sides call most."""

ROWS = ("arithmetic", "value", "norm", "constants", "precision", "comparisons", "functions",
        "arrays", "solver step")
"""The report's rows, in order: DESIGN.md's number protocol and two end-to-end rows."""

builtins_type = type  # check_number_type has a keyword argument named ``type``
_C = 1.5  # the Python float mixed into arithmetic: exact in every binary type
_PLAIN = (bool, int, float, complex)


class ConformanceError(AssertionError):
    """A number type failed the conformance kit; the message is the report."""

    def __init__(self, report: ConformanceReport):
        self.report = report
        super().__init__(str(report))


@dataclass
class Check:
    """One check: which protocol ``row``, what was tried (``name``), and how it went.

    ``status`` is ``"pass"``, ``"fail"``, ``"warn"`` (works, but see ``detail``) or ``"skip"``
    (not applicable to these samples). A failure carries the exception (``error``, None when a
    result was wrong rather than an exception raised) and a one-line ``fix``.
    """

    row: str
    name: str
    status: str
    detail: str = ""
    error: BaseException | None = None
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.status.upper():4}  {self.row:11}  {self.name}"
        if self.detail:
            text += f"\n      {self.detail}"
        if self.fix:
            text += f"\n      fix: {self.fix}"
        return text


@dataclass
class ConformanceReport:
    """What :func:`check_number_type` found: ``checks`` in protocol order (:data:`ROWS`)."""

    type: type
    samples: tuple
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No check failed (warnings and skips allowed)."""
        return not self.failures

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.status == "warn"]

    def __getitem__(self, name: str) -> Check:
        """The check named ``name`` (``report["sin(x)"]``)."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def raise_for_failures(self) -> ConformanceReport:
        """Raise :class:`ConformanceError` if a check failed; else return the report."""
        if not self.ok:
            raise ConformanceError(self)
        return self

    def format(self, verbose: bool = False) -> str:
        """The report as text: a headline, then per row the passing checks on one line and every
        failure, warning and skip with its detail and fix (``verbose``: every check)."""
        counts = {s: sum(c.status == s for c in self.checks) for s in ("pass", "fail", "warn")}
        verdict = "PASS" if self.ok else "FAIL"
        lines = [f"generic conformance of {_name(self.type)} ({len(self.samples)} samples): "
                 f"{verdict}, {counts['pass']} passed, {counts['fail']} failed, "
                 f"{counts['warn']} warnings"]
        for row in ROWS:
            checks = [c for c in self.checks if c.row == row]
            passed = [c.name for c in checks if c.status == "pass"]
            if passed and not verbose:
                lines.append(textwrap.fill(", ".join(passed), width=100,
                                           initial_indent=f"PASS  {row:11}  ",
                                           subsequent_indent=" " * 19))
            for check in checks:
                if verbose or check.status != "pass":
                    lines.append(str(check))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def check_number_type(samples: Iterable, *, type: type | None = None,
                      functions: Sequence[str] = REQUIRED_FUNCTIONS, rtol: float = 1e-6,
                      raise_on_failure: bool = True) -> ConformanceReport:
    """Check that a number type offers generic's number protocol; return the report.

    samples:  a few instances of the type (three or more, finite, with values of both signs
              and some in (0, 2] so that ``log``, ``sqrt`` and ``acos`` have arguments).
    type:     the type checked with ``convert(type, q)`` and ``eps(type)`` (which is the eps of
              ``convert(type, 0)``); default: the type of the first sample.
    functions: names of the elementary generic functions to check (``g.UNARY`` or
              ``g.BINARY``); default :data:`REQUIRED_FUNCTIONS`.
    rtol:     how close the value of each result must be to the float64 computation (loose
              by default: types that carry an enclosure or an uncertainty are checked too).
    raise_on_failure: raise :class:`ConformanceError` (an ``AssertionError`` whose message is
              the report) when a check fails; else return the report either way.
    """
    samples = tuple(samples) if isinstance(samples, (list, tuple, np.ndarray)) else (samples,)
    if not samples:
        raise ValueError("check_number_type needs at least one sample of the type")
    unknown = [f for f in functions if f not in ELEMENTARY]
    if unknown:
        raise ValueError(f"no generic function(s) named {unknown}; see g.ELEMENTARY")
    kit = _Kit(samples, type if type is not None else builtins_type(samples[0]), rtol)
    kit.run(functions)
    report = ConformanceReport(kit.T, samples, kit.checks)
    return report.raise_for_failures() if raise_on_failure else report


# ----------------------------------------------------------------------------- the checks


class _Fail(Exception):
    """A check ran but its result is wrong."""


class _Warn(Exception):
    """A check ran and works, with advice."""


class _Skip(Exception):
    """A check does not apply to these samples."""


def _name(T) -> str:
    return getattr(T, "__name__", repr(T))


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{builtins_type(error).__name__}: {text[0] if text else ''}"


def _missing_fix(error: MissingMethodError) -> str:
    """The ``@g.dispatch`` recipe for the method that is missing (it may be another function
    than the one checked, called inside); "" for a type argument, whose type the error does
    not keep."""
    if any(issubclass(t, type) for t in error.types):
        return ""
    params = ", ".join(f"{p}: {_name(t)}" for p, t in zip("xyzwvu", error.types, strict=False))
    return f"@g.dispatch def {error.function_name}({params}): ..."


def _is_plain(x) -> bool:
    return builtins_type(x) in _PLAIN


def _is_number(v) -> bool:
    return isinstance(v, (int, float, complex, np.number)) and not isinstance(v, bool)


class _Kit:
    def __init__(self, samples: tuple, T: type, rtol: float):
        self.samples, self.T, self.rtol = samples, T, rtol
        self.t = _name(T)
        self.checks: list[Check] = []
        self.pairs = [(x, samples[(i + 1) % len(samples)]) for i, x in enumerate(samples)]
        self.value_works = False

    def run(self, functions: Sequence[str]) -> None:
        self.check_value()  # first: the other checks compare values
        self.check_arithmetic()
        self.check_norm()
        self.check_constants()
        self.check_precision()
        self.check_comparisons()
        self.check_functions(functions)
        self.check_arrays()
        self.check_solver_step()
        self.checks.sort(key=lambda c: ROWS.index(c.row))

    # -- running one check

    def attempt(self, row: str, name: str, fix: str, test: Callable[[], object]) -> bool:
        """Run ``test``; record pass, fail (with the exception and a fix), warn or skip."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", (DeprecationWarning, FutureWarning))
                with np.errstate(all="ignore"):
                    test()
        except _Skip as skip:
            self.checks.append(Check(row, name, "skip", str(skip)))
        except _Warn as warn:
            self.checks.append(Check(row, name, "warn", str(warn), fix=fix))
            return True
        except _Fail as fail:
            self.checks.append(Check(row, name, "fail", str(fail), fix=fix))
        except MissingMethodError as error:
            self.checks.append(Check(row, name, "fail", _first_line(error), error,
                                     _missing_fix(error) or fix))
        except Exception as error:  # noqa: BLE001 - any exception is what the user must see
            self.checks.append(Check(row, name, "fail", _first_line(error), error, fix))
        else:
            self.checks.append(Check(row, name, "pass"))
            return True
        return False

    def close(self, result, reference: float, what: str, scale: float = 1.0) -> None:
        """The value of ``result`` agrees with the float64 ``reference`` (skipped without a
        working ``value``)."""
        if not self.value_works or not math.isfinite(abs(reference)):
            return
        v = value(result)
        tolerance = self.rtol * max(abs(reference), scale)
        if not abs(complex(v) - reference) <= tolerance:
            raise _Fail(f"{what} has value {v!r}, float64 gives {reference!r}")

    def keeps_type(self, result, what: str, x) -> None:
        if result is NotImplemented:
            raise _Fail(f"{what} returned NotImplemented")
        if _is_plain(result) and not _is_plain(x):
            raise _Fail(f"{what} returned a plain {builtins_type(result).__name__}: whatever "
                        f"{self.t} carries beyond its value (derivatives, uncertainty, "
                        f"precision) is lost")

    # -- the protocol rows

    def check_value(self) -> None:
        def test():
            for x in self.samples:
                v = value(x)
                if not _is_number(v):
                    raise _Fail(f"value({x!r}) returned {builtins_type(v).__name__}, not a float")
                complex(v)  # float-like
        fix = f"@g.dispatch def value(x: {self.t}): return <the primal value of x, a float>"
        self.value_works = self.attempt("value", "value(x) -> float", fix, test)

        def finite():
            for x in self.samples:
                if not bool(isfinite(x)):
                    raise _Fail(f"isfinite({x!r}) is False for a finite sample")
        self.attempt("value", "isfinite(x)",
                     f"@g.dispatch def isfinite(x: {self.t}): return math.isfinite(g.value(x))",
                     finite)

    def check_arithmetic(self) -> None:
        ops = (("+", operator.add, "add"), ("-", operator.sub, "sub"),
               ("*", operator.mul, "mul"), ("/", operator.truediv, "truediv"))
        for symbol, op, dunder in ops:
            forms = (
                (f"x {symbol} y", lambda x, y: (x, y), f"__{dunder}__(self, other: {self.t})"),
                (f"x {symbol} {_C}", lambda x, y: (x, _C), f"__{dunder}__ for a float other"),
                (f"{_C} {symbol} x", lambda x, y: (_C, x), f"__r{dunder}__(self, other: float)"),
            )
            for name, operands, method in forms:
                self.attempt("arithmetic", name, f"define {self.t}.{method}",
                             self._binary_test(name, op, operands))
        self.attempt("arithmetic", "-x", f"define {self.t}.__neg__(self)",
                     self._unary_test("-x", operator.neg))
        for n in (2, 3, -1):
            self.attempt("arithmetic", f"x ** {n}", f"define {self.t}.__pow__(self, n: int)",
                         self._unary_test(f"x ** {n}", lambda x, n=n: x**n, nonzero=n < 0))
        self.attempt("arithmetic", f"x + np.float64({_C}), np.float64({_C}) * x",
                     f"NumPy scalars meet {self.t} when a solver uses them: give {self.t} "
                     f"__array_ufunc__ = None, or accept np.floating in its operators",
                     self._numpy_scalar_test)

    def _binary_test(self, name: str, op: Callable, operands: Callable):
        def test():
            for x, y in self.pairs:
                a, b = operands(x, y)
                if op is operator.truediv and self.value_works and value(b) == 0:
                    continue
                result = op(a, b)
                self.keeps_type(result, name, x)
                va, vb = (a if _is_plain(a) else value(a)), (b if _is_plain(b) else value(b))
                if self.value_works:
                    self.close(result, op(complex(va), complex(vb)), name,
                               abs(complex(va)) + abs(complex(vb)))
        return test

    def _unary_test(self, name: str, op: Callable, nonzero: bool = False):
        def test():
            for x in self.samples:
                if nonzero and self.value_works and value(x) == 0:
                    continue
                result = op(x)
                self.keeps_type(result, name, x)
                if self.value_works:
                    self.close(result, op(complex(value(x))), name)
        return test

    def _numpy_scalar_test(self):
        c = np.float64(_C)
        for x in self.samples:
            for name, result in ((f"x + {c!r}", x + c), (f"{c!r} * x", c * x)):
                if isinstance(result, np.ndarray):
                    raise _Warn(f"{name} returned an ndarray, not a {self.t}")
                self.keeps_type(result, name, x)

    def check_norm(self) -> None:
        def test():
            for x in self.samples:
                n = norm(x)
                if not _is_number(n) or isinstance(n, (complex, np.complexfloating)):
                    raise _Fail(f"norm({x!r}) returned {builtins_type(n).__name__}, "
                                f"not a float")
                if not (n >= 0 and math.isfinite(n)):
                    raise _Fail(f"norm({x!r}) = {n!r}: must be a finite float >= 0")
        self.attempt("norm", "norm(x) -> float >= 0",
                     f"@g.dispatch def norm(x: {self.t}): return abs(g.value(x))  "
                     f"# or the RMS over what x carries", test)

    def check_constants(self) -> None:
        T, t = self.T, self.t
        fix = f"@g.dispatch def convert(T: type[{t}], q: Fraction | int | str | float): " \
              f"return <q rounded to {t}>"
        third = Fraction(1, 3)

        def converts():
            c = convert(T, third)
            for x in self.samples:
                self.keeps_type(x * c, "x * convert(T, 1/3)", x)
            eps_c, eps_x = self.eps_of(c), min(filter(None, map(self.eps_of, self.samples)),
                                               default=None)
            if self.value_works:
                tolerance = 4 * max(eps_c or 0.0, np.finfo(float).eps) / 3
                if not abs(float(value(c)) - 1 / 3) <= tolerance:
                    raise _Fail(f"convert({t}, Fraction(1, 3)) has value {value(c)!r}")
            if eps_c is not None and eps_x is not None and eps_c > 2 * eps_x:
                raise _Warn(f"convert({t}, Fraction(1, 3)) returns a "
                            f"{builtins_type(c).__name__} with eps {eps_c:.3g}, but the samples "
                            f"carry eps {eps_x:.3g}: tableau constants would cap the precision "
                            f"of every solve")
        self.attempt("constants", "convert(T, Fraction(1, 3))", fix, converts)

        def strings_and_ints():
            for q, exact in (("0.1", 0.1), (2, 2.0)):
                c = convert(T, q)
                if self.value_works and not abs(float(value(c)) - exact) <= 1e-6 * exact:
                    raise _Fail(f"convert({t}, {q!r}) has value {value(c)!r}")
        self.attempt("constants", "convert(T, '0.1'), convert(T, 2)", fix, strings_and_ints)

        def element_type():
            for x in self.samples:
                E = eltype(x)
                convert(E, third)
                if not (isinstance(E, builtins_type) and isinstance(x, E)):
                    raise _Warn(f"eltype({x!r}) = {E!r} is not a type of x: solvers convert "
                                f"their constants to it")
        self.attempt("constants", "eltype(x), convert(eltype(x), q)",
                     f"@g.dispatch def eltype(x: {t}): return {t}", element_type)

    def eps_of(self, x) -> float | None:
        """``float(eps(x))``, None where that fails (the precision row reports it)."""
        try:
            return float(eps(x))
        except Exception:  # noqa: BLE001
            return None

    def check_precision(self) -> None:
        T, t = self.T, self.t

        def test():
            for x in self.samples:
                e = eps(x)
                if not 0 < float(e) < 1:
                    raise _Fail(f"eps({x!r}) = {e!r}: must be a number in (0, 1)")
            e_T = eps(T)  # eps of convert(T, 0): the precision constants get
            if float(e_T) != float(eps(self.samples[0])):
                raise _Warn(f"eps({t}) = {float(e_T):.3g} (of convert({t}, 0)) differs from "
                            f"eps(x) = {float(eps(self.samples[0])):.3g} of the samples")
        self.attempt("precision", "eps(x), eps(T)",
                     f"@g.dispatch def eps(x: {t}): return <machine epsilon of {t}>", test)

    def check_comparisons(self) -> None:
        if not self.value_works:
            self.checks.append(Check("comparisons", "value(x) < value(y)", "skip",
                                     "value(x) does not work"))
            return

        def by_value():
            for x, y in self.pairs:
                if isinstance(value(x), (complex, np.complexfloating)):
                    raise _Skip("complex values have no order")
                bool(value(x) < value(y)), bool(value(x) <= _C), bool(_C > value(y))
        self.attempt("comparisons", "value(x) < value(y), value(x) <= 1.5", "", by_value)

        def direct():
            notes = []
            for symbol, op in (("<", operator.lt), ("<=", operator.le), (">", operator.gt),
                               (">=", operator.ge)):
                for x, y in self.pairs:
                    try:
                        with warnings.catch_warnings(record=True) as caught:
                            warnings.simplefilter("always")
                            result = bool(op(x, y))
                    except TypeError:
                        raise _Skip(f"{self.t} has no ordering; fine: solvers compare "
                                    f"value(x)") from None
                    if caught:
                        notes.append(f"x {symbol} y warns ({caught[0].category.__name__})")
                    if result != op(value(x), value(y)):
                        raise _Warn(f"{x!r} {symbol} {y!r} is {result}, but by value it is "
                                    f"{not result}: compare by value (duals must), or "
                                    f"not at all")
            if notes:
                raise _Skip(f"{notes[0]}; fine: solvers compare value(x)")
        self.attempt("comparisons", "x < y agrees with value(x) < value(y)",
                     f"define {self.t}.__lt__ etc. by value, or leave them out", direct)

    def check_functions(self, functions: Sequence[str]) -> None:
        for name in functions:
            f = ELEMENTARY[name]
            if name in BINARY:
                test = self._binary_function_test(name, f)
                label = "atan2(y, x)" if name == "atan2" else f"{name}(x, y)"
            else:
                test = self._unary_function_test(name, f)
                label = f"{name}(x)"
            self.attempt("functions", label, f"@g.dispatch def {name}(x: {self.t}): ...", test)

    def _reference(self, name: str, *args) -> float | None:
        """The float64 result of ``name`` on the values of ``args``, None outside its domain."""
        if not self.value_works:
            return None
        plain = [float(a) if _is_plain(a) else float(value(a)) for a in args]
        with np.errstate(all="ignore"):
            reference = ELEMENTARY[name](*plain)
        return reference if math.isfinite(reference) else None

    def _unary_function_test(self, name: str, f):
        def test():
            tried = 0
            for x in self.samples:
                reference = self._reference(name, x)
                if self.value_works and reference is None:
                    continue  # outside the domain
                tried += 1
                result = f(x)
                self.keeps_type(result, f"{name}(x)", x)
                if reference is not None:
                    self.close(result, reference, f"{name}({x!r})")
            if not tried:
                raise _Skip(f"no sample in the domain of {name}: pass one")
        return test

    def _binary_function_test(self, name: str, f):
        def test():
            tried = 0
            for x, y in self.pairs:
                for a, b in ((x, y), (x, _C), (_C, x)):
                    reference = self._reference(name, a, b)
                    if self.value_works and reference is None:
                        continue
                    tried += 1
                    result = f(a, b)
                    self.keeps_type(result, f"{name}({a!r}, {b!r})", x)
                    if reference is not None:
                        self.close(result, reference, f"{name}({a!r}, {b!r})")
            if not tried:
                raise _Skip(f"no samples in the domain of {name}: pass some")
        return test

    # -- end to end

    def objects(self) -> np.ndarray:
        u = np.empty(len(self.samples), dtype=object)
        u[:] = list(self.samples)
        return u

    def check_arrays(self) -> None:
        t = self.t

        def test():
            u = self.objects()
            if self.value_works:
                v = value(u)
                if not (isinstance(v, np.ndarray) and v.dtype.kind in "fc"):
                    raise _Fail(f"value of an object array of {t} is not a float array: "
                                f"value(x) must return a Python or NumPy float")
            n = norm(u)
            if not (_is_number(n) and n >= 0):
                raise _Fail(f"norm of an object array of {t} is {n!r}")
            eltype(u)
            w = 2.0 * u - u / 3.0 + np.linspace(0.5, 1.0, len(u)) * u
            self.keeps_type(w[0], "2.0 * u - u / 3.0 + float_array * u", self.samples[0])
            np.asarray(isfinite(u), dtype=bool)
            if self.value_works:
                reference = (5 / 3 + np.linspace(0.5, 1.0, len(u))) * value(u)
                for wi, ri in zip(w, reference, strict=True):
                    self.close(wi, ri, "2.0 * u - u / 3.0 + float_array * u", np.max(abs(ri)))
        self.attempt("arrays", "object array: value, norm, eltype, isfinite, arithmetic",
                     f"make the scalar methods of {t} return floats (value, norm) and plain "
                     f"bools (isfinite)", test)

    def check_solver_step(self) -> None:
        """One Heun step of u' = -u/2 + u*u/10 with an error estimate and step decision, using
        only the protocol, as the solvers do."""

        def step(u, half, tenth, dt):
            f = lambda u: -half * u + tenth * u * u
            k1 = f(u)
            k2 = f(u + dt * k1)
            return u + dt * half * (k1 + k2), dt * half * (k2 - k1)

        def test():
            u = self.objects()
            E = eltype(u)
            half, tenth = convert(E, Fraction(1, 2)), convert(E, Fraction(1, 10))
            dt = 0.125
            u_new, error = step(u, half, tenth, dt)
            err = norm(error) / (1e-6 + 1e-3 * max(norm(u), norm(u_new)))
            bool(err <= 1.0)  # the step decision is taken on floats
            if not bool(np.all(isfinite(u_new))):
                raise _Fail("the step produced non-finite values")
            if self.value_works:
                reference, _ = step(value(u).astype(float), 0.5, 0.1, dt)
                for ui, ri in zip(u_new, reference, strict=True):
                    self.close(ui, ri, "u after one step", np.max(abs(reference)))
        self.attempt("solver step", "one Heun step with error norm, eltype and convert",
                     "see the failures above: a step uses only the rows checked there", test)
