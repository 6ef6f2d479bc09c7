"""Benchmark: instructions per run of the default scenario, counted by valgrind's
callgrind, for this tree and optionally an earlier revision. Prints figures; asserts
nothing. Needs `valgrind` on the PATH (Debian: apt-get install valgrind).

    python benchmarks/bench_instructions.py                    (this tree)
    python benchmarks/bench_instructions.py --against 0be595d  (and a revision)
    python benchmarks/bench_instructions.py --design-points    (a sweep's tasks)

Unlike a timing, an instruction count does not move with the load from other jobs on a
shared machine, so two versions can be compared on a busy one. Each count is the
difference between a process that makes `--runs` + 1 runs and one that makes 1 (imports,
preparation and the first run's warm-up cancel out), divided by `--runs`. Each version
runs its own `scenarios/baseline.yaml`. Under callgrind a run is about 50 times slower:
with the imports, a count takes a few minutes.

`--design-points` counts the tasks of a sweep instead (`experiments/sobol_autonomy.yaml`,
one replicate per design point, outcomes kept to 2040): a replicate of one prepared
point against a task of a new point, and what a new point adds: its loading (the numbers
set on the base scenario), its preparation, and the extra of its first run over a second
run on the same set-up. Six counts per version.
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


#: A sweep's tasks (`--design-points`): argv stage, count, experiment; the points are
#: the design's from the third on (the first two are prepared before, by both counts).
POINTS_WORKER = r"""
import sys
from polarsim import CompetitionModel
from polarsim.experiment.design import make_design
from polarsim.experiment.spec import load_experiment
from polarsim.experiment.sweep import _Runner, task_rng
from polarsim.model.setup import prepare

stage, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runner = _Runner(path, make_design(load_experiment(path)))
runner.task_columns(0, 0)
runner.task_columns(1, 0)
base = runner.setup(0)

def run(setup):
    m = CompetitionModel(setup, rng=task_rng(7, 1, 0), replicate=0)
    while m.running and m.year < 2040:
        m.step()
    runner._kept_years(m)

for i in range(n):
    if stage == "replicate":
        run(base)
    elif stage == "load":
        runner.source.load(runner.overrides(2 + i))
    elif stage == "prepare":
        prepare(runner.source.load(runner.overrides(2 + i)))
    else:
        setup = prepare(runner.source.load(runner.overrides(2 + i)))
        for _ in range(2 if stage == "twice" else 1):
            run(setup)
"""
#: The sweep whose tasks `--design-points` counts.
SWEEP = Path("experiments") / "sobol_autonomy.yaml"
#: The stages `--design-points` counts, a new design point per task but in `replicate`.
STAGES = ("replicate", "load", "prepare", "once", "twice")


def instructions(src: Path, scenario: Path, runs: int, stage: str | None = None) -> int:
    """Instructions callgrind counts for a process that makes `runs` runs (of `stage`
    of the sweep `scenario`, with `POINTS_WORKER`)."""
    worker = [WORKER, str(scenario), str(runs)]
    if stage is not None:
        worker = [POINTS_WORKER, stage, str(runs), str(scenario)]
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            *worker,
        ],
        cwd=scenario.parents[1] if stage is not None else None,
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


def design_points(src: Path, sweep: Path, tasks: int) -> dict[str, float]:
    """Instructions per task of each stage (`STAGES`) and what a new point adds."""
    fixed = instructions(src, sweep, 0, "load")
    each = {s: (instructions(src, sweep, tasks, s) - fixed) / tasks for s in STAGES}
    each["prepare"] -= each["load"]
    each["first-run extra"] = each["once"] - each["load"] - each["prepare"]
    each["first-run extra"] -= each.pop("twice") - each["once"]
    each["point overhead"] = each["load"] + each["prepare"] + each["first-run extra"]
    return each


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", help="git revision to count as well")
    ap.add_argument("--runs", type=int, default=10, help="runs counted (default 10)")
    ap.add_argument(
        "--design-points",
        action="store_true",
        help=f"count the tasks of {SWEEP} (replicates against new points) instead",
    )
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: nothing to count")
    versions = [("this tree", ROOT / "src", ROOT / "scenarios" / "baseline.yaml")]
    with tempfile.TemporaryDirectory() as tmp:
        if args.against:
            archive = Path(tmp) / "rev.tar"
            subprocess.run(
                [
                    *("git", "archive", "-o", str(archive), args.against),
                    *("src", "scenarios", "experiments"),
                ],
                cwd=ROOT,
                check=True,
            )
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            versions.insert(
                0, (args.against, Path(tmp) / "src", Path(tmp) / "scenarios" / "baseline.yaml")
            )
        if args.design_points:
            _print_design_points(versions, args.runs)
            return
        counts = {}
        for name, src, scenario in versions:
            counts[name] = per_run(src, scenario, args.runs)
            print(f"{name:>12}: {counts[name] / 1e6:8.1f} M instructions per run")
        if args.against:
            ratio = counts["this tree"] / counts[args.against]
            print(f"this tree / {args.against}: {ratio:.3f}")


def _print_design_points(versions: list[tuple[str, Path, Path]], tasks: int) -> None:
    """The `--design-points` figures of each version, M instructions per task."""
    for name, src, scenario in versions:
        each = design_points(src, scenario.parents[1] / SWEEP, tasks)
        print(f"{name}: M instructions per task")
        print(f"  replicate of a prepared point {each['replicate'] / 1e6:8.2f}")
        print(f"  task of a new design point    {each['once'] / 1e6:8.2f}")
        for part in ("load", "prepare", "first-run extra", "point overhead"):
            print(f"    {part:<27} {each[part] / 1e6:8.2f}")


if __name__ == "__main__":
    main()
