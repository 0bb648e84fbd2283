"""Where to cut a series of decaying coefficients: Aurentz & Trefethen's standardChop and the
tolerance chop of the ODE solvers' ``compress``.

Reference: J. L. Aurentz and L. N. Trefethen, "Chopping a Chebyshev series", ACM Transactions on
Mathematical Software 43(4), 2017, Algorithm 1 (chebfun's ``standardChop``).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["standard_chop", "tail_chop"]


def standard_chop(magnitudes: np.ndarray, tol: float) -> int:
    """How many of the coefficients whose absolute values are ``magnitudes`` to keep, so that
    what is dropped lies on a plateau of relative size about ``tol`` (Aurentz & Trefethen 2017).

    Returns ``len(magnitudes)`` when there is no plateau yet (the series is not resolved): a
    caller sampling adaptively then takes more points. Needs at least 17 coefficients to decide.
    """
    n = len(magnitudes)
    if tol >= 1:
        return 1
    if n < 17:
        return n
    # Step 1: the monotone envelope of the magnitudes, normalised to start at 1.
    envelope = np.maximum.accumulate(np.asarray(magnitudes, dtype=float)[::-1])[::-1]
    if envelope[0] == 0:
        return 1
    envelope = envelope / envelope[0]
    # Step 2: the first point followed by a plateau (a stretch where the envelope falls by
    # less than a factor r that depends on how far below 1 it already is).
    plateau_point, j2 = 0, 0
    for j in range(2, n + 1):  # 1-based as the paper
        j2 = int(math.floor(1.25 * j + 5 + 0.5))
        if j2 > n:
            return n  # no plateau: not resolved
        e1, e2 = envelope[j - 1], envelope[j2 - 1]
        r = 3 * (1 - math.log(e1) / math.log(tol)) if e1 > 0 else 0.0
        if e1 == 0 or e2 / e1 > r:
            plateau_point = j - 1
            break
    # Step 3: the cutoff where the envelope, plus a line biasing towards the left, is least.
    if envelope[plateau_point - 1] == 0:
        return plateau_point
    j3 = int(np.sum(envelope >= tol ** (7 / 6)))
    tail = envelope[:j2].copy()
    if j3 < j2:
        j2 = j3 + 1
        tail = envelope[:j2].copy()
        tail[j2 - 1] = tol ** (7 / 6)
    with np.errstate(divide="ignore"):
        cc = np.log10(tail) + np.linspace(0, (-1 / 3) * math.log10(tol), j2)
    d = int(np.argmin(cc)) + 1
    return max(d - 1, 1)


def tail_chop(magnitudes: np.ndarray, tol: float) -> int:
    """How many leading coefficients to keep so that the dropped ones sum to at most ``tol`` in
    absolute value (a bound on the sup-norm change for Chebyshev and Fourier series); at
    least 1."""
    m = np.asarray(magnitudes, dtype=float)
    if len(m) == 0:
        return 0
    tails = np.cumsum(m[::-1])[::-1]  # tails[k] = sum of m[k:]
    keep = int(np.sum(tails > tol))  # tails decrease: those above tol are a prefix
    return max(keep, 1)
