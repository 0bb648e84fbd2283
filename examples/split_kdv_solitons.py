"""KdV two solitons, pseudo-spectrally: ETDRK4 and KenCarp4 on a split problem u' = L u + N(u).

    python examples/split_kdv_solitons.py

chebfun's ``spin('kdv')`` preset: u_t = -u u_x - u_xxx on [-π, π], a tall fast soliton
(A = 25, height 3A² = 1875, speed A² = 625) starting behind a smaller one (B = 16), n = 512
Fourier modes. The state is the rfft of the grid values; the dispersion is diagonal there,
L = i k³, and the nonlinearity N(û) = -½ i k rfft(u²) is computed on the grid. ETDRK4 applies
e^{hL} exactly; KenCarp4 solves (I - γhL) U = rhs exactly (diagonal) and treats N explicitly.
Both are checked against the exact two-soliton solution (Hirota) after the tall soliton has
passed through the small one, and by the invariants ∫u (mass) and ∫u² (momentum).
See docs/split-ode.md.
"""

from __future__ import annotations

import time

import numpy as np

import generic as g

N_MODES, T_END = 512, 0.005
SPEEDS, CENTRES = (25.0, 16.0), (-2.0, -1.0)


def two_solitons(x: np.ndarray, t: float) -> np.ndarray:
    """u = 12 ∂²_x log(1 + e^η1 + e^η2 + a e^(η1+η2)), η_i = k_i (x - x_i) - k_i³ t, written as
    6 Σ_ab w_a w_b (κ_a - κ_b)² / (Σ w_a)² with the terms scaled by the largest."""
    (k1, k2), (x1, x2) = SPEEDS, CENTRES
    a = ((k1 - k2) / (k1 + k2)) ** 2
    x2 = x2 + np.log(a) / k2  # so that the slower soliton sits at its centre at t = 0
    eta1, eta2 = k1 * (x - x1) - k1**3 * t, k2 * (x - x2) - k2**3 * t
    exponents = np.stack([0 * x, eta1, eta2, eta1 + eta2 + np.log(a)])
    kappa = (0.0, k1, k2, k1 + k2)
    w = np.exp(exponents - exponents.max(axis=0))
    top = sum(w[i] * w[j] * (kappa[i] - kappa[j]) ** 2 for i in range(4) for j in range(4))
    return 6 * top / w.sum(axis=0) ** 2


def main() -> None:
    x = -np.pi + 2 * np.pi * np.arange(N_MODES) / N_MODES
    k = np.fft.rfftfreq(N_MODES, d=1.0 / N_MODES)
    k[-1] = 0.0  # the Nyquist mode of an odd derivative of a real function
    L = 1j * k**3

    def N(v, p, t):
        u = np.fft.irfft(v, N_MODES)
        return -0.5j * k * np.fft.rfft(u * u)

    u0 = two_solitons(x, 0.0)
    prob = g.SplitODEProblem(L, N, np.fft.rfft(u0), (0.0, T_END))
    exact = two_solitons(x, T_END)
    h = 2 * np.pi / N_MODES
    mass0, momentum0 = h * u0.sum(), h * (u0 * u0).sum()
    (A, B) = SPEEDS  # a soliton 3k² sech²(kx/2) has mass 12k and momentum 24k³
    print(f"KdV two solitons, n = {N_MODES}, t = 0 .. {T_END}: mass {mass0:.10f} "
          f"(12(A+B) = {12 * (A + B):g}), momentum {momentum0:.6f} (24(A³+B³) = "
          f"{24 * (A**3 + B**3):g})")
    for name, alg, options in (("ETDRK4, dt = 2.5e-6", g.ETDRK4(), dict(dt=T_END / 2000)),
                               ("KenCarp4, rtol = 1e-4", g.KenCarp4(),
                                dict(rtol=1e-4, atol=1e-2))):
        start = time.perf_counter()
        sol = g.solve(prob, alg, saveat=[T_END], **options)
        elapsed = time.perf_counter() - start
        u = np.fft.irfft(sol.u[-1], N_MODES)
        error = np.max(np.abs(u - exact)) / np.max(exact)
        print(f"  {name:22s} {sol.stats.naccept:5d} steps, {elapsed:5.2f} s: "
              f"max error / max u = {error:.1e}, mass drift {h * u.sum() - mass0:.1e}, "
              f"momentum drift {(h * (u * u).sum() - momentum0) / momentum0:.1e} (relative)")
    peak = x[np.argmax(exact)]
    print(f"  the tall soliton is at x = {peak:.3f} (it started at -2, at speed 625 plus the "
          f"collision's phase shift)")


if __name__ == "__main__":
    main()
