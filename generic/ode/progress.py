"""Progress bars (tqdm) for long solves and ensembles, shown when asked (``progress=True``)."""

from __future__ import annotations

from ..functions import value
from .callbacks import DiscreteCallback

__all__ = ["progress_bar", "progress_callback"]


def progress_bar(total: float, desc: str, enabled):
    """A tqdm bar of ``total`` units, or None when ``enabled`` is false. ``enabled`` may be a
    dict of tqdm's keyword arguments."""
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("progress=True needs tqdm: pip install tqdm (or pip install "
                          "'generic-numerics[progress]')") from None
    options = dict(enabled) if isinstance(enabled, dict) else {}
    options.setdefault("desc", desc)
    return tqdm(total=total, **options)


def progress_callback(bar, t0: float, tf: float) -> DiscreteCallback:
    """A callback that moves ``bar`` (of total ``|tf - t0|``) to the time of each step; it
    never fires."""
    state = {"shown": 0.0}

    def condition(u, t, integrator) -> bool:
        done = min(abs(float(value(t)) - t0), abs(tf - t0))
        if done > state["shown"]:
            bar.update(done - state["shown"])
            state["shown"] = done
        return False

    def affect(integrator) -> None:
        return None

    return DiscreteCallback(condition, affect, save_positions=(False, False))
