"""Run every benchmark in this folder, one after another, in one process.

Run: python benchmarks/run_all.py [name ...]   (names like "dual", "measurement", "ode", "stiff",
"gpu_pde")
Each benchmark prints ratios measured side by side; absolute times on shared machines mean little.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def main(names: list[str]) -> None:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    for script in scripts:
        print(f"\n##### {script.stem} " + "#" * (60 - len(script.stem)))
        spec = importlib.util.spec_from_file_location(script.stem, script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        start = time.perf_counter()
        module.main()
        print(f"({script.stem}: {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
