"""Scenario discovery over any sweep (grid, random, Latin hypercube, Sobol, table):
under which ranges of the varied parameters does an outcome cross a line?

The brief's question ("when does multipolar competition raise the autonomy of the small
states, and when does it erode it?") is a scenario-discovery question (Bryant and
Lempert 2010): mark the design points of interest (autonomy below a threshold, or a fall
of more than X from a year) and find the boxes of parameter space that hold most of
them (coverage) and little else (density). The algorithms are EMA Workbench's (Kwakkel
2017): PRIM (Friedman and Fisher 1999), CART and extra-trees feature scores; the main
effects are SALib's delta moment-independent measure with its first-order index
(Plischke et al. 2013), which needs no particular sampling design. Imported lazily: they
are the optional extra `polarsim[ema]` (and SALib `polarsim[sensitivity]`).

The pure functions take the design (one row per point, one column per parameter) and
one outcome per point; `discover()` reads them from a sweep folder and writes the
table next to its results.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError

METHODS = ("prim", "cart", "features", "main-effects")
#: the default line when none is given: the lowest quarter of the outcome (an assumption
#: of convenience, printed with the result; say the line that answers your question)
DEFAULT_LOWEST = 0.25
#: PRIM's box on the peeling trajectory: the densest one that still covers at least this
#: share of the cases of interest (the usual reading of the coverage-density trade-off,
#: Bryant and Lempert 2010; an assumption, `--min-coverage`)
DEFAULT_MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class Interest:
    """Which design points are of interest: outcome below or above a value."""

    below: float | None = None
    above: float | None = None
    lowest: float | None = None  # share of points with the lowest outcomes

    def mark(self, y: np.ndarray) -> tuple[np.ndarray, str]:
        """(n,) bool cases of interest and a phrase saying which they are."""
        given = [v is not None for v in (self.below, self.above, self.lowest)]
        if sum(given) > 1:
            raise PolarsimInputError(
                "give one of --below, --above or --lowest", field="--below/--above/--lowest"
            )
        if self.below is not None:
            return y < self.below, f"outcome < {self.below:g}"
        if self.above is not None:
            return y > self.above, f"outcome > {self.above:g}"
        share = DEFAULT_LOWEST if self.lowest is None else self.lowest
        if not 0.0 < share < 1.0:
            raise PolarsimInputError(f"expected a share in (0, 1), found {share}", field="--lowest")
        line = float(np.quantile(y, share))
        return y <= line, f"outcome <= {line:.4g} (the lowest {share:.0%} of points)"


def _ema(module: str):
    """An EMA Workbench analysis module (experiment.ema.import_ema)."""
    from polarsim.experiment.ema import import_ema

    return import_ema(f"ema_workbench.analysis.{module}")


def _inputs(X: pd.DataFrame, y: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    if len(X) != len(y):
        raise PolarsimInputError(f"{len(X)} design points but {len(y)} outcomes")
    if not np.isfinite(y).all():
        raise PolarsimInputError(
            f"{int((~np.isfinite(y)).sum())} design points have no outcome (failed runs?); "
            "rerun them with --resume before the analysis"
        )
    if X.shape[1] == 0:
        raise PolarsimInputError("the sweep varies no parameter: nothing to discover")
    X = X.copy()
    for name in X.columns:  # values given as a list of words: categories for PRIM and CART
        if X[name].dtype == object or pd.api.types.is_string_dtype(X[name]):
            X[name] = X[name].astype("category")
    return X.reset_index(drop=True), np.asarray(y, dtype=float)


def _enough(cases: np.ndarray, what: str) -> None:
    n = int(cases.sum())
    if n == 0 or n == len(cases):
        raise PolarsimInputError(
            f"{'no' if n == 0 else 'every'} design point is of interest ({what}): "
            "choose a line the outcome crosses (--below, --above or --lowest)"
        )


def _limits(box: pd.DataFrame, full: pd.DataFrame, names: list[str]) -> list[dict]:
    """One entry per restricted parameter: its range in the box and in the design."""
    rows = []
    for name in names:
        lo, hi = box[name].iloc[0], box[name].iloc[1]
        if isinstance(lo, set):  # a categorical parameter: the values kept
            if lo == full[name].iloc[0]:
                continue
            rows.append({"parameter": name, "box": ", ".join(sorted(map(str, lo)))})
            continue
        f_lo, f_hi = full[name].iloc[0], full[name].iloc[1]
        if lo == f_lo and hi == f_hi:
            continue
        rows.append(
            {
                "parameter": name,
                "low": float(lo),
                "high": float(hi),
                "design_low": float(f_lo),
                "design_high": float(f_hi),
            }
        )
    return rows


def check_min_coverage(share: float) -> float:
    """`share` if it is a share of the points of interest PRIM's box can cover: in
    (0, 1]."""
    if not 0.0 < share <= 1.0:  # also NaN
        raise PolarsimInputError(
            f"expected a share of the points of interest in (0, 1], found {share:g}",
            field="--min-coverage",
        )
    return share


def prim_box(
    X: pd.DataFrame,
    y: np.ndarray,
    interest: Interest = Interest(),
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """PRIM's box for the cases of interest: one row per restricted parameter (its range
    in the box and in the design, quasi-p value of the restriction) with the box's
    coverage, density, mass and number of restricted parameters; and the whole peeling
    trajectory (coverage, density, mass, restricted parameters of every box)."""
    check_min_coverage(min_coverage)
    X, y = _inputs(X, y)
    cases, what = interest.mark(y)
    _enough(cases, what)
    prim = _ema("prim")
    with warnings.catch_warnings():  # pandas deprecations inside EMA Workbench
        warnings.simplefilter("ignore")
        finder = prim.Prim(X, cases, peel_alpha=peel_alpha, mass_min=mass_min)
        box = finder.find_box()
    trajectory = box.peeling_trajectory.copy()
    ok = trajectory[trajectory["coverage"] >= min_coverage]
    chosen = (
        int(ok.sort_values(["density", "res_dim"], ascending=[False, True]).index[0])
        if len(ok)
        else 0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box.select(chosen)
    stats = trajectory.iloc[chosen]
    pvalues = box.p_values[chosen]
    rows = _limits(box.box_lims[chosen], box.box_lims[0], list(X.columns))
    for row in rows:
        qp = pvalues.get(row["parameter"])
        if qp is not None:
            qp = [np.nan if v == -1 else v for v in qp]
            row["qp_low"], row["qp_high"] = float(qp[0]), float(qp[1])
    table = pd.DataFrame(rows)
    for key in ("coverage", "density", "mass", "res_dim"):
        table[key] = stats[key]
    table["box"] = chosen
    table["cases"] = int(cases.sum())
    table["points"] = len(cases)
    table["interest"] = what
    return table, trajectory


def cart_boxes(
    X: pd.DataFrame, y: np.ndarray, interest: Interest = Interest(), mass_min: float = 0.05
) -> pd.DataFrame:
    """CART's leaves where the cases of interest are the majority: one row per
    restricted parameter of each such leaf, with the leaf's coverage, density and mass."""
    X, y = _inputs(X, y)
    cases, what = interest.mark(y)
    _enough(cases, what)
    cart = _ema("cart")
    # EMA's CART takes int(mass_min * points) as the smallest leaf: at least one point
    # (below 1 / mass_min points it would be 0, which scikit-learn refuses)
    mass_min = max(mass_min, (1 + 1e-9) / len(cases))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = cart.CART(_padded(X), cases, mass_min=mass_min)
        tree.build_tree()
    full = tree.boxes[0].copy()
    for name in X.columns:  # the design's own range, not the leaf-zero's
        if not isinstance(full[name].iloc[0], set):
            full[name] = [X[name].min(), X[name].max()]
    rows = []
    for i, (lims, stats) in enumerate(zip(tree.boxes, tree.stats, strict=True)):
        if stats["density"] <= 0.5:
            continue
        for row in _limits(lims, full, list(X.columns)) or [{"parameter": "(none)"}]:
            leaf = {k: stats[k] for k in ("coverage", "density", "mass")}
            rows.append({"leaf": i, **row, **leaf})
    table = pd.DataFrame(rows)
    table["cases"] = int(cases.sum())
    table["points"] = len(cases)
    table["interest"] = what
    return table


