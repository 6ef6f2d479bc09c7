"""Run a scenario: the Python API behind `polarsim run`.

from polarsim import run
result = run("scenarios/historical.yaml", seed=1, replicates=10)
result.states      # pandas DataFrame, one row per (replicate, year, state)
"""

from __future__ import annotations

import copy
import json
import os
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError, PolarsimNote
from polarsim.limits import MAX_REPLICATES
from polarsim.model.model import CompetitionModel
from polarsim.model.seeds import replicate_rng
from polarsim.outputs import new_output_dir, timestamped
from polarsim.provenance import manifest
from polarsim.scenario import Scenario, load_scenario, resolved_yaml, scenario_hash
from polarsim.scenario.overrides import as_overrides, with_params
from polarsim.summaries import check_metric


def check_replicates(replicates: int, field: str = "--replicates") -> None:
    """Refuse a number of replicates outside 1..MAX_REPLICATES before anything runs."""
    if isinstance(replicates, bool) or not isinstance(replicates, int | np.integer):
        raise PolarsimInputError(f"expected a whole number, found {replicates!r}", field=field)
    if replicates < 1:
        raise PolarsimInputError(f"must be at least 1, found {replicates}", field=field)
    if replicates > MAX_REPLICATES:
        raise PolarsimInputError(
            f"{replicates} is more than the {MAX_REPLICATES} replicates one run holds in "
            "memory; run a larger ensemble as a sweep (replicates: in an experiment file)",
            field=field,
        )


@dataclass
class RunResult:
    """What `run` returns: pandas tables of every replicate and what made them.

    states: one row per (replicate, year, state): ties by arena and power, trade and
        autonomy metrics (docs/metrics.md).
    system: one row per (replicate, year): regional concentration, blocs, projects,
        coercive acts, influence shares.
    events: one row per event of the run (replicate, year, kind, actor, target, detail,
        value).
    scenario: the Scenario run (overrides and params applied).
    manifest: versions, commit, scenario SHA-256, seeds and command (manifest.json of
        `write_run`); it describes the tables as returned, not as changed since."""

    states: pd.DataFrame
    system: pd.DataFrame
    events: pd.DataFrame
    scenario: Scenario
    manifest: dict = field(default_factory=dict)


