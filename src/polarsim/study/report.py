"""The study's figures, tables and report.md, all computed from the cached results.

Nothing here carries a number from the model: every figure in the report text is read
from the result tables when the report is written. report.md and every figure and table
are byte-identical when rebuilt from the same results; wall times and dates go to
study.json only."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

from polarsim.markdown import frame_markdown
from polarsim.outputs import OwnedFolder, write_file
from polarsim.plots.labels import metric_label, param_label
from polarsim.plots.style import label
from polarsim.study.build import FINAL, FORMATS, StudyResults, code_fingerprint

__all__ = ["write_outputs"]


def _write_text(path: Path, text: str) -> None:
    """A file of the hidden build folder (new there; published by _publish)."""
    write_file(path, text)


def _csv(df: pd.DataFrame, path: Path) -> None:
    _write_text(path, df.to_csv(index=False, float_format="%.10g", lineterminator="\n"))


def _fmt(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


def _ci(r, lo="lower", hi="upper", digits: int = 3) -> str:
    return f"{_fmt(r[lo], digits)} [{_fmt(r[hi], digits)}]".replace(" [", " [", 1)


def _interval(mean: float, lower: float, upper: float, signed: bool = False) -> str:
    f = "{:+.3f}" if signed else "{:.3f}"
    return f"{f.format(mean)} (95 % CI {f.format(lower)} to {f.format(upper)})"


def _effect(mean: float, lower: float, upper: float) -> str:
    """An effect with its interval, flagged when the interval does not exclude zero (or
    there is none): the report claims no effect its table does not resolve."""
    text = _interval(mean, lower, upper, True)
    if not (lower > 0 or upper < 0):
        text += " (crosses zero)" if lower <= 0 <= upper else " (no interval)"
    return text


def _plain_markdown(df: pd.DataFrame, caption: str) -> str:
    return frame_markdown(df, 3, caption=caption, blank_nan=False, right_numbers=True)


def _plain_latex(df: pd.DataFrame, caption: str, tag: str) -> str:
    from polarsim.plots.tables import latex_escape

    cols = "".join("r" if df[c].dtype.kind in "fi" else "l" for c in df.columns)
    lines = [
        "% polarsim table: needs \\usepackage{booktabs}",
        "\\begin{table}[htbp]",
        "\\centering",
        f"\\caption{{{latex_escape(caption)}}}",
        f"\\label{{tab:{tag}}}",
        f"\\begin{{tabular}}{{{cols}}}",
        "\\toprule",
        " & ".join(latex_escape(str(c)) for c in df.columns) + " \\\\",
        "\\midrule",
    ]
    for r in df.itertuples(index=False):
        cells = [f"{v:.3f}" if isinstance(v, float) else latex_escape(str(v)) for v in r]
        lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
    return "\n".join(lines) + "\n"


def _mean_of_states(states: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per (scenario, replicate, year): the metric averaged over the states."""
    s = states.sort_values(["scenario", "replicate", "year", "state"], kind="mergesort")
    m = s.groupby(["scenario", "replicate", "year"], sort=False)[metric].mean().reset_index()
    return m.assign(state="all")


def summary_metrics(metric: str) -> list[str]:
    """The metrics of Table 1: the study's, then the hedging index and vulnerability."""
    return list(dict.fromkeys([metric, "hedging_index", "vulnerability"]))


#: Sub-folders that a build fills whole: a file polarsim wrote there before and that
#: this build no longer makes is removed (the user's own files there are kept).
REBUILT = ("figures", "tables")


def write_outputs(res: StudyResults, out: Path, started: float | None = None) -> None:
    """Every figure, table, report.md and study.json, written into a hidden staging
    folder first and moved into ``out`` at the end (see _publish)."""
    owned = res.folder or OwnedFolder(out, kind="study")
    remove_stale_stages(out)
    stage = out / f".build-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        _write_stage(res, stage, started)
        _publish(stage, owned)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(stage)


