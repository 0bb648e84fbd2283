"""The tour: ``python -m generic tour`` shows each capability in a few seconds.

Each section is a function registered with :func:`section`; later capabilities add theirs.
Every number printed is computed on the spot and, where it can be, checked against an
independent reference (closed forms, mpmath, ``uncertainties``) printed beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

SECTIONS: dict[str, Callable[[], None]] = {}
ON_REQUEST: set[str] = set()  # sections shown only when named (they take longer)


def section(name: str, on_request: bool = False):
    """Register a tour section under ``name`` (shown in registration order; ``on_request``:
    only when named on the command line)."""

    def register(fn: Callable[[], None]) -> Callable[[], None]:
        SECTIONS[name] = fn
        if on_request:
            ON_REQUEST.add(name)
        return fn

    return register


def _row(label: str, computed, reference=None) -> None:
    ref = "" if reference is None else f"   reference {reference}"
    print(f"  {label:38s} {computed}{ref}")


@section("functions")
def _functions() -> None:
    """One generic function, many number types."""
    import mpmath
    import numpy as np
    from uncertainties import ufloat

    import generic as g

    print("g.sin through one generic function, on every number type:")
    _row("float", repr(g.sin(0.5)), repr(math.sin(0.5)))
    _row("float32 stays float32", repr(g.sin(np.float32(0.5))))
    with mpmath.workdps(50):
        _row("mpmath, 50 digits", str(g.sin(mpmath.mpf(1) / 2)))
    _row("uncertainties ufloat 0.5 ± 0.01", str(g.sin(ufloat(0.5, 0.01))))
    _row("dual 0.5 + ε (value, derivative)", repr(g.sin(g.Dual(0.5, [1.0]))),
         f"cos(0.5) = {math.cos(0.5):.15g}")
    _row("measurement 0.5 ± 0.01", str(g.sin(g.measurement(0.5, 0.01))))
    _row("NumPy float32 array", repr(g.sin(np.array([0.5, 1.0], dtype=np.float32))))
    try:
        import array_api_strict as xp

        _row("array_api_strict array", repr(g.sin(xp.asarray([0.5, 1.0]))))
    except ImportError:
        pass


@section("duals")
def _duals() -> None:
    """Forward-mode derivatives from dual numbers."""
    import numpy as np

    import generic as g

    print("Dual numbers (forward-mode AD), checked against closed forms:")
    d = g.derivative(lambda x: x * g.exp(-x * x), 0.7)
    _row("d/dx x·exp(-x²) at 0.7", f"{d:.15g}", f"{(1 - 2 * 0.49) * math.exp(-0.49):.15g}")
    nested = g.derivative(lambda x: x * g.derivative(lambda y: x + y, 1.0), 1.0)
    _row("d/dx [x · d/dy (x + y)] (tags)", nested, 1.0)
    rosen = lambda v: (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2  # noqa: E731
    x = np.array([1.2, 0.8])
    _row("∇ Rosenbrock at (1.2, 0.8)", g.gradient(rosen, x),
         np.array([-2 * (1 - 1.2) - 400 * 1.2 * (0.8 - 1.44), 200 * (0.8 - 1.44)]))
    polar = lambda r: np.array([r[0] * g.cos(r[1]), r[0] * g.sin(r[1])])  # noqa: E731
    J = g.jacobian(polar, np.array([2.0, 0.5]))
    print("  Jacobian of polar -> cartesian at (2, 0.5):")
    print("   ", np.array2string(J, precision=6).replace("\n", "\n    "))
    _row("  det J (= r)", f"{np.linalg.det(J):.15g}", 2.0)
    H = g.hessian(rosen, x)
    print("  Hessian of Rosenbrock at (1.2, 0.8):")
    print("   ", np.array2string(H, precision=6).replace("\n", "\n    "))
    _row("  H[0,0] (= 2 - 400 y + 1200 x²)", H[0, 0], 2 - 400 * 0.8 + 1200 * 1.44)


@section("measurements")
def _measurements() -> None:
    """Linear error propagation with correlations."""
    from uncertainties import ufloat, umath

    import generic as g

    print("Measurements (linear error propagation), cross-checked with `uncertainties`:")
    a, b = g.measurement(5.23, 0.14), g.measurement(5.23, 0.14)
    _row("x - x", str(a - a), "0 ± 0")
    _row("two measurements of 5.23 ± 0.14 differ by", f"{a - b:.3f}", "0 ± 0.198")
    x, y = g.measurement(2.0, 0.1), g.measurement(3.0, 0.2)
    formula = x * g.sin(y) + g.exp(x / y)
    ux, uy = ufloat(2.0, 0.1), ufloat(3.0, 0.2)
    reference = ux * umath.sin(uy) + umath.exp(ux / uy)
    _row("x·sin(y) + exp(x/y)", str(formula), str(reference))
    _row("  its standard deviation", f"{g.uncertainty(formula):.15g}", f"{reference.s:.15g}")
    print("  number types compose: the derivative of an uncertain quantity is a dual of")
    print("  measurements, d/dt sin(t·x) at t = 1 for x = 2.0 ± 0.1:")
    slope = g.derivative(lambda t: g.sin(t * x), 1.0)
    _row("    g.derivative(...)", f"{slope:.4f}",
         f"x·cos(x) = {2 * math.cos(2):.4f} ± {abs(math.cos(2) - 2 * math.sin(2)) * 0.1:.4f}")


@section("precision")
def _precision() -> None:
    """The same generic code at 50 digits and in float32."""
    import mpmath
    import numpy as np

    import generic as g

    def f(x):  # one source, written once with generic functions
        return g.exp(g.sin(x)) / (1 + x * x)

    print("One function, many precisions (f(x) = exp(sin x) / (1 + x²) at x = 1/3):")
    with mpmath.workdps(50):
        third = g.convert(mpmath.mpf, "1/3")
        exact = mpmath.exp(mpmath.sin(third)) / (1 + third**2)
        _row("mpmath, 50 digits", str(f(third)))
        _row("  error vs mpmath's own formula", mpmath.nstr(abs(f(third) - exact), 3))
        _row("  eps(mpf) at 50 digits", mpmath.nstr(g.eps(mpmath.mpf), 3))
    x32 = np.float32(1) / np.float32(3)
    _row("float32", repr(f(x32)))
    _row("float64", repr(f(1 / 3)))
    _row("  float32 relative error", f"{abs(float(f(x32)) - f(1 / 3)) / f(1 / 3):.2e}",
         f"eps(float32) = {g.eps(np.float32):.2e}")


@section("extending")
def _extending() -> None:
    """A user's number type joins by methods, checked by the conformance kit."""
    import mpmath

    import generic as g
    from generic.testing import check_number_type

    class Bare:  # arithmetic and value only: a type a user is halfway through writing
        def __init__(self, v):
            self.v = v

        def __add__(self, o):
            return Bare(self.v + getattr(o, "v", o))

    print("Extending: a new type gets methods with @g.dispatch; the kit says what is missing.")
    try:
        g.sin(Bare(1.0))
    except g.MissingMethodError as error:
        print("  g.sin(Bare(1.0)) raises MissingMethodError:")
        print("    " + str(error).strip().replace("\n", "\n    "))
    samples = {
        "Dual": [g.Dual(0.5, [1.0]), g.Dual(-1.25, [0.5]), g.Dual(2.0, [-1.0])],
        "Measurement": [g.measurement(0.5, 0.1), g.measurement(-1.25, 0.2),
                        g.measurement(2.0, 0.1)],
        "mpmath.mpf": [mpmath.mpf("0.5"), mpmath.mpf("-1.25"), mpmath.mpf(2)],
    }
    for name, values in samples.items():
        report = check_number_type(values, raise_on_failure=False)
        verdict = "PASS" if report.ok else "FAIL"
        _row(f"conformance kit on {name}", f"{verdict}: {len(report.checks)} checks")
    print("  a complete user type (intervals, outside the library): examples/custom_number_type.py")


