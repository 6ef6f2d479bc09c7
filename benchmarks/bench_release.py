"""Benchmark: the CPU cost of a run of the default scenario and of a step as states x
powers grow, this tree against a release, side by side. Prints figures; asserts nothing.

    python benchmarks/bench_release.py                 (against v0.1.0, commit ab98243)
    python benchmarks/bench_release.py --release REV --rounds 6 --runs 20

The release's `src/` is taken with `git archive` into a temporary folder; both versions
run in subprocesses of this same interpreter (the release first on the path), taking
turns round by round, so load from other processes on a shared machine falls on both
alike. Each subprocess prepares the scenario once, warms up, then times runs with
`time.process_time()`:

- replicate: a run of the prepared scenario (what each replicate of `polarsim run` pays);
- fresh: a run on a fresh copy of the prepared set-up, so that nothing the set-up caches
  for its replicates is reused (what a sweep with one replicate per design point pays,
  loading and preparing the scenario aside).

Issue 13's target: a replicate at most 1/3 of the release's CPU (the moonshot: 1/10).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: v0.1.0, the release issue 13 measures against
RELEASE = "ab98243"
#: synthetic sizes (states, powers) for the cost per step
SIZES = ((5, 5), (10, 5), (20, 5), (10, 10), (25, 10), (50, 10))

WORKER = r"""
import dataclasses, json, statistics, sys, time
from pathlib import Path
import numpy as np
import polarsim
from polarsim import CompetitionModel, load_scenario
from polarsim.model.setup import prepare
from polarsim.model.synthetic import synthetic_setup

scenario, runs, sizes = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])

def full_run(setup, seed):
    m = CompetitionModel(setup, rng=np.random.default_rng(seed))
    while m.running:
        m.step()
    m.recorder.tables(m.events)

def cpu_ms(fn):
    t = time.process_time()
    fn()
    return 1000 * (time.process_time() - t)

setup = prepare(load_scenario(scenario))
full_run(setup, 0)  # warm: lazy imports, caches of the metrics
out = {"source": polarsim.__file__, "steps": len(setup.years) - 1}
out["replicate"] = [cpu_ms(lambda i=i: full_run(setup, i + 1)) for i in range(runs)]
out["fresh"] = [
    cpu_ms(lambda i=i: full_run(dataclasses.replace(setup), i + 1)) for i in range(runs)
]
steps = {}
for S, P in sizes:
    syn = synthetic_setup(S, P)
    full_run(syn, 0)
    years = len(syn.years) - 1
    per_run = statistics.median(cpu_ms(lambda: full_run(syn, 2)) for _ in range(3))
    steps[f"{S}x{P}"] = per_run / years
out["per_step"] = steps
print(json.dumps(out))
"""


def release_src(rev: str, into: Path) -> Path:
    """The release's src/ and scenarios/ folders, extracted from git into `into`."""
    archive = into / "release.tar"
    with archive.open("wb") as fh:
        cmd = ["git", "-C", str(ROOT), "archive", rev, "src", "scenarios"]
        subprocess.run(cmd, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def measure(src: Path, scenario: Path, runs: int, sizes) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-c", WORKER, str(scenario), str(runs), json.dumps(sizes)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the run from {src} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--release", default=RELEASE, help="git revision to compare with")
    ap.add_argument("--rounds", type=int, default=5, help="turns of each version")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per turn")
    ap.add_argument(
        "--scenario",
        type=Path,
        help="scenario file both versions run (default: the release's own baseline.yaml, "
        "which this tree also reads; this tree's baseline starts in 2015, which the "
        "release refuses)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"release": release_src(args.release, Path(tmp)), "this tree": ROOT / "src"}
        if args.scenario is None:
            args.scenario = Path(tmp) / "scenarios" / "baseline.yaml"
        results: dict[str, list[dict]] = {name: [] for name in versions}
        for r in range(args.rounds):
            sizes = SIZES if r == 0 else ()  # the per-step series once: it is slow
            for name, src in versions.items():
                results[name].append(measure(src, args.scenario, args.runs, sizes))
    first = {name: res[0] for name, res in results.items()}
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"release {args.release}: {first['release']['source']}")
    print(f"this tree: {first['this tree']['source']}")
    print(
        f"default scenario ({args.scenario.name}, {first['release']['steps']} years): "
        f"CPU per run, {args.rounds} turns x {args.runs} runs each"
    )
    medians = {}
    for kind in ("replicate", "fresh"):
        for name, res in results.items():
            times = [t for part in res for t in part[kind]]
            medians[name, kind] = statistics.median(times)
            print(
                f"  {kind:9s} {name:9s}: median {medians[name, kind]:6.2f} ms, "
                f"min {min(times):6.2f} ms"
            )
        ratio = medians["this tree", kind] / medians["release", kind]
        print(f"  {kind:9s} ratio this tree / release: {ratio:.3f} (1/{1 / ratio:.1f})")
        # the same ratio turn by turn: how much of it is noise
        turns = [
            statistics.median(new[kind]) / statistics.median(old[kind])
            for old, new in zip(results["release"], results["this tree"], strict=True)
        ]
        print(f"  {kind:9s} ratio per turn: " + " ".join(f"{x:.3f}" for x in turns))
    print()
    print("CPU per step on synthetic set-ups (ms; median of 3 runs of 45 years)")
    print(f"  {'S x P':>7} {'release':>9} {'this tree':>10} {'ratio':>7} {'us/(S*P) now':>13}")
    for key, old in first["release"]["per_step"].items():
        new = first["this tree"]["per_step"][key]
        S, P = (int(x) for x in key.split("x"))
        print(f"  {key:>7} {old:9.3f} {new:10.3f} {new / old:7.3f} {1000 * new / (S * P):13.2f}")


if __name__ == "__main__":
    main()
