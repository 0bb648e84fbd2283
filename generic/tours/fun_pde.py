"""Tour section "spectral": a PDE on a Fourier Fun, solved by g.KenCarp4, beside a SciPy
method of lines (docs/fun.md, "PDE stories")."""

from __future__ import annotations

from ..tour import _row, section


@section("spectral")
def _spectral() -> None:
    """Viscous Burgers on a Fourier Fun: the PDE written on Funs, IMEX in time, chopped in space."""
    import time

    import numpy as np
    from scipy.integrate import solve_ivp

    import generic as g

    print("Viscous Burgers u_t = 0.1 u_xx - u u_x on [0, 2π), u0 = sin x, to t = 2: the state is")
    print("a Fourier Fun, L = lambda u: 0.1 * u.diff(2), N = lambda u, p, t: -u * u.diff():")
    nu, tf, n = 0.1, 2.0, 256
    u0 = g.Fun(np.sin, g.Fourier(0, 2 * np.pi))
    prob = g.SplitODEProblem(lambda u: nu * u.diff(2), lambda u, p, t: -u * u.diff(), u0,
                             (0.0, tf))
    start = time.perf_counter()
    sol = g.solve(prob, g.KenCarp4(), rtol=1e-6, atol=1e-8)
    ours = time.perf_counter() - start

    x = 2 * np.pi * np.arange(n) / n  # the reference: 256-point pseudo-spectral, DOP853
    k = np.fft.rfftfreq(n, d=1.0 / n)
    k_odd = np.where(np.arange(len(k)) == len(k) - 1, 0.0, k)

    def rhs(t, u):
        v = np.fft.rfft(u)
        return np.fft.irfft(-nu * k * k * v, n) - u * np.fft.irfft(1j * k_odd * v, n)

    start = time.perf_counter()
    ref = solve_ivp(rhs, (0.0, tf), np.sin(x), method="DOP853", rtol=1e-12, atol=1e-12)
    theirs = time.perf_counter() - start
    error = np.max(np.abs(sol.u[-1](x) - ref.y[:, -1]))
    _row("max |u_Fun - u_SciPy| at t = 2", f"{error:.1e}", "rtol 1e-6: a few 1e-6")
    _row("time: KenCarp4 on the Fun / SciPy", f"{ours:.2f} s / {theirs:.2f} s",
         f"{sol.stats.naccept} steps / {ref.t.size - 1} steps")
    lengths = [len(u) for u in sol.u]
    picks = np.linspace(0, len(lengths) - 1, 5).astype(int)
    _row("coefficients at t = " + ", ".join(f"{sol.t[i]:.2g}" for i in picks),
         [lengths[i] for i in picks], "grows as the front steepens, then stays")
