"""The tour (the README's main command) runs every section to the end."""

from __future__ import annotations

import subprocess
import sys


def test_tour_runs_every_default_section():
    listed = subprocess.run([sys.executable, "-m", "generic", "tour", "--list"],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    defaults = [n for n in listed.stdout.splitlines() if n and not n.endswith("(on request)")]
    assert "functions" in defaults and "ode" in defaults
    done = subprocess.run([sys.executable, "-m", "generic", "tour"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"the tour failed:\n{done.stdout[-2000:]}\n{done.stderr}"
    for name in defaults:
        assert f"== {name} " in done.stdout, f"section {name} was not shown"
    assert "tour finished" in done.stdout
