"""Summary tables for papers: the mean of a metric and its t-based 95 % interval per
scenario, state and year, as tidy CSV, Markdown and LaTeX (booktabs).

The LaTeX is written here rather than with pandas' Styler, which would need jinja2 as a
runtime dependency; a booktabs table is a few lines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from polarsim.codes import DEFAULT_STATES
from polarsim.markdown import markdown_table
from polarsim.outputs import write_files
from polarsim.plots.labels import metric_label
from polarsim.plots.style import label
from polarsim.summaries import CONFIDENCE, interval_summary

__all__ = [
    "ALL_STATES",
    "default_years",
    "summary_table",
    "table_latex",
    "table_markdown",
    "write_tables",
]

#: The row that averages the states within each replicate before the interval.
ALL_STATES = "all"
#: Digits after the decimal point in Markdown and LaTeX (CSV keeps full precision).
DIGITS = 3
#: Default table years: the first, the last and every year divisible by this.
YEAR_STEP = 10
COLUMNS = ["metric", "scenario", "state", "year", "mean", "lower", "upper", "n"]


def default_years(years: Sequence[int]) -> list[int]:
    ys = sorted({int(y) for y in years})
    return sorted({ys[0], ys[-1], *(y for y in ys if y % YEAR_STEP == 0)})


def summary_table(
    states: pd.DataFrame,
    metrics: Sequence[str] = ("autonomy_index",),
    years: Sequence[int] | None = None,
    include_all: bool = True,
) -> pd.DataFrame:
    """metric, scenario, state, year, mean, lower, upper, n. With ``include_all`` each
    scenario and year also gets state 'all': the mean over states within a replicate,
    then the interval over replicates (empty where a state has no value: a mean of the
    others would not be the mean of the states)."""
    if isinstance(metrics, str):  # one name: not a list of its letters
        raise ValueError(f"metrics: expected a list of columns, found {metrics!r}")
    data = states if "scenario" in states.columns else states.assign(scenario="")
    missing = [m for m in metrics if m not in data.columns]
    if missing:
        raise ValueError(f"the results have no column(s) {missing}")
    years = list(years) if years else default_years(data["year"].unique())
    absent = sorted(set(years) - set(int(y) for y in data["year"].unique()))
    if absent:
        raise ValueError(f"year(s) {absent} not in the results")
    data = data[data["year"].isin(years)]
    rep = [c for c in ("run_id", "replicate") if c in data.columns]
    out = []
    for m in metrics:
        per_state = interval_summary(data, m, ["scenario", "state", "year"], sort_extra=rep)
        parts = [per_state]
        if include_all:
            pooled = (
                data.sort_values(["scenario", *rep, "year", "state"], kind="mergesort")
                .groupby(["scenario", *rep, "year"], sort=True)[m]
                .agg(lambda v: v.to_numpy(dtype=float).mean())
                .reset_index()
                .assign(state=ALL_STATES)
            )
            parts.append(interval_summary(pooled, m, ["scenario", "state", "year"], rep))
        t = pd.concat(parts, ignore_index=True).assign(metric=m)
        out.append(t)
    table = pd.concat(out, ignore_index=True)[COLUMNS]
    # One replicate has no spread to estimate: no interval rather than [mean, mean].
    table.loc[table["n"] < 2, ["lower", "upper"]] = float("nan")
    order = {s: i for i, s in enumerate([*DEFAULT_STATES, ALL_STATES])}
    scen = {s: i for i, s in enumerate(dict.fromkeys(data["scenario"]))}
    key = table.assign(
        _m=table["metric"].map({m: i for i, m in enumerate(metrics)}),
        _s=table["scenario"].map(scen),
        _st=table["state"].map(lambda s: order.get(s, len(order))),
    )
    key = key.sort_values(["_m", "_s", "_st", "state", "year"], kind="mergesort")
    return key[COLUMNS].reset_index(drop=True)


def _state_name(code: str) -> str:
    return "Mean of states" if code == ALL_STATES else label(code)


def _cell(r) -> str:
    if pd.isna(r["mean"]):  # no value (remittances of a state without data at the start)
        return "–"
    if pd.isna(r["lower"]) or pd.isna(r["upper"]):  # n < 2: no interval to show
        return f"{r['mean']:.{DIGITS}f}"
    return f"{r['mean']:.{DIGITS}f} [{r['lower']:.{DIGITS}f}, {r['upper']:.{DIGITS}f}]"


def _wide(table: pd.DataFrame, metric: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per (scenario, state), one column per year (tables stay
    narrow however many scenarios they compare); the scenario column is left out when
    there is only one."""
    t = table[table["metric"] == metric]
    years = sorted(int(y) for y in t["year"].unique())
    several = t["scenario"].nunique() > 1
    head = (["Scenario"] if several else []) + ["State"] + [str(y) for y in years]
    rows = []
    for (scenario, state), g in t.groupby(["scenario", "state"], sort=False):
        by = g.set_index("year")
        cells = ([scenario] if several else []) + [_state_name(state)]
        cells += [_cell(by.loc[y]) if y in by.index else "" for y in years]
        rows.append(cells)
    return head, rows


