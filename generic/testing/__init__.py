"""Floor 6: tools for testing number types against generic.

- :func:`check_number_type` — the conformance kit: runs the number protocol on samples of a type
  and reports, per row, what passes and what is missing (with the ``@g.dispatch`` fix).
- :mod:`generic.testing.strategies` — hypothesis strategies for every number type and random
  expressions of the elementary functions (imported on first use; needs ``hypothesis``).

See docs/testing.md.
"""

from __future__ import annotations

import importlib

from .conformance import (
    REQUIRED_FUNCTIONS,
    Check,
    ConformanceError,
    ConformanceReport,
    check_number_type,
)

__all__ = ["check_number_type", "ConformanceReport", "Check", "ConformanceError",
           "REQUIRED_FUNCTIONS", "strategies"]


def __getattr__(name: str):
    if name == "strategies":  # hypothesis is a test dependency: import it only when asked
        return importlib.import_module(".strategies", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
