"""Numba's disk cache of our compiled entry points, keyed on every source file of the package.

Numba keys a cached function on its own file's modification time and size only. Our compiled
entry points are small files whose bodies are the shared stepping loop, the methods and the
compiled dispatch methods in many other files: edit one of those and Numba would load the old
machine code. :func:`keyed_on_sources` adds a hash of all of ``generic``'s Python sources to
the stamp a cache index is checked against, so any change to them compiles afresh (an
installed release never changes, so its cache stays valid).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["keyed_on_sources", "sources_hash"]

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def sources_hash() -> str:
    """SHA-256 of the package's Python sources (their paths and bytes), in hex."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def keyed_on_sources(dispatcher):
    """``dispatcher`` (an ``njit(cache=True)`` function) with its cache index checked against
    :func:`sources_hash` as well as its own file; returns it. A Numba whose cache lacks the
    attributes used here keeps its own stamp (its file only)."""
    cache_file = getattr(getattr(dispatcher, "_cache", None), "_cache_file", None)
    stamp = getattr(cache_file, "_source_stamp", None)
    if stamp is not None:
        cache_file._source_stamp = (stamp, sources_hash())
    return dispatcher
