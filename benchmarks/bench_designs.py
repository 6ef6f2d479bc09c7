"""Benchmark: what a design whose every run is a new parameter point costs, against
replicates of one point, the way users run it; this tree and an earlier revision side
by side. Prints figures; asserts nothing.

    python benchmarks/bench_designs.py                       (against c166667)
    python benchmarks/bench_designs.py --against REV --rounds 3 --samples 16

The design is experiments/sobol_autonomy.yaml with `design.samples` set to --samples
(16: 16 x (10 + 2) = 192 design points, one replicate each); the replicates are the
same base scenario, the same outcomes and as many runs of one point. Each figure is the
wall time of one call in a fresh process (imports done before the clock starts, every
scenario read and prepared inside it, as `polarsim sweep` pays them), so the two
versions and the two designs pay the same start-up. Versions and measures take turns
round by round, so load from other processes on a shared machine falls on all alike.

- sweep: `polarsim.experiment.sweep` of the Sobol design and of the replicates, 1 and
  2 workers; the ratio of their throughputs (issue 13's target: >= 0.8), and with 1
  worker the same ratio by CPU time (the process and its workers), which load from other
  processes on a shared machine moves less than the wall time;
- mesa.batch_run: the Sobol design as CompetitionModel runs, each from a Setup prepared
  from the scenario file with the point's overrides (1 worker);
- sweep, Sobol x 2 replicates: the same design points run twice each (1 worker). The
  points' parameters change what a run does (`proposal_rate` up to 2 proposes up to
  four times the base scenario's projects), so Sobol / replicates mixes two costs: what
  a new point costs beyond its run, and the heavier runs of the points. With the same
  points on both sides, the throughput of one replicate per point against two is the
  first alone (1.0 if a new point cost nothing);
- EMA Workbench: the Sobol design through `SequentialEvaluator`, each experiment
  calling `polarsim.run(path, overrides=...)` as a peer would wrap it (needs the
  `bench` extra: pip install -e ".[bench]"; skipped with a note without it).

The earlier revision's `src/` is taken with `git archive` into a temporary folder and
put first on the path of its processes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: the commit before design points were prepared from shared parts (issue 13)
BEFORE = "c166667"
SOBOL = ROOT / "experiments" / "sobol_autonomy.yaml"

WORKER = r"""
import json, resource, sys, time, warnings
from pathlib import Path

kind, exp_path, workers, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
warnings.filterwarnings("ignore")
import numpy as np
import polarsim
from polarsim.experiment import sweep
from polarsim.experiment.design import make_design
from polarsim.experiment.spec import base_path, load_experiment, param_paths
import polarsim.model.model  # noqa: F401  (imports before the clock, as in any process)

exp = load_experiment(exp_path)
base = base_path(exp_path, exp)
design = make_design(exp) if exp.parameters else None


def scalar(v) -> str:
    return json.dumps(v.item() if hasattr(v, "item") else v)


def points():
    rows = design.to_dict("records")
    return [
        [f"{path}={scalar(row[name])}" for name, p in exp.parameters.items()
         for path in param_paths(name, p)]
        for row in rows
    ]


def outcome(states):
    year = exp.outcomes.years[0]
    return float(states.loc[states["year"] == year, "autonomy_index"].mean())


def cpu() -> float:
    # this process and its finished workers: the CPU a measure took, which load from
    # other processes on a shared machine changes less than the wall time
    return sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF),
                  resource.getrusage(resource.RUSAGE_CHILDREN))
    )


runs = len(design) * exp.replicates if design is not None else exp.replicates
cpu0 = cpu()
if kind == "sweep":
    start = time.perf_counter()
    sweep(exp_path, workers=workers, out=out, progress=False)
    wall = time.perf_counter() - start
elif kind == "batch_run":
    import mesa
    from polarsim import CompetitionModel, load_scenario
    from polarsim.model.setup import prepare

    overrides = points()
    start = time.perf_counter()
    setups = [prepare(load_scenario(base, ov)) for ov in overrides]
    results = mesa.batch_run(
        CompetitionModel,
        parameters={"scenario": setups, "collect": True},
        rng=[exp.seed],
        max_steps=100,
        number_processes=workers,
        data_collection_period=-1,
        display_progress=False,
    )
    wall = time.perf_counter() - start
    assert len(results) == runs, (len(results), runs)
elif kind == "ema":
    try:
        from ema_workbench import Model, RealParameter, Sample, ScalarOutcome
        from ema_workbench import SequentialEvaluator, ema_logging
    except ImportError as exc:
        print(json.dumps({"skipped": f"ema_workbench not importable ({exc})"}))
        sys.exit(0)
    names = list(exp.parameters)
    safe = {f"x{i}": n for i, n in enumerate(names)}  # identifiers for EMA's kwargs

    def polarsim_model(**values):
        over = [f"{path}={scalar(values[x])}" for x, n in safe.items()
                for path in param_paths(n, exp.parameters[n])]
        res = polarsim.run(base, seed=exp.seed, overrides=over)
        return {"autonomy": outcome(res.states)}

    model = Model("polarsim", function=polarsim_model)
    model.uncertainties = [
        RealParameter(x, *exp.parameters[n].range) for x, n in safe.items()
    ]
    model.outcomes = [ScalarOutcome("autonomy")]
    samples = [Sample(**{x: float(row[n]) for x, n in safe.items()})
               for row in design.to_dict("records")]
    start = time.perf_counter()
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=samples)
    wall = time.perf_counter() - start
    assert len(outcomes["autonomy"]) == runs
