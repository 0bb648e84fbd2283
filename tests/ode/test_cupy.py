"""CuPy states on a GPU, solved by the same generic solvers (no GPU-specific solver code).

Skips unless ``cupy`` imports and sees a CUDA device. ``tests/ode/test_array_api_devices.py``
checks the same properties without a GPU (array_api_strict's fake devices); these tests check
them on the real thing: the solution, saved values and dense output are CuPy arrays on the
state's device, explicit and stiff methods agree with the NumPy solve, float32 stays float32,
and the 2-D reaction–diffusion example runs.
"""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pytest

cupy = pytest.importorskip("cupy")
try:
    _DEVICES = cupy.cuda.runtime.getDeviceCount()
except Exception:  # noqa: BLE001 - no driver or no device: CUDARuntimeError and friends
    _DEVICES = 0
if _DEVICES < 1:
    pytest.skip("no CUDA device", allow_module_level=True)

from array_problems import lotka_volterra, ns, robertson  # noqa: E402, F401

import generic as g  # noqa: E402

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "reaction_diffusion_2d.py"


def on_gpu(sol, u0, times):
    assert isinstance(sol.u, cupy.ndarray) and sol.u.device == u0.device
    dense = sol(times)
    assert isinstance(dense, cupy.ndarray) and dense.device == u0.device
    assert isinstance(sol(float(times[1])), cupy.ndarray)
    return dense


def test_tsit5_matches_numpy():
    """The same arithmetic on both; CuPy's kernels may fuse a·b + c into one rounding (FMA)
    where NumPy rounds twice, so states differ by ulps, and a step size by as much (or a
    decision flips and the solutions differ by the tolerance's order): 1e-7 is 10 × rtol,
    far above rounding and below any real error (Tsit5's own is ~1e-8 here)."""
    times = np.linspace(0.0, 5.0, 6)
    u0 = cupy.asarray([1.0, 1.0])
    sol = g.solve(g.ODEProblem(lotka_volterra, u0, (0.0, 5.0)), g.Tsit5(), rtol=1e-8,
                  atol=1e-10, saveat=0.5, dense=True)
    ref = g.solve(g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 5.0)), g.Tsit5(),
                  rtol=1e-8, atol=1e-10, saveat=0.5, dense=True)
    assert sol.retcode == "Success"
    dense = on_gpu(sol, u0, times)
    np.testing.assert_array_equal(sol.t, ref.t)
    np.testing.assert_allclose(cupy.asnumpy(sol.u), ref.u, rtol=1e-7, atol=0)
    np.testing.assert_allclose(cupy.asnumpy(dense), ref(times), rtol=1e-7, atol=0)


@pytest.mark.parametrize("jac", [False, True], ids=["differenced", "jac"])
def test_rodas5_matches_numpy(jac):
    """Robertson with Rodas5: the linear solves are cuSOLVER's (the namespace's
    ``linalg.solve``), the Jacobian forward differences on the GPU (or the user's ``jac=``,
    written with the state's namespace). Differences: NumPy's Jacobian is exact (duals), a
    difference is off by ~sqrt(eps) relative, which moves the steps; both solves are within
    their tolerance of the truth, so they agree to a few tolerances relative to each
    component (y2 is ~1e-5): 1e-4 against rtol 1e-6 (measured ~5e-7 on the CPU stand-in)."""
    def robertson_jac(u, p, t):
        s, (y1, y2, y3) = ns(u), (u[0], u[1], u[2])
        zero = 0 * y1
        return s.stack([s.stack([zero - 0.04, 1e4 * y3, 1e4 * y2]),
                        s.stack([zero + 0.04, -1e4 * y3 - 6e7 * y2, -1e4 * y2]),
                        s.stack([zero, 6e7 * y2, zero])])

    alg = g.Rodas5(jac=robertson_jac) if jac else g.Rodas5()
    times = np.linspace(0.0, 10.0, 5)
    u0 = cupy.asarray([1.0, 0.0, 0.0])
    sol = g.solve(g.ODEProblem(robertson, u0, (0.0, 10.0)), alg, rtol=1e-6, atol=1e-10,
                  saveat=1.0, dense=True)
    ref = g.solve(g.ODEProblem(robertson, np.array([1.0, 0.0, 0.0]), (0.0, 10.0)), alg,
                  rtol=1e-6, atol=1e-10, saveat=1.0, dense=True)
    assert sol.retcode == "Success"
    dense = on_gpu(sol, u0, times)
    scale = np.max(np.abs(ref.u), axis=0)
    assert np.max(np.abs(cupy.asnumpy(sol.u) - ref.u) / scale) < 1e-4
    assert np.max(np.abs(cupy.asnumpy(dense) - ref(times)) / scale) < 1e-4
    assert abs(float(cupy.sum(sol.u[-1, ...])) - 1.0) < 1e-8  # mass is conserved (linear)


def prothero_robinson(u, p, t):
    """u' = -200 (u - φ(t)) + φ'(t), φ = (cos t, sin t): stiff, non-autonomous, u = φ."""
    phi = ns(u).stack([0 * u[0] + g.cos(t), 0 * u[1] + g.sin(t)])
    dphi = ns(u).stack([0 * u[0] - g.sin(t), 0 * u[1] + g.cos(t)])
    return -200.0 * (u - phi) + dphi


@pytest.mark.parametrize("make", [g.Rosenbrock23, g.Rodas5, g.ImplicitEuler, g.TRBDF2],
                         ids=lambda a: a.__name__)
def test_float32_stays_float32(make):
    """The differenced Jacobian, W and cuSOLVER's solves in float32: every stage, the saved
    values and the dense output stay float32, within 2 (atol + rtol) of the exact φ(t) (the
    same bound as the array_api_strict test; λ = 200 damps earlier errors)."""
    u0 = cupy.asarray([1.0, 0.0], dtype=cupy.float32)
    sol = g.solve(g.ODEProblem(prothero_robinson, u0, (0.0, 1.0)), make(), rtol=1e-4,
                  atol=1e-5, saveat=0.25, dense=True)
    assert sol.retcode == "Success"
    assert sol.u.dtype == cupy.float32 and sol(0.4).dtype == cupy.float32
    exact = np.stack([np.cos(sol.t), np.sin(sol.t)], axis=1)
    assert np.max(np.abs(cupy.asnumpy(sol.u) - exact)) < 2 * (1e-5 + 1e-4)


def _example():
    spec = importlib.util.spec_from_file_location("reaction_diffusion_2d", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reaction_diffusion_2d_runs_on_the_gpu():
    """The example's Gray–Scott problem (one right-hand side for every backend) on a 128×128
    grid: the state stays a CuPy array, and the end state matches the NumPy solve (same
    arithmetic but for FMA rounding; 1e-6 is the tolerance)."""
    rd = _example()
    sol = rd.solve(128, "cupy", tf=50.0)
    ref = rd.solve(128, "numpy", tf=50.0)
    assert sol.retcode == "Success" and isinstance(sol.u, cupy.ndarray)
    assert sol.u.shape == (1, 2, 128, 128)
    np.testing.assert_allclose(cupy.asnumpy(sol.u[-1, ...]), ref.u[-1], rtol=0, atol=1e-6)
