"""Ensembles: serial (any number type), compiled threads, one batched array problem, Dask.

References are closed forms (exponential decay per trajectory), the serial generic solves
(the compiled ensemble runs the same stepping source and must give the same bits), and
NumPy's own statistics of the closed forms.
"""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generic as g
from generic.ode.fast import FastPathError


def decay(u, p, t):
    return -p * u


def decay_vector(u, p, t):
    return -p[0] * u


def lotka_volterra(u, p, t):
    x, y = u
    a, b, c, d = p
    return np.array([a * x - b * x * y, -c * y + d * x * y])


RATES = np.linspace(0.1, 10.0, 12)
TIMES = np.linspace(0.0, 2.0, 9)
LV = g.ODEProblem(lotka_volterra, np.array([1.0, 1.0]), (0.0, 10.0), (1.5, 1.0, 3.0, 1.0))
LV_PARAMETERS = np.array([1.5, 1.0, 3.0, 1.0]) * (
    1 + 0.1 * np.random.default_rng(1).standard_normal((16, 4)))


def test_serial_matches_the_closed_form():
    """u' = -k u, u(0) = 1: u(t) = exp(-k t). rtol 1e-9 on the solve; 1e-7 leaves the
    global error (tens of local errors) its room."""
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 2.0)), ps=RATES)
    sol = g.solve(ens, g.Tsit5(), rtol=1e-9, atol=1e-12, saveat=TIMES)
    assert sol.success and len(sol) == len(RATES)
    assert sol.u.shape == (len(RATES), len(TIMES))
    np.testing.assert_array_equal(sol.t, TIMES)
    np.testing.assert_allclose(sol.u, np.exp(-np.outer(RATES, TIMES)), rtol=1e-7, atol=1e-12)
    assert sol[3].retcode == "Success"
    np.testing.assert_allclose(sol[3].u, np.exp(-RATES[3] * TIMES), rtol=1e-7)


def test_default_saves_the_two_ends():
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 2.0)), ps=RATES[:3])
    sol = g.solve(ens, g.Tsit5(), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(sol.t, [0.0, 2.0])
    np.testing.assert_allclose(sol.u_end, np.exp(-2 * RATES[:3]), rtol=1e-7)


def test_threads_give_the_serial_bits():
    """The compiled ensemble runs the same stepping source as the generic path: the same
    steps, the same saved values, bit for bit (see test_fast_path for why bits agree)."""
    ens = g.EnsembleProblem(LV, ps=LV_PARAMETERS)
    serial = g.solve(ens, g.Tsit5(), rtol=1e-8, atol=1e-8, saveat=1.0, compile=False)
    threads = g.solve(ens, g.Tsit5(), rtol=1e-8, atol=1e-8, saveat=1.0, compile=True)
    assert threads.mode == "threads" and serial.mode == "serial"
    np.testing.assert_array_equal(threads.t, serial.t)
    np.testing.assert_array_equal(threads.u, serial.u)
    assert [s.stats for s in threads] == [s.stats for s in serial]
    assert threads.retcodes == serial.retcodes == ["Success"] * len(LV_PARAMETERS)


def test_threads_with_prob_func_and_scalar_state():
    def prob_func(prob, i):
        return g.ODEProblem(prob.f_user, 1.0 + i, prob.tspan, prob.p)

    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 1.0), 0.7), prob_func=prob_func)
    sol = g.solve(ens, g.Tsit5(), rtol=1e-10, atol=1e-12, saveat=TIMES[:5], trajectories=6,
                  ensemble=g.EnsembleThreads())
    expected = np.outer(1.0 + np.arange(6), np.exp(-0.7 * TIMES[:5]))
    np.testing.assert_allclose(sol.u, expected, rtol=1e-8)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.floats(0.05, 20.0), min_size=1, max_size=6))
def test_threads_equal_serial_for_any_rates(rates):
    ens = g.EnsembleProblem(g.ODEProblem(decay_vector, np.array([1.0, 2.0]), (0.0, 1.0)),
                            ps=np.asarray(rates)[:, None])
    serial = g.solve(ens, g.DP5(), rtol=1e-7, atol=1e-9, saveat=0.25, compile=False)
    threads = g.solve(ens, g.DP5(), rtol=1e-7, atol=1e-9, saveat=0.25, compile=True)
    np.testing.assert_array_equal(threads.u, serial.u)


