"""Benchmark: throughput of `polarsim sweep` against `mesa.batch_run` on the same model
and the same 200-run design (1 and 2 workers), the speed-up from 1 to 2 workers, and
the peak memory of a small and a large sweep. Prints figures; asserts nothing.

    python benchmarks/bench_sweep.py              # 200 runs; memory of 100 and 2,000 runs
    python benchmarks/bench_sweep.py --full       # memory of 100 and 10,000 runs (minutes)
    python benchmarks/bench_sweep.py --rounds 5   # more turns of each measure

Each measure runs --rounds times (default 3), the measures taking turns round by round
so that load from other processes on a shared machine falls on all alike; the figures
are medians, and the ratios are printed for every round too (one 200-run sweep takes a
few seconds, so a single turn says little on a busy machine).

Targets (issue 4): at least 3x the throughput of mesa.batch_run; at least 1.7x from 1 to
2 workers; the large sweep's peak memory within 1.5x of the 100-run one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "baseline.yaml"

EXPERIMENT = """base: {base}
replicates: {runs}
seed: 1
chunk_size: {chunk}
outcomes: {{metrics: [autonomy_index], years: [2050], aggregate: mean}}
"""


def write_experiment(folder: Path, runs: int, chunk: int = 25) -> Path:
    path = folder / f"exp_{runs}.yaml"
    path.write_text(EXPERIMENT.format(base=BASE, runs=runs, chunk=chunk))
    return path


def time_sweep(exp: Path, out: Path, workers: int) -> float:
    from polarsim.experiment import sweep

    start = time.perf_counter()
    sweep(exp, workers=workers, out=out, progress=False)
    return time.perf_counter() - start


def time_batch_run(runs: int, workers: int) -> float:
    import mesa

    from polarsim import CompetitionModel

    start = time.perf_counter()
    mesa.batch_run(
        CompetitionModel,
        parameters={"scenario": str(BASE), "collect": True},
        rng=list(range(runs)),
        max_steps=100,
        number_processes=workers,
        data_collection_period=-1,
        display_progress=False,
    )
    return time.perf_counter() - start


PEAK = """
import resource, sys
from polarsim.experiment import sweep
sweep(sys.argv[1], workers=1, out=sys.argv[2], progress=False)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory_mb(exp: Path, out: Path) -> float:
    """Peak resident memory of a sweep in a fresh process (in-process runner)."""
    res = subprocess.run(
        [sys.executable, "-c", PEAK, str(exp), str(out)], capture_output=True, text=True, check=True
    )
    return int(res.stdout.strip().splitlines()[-1]) / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="memory of a 10,000-run sweep")
    ap.add_argument("--rounds", type=int, default=3, help="turns of every measure")
    args = ap.parse_args()
    runs = 200
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        exp = write_experiment(tmp, runs)
        # Warm both paths (imports, scenario caches) so the figures are throughput,
        # not start-up: a real sweep runs for minutes.
        time_sweep(write_experiment(tmp, 10), tmp / "warm", 1)
        time_batch_run(10, 1)
        for r in range(args.rounds):
            for w in (1, 2):
                times.setdefault(f"sweep_{w}w", []).append(time_sweep(exp, tmp / f"s{w}-{r}", w))
                times.setdefault(f"batch_run_{w}w", []).append(time_batch_run(runs, w))
        figures = {f"{k}_runs_per_s": runs / statistics.median(v) for k, v in times.items()}
        from polarsim import load_scenario

        span = load_scenario(BASE).time
        steps = span.end_year - span.start_year
        print(f"{runs} runs of the default scenario ({steps} steps each)")
        print(f"{'':24}{'1 worker':>12}{'2 workers':>12}")
        for name in ("sweep", "batch_run"):
            label = "polarsim sweep" if name == "sweep" else "mesa.batch_run"
            print(
                f"{label + ' (runs/s)':24}{figures[f'{name}_1w_runs_per_s']:12.1f}"
                f"{figures[f'{name}_2w_runs_per_s']:12.1f}"
            )
        for w in (1, 2):
            ratio = figures[f"sweep_{w}w_runs_per_s"] / figures[f"batch_run_{w}w_runs_per_s"]
            print(f"sweep / batch_run, {w} worker(s): {ratio:5.2f}x   (target >= 3x)")
        speedup = figures["sweep_2w_runs_per_s"] / figures["sweep_1w_runs_per_s"]
        print(f"sweep speed-up 1 -> 2 workers: {speedup:5.2f}x   (target >= 1.7x)")
        turns = [f"{a / b:.2f}" for a, b in zip(times["sweep_1w"], times["sweep_2w"], strict=True)]
        print(f"  by round: {', '.join(turns)}")
        turns = [
            f"{b / a:.2f}" for a, b in zip(times["sweep_1w"], times["batch_run_1w"], strict=True)
        ]
        print(f"sweep / batch_run, 1 worker, by round: {', '.join(turns)}")
        big = 10_000 if args.full else 2_000
        small_mb = peak_memory_mb(write_experiment(tmp, 100), tmp / "m100")
        big_mb = peak_memory_mb(write_experiment(tmp, big, chunk=50), tmp / f"m{big}")
        print(
            f"peak memory: 100 runs {small_mb:.0f} MB, {big:,} runs {big_mb:.0f} MB, "
            f"ratio {big_mb / small_mb:.2f}   (target <= 1.5)"
        )
        figures.update(peak_mb_100=small_mb, **{f"peak_mb_{big}": big_mb})
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
