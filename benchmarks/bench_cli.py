"""Benchmark: how long the command line takes to start (issue 13), against importing
numpy and pandas in the same Python. Prints figures; asserts nothing.

    python benchmarks/bench_cli.py [--rounds 7]

Each command runs in a fresh process, the commands taking turns round by round (load
from other processes falls on all alike); the figure is the median wall time. Targets:
`polarsim --version` within 3 x `python -c "import numpy"`, `polarsim validate
scenarios/baseline.yaml` within 2 x `python -c "import pandas"`. Which libraries the
quick verbs leave out is a test (tests/test_cli_startup.py), not a timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _polarsim() -> list[str]:
    """The `polarsim` script users type, next to this Python; else `python -m polarsim`."""
    script = Path(sys.executable).with_name("polarsim")
    if script.exists():
        return [str(script)]
    found = shutil.which("polarsim")
    return [found] if found else [sys.executable, "-m", "polarsim"]


def commands() -> dict[str, list[str]]:
    py, cli = sys.executable, _polarsim()
    return {
        'python -c "import numpy"': [py, "-c", "import numpy"],
        'python -c "import pandas"': [py, "-c", "import pandas"],
        "polarsim --version": [*cli, "--version"],
        "polarsim --help": [*cli, "--help"],
        "polarsim validate scenarios/baseline.yaml": [
            *cli,
            "validate",
            str(ROOT / "scenarios" / "baseline.yaml"),
        ],  # fmt: skip
    }


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="turns of every command")
    args = ap.parse_args()
    cmds = commands()
    for argv in cmds.values():  # warm the file cache: every figure is a warm start
        wall(argv)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(args.rounds):
        for name, argv in cmds.items():
            times[name].append(wall(argv))
    med = {name: statistics.median(t) for name, t in times.items()}
    machine = f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    load = os.getloadavg()[0]
    print(f"{machine}, load average {load:.1f}, median of {args.rounds} warm starts")
    for name, t in med.items():
        print(f"  {name:45s} {t:6.3f} s")
    numpy, pandas = med['python -c "import numpy"'], med['python -c "import pandas"']
    version = med["polarsim --version"] / numpy
    validate = med["polarsim validate scenarios/baseline.yaml"] / pandas
    print(f"polarsim --version / import numpy:   {version:5.2f}   (target <= 3)")
    print(f"polarsim validate / import pandas:   {validate:5.2f}   (target <= 2)")


if __name__ == "__main__":
    main()
