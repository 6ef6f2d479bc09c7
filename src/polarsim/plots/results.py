"""Read what the plot and table commands draw from: a run folder (`polarsim run`), a
comparison folder (`polarsim compare`), several run folders, or a sweep folder
(`polarsim sweep`). Every reader returns plain DataFrames."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from polarsim.errors import PolarsimInputError

__all__ = ["Results", "load_results", "load_sweep", "sweep_param_paths"]


@dataclass
class Results:
    """``states``: one row per (scenario, replicate, year, state) for runs; for a sweep
    one row per (run_id, replicate, year, state) with the parameters as columns.
    ``design`` and ``parameters`` are set for sweeps only."""

    kind: str  # "runs" or "sweep"
    states: pd.DataFrame
    manifests: list[dict] = field(default_factory=list)
    design: pd.DataFrame | None = None
    parameters: list[str] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)


def _manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise PolarsimInputError(
            "not a polarsim output folder (no manifest.json)", field=str(folder)
        )
    return json.loads(path.read_text())


def _written_by(man: dict, folder: Path) -> str:
    """What wrote a folder that holds no states table (`polarsim skill`, say), and where
    its own figures are, so the message says what the folder is."""
    command = man.get("command")
    verb = command[1] if isinstance(command, list) and len(command) > 1 else None
    if not isinstance(verb, str) or verb in ("run", "compare", "sweep"):
        return ""
    figures = folder / "figures"
    where = f"; its figures are in {figures}" if figures.is_dir() else ""
    return f": written by `polarsim {verb}`{where}"


def load_sweep(folder: str | Path) -> Results:
    folder = Path(folder)
    man = _manifest(folder)
    if not (folder / "design.parquet").is_file() or not (folder / "results").is_dir():
        raise PolarsimInputError("not a sweep folder (no design.parquet)", field=str(folder))
    design = pd.read_parquet(folder / "design.parquet").sort_values("run_id")
    parts = sorted((folder / "results").glob("part-*.parquet"))
    if not parts:
        raise PolarsimInputError("the sweep has no results yet", field=str(folder))
    results = pd.read_parquet(folder / "results")
    results = results.sort_values(["run_id", "replicate", "year", "state"], kind="mergesort")
    params = [c for c in design.columns if c != "run_id"]
    return Results("sweep", results.reset_index(drop=True), [man], design, params, [folder])


def _load_run(folder: Path) -> tuple[pd.DataFrame, dict]:
    man = _manifest(folder)
    path = folder / "states.parquet"
    if not path.is_file():
        raise PolarsimInputError(
            f"not a run folder (no states.parquet){_written_by(man, folder)}", field=str(folder)
        )
    states = pd.read_parquet(path)
    if "scenario" not in states.columns:
        name = (man.get("scenario") or {}).get("name") or folder.name
        states.insert(0, "scenario", name)
    return states, man


def load_results(folders: Sequence[str | Path]) -> Results:
    """One sweep folder, or any number of run / comparison folders (their scenarios are
    stacked; a repeated scenario name gets a -2, -3 ... suffix)."""
    paths = [Path(f) for f in folders]
    if not paths:
        raise PolarsimInputError("give at least one result folder")
    for p in paths:
        if not p.is_dir():
            raise PolarsimInputError("no such folder", field=str(p))
    sweeps = [p for p in paths if (p / "design.parquet").is_file()]
    if sweeps:
        if len(paths) > 1:
            raise PolarsimInputError(
                "give one sweep folder, or run/comparison folders only", field=str(sweeps[0])
            )
        return load_sweep(paths[0])
    frames, mans, seen = [], [], {}
    for p in paths:
        states, man = _load_run(p)
        renamed = {}
        for name in dict.fromkeys(states["scenario"]):
            seen[name] = seen.get(name, 0) + 1
            renamed[name] = name if seen[name] == 1 else f"{name}-{seen[name]}"
        frames.append(states.assign(scenario=states["scenario"].map(renamed)))
        mans.append(man)
    return Results("runs", pd.concat(frames, ignore_index=True), mans, folders=paths)


def sweep_param_paths(folder: Path) -> dict[str, list[str]]:
    """name -> scenario paths of each swept parameter, from the sweep's experiment copy."""
    path = folder / "experiment.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text()) or {}
    params = data.get("parameters") or {}
    return {n: list((p or {}).get("paths") or [n]) for n, p in params.items()}