def test_batched_keeps_every_trajectory_within_tolerance():
    """One shared step, accepted when every trajectory's own error passes: the fastest
    decays (k = 10) set the step, and each trajectory's error is at most a few rtol.
    The bound 20 rtol is the serial solves' own worst error (measured ~3 rtol) with room."""
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 2.0)), ps=RATES)
    batched = g.solve(ens, g.Tsit5(), rtol=1e-6, atol=1e-12, saveat=TIMES,
                      ensemble=g.EnsembleBatched())
    assert batched.mode == "batched" and isinstance(batched.u, np.ndarray)
    assert type(batched.u) is np.ndarray  # the batch's own subclass does not leak out
    exact = np.exp(-np.outer(RATES, TIMES))
    relative = np.abs(batched.u - exact) / exact
    assert relative.max() < 20 * 1e-6
    serial = g.solve(ens, g.Tsit5(), rtol=1e-6, atol=1e-12, saveat=TIMES, compile=False)
    assert batched.stats.naccept >= max(s.stats.naccept for s in serial)


def test_batched_norm_is_the_worst_trajectory():
    from generic.ode.ensemble.batched import batch_class

    x = np.array([[3.0, 0.0, 1.0], [4.0, 0.0, 1.0]]).view(batch_class(np.ndarray))
    assert g.norm(x) == pytest.approx(math.sqrt(12.5))  # trajectory 0: rms(3, 4)


def test_batched_parameters_arrive_as_rows_over_trajectories():
    ens = g.EnsembleProblem(LV, ps=LV_PARAMETERS)
    batched = g.solve(ens, g.Vern7(), rtol=1e-10, atol=1e-10, saveat=1.0,
                      ensemble=g.EnsembleBatched())
    serial = g.solve(ens, g.Vern7(), rtol=1e-10, atol=1e-10, saveat=1.0)
    # both within their tolerance of the truth: 1e-7 covers the global error of each
    np.testing.assert_allclose(batched.u, serial.u, rtol=1e-7, atol=1e-9)


def test_statistics_over_trajectories():
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 2.0)), ps=RATES)
    sol = g.solve(ens, g.Vern9(), rtol=1e-12, atol=1e-14, saveat=TIMES)
    exact = np.exp(-np.outer(RATES, TIMES))
    np.testing.assert_allclose(sol.mean(), exact.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(sol.var(), exact.var(axis=0, ddof=1), rtol=1e-8, atol=1e-15)
    np.testing.assert_allclose(sol.quantile(0.5), np.quantile(exact, 0.5, axis=0), rtol=1e-9)


def blow_up(u, p, t):
    return p * u * u


@pytest.mark.parametrize("ensemble", [g.EnsembleSerial(), g.EnsembleThreads()],
                         ids=["serial", "threads"])
def test_a_failing_trajectory_keeps_its_index_and_the_others(ensemble):
    """u' = p u², u(0) = 1 blows up at t = 1/p: p = 2 fails before t = 1, the others
    (u = 1 / (1 - p t)) do not."""
    ps = np.array([0.1, 0.5, 2.0, 0.2])
    ens = g.EnsembleProblem(g.ODEProblem(blow_up, 1.0, (0.0, 1.0)), ps=ps)
    sol = g.solve(ens, g.Tsit5(), rtol=1e-8, atol=1e-10, ensemble=ensemble)
    assert [i for i, _, _ in sol.failures] == [2]
    assert sol.retcodes[2] in ("DtLessThanMin", "Unstable", "MaxIters")
    ok = [0, 1, 3]
    np.testing.assert_allclose(sol.u[ok, -1], 1 / (1 - ps[ok]), rtol=1e-6)
    assert sol.mean()[-1] == pytest.approx(np.mean(1 / (1 - ps[ok])), rel=1e-6)


def test_an_exception_in_one_trajectory_is_its_retcode():
    def prob_func(prob, i):
        if i == 1:
            return g.ODEProblem(lambda u, p, t: math.sqrt(-1.0 - u), 1.0, prob.tspan)
        return prob

    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 1.0), 1.0), prob_func=prob_func)
    sol = g.solve(ens, g.Tsit5(), trajectories=3, compile=False)
    assert sol.retcodes == ["Success", "Error", "Success"]
    assert "ValueError" in sol.failures[0][2]
    # compiled, math.sqrt of a negative is nan (Numba's floating point, no exception): the
    # trajectory still fails, by its retcode, and the others still succeed
    sol = g.solve(ens, g.Tsit5(), trajectories=3)
    assert sol.retcodes[0] == sol.retcodes[2] == "Success" and sol.retcodes[1] != "Success"