@section("ode")
def _ode() -> None:
    """One ODE solver, every number type; an event time differentiated through a solve."""
    import mpmath
    import numpy as np
    from uncertainties import ufloat

    import generic as g

    def growth(y, lam, t):  # y' = λ y, y(0) = 1: y(1) = exp(λ)
        return lam * y

    def solve(y0, lam, tspan=(0.0, 1.0), alg=None, rtol=1e-10, atol=1e-12):
        prob = g.ODEProblem(growth, y0, tspan, lam)
        return g.solve(prob, alg or g.Tsit5(), rtol=rtol, atol=atol, compile=False).u[-1]

    lam = -0.5
    exact = math.exp(lam)
    print("y' = λy, y(0) = 1, solved to t = 1 by one g.solve (g.Tsit5, rtol 1e-10 unless named)")
    print(f"from each number type, which the state keeps; exact y(1) = exp(λ) = {exact!r}:")
    y = solve(1.0, lam)
    _row("float64, λ = -0.5", f"{y:.16g}   error {abs(y - exact):.1e}")
    y32 = solve(np.float32(1), np.float32(lam), rtol=1e-6, atol=1e-8)
    _row("float32, rtol 1e-6", f"{y32!r}   error {abs(float(y32) - exact) / exact:.1e}"
                               f" (eps {g.eps(np.float32):.1e})")
    lam_c = -0.5 + 2j
    yc = solve(1 + 0j, lam_c)
    _row("complex, λ = -0.5 + 2i", f"{yc:.13f}   error {abs(yc - np.exp(lam_c)):.1e}")
    with mpmath.workdps(32):
        lam_mp = mpmath.mpf(lam)
        ymp = solve(mpmath.mpf(1), lam_mp, (mpmath.mpf(0), mpmath.mpf(1)), g.Vern9(),
                    rtol=mpmath.mpf(10) ** -28, atol=mpmath.mpf(10) ** -30)
        _row("mpmath, 32 digits (Vern9, rtol 1e-28)",
             f"{mpmath.nstr(ymp, 30)}   error {mpmath.nstr(abs(ymp - mpmath.exp(lam_mp)), 2)}")
    with mpmath.workdps(50):
        lam_mp = mpmath.mpf(lam)
        sol50 = g.solve(g.ODEProblem(lambda u, p, t: p * u, mpmath.mpf(1),
                                     (mpmath.mpf(0), mpmath.mpf(1)), lam_mp), g.GBS(),
                        rtol=mpmath.mpf(10) ** -46, atol=mpmath.mpf(10) ** -48)
        y50 = sol50.u[-1]
        _row(f"mpmath, 50 digits (GBS, {sol50.stats.naccept} steps)",
             f"{mpmath.nstr(y50, 48)}   error {mpmath.nstr(abs(y50 - mpmath.exp(lam_mp)), 2)}")
    dy = g.derivative(lambda lam: solve(1.0, lam), lam)
    _row("dual: dy(1)/dλ (= exp(λ))", f"{dy:.16g}   error {abs(dy - exact):.1e}")
    ym = solve(1.0, g.measurement(lam, 0.05))
    _row("measurement, λ = -0.5 ± 0.05", f"{ym:.6f}",
         f"exp(λ) ± 0.05 exp(λ) = {exact:.6f} ± {0.05 * exact:.6f}")
    yu = solve(1.0, ufloat(lam, 0.05))
    _row("uncertainties, λ = ufloat(-0.5, 0.05)", f"{yu:.6f}")

    print("A bouncing ball (h'' = -9.81, bounces with restitution 0.9 at h = 0 by a")
    print("ContinuousCallback); impact times and their derivatives w.r.t. the drop height h0 = 2,")
    print("dual numbers through the solve, the event location and the bounce:")
    grav, e, h0 = 9.81, 0.9, 2.0

    def impacts(h):
        times = []

        def bounce(integ):
            times.append(integ.t)
            integ.u = integ.u * np.array([1.0, -e])  # reverse and damp the velocity

        hit = g.ContinuousCallback(lambda u, t, integ: u[0], None, affect_neg=bounce)
        fall = g.ODEProblem(lambda u, p, t: u[::-1] * np.array([1.0, 0.0]) - np.array([0, p]),
                            h * np.array([1.0, 0.0]), (0.0, 2.0), grav)  # (h, v)' = (v, -g)
        g.solve(fall, g.Tsit5(), rtol=1e-10, atol=1e-12, callback=hit, compile=False)
        return np.array(times)

    t1 = math.sqrt(2 * h0 / grav)
    times = impacts(h0)
    slopes = g.derivative(impacts, h0)
    _row("first impact t1", f"{times[0]:.12f}", f"sqrt(2 h0/g) = {t1:.12f}")
    _row("  dt1/dh0", f"{slopes[0]:.12f}", f"1/sqrt(2 g h0) = {1 / math.sqrt(2 * grav * h0):.12f}")
    _row("second impact t2", f"{times[1]:.12f}", f"t1 (1 + 2e) = {t1 * (1 + 2 * e):.12f}")
    _row("  dt2/dh0", f"{slopes[1]:.12f}",
         f"(1 + 2e)/sqrt(2 g h0) = {(1 + 2 * e) / math.sqrt(2 * grav * h0):.12f}")


