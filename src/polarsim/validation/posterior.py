"""Replicates that draw their parameters from a calibration's posterior sample, so a
hindcast band holds parameter uncertainty as well as the model's own randomness
(a posterior predictive band)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError

if TYPE_CHECKING:
    from polarsim.run import RunResult


def posterior_sets(folder: str | Path) -> tuple[list[list[str]], np.ndarray]:
    """(sets, weights): one list of `--set` items per accepted point of a `polarsim
    calibrate` folder (distances.csv, experiment.yaml), in run_id order, and their
    weights (equal for rejection ABC, importance weights for SMC). The experiment's own
    overrides (time span etc.) are not applied: only the fitted parameters."""
    from polarsim.experiment.spec import load_experiment, param_paths

    folder = Path(folder)
    need = [folder / "distances.csv", folder / "experiment.yaml"]
    if not all(p.is_file() for p in need):
        raise PolarsimInputError(
            "not a calibration folder (expected distances.csv and experiment.yaml, "
            "written by polarsim calibrate)",
            field=f"--posterior {folder}",
        )
    if not (folder / "calibration.json").is_file():  # written last (calibration.abc)
        raise PolarsimInputError(
            "an unfinished calibration (no calibration.json: it was interrupted); finish "
            "it with `polarsim calibrate EXPERIMENT --out FOLDER --resume`",
            field=f"--posterior {folder}",
        )
    exp = load_experiment(folder / "experiment.yaml")
    d = pd.read_csv(folder / "distances.csv")
    acc = d[d["accepted"].astype(bool)].sort_values("run_id")
    sets = [
        [
            f"{path}={json.dumps(row[name])}"
            for name, p in exp.parameters.items()
            for path in param_paths(name, p)
        ]
        for row in acc.to_dict("records")
    ]
    w = acc["weight"].to_numpy(dtype=float) if "weight" in acc else np.ones(len(acc))
    return sets, w / w.sum()


def pick(weights: np.ndarray, replicates: int) -> list[int]:
    """Systematic resampling: replicate r takes the first point whose cumulative share
    of the weights reaches (r + 1/2) / R; with equal weights of n points, point
    ceil((r + 1/2) n / R) - 1 (points 1, 4, ..., 28 of 30 for R = 10)."""
    cdf = np.cumsum(weights) / np.sum(weights)
    u = (np.arange(replicates) + 0.5) / replicates
    return [int(i) for i in np.minimum(np.searchsorted(cdf, u), len(cdf) - 1)]


def run_posterior(
    scenario: str | Path,
    sets: Sequence[Sequence[str]],
    weights: np.ndarray,
    seed: int = 0,
    replicates: int = 10,
    overrides: Sequence[str] = (),
    command: list[str] | None = None,
) -> RunResult:
    """Run `replicates` replicates of `scenario`, replicate r with the parameter set
    `sets[pick(weights, replicates)[r]]` and the stream SeedSequence(seed).spawn(R)[r]
    (as polarsim.run). Returns a RunResult."""
    from polarsim.provenance import manifest
    from polarsim.run import RunResult, replicate_generators, run_model
    from polarsim.scenario import load_scenario, scenario_hash

    if not sets:
        raise PolarsimInputError("the calibration accepted no point", field="--posterior")
    start = time.perf_counter()
    gens = replicate_generators(seed, replicates)
    chosen = pick(weights, replicates)
    parts = []
    for r, k in enumerate(chosen):
        sc = load_scenario(scenario, [*overrides, *sets[k]])
        parts.append(run_model(sc, gens[r], r))
    tables = {key: pd.concat([p[key] for p in parts], ignore_index=True) for key in parts[0]}
    base = load_scenario(scenario, list(overrides))
    seeds = np.random.SeedSequence(seed).spawn(replicates)
    man = manifest(
        scenario_name=base.name,
        scenario_path=str(scenario),
        scenario_sha256=scenario_hash(base),
        seed=seed,
        replicate_seeds=[list(s.spawn_key) for s in seeds],
        wall_time_s=time.perf_counter() - start,
        command=command,
    )
    man["posterior_sets"] = [list(sets[k]) for k in chosen]
    return RunResult(tables["states"], tables["system"], tables["events"], base, man)
