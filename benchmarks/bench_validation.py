"""Benchmark: wall time of `polarsim hindcast` (historical.yaml, 10 replicates) and of
`polarsim calibrate` on experiments/calibrate_historical.yaml with a given design size,
on 1 and 2 workers. Prints figures; asserts nothing.

    python benchmarks/bench_validation.py                 # 100 design points
    python benchmarks/bench_validation.py --samples 200   # the shipped design size

Target (issue 5): the held-out check runs in a few minutes at most on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=100)
    args = ap.parse_args()
    from polarsim.calibration import calibrate
    from polarsim.experiment import load_experiment
    from polarsim.validation import hindcast

    start = time.perf_counter()
    hindcast(ROOT / "scenarios" / "historical.yaml", replicates=10)
    print(f"hindcast historical.yaml, 10 replicates: {time.perf_counter() - start:.2f} s")
    exp = ROOT / "experiments" / "calibrate_historical.yaml"
    e = load_experiment(exp)
    gens = e.calibration.generations if e.calibration.method == "abc_smc" else 1
    runs = args.samples * gens * e.replicates
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            start = time.perf_counter()
            calibrate(exp, workers=workers, out=Path(tmp) / f"w{workers}",
                      samples=args.samples, progress=False)  # fmt: skip
            wall = time.perf_counter() - start
            print(
                f"calibrate {gens} generation(s) x {args.samples} points x {e.replicates} "
                f"replicates, {workers} worker(s): {wall:.1f} s ({runs / wall:.0f} runs/s)"
            )


if __name__ == "__main__":
    main()
