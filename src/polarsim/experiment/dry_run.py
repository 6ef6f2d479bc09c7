"""What a sweep, calibration or study will cost before it starts (`--dry-run`): the
file checked with everything it names (polarsim.checks), the number of runs, and the
time and disk estimated from a few runs timed here.

    from polarsim.experiment.dry_run import estimate_experiment

    e = estimate_experiment("experiments/sobol_autonomy.yaml", workers=2)
    e.runs, e.seconds, e.disk_bytes

The time is the sweep's own tasks timed on this machine now: TIMING_POINTS design
points spread over the design, each loaded, prepared and run once as a sweep's worker
does it (after a warm-up point), and one further replicate of one of them. A point's time
counts its run: a design of one replicate per point costs points x that time. Parallel
workers divide it by at most their number (on this project's 2-core VM a sweep ran
1.5-1.9 times as fast on 2 workers as on 1). The disk is the results' upper bound: 8
bytes per value before Parquet's compression.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from polarsim.errors import PolarsimInputError

#: design points timed for an estimate (after one warm-up run), spread over the design,
#: their mean taken: a design's points differ in cost (a Sobol point with
#: `proposal_rate` 2 simulates about four times the projects of one with 0.5)
TIMING_POINTS = 10
#: columns every results row has beside the outcomes and parameters
_KEY_COLUMNS = 4  # run_id, replicate, year, state
_VALUE_BYTES = 8


@dataclass
class Estimate:
    """A sweep's (or a part's) size and cost."""

    name: str
    points: int
    replicates: int
    runs: int
    point_seconds: float  # load, prepare and run one design point
    replicate_seconds: float  # each further replicate of a point
    workers: int
    disk_bytes: int
    parts: list[Estimate] = field(default_factory=list)

    @property
    def serial_seconds(self) -> float:
        """The runs one after the other (one worker)."""
        if self.parts:
            return sum(p.serial_seconds for p in self.parts)
        serial = self.points * self.point_seconds
        return serial + self.points * (self.replicates - 1) * self.replicate_seconds

    @property
    def seconds(self) -> float:
        """With the workers sharing the runs evenly (on this project's 2-core VM 2
        workers ran a sweep 1.5-1.9 times as fast as 1)."""
        if self.parts:
            return sum(p.seconds for p in self.parts)
        return self.serial_seconds / max(self.workers, 1)

    def lines(self) -> list[str]:
        out = []
        for part in self.parts or [self]:
            out.append(
                f"{part.name}: {part.points:,} points x {part.replicates} replicate"
                f"{'' if part.replicates == 1 else 's'} = {part.runs:,} runs, "
                f"{_time_text(part)}, at most {_size(part.disk_bytes)} of results"
            )
        if self.parts:
            out.append(
                f"total: {sum(p.runs for p in self.parts):,} runs, {_time_text(self)}, at "
                f"most {_size(self.disk_bytes)}"
            )
        out.append(
            f"(timed here: {self.point_seconds:.3f} s per design point, "
            f"{self.replicate_seconds:.3f} s per further replicate; nothing was written)"
        )
        return out


def _time_text(e: Estimate) -> str:
    serial = f"about {_duration(e.serial_seconds)} on 1 worker"
    if e.workers == 1 and all(p.workers == 1 for p in e.parts):
        return serial
    return f"{serial} ({_duration(e.seconds)} on {e.workers} sharing the runs evenly)"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _size(n: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


def _timing(exp, base: Path, design) -> tuple[float, float]:
    """(seconds per design point: loaded, prepared and run once; seconds per further
    replicate), from TIMING_POINTS points of `design` run as a sweep runs them
    (experiment.sweep's runner) after a warm-up point (lazy imports, data tables): their
    mean, since a sweep's time is the sum of its points'."""
    import numpy as np

    from polarsim.experiment.sweep import _Runner

    runner = _Runner.loaded(exp, base, design)
    ids = list(runner.params)
    # the warm-up, then points evenly spread over the design (repeated in a small one)
    spread = np.linspace(0, len(ids) - 1, TIMING_POINTS).round().astype(int).tolist()
    ids = [ids[0], *(ids[i] for i in spread)]

    def timed(run_id: int, replicate: int) -> float:
        start = time.perf_counter()
        runner.setup(run_id)  # prepared once per point, as in a sweep
        runner.task_columns(run_id, replicate)
        return time.perf_counter() - start

    timed(ids[0], 0)  # warm-up
    points = []
    for run_id in ids[1:]:
        runner._cached = None  # a point repeated in a small design is prepared again
        points.append(timed(run_id, 0))
    # the same point again: its set-up is kept
    extra = statistics.fmean(timed(ids[-1], k) for k in (1, 2))
    return statistics.fmean(points), extra


def _disk(exp, runs: int) -> int:
    years = len(exp.outcomes.years) if exp.outcomes.years else 1
    states = 5 if exp.outcomes.aggregate == "state" else 1
    columns = _KEY_COLUMNS + len(exp.parameters) + len(exp.outcomes.metrics)
    return runs * years * states * columns * _VALUE_BYTES


def time_scenario(path: str | Path, seed: int = 0) -> tuple[float, float, int]:
    """(seconds for a first replicate of a scenario, loading and preparing it included;
    seconds per further replicate; bytes of one replicate's tables at 8 per value),
    after a warm-up run."""
    from polarsim.run import run

    def timed(replicates: int) -> float:
        start = time.perf_counter()
        run(path, seed=seed, replicates=replicates)
        return time.perf_counter() - start

    states = run(path, seed=seed, replicates=1).states  # also the warm-up
    one = timed(1)
    extra = max(timed(3) - one, 0.0) / 2
    return one, extra, states.size * _VALUE_BYTES


def _workers(workers: int) -> int:
    return max(1, min(workers, os.cpu_count() or 1))


def estimate_experiment(
    path: str | Path,
    *,
    workers: int = 1,
    samples: int | None = None,
    replicates: int | None = None,
    name: str | None = None,
) -> Estimate:
    """The size and estimated cost of `polarsim sweep PATH` (`samples` and `replicates`
    as on its command line). Raises PolarsimInputError on a bad file."""
    from polarsim.experiment.check import refuse_experiment
    from polarsim.experiment.folder import _scaled
    from polarsim.experiment.spec import base_path, load_experiment

    path = Path(path)
    # every refusal of the sweep itself, with its --samples and --replicates
    refuse_experiment(path, samples=samples, replicates=replicates)
    exp, _ = _scaled(load_experiment(path), {}, samples, replicates)
    return estimate_loaded(exp, base_path(path, exp), name or path.name, workers)


def estimate_loaded(exp, base: Path, name: str, workers: int = 1) -> Estimate:
    """estimate_experiment for an experiment already loaded (and changed: a study's
    reduced designs), its base scenario at `base`."""
    from polarsim.experiment.design import make_design

    design = make_design(exp)
    point_s, rep_s = _timing(exp, base, design)
    points = len(design)
    runs = points * exp.replicates
    return Estimate(
        name, points, exp.replicates, runs, point_s, rep_s, _workers(workers), _disk(exp, runs)
    )


def estimate_calibration(
    path: str | Path, *, workers: int = 1, samples: int | None = None
) -> Estimate:
    """`polarsim calibrate PATH`: its prior sample, then one sample per further
    generation (ABC-SMC), each the size of the design."""
    from polarsim.experiment.spec import load_experiment

    exp = load_experiment(path)
    if exp.calibration is None:
        raise PolarsimInputError("no calibration section", file=str(path), field="calibration")
    one = estimate_experiment(path, workers=workers, samples=samples, name="generation")
    gens = exp.calibration.generations if exp.calibration.method == "abc_smc" else 1
    parts = [
        Estimate(
            f"generation {g}",
            one.points,
            one.replicates,
            one.runs,
            one.point_seconds,
            one.replicate_seconds,
            one.workers,
            one.disk_bytes,
        )  # fmt: skip
        for g in range(gens)
    ]
    return Estimate(
        Path(path).name, one.points * gens, one.replicates, one.runs * gens,
        one.point_seconds, one.replicate_seconds, one.workers, one.disk_bytes * gens, parts,
    )  # fmt: skip