#: a staging folder's name: `.build-PID-8 hex digits` (write_outputs)
STAGE_NAME = re.compile(r"\.build-(\d+)-[0-9a-f]{8}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_stale_stages(out: Path) -> None:
    """Remove the staging folders of builds that were killed before they could clean up
    (SIGTERM, SIGKILL, a crash: no `finally` runs), so that an interrupted study run
    again leaves no copy of its figures and tables behind. Only folders named as
    write_outputs names them, whose process is gone, are removed."""
    if not out.is_dir():
        return
    for p in out.iterdir():
        m = STAGE_NAME.fullmatch(p.name)
        if m and p.is_dir() and not p.is_symlink() and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                shutil.rmtree(p)


def _write_stage(res: StudyResults, stage: Path, started: float | None) -> None:
    st = res.study
    figs, tabs = stage / "figures", stage / "tables"
    figs.mkdir(parents=True)
    tabs.mkdir()
    names = res.names
    reference = st.scenarios.reference if st.scenarios.reference in names else names[0]
    order = [reference, *(n for n in names if n != reference)]
    years = [y for y in st.scenarios.years if y in set(res.states["year"])]
    change, by_state, level = _phase_figures(res, figs)
    diff, pooled_diff = _scenario_figures(res, figs, order, years)
    tie_year = _tie_figures(res, figs)
    sens = _sensitivity_figure(res, figs)
    summary = _write_tables(res, tabs, years, diff, sens)
    discovery = _discovery_tables(res, tabs)
    report = _report(
        res,
        change,
        by_state,
        level,
        pooled_diff,
        diff,
        sens,
        summary,
        order,
        years,
        tie_year,
        discovery,
    )
    _write_text(stage / "report.md", report)
    _write_text(stage / "study.json", json.dumps(_provenance(res, started), indent=2) + "\n")


def _phase_figures(
    res: StudyResults, figs: Path
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame]:
    """Figures 1-3 (phase diagram: change, change per state, level) with their numbers;
    returns the three tables."""
    from polarsim.codes import DEFAULT_STATES
    from polarsim.plots.heatmap import heatmap_table, plot_heatmap, plot_heatmap_panels
    from polarsim.plots.results import load_sweep, sweep_param_paths
    from polarsim.plots.save import save_figure

    st = res.study
    metric = st.metric
    sweep = load_sweep(res.phase_dir)
    ph = st.phase
    paths = sweep_param_paths(res.phase_dir)
    change = heatmap_table(
        sweep.states, sweep.design, ph.x, ph.y, metric, ph.years, ph.baseline_year
    )
    level = heatmap_table(sweep.states, sweep.design, ph.x, ph.y, metric, ph.years)
    save_figure(
        plot_heatmap(change, ph.x, ph.y, metric, ph.years, ph.baseline_year, param_paths=paths),
        figs / "fig1_phase_change",
        FORMATS,
    )
    _csv(change, figs / "fig1_phase_change.csv")
    codes = [c for c in DEFAULT_STATES if c in set(sweep.states["state"])]
    by_state = {
        c: heatmap_table(
            sweep.states, sweep.design, ph.x, ph.y, metric, ph.years, ph.baseline_year, [c]
        )
        for c in codes
    }
    save_figure(
        plot_heatmap_panels(
            by_state, ph.x, ph.y, metric, ph.years, ph.baseline_year, param_paths=paths
        ),
        figs / "fig2_phase_change_by_state",
        FORMATS,
    )
    by_state_table = pd.concat([t.assign(state=c) for c, t in by_state.items()], ignore_index=True)
    _csv(by_state_table, figs / "fig2_phase_change_by_state.csv")
    save_figure(
        plot_heatmap(level, ph.x, ph.y, metric, ph.years, param_paths=paths),
        figs / "fig3_phase_level",
        FORMATS,
    )
    _csv(level, figs / "fig3_phase_level.csv")
    return change, by_state, level


def _scenario_figures(
    res: StudyResults, figs: Path, order: list[str], years: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures 4 and 5 (scenario differences, time series); returns the comparison per
    state and of the mean of the states."""
    from polarsim.plots.differences import plot_compare
    from polarsim.plots.save import save_figure
    from polarsim.plots.timeseries import plot_timeseries
    from polarsim.summaries import comparison_table

    st, states, names = res.study, res.states, res.names
    metric = st.metric
    last = max(years)

    diff = comparison_table(states, order, years, metric)
    save_figure(plot_compare(diff, metric, last), figs / "fig4_scenarios_difference", FORMATS)
    _csv(diff, figs / "fig4_scenarios_difference.csv")
    shown = [n for n in (st.scenarios.timeseries or order) if n in names] or order
    save_figure(
        plot_timeseries(states, metric, scenarios=shown),
        figs / "fig5_scenarios_timeseries",
        FORMATS,
    )
    pooled = _mean_of_states(states, metric)
    pooled_diff = comparison_table(pooled, order, years, metric)
    return diff, pooled_diff


def _tie_figures(res: StudyResults, figs: Path) -> int:
    """Figures 6-8 (ties of one scenario: shares, network, map); returns their year."""
    from polarsim.plots.geo import plot_map
    from polarsim.plots.save import save_figure
    from polarsim.plots.ties import plot_network, plot_tie_shares

    st, states, names = res.study, res.states, res.names
    ti = st.ties
    if ti.scenario not in names:
        from polarsim.errors import PolarsimInputError

        raise PolarsimInputError(
            f"scenario {ti.scenario!r} is not among the study's scenarios {names}",
            file=str(res.study_path),
            field="ties.scenario",
        )
    tie_year = ti.year if ti.year in set(states["year"]) else int(states["year"].max())
    save_figure(plot_tie_shares(states, scenario=ti.scenario), figs / "fig6_ties_shares", FORMATS)
    save_figure(
        plot_network(states, tie_year, scenario=ti.scenario), figs / "fig7_ties_network", FORMATS
    )
    save_figure(plot_map(states, tie_year, ti.arena, ti.scenario), figs / "fig8_ties_map", FORMATS)
    return tie_year


def _sensitivity_figure(res: StudyResults, figs: Path) -> pd.DataFrame:
    """Figure 9 (sensitivity indices); returns them."""
    from polarsim.experiment.analyze import sensitivity_table
    from polarsim.plots.save import save_figure
    from polarsim.plots.sensitivity import plot_sensitivity

    se = res.study.sensitivity
    # the indices of the study's metric, which Table 3 and the report name (not the
    # experiment's first outcome)
    sens = sensitivity_table(se.method, res.sensitivity_dir, res.study.metric)
    save_figure(plot_sensitivity(sens, se.method), figs / "fig9_sensitivity", FORMATS)
    return sens


def _differences_latex(diff: pd.DataFrame, metric: str, reference: str) -> str:
    """Table 2 for LaTeX: each scenario's paired difference from the reference (common
    random numbers) with its 95 % interval, per state and year; the reference's own rows
    (all zero) left out."""
    rows = diff[diff["scenario"] != reference]
    shown = pd.DataFrame(
        {
            "Scenario": rows["scenario"],
            "State": rows["state"],
            "Year": rows["year"].astype(int).astype(str),
            "Difference": [f"{d:+.3f}" for d in rows["diff"]],
            "95 % interval": [
                f"[{lo:+.3f}, {hi:+.3f}]"
                for lo, hi in zip(rows["diff_lower"], rows["diff_upper"], strict=True)
            ],
        }
    )
    cap = (
        f"Paired differences in {metric_label(metric)} from {reference} (common random "
        "numbers, replicate by replicate) with 95 % intervals."
    )
    return _plain_latex(shown, cap, "polarsim-differences")


def _write_tables(
    res: StudyResults, tabs: Path, years: list[int], diff: pd.DataFrame, sens: pd.DataFrame
) -> pd.DataFrame:
    """Tables 1-3 (summary, differences, sensitivity); returns the summary."""
    from polarsim.compare import markdown_table
    from polarsim.plots.tables import summary_table, write_tables

    st, states = res.study, res.states
    metric, se = st.metric, st.sensitivity

    summary = summary_table(states, summary_metrics(metric), years)
    write_tables(summary, tabs / "table1_summary")
    _csv(diff, tabs / "table2_differences.csv")
    # what carries each effect, and whether it survives the assumptions
    for name in ("ablation.csv", "components.csv", "robustness.csv", "changes.csv"):
        _csv(pd.read_csv(res.scenarios_dir / name), tabs / name)
    _write_text(tabs / "table2_differences.md", markdown_table(diff, metric))
    reference = st.scenarios.reference if st.scenarios.reference in res.names else res.names[0]
    _write_text(tabs / "table2_differences.tex", _differences_latex(diff, metric, reference))
    sens_cols = (
        ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
        if se.method == "sobol"
        else ["parameter", "mu_star", "mu_star_conf", "sigma"]
    )
    sens_show = sens[sens_cols].copy()
    sens_show["parameter"] = sens_show["parameter"].map(param_label)
    _csv(sens, tabs / "table3_sensitivity.csv")
    cap = (
        f"{se.method.capitalize()} indices of {metric_label(metric)} with 95 % confidence "
        "half-widths (_conf)."
    )
    _write_text(tabs / "table3_sensitivity.md", _plain_markdown(sens_show, cap))
    _write_text(
        tabs / "table3_sensitivity.tex", _plain_latex(sens_show, cap, "polarsim-sensitivity")
    )
    return summary


def _publish(stage: Path, owned: OwnedFolder) -> None:
    """Put the freshly built files in place. Every name is checked first, so a file the
    user put there (not listed in the folder's marker) stops the build before anything
    is replaced (compute_study checked build.output_names before anything ran; this
    checks what was built, and any file put there since); then each file is replaced
    whole, figures and tables first, report.md and study.json last, and files of an
    older build that this one no longer makes are removed. Files polarsim did not write
    are never touched."""
    built = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    owned.check(built)
    for rel in [*(r for r in built if r not in FINAL), *(r for r in FINAL if r in built)]:
        staged = stage / rel
        owned.write(rel, lambda tmp, src=staged: shutil.copyfile(src, tmp))
    for rel in sorted(owned.previous - set(built)):
        if rel.split("/", 1)[0] in REBUILT:
            owned.discard(rel)


# --------------------------------------------------------------------- report


def _provenance(res: StudyResults, started: float | None) -> dict:
    from polarsim.provenance import git_commit, versions

    st = res.study
    return {
        "study": str(res.study_path),
        "study_sha256": hashlib.sha256(res.study_path.read_bytes()).hexdigest(),
        "quick": res.quick,
        "versions": versions(),
        "git_commit": git_commit(),
        "code_fingerprint": code_fingerprint(),
        "seeds": {
            "scenarios": st.scenarios.seed,
            "phase": _sweep_seed(res.phase_dir),
            "sensitivity": _sweep_seed(res.sensitivity_dir),
        },
        "results": {
            "scenarios": str(res.scenarios_dir),
            "phase": str(res.phase_dir),
            "sensitivity": str(res.sensitivity_dir),
        },
        "parts": res.log,
        "command": ["polarsim", *sys.argv[1:]],
        "created_utc": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "wall_time_s": round(time.perf_counter() - started, 2) if started else None,
    }


def _sweep_seed(folder: Path) -> int:
    return int(json.loads((folder / "manifest.json").read_text())["seeds"]["root_seed"])


def _sweep_size(folder: Path) -> tuple[int, int]:
    man = json.loads((folder / "manifest.json").read_text())
    return int(man["design_points"]), int(man["replicates"])


def _phase_text(change: pd.DataFrame, st, metric: str) -> list[str]:
    ph = st.phase
    up = change[change["lower"] > 0]
    down = change[change["upper"] < 0]
    unresolved = len(change) - len(up) - len(down)
    n = len(change)
    lo = change.loc[change["mean"].idxmin()]
    hi = change.loc[change["mean"].idxmax()]
    period = (
        f"from {ph.baseline_year} to {', '.join(str(y) for y in ph.years)}"
        if ph.baseline_year
        else f"in {', '.join(str(y) for y in ph.years)}"
    )
    what = "change in the " + metric_label(metric).split(" (")[0].lower()
    lines = [
        f"Across the {n} cells of the {change[ph.x].nunique()} × {change[ph.y].nunique()} "
        f"grid of {param_label(ph.x)} × {param_label(ph.y)}, the mean {what} {period} "
        f"(mean of the five states) is",
        f"above zero with 95 % confidence in **{len(up)}** of them, below zero in "
        f"**{len(down)}**, and not resolved by the replicates (the interval includes zero) "
        f"in **{unresolved}**.",
        f"It ranges from {_interval(lo['mean'], lo['lower'], lo['upper'], True)} at "
        f"{param_label(ph.x)} = {lo[ph.x]:g}, {param_label(ph.y)} = {lo[ph.y]:g} to "
        f"{_interval(hi['mean'], hi['lower'], hi['upper'], True)} at "
        f"{param_label(ph.x)} = {hi[ph.x]:g}, {param_label(ph.y)} = {hi[ph.y]:g}.",
    ]
    crosses = change["mean"].min() < 0 < change["mean"].max()
    if crosses and not (len(up) and len(down)):
        lines.append(
            "The black contour in Figure 1 marks where the mean change crosses zero, but no "
            "cells on both sides of it have intervals clear of zero: the crossing is not "
            "resolved by the replicates and the contour may follow noise, not a boundary "
            "between two regimes."
        )
    elif crosses:
        lines.append(
            "The black contour in Figure 1 marks where the mean change crosses zero: the "
            "boundary between the regime in which competition leaves the states more "
            "autonomous and the one in which it erodes their autonomy."
        )
    else:
        sign = "positive" if change["mean"].min() >= 0 else "negative"
        lines.append(
            f"All {n} cell means are {sign}: averaged over the five states, the grid shows "
            "no sign change and no boundary between the two regimes. The states differ, "
            "though (Figure 2 and the table below)."
        )
    return lines


def _by_state_text(by_state: dict[str, pd.DataFrame], st) -> list[str]:
    lines = [
        "Per state (Figure 2), cells whose mean change is above or below zero with 95 % "
        "confidence. A crossing of zero is *resolved* only when the grid has cells on "
        "both sides whose intervals exclude zero; otherwise the contour may follow noise.",
        "",
        "| state | above zero | below zero | unresolved | mean change, range | mean "
        "crosses zero | resolved crossing |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for code, t in by_state.items():
        up = int((t["lower"] > 0).sum())
        down = int((t["upper"] < 0).sum())
        lo, hi = float(t["mean"].min()), float(t["mean"].max())
        lines.append(
            f"| {label(code)} | {up} | {down} | {len(t) - up - down} | "
            f"{lo:+.3f} to {hi:+.3f} | {'yes' if lo < 0 < hi else 'no'} | "
            f"{'yes' if up and down else 'no'} |"
        )
    return lines


def _ties_text(states: pd.DataFrame, scenario: str, year: int) -> list[str]:
    """Each arena's top partner per state in the tie year (replicate means)."""
    from polarsim.codes import state_order
    from polarsim.plots.ties import ARENA_NAMES, mean_shares

    lines = [
        f"The power with the largest share of each state's arena in {year} in `{scenario}` "
        "(replicate means; the rest of the world is not counted as a partner):",
        "",
    ]
    for arena, name in ARENA_NAMES.items():
        m = mean_shares(states, arena, scenario)
        m = m[m["year"] == year].set_index("state")
        m = m.reindex(state_order(m.index))
        powers = [c for c in m.columns if c not in ("year", "other")]
        items = []
        for code, row in m.iterrows():
            top = row[powers].astype(float).idxmax()
            items.append(f"{label(code)}: {label(top)} {row[top]:.2f}")
        lines.append(f"- {name}: " + "; ".join(items))
    return lines


def _level_text(level: pd.DataFrame, st) -> str:
    ph = st.phase
    lo = level.loc[level["mean"].idxmin()]
    hi = level.loc[level["mean"].idxmax()]
    years = ", ".join(str(y) for y in ph.years)

    def at(r) -> str:
        return f"{param_label(ph.x)} = {r[ph.x]:g}, {param_label(ph.y)} = {r[ph.y]:g}"

    text = (
        f"The level itself in {years} (Figure 3) is highest at {at(hi)}: "
        f"{_interval(hi['mean'], hi['lower'], hi['upper'])}, and lowest at {at(lo)}: "
        f"{_interval(lo['mean'], lo['lower'], lo['upper'])}."
    )
    if not hi["lower"] > lo["upper"]:
        text += (
            " Their intervals overlap: the replicates do not tell the highest cell from the lowest."
        )
    return text


def _report(
    res: StudyResults,
    change: pd.DataFrame,
    by_state: dict[str, pd.DataFrame],
    level: pd.DataFrame,
    pooled_diff: pd.DataFrame,
    diff: pd.DataFrame,
    sens: pd.DataFrame,
    summary: pd.DataFrame,
    order: list[str],
    years: list[int],
    tie_year: int,
    discovery: dict[str, pd.DataFrame | str],
) -> str:
    """report.md: design, key numbers (phase diagram, scenarios, ties, drivers, where
    autonomy erodes), the tables and how to reproduce and cite, each section from the
    result tables."""
    n_rep = int(res.states.groupby("scenario")["replicate"].nunique().min())
    out = _design_section(res, order, n_rep)
    out += _phase_section(res, change, by_state, level)
    out += _scenarios_section(res, pooled_diff, diff, order, max(years), n_rep)
    out += _ablation_section(res, max(years))
    out += _assumptions_section(res, max(years))
    out += _ties_section(res, tie_year)
    out += _drivers_section(res, sens)
    out += _discovery_section(discovery)
    out += _reproduce_section(res)
    return "\n".join(out)


def _design_section(res: StudyResults, order: list[str], n_rep: int) -> list[str]:
    st = res.study
    ref = order[0]
    ph_points, ph_reps = _sweep_size(res.phase_dir)
    se_points, se_reps = _sweep_size(res.sensitivity_dir)
    what = metric_label(st.metric)

    out = [f"# {st.title}", ""]
    if res.quick:
        out += [
            "> **Reduced design (`--quick`)**: fewer scenarios, replicates, grid levels and "
            "samples than the study file asks for. For checking the pipeline, not for "
            "citing.",
            "",
        ]
    if st.question:
        out += [st.question.strip(), ""]
    out += [
        "Every number below is computed from the result tables when this report is "
        "written; rebuild with the command under *Reproduce*.",
        "",
        "## Design",
        "",
        f"- **Scenarios**: {len(order)} scenarios ({', '.join(order)}), {n_rep} replicates "
        f"each with common random numbers (root seed {st.scenarios.seed}); differences are "
        f"paired by replicate and taken from `{ref}`.",
        f"- **Phase diagram**: {ph_points} design points × {ph_reps} replicates "
        f"({param_label(st.phase.x)} × {param_label(st.phase.y)}), root seed "
        f"{_sweep_seed(res.phase_dir)}.",
        f"- **Sensitivity**: {st.sensitivity.method} design, {se_points} design points × "
        f"{se_reps} replicate(s), root seed {_sweep_seed(res.sensitivity_dir)}.",
        f"- Outcome: {what}; intervals are Student-t 95 % intervals over replicates unless stated.",
        "",
        "## Key numbers",
        "",
    ]
    return out


def _phase_section(
    res: StudyResults,
    change: pd.DataFrame,
    by_state: dict[str, pd.DataFrame],
    level: pd.DataFrame,
) -> list[str]:
    st = res.study
    metric = st.metric
    what = metric_label(metric)
    return [
        "### Does competition raise or erode autonomy?",
        "",
        " ".join(_phase_text(change, st, metric)),
        "",
        "![Figure 1](figures/fig1_phase_change.png)",
        "",
        f"*Figure 1. Phase diagram: change in the {what.split(' (')[0].lower()} of the five "
        "states (mean), per cell of the grid; black contour (where the mean changes sign): "
        "zero change; dots: cells whose "
        "95 % interval includes zero.*",
        "",
        *_by_state_text(by_state, st),
        "",
        "![Figure 2](figures/fig2_phase_change_by_state.png)",
        "",
        "*Figure 2. The same per state on one colour scale: black contours where a state's "
        "mean change crosses zero; hatched cells: the mean falls; dots: 95 % interval "
        "includes zero.*",
        "",
        _level_text(level, st),
        "",
        "![Figure 3](figures/fig3_phase_level.png)",
        "",
        f"*Figure 3. The level of the {what.split(' (')[0].lower()} in "
        f"{', '.join(str(y) for y in st.phase.years)} on the same grid.*",
        "",
        "### Scenarios",
        "",
    ]


def _scenarios_section(
    res: StudyResults,
    pooled_diff: pd.DataFrame,
    diff: pd.DataFrame,
    order: list[str],
    last: int,
    n_rep: int,
) -> list[str]:
    ref = order[0]
    what = metric_label(res.study.metric)
    out: list[str] = []
    p_last = pooled_diff[pooled_diff["year"] == last].set_index("scenario")
    rows = [
        "| scenario | mean of states in " + str(last) + f" | difference from {ref} |",
        "|---|---:|---:|",
    ]
    for name in order:
        r = p_last.loc[name]
        d = "reference" if name == ref else _effect(r["diff"], r["diff_lower"], r["diff_upper"])
        rows.append(f"| {name} | {_interval(r['mean'], r['lower'], r['upper'])} | {d} |")
    others = p_last.drop(index=ref)
    best = others.loc[others["diff"].idxmax()]
    worst = others.loc[others["diff"].idxmin()]
    out += [
        f"Mean {what.split(' (')[0].lower()} of the five states in {last} "
        f"(n = {n_rep} replicates):",
        "",
        *rows,
        "",
        f"Relative to `{ref}`, `{best.name}` gives the largest mean difference "
        f"({_effect(best['diff'], best['diff_lower'], best['diff_upper'])}) and "
        f"`{worst.name}` the smallest "
        f"({_effect(worst['diff'], worst['diff_lower'], worst['diff_upper'])}); a "
        "difference whose interval crosses zero is not distinguishable from none.",
        "",
    ]
    per_state = diff[(diff["year"] == last) & (diff["scenario"] != ref)]
    sig_down = per_state[per_state["diff_upper"] < 0]
    sig_up = per_state[per_state["diff_lower"] > 0]
    out += [
        f"Per state and scenario in {last}, {len(sig_up)} of {len(per_state)} paired "
        f"differences from `{ref}` are above zero with 95 % confidence and {len(sig_down)} "
        "below.",
        "",
        "![Figure 4](figures/fig4_scenarios_difference.png)",
        "",
        f"*Figure 4. (a) Each state's {what.split(' (')[0].lower()} in {last} per scenario; "
        f"(b) paired difference from `{ref}`; bars: 95 % t intervals.*",
        "",
        "![Figure 5](figures/fig5_scenarios_timeseries.png)",
        "",
        "*Figure 5. The same over the years, replicate mean with 95 % band.*",
        "",
    ]
    return out


def _ablation_section(res: StudyResults, last: int) -> list[str]:
    """What carries each scenario effect: the mechanisms switched off in turn and the
    index's components (polarsim.ablation), from the scenarios' cache folder."""
    effects = pd.read_csv(res.scenarios_dir / "ablation.csv")
    comps = pd.read_csv(res.scenarios_dir / "components.csv")
    e = effects[(effects["state"] == "region") & (effects["year"] == last)]
    c = comps[(comps["state"] == "region") & (comps["year"] == last)]
    out = [
        "### What carries the scenario effects",
        "",
        f"Each scenario's effect on the states' mean {res.study.metric} in {last} against "
        f"{res.study.scenarios.reference}, rerun with each mechanism switched off in turn "
        "(same seeds); a mechanism *carries* the part of the effect that disappears "
        "without it. Effects and parts whose 95 % interval crosses zero are not claimed "
        "(tables/ablation.csv, components.csv; `polarsim compare --ablate`).",
        "",
    ]
    for scenario, g in e.groupby("scenario", sort=False):
        full = g[g["mechanism"] == "none"].iloc[0]
        claim = "not distinguishable from zero" if full["crosses_zero"] else "an effect"
        # a part is claimed only with an interval (two replicates or more) clear of 0
        ablated = g[(g["mechanism"] != "none") & (g["n"] >= 2)]
        carried = ablated[(ablated["carried_lower"] > 0) | (ablated["carried_upper"] < 0)]
        parts = ", ".join(
            f"{r.mechanism} {_interval(r.carried, r.carried_lower, r.carried_upper, True)}"
            for r in carried.itertuples(index=False)
        )
        mine = c[c["scenario"] == scenario]
        split = ", ".join(
            f"{r.component} {_interval(r.mean, r.lower, r.upper, True)}"
            for r in mine.itertuples(index=False)
        )
        out.append(
            f"- **{scenario}**: {_interval(full['mean'], full['lower'], full['upper'], True)}"
            f" ({claim}). Carried by: {parts or 'no single mechanism distinguishable'}. "
            f"By component: {split}."
        )
    return [*out, ""]


def _assumptions_section(res: StudyResults, last: int) -> list[str]:
    """Whether each scenario effect, and each scenario's change since the phase
    diagram's baseline year (its first year without one), survives other values of
    the assumed parameters (polarsim.assumptions), from the scenarios' cache folder."""
    from polarsim.assumptions import ASSUMPTIONS, SHIPPED

    out = [
        "### Do the effects survive the assumptions?",
        "",
        "The same runs with parameters the data do not pin down set otherwise, one "
        "variation at a time in every scenario alike (same seeds): "
        + "; ".join(f"*{a.name}*: {a.why}" for a in ASSUMPTIONS.values())
        + ". An effect *holds* when its 95 % interval excludes zero with the shipped "
        "sign, *weakens* when it crosses zero, *reverses* when it excludes zero with the "
        "other sign; an effect that crosses zero as shipped is not claimed, and one that "
        "only a variation makes distinguishable from zero is named "
        "(tables/robustness.csv, changes.csv; `polarsim compare --assumptions`).",
        "",
    ]
    for title, name in (("Effect", "robustness.csv"), ("Change", "changes.csv")):
        t = pd.read_csv(res.scenarios_dir / name)
        t = t[(t["state"] == "region") & (t["year"] == last)]
        for scenario, g in t.groupby("scenario", sort=False):
            shipped = g[g["assumption"] == SHIPPED].iloc[0]
            varied = g[g["assumption"] != SHIPPED]
            if shipped["verdict"] == "not claimed":
                verdict = "not claimed (its interval crosses zero as shipped)"
                appears = varied[varied["verdict"] == "appears"]["assumption"]
                if len(appears):
                    verdict += "; distinguishable from zero under " + ", ".join(appears)
            else:
                counts = varied["verdict"].value_counts()
                verdict = ", ".join(f"{k} under {v}" for k, v in counts.items())
                other = varied[varied["verdict"] != "holds"]
                if len(other):
                    verdict += " (" + ", ".join(
                        f"{r.assumption}: {r.verdict}" for r in other.itertuples(index=False)
                    ) + ")"  # fmt: skip
            since = f"change since {int(g['since'].iloc[0])}" if "since" in g else ""
            what = "effect" if name == "robustness.csv" else since
            out.append(
                f"- {title} of **{scenario}** ({what}, {last}): "
                f"{_interval(shipped['mean'], shipped['lower'], shipped['upper'], True)} as "
                f"shipped; {verdict}."
            )
        out.append("")
    return out


def _ties_section(res: StudyResults, tie_year: int) -> list[str]:
    st = res.study
    return [
        "### Ties",
        "",
        *_ties_text(res.states, st.ties.scenario, tie_year),
        "",
        "![Figure 6](figures/fig6_ties_shares.png)",
        "",
        f"*Figure 6. Partner shares by arena in `{st.ties.scenario}` (replicate means).*",
        "",
        "![Figure 7](figures/fig7_ties_network.png)",
        "",
        f"*Figure 7. Ties in {tie_year} in `{st.ties.scenario}` by arena.*",
        "",
        "![Figure 8](figures/fig8_ties_map.png)",
        "",
        f"*Figure 8. Schematic map of the ties in {tie_year} in `{st.ties.scenario}` "
        "(hand-made outlines, approximate).*",
        "",
        "### What drives autonomy",
        "",
    ]


def _drivers_section(res: StudyResults, sens: pd.DataFrame) -> list[str]:
    st = res.study
    out: list[str] = []
    if st.sensitivity.method == "sobol":
        top = sens.sort_values("ST", ascending=False).head(3)
        items = [
            f"{param_label(r.parameter)} (S_T = {r.ST:.2f} ± {r.ST_conf:.2f}, "
            f"S_1 = {r.S1:.2f} ± {r.S1_conf:.2f})"
            for r in top.itertuples(index=False)
        ]
        s1 = float(sens["S1"].clip(lower=0).sum())
        tail = (
            f", so about {1 - s1:.2f} of the variance comes from interactions between "
            "parameters (within the indices' own uncertainty)"
            if s1 < 1
            else " (at or above 1: no sign of interactions beyond estimation error)"
        )
        out += [
            "The parameters with the largest total Sobol indices are "
            + "; ".join(items)
            + f". The positive first-order indices sum to {s1:.2f}{tail}.",
            "",
        ]
    else:
        top = sens.sort_values("mu_star", ascending=False).head(3)
        out += [
            "The parameters with the largest Morris μ* are "
            + "; ".join(
                f"{param_label(r.parameter)} (μ* = {r.mu_star:.3f})"
                for r in top.itertuples(index=False)
            )
            + ".",
            "",
        ]
    out += [
        "![Figure 9](figures/fig9_sensitivity.png)",
        "",
        "*Figure 9. Sensitivity indices with 95 % confidence bars.*",
        "",
    ]
    return out


def _discovery_tables(res: StudyResults, tabs: Path) -> dict[str, pd.DataFrame | str]:
    """PRIM boxes (polarsim analyze prim) of the lowest quarter of the outcome over the
    phase grid (its change from the baseline year) and over the sensitivity sweep (its
    level): Table 4. A sweep too small for a box gives the reason instead."""
    from polarsim.errors import PolarsimInputError
    from polarsim.experiment.discovery import discovery_table

    st = res.study
    ph = st.phase
    parts: dict[str, pd.DataFrame | str] = {}
    for name, folder, options in (
        (
            "phase",
            res.phase_dir,
            {"years": ph.years, "change_from": ph.baseline_year},
        ),
        ("sensitivity", res.sensitivity_dir, {}),
    ):
        try:
            parts[name] = discovery_table("prim", folder, outcome=st.metric, **options)
        except PolarsimInputError as exc:
            parts[name] = str(exc)
    tables = [t.assign(sweep=n) for n, t in parts.items() if isinstance(t, pd.DataFrame)]
    if tables:
        table = pd.concat(tables, ignore_index=True)
        _csv(table, tabs / "table4_discovery.csv")
        cols = ["sweep", "parameter", "low", "high", "design_low", "design_high"]
        shown = table[[c for c in cols if c in table]].copy()
        shown["parameter"] = shown["parameter"].map(param_label)
        cap = (
            "PRIM boxes of the lowest quarter of the outcome: restricted parameter ranges "
            "(low, high) against the design's."
        )
        _write_text(tabs / "table4_discovery.md", _plain_markdown(shown, cap))
    return parts


def _box_text(table: pd.DataFrame, what: str) -> str:
    first = table.iloc[0]
    base_rate = first["cases"] / first["points"]
    ranges = "; ".join(
        f"{param_label(r['parameter'])} in [{r['low']:.3g}, {r['high']:.3g}] "
        f"(of [{r['design_low']:.3g}, {r['design_high']:.3g}])"
        for _, r in table.iterrows()
        if "low" in r and pd.notna(r.get("low"))
    )
    qp = table[["qp_low", "qp_high"]].max(axis=1).max() if "qp_low" in table else float("nan")
    strength = (
        "The box is not much denser than the design overall, so these parameters do not "
        "separate the low outcomes well."
        if first["density"] < 1.5 * base_rate
        else "The box concentrates the low outcomes."
    )
    sig = (
        f" Its least certain limit has a quasi-p value of {qp:.2g} (above 0.05: it may be chance)."
        if qp > 0.05
        else f" Every limit has a quasi-p value of at most {qp:.2g}."
    )
    return (
        f"{what} ({first['interest']}; {first['cases']} of {first['points']} design "
        f"points) lies mostly where {ranges or 'no parameter is restricted'}: the box "
        f"holds {first['coverage']:.0%} of them (coverage), {first['density']:.0%} of its "
        f"points are among them (density; {base_rate:.0%} over the whole design) and it "
        f"spans {first['mass']:.0%} of the design (mass). {strength}{sig}"
    )


def _discovery_section(parts: dict[str, pd.DataFrame | str]) -> list[str]:
    out = ["### Where autonomy erodes (scenario discovery)", ""]
    labels = {
        "phase": "On the phase grid, the quarter of design points with the smallest change",
        "sensitivity": "In the sensitivity sweep, the quarter of design points with the "
        "lowest level",
    }
    for name, part in parts.items():
        if isinstance(part, str):
            out += [f"{labels[name]}: no PRIM box ({part}).", ""]
        else:
            out += [_box_text(part, labels[name]), ""]
    out += [
        "*Table 4 (tables/table4_discovery.csv): the boxes; `polarsim analyze prim|cart|"
        "features|main-effects` on the cached sweeps gives the same and more "
        "(docs/experiments.md).*",
        "",
    ]
    return out


def _names(metrics: list[str]) -> str:
    """'the autonomy index, hedging index and vulnerability'."""
    names = [metric_label(m).split(" (")[0].lower() for m in metrics]
    return "the " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])