def test_an_exception_in_every_trajectory_is_raised():
    ens = g.EnsembleProblem(g.ODEProblem(lambda u, p, t: math.sqrt(-1.0 - u), 1.0, (0.0, 1.0)))
    with pytest.raises(ValueError, match="math domain"):
        g.solve(ens, g.Tsit5(), trajectories=2, compile=False)


def test_other_number_types_run_serially():
    """Multiprecision initial values: 30 digits per trajectory against mpmath.exp."""
    with mpmath.workdps(30):
        u0s = [mpmath.mpf(1) / 3, mpmath.mpf(2) / 3]
        ens = g.EnsembleProblem(g.ODEProblem(decay, u0s[0], (mpmath.mpf(0), mpmath.mpf(1)),
                                             mpmath.mpf(1)), u0s=u0s)
        sol = g.solve(ens, g.Vern9(), rtol=mpmath.mpf("1e-25"), atol=mpmath.mpf("1e-28"))
        for u0, trajectory in zip(u0s, sol, strict=True):
            assert abs(trajectory.u[-1] - u0 * mpmath.exp(-1)) < mpmath.mpf("1e-22")


def test_output_func_keeps_its_result():
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 1.0)), ps=RATES[:4],
                            output_func=lambda sol, i: (i, float(sol.u[-1])))
    sol = g.solve(ens, g.Tsit5(), rtol=1e-9, atol=1e-12)
    assert [i for i, _ in sol.outputs] == [0, 1, 2, 3]
    np.testing.assert_allclose([x for _, x in sol.outputs], np.exp(-RATES[:4]), rtol=1e-7)


def test_progress_bar(capsys):
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 1.0)), ps=RATES[:3])
    g.solve(ens, g.Tsit5(), progress=True)
    assert "trajectories" in capsys.readouterr().err
    g.solve(g.ODEProblem(decay, 1.0, (0.0, 1.0), 1.0), g.Tsit5(), progress={"desc": "decay"})
    assert "decay" in capsys.readouterr().err


def test_clear_errors():
    ens = g.EnsembleProblem(g.ODEProblem(decay, 1.0, (0.0, 1.0), 1.0))
    with pytest.raises(ValueError, match="trajectories=N"):
        g.solve(ens, g.Tsit5())
    with pytest.raises(TypeError, match="instance"):
        g.solve(ens, g.Tsit5(), trajectories=2, ensemble=g.EnsembleSerial)
    with pytest.raises(TypeError, match="EnsembleProblem"):
        g.solve(g.ODEProblem(decay, 1.0, (0.0, 1.0), 1.0), g.Tsit5(), trajectories=2)
    with pytest.raises(ValueError, match="has 2 trajectories"):
        g.EnsembleProblem(LV, u0s=[[1.0, 1.0]] * 2, ps=LV_PARAMETERS)
    with pytest.raises(ValueError, match="callbacks"):
        g.solve(ens, g.Tsit5(), trajectories=2, ensemble=g.EnsembleBatched(),
                callback=g.DiscreteCallback(lambda u, t, i: False, lambda i: None))
    with mpmath.workdps(20):
        mp = g.EnsembleProblem(g.ODEProblem(decay, mpmath.mpf(1), (0.0, 1.0), 1.0))
        with pytest.raises(FastPathError, match="float64"):
            g.solve(mp, g.Tsit5(), trajectories=2, compile=True)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_matches_serial_in_order(dask_client):
    ps = np.array([0.1, 0.5, 2.0, 0.2, 0.3, 0.4, 0.7])
    ens = g.EnsembleProblem(g.ODEProblem(blow_up, 1.0, (0.0, 1.0)), ps=ps)
    dask = g.solve(ens, g.Tsit5(), rtol=1e-8, atol=1e-10, saveat=0.25,
                   ensemble=g.EnsembleDask(dask_client, chunksize=2))
    serial = g.solve(ens, g.Tsit5(), rtol=1e-8, atol=1e-10, saveat=0.25)
    assert dask.mode == "dask"
    assert dask.retcodes == serial.retcodes
    assert [i for i, _, _ in dask.failures] == [2]
    np.testing.assert_array_equal(dask.u, serial.u)  # the same solves on other processes


def test_threads_refuse_parameters_of_another_shape():
    """Every trajectory's parameters are flattened into rows of one array: a trajectory whose
    parameters differ in structure from the first's is refused with the reason."""
    ens = g.EnsembleProblem(LV, ps=[(1.5, 1.0, 3.0, 1.0), (1.5, 1.0, 3.0)])
    with pytest.raises(FastPathError, match="not shaped like the first trajectory"):
        g.solve(ens, g.Tsit5(), ensemble=g.EnsembleThreads(), compile=True)
