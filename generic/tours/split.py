"""Tour section "split": u' = L u + N(u) with ETDRK4 and KenCarp4 (docs/split-ode.md)."""

from __future__ import annotations

from ..tour import _row, section


@section("split")
def _split() -> None:
    """Split problems: the stiff linear part exactly (ETDRK4) or implicitly (KenCarp4)."""
    import mpmath
    import numpy as np

    import generic as g

    print("KdV soliton u_t = -u u_x - u_xxx, pseudo-spectral on [-π, π] (256 modes, state = rfft;")
    print("L = i k³ is diagonal there, |L| up to 2e6), height 3·16², speed 256, to t = 0.005:")
    n, c, T = 256, 256.0, 0.005
    x = -np.pi + 2 * np.pi * np.arange(n) / n
    k = np.fft.rfftfreq(n, d=1.0 / n)
    k[-1] = 0.0

    def soliton(t):
        return 3 * c / np.cosh(np.sqrt(c) * (x + 1 - c * t) / 2) ** 2

    def N(v, p, t):
        return -0.5j * k * np.fft.rfft(np.fft.irfft(v, n) ** 2)

    prob = g.SplitODEProblem(1j * k**3, N, np.fft.rfft(soliton(0.0)), (0.0, T))
    for alg, options in ((g.ETDRK4(), dict(dt=1e-5)), (g.KenCarp4(), dict(rtol=1e-3, atol=0.1))):
        sol = g.solve(prob, alg, saveat=[T], **options)
        error = np.max(np.abs(np.fft.irfft(sol.u[-1], n) - soliton(T))) / (3 * c)
        _row(f"{alg!r} {options}", f"{sol.stats.naccept} steps, max error {error:.1e} of the "
             f"height", "the travelling sech²")

    print("Stiff Bernoulli u' = λu + u², λ = -1 .. -1000, to t = 10 (closed form 1/u linear):")
    lam = np.array([-1.0, -10.0, -100.0, -1000.0])
    decay = np.exp(lam * 10.0)  # u0 = 1/2: u = a u0 e^{-at} / (a - u0 (1 - e^{-at})), a = -λ
    exact = -lam * 0.5 * decay / (-lam - 0.5 * (1 - decay))
    prob = g.SplitODEProblem(lam, lambda u, p, t: u * u, np.full(4, 0.5), (0.0, 10.0))
    for alg in (g.KenCarp4(), g.Tsit5()):
        sol = g.solve(prob, alg, rtol=1e-6, atol=1e-8)
        _row(f"{alg!r}, rtol 1e-6", f"{sol.stats.naccept} steps, max error "
             f"{np.max(np.abs(sol.u[-1] - exact)):.1e}")

    print("30 digits: ETDRK4 is exact for u' = λu + c (its weights are φ functions, computed")
    print("as contour means in the state's precision):")
    with mpmath.workdps(30):
        lam_mp, c_mp = mpmath.mpf(-50), mpmath.mpf(1) / 7
        prob = g.SplitODEProblem(lam_mp, lambda u, p, t: c_mp, mpmath.mpf(1),
                                 (mpmath.mpf(0), mpmath.mpf(1)))
        u = g.solve(prob, g.ETDRK4(), dt=mpmath.mpf(1) / 4).u[-1]
        reference = mpmath.exp(lam_mp) + c_mp * mpmath.expm1(lam_mp) / lam_mp
        _row("ETDRK4, 4 steps, λ = -50, c = 1/7", mpmath.nstr(u, 30),
             f"closed form, difference {mpmath.nstr(abs(u - reference), 2)}")