def _tables_section(metric: str) -> list[str]:
    """What each file of `tables/` holds (every name of build.TABLES)."""
    return [
        "## Tables",
        "",
        "- `tables/table1_summary.{csv,md,tex}`: mean and 95 % interval of "
        f"{_names(summary_metrics(metric))} per scenario, state and year.",
        "- `tables/table2_differences.{csv,md,tex}`: paired differences from the reference.",
        "- `tables/table3_sensitivity.{csv,md,tex}`: sensitivity indices.",
        "- `tables/table4_discovery.{csv,md}`: the PRIM boxes of the lowest quarter of the "
        "outcome over the phase grid and the sensitivity sweep.",
        "- `tables/ablation.csv`, `tables/components.csv`: each scenario effect with each "
        "mechanism switched off, and by component of the index (with `crosses_zero`).",
        "- `tables/robustness.csv`, `tables/changes.csv`: each scenario effect, and each "
        "scenario's change since the phase diagram's baseline year, under other values of "
        "the assumed parameters, with its verdict.",
        "- Each figure's numbers: `figures/*.csv` where written.",
        "",
    ]


def _reproduce_section(res: StudyResults) -> list[str]:
    from polarsim import __version__
    from polarsim.provenance import git_commit

    st = res.study
    commit = git_commit() or "not a git checkout"
    study_sha = hashlib.sha256(res.study_path.read_bytes()).hexdigest()
    return [
        *_tables_section(st.metric),
        "## Reproduce and cite",
        "",
        f"- polarsim {__version__}, git commit `{commit}`"
        + (
            " (the checkout had uncommitted changes: commit them and rebuild before citing)"
            if commit.endswith("-dirty")
            else ""
        ),
        f"- study file `{res.study_path.as_posix()}` (SHA-256 `{study_sha}`)",
        f"- seeds: scenarios {st.scenarios.seed} (replicate r uses "
        "`SeedSequence(seed).spawn(R)[r]`); phase sweep "
        f"{_sweep_seed(res.phase_dir)} and sensitivity sweep "
        f"{_sweep_seed(res.sensitivity_dir)} (task (run_id, r) uses "
        "`SeedSequence(root_seed, spawn_key=(run_id, r))`)",
        f"- model code fingerprint `{code_fingerprint()[:16]}` (results are cached under "
        "`cache/` by this and the inputs)",
        "",
        "```bash",
        f"polarsim study {res.study_path.as_posix()}" + (" --quick" if res.quick else ""),
        "```",
        "",
        "Cite as: polarsim developers, *polarsim: an agent-based model of great-power "
        f"competition and small-state autonomy in Central Asia*, version {__version__}, "
        f"commit {commit.split('-')[0][:12]}.",
        "",
    ]
