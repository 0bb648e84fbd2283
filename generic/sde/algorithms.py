"""The SDE methods as data: a step function (:mod:`.steps`), orders, what noise each takes."""

from __future__ import annotations

from collections.abc import Callable

from .steps import em_step, milstein_step, sriw1_step

__all__ = ["SDEAlgorithm", "EM", "Milstein", "SRIW1"]


class SDEAlgorithm:
    """An SDE method. ``step``: its step function; ``strong_order``/``weak_order``;
    ``noise_kinds``: the noise it is correct for; ``adaptive``: whether it has an error
    estimate; ``needs_z``: whether it uses ``I_(1,0)`` (a second process on the path);
    ``evaluations``: (f, g) calls per step."""

    name = "SDEAlgorithm"
    step: Callable
    strong_order = 0.5
    weak_order = 1.0
    noise_kinds = ("diagonal", "scalar", "general")
    adaptive = False
    needs_z = False
    evaluations = (1, 1)

    def __repr__(self) -> str:
        return f"{self.name}()"

    def __eq__(self, other) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


class EM(SDEAlgorithm):
    """Euler–Maruyama: strong order 1/2, weak order 1; any noise (diagonal, scalar, general)."""

    name = "EM"
    step = staticmethod(em_step)


class Milstein(SDEAlgorithm):
    """Derivative-free Milstein (Kloeden & Platen's Runge–Kutta form, no ``g'`` needed):
    strong order 1 for diagonal or scalar Itô noise."""

    name = "Milstein"
    step = staticmethod(milstein_step)
    strong_order = 1.0
    noise_kinds = ("diagonal", "scalar")
    evaluations = (1, 2)


class SRIW1(SDEAlgorithm):
    """Rößler's SRI1W1 (SIAM J. Numer. Anal. 48(3), 2010): strong order 1.5 for diagonal or
    scalar Itô noise, adaptive with the error estimate of Rackauckas & Nie (2017) and
    rejected steps bridged on the Brownian path (``adaptive=False`` with ``dt=`` for fixed
    steps)."""

    name = "SRIW1"
    step = staticmethod(sriw1_step)
    strong_order = 1.5
    weak_order = 2.0
    noise_kinds = ("diagonal", "scalar")
    adaptive = True
    needs_z = True
    evaluations = (2, 4)
