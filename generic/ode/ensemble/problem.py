"""Ensembles: one ODE problem solved for many initial values or parameters."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..problem import ODEProblem

__all__ = ["EnsembleProblem", "NotBatchable", "register_ensemble_solver", "ensemble_solver_for"]

_ENSEMBLE_SOLVERS: dict[type, Callable] = {}


def register_ensemble_solver(problem_type: type, solver: Callable) -> None:
    """Let an :class:`EnsembleProblem` hold a ``problem_type`` problem (an SDE problem, defined
    beside the ODEs) and route ``g.solve`` on it to ``solver(ens, alg, ensemble, trajectories,
    progress, options, compile)``. Such a problem has ``remake(u0=..., p=...)``."""
    _ENSEMBLE_SOLVERS[problem_type] = solver


def ensemble_solver_for(prob) -> Callable | None:
    """The registered ensemble solver of ``prob``'s type (None for an ODE problem)."""
    for problem_type in type(prob).__mro__:
        if problem_type in _ENSEMBLE_SOLVERS:
            return _ENSEMBLE_SOLVERS[problem_type]
    return None


class NotBatchable(ValueError):
    """``prob_func`` gave trajectories different functions or time spans: they cannot run
    together (compiled threads, a batch), only one after another."""


class EnsembleProblem:
    """Many trajectories of one :class:`~generic.ode.problem.ODEProblem`.

    Trajectory ``i`` is ``prob`` with ``u0 = u0s[i]`` (if given), ``p = ps[i]`` (if given), then
    passed through ``prob_func(prob_i, i) -> ODEProblem`` (if given: any change, e.g. a random
    initial value). ``output_func(sol, i)``, if given, keeps its result instead of each
    solution (on the serial and Dask paths). Solve with ``g.solve(ens, alg, trajectories=N,
    ensemble=...)``; see :mod:`generic.ode.ensemble.modes` for the ways to run it.

    u0s: a sequence or an array whose first axis runs over trajectories. ps: likewise (a 2-d
    array of parameter rows, or a list of parameter objects).
    """

    def __init__(self, prob: ODEProblem, *, u0s=None, ps=None,
                 prob_func: Callable | None = None, output_func: Callable | None = None):
        if not isinstance(prob, ODEProblem) and ensemble_solver_for(prob) is None:
            raise TypeError(f"EnsembleProblem takes an ODEProblem (or an SDEProblem), got "
                            f"{type(prob).__qualname__}")
        for name, batch in (("u0s", u0s), ("ps", ps)):
            if batch is not None and not hasattr(batch, "__len__"):
                raise TypeError(f"EnsembleProblem: {name} must be a sequence or an array over "
                                f"trajectories, got {type(batch).__qualname__}")
        if u0s is not None and ps is not None and len(u0s) != len(ps):
            raise ValueError(f"EnsembleProblem: u0s has {len(u0s)} trajectories but ps has "
                             f"{len(ps)}; give one entry per trajectory in each")
        self.prob, self.u0s, self.ps = prob, u0s, ps
        self.prob_func, self.output_func = prob_func, output_func

    def trajectories(self, requested: int | None) -> int:
        """The number of trajectories: ``requested``, or the length of ``u0s``/``ps``."""
        batch = self.u0s if self.u0s is not None else self.ps
        if requested is None:
            if batch is None:
                raise ValueError("solve(EnsembleProblem, ...): give trajectories=N (or u0s= or "
                                 "ps= to EnsembleProblem)")
            return len(batch)
        requested = int(requested)
        if requested < 1:
            raise ValueError(f"trajectories must be at least 1, got {requested}")
        if batch is not None and requested > len(batch):
            raise ValueError(f"trajectories={requested} but the ensemble's u0s/ps have only "
                             f"{len(batch)} entries")
        return requested

    def problem(self, i: int) -> ODEProblem:
        """Trajectory ``i``'s problem."""
        prob = self.prob
        if self.u0s is not None or self.ps is not None:
            u0 = prob.u0 if self.u0s is None else self.u0s[i]
            p = prob.p if self.ps is None else _row(self.ps, i)
            prob = prob.remake(u0=u0, p=p) if hasattr(prob, "remake") else \
                ODEProblem(prob.f_user, u0, prob.tspan, p)
        if self.prob_func is not None:
            kind = type(self.prob)
            prob = self.prob_func(prob, i)
            if not isinstance(prob, kind):
                raise TypeError(f"EnsembleProblem: prob_func must return an {kind.__name__}, "
                                f"got {type(prob).__qualname__} for trajectory {i}")
        return prob

    def batch(self, n: int) -> tuple:
        """The first ``n`` trajectories as one problem and batches, for the ways that run them
        together: (the shared problem, the initial values, the parameters — None when every
        trajectory has the shared problem's). :class:`NotBatchable` if ``prob_func`` changed
        ``f`` or ``tspan``."""
        base = self.prob
        if self.prob_func is None:
            u0s = self.u0s[:n] if self.u0s is not None else [base.u0] * n
            if self.ps is None:
                return base, u0s, None
            return self.problem(0), u0s, self.ps[:n]
        problems = [self.problem(i) for i in range(n)]
        first = problems[0]
        for i, prob in enumerate(problems):
            if prob.f_user is not first.f_user or prob.tspan != first.tspan:
                raise NotBatchable(f"EnsembleThreads and EnsembleBatched need one f and one tspan "
                                 f"for every trajectory; prob_func changed them for trajectory "
                                 f"{i}: use g.EnsembleSerial()")
        same_p = all(prob.p is first.p for prob in problems)
        return first, [prob.u0 for prob in problems], None if same_p else \
            [prob.p for prob in problems]

    def __repr__(self) -> str:
        parts = [repr(self.prob)]
        if self.u0s is not None:
            parts.append(f"u0s=<{len(self.u0s)}>")
        if self.ps is not None:
            parts.append(f"ps=<{len(self.ps)}>")
        if self.prob_func is not None:
            parts.append(f"prob_func={getattr(self.prob_func, '__name__', self.prob_func)}")
        return f"EnsembleProblem({', '.join(parts)})"


def _row(batch: Sequence, i: int):
    row = batch[i]
    return tuple(row) if isinstance(row, list) else row
