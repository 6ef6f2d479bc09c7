"""Benchmark: instructions per run of the default scenario, counted by valgrind's
callgrind, for this tree and optionally an earlier revision. Prints figures; asserts
nothing. Needs `valgrind` on the PATH (Debian: apt-get install valgrind).

    python benchmarks/bench_instructions.py                    (this tree)
    python benchmarks/bench_instructions.py --against 0be595d  (and a revision)

Unlike a timing, an instruction count does not move with the load from other jobs on a
shared machine, so two versions can be compared on a busy one. Each count is the
difference between a process that makes `--runs` + 1 runs and one that makes 1 (imports,
preparation and the first run's warm-up cancel out), divided by `--runs`. Each version
runs its own `scenarios/baseline.yaml`. Under callgrind a run is about 50 times slower:
with the imports, a count takes a few minutes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import sys
from pathlib import Path
import numpy as np
from polarsim import CompetitionModel, load_scenario
from polarsim.model.setup import prepare

setup = prepare(load_scenario(Path(sys.argv[1])))
for seed in range(int(sys.argv[2])):
    m = CompetitionModel(setup, rng=np.random.default_rng(seed))
    while m.running:
        m.step()
    m.recorder.tables(m.events)
"""


def instructions(src: Path, scenario: Path, runs: int) -> int:
    """Instructions callgrind counts for a process that makes `runs` runs."""
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            WORKER,
            str(scenario),
            str(runs),
        ],
        env={
            "PYTHONPATH": str(src),
            "PATH": "/usr/bin:/bin",
            "PYTHONDONTWRITEBYTECODE": "1",
            # string hashing is randomised per process otherwise: set and dict orders,
            # and so the count, move by a few per cent from one count to the next
            "PYTHONHASHSEED": "0",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"no count in valgrind's output:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def per_run(src: Path, scenario: Path, runs: int) -> float:
    return (instructions(src, scenario, runs + 1) - instructions(src, scenario, 1)) / runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", help="git revision to count as well")
    ap.add_argument("--runs", type=int, default=10, help="runs counted (default 10)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: nothing to count")
    versions = [("this tree", ROOT / "src", ROOT / "scenarios" / "baseline.yaml")]
    with tempfile.TemporaryDirectory() as tmp:
        if args.against:
            archive = Path(tmp) / "rev.tar"
            subprocess.run(
                ["git", "archive", "-o", str(archive), args.against, "src", "scenarios"],
                cwd=ROOT,
                check=True,
            )
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            versions.insert(
                0, (args.against, Path(tmp) / "src", Path(tmp) / "scenarios" / "baseline.yaml")
            )
        counts = {}
        for name, src, scenario in versions:
            counts[name] = per_run(src, scenario, args.runs)
            print(f"{name:>12}: {counts[name] / 1e6:8.1f} M instructions per run")
        if args.against:
            ratio = counts["this tree"] / counts[args.against]
            print(f"this tree / {args.against}: {ratio:.3f}")


if __name__ == "__main__":
    main()
