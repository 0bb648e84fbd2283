"""Gragg–Bulirsch–Stoer extrapolation: the modified midpoint rule, extrapolated in h².

One step of size H from (t, y) computes the column of midpoint solutions ``T[j][0]``, each with
``n_j`` substeps of size ``h_j = H / n_j`` (Gragg's modified midpoint rule)::

    y_0 = y,   y_1 = y_0 + h f(t, y_0),   y_{i+1} = y_{i-1} + 2 h f(t + i h, y_i),
    T[j][0] = y_{n_j}     (or, with smoothing, (y_{n-1} + y_n + h f(t + H, y_n)) / 2)

whose error has an expansion in even powers of h_j (Gragg 1965). The Aitken–Neville scheme
extrapolates it to h = 0::

    T[j][l+1] = T[j][l] + (T[j][l] - T[j-1][l]) / ((n_j / n_{j-l-1})² - 1)

``T[j][j]`` has order 2(j+1) (0-based j here; "column k" below is 1-based, order 2k), and
``T[j][j] - T[j][j-1]`` estimates the error of the lower-order value, which makes both the
accept/reject test and the step size of each column (local extrapolation: the step carries on
with ``T[j][j]``).

Order and step size are chosen together as in ODEX (Hairer, Nørsett & Wanner, Solving ODEs I,
§II.9, "Order and step size control"): after column k the optimal step for that column is
``H_k = H · 0.94 · (0.65 / err_k)^(1/(2k-1))`` (bounded), its work per unit step is
``W_k = A_k / H_k`` with ``A_k`` the f evaluations the k columns cost, and the next step takes
the column count with the least work per unit step, moving by at most one column per step. A
step first builds columns 1 .. k-1 and may stop early at k-1 (converged), or give up early when
the error is too large to hope for convergence by column k+1 (the "convergence monitor"); else
it builds column k and, if needed and hopeful, k+1. The first step, and a step cut short to
land on tf or a tstop, builds columns from 1 and stops at the first that converges. A diverging
tableau, and ODEX's stability check on the first midpoint substep, halve the step.

Two departures from ODEX, both for robustness: the convergence monitor also trusts the rate at
which the last two columns converged (see ``ExtrapolationController._hopeful``), and the
stability check is skipped where the first substep moves the state by less than the tolerance
(see ``_Tableau._check_stability``).

f at the new point is not a by-product (the extrapolated value is not where f was evaluated),
so the attempt returns ``f_new=None``, and dense output is the integrator's cubic Hermite
interpolation — much less accurate than the long steps themselves.

The step numbers are the harmonic sequence 2, 4, 6, 8, 10, ... (default: recommended by
Deuflhard 1983 and ODEX's default, the fewest evaluations per order) or Bulirsch's 2, 4, 6, 8,
12, 16, 24, 32, ... (n_j = 2 n_{j-2}, the original of Bulirsch & Stoer 1966: its extrapolation
amplifies round-off far less, Lebesgue constant < 10 against ~4e4 for 15 harmonic columns, but
its cost grows exponentially with the order).

Every constant that touches the state — the weights 1 / ((n_j/n_k)² - 1), 1/n_j, 1/2 — is an
exact fraction converted with ``convert`` to the state's number type, so a 50-digit solve
extrapolates with 50-digit weights. The control constants (safety factors, bounds, work ratios)
only decide float step sizes and orders, so they are floats, as in the PI controller.

References: R. Bulirsch & J. Stoer, "Numerical treatment of ordinary differential equations by
extrapolation methods", Numer. Math. 8 (1966) 1–13; W. B. Gragg, "On extrapolation algorithms
for ordinary initial value problems", SIAM J. Numer. Anal. 2 (1965) 384–403; P. Deuflhard,
"Order and stepsize control in extrapolation methods", Numer. Math. 41 (1983) 399–422;
E. Hairer, S. P. Nørsett & G. Wanner, Solving Ordinary Differential Equations I, 2nd ed.,
Springer 1993, §II.9 (the code ODEX).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..dispatch import convert
from ..functions import eltype, eps, norm, value
from .algorithms import Algorithm, Attempt
from .controller import error_scale

__all__ = ["GBS", "ExtrapolationController", "step_numbers"]

SEQUENCES = ("harmonic", "bulirsch")


def step_numbers(sequence: str, count: int) -> tuple[int, ...]:
    """The first ``count`` step numbers n_1, n_2, ... of ``sequence``: "harmonic" is
    2, 4, 6, 8, 10, ... (n_j = 2j; Deuflhard 1983, ODEX's default), "bulirsch" is
    2, 4, 6, 8, 12, 16, 24, ... (n_j = 2 n_{j-2}; Bulirsch & Stoer 1966)."""
    if sequence == "harmonic":
        return tuple(2 * j for j in range(1, count + 1))
    if sequence == "bulirsch":
        ns = [2, 4, 6][:count]
        while len(ns) < count:
            ns.append(2 * ns[-2])
        return tuple(ns)
    if sequence == "deuflhard":
        raise ValueError('sequence="deuflhard" is ambiguous: Deuflhard (1983) recommends the '
                         'harmonic sequence 2, 4, 6, 8, 10, ... (sequence="harmonic"); '
                         '2, 4, 6, 8, 12, 16, 24, ... is Bulirsch\'s (sequence="bulirsch")')
    raise ValueError(f"sequence must be one of {SEQUENCES}, got {sequence!r}")


@dataclass(frozen=True)
class _Constants:
    """The exact constants of the step, converted to the state's number type."""

    inverse_n: tuple  # 1 / n_j
    weights: tuple  # weights[j][m] = 1 / ((n_j / n_{j-m-1})² - 1), 0-based
    half: object
    uround: float  # the state type's epsilon, as a float (the divergence test)


@lru_cache(maxsize=64)
def _constants(ns: tuple, T, _precision) -> _Constants:
    weights = tuple(
        tuple(convert(T, Fraction(ns[j - m - 1] ** 2, ns[j] ** 2 - ns[j - m - 1] ** 2))
              for m in range(j))
        for j in range(len(ns)))
    return _Constants(inverse_n=tuple(convert(T, Fraction(1, n)) for n in ns),
                      weights=weights, half=convert(T, Fraction(1, 2)),
                      uround=float(value(eps(T))))


class GBS(Algorithm):
    """Gragg–Bulirsch–Stoer extrapolation with ODEX's adaptive order and step size.

    ``max_columns``: the most extrapolation columns a step may build (order up to
    2·max_columns; the chosen column count stays ≤ max_columns - 1 so that one more can be
    tried). The default 24 (order up to 48) leaves headroom above what 50-digit
    solves settle at (12–15 columns) and reaches about 100 digits (~22 columns); float64
    settles at 3–10. The work-per-unit-step choice never climbs further than pays, so the cap
    costs nothing at loose tolerances; set it lower to bound the work of one step, higher for
    more than ~100 digits. ``sequence``: "harmonic" (2, 4, 6, 8, 10, ...) or "bulirsch"
    (2, 4, 6, 8, 12, 16, 24, ...). ``smoothing``: end each midpoint line with Gragg's
    smoothing step (one more f evaluation per column, as ODEX does; it damps the weakly
    unstable component of the midpoint rule).

    In a fixed-step solve (``adaptive=False``) every step builds all ``max_columns`` columns, so
    ``GBS(max_columns=k)`` is then a one-step method of order 2k. Dense output is the cubic
    Hermite interpolant of each step.
    """

    adaptive = True

    def __init__(self, max_columns: int = 24, sequence: str = "harmonic",
                 smoothing: bool = True):
        if int(max_columns) != max_columns or max_columns < 1:
            raise ValueError(f"max_columns must be a positive integer, got {max_columns!r}")
        self.max_columns = int(max_columns)
        self.sequence = sequence
        self.smoothing = bool(smoothing)
        self.ns = step_numbers(sequence, self.max_columns)
        # A_j: f evaluations of a step that builds columns 1..j, counting f at the new point
        # (this step's f(y0) is the previous step's last): n_j - 1 per midpoint line, +1 with
        # smoothing.
        work, total = [], 1
        for n in self.ns:
            total += n - 1 + self.smoothing
            work.append(total)
        self.work = tuple(work)

    @property
    def order(self) -> int:
        """The highest order, 2·max_columns (the order of every step of a fixed-step solve)."""
        return 2 * self.max_columns

    def __repr__(self) -> str:
        return (f"GBS(max_columns={self.max_columns}, sequence={self.sequence!r}, "
                f"smoothing={self.smoothing})")

    def prepare(self, integrator):
        T = eltype(integrator.u)
        return _constants(self.ns, T, eps(T))

    def controller(self):
        if self.max_columns < 3:
            raise ValueError("an adaptive GBS needs max_columns >= 3 (it tries up to one "
                             "column beyond the chosen one); max_columns=1 or 2 are for "
                             "fixed steps (adaptive=False)")
        return ExtrapolationController(self.ns, self.work)

    def attempt(self, integrator, cache, t, u, dt, f0) -> Attempt:
        tableau = _Tableau(self, cache, integrator, t, u, dt, f0)
        control = integrator.controller
        if control is None:  # fixed steps: every column
            while tableau.columns < self.max_columns:
                tableau.add_row()
            return Attempt(tableau.best, 0.0, None, tableau.nf)
        err = control.step(tableau, abs(float(value(dt))), integrator)
        accepted = err <= 1.0
        return Attempt(tableau.best if accepted else u, err, None, tableau.nf)


class _Tableau:
    """The extrapolation tableau of one step, built a row at a time (only the last row is
    kept: Aitken–Neville needs no more)."""

    def __init__(self, alg: GBS, constants: _Constants, integrator, t, u, dt, f0):
        self.alg, self.c = alg, constants
        self.f, self.p = integrator.f, integrator.p
        self.atol, self.rtol = integrator.atol, integrator.rtol
        self.t, self.u, self.dt, self.f0 = t, u, dt, f0
        self.row: list = []  # the last row built: T[j][0], ..., T[j][j]
        self.columns = 0  # rows built so far (= columns of the last row)
        self.nf = 0

    @property
    def best(self):
        """The most extrapolated value of the last row."""
        return self.row[-1]

    def add_row(self, check_stability: bool = False) -> float | None:
        """Build the next row; return the scaled error norm of its two most extrapolated values
        (None for the first row, which has one). With ``check_stability``, raise _Divergence
        when the midpoint line's first substep already changes f by more than twice its size
        (ODEX's stability check: the step is far beyond the method's stability region)."""
        j = self.columns
        n = self.alg.ns[j]
        f, p, t, u = self.f, self.p, self.t, self.u
        h = self.dt * self.c.inverse_n[j]
        two_h = 2 * h
        y_prev, y = u, u + h * self.f0
        for i in range(1, n):
            fy = f(y, p, t + i * h)
            self.nf += 1
            if i == 1 and check_stability:
                self._check_stability(fy, abs(float(value(self.dt))) / n)
            y_prev, y = y, y_prev + two_h * fy
        if self.alg.smoothing:
            y = (y_prev + y + h * f(y, p, t + n * h)) * self.c.half
            self.nf += 1
        row, previous, weights = [y], self.row, self.c.weights[j]
        for m in range(j):
            row.append(row[m] + (row[m] - previous[m]) * weights[m])
        self.row, self.columns = row, j + 1
        if j == 0:
            return None
        scale = error_scale(u, row[j], self.atol, self.rtol)
        return float(norm((row[j] - row[j - 1]) / scale))

    def _check_stability(self, fy, h: float) -> None:
        """For y' = λy, ‖f(y_1) - f(y_0)‖ / ‖f(y_0)‖ = |hλ|: more than 2 is far outside the
        midpoint rule's stability region. Only where the substep h f(y_0) moves the state by a
        tolerance or more: with f(y_0) ≈ 0 (as at t = 0 of y' = t g(y)) the ratio measures how f
        varies in t, not stability, and ODEX's test would halve the step forever."""
        scale = error_scale(self.u, self.u, self.atol, self.rtol)
        size = float(norm(self.f0 / scale)) ** 2
        if size * h * h < 1:
            return
        change = float(norm((fy - self.f0) / scale)) ** 2
        if not change <= 4 * size:  # nan fails too
            raise _Divergence(math.sqrt(change / size))


class _Divergence(Exception):
    """The extrapolation tableau diverges, or the midpoint rule is unstable: halve the step."""

    def __init__(self, err: float):
        super().__init__(err)
        self.err = err


@dataclass
class ExtrapolationController:
    """ODEX's order and step-size selection (HNW I, §II.9; Deuflhard 1983).

    The algorithm's ``attempt`` runs one try through :meth:`step`, which builds the columns it
    needs, decides, and leaves the next step size in ``dt`` and the next target column count in
    ``k``; the integrator then asks :meth:`next_dt` / :meth:`retry_dt`, which return it.

    Constants (ODEX's defaults): the new step of column j is ``H / fac`` with
    ``fac = clamp((err/safe1)^(1/(2j-1)) / safe2, fac1^(1/(2j-1)), fac2 / fac1^(1/(2j-1)))``;
    the order drops when ``W_{k-1} < fac3 · W_k`` and rises when ``W_k < fac4 · W_{k-1}``; a
    diverging tableau (the error grows from a column to the next, or exceeds 1/eps) halves the
    step (``safe3``).
    """

    ns: tuple
    work: tuple
    fac1: float = 0.02
    fac2: float = 4.0
    fac3: float = 0.8
    fac4: float = 0.9
    safe1: float = 0.65
    safe2: float = 0.94
    safe3: float = 0.5
    stability_rows: int = 2  # rows whose first substep gets the stability check
    k: int | None = None  # the target number of columns (1-based), set on the first try
    dt: float = 0.0  # the step size proposed for the next try
    reject: bool = False  # whether the last try was rejected
    first: bool = True  # the first try of a solve
    columns: list = field(default_factory=list)  # the columns of each accepted step (stats)
    hh: dict = field(default_factory=dict)  # this try: optimal step size of column j
    w: dict = field(default_factory=dict)  # this try: work per unit step of column j
    errors: dict = field(default_factory=dict)  # this try: error norm of column j

    @property
    def kmax(self) -> int:
        return len(self.ns)

    def next_dt(self, dt: float, err: float) -> float:
        """The step after an accepted try (chosen by :meth:`step`)."""
        return self.dt

    def retry_dt(self, dt: float, err: float) -> float:
        """The step after a rejected try (chosen by :meth:`step`)."""
        return self.dt

    def step(self, tableau: _Tableau, H: float, integrator) -> float:
        """One try of step size ``H`` (a float magnitude): build columns until accepted or
        rejected, then choose the next order and step size. Returns the error norm of the
        accepted column (<= 1), or for a rejection a number > 1 (nan or inf where f gave
        non-finite values, so the integrator can say so)."""
        if self.k is None:
            self.k = self._initial_columns(integrator.rtol, tableau.c.uround)
        self.hh, self.w, self.errors = {}, {}, {}
        self._hmax, self._uround = integrator.dtmax, tableau.c.uround
        self._error_before = math.inf
        # A step cut short (to land on tf or a tstop) starts low like the first, as ODEX's last.
        shortened = H < min(self.dt, integrator.dtmax) * (1 - 1e-12)
        k = self.k
        try:
            if self.first or shortened:
                self.first = False
                err = None
                for j in range(1, k + 1):
                    err = self._column(tableau, H)
                    if j > 1 and err <= 1:
                        return self._accept(j, err, H)
                return self._hope(tableau, H, k, err)
            for _ in range(k - 1):
                err = self._column(tableau, H)
            if k > 2 and not self.reject:  # the convergence monitor, at column k - 1
                if err <= 1:
                    return self._accept(k - 1, err, H)
                if not self._hopeful(k - 1, 2):
                    return self._reject(k - 1, err)
            err = self._column(tableau, H)
            if err <= 1:
                return self._accept(k, err, H)
            return self._hope(tableau, H, k, err)
        except _Divergence as divergence:
            self.reject = True
            self.dt = H * self.safe3
            return _rejected(divergence.err)

    def _initial_columns(self, rtol, uround: float) -> int:
        """ODEX's first order: about 0.6 columns per digit asked for."""
        tol = float(np.min(np.asarray(value(rtol), dtype=float))) + uround
        return max(2, min(self.kmax - 1, int(-math.log10(tol) * 0.6 + 1.5)))

    def _column(self, tableau: _Tableau, H: float) -> float:
        """Build the next column; for j >= 2 record its optimal step and work per unit step.
        Raises _Divergence when the tableau does not converge."""
        err = tableau.add_row(check_stability=tableau.columns < self.stability_rows)
        j = tableau.columns
        if j == 1:
            return math.inf
        if not math.isfinite(err) or err * self._uround >= 1 or \
                (j > 2 and err >= self._error_before):
            raise _Divergence(err)
        self._error_before = max(4 * err, 1.0)
        self.errors[j] = err
        exponent = 1 / (2 * j - 1)
        facmin = self.fac1 ** exponent
        fac = min(self.fac2 / facmin, max(facmin, (err / self.safe1) ** exponent / self.safe2))
        self.hh[j] = min(H / fac, self._hmax)
        self.w[j] = self.work[j - 1] / self.hh[j]
        return err

    def _hope(self, tableau: _Tableau, H: float, k: int, err: float) -> float:
        """Column k did not converge: try column k + 1 if the error suggests it will."""
        if not self._hopeful(k, 1):
            return self._reject(k, err)
        err = self._column(tableau, H)
        if err > 1:
            return self._reject(k + 1, err)
        return self._accept(k + 1, err, H)

    def _hopeful(self, j: int, more: int) -> bool:
        """Whether column j's error may fall to 1 within ``more`` further columns: ODEX expects
        column i to shrink it by (n_1/n_i)² at least; where the last two columns shrank it
        faster than that (a step much shorter than the solution's scale, as when max_columns
        keeps the order below what the tolerance needs), by that observed rate instead. ODEX's
        model alone would then reject every step at column k - 1 and slide to the lowest
        order."""
        err = self.errors[j]
        modelled = 1.0
        for i in range(j, j + more):
            modelled *= (self.ns[0] / self.ns[i]) ** 2
        observed = 1.0
        if j > 2 and self.errors[j - 1] > 0:
            observed = (err / self.errors[j - 1]) ** more
        return err * min(modelled, observed) <= 1

    def _accept(self, kc: int, err: float, H: float) -> float:
        """Accepted with kc columns: choose the next column count and step size."""
        w, fac3, fac4, kmax = self.w, self.fac3, self.fac4, self.kmax
        self.columns.append(kc)
        if kc == 2:
            kopt = 2 if self.reject else min(3, kmax - 1)
        elif kc <= self.k:
            kopt = kc
            if w[kc - 1] < w[kc] * fac3:
                kopt = kc - 1
            if w[kc] < w[kc - 1] * fac4:
                kopt = min(kc + 1, kmax - 1)
        else:
            kopt = kc - 1
            if kc > 3 and w[kc - 2] < w[kc - 1] * fac3:
                kopt = kc - 2
            if w[kc] < w[kopt] * fac4:
                kopt = min(kc, kmax - 1)
        if self.reject:  # after a rejection: no larger step, no more columns than just used
            self.k = min(kopt, kc)
            self.dt = min(H, self.hh[self.k])
            self.reject = False
            return err
        if kopt <= kc:
            self.dt = self.hh[kopt]
        elif 2 < kc < self.k and w[kc] < w[kc - 1] * fac4:
            self.dt = self.hh[kc] * self.work[kopt] / self.work[kc - 1]
        else:
            self.dt = self.hh[kc] * self.work[kopt - 1] / self.work[kc - 1]
        self.k = kopt
        return err

    def _reject(self, kc: int, err: float) -> float:
        """Rejected after kc columns: retry with the cheapest column count seen."""
        k = min(self.k, kc, self.kmax - 1)
        if k > 2 and self.w[k - 1] < self.w[k] * self.fac3:
            k -= 1
        self.k = k
        self.dt = self.hh[k]
        self.reject = True
        return _rejected(err)


def _rejected(err: float) -> float:
    """The error norm reported for a rejected try: > 1 (nan and inf pass through, so the
    integrator can tell a step that f made non-finite)."""
    return err if not err <= 1.0 else math.nextafter(1.0, 2.0)