@section("stiff")
def _stiff() -> None:
    """Stiff problems: Robertson's chemical kinetics with Rosenbrock and TR-BDF2 steps."""
    import numpy as np

    import generic as g

    def robertson(u, p, t):
        k1, k2, k3 = p
        return np.array([-k1 * u[0] + k3 * u[1] * u[2],
                         k1 * u[0] - k2 * u[1] ** 2 - k3 * u[1] * u[2],
                         k2 * u[1] ** 2])

    prob = g.ODEProblem(robertson, np.array([1.0, 0.0, 0.0]), (0.0, 1e5), (0.04, 3e7, 1e4))
    print("Robertson (k = 0.04, 3e7, 1e4) to t = 1e5: rates 9 orders apart; the Jacobian comes")
    print("from dual numbers, W = I - γhJ is factored by g.lu once per step:")
    for alg, rtol in ((g.Rodas5(), 1e-8), (g.TRBDF2(), 1e-6)):
        sol = g.solve(prob, alg, rtol=rtol, atol=1e-12, compile=False)  # duals' Jacobian
        u = sol.u[-1]
        _row(f"{alg!r}, rtol {rtol:g}", f"u = [{u[0]:.6e}, {u[1]:.6e}, {u[2]:.6e}]   "
             f"{sol.stats.naccept} steps, {sol.retcode}")
    print("  (the conservation law u1 + u2 + u3 = 1 holds to "
          f"{abs(float(np.sum(u)) - 1):.1e})")


