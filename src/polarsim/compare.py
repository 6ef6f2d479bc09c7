"""Compare scenarios with common random numbers: the Python API behind
`polarsim compare`.

Replicate r of every scenario uses the same seed stream, so differences between
scenarios are paired by replicate and their intervals are much tighter than those of
independent runs.

    from polarsim.compare import compare
    c = compare(["scenarios/baseline.yaml", "scenarios/spheres_of_influence.yaml"],
                replicates=10, years=[2030, 2050])
    c.table     # scenario, state, year, mean, lower, upper, n, diff, diff_lower, diff_upper
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.markdown import markdown_table as _table
from polarsim.outputs import new_output_dir
from polarsim.provenance import git_commit, versions
from polarsim.run import (
    check_metric_column,
    check_replicates,
    check_seed,
    common_years,
    left_out_text,
    run,
    scenario_list,
    shared_states,
)
from polarsim.scenario import Scenario, load_scenario, resolved_yaml, scenario_hash
from polarsim.summaries import check_metric, comparison_table, scenario_names

__all__ = [
    "Comparison",
    "check_metric_column",
    "compare",
    "comparison_table",
    "markdown_table",
    "shared_states",
    "write_comparison",
]

#: Writes figures into the comparison's staging folder (polarsim.plots.folder_figures).
ComparisonFigures = Callable[["Comparison", Path], None]


@dataclass
class Comparison:
    states: pd.DataFrame  # every run, with a `scenario` column
    table: pd.DataFrame
    scenarios: list[Scenario]
    metric: str
    manifest: dict = field(default_factory=dict)
    #: States some scenarios lack, left out of `table`, by scenario name (`states` has
    #: every run's rows).
    left_out: dict[str, list[str]] = field(default_factory=dict)


def compare(
    scenarios: Sequence[str | Path | Scenario],
    seed: int = 0,
    replicates: int = 10,
    years: Sequence[int] | None = None,
    metric: str = "autonomy_index",
    progress: bool = False,
) -> Comparison:
    """Run every scenario with the same seed and replicates; tabulate the metric's mean
    with a 95 % interval per state and year, and the paired difference from the first
    scenario with its 95 % interval. The table covers the states every scenario has; a
    state only some have (one a scenario adds) is left out, with a PolarsimNote, and
    named in `left_out` and the manifest."""
    scenarios = scenario_list(scenarios)
    if len(scenarios) < 2:
        raise PolarsimInputError("compare needs at least two scenarios")
    check_replicates(replicates)
    seed, replicates = check_seed(seed), int(replicates)  # plain ints: the manifest is JSON
    check_metric(metric)  # a key or a column of codes is refused before any run
    start = time.perf_counter()
    created = datetime.now(UTC).isoformat(timespec="seconds")
    paths = [None if isinstance(s, Scenario) else str(s) for s in scenarios]
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    names = scenario_names([s.name for s in loaded])
    years = common_years(loaded, years)
    check_metric_column(metric, loaded[0])
    shared, left_out = shared_states(loaded, names)
    frames = []
    for name, s in zip(names, loaded, strict=True):
        res = run(s, seed=seed, replicates=replicates, progress=progress)
        check_metric(metric, res.states)  # the columns are known after the first run
        seeds = res.manifest["seeds"]
        frames.append(res.states.assign(scenario=name))
    states = pd.concat(frames, ignore_index=True)
    table = comparison_table(states[states["state"].isin(shared)], names, years, metric)
    # the keys of a run's manifest (polarsim.provenance.manifest) where they mean the same
    man = {
        "created_by": "polarsim compare",
        "created_utc": created,
        "versions": versions(),
        "git_commit": git_commit(),
        "seed": seed,
        "replicates": replicates,
        "common_random_numbers": "replicate r of every scenario uses "
        "SeedSequence(seed).spawn(replicates)[r]",
        "seeds": seeds,  # every scenario's: common random numbers
        "metric": metric,
        "years": years,
        "states": shared,
        "states_left_out": left_out,
        "scenarios": [
            {"name": n, "path": p, "sha256": scenario_hash(s)}
            for n, p, s in zip(names, paths, loaded, strict=True)
        ],
        "wall_time_s": round(time.perf_counter() - start, 3),
    }
    return Comparison(states, table, loaded, metric, man, left_out)


def markdown_table(
    table: pd.DataFrame, metric: str, left_out: Mapping[str, Sequence[str]] | None = None
) -> str:
    """One row per state and year; per scenario its mean [95 % CI] and, after the
    first, the difference from the first [95 % CI]. A scenario without a row for the
    state and year, or without a value there (remittances of a state without data at
    the start), shows "–", one without a difference its level alone; `left_out`
    (Comparison.left_out) names the states the table leaves out under it."""
    names = list(dict.fromkeys(table["scenario"]))
    head = ["state", "year"] + [
        f"{n}" if i == 0 else f"{n} (Δ vs {names[0]})" for i, n in enumerate(names)
    ]
    counted = table["n"][table["n"] > 0]  # a cell without a value has no replicates
    n = int(counted.min()) if len(counted) else 0
    caption = (
        f"Mean {metric} with 95 % intervals (t, n = {n} replicates); "
        if n >= 2
        else f"{metric} of n = 1 replicate (no interval: run more replicates); "
    )
    rows = []
    for (state, year), g in table.groupby(["state", "year"], sort=False):
        cells = [state, str(year)]
        for i, name in enumerate(names):
            mine = g[g["scenario"] == name]
            has = len(mine) and mine.iloc[0]["n"] > 0
            cells.append(_difference_cell(mine.iloc[0], i > 0) if has else "–")
        rows.append(cells)
    caption += "differences paired by replicate (common random numbers)."
    if left_out:
        caption += f" States not in every scenario are {left_out_text(left_out)}."
    return _table(head, rows, caption=caption)


def _difference_cell(r: pd.Series, with_diff: bool) -> str:
    with_diff = with_diff and not pd.isna(r["diff"])
    if r["n"] < 2:  # one replicate: no spread, so no interval to show
        return f"{r['mean']:.3f}" + (f" (Δ {r['diff']:+.3f})" if with_diff else "")
    text = f"{r['mean']:.3f} [{r['lower']:.3f}, {r['upper']:.3f}]"
    if with_diff:
        text += f" (Δ {r['diff']:+.3f} [{r['diff_lower']:+.3f}, {r['diff_upper']:+.3f}])"
    return text


def write_comparison(
    c: Comparison,
    out_dir: str | Path,
    figures: ComparisonFigures | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write the comparison into a NEW folder, whole or not at all; `force` replaces a
    folder polarsim wrote (see polarsim.outputs). `figures(c, folder)` adds figures to
    the folder before it is published (the command line passes
    polarsim.plots.folder_figures.comparison_figures)."""
    with new_output_dir(out_dir, kind="compare", force=force) as tmp:
        c.table.to_csv(tmp / "comparison.csv", index=False)
        (tmp / "comparison.md").write_text(markdown_table(c.table, c.metric, c.left_out))
        c.states.to_parquet(tmp / "states.parquet", index=False)
        names = scenario_names([s.name for s in c.scenarios])
        for name, s in zip(names, c.scenarios, strict=True):
            (tmp / f"scenario.{name}.resolved.yaml").write_text(resolved_yaml(s))
        if figures:
            figures(c, tmp)
        (tmp / "manifest.json").write_text(json.dumps(c.manifest, indent=2) + "\n")
    return Path(out_dir)