elif kind == "runs":
    # The model alone: every point prepared before the clock starts, then one run each
    # as a sweep's task runs it. The Sobol points' parameters change what a run does
    # (e.g. proposal_rate up to 2 proposes more projects), so this is the throughput a
    # design could reach if preparing its points cost nothing.
    from polarsim.experiment.sweep import _Runner

    import pandas as pd

    runner = _Runner(exp_path, design if design is not None else pd.DataFrame({"run_id": [0]}))
    tasks = [(r, k) for r in runner.params for k in range(exp.replicates)]
    setups = {r: runner.setup(r) for r in runner.params}
    runner.setup = setups.__getitem__
    # a task's outcome columns, as a sweep's chunk collects them (revisions before
    # chunk_frame built a table per task)
    task = getattr(runner, "task_columns", runner.run_task)
    start = time.perf_counter()
    for r, k in tasks:
        task(r, k)
    wall = time.perf_counter() - start
else:
    raise SystemExit(f"unknown measure {kind}")
print(json.dumps({"source": polarsim.__file__, "runs": runs, "wall_s": wall,
                  "cpu_s": cpu() - cpu0}))
"""


def source_of(rev: str, into: Path) -> Path:
    """A revision's src/ folder, extracted from git into `into`."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / "src.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def experiments(folder: Path, samples: int) -> dict[str, Path]:
    """The Sobol design at `samples`, and as many replicates of its base scenario."""
    sobol = yaml.safe_load(SOBOL.read_text())
    sobol["base"] = str((SOBOL.parent / sobol["base"]).resolve())
    sobol["design"]["samples"] = samples
    runs = samples * (len(sobol["parameters"]) + 2)
    reps = {
        "base": sobol["base"],
        "replicates": runs,
        "seed": sobol["seed"],
        "outcomes": sobol["outcomes"],
    }
    sobol2 = {**sobol, "replicates": 2}
    out = {}
    for name, doc in (("sobol", sobol), ("replicates", reps), ("sobol2", sobol2)):
        out[name] = folder / f"{name}.yaml"
        out[name].write_text(yaml.safe_dump(doc, sort_keys=False))
    return out


