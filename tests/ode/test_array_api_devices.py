"""Array API states on a device that is not the default one, solved by the generic solvers.

``array_api_strict`` has fake devices: arrays on ``Device("device1")`` cannot be mixed with
arrays on the default device, nor turned into NumPy arrays (``__array__`` raises), so a solver
that made an array on the default device, or went through NumPy, fails here as it would with a
CuPy state on a GPU. The tests check that explicit and stiff methods (Rosenbrock23, Rodas5,
ImplicitEuler, TRBDF2) keep the state, the saved values and the dense output on ``device1``,
agree with the NumPy solve of the same problem, bring back to the host only the error norm of
each tried step (and Newton's correction norms), and keep float32.
"""

from __future__ import annotations

import math
from collections import Counter

import array_api_strict as xp
import numpy as np
import pytest
from array_problems import lotka_volterra, ns, robertson

import generic as g
from generic.functions import state_jacobian, time_derivative

DEVICE = xp.Device("device1")
XArray = type(xp.asarray(0.0))


def on_device(values, dtype=None):
    return xp.asarray(values, dtype=dtype, device=DEVICE)


def host(x) -> np.ndarray:
    """A device1 array as NumPy (through the default device: the test's own transfer)."""
    return np.asarray(x.to_device(xp.Device("CPU_DEVICE")))


# --------------------------------------------------------------------------- problems


def robertson_jac(u, p, t):
    s, (y1, y2, y3) = ns(u), (u[0], u[1], u[2])
    zero = 0 * y1
    return s.stack([s.stack([zero - 0.04, 1e4 * y3, 1e4 * y2]),
                    s.stack([zero + 0.04, -1e4 * y3 - 6e7 * y2, -1e4 * y2]),
                    s.stack([zero, 6e7 * y2, zero])])


LAMBDA = 200.0


def prothero_robinson(u, p, t):
    """u' = -λ (u - φ(t)) + φ'(t) with φ = (cos t, sin t): stiff, non-autonomous, and
    u(t) = φ(t) exactly from u(0) = φ(0)."""
    phi = ns(u).stack([0 * u[0] + g.cos(t), 0 * u[1] + g.sin(t)])
    dphi = ns(u).stack([0 * u[0] - g.sin(t), 0 * u[1] + g.cos(t)])
    return -LAMBDA * (u - phi) + dphi


def assert_on_device(sol, times):
    assert isinstance(sol.u, XArray) and sol.u.device == DEVICE
    assert sol(times[1]).device == DEVICE
    dense = sol(times)
    assert isinstance(dense, XArray) and dense.device == DEVICE
    assert dense.shape == (len(times),) + tuple(sol.u.shape[1:])


# --------------------------------------------------------------------------- (a) device1


def test_explicit_method_on_device1_matches_numpy():
    """Tsit5 with saveat and dense output. The arithmetic is the same on both backends but
    for how the stage sums are reduced (NumPy in one call, the array API term by term): at
    most a few ulps per step. The steps come out the same (asserted), so the solutions agree
    to round-off."""
    times = np.linspace(0.0, 4.0, 7)
    sols = [g.solve(g.ODEProblem(lotka_volterra, u0, (0.0, 4.0)), g.Tsit5(), rtol=1e-7,
                    atol=1e-9, saveat=0.5, dense=True)
            for u0 in (on_device([1.0, 1.0]), np.array([1.0, 1.0]))]
    on1, numpy = sols
    assert on1.retcode == numpy.retcode == "Success"
    assert_on_device(on1, times)
    assert on1.stats == numpy.stats
    np.testing.assert_array_equal(on1.t, numpy.t)
    np.testing.assert_allclose(host(on1.u), numpy.u, rtol=1e-12, atol=0)
    np.testing.assert_allclose(host(on1(times)), numpy(times), rtol=1e-12, atol=0)


@pytest.mark.parametrize("make", [g.Rosenbrock23, g.Rodas5], ids=lambda a: a.__name__)
def test_rosenbrock_on_device1_matches_numpy(make):
    """Robertson with the analytic Jacobian (``jac=``, written with the state's namespace, so
    it is made on device1). Both backends then do the same arithmetic: the same J; ∂f/∂t is
    exactly 0 on both (a dual in t on NumPy, a difference of two identical evaluations on the
    device); the linear solves are LAPACK's LU on both (numpy.linalg.solve under
    array_api_strict, SciPy's getrf/getrs on NumPy). The steps are the same (asserted) and
    the solutions agree to round-off."""
    times = np.linspace(0.0, 2.0, 5)
    sols = [g.solve(g.ODEProblem(robertson, u0, (0.0, 2.0)), make(jac=robertson_jac),
                    rtol=1e-5, atol=1e-9, saveat=0.25, dense=True)
            for u0 in (on_device([1.0, 0.0, 0.0]), np.array([1.0, 0.0, 0.0]))]
    on1, numpy = sols
    assert on1.retcode == numpy.retcode == "Success"
    assert_on_device(on1, times)
    assert (on1.stats.naccept, on1.stats.nreject) == (numpy.stats.naccept, numpy.stats.nreject)
    # relative to each component's size: y2 is ~1e-5
    scale = np.max(np.abs(numpy.u), axis=0)
    assert np.max(np.abs(host(on1.u) - numpy.u) / scale) < 1e-12
    assert np.max(np.abs(host(on1(times)) - numpy(times)) / scale) < 1e-12


