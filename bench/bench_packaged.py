"""Start-up of the packaged app vs the pip-installed app, from launch to the window's first paint.

Both start the way a family starts them, in a fresh process each time (``nbcompanion`` on a
new empty record, then the same record again), alternating so the machine's load hits them
alike; ``NBCOMPANION_QUIT_WHEN_SHOWN`` makes each quit once its window has painted. The time
is the whole process: interpreter or bootloader, imports, the window, and the exit. Prints
medians and the ratio (aim: the packaged app no slower than the pip-installed one).

Run: ``python bench/bench_packaged.py [--bundle PATH] [--installed PATH] [--runs N]``
(defaults: ``packaging/dist/nbcompanion/nbcompanion`` and ``.venv/bin/nbcompanion``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_once(command: Path, home: Path) -> float:
    """Seconds from launching ``command`` to its exit after the first paint."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "NBCOMPANION_QUIT_WHEN_SHOWN": "1"}
    started = time.perf_counter()
    subprocess.run([str(command)], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)
    return time.perf_counter() - started


def main() -> int:
    """Measure both and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path,
                        default=ROOT / "packaging" / "dist" / "nbcompanion" / "nbcompanion")
    parser.add_argument("--installed", type=Path, default=ROOT / ".venv" / "bin" / "nbcompanion")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    kinds = {"pip-installed": args.installed, "packaged": args.bundle}
    for name, command in kinds.items():
        if not os.access(command, os.X_OK):
            sys.exit(f"{name}: {command} is missing (build it, or pass its path)")
    times: dict[str, list[float]] = {name: [] for name in kinds}
    with tempfile.TemporaryDirectory() as folder:
        for name, command in kinds.items():  # warm the disk cache; the record is created here
            start_once(command, Path(folder) / name)
        for _ in range(args.runs):
            for name, command in kinds.items():
                times[name].append(start_once(command, Path(folder) / name))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        spread = f"{min(times[name]):.2f}–{max(times[name]):.2f}"
        print(f"{name:14s} median {value:.2f} s  (range {spread} s, {args.runs} runs)")
    print(f"packaged / pip-installed: {medians['packaged'] / medians['pip-installed']:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