@section("ensembles")
def _ensembles() -> None:
    """Ensembles: one problem over many parameter sets, serially, batched or compiled."""
    import time

    import numpy as np

    import generic as g

    def decay(u, p, t):
        return -p * u

    rates = np.random.default_rng(0).uniform(0.5, 1.5, 200)
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 2.0)), ps=rates)
    print("u' = -k u, u(0) = 1 for 200 rates k ~ U(0.5, 1.5), saved at t = 0, 0.5, ..., 2;")
    print("the mean over trajectories against the mean of the closed forms exp(-k t):")
    times = np.linspace(0.0, 2.0, 5)
    exact = (np.exp(-0.5 * times[1:]) - np.exp(-1.5 * times[1:])) / times[1:]
    for name, ensemble in (("EnsembleSerial", g.EnsembleSerial()),
                           ("EnsembleBatched", g.EnsembleBatched())):
        start = time.perf_counter()
        sol = g.solve(ens, g.Tsit5(), rtol=1e-8, atol=1e-10, saveat=times, ensemble=ensemble,
                      compile=False)
        seconds = time.perf_counter() - start
        sample = np.exp(-np.outer(rates, times)).mean(axis=0)
        _row(f"{name}: mean at t = 2", f"{sol.mean()[-1]:.10f}",
             f"mean of exp(-2k) {sample[-1]:.10f}")
        _row("  time, steps", f"{seconds * 1e3:.0f} ms, {sol.stats.naccept} steps "
             f"({'one shared step for all' if name == 'EnsembleBatched' else 'each its own'})")
    _row("population mean at t = 2", f"(e^-1 - e^-3)/2 = {exact[-1]:.6f}",
         f"(the sample of 200 is off by {abs(sample[-1] - exact[-1]):.1e})")
    print("  g.EnsembleThreads() runs them compiled in parallel (python -m generic tour "
          "fastpath);")
    print("  g.EnsembleDask(client) on a dask.distributed cluster; cupy arrays batch on a GPU.")