@pytest.mark.parametrize("make", [g.Rosenbrock23, g.Rodas5, g.ImplicitEuler, g.TRBDF2],
                         ids=lambda a: a.__name__)
def test_stiff_methods_with_differenced_jacobian_on_device1(make):
    """No ``jac=``: the Jacobian and ∂f/∂t (the problem is non-autonomous) are forward
    differences computed on device1, where NumPy differentiates exactly with duals. f is
    linear in u, so the differenced J is off by rounding only, eps·|f|/h ≈ 1e-8 relative
    (h = sqrt(eps)); ∂f/∂t by h·|φ''|/2 ≈ 1e-8. The steps stay the same (asserted) and the
    solutions agree to 1e-8 of the O(1) solution. Both are within 2 (atol + rtol) of the
    exact φ(t): λ = 200 damps earlier errors, so the global error is about a local one."""
    times = np.linspace(0.0, 1.0, 5)
    rtol = atol = 1e-5
    sols = [g.solve(g.ODEProblem(prothero_robinson, u0, (0.0, 1.0)), make(), rtol=rtol,
                    atol=atol, saveat=0.25, dense=True)
            for u0 in (on_device([1.0, 0.0]), np.array([1.0, 0.0]))]
    on1, numpy = sols
    assert on1.retcode == numpy.retcode == "Success"
    assert_on_device(on1, times)
    assert (on1.stats.naccept, on1.stats.nreject) == (numpy.stats.naccept, numpy.stats.nreject)
    np.testing.assert_allclose(host(on1.u), numpy.u, rtol=0, atol=1e-8)
    np.testing.assert_allclose(host(on1(times)), numpy(times), rtol=0, atol=1e-8)
    exact = np.stack([np.cos(on1.t), np.sin(on1.t)], axis=1)
    assert np.max(np.abs(host(on1.u) - exact)) < 2 * (atol + rtol)


def test_differenced_jacobian_is_the_forward_difference():
    """Robertson is quadratic, so a forward difference with step h_j along u_j is exact up to
    (h_j / 2) ∂²f/∂u_j²: only column 1 (∂²/∂y2² of 3e7 y2² is 6e7) differs from the
    analytic Jacobian, by (h/2)·(0, -6e7, 6e7) with h = sqrt(eps) (|y2| < 1), to rounding
    (eps·|f| / h ≈ 1e-8 relative to the step)."""
    u = [0.9, 3e-5, 0.1]
    J = state_jacobian(lambda v: robertson(v, None, 0.0), on_device(u))
    assert isinstance(J, XArray) and J.device == DEVICE and J.shape == (3, 3)
    exact = robertson_jac(np.array(u), None, 0.0)
    h = math.sqrt(np.finfo(float).eps)
    expected = exact + np.array([[0.0, 0.0, 0.0], [0.0, -3e7 * h, 0.0], [0.0, 3e7 * h, 0.0]])
    np.testing.assert_allclose(host(J), expected, rtol=0, atol=1e-6)
    assert np.max(np.abs(host(J) - exact)) > 0.4  # the truncation term is there: differences


def test_differenced_scalar_and_time_derivatives():
    """A 0-d state gives a 0-d Jacobian; ∂f/∂t by a forward difference, to sqrt(eps)."""
    x = on_device(2.0)
    d = state_jacobian(lambda v: v**3, x)
    assert d.shape == () and d.device == DEVICE
    assert abs(float(d) - 12.0) < 1e-6  # 12 + 3·2·h with h = 2 sqrt(eps): 3e-7
    dt = time_derivative(lambda s: on_device([1.0, 2.0]) * math.sin(s), 0.5, on_device([0.0, 0.0]))
    assert dt.device == DEVICE
    np.testing.assert_allclose(host(dt), np.array([1.0, 2.0]) * math.cos(0.5), rtol=1e-7)


# --------------------------------------------------------------------------- (b) transfers