def measure(src: Path, kind: str, exp: Path, workers: int, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-c", WORKER, kind, str(exp), str(workers), str(out)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        return {"skipped": f"failed: {' | '.join(tail)}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


MEASURES = [
    ("sweep", "sobol", 1),
    ("sweep", "replicates", 1),
    ("sweep", "sobol", 2),
    ("sweep", "replicates", 2),
    ("sweep", "sobol2", 1),
    ("batch_run", "sobol", 1),
    ("ema", "sobol", 1),
    ("runs", "sobol", 1),
    ("runs", "replicates", 1),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", default=BEFORE, help="git revision to compare with")
    ap.add_argument("--rounds", type=int, default=2, help="turns of every measure")
    ap.add_argument("--samples", type=int, default=16, help="Sobol base samples")
    ap.add_argument("--only-this-tree", action="store_true", help="skip the revision")
    ap.add_argument(
        "--measures", nargs="*", help="only these (sweep, batch_run, ema, runs)", default=None
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        exps = experiments(tmp, args.samples)
        versions = {"this tree": ROOT / "src"}
        if not args.only_this_tree:
            versions = {args.against: source_of(args.against, tmp / "before"), **versions}
        walls: dict[tuple, list[float]] = {}
        cpus: dict[tuple, list[float]] = {}
        notes: dict[tuple, str] = {}
        runs = {}
        n = 0
        for _ in range(args.rounds):
            for kind, design, workers in MEASURES:
                if args.measures and kind not in args.measures:
                    continue
                for name, src in versions.items():
                    n += 1
                    res = measure(src, kind, exps[design], workers, tmp / f"out{n}")
                    key = (name, kind, design, workers)
                    if "skipped" in res:
                        notes[key] = res["skipped"]
                        continue
                    if not res["source"].startswith(str(src)):
                        raise SystemExit(f"{name} imported polarsim from {res['source']}")
                    runs[design] = res["runs"]
                    walls.setdefault(key, []).append(res["wall_s"])
                    if "cpu_s" in res:
                        cpus.setdefault(key, []).append(res["cpu_s"])
    report(args, versions, walls, notes, runs, cpus)


def report(args, versions, walls, notes, runs, cpus) -> None:
    load = os.getloadavg()[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load:.1f} at the end"
    )
    print(
        f"Sobol design: {runs.get('sobol')} design points x 1 replicate "
        f"({SOBOL.name}, samples={args.samples}); replicates: {runs.get('replicates')} runs of "
        f"its base scenario. Runs/s = runs / median wall time of {args.rounds} fresh processes."
    )

    def rate(name, kind, design, workers):
        w = walls.get((name, kind, design, workers))
        return runs[design] / statistics.median(w) if w else None

    print(f"\n{'':40}" + "".join(f"{v:>14}" for v in versions))
    rows = [
        ("sweep, replicates, 1 worker", ("sweep", "replicates", 1)),
        ("sweep, Sobol, 1 worker", ("sweep", "sobol", 1)),
        ("sweep, replicates, 2 workers", ("sweep", "replicates", 2)),
        ("sweep, Sobol, 2 workers", ("sweep", "sobol", 2)),
        ("sweep, Sobol x 2 replicates, 1 worker", ("sweep", "sobol2", 1)),
        ("mesa.batch_run, Sobol, 1 worker", ("batch_run", "sobol", 1)),
        ("EMA SequentialEvaluator, Sobol", ("ema", "sobol", 1)),
        ("runs alone, replicates, 1 worker", ("runs", "replicates", 1)),
        ("runs alone, Sobol, 1 worker", ("runs", "sobol", 1)),
    ]
    for label, key in rows:
        cells = []
        for name in versions:
            r = rate(name, *key)
            cells.append(f"{r:10.1f} r/s" if r else f"{'skipped':>14}")
        print(f"{label:40}" + "".join(cells))
    for (name, kind, design, workers), why in sorted(notes.items()):
        print(f"note: {name}, {kind} {design} ({workers} worker(s)) skipped: {why}")
    print()
    for name in versions:
        for workers in (1, 2):
            sobol = rate(name, "sweep", "sobol", workers)
            reps = rate(name, "sweep", "replicates", workers)
            if sobol and reps:
                print(
                    f"{name}: Sobol / replicates, {workers} worker(s): {sobol / reps:5.2f}"
                    "   (target >= 0.8)"
                )
        sobol, twice = rate(name, "sweep", "sobol", 1), rate(name, "sweep", "sobol2", 1)
        if sobol and twice:
            print(
                f"{name}: Sobol, 1 replicate / 2 replicates per point, 1 worker: "
                f"{sobol / twice:5.2f}   (the same points: what a new point costs; 1.0 if "
                "nothing)"
            )
        for label, kind in (("mesa.batch_run", "batch_run"), ("EMA", "ema")):
            other = rate(name, kind, "sobol", 1)
            if sobol and other:
                ratio = sobol / other
                print(f"{name}: sweep / {label} on the Sobol design, 1 worker: {ratio:5.2f}x")
        alone, reps = rate(name, "runs", "sobol", 1), rate(name, "runs", "replicates", 1)
        if alone and reps:
            print(
                f"{name}: runs alone (points prepared before the clock), Sobol / replicates: "
                f"{alone / reps:5.2f}   (the ratio with free preparation)"
            )
        sweep1 = rate(name, "sweep", "sobol", 1)
        if alone and sweep1:
            print(f"{name}: Sobol sweep / Sobol runs alone, 1 worker: {sweep1 / alone:5.2f}")
        cpu_sobol = cpus.get((name, "sweep", "sobol", 1))
        cpu_reps = cpus.get((name, "sweep", "replicates", 1))
        if cpu_sobol and cpu_reps:
            ratio = statistics.median(cpu_reps) / statistics.median(cpu_sobol)
            print(
                f"{name}: Sobol / replicates by CPU time, 1 worker: {ratio:5.2f}   (median "
                f"{statistics.median(cpu_sobol):.2f} s against {statistics.median(cpu_reps):.2f} s)"
            )
        s1, s2 = rate(name, "sweep", "sobol", 1), rate(name, "sweep", "sobol", 2)
        if s1 and s2:
            print(f"{name}: Sobol sweep speed-up 1 -> 2 workers: {s2 / s1:5.2f}x")
    if len(versions) == 2:
        old, new = versions
        for key in ("sobol", "replicates"):
            for workers in (1, 2):
                a, b = rate(old, "sweep", key, workers), rate(new, "sweep", key, workers)
                if a and b:
                    print(f"sweep {key}, {workers} worker(s): this tree / {old}: {b / a:5.2f}x")
        for label, kind in (("mesa.batch_run", "batch_run"), ("EMA", "ema")):
            a, b = rate(old, kind, "sobol", 1), rate(new, kind, "sobol", 1)
            if a and b:
                print(f"{label} Sobol, 1 worker: this tree / {old}: {b / a:5.2f}x")
    print(json.dumps({f"{k[0]}|{k[1]}|{k[2]}|{k[3]}w": v for k, v in walls.items()}))
    print(json.dumps({f"cpu {k[0]}|{k[1]}|{k[2]}|{k[3]}w": v for k, v in cpus.items()}))


if __name__ == "__main__":
    main()
