"""Every runnable example runs to the end and exits 0 (they are documentation that must work)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = sorted((pathlib.Path(__file__).parent.parent / "examples").glob("*.py"))
COVERED_ELSEWHERE = {"custom_number_type.py", "derivatives.py"}  # run by test_testing_kit.py


@pytest.mark.parametrize("script", [e for e in EXAMPLES if e.name not in COVERED_ELSEWHERE],
                         ids=lambda e: e.name)
def test_example_runs(script: pathlib.Path):
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"{script.name} failed:\n{done.stdout[-2000:]}\n{done.stderr}"
    assert done.stdout.strip(), f"{script.name} printed nothing"