@pytest.fixture
def transfers(monkeypatch):
    """Counts of every way an array_api_strict array reaches the host."""
    counts = Counter()
    for name in ("__float__", "__bool__", "__int__", "__index__", "__complex__", "__array__",
                 "__dlpack__", "to_device"):
        original = getattr(XArray, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(XArray, name, counted)
    return counts


def _counts(integ) -> tuple[int, int]:
    """(tried steps, Newton iterations) so far."""
    newton = getattr(integ.cache, "stats", None)
    return integ.naccept + integ.nreject, newton.nnewton if newton is not None else 0


@pytest.mark.parametrize("alg, per_try", [
    (g.Tsit5(), 1), (g.DP8(), 2), (g.Rosenbrock23(), 1), (g.Rodas5(), 1),
    (g.ImplicitEuler(), 1), (g.TRBDF2(), 1),
], ids=lambda a: a.name if hasattr(a, "name") else str(a))
def test_floats_per_tried_step(alg, per_try, transfers):
    """Step by step, the only transfers to the host are floats: the error norm of each tried
    step (DP8: two, its 5th- and 3rd-order estimates) and, for the implicit methods, the norm
    of each Newton correction; exactly that many. No bool: an adaptive step to a non-finite
    state fails its error norm (nan), so there is no separate finiteness test. The Jacobian
    (differences), the linear solves, saving at saveat times and dense output stay on the
    device."""
    integ = g.init(g.ODEProblem(prothero_robinson, on_device([1.0, 0.0]), (0.0, 0.5)), alg,
                   rtol=1e-5, atol=1e-7, saveat=0.1, dense=True)
    transfers.clear()
    for _ in range(10):
        before, (tries, newton) = transfers["__float__"], _counts(integ)
        running = integ.step()
        tries_now, newton_now = _counts(integ)
        assert tries_now > tries
        assert transfers["__float__"] - before == per_try * (tries_now - tries) \
            + (newton_now - newton)
        if not running:
            break
    assert set(transfers) == {"__float__"}, dict(transfers)
    sol = integ.solve()
    transfers.clear()
    sol(np.linspace(0.0, 0.5, 4))
    assert not transfers, dict(transfers)


def test_fixed_steps_check_finiteness_once_per_step(transfers):
    """Without an error estimate the finiteness test is the one transfer: a bool per step."""
    integ = g.init(g.ODEProblem(lotka_volterra, on_device([1.0, 1.0]), (0.0, 1.0)), g.RK4(),
                   dt=0.1)
    transfers.clear()
    integ.solve()
    assert dict(transfers) == {"__bool__": integ.naccept}


def test_non_finite_state_is_unstable_on_the_device():
    """The folded finiteness test: f is nan beyond u = 3, every step into it has a nan error
    norm and is rejected, and the solve ends "Unstable" at u = 3 (t = ln 3)."""
    def f(u, p, t):
        return ns(u).where(u > 3.0, ns(u).full_like(u, math.nan), u)

    sol = g.solve(g.ODEProblem(f, on_device([1.0]), (0.0, 5.0)), g.Tsit5())
    assert sol.retcode == "Unstable" and "nan or inf" in sol.message
    assert abs(sol.t[-1] - math.log(3)) < 1e-3  # rtol 1e-3
    assert bool(xp.all(xp.isfinite(sol.u)))


# --------------------------------------------------------------------------- (c) float32


@pytest.mark.parametrize("make", [g.Rosenbrock23, g.Rodas5, g.ImplicitEuler, g.TRBDF2],
                         ids=lambda a: a.__name__)
def test_float32_stays_float32_in_stiff_methods(make):
    """The differenced Jacobian, I - γhJ (``identity_like``: J's dtype and device) and the
    solves are float32, so the state stays float32 in every stage, the saved values and the
    dense output. Accuracy: the differenced J is off by eps32·|f|/h ≈ sqrt(eps32) ≈ 3e-4
    relative (W-method-like, first order in that error), float32 rounds at 6e-8; the
    solution stays within 2 (atol + rtol) of φ(t), as the float64 solves do."""
    u0 = on_device([1.0, 0.0], dtype=xp.float32)
    sol = g.solve(g.ODEProblem(prothero_robinson, u0, (0.0, 1.0)), make(), rtol=1e-4,
                  atol=1e-5, saveat=0.25, dense=True)
    assert sol.retcode == "Success"
    assert sol.u.dtype == xp.float32 and sol.u.device == DEVICE
    assert sol(0.4).dtype == xp.float32 and sol(0.4).device == DEVICE
    exact = np.stack([np.cos(sol.t), np.sin(sol.t)], axis=1)
    assert np.max(np.abs(host(sol.u) - exact)) < 2 * (1e-5 + 1e-4)


@pytest.mark.parametrize("make", [g.Rosenbrock23, g.Rodas5, g.ImplicitEuler, g.TRBDF2],
                         ids=lambda a: a.__name__)
def test_numpy_float32_stays_float32_in_stiff_methods(make):
    """The same for NumPy float32 (exact dual Jacobian, float32 LAPACK)."""
    sol = g.solve(g.ODEProblem(prothero_robinson, np.array([1.0, 0.0], dtype=np.float32),
                               (0.0, 1.0)), make(), rtol=1e-4, atol=1e-5)
    assert sol.retcode == "Success"
    assert sol.u.dtype == np.float32 and sol(0.4).dtype == np.float32
