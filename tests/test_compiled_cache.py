"""The disk cache of the compiled entry points is keyed on every source file of the package."""

import generic.compiled_cache as compiled_cache
from generic.ode.fast.entry import entry


def test_entry_cache_stamp_carries_the_sources_hash():
    stamp = entry._cache._cache_file._source_stamp
    assert stamp[1] == compiled_cache.sources_hash()


def test_sources_hash_changes_with_any_source(tmp_path, monkeypatch):
    """Editing a file the entry points only import (the stepping loop, a method) must give
    another key, else Numba would load machine code compiled from the old source."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")
    monkeypatch.setattr(compiled_cache, "_PACKAGE", tmp_path)
    compiled_cache.sources_hash.cache_clear()
    try:
        before = compiled_cache.sources_hash()
        (tmp_path / "sub" / "b.py").write_text("y = 3\n")
        compiled_cache.sources_hash.cache_clear()
        assert compiled_cache.sources_hash() != before
    finally:
        monkeypatch.undo()
        compiled_cache.sources_hash.cache_clear()
