"""Replicate means with Student-t 95 % intervals: the summary tables that the analyses,
the figures and the reports share.

Every figure and table that shows a mean with a band gets its numbers here, so what a
figure draws can be tested and reported without reading pixels. This module imports
only pandas, NumPy and SciPy: the run and comparison code below the figures and the
figures themselves both use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from polarsim.errors import PolarsimInputError

__all__ = [
    "CONFIDENCE",
    "KEY_COLUMNS",
    "autonomy_summary",
    "check_metric",
    "comparison_from_states",
    "comparison_table",
    "interval_summary",
    "numeric_metrics",
    "scenario_names",
    "t_halfwidth",
    "timeseries_summary",
]

CONFIDENCE = 0.95

SUMMARY_COLUMNS: tuple[str, ...] = ("state", "year", "mean", "lower", "upper", "n")
COMPARISON_COLUMNS = [
    "scenario", "state", "year", "mean", "lower", "upper", "n", "diff", "diff_lower",
    "diff_upper",
]  # fmt: skip


#: Columns that say which row a value belongs to: never a metric to average.
KEY_COLUMNS = frozenset({"scenario", "run_id", "replicate", "year", "state"})
#: Metrics every states table has (polarsim.model.recorder.AUTONOMY_COLUMNS), named
#: first when a message lists the metrics to choose from.
MAIN_METRICS = (
    "autonomy_index",
    "hedging_index",
    "diversification",
    "vulnerability",
    "coercion_loss",
)
#: How many metrics a message names before "... (N in all)".
LISTED_METRICS = 6


def numeric_metrics(states: pd.DataFrame, exclude: Sequence[str] = ()) -> list[str]:
    """The columns of a states table that a mean can be taken of: numeric, not a row's
    key (KEY_COLUMNS) nor in `exclude` (a sweep's parameters); MAIN_METRICS first."""
    skip = KEY_COLUMNS.union(exclude)
    found = [
        c
        for c in dict.fromkeys(states.columns)
        if c not in skip
        and pd.api.types.is_numeric_dtype(states[c])
        and not pd.api.types.is_bool_dtype(states[c])
    ]
    return [m for m in MAIN_METRICS if m in found] + [m for m in found if m not in MAIN_METRICS]


def _choices(metrics: Sequence[str]) -> str:
    if not metrics:
        return "the results hold no numeric metric"
    shown = ", ".join(metrics[:LISTED_METRICS])
    more = f", ... ({len(metrics)} in all)" if len(metrics) > LISTED_METRICS else ""
    return f"numeric metrics: {shown}{more}"


def check_metric(
    metric: str,
    states: pd.DataFrame | None = None,
    *,
    field: str = "--metric",
    exclude: Sequence[str] = (),
    table: str | None = None,
) -> None:
    """Refuse a metric that is not a numeric column of `states` (a row's key such as
    state or year, a column of text such as trade_top_partner, a column the results do
    not have, or one of `exclude`, a sweep's parameters) with a PolarsimInputError
    naming `field` (the option) and some of the metrics there are; a misspelt name gets
    the closest metric as a hint. `table` names the table in the message (default "the
    results"). Without `states` (before a run) only what the name tells is checked: a
    key, or a *_partner column of codes. The plot, table and compare verbs all check
    here."""
    if states is None:
        if metric in KEY_COLUMNS or metric.endswith("_partner"):
            what = "names the rows" if metric in KEY_COLUMNS else "holds partner codes"
            raise PolarsimInputError(
                f"{metric!r} is not a numeric metric (it {what}); "
                f"numeric metrics include {', '.join(MAIN_METRICS)}",
                field=field,
            )
        return
    available = numeric_metrics(states, exclude)
    if metric in available:
        return
    if metric in KEY_COLUMNS:
        problem = f"{metric!r} is not a numeric metric (it names the rows)"
    elif metric in exclude:
        problem = f"{metric!r} is a swept parameter, not a metric"
    elif metric in states.columns:
        dtype = states[metric].dtype
        held = "text" if pd.api.types.is_string_dtype(dtype) else f"{dtype} values"
        problem = f"{metric!r} is not a numeric metric (it holds {held})"
    else:
        where = "the results have" if table is None else f"{table} has"
        problem = f"{where} no column {metric!r}"
        close = difflib.get_close_matches(metric, available, n=1)
        if close:
            problem += f" (did you mean {close[0]!r}?)"
    raise PolarsimInputError(f"{problem}; {_choices(available)}", field=field)


def t_halfwidth(sd: np.ndarray, n: np.ndarray, confidence: float = CONFIDENCE) -> np.ndarray:
    """Half-width of the t interval of a mean; 0 where n < 2 (no spread to estimate)."""
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=np.int64)
    has_band = n >= 2
    t = np.zeros(len(n))
    t[has_band] = stats.t.ppf(0.5 + confidence / 2, n[has_band] - 1)
    return np.where(has_band, t * np.nan_to_num(sd) / np.sqrt(np.maximum(n, 1)), 0.0)


