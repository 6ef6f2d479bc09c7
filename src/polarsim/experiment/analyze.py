"""Global sensitivity analysis of a sweep with SALib (Sobol, Morris).

The pure function `sensitivity()` takes the design matrix (in sampler order), the
SALib problem and one outcome per design point, and returns a table of indices with
confidence intervals; `analyze()` reads them from a sweep folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.outputs import Writer, read_marker, write_files

METHODS = ("sobol", "morris")


def sensitivity(
    method: str,
    problem: dict,
    X: np.ndarray,
    Y: np.ndarray,
    seed: int = 0,
    second_order: bool = False,
    levels: int = 4,
) -> pd.DataFrame:
    """Indices per parameter: Sobol S1, ST (with 95 % confidence half-widths) or Morris
    mu*, sigma (mu* with its confidence half-width). `levels`: the Morris grid the design
    was sampled on (design.levels, default 4); SALib divides each step's change by the
    step its level count implies, so another count scales every elementary effect."""
    if method not in METHODS:
        raise PolarsimInputError(f"unknown method {method!r}; expected one of {METHODS}")
    if not np.isfinite(Y).all():
        raise PolarsimInputError(
            f"{int((~np.isfinite(Y)).sum())} design points have no outcome (failed runs?); "
            "rerun them with --resume before the analysis"
        )
    names = list(problem["names"])
    if method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, Y, calc_second_order=second_order, seed=seed)
        return pd.DataFrame(
            {
                "parameter": names,
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            }
        )
    from SALib.analyze import morris

    res = morris.analyze(problem, X, Y, num_levels=levels, seed=seed)
    return pd.DataFrame(
        {
            "parameter": names,
            "mu_star": res["mu_star"],
            "mu_star_conf": res["mu_star_conf"],
            "sigma": res["sigma"],
            "mu": res["mu"],
        }
    )


#: widest confidence half-width of an index that passes without a note (an assumption:
#: at 0.1 an index of 0.3 cannot be told from 0.2 or 0.4)
WIDE_INTERVAL = 0.1


def reliability_notes(table: pd.DataFrame, method: str) -> list[str]:
    """Warnings a reader of the indices needs: Sobol indices outside [0, 1] by more than
    their interval, or intervals wider than WIDE_INTERVAL; both mean too few samples."""
    notes: list[str] = []
    if method != "sobol":
        wide = table["mu_star_conf"] > WIDE_INTERVAL * table["mu_star"].abs().max()
        if wide.any():
            notes.append(
                f"{int(wide.sum())} of {len(table)} Morris mu* have confidence half-widths "
                f"above {WIDE_INTERVAL:.0%} of the largest mu*: raise design.trajectories"
            )
        return notes
    for index in ("S1", "ST"):
        value, conf = table[index], table[f"{index}_conf"]
        outside = (value - conf > 1.0) | (value + conf < 0.0)
        if outside.any():
            names = ", ".join(table.loc[outside, "parameter"].astype(str))
            notes.append(
                f"{index} outside [0, 1] beyond its 95 % interval for {names}: too few "
                "samples for these indices to mean anything; raise design.samples (--samples)"
            )
        if (conf > WIDE_INTERVAL).any():
            notes.append(
                f"{index} confidence half-widths up to {conf.max():.2f} (above "
                f"{WIDE_INTERVAL}): raise design.samples (--samples) before reading them"
            )
    total = table["S1"].sum()
    if total > 1.0 + table["S1_conf"].max():
        notes.append(f"the first-order indices sum to {total:.2f}, above 1: too few samples")
    return notes


def check_outcome(outcome: str, metrics: Sequence[str]) -> str:
    """`outcome` if it is one of the metrics the sweep kept (`outcomes.metrics`), else a
    PolarsimInputError naming --outcome and listing them: the parameter columns, `year`
    and `state` of the results are not outcomes."""
    if outcome not in metrics:
        raise PolarsimInputError(
            f"unknown outcome {outcome!r}; expected one of the outcomes the sweep kept "
            f"(outcomes.metrics): {', '.join(metrics)}",
            field="--outcome",
        )
    return outcome


def check_years(years: object) -> list[int] | None:
    """`years` of an analysis as a list of ints: None (every kept year, or the method's
    default) or a non-empty list of whole numbers; anything else is refused, naming
    the argument (whether the sweep kept them is checked against its results)."""
    if years is None:
        return None
    listed = isinstance(years, list | tuple) and all(
        isinstance(y, int | np.integer) and not isinstance(y, bool) for y in years
    )
    if not listed or not years:
        raise PolarsimInputError(
            f"expected a non-empty list of whole years the sweep kept (e.g. [2040]), or "
            f"None for every kept year; found {years!r}",
            field="years",
        )
    return [int(y) for y in years]


def outcome_per_point(
    results: pd.DataFrame,
    n_points: int,
    outcome: str,
    years: list[int] | None = None,
    metrics: Sequence[str] | None = None,
) -> np.ndarray:
    """One number per design point: the outcome averaged over replicates, states and the
    chosen years (NaN where a point has no result). `metrics`: the outcome columns of
    `results` (the sweep's outcomes.metrics); without them, its numeric columns other
    than the keys and `year`."""
    if metrics is None:
        metrics = [
            c
            for c in results.columns
            if c not in ("run_id", "replicate", "year", "state")
            and pd.api.types.is_numeric_dtype(results[c])
        ]
    check_outcome(outcome, [m for m in metrics if m in results])
    years = check_years(years)
    kept = sorted(set(results["year"].tolist()))
    missing = sorted(set(years or []) - set(kept))
    if missing:  # a year not kept was dropped from the mean without a word
        raise PolarsimInputError(
            f"the sweep kept no results for {', '.join(map(str, missing))} (it kept "
            f"{', '.join(map(str, kept))}); give kept years or add them to outcomes.years",
            field="--years",
        )
    rows = results if not years else results[results["year"].isin(years)]
    mean = rows.groupby("run_id")[outcome].mean()
    # a point with any empty cell (per-state results, `aggregate: state`): the mean of
    # the others would be a mean over fewer states than the other outcomes'
    empty = rows[outcome].isna().groupby(rows["run_id"]).any()
    blank = empty.index[empty.to_numpy()]
    if len(blank):  # results without a value: not failed runs, which have no rows
        raise PolarsimInputError(
            f"{outcome} has no value in the results of {len(blank)} design point(s) "
            f"(run_id {', '.join(str(int(i)) for i in blank[:3])}"
            f"{', ...' if len(blank) > 3 else ''}): the model leaves remittances_pct_gdp "
            "empty for a state without a remittance observation up to the start year "
            "(model.setup.initial_remittances), and a mean over the states would leave "
            "it out; choose another outcome, start later, or give "
            "states.<code>.remittances_pct_gdp in the base scenario",
            field="--outcome",
        )
    return mean.reindex(range(n_points)).to_numpy(dtype=float)


def sweep_for_analysis(folder: Path):
    """The experiment (the copy kept in the folder, never the original file, which may
    have changed since), design and results of a complete sweep folder."""
    from polarsim.experiment.folder import EXPERIMENT_COPY
    from polarsim.experiment.shards import read_results
    from polarsim.experiment.spec import load_experiment
    from polarsim.experiment.sweep import status

    st = status(folder)  # also: is it a sweep folder at all
    if not st["complete"]:
        damaged = f", {st['corrupt']} unreadable file(s)" if st["corrupt"] else ""
        raise PolarsimInputError(
            f"the sweep is incomplete ({st['done']} of {st['total']} runs done, "
            f"{st['failed']} failed{damaged}); finish it with `polarsim sweep EXPERIMENT "
            f"--out {folder} --resume` before the analysis",
            field=str(folder),
        )
    copy = folder / EXPERIMENT_COPY
    if not (folder / "base").is_dir():
        raise PolarsimInputError(
            "was written by an older polarsim that kept no copy of its inputs; run the "
            "sweep again to analyse it",
            field=str(folder),
        )
    exp = load_experiment(copy)
    design = pd.read_parquet(folder / "design.parquet").sort_values("run_id")
    return exp, design, read_results(folder)


def sensitivity_table(
    method: str,
    folder: str | Path,
    outcome: str | None = None,
    years: list[int] | None = None,
) -> pd.DataFrame:
    """Sobol or Morris indices from a sweep folder (its design must be of that type), with
    an ``outcome`` column first; writes nothing. `years`: a non-empty list of years the
    sweep kept, whose mean is analysed (None: every kept year)."""
    from polarsim.experiment.design import salib_problem

    if method not in METHODS:
        raise PolarsimInputError(f"unknown method {method!r}; expected one of {METHODS}")
    years = check_years(years)
    folder = Path(folder)
    exp, design, results = sweep_for_analysis(folder)
    if exp.design.type != method:
        raise PolarsimInputError(
            f"the sweep used a {exp.design.type!r} design; {method} indices need a "
            f"{method!r} design",
            field="design.type",
        )
    problem = salib_problem(exp)
    X = design[problem["names"]].to_numpy(dtype=float)
    outcome = check_outcome(outcome or exp.outcomes.metrics[0], exp.outcomes.metrics)
    Y = outcome_per_point(results, len(design), outcome, years, exp.outcomes.metrics)
    table = sensitivity(
        method,
        problem,
        X,
        Y,
        seed=exp.seed,
        second_order=exp.design.second_order,
        levels=exp.design.levels or 4,  # as make_design sampled it
    )
    table.insert(0, "outcome", outcome)
    return table


def _recorded(folder: Path) -> set[str]:
    """The files the marker of `folder` lists: polarsim wrote them there."""
    files = (read_marker(folder) or {}).get("files", [])
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else set()


def check_analysis_files(folder: Path, names: Iterable[str], force: bool = False) -> None:
    """Refuse, before anything is written, to replace a file of a sweep folder that
    polarsim did not write there (the folder's marker does not list it), unless
    `force`; a folder is never replaced."""
    recorded = _recorded(folder)
    for name in names:
        path = folder / name
        if path.is_dir():
            raise PolarsimInputError("is a folder; it is left alone", field=str(path))
        if (path.exists() or path.is_symlink()) and not force and name not in recorded:
            raise PolarsimInputError(
                "exists and was not written by polarsim (the folder's .polarsim-output "
                "does not list it); it is left alone (move it away, or pass --force to "
                "replace it)",
                field=str(path),
            )


def write_analysis_file(
    folder: Path, name: str, write: Writer | bytes | str, force: bool = False
) -> Path:
    """Write `folder/name` whole and record it in the folder's marker, so that the next
    analysis may replace it; a file polarsim did not write is refused unless `force`
    (check_analysis_files)."""
    check_analysis_files(folder, [name], force)
    return write_files({folder / name: write}, force=force)[0]


def analyze(
    method: str,
    folder: str | Path,
    outcome: str | None = None,
    years: list[int] | None = None,
    *,
    force: bool = False,
    also: Iterable[str] = (),
) -> pd.DataFrame:
    """sensitivity_table, and writes `sensitivity_<method>_<outcome>.csv` next to the
    results (`polarsim analyze` adds the figure: plots.folder_figures.sensitivity_figure).
    The file is recorded in the folder's marker and replaced when run again; a file of
    that name that polarsim did not write is refused unless `force`, as is any of the
    files `also` (names in the folder the caller writes next: the figure)."""
    folder = Path(folder)
    table = sensitivity_table(method, folder, outcome, years)
    name = sensitivity_file(method, str(table["outcome"].iloc[0]))
    check_analysis_files(folder, [name, *also], force)
    write_analysis_file(folder, name, lambda tmp: table.to_csv(tmp, index=False), force)
    return table


def sensitivity_file(method: str, outcome: str) -> str:
    """The name of a sensitivity table in its sweep folder."""
    return f"sensitivity_{method}_{outcome}.csv"