#: A constant column CART and the extra trees never split on (`_padded`).
_PAD = "__constant__"


def _padded(X: pd.DataFrame) -> pd.DataFrame:
    """`X` with a constant column if it has one parameter: EMA's CART names every node's
    feature, a leaf's by scikit-learn's index -2, which does not exist in a list of one
    name (an IndexError on a sweep of one parameter)."""
    return X.assign(**{_PAD: 0.0}) if X.shape[1] == 1 else X


def feature_scores(X: pd.DataFrame, y: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """How much each parameter explains the outcome: extra-trees regression importance
    (EMA Workbench's feature scoring), highest first."""
    X, y = _inputs(X, y)
    scoring = _ema("feature_scoring")
    rule = scoring.RuleInductionType.REGRESSION
    # EMA's default, a third of the parameters rounded, is none at all for one parameter
    # (scikit-learn refuses 0); from two on it is EMA's
    scores, _ = scoring.get_ex_feature_scores(
        X, y, mode=rule, random_state=seed, max_features=max(1, round(X.shape[1] / 3))
    )
    table = scores.reset_index()
    table.columns = ["parameter", "score"]
    return table.sort_values("score", ascending=False, ignore_index=True)


def main_effects(X: pd.DataFrame, y: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """First-order (main-effect) index S1 and the moment-independent delta of each
    numeric parameter, with 95 % confidence half-widths (SALib's delta, any design)."""
    X, y = _inputs(X, y)
    numeric = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
    if not numeric:
        raise PolarsimInputError("main effects need numeric parameters; the sweep has none")
    try:
        from SALib.analyze import delta
    except ImportError as exc:
        raise PolarsimInputError(
            "main effects need SALib: pip install 'polarsim[sensitivity]'"
        ) from exc
    values = X[numeric].to_numpy(dtype=float)
    problem = {
        "num_vars": len(numeric),
        "names": numeric,
        "bounds": [[float(v.min()), float(v.max())] for v in values.T],
    }
    # SALib prints notes on its bins, and warns why it could not estimate an index
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
        warnings.catch_warnings(record=True) as said,
    ):
        warnings.simplefilter("always")
        res = delta.analyze(problem, values, y, seed=seed, print_to_console=False)
    # the classic estimator: "delta" up to SALib 1.5, "delta_raw" from 1.6 on
    key = "delta" if "delta" in res else "delta_raw"
    if (
        np.isnan(np.asarray(res["S1"], dtype=float)).all()
        and np.isnan(np.asarray(res[key], dtype=float)).all()
    ):
        why = [str(w.message).split(". ")[0] for w in said]  # SALib's first reason
        raise PolarsimInputError(
            f"SALib's delta could not estimate any main effect from {len(y)} design points"
            + (f" ({why[0].strip()})" if why else "")
            + "; run a design of more points (--samples) or use `features`"
        )
    return pd.DataFrame(
        {
            "parameter": numeric,
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "delta": res[key],
            "delta_conf": res[f"{key}_conf"],
        }
    ).sort_values("S1", ascending=False, ignore_index=True)


def change_per_point(
    results: pd.DataFrame,
    n_points: int,
    outcome: str,
    years: list[int] | None,
    change_from: int | None,
    metrics: list[str] | None = None,
) -> np.ndarray:
    """One number per design point: the outcome (experiment.analyze.outcome_per_point),
    or its change from `change_from` (the same mean over replicates and states).
    `metrics`: the outcome columns of `results` (outcome_per_point)."""
    from polarsim.experiment.analyze import outcome_per_point

    if change_from is None:
        return outcome_per_point(results, n_points, outcome, years, metrics)
    kept = sorted(set(results["year"].tolist()))
    if change_from not in kept:
        raise PolarsimInputError(
            f"the sweep kept no results for {change_from} (it kept {kept}); add the year "
            "to outcomes.years in the experiment file",
            field="--change-from",
        )
    if years is None:  # the last kept year
        years = [kept[-1]]
    if change_from in years:
        raise PolarsimInputError(
            f"the change from {change_from} is measured in other years; --years {years} holds it",
            field="--years",
        )
    y = outcome_per_point(results, n_points, outcome, years, metrics)
    return y - outcome_per_point(results, n_points, outcome, [change_from], metrics)


def discovery_table(
    method: str,
    folder: str | Path,
    outcome: str | None = None,
    years: list[int] | None = None,
    change_from: int | None = None,
    interest: Interest = Interest(),
    min_coverage: float = DEFAULT_MIN_COVERAGE,
) -> pd.DataFrame:
    """`method` (one of METHODS) over a complete sweep folder of any design, with an
    ``outcome`` column first; writes nothing."""
    from polarsim.experiment.analyze import check_outcome, check_years, sweep_for_analysis

    if method not in METHODS:
        raise PolarsimInputError(f"unknown method {method!r}; expected one of {METHODS}")
    years = check_years(years)
    exp, design, results = sweep_for_analysis(Path(folder))
    names = [n for n in exp.parameters if n in design]
    X = design[names].reset_index(drop=True)
    metrics = list(exp.outcomes.metrics)
    outcome = check_outcome(outcome or metrics[0], metrics)
    y = change_per_point(results, len(design), outcome, years, change_from, metrics)
    if method == "prim":
        table, _ = prim_box(X, y, interest, min_coverage)
    elif method == "cart":
        table = cart_boxes(X, y, interest)
    elif method == "features":
        table = feature_scores(X, y, seed=exp.seed)
    else:
        table = main_effects(X, y, seed=exp.seed)
    label = outcome if change_from is None else f"{outcome} change from {change_from}"
    table.insert(0, "outcome", label)
    table.attrs["outcome"] = label  # also when PRIM's box restricts nothing (no rows)
    return table


def _range(row: pd.Series) -> str:
    if "box" in row and isinstance(row.get("box"), str):
        return f"{row['parameter']} in {{{row['box']}}}"
    return (
        f"{row['parameter']} in [{row['low']:.3g}, {row['high']:.3g}] "
        f"(design [{row['design_low']:.3g}, {row['design_high']:.3g}])"
    )


def describe(table: pd.DataFrame, method: str) -> str:
    """A discovery table as text: for PRIM and CART each box with its coverage (share
    of the points of interest inside it), density (share of its points that are of
    interest) and mass (share of all points), then its parameter ranges; for feature
    scores and main effects the table."""
    lines = [_label(table)]
    if method in ("prim", "cart") and table.empty:
        lines.append(
            f"no {'box' if method == 'prim' else 'leaf'} restricts any parameter: "
            + (
                "no box of PRIM's peeling trajectory covers --min-coverage of the points "
                "of interest and is denser than the whole design"
                if method == "prim"
                else "no leaf holds mostly points of interest"
            )
            + "; try another line (--below, --above, --lowest), a lower --min-coverage "
            "or a larger design"
        )
        return "\n".join(lines)
    if method in ("prim", "cart"):
        first = table.iloc[0]
        lines.append(
            f"points of interest: {first['interest']}: {first['cases']} of {first['points']}"
        )
        key = "box" if method == "prim" else "leaf"
        for _, part in table.groupby(key if method == "cart" else "coverage", sort=False):
            r = part.iloc[0]
            lines.append(
                f"{'box' if method == 'prim' else f'leaf {r[key]}'}: coverage "
                f"{r['coverage']:.2f}, density {r['density']:.2f}, mass {r['mass']:.2f}"
            )
            lines += [f"  {_range(row)}" for _, row in part.iterrows()]
            if method == "prim" and "qp_low" in part:
                qp = part[["qp_low", "qp_high"]].max(axis=1)
                lines.append(f"  largest quasi-p value of a restriction: {qp.max():.3g}")
        return "\n".join(lines)
    shown = table.drop(columns=["outcome"])
    lines.append(shown.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    return "\n".join(lines)


def discover(method: str, folder: str | Path, *, force: bool = False, **options) -> pd.DataFrame:
    """discovery_table, written as `discovery_<method>_<outcome>.csv` in the sweep folder
    and recorded in its marker (replaced when run again; a file of that name polarsim
    did not write is refused unless `force`)."""
    from polarsim.experiment.analyze import write_analysis_file

    folder = Path(folder)
    table = discovery_table(method, folder, **options)
    outcome = _label(table).split()[0]
    change = options.get("change_from")
    name = f"discovery_{method}_{outcome}" + (f"_change_from_{change}" if change else "") + ".csv"
    write_analysis_file(folder, name, lambda tmp: table.to_csv(tmp, index=False), force)
    return table


def _label(table: pd.DataFrame) -> str:
    """The outcome a discovery table is about (its `outcome` column, or for a table
    without rows the label discovery_table kept)."""
    if len(table):
        return str(table["outcome"].iloc[0])
    return str(table.attrs.get("outcome", "outcome"))