def interval_summary(
    data: pd.DataFrame, value: str, by: Sequence[str], sort_extra: Sequence[str] = ()
) -> pd.DataFrame:
    """Columns ``*by, mean, lower, upper, n`` with one row per group, sorted by ``by``.

    n counts the non-missing values of the group. The input's row order does not change
    the result: rows are sorted by ``by`` and ``sort_extra`` (e.g. the replicate) first,
    so the float sums are always taken in the same order.
    """
    by = list(by)
    keys = by + [c for c in sort_extra if c in data.columns and c not in by]
    d = data[[*keys, value]].sort_values(keys, kind="mergesort")
    g = d.groupby(by, sort=True)[value]
    out = g.agg(mean="mean", sd="std", n="count").reset_index()
    n = out["n"].to_numpy(dtype=np.int64)
    half = t_halfwidth(out["sd"].to_numpy(dtype=float), n)
    out["lower"] = out["mean"] - half
    out["upper"] = out["mean"] + half
    out["n"] = n
    return out[[*by, "mean", "lower", "upper", "n"]].reset_index(drop=True)


def autonomy_summary(states: pd.DataFrame, metric: str = "autonomy_index") -> pd.DataFrame:
    """Mean over replicates per (state, year) with a 95 % Student-t interval of the mean.

    n counts the non-missing values of the cell; where n < 2 there is no spread to
    estimate, so lower == upper == mean. Bounds are not clipped to the metric's range.
    Rows are sorted by state then year, and the input's row order does not matter.
    """
    _check_states(states, metric)
    out = interval_summary(states, metric, ["state", "year"], sort_extra=["replicate"])
    return out[list(SUMMARY_COLUMNS)].reset_index(drop=True)


def _check_states(states: pd.DataFrame, metric: str) -> None:
    missing = [c for c in ("state", "year", metric) if c not in states.columns]
    if missing:
        raise ValueError(f"states frame lacks column(s) {missing}")
    if len(states) == 0:
        raise ValueError("states frame is empty")
    _check_numeric(states, metric)
    if "replicate" in states.columns:
        dup = states.duplicated(["replicate", "year", "state"])
        if dup.any():
            row = states.loc[dup, ["replicate", "year", "state"]].iloc[0].tolist()
            raise ValueError(f"more than one row for (replicate, year, state) = {row}")


def _check_numeric(states: pd.DataFrame, metric: str) -> None:
    """A column of text (trade_top_partner) or of booleans has no mean to draw: refused
    with the metrics there are, instead of pandas' error from inside the groupby."""
    if metric in numeric_metrics(states):
        return
    dtype = states[metric].dtype
    held = "text" if pd.api.types.is_string_dtype(dtype) else f"{dtype} values"
    what = "names the rows" if metric in KEY_COLUMNS else f"holds {held}"
    raise ValueError(
        f"{metric!r} is not a numeric metric (it {what}); {_choices(numeric_metrics(states))}"
    )


def timeseries_summary(states: pd.DataFrame, metric: str) -> pd.DataFrame:
    """scenario, state, year, mean, lower, upper, n (a scenario column is added if the
    table has none)."""
    if metric not in states.columns:
        raise ValueError(f"the results have no column {metric!r}")
    _check_numeric(states, metric)
    data = states if "scenario" in states.columns else states.assign(scenario="")
    return interval_summary(
        data, metric, ["scenario", "state", "year"], sort_extra=["replicate", "run_id"]
    )


def scenario_names(names: Sequence[str]) -> list[str]:
    """Scenario names made unique in order: a repeated name gets -2, -3, ..."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out


def comparison_table(
    states: pd.DataFrame, names: list[str], years: Sequence[int], metric: str
) -> pd.DataFrame:
    """Per scenario, state and year: the metric's mean with its 95 % interval, and the
    difference from the first scenario paired by replicate with its 95 % interval
    (COMPARISON_COLUMNS). `states` is stacked with a `scenario` column."""
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
        # a state the reference lacks keeps its level, without a difference
        merged = level.merge(diff.drop(columns="n"), on=["state", "year"], how="left")
        out.append(merged.assign(scenario=name))
    table = pd.concat(out, ignore_index=True)
    return table[COMPARISON_COLUMNS]


def comparison_from_states(
    states: pd.DataFrame,
    metric: str,
    years: Sequence[int] | None = None,
    reference: str | None = None,
) -> pd.DataFrame:
    """comparison_table of a stacked states table (scenario column); the reference goes
    first."""
    names = list(dict.fromkeys(states["scenario"]))
    if len(names) < 2:
        raise ValueError("a comparison needs at least two scenarios in the results")
    if reference is not None:
        if reference not in names:
            raise ValueError(f"reference {reference!r} is not among the scenarios {names}")
        names.remove(reference)
        names.insert(0, reference)
    years = list(years) if years else [int(states["year"].max())]
    return comparison_table(states, names, years, metric)
