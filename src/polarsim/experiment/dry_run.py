"""What a sweep, calibration or study will cost before it starts (`--dry-run`): the
file checked with everything it names (polarsim.checks), the number of runs, and the
time and disk estimated from a few runs timed here.

    from polarsim.experiment.dry_run import estimate_experiment

    e = estimate_experiment("experiments/sobol_autonomy.yaml", workers=2)
    e.runs, e.seconds, e.disk_bytes

The time is the runs' cost on this machine now: `timing_points` design points of the
experiment (each loaded, prepared and run once, after a warm-up run) and one extra
replicate of one of them. A sweep reuses its base scenario's preparation, so it is
usually a little faster than the estimate; parallel workers divide it by at most their
number. The disk is the results' upper bound: 8 bytes per value before Parquet's
compression.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from polarsim.errors import PolarsimInputError

#: design points timed for an estimate (after one warm-up run)
TIMING_POINTS = 3
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
    def seconds(self) -> float:
        if self.parts:
            return sum(p.seconds for p in self.parts)
        serial = self.points * self.point_seconds
        serial += self.points * (self.replicates - 1) * self.replicate_seconds
        return serial / max(self.workers, 1)

    def lines(self) -> list[str]:
        out = []
        for part in self.parts or [self]:
            out.append(
                f"{part.name}: {part.points:,} points x {part.replicates} replicate"
                f"{'' if part.replicates == 1 else 's'} = {part.runs:,} runs, about "
                f"{_duration(part.seconds)} with {part.workers} worker"
                f"{'' if part.workers == 1 else 's'}, at most {_size(part.disk_bytes)} of "
                "results"
            )
        if self.parts:
            out.append(
                f"total: {sum(p.runs for p in self.parts):,} runs, about "
                f"{_duration(self.seconds)}, at most {_size(self.disk_bytes)}"
            )
        out.append(
            f"(timed here: {self.point_seconds:.2f} s per design point, "
            f"{self.replicate_seconds:.3f} s per further replicate; nothing was written)"
        )
        return out


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
    """(seconds per design point, seconds per further replicate), from TIMING_POINTS
    points of `design` after a warm-up (lazy imports, data tables)."""
    from polarsim.experiment.spec import param_paths
    from polarsim.run import run

    rows = design.to_dict("records")
    rows = [rows[min(i, len(rows) - 1)] for i in range(TIMING_POINTS + 1)]

    def params(row: dict) -> dict:
        return {
            path: row[name] for name, p in exp.parameters.items() for path in param_paths(name, p)
        }

    def timed(row: dict, replicates: int) -> float:
        start = time.perf_counter()
        run(base, seed=exp.seed, replicates=replicates, overrides=exp.overrides,
            params=params(row))  # fmt: skip
        return time.perf_counter() - start

    timed(rows[0], 1)  # warm-up
    point = statistics.median(timed(r, 1) for r in rows[1:])
    extra = max(timed(rows[1], 3) - timed(rows[1], 1), 0.0) / 2
    return max(point - extra, extra), extra


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
    return max(one - extra, extra), extra, states.size * _VALUE_BYTES


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
    from polarsim.experiment.check import check_experiment
    from polarsim.experiment.folder import _scaled
    from polarsim.experiment.spec import base_path, load_experiment
    from polarsim.inputs.problems import InputProblemsError

    path = Path(path)
    problems, _ = check_experiment(path)
    if problems:
        raise InputProblemsError(problems)
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
