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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.outputs import new_output_dir
from polarsim.plots.autonomy import autonomy_summary
from polarsim.run import check_replicates, run
from polarsim.scenario import Scenario, load_scenario, resolved_yaml, scenario_hash


@dataclass
class Comparison:
    states: pd.DataFrame  # every run, with a `scenario` column
    table: pd.DataFrame
    scenarios: list[Scenario]
    metric: str
    manifest: dict = field(default_factory=dict)


def _names(scenarios: list[Scenario]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for s in scenarios:
        seen[s.name] = seen.get(s.name, 0) + 1
        out.append(s.name if seen[s.name] == 1 else f"{s.name}-{seen[s.name]}")
    return out


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
    scenario with its 95 % interval."""
    if len(scenarios) < 2:
        raise PolarsimInputError("compare needs at least two scenarios")
    check_replicates(replicates)
    start = time.perf_counter()
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    names = _names(loaded)
    common = set.intersection(*(set(s.years) for s in loaded))
    if not common:
        raise PolarsimInputError("the scenarios share no simulated year")
    years = sorted(years) if years else [max(common)]
    missing = [y for y in years if y not in common]
    if missing:
        raise PolarsimInputError(
            f"years {missing} are not simulated by every scenario (common: "
            f"{min(common)}-{max(common)})",
            field="--years",
        )
    frames = []
    for name, s in zip(names, loaded, strict=True):
        res = run(s, seed=seed, replicates=replicates, progress=progress)
        if metric not in res.states:
            raise PolarsimInputError(f"unknown metric {metric!r}", field="--metric")
        frames.append(res.states.assign(scenario=name))
    states = pd.concat(frames, ignore_index=True)
    table = comparison_table(states, names, years, metric)
    man = {
        "created_by": "polarsim compare",
        "seed": seed,
        "replicates": replicates,
        "common_random_numbers": "replicate r of every scenario uses "
        "SeedSequence(seed).spawn(replicates)[r]",
        "metric": metric,
        "years": years,
        "scenarios": [
            {"name": n, "sha256": scenario_hash(s)} for n, s in zip(names, loaded, strict=True)
        ],
        "wall_time_s": round(time.perf_counter() - start, 3),
    }
    return Comparison(states, table, loaded, metric, man)


def comparison_table(
    states: pd.DataFrame, names: list[str], years: Sequence[int], metric: str
) -> pd.DataFrame:
    cols = ["replicate", "year", "state", metric]
    sel = states[states["year"].isin(list(years))]
    base = sel[sel["scenario"] == names[0]][cols].set_index(["replicate", "year", "state"])
    out = []
    for name in names:
        mine = sel[sel["scenario"] == name][cols].set_index(["replicate", "year", "state"])
        level = autonomy_summary(mine.reset_index(), metric)
        paired = (mine[metric] - base[metric]).rename("diff").reset_index().dropna()
        diff = autonomy_summary(paired, "diff").rename(
            columns={"mean": "diff", "lower": "diff_lower", "upper": "diff_upper"}
        )
        merged = level.merge(diff.drop(columns="n"), on=["state", "year"])
        out.append(merged.assign(scenario=name))
    table = pd.concat(out, ignore_index=True)
    return table[
        [
            "scenario",
            "state",
            "year",
            "mean",
            "lower",
            "upper",
            "n",
            "diff",
            "diff_lower",
            "diff_upper",
        ]
    ]


def markdown_table(table: pd.DataFrame, metric: str) -> str:
    """One row per state and year; per scenario its mean [95 % CI] and, after the
    first, the difference from the first [95 % CI]."""
    names = list(dict.fromkeys(table["scenario"]))
    head = ["state", "year"] + [
        f"{n}" if i == 0 else f"{n} (Δ vs {names[0]})" for i, n in enumerate(names)
    ]
    n = int(table["n"].min())
    caption = (
        f"Mean {metric} with 95 % intervals (t, n = {n} replicates); "
        if n >= 2
        else f"{metric} of n = 1 replicate (no interval: run more replicates); "
    )
    lines = [
        caption + "differences paired by replicate (common random numbers).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for (state, year), g in table.groupby(["state", "year"], sort=False):
        cells = [state, str(year)]
        for i, n in enumerate(names):
            r = g[g["scenario"] == n].iloc[0]
            if r["n"] < 2:  # one replicate: no spread, so no interval to show
                text = f"{r['mean']:.3f}" + (f" (Δ {r['diff']:+.3f})" if i else "")
            else:
                text = f"{r['mean']:.3f} [{r['lower']:.3f}, {r['upper']:.3f}]"
                if i:
                    text += (
                        f" (Δ {r['diff']:+.3f} [{r['diff_lower']:+.3f}, {r['diff_upper']:+.3f}])"
                    )
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_comparison(
    c: Comparison, out_dir: str | Path, figures: bool = True, *, force: bool = False
) -> Path:
    """Write the comparison into a NEW folder, whole or not at all; `force` replaces a
    folder polarsim wrote (see polarsim.outputs)."""
    with new_output_dir(out_dir, force=force) as tmp:
        c.table.to_csv(tmp / "comparison.csv", index=False)
        (tmp / "comparison.md").write_text(markdown_table(c.table, c.metric))
        c.states.to_parquet(tmp / "states.parquet", index=False)
        for name, s in zip(_names(c.scenarios), c.scenarios, strict=True):
            (tmp / f"scenario.{name}.resolved.yaml").write_text(resolved_yaml(s))
        if figures:
            from polarsim.plots.compare import plot_compare
            from polarsim.plots.save import save_figure
            from polarsim.plots.timeseries import plot_timeseries

            save_figure(plot_compare(c.table, c.metric), tmp / "figures" / "compare")
            save_figure(plot_timeseries(c.states, c.metric), tmp / "figures" / "timeseries")
        (tmp / "manifest.json").write_text(json.dumps(c.manifest, indent=2) + "\n")
    return Path(out_dir)