def check_seed(seed: int) -> int:
    """The root seed as a plain int (a NumPy integer too), or an input error."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise PolarsimInputError(f"seed must be a non-negative integer, found {seed!r}")
    return int(seed)


def check_names(values: Sequence[str] | None, field: str, what: str) -> list[str] | None:
    """A list of names (scenarios, mechanisms, series...) as given, or None; one string
    is refused, since iterating it would take each of its characters for a name."""
    if values is None:
        return None
    if isinstance(values, str | bytes | os.PathLike) or not isinstance(
        values, Sequence | set | frozenset | np.ndarray | pd.Series | pd.Index
    ):
        raise PolarsimInputError(
            f"expected a list of {what}, found {values!r} (write [{values!r}] for one)",
            field=field,
        )
    return list(values)


def scenario_list(scenarios: Sequence[str | Path | Scenario], field: str = "scenarios") -> list:
    """The scenarios of a comparison as a list: one path or Scenario alone is refused
    (a path string would otherwise be read as one file per character)."""
    if isinstance(scenarios, Scenario):
        raise PolarsimInputError("expected a list of scenarios, found one Scenario", field=field)
    return check_names(scenarios, field, "scenario files or Scenario objects")


def states_columns(scenario: Scenario) -> dict[str, bool] | None:
    """{column of the scenario's states table: whether it holds text}, from one year
    of a run as a sweep's task runs it (model.recorder); None if that year fails (the
    runs report it)."""
    try:
        from polarsim.model.setup import prepare

        model = CompetitionModel(prepare(scenario), rng=np.random.default_rng(0), replicate=0)
        model.step()
        columns = model.recorder.states_columns(first=0, upto=0)
    except Exception:  # a run's own failure, not the file's: the sweep records it
        return None
    return {name: values.dtype == object for name, values in columns.items()}


def check_metric_column(
    metric: str, scenario: Scenario, field: str = "--metric", *, name: str | None = None
) -> None:
    """Refuse a metric that is not a numeric column of the scenario's states table (a
    misspelt name too, with the closest metric as a hint) before the runs: the columns
    are those of one simulated year (states_columns), checked by summaries.check_metric.
    `name` (the scenario's file) is named in the message. If that year fails, the runs
    report it."""
    check_metric_columns([metric], scenario, field, name=name)


def check_metric_columns(
    metrics: Sequence[str], scenario: Scenario, field: str = "--metric", *, name: str | None = None
) -> None:
    """check_metric_column for several metrics, from one simulated year."""
    columns = states_columns(scenario)
    if columns is None:
        return
    probe = pd.DataFrame(
        {c: pd.Series(dtype=object if text else float) for c, text in columns.items()}
    )
    table = None if name is None else f"the states table of {name}"
    for metric in metrics:
        check_metric(metric, probe, field=field, table=table)


def shared_states(
    scenarios: Sequence[Scenario], names: Sequence[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """The states every scenario has (in the first one's order), and the others by
    scenario name; a PolarsimNote names those left out, before any run. Scenarios that
    share no state are refused: there is nothing to compare."""
    shared = [c for c in scenarios[0].state_codes if all(c in s.states for s in scenarios)]
    left_out = {
        n: [c for c in s.state_codes if c not in shared]
        for n, s in zip(names, scenarios, strict=True)
    }
    left_out = {n: codes for n, codes in left_out.items() if codes}
    if not shared:
        raise PolarsimInputError(
            "the scenarios share no state, so there is no difference to take", field="scenarios"
        )
    if left_out:
        warnings.warn(
            PolarsimNote(
                "the comparison covers the states every scenario has; " + left_out_text(left_out)
            ),
            stacklevel=3,
        )
    return shared, left_out


def left_out_text(left_out: Mapping[str, Sequence[str]]) -> str:
    """The states `shared_states` left out, by scenario, as one phrase."""
    parts = [f"{', '.join(codes)} (in {name})" for name, codes in left_out.items()]
    return "left out: " + "; ".join(parts)


def common_years(scenarios: Sequence[Scenario], years: Sequence[int] | None) -> list[int]:
    """The years to compare scenarios in: ``years`` (sorted) if every scenario simulates
    them, else an input error naming the common span; the last common year if None.
    An empty list, a single number or a year that is not a whole number is refused."""
    common = set.intersection(*(set(s.years) for s in scenarios))
    if not common:
        raise PolarsimInputError("the scenarios share no simulated year")
    if years is not None:
        if isinstance(years, int | np.integer | str) or not isinstance(
            years, Sequence | set | frozenset | np.ndarray | pd.Series | pd.Index
        ):
            raise PolarsimInputError(f"expected a list of years, found {years!r}", field="--years")
        if not len(years):
            raise PolarsimInputError(
                "expected at least one year (None: the last common year)", field="--years"
            )
        bad = [y for y in years if isinstance(y, bool) or not isinstance(y, int | np.integer)]
        if bad:
            raise PolarsimInputError(
                f"expected whole-number years, found {bad[0]!r}", field="--years"
            )
    chosen = sorted(int(y) for y in years) if years is not None else [max(common)]
    missing = [y for y in chosen if y not in common]
    if missing:
        raise PolarsimInputError(
            f"years {missing} are not simulated by every scenario (common: "
            f"{min(common)}-{max(common)})",
            field="--years",
        )
    return chosen


def replicate_generators(seed: int, replicates: int) -> list[np.random.Generator]:
    """Independent streams per replicate; replicate r is the same whatever R is (and the
    one `CompetitionModel(scenario, seed=seed, replicate=r)` draws from)."""
    return [replicate_rng(seed, r) for r in range(replicates)]


def run_model(scenario: Scenario, rng: np.random.Generator, replicate: int = 0):
    """One replicate to the end; returns its tables (dict of DataFrames)."""
    model = CompetitionModel(scenario, rng=rng, replicate=replicate)
    while model.running:
        model.step()
    return model.recorder.tables(model.events)


#: The runs of the innermost `shared_runs` block, by (scenario SHA-256, seed,
#: replicates); None outside every block.
_SHARED: dict[tuple[str, int, int], RunResult] | None = None
#: Runs a block keeps: the first ones, which are the ones asked for again (a study's
#: scenarios as shipped, before their switched-off and varied copies, which are not);
#: each holds its tables (about 3 MB for 20 replicates of the baseline to 2050), so
#: keeping all of a study's 150 would hold 450 MB.
MAX_SHARED_RUNS = 16


@contextmanager
def shared_runs() -> Iterator[None]:
    """Within the block, `run` of a Scenario object already run with the same seed and
    replicates (the same scenario by its SHA-256) returns copies of the first result's
    tables instead of simulating it again: the same numbers, since a run is a function
    of its scenario, seed and replicates. A study compares its scenarios, then switches
    each mechanism off and varies each assumption with the same seeds, and each of those
    runs the scenarios as shipped again. The block keeps the first MAX_SHARED_RUNS runs.
    Blocks nest; the memory is dropped at the end of the outermost."""
    global _SHARED
    outer = _SHARED
    if outer is None:
        _SHARED = {}
    try:
        yield
    finally:
        if outer is None:
            _SHARED = None


def run(
    scenario: Scenario | str | Path,
    seed: int = 0,
    replicates: int = 1,
    overrides: list[str] | tuple[str, ...] = (),
    progress: bool = False,
    command: list[str] | None = None,
    params: Mapping[str, Any] | None = None,
) -> RunResult:
    """Run `replicates` replicates of a scenario (a file path or a Scenario).

    seed: the root seed (a non-negative int); replicate r draws from the r-th child of
    SeedSequence(seed) whatever `replicates` is, so the same seed gives the same numbers.
    overrides: the `--set` strings of the command line (`["time.end_year=2030"]`), for
    a scenario file only. params: dotted paths to values, numbers as numbers
    (`{"powers.RUS.exclusivity": 0.7}`), applied after `overrides`. progress: a
    progress bar; command: the command line recorded in the manifest (default sys.argv).
    Bad input raises PolarsimInputError naming the argument, before anything runs."""
    check_replicates(replicates)
    seed, replicates = check_seed(seed), int(replicates)  # plain ints: the manifest is JSON
    if isinstance(overrides, str | bytes) or not isinstance(overrides, Sequence):
        raise PolarsimInputError(
            f"expected a list of PATH=VALUE strings, found {overrides!r}", field="overrides"
        )
    if not isinstance(scenario, Scenario | str | os.PathLike):
        raise PolarsimInputError(
            f"expected a scenario file (str or Path) or a Scenario, found {scenario!r}",
            field="scenario",
        )
    path = None
    applied = [*overrides, *as_overrides(params)]
    if not isinstance(scenario, Scenario):
        path = str(scenario)
        scenario = load_scenario(scenario, applied)
    elif overrides:
        raise PolarsimInputError("overrides apply to scenario files; pass a path or params")
    else:
        scenario = with_params(scenario, params)
    key = None
    if _SHARED is not None and path is None:
        key = (scenario_hash(scenario), int(seed), replicates)
        if key in _SHARED:
            return _copied(_SHARED[key])
    start = time.perf_counter()
    gens = replicate_generators(seed, replicates)
    iterator = range(replicates)
    if progress:
        from tqdm import tqdm

        iterator = tqdm(iterator, desc=scenario.name, unit="run", delay=1.0, leave=False)
    parts = [run_model(scenario, gens[r], r) for r in iterator]
    tables = {k: pd.concat([p[k] for p in parts], ignore_index=True) for k in parts[0]}
    wall = time.perf_counter() - start
    seeds = np.random.SeedSequence(seed).spawn(replicates)
    man = manifest(
        scenario_name=scenario.name,
        scenario_path=path,
        scenario_sha256=scenario_hash(scenario),
        seed=seed,
        replicate_seeds=[list(s.spawn_key) for s in seeds],
        wall_time_s=wall,
        command=command,
        overrides=applied,
    )
    result = RunResult(tables["states"], tables["system"], tables["events"], scenario, man)
    if key is not None and _SHARED is not None and len(_SHARED) < MAX_SHARED_RUNS:
        _SHARED[key] = _copied(result)
    return result


def _copied(result: RunResult) -> RunResult:
    """The result with its own tables: whoever holds one may change them in place."""
    return replace(
        result,
        states=result.states.copy(),
        system=result.system.copy(),
        events=result.events.copy(),
        manifest=copy.deepcopy(result.manifest),
    )


def default_out_dir(scenario: Scenario, root: Path = Path("runs")) -> Path:
    return timestamped(scenario.name, root)


#: Writes figures into a run's staging folder (polarsim.plots.folder_figures.run_figures).
RunFigures = Callable[["RunResult", Path], None]


def _events_to_parquet(events: pd.DataFrame, path: Path) -> None:
    """The events table as parquet; a run without events keeps the text columns'
    string type (an empty column of objects would be written as Arrow's null type,
    which another tool, or a dataset of several runs, does not read as text)."""
    if len(events):
        events.to_parquet(path, index=False)
        return
    import pyarrow as pa

    types = {c: pa.large_string() for c in ("kind", "actor", "target", "detail")}
    schema = pa.schema(
        [(c, types.get(c) or pa.from_numpy_dtype(events[c].dtype)) for c in events.columns]
    )
    events.to_parquet(path, index=False, schema=schema)


def write_run(
    result: RunResult,
    out_dir: str | Path,
    figures: RunFigures | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write tables, manifest and resolved scenario into a NEW folder, whole or not at
    all; `force` replaces a folder polarsim wrote (see polarsim.outputs).
    `figures(result, folder)` adds figures before the folder is published: the command
    line passes polarsim.plots.folder_figures.run_figures, which honours the scenario's
    `outputs:` section."""
    if not isinstance(result, RunResult):
        raise PolarsimInputError(
            f"expected the RunResult of polarsim.run, found {type(result).__name__}",
            field="result",
        )
    if not isinstance(out_dir, str | os.PathLike):
        raise PolarsimInputError(f"expected a folder path, found {out_dir!r}", field="out_dir")
    with new_output_dir(out_dir, force=force) as tmp:
        result.states.to_parquet(tmp / "states.parquet", index=False)
        result.system.to_parquet(tmp / "system.parquet", index=False)
        _events_to_parquet(result.events, tmp / "events.parquet")
        (tmp / "scenario.resolved.yaml").write_text(resolved_yaml(result.scenario))
        if figures:
            figures(result, tmp)
        (tmp / "manifest.json").write_text(json.dumps(result.manifest, indent=2) + "\n")
    return Path(out_dir)
