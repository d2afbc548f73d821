"""Runs the benchmarks: `python bench/run.py [name ...]`.

Each benchmark is a module bench/bench_<name>.py with `run(scale: float) -> None` that prints
lines `BENCH <name> <metric>=<number>`. BENCH_SCALE scales the data (1.0 = 100 000 members).
Benchmarks use the database in DATABASE_URL (PostgreSQL for the figures in the README).
"""

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krets.settings")


def main(names: list[str]) -> int:
    import django

    django.setup()
    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    available = sorted(p.stem.removeprefix("bench_") for p in (ROOT / "bench").glob("bench_*.py"))
    unknown = set(names) - set(available)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(available)}")
        return 2
    for name in names or available:
        started = time.perf_counter()
        importlib.import_module(f"bench_{name}").run(scale)
        print(f"# {name} took {time.perf_counter() - started:.1f} s at BENCH_SCALE={scale}")
    return 0


if __name__ == "__main__":
    sys.exit(main([arg for arg in sys.argv[1:] if arg]))