@section("fastpath", on_request=True)
def _fast_path() -> None:
    import time

    import numpy as np

    import generic as g
    from generic import ODEProblem, Tsit5, solve

    print("The float64 fast path: a float64 problem runs the same stepping source")
    print("(generic/ode/stepping.py) compiled by Numba, by default. The solver compiles once per")
    print("machine and kind of problem (about a minute; `python -m generic compile` does it")
    print("ahead) into Numba's cache, each problem's f too; other sections pass compile=False to")
    print("show the generic path.")

    def lotka_volterra(u, p, t):
        a, b, c, d = p
        return np.array([a * u[0] - b * u[0] * u[1], -c * u[1] + d * u[0] * u[1]])

    prob = ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), p=(1.5, 1.0, 3.0, 1.0))
    start = time.perf_counter()
    fast = solve(prob, Tsit5(), rtol=1e-8, atol=1e-8)
    _row("first solve (compile or load, and f)", f"{time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    for _ in range(20):
        solve(prob, Tsit5(), rtol=1e-8, atol=1e-8)
    compiled = (time.perf_counter() - start) / 20
    start = time.perf_counter()
    generic = solve(prob, Tsit5(), rtol=1e-8, atol=1e-8, compile=False)
    interpreted = time.perf_counter() - start
    _row("steps compiled / generic", f"{fast.stats.naccept} / {generic.stats.naccept}, "
         f"largest difference {float(np.max(np.abs(fast.u - generic.u))):.1e}")
    _row("one solve compiled / generic", f"{compiled * 1e6:.0f} µs / {interpreted * 1e3:.1f} ms")

    def lorenz(u, p, t):
        s, r, b = p
        return np.array([s * (u[1] - u[0]), u[0] * (r - u[2]) - u[1], u[0] * u[1] - b * u[2]])

    start = time.perf_counter()
    other = solve(ODEProblem(lorenz, np.array([1.0, 0.0, 0.0]), (0.0, 10.0),
                             np.array([10.0, 28.0, 8.0 / 3.0])), g.Vern9(), rtol=1e-8, atol=1e-8)
    _row("another problem (parameters, method)", f"{time.perf_counter() - start:.2f} s, "
         f"{other.stats.naccept} steps: only its f compiles (once: then cached on disk)")

    def robertson(u, p, t):
        k1, k2, k3 = p
        return np.array([-k1 * u[0] + k3 * u[1] * u[2],
                         k1 * u[0] - k2 * u[1] ** 2 - k3 * u[1] * u[2], k2 * u[1] ** 2])

    stiff = ODEProblem(robertson, np.array([1.0, 0.0, 0.0]), (0.0, 1e5), (0.04, 3e7, 1e4))
    for alg in (g.Rodas5(), g.TRBDF2()):  # the stiff methods: one compile per family
        solve(stiff, alg, rtol=1e-6, atol=1e-12)  # compile or load
        steps, ms = [], []
        for path in (None, False):
            start = time.perf_counter()
            steps.append(solve(stiff, alg, rtol=1e-6, atol=1e-12, compile=path).stats.naccept)
            ms.append((time.perf_counter() - start) * 1e3)
        _row(f"Robertson, {alg!r} compiled / generic",
             f"{steps[0]} / {steps[1]} steps, {ms[0]:.1f} / {ms[1]:.0f} ms")
    rates = np.array([1.5, 1.0, 3.0, 1.0]) * (
        1 + 0.1 * np.random.default_rng(0).standard_normal((10_000, 4)))
    ens = g.EnsembleProblem(prob, ps=rates)
    start = time.perf_counter()
    solve(g.EnsembleProblem(prob, ps=rates[:2]), Tsit5(), rtol=1e-6, atol=1e-6, saveat=1.0)
    _row("first ensemble (compile or load)", f"{time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    sol = solve(ens, Tsit5(), rtol=1e-6, atol=1e-6, saveat=1.0)
    seconds = time.perf_counter() - start
    _row(f"10^4 trajectories, {sol.mode}", f"{seconds:.2f} s, "
         f"{seconds / len(sol) * 1e6:.0f} µs per trajectory, {len(sol.failures)} failed")


def load_later_sections() -> None:
    """Register the sections kept one module each in :mod:`generic.tours`."""
    import importlib
    import pkgutil

    from . import tours

    for module in sorted(m.name for m in pkgutil.iter_modules(tours.__path__)):
        importlib.import_module(f"{tours.__name__}.{module}")


def run(names: list[str] | None = None) -> None:
    """Run the named sections (all but the on-request ones by default)."""
    load_later_sections()
    chosen = names or [n for n in SECTIONS if n not in ON_REQUEST]
    unknown = [n for n in chosen if n not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown tour section(s) {unknown}; choose from {list(SECTIONS)}")
    for name in chosen:
        print(f"\n== {name} " + "=" * (60 - len(name)))
        SECTIONS[name]()