def _caption(table: pd.DataFrame, metric: str) -> str:
    t = table[table["metric"] == metric]
    n = t["n"][t["n"] > 0]  # a cell without a value ("–") has no replicates
    lo, hi = (int(n.min()), int(n.max())) if len(n) else (0, 0)
    n = f"{lo}" if lo == hi else f"{lo}–{hi}"
    if hi < 2:
        return (
            f"{metric_label(metric)}: value of n = 1 replicate; no interval "
            "(run more replicates for one)."
        )
    note = " (none where n = 1)" if lo < 2 else ""
    return (
        f"{metric_label(metric)}: mean over n = {n} replicates with "
        f"{round(CONFIDENCE * 100)} % t interval [lower, upper]{note}."
    )


def table_markdown(table: pd.DataFrame) -> str:
    """One Markdown table per metric: rows (scenario,) state, one column per year."""
    blocks = []
    for metric in dict.fromkeys(table["metric"]):
        head, rows = _wide(table, metric)
        n_text = head.index("State") + 1
        right = [False] * n_text + [True] * (len(head) - n_text)
        blocks.append(markdown_table(head, rows, right, caption=_caption(table, metric)))
    return "\n".join(blocks)


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    text = "".join(_LATEX_SPECIAL.get(c, c) for c in text)
    return text.replace("–", "--").replace("−", "-")


def table_latex(table: pd.DataFrame, label_prefix: str = "tab:polarsim") -> str:
    """One booktabs table per metric (needs \\usepackage{booktabs}); with several
    scenarios the scenario name is printed once per block of states."""
    blocks = ["% polarsim table: needs \\usepackage{booktabs}"]
    for metric in dict.fromkeys(table["metric"]):
        header, rows = _wide(table, metric)
        n_text = header.index("State") + 1
        cols = "l" * n_text + "r" * (len(header) - n_text)
        head = " & ".join(latex_escape(h) for h in header)
        lines = [
            "\\begin{table}[htbp]",
            "\\centering",
            f"\\caption{{{latex_escape(_caption(table, metric))}}}",
            f"\\label{{{label_prefix}-{metric.replace('_', '-')}}}",
            f"\\begin{{tabular}}{{{cols}}}",
            "\\toprule",
            head + " \\\\",
            "\\midrule",
        ]
        previous = None
        grouped = n_text > 1  # a scenario column: print each name once per block
        for r in rows:
            if grouped and previous is not None and r[0] != previous:
                lines.append("\\addlinespace")
            shown = latex_escape(r[0]) if not grouped or r[0] != previous else ""
            previous = r[0]
            lines.append(" & ".join([shown, *(latex_escape(c) for c in r[1:])]) + " \\\\")
        lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def write_tables(table: pd.DataFrame, stem: str | Path, *, force: bool = False) -> list[Path]:
    """stem.csv (tidy, full precision), stem.md and stem.tex; written whole, all or none.
    An existing file is replaced only with ``force`` (see polarsim.outputs.write_files)."""
    stem = Path(stem)
    texts = {
        "csv": table.to_csv(index=False, float_format="%.10g", lineterminator="\n"),
        "md": table_markdown(table),
        "tex": table_latex(table),
    }
    return write_files({stem.parent / f"{stem.name}.{e}": t for e, t in texts.items()}, force=force)
