"""The fast path's error and warning (defined here, light to import, so that ``g`` exports them
without loading the compiled solver)."""

from __future__ import annotations

__all__ = ["FastPathError", "FastPathWarning"]


class FastPathError(TypeError):
    """``solve(..., compile=True)`` on a problem the float64 fast path cannot take."""


class FastPathWarning(UserWarning):
    """A problem's function did not compile; ``compile=None`` solved it on the generic path."""
