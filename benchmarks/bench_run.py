"""Benchmark: CPU cost of a run of the default scenario (2010-2050), and how the cost of a
step grows with states x powers on synthetic set-ups. Prints figures; asserts nothing.

    python benchmarks/bench_run.py            (or: make bench)

Targets (issue 2): a run of the default scenario (40 steps; 45 when it started in 2005)
at most 20 ms of CPU after
import; cost per step at most linear in states x powers. Absolute figures depend on the
machine and its load: benchmarks/bench_release.py measures this tree against a release
side by side (issue 13).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

from polarsim import CompetitionModel, load_scenario
from polarsim.model.setup import prepare
from polarsim.model.synthetic import synthetic_setup

ROOT = Path(__file__).resolve().parents[1]


def cpu_ms(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.process_time()
        fn()
        out.append(1000 * (time.process_time() - t))
    return out


def full_run(setup, seed: int) -> None:
    """A run with its tables (the clock reads of run_parts cost microseconds)."""
    run_parts(setup, seed)


def run_parts(setup, seed: int) -> tuple[float, float, float]:
    """CPU ms of a run's three parts: the model's set-up, the steps, the tables."""
    t0 = time.process_time()
    m = CompetitionModel(setup, rng=np.random.default_rng(seed))
    t1 = time.process_time()
    while m.running:
        m.step()
    t2 = time.process_time()
    m.recorder.tables(m.events)
    t3 = time.process_time()
    return 1000 * (t1 - t0), 1000 * (t2 - t1), 1000 * (t3 - t2)


def main() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    t = time.process_time()
    setup = prepare(scenario)
    prep = 1000 * (time.process_time() - t)
    steps = len(setup.years) - 1
    full_run(setup, 0)  # warm caches (imports inside numpy / mesa)
    runs = cpu_ms(lambda: full_run(setup, 1), 30)
    print(
        f"default scenario ({scenario.name}, {steps} years, "
        f"{len(setup.states)} states x {len(setup.powers)} powers)"
    )
    print(f"  preparation once per scenario (data, drivers): {prep:8.1f} ms CPU")
    print(
        f"  one run, model + steps + tables:  median {statistics.median(runs):6.1f} ms CPU, "
        f"min {min(runs):6.1f} ms   (target <= 20 ms)"
    )
    parts = [run_parts(setup, 2 + i) for i in range(30)]
    init, steps_ms, tables = (statistics.median(p) for p in zip(*parts, strict=True))
    print(
        f"    of which (medians of 30 runs): model set-up {init:.1f} ms, steps "
        f"{steps_ms:.1f} ms, tables {tables:.1f} ms"
    )
    print()
    print("cost per step on synthetic set-ups (45 years, median of 5 runs)")
    print(f"  {'states':>6} {'powers':>6} {'S*P':>6} {'ms/step':>9} {'us/(step*S*P)':>14}")
    for S, P in ((5, 5), (10, 5), (20, 5), (10, 10), (25, 10), (50, 10)):
        syn = synthetic_setup(S, P)
        full_run(syn, 0)
        per_step = statistics.median(cpu_ms(lambda syn=syn: full_run(syn, 2), 5)) / 45
        print(f"  {S:6d} {P:6d} {S * P:6d} {per_step:9.3f} {1000 * per_step / (S * P):14.2f}")
    print("  linear growth means the last column does not rise with S*P")


if __name__ == "__main__":
    main()
