"""Rejection ABC on the sweep engine: the Python API behind `polarsim calibrate`.

1. The experiment's design (random or Latin hypercube over the parameters' ranges =
   uniform priors, or normal priors) is run as a sweep: results stream to Parquet,
   `resume=True` continues, the local pool or Dask runs it.
2. For every design point, the replicate mean of each observed series in the
   calibration window gives one MAE per series; the distance is the weighted mean of
   the series' MAEs, each divided by its median over the design points (so series in
   different units weigh as the weights say).
3. The `accept` share of design points with the smallest distance is the posterior
   sample (Pritchard et al. 1999; Beaumont et al. 2002 without regression adjustment):
   median, mean, sd and the central `interval` of each parameter.
4. Fit per series: MAE of the prior and posterior predictive means (and the posterior
   band's coverage) in the calibration window and in the held-out years, next to the
   persistence and linear-trend forecasts from the observations before those years.
5. A calibrated scenario file extends the base scenario with the posterior medians;
   its `sources:` map says "calibrated" and names the experiment.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from polarsim.calibration.targets import UNITS, observed_targets, simulated_matrix
from polarsim.errors import PolarsimInputError
from polarsim.experiment.calibration_section import Calibration
from polarsim.experiment.spec import (
    Experiment,
    base_path,
    file_sha256,
    load_experiment,
    param_paths,
)
from polarsim.markdown import frame_markdown
from polarsim.observations.measures import coverage, mae, naive_forecasts
from polarsim.outputs import OwnedFolder, check_new_files, write_file

SWEEP = "sweep"
#: Spawn-key prefix of the SMC proposal streams (apart from the tasks' (run_id, rep)).
SMC_KEY = 1_000_000_007
EFFECTIVE = "experiment.yaml"
#: What made the calibration; written last, so its presence marks a finished one.
MANIFEST = "calibration.json"
#: The observations fitted, as given (a resume refuses others).
TARGETS = "targets.csv"
TARGET_KEYS = ["series", "state", "partner"]

#: Writes figures into the calibration folder (plots.folder_figures.calibration_figures).
CalibrationFigures = Callable[["CalibrationResult", Path], None]


@dataclass
class CalibrationResult:
    """`posterior`: one row per parameter; `fit`: MAE per series and window;
    `fit_detail`: the same per series and state; `distances`: every design point with
    its distance and whether it was accepted; `predictive`: the targets with prior and
    posterior predictive mean and band."""

    posterior: pd.DataFrame
    fit: pd.DataFrame
    fit_detail: pd.DataFrame
    distances: pd.DataFrame
    predictive: pd.DataFrame
    folder: Path | None = None
    scenario_path: Path | None = None
    manifest: dict = field(default_factory=dict)


# ------------------------------------------------------------------ the estimator


def series_errors(sims: np.ndarray, targets: pd.DataFrame, cal: Calibration) -> pd.DataFrame:
    """MAE per design point (rows) and active series (columns) over the window."""
    w0, w1 = cal.window
    inside = targets["year"].between(w0, w1).to_numpy()
    obs = targets["observed"].to_numpy(dtype=float)
    out = {}
    for series in cal.targets.active():
        rows = inside & (targets["series"] == series).to_numpy()
        if rows.any():
            out[series] = np.nanmean(np.abs(sims[:, rows] - obs[rows]), axis=1)
    if not out:
        raise PolarsimInputError(
            "no target series has observations in the calibration window",
            field="calibration.targets",
        )
    return pd.DataFrame(out)


def error_scales(errors: pd.DataFrame) -> dict[str, float]:
    """Each series' median error over the prior sample (1 where that is 0)."""
    return {s: (float(np.nanmedian(e)) or 1.0) for s, e in errors.items()}


def combine(errors: pd.DataFrame, cal: Calibration, scales: dict[str, float]) -> np.ndarray:
    """Distance: weighted mean of the series' errors, each divided by its scale."""
    active = cal.targets.active()
    total = sum(active[s].weight * errors[s].to_numpy() / scales[s] for s in errors)
    return total / sum(active[s].weight for s in errors)


def distances(
    sims: np.ndarray, targets: pd.DataFrame, cal: Calibration
) -> tuple[np.ndarray, pd.DataFrame]:
    """(distance per design point, MAE per design point and series), scaled by this
    sample's own medians."""
    errors = series_errors(sims, targets, cal)
    return combine(errors, cal, error_scales(errors)), errors


def _prior_text(exp: Experiment, name: str) -> str:
    p = exp.parameters[name]
    if p.range is not None:
        return f"uniform({p.range[0]:g}, {p.range[1]:g})"
    n = p.distribution.normal
    return f"normal({n.mean:g}, {n.sd:g})"


def _quantiles(a: np.ndarray, w: np.ndarray | None, qs) -> np.ndarray:
    if w is None:
        return np.quantile(a, qs, axis=0)
    from polarsim.calibration.smc import weighted_quantile

    if a.ndim == 1:
        return weighted_quantile(a, w, qs)
    return np.array([[weighted_quantile(a[:, j], w, q) for j in range(a.shape[1])] for q in qs])


def _unbiased_var(biased: float, w: np.ndarray) -> float:
    """A weighted variance with normalised weights `w` made unbiased: divided by
    1 - sum w^2 (importance weights are reliability weights, as numpy.cov's
    `aweights`), which is n / (n - 1) for n equal weights. n / (n - 1) with unequal
    weights understates the sd: it counts n points where the weights leave fewer."""
    n = len(w)
    if n < 2:
        return biased
    if np.all(w == w[0]):  # equal weights (rejection ABC): n / (n - 1), as before
        return biased * n / (n - 1)
    return biased / (1.0 - float(np.sum(w**2)))


def effective_size(weights: np.ndarray | None, n: int) -> float:
    """Kish's effective sample size (sum w)^2 / sum w^2 of an importance-weighted
    sample: n for equal weights, 1 when one point holds all the weight."""
    if weights is None:
        return float(n)
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2))


def posterior_table(
    design: pd.DataFrame,
    accepted: np.ndarray,
    best: int,
    exp: Experiment,
    weights: np.ndarray | None = None,
    n_points: int | None = None,
) -> pd.DataFrame:
    """One row per parameter: estimate (median), mean, sd, the central interval of the
    accepted sample (weighted for SMC), the best point, counts (accepted, their
    effective number under the weights, design points)."""
    cal = exp.calibration
    tail = (1.0 - cal.interval) / 2.0
    rows = []
    for name, p in exp.parameters.items():
        v = design[name].to_numpy(dtype=float)
        a = v[accepted]
        med, lo, hi = _quantiles(a, weights, [0.5, tail, 1.0 - tail])
        w = np.full(len(a), 1.0 / len(a)) if weights is None else weights  # they sum to 1
        mean = float(np.sum(w * a))
        var = _unbiased_var(float(np.sum(w * (a - mean) ** 2)), w)
        rows.append(
            {
                "parameter": name,
                "paths": ", ".join(param_paths(name, p)),
                "prior": _prior_text(exp, name),
                "estimate": round(float(med)) if p.integer else float(med),
                "mean": mean,
                "sd": float(np.sqrt(var)) if len(a) > 1 else float("nan"),
                "lower": float(lo),
                "upper": float(hi),
                "best": float(v[best]),
                "accepted": int(len(a)),
                "effective": effective_size(weights, len(a)),
                "design_points": int(n_points if n_points is not None else len(v)),
            }
        )
    return pd.DataFrame(rows)


def _fit_rows(g: pd.DataFrame, window: str, keys: dict) -> dict:
    # the naive forecasts exist only for series observed before the window
    naive = g["persistence"].notna() & g["trend"].notna()
    return {
        **keys,
        "window": window,
        "unit": UNITS[keys["series"]],
        "n": len(g),
        "mae_prior": mae(g["prior_mean"], g["observed"]),
        "mae_posterior": mae(g["post_mean"], g["observed"]),
        "coverage_posterior": coverage(g["observed"], g["post_lower"], g["post_upper"]),
        "n_naive": int(naive.sum()),
        "mae_persistence": mae(g["persistence"][naive], g["observed"][naive]),
        "mae_trend": mae(g["trend"][naive], g["observed"][naive]),
    }


def fit_tables(predictive: pd.DataFrame, cal: Calibration) -> tuple[pd.DataFrame, pd.DataFrame]:
    """MAE per series (and per series and state) in the calibration window and the
    held-out years; naive forecasts from the observations before each window."""
    spans = [("calibration", cal.window)]
    if cal.held_out:
        spans.append(("held-out", cal.held_out))
    fit, detail = [], []
    for label, (a, b) in spans:
        rows = predictive[predictive["year"].between(a, b)]
        rows = naive_forecasts(predictive, rows.drop(columns=["persistence", "trend"],
                                                     errors="ignore"), a, "observed",
                               TARGET_KEYS)  # fmt: skip
        name = f"{label} {a}-{b}"
        for s, g in rows.groupby("series", sort=False):
            fit.append(_fit_rows(g, name, {"series": s}))
            for st, gs in g.groupby("state", sort=False):
                detail.append(_fit_rows(gs, name, {"series": s, "state": st}))
    return pd.DataFrame(fit), pd.DataFrame(detail)


@dataclass
class Sample:
    """One generation: design points (aligned with `sims` rows), the replicate-mean
    outputs for every target, the error per series and the distance."""

    design: pd.DataFrame
    sims: np.ndarray
    errors: pd.DataFrame
    distance: np.ndarray | None = None


def evaluate(design: pd.DataFrame, results: pd.DataFrame, targets: pd.DataFrame,
             cal: Calibration) -> Sample:  # fmt: skip
    run_ids, sims = simulated_matrix(results, targets)
    design = design.set_index("run_id").loc[run_ids].reset_index()
    return Sample(design, sims, series_errors(sims, targets, cal))


#: fewest accepted points whose 90 % intervals a reader can quote: with fewer, the
#: 5 % and 95 % quantiles rest on one or two points each and move between seeds (an
#: assumption; docs/validation.md, small posterior samples)
MIN_QUOTABLE_ACCEPTED = 20


def posterior_notes(posterior: pd.DataFrame) -> list[str]:
    """Warnings about a posterior too small to quote: too few accepted points, or (SMC)
    importance weights that leave too few in effect."""
    if posterior.empty:
        return []
    m = int(posterior["accepted"].iloc[0])
    if m < MIN_QUOTABLE_ACCEPTED:
        return [
            f"the posterior rests on {m} accepted design points (accept x design points); "
            f"below {MIN_QUOTABLE_ACCEPTED} its intervals move between seeds: raise "
            "--samples (design.samples) before quoting them"
        ]
    # the weighted quantiles rest on the effective number of points, not the count: a
    # few heavy particles make intervals as unstable as a few accepted points
    ess = float(posterior["effective"].iloc[0]) if "effective" in posterior else float(m)
    if ess < MIN_QUOTABLE_ACCEPTED:
        return [
            f"the SMC weights leave an effective sample size of {ess:.1f} of {m} accepted "
            f"particles; below {MIN_QUOTABLE_ACCEPTED} its intervals move between seeds: "
            "raise --samples (design.samples) or calibration.accept before quoting them"
        ]
    return []


def n_accepted(cal: Calibration, n: int) -> int:
    m = max(2, math.ceil(cal.accept * n))
    if n < m:
        raise PolarsimInputError(
            f"{n} design points cannot give {m} accepted ones; raise design.samples",
            field="design.samples",
        )
    return m


def summarise(exp: Experiment, samples: list[Sample], accepted: np.ndarray,
              weights: np.ndarray | None, targets: pd.DataFrame) -> CalibrationResult:  # fmt: skip
    """Posterior, predictive and fit from the prior sample (samples[0]) and the final
    one's accepted points (with SMC weights, or None for equal weights)."""
    cal = exp.calibration
    final = samples[-1]
    tail = (1.0 - cal.interval) / 2.0
    post = final.sims[accepted]
    w = weights if weights is not None else np.full(len(accepted), 1.0 / len(accepted))
    predictive = targets.copy()
    predictive["prior_mean"] = samples[0].sims.mean(axis=0)
    predictive["post_mean"] = w @ post
    predictive["post_lower"], predictive["post_upper"] = _quantiles(post, weights,
                                                                    [tail, 1.0 - tail])  # fmt: skip
    fit, detail = fit_tables(predictive, cal)
    tables = []
    for g, smp in enumerate(samples):
        t = smp.design.copy()
        t.insert(0, "generation", g)
        t["distance"] = smp.distance
        for s in smp.errors:
            t[f"mae_{s}"] = smp.errors[s].to_numpy()
        t["accepted"] = False
        t["weight"] = 0.0
        if g == len(samples) - 1:
            t.loc[t.index[accepted], "accepted"] = True
            t.loc[t.index[accepted], "weight"] = w
        tables.append(t)
    best = int(accepted[np.argmin(final.distance[accepted])])
    return CalibrationResult(
        posterior=posterior_table(
            final.design, accepted, best, exp, weights, sum(len(x.design) for x in samples)
        ),  # fmt: skip
        fit=fit,
        fit_detail=detail,
        distances=pd.concat(tables, ignore_index=True),
        predictive=predictive,
    )


def prior_sample(
    design: pd.DataFrame, results: pd.DataFrame, targets: pd.DataFrame, cal: Calibration
) -> tuple[Sample, pd.DataFrame, dict[str, float], int]:
    """(sample, targets, scales, m): the first sample with its distances, the targets the
    model simulates (a target no design point has a value for is dropped), the error
    scales (the prior sample's medians, kept for later SMC generations) and the number
    of points accepted per generation."""
    smp = evaluate(design, results, targets, cal)
    keep = ~np.all(np.isnan(smp.sims), axis=0)
    targets = targets[keep].reset_index(drop=True)
    smp = evaluate(design, results, targets, cal)
    scales = error_scales(smp.errors)
    smp.distance = combine(smp.errors, cal, scales)
    return smp, targets, scales, n_accepted(cal, len(smp.distance))


def closest(distance: np.ndarray, m: int) -> np.ndarray:
    """Indices of the m smallest distances (ties in design order)."""
    return np.argsort(distance, kind="stable")[:m]


def estimate(
    exp: Experiment, design: pd.DataFrame, results: pd.DataFrame, targets: pd.DataFrame
) -> CalibrationResult:
    """Rejection ABC from a finished sweep's design and results (the pure part of
    `calibrate`, callable on any sweep folder of a calibration experiment)."""
    smp, targets, _, m = prior_sample(design, results, targets, exp.calibration)
    return summarise(exp, [smp], closest(smp.distance, m), None, targets)


# ------------------------------------------------------------------ files


def _atomic_text(owned: OwnedFolder, path: Path, text: str) -> None:
    """Write a file of the calibration folder whole (polarsim.outputs.OwnedFolder: only
    files polarsim wrote there before are replaced, on --resume)."""
    owned.write(path.relative_to(owned.folder), text)


def _extends_chain(scenario: Path) -> list[Path]:
    """`scenario` and every file it extends, resolved (it has loaded, so the chain is
    sound; a file that cannot be read ends it)."""
    chain: list[Path] = []
    path = Path(scenario)
    while path.resolve() not in chain:
        chain.append(path.resolve())
        try:
            parent = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("extends")
        except (OSError, ValueError, AttributeError, yaml.YAMLError):
            break
        if not isinstance(parent, str):
            break
        path = Path(os.path.normpath(path.parent / parent))
    return chain


def check_scenario_out(
    scenario_out: Path, base: Path, exp_path: Path, *, force: bool = False
) -> None:
    """Refuse, before anything runs, a --scenario-out that would destroy an input: the
    base scenario or a file it extends (the calibrated scenario extends the base, so it
    would extend itself), or the experiment file, even with `force`; any other existing
    file without `force`."""
    target = Path(os.path.realpath(scenario_out))
    if target in _extends_chain(base):
        raise PolarsimInputError(
            "is the base scenario of this calibration or a file it extends; the calibrated "
            "scenario extends the base, so it cannot replace it (even with --force): "
            "choose a new file name",
            field=f"--scenario-out {scenario_out}",
        )
    if target == Path(os.path.realpath(exp_path)):
        raise PolarsimInputError(
            "is the experiment file being run; choose a new file name",
            field=f"--scenario-out {scenario_out}",
        )
    check_new_files([scenario_out], force=force)


def _scenario_writer(text: str) -> Callable[[Path], None]:
    """Write the calibrated scenario to a temporary sibling and load it there (its
    `extends` is relative to its folder): a file that would not load is never put in
    place."""
    from polarsim.scenario import load_scenario

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
        load_scenario(tmp)

    return write


def _effective_experiment(exp_path: Path, exp: Experiment, samples: int | None, sc) -> str:
    """The experiment as the sweep runs it: base and target files as absolute paths,
    the design size, and the outcomes the targets need."""
    raw = yaml.safe_load(exp_path.read_text())
    raw["base"] = str(base_path(exp_path, exp))
    if samples is not None:
        raw.setdefault("design", {})
        if isinstance(raw["design"], str):
            raw["design"] = {"type": raw["design"]}
        raw["design"]["samples"] = samples
    cal = exp.calibration
    for series, target in cal.targets.active().items():
        if target.file:
            raw["calibration"]["targets"][series]["file"] = str(
                (exp_path.parent / target.file).resolve()
            )
    metrics = []
    active = cal.targets.active()
    if "trade_shares" in active:
        metrics += [f"trade_share_{p}" for p in sc.power_codes]
    if "arms_shares" in active:
        metrics += [f"arms_share_{p}" for p in sc.power_codes]
    if "remittances" in active:
        metrics.append("remittances_pct_gdp")
    raw["outcomes"] = {
        "metrics": metrics,
        "years": [y for y in cal.years() if y in sc.years],
        "aggregate": "state",
    }
    head = (
        f"# Written by polarsim calibrate from {exp_path} (sha256 {file_sha256(exp_path)}):\n"
        "# the experiment as run, with absolute paths, the design size and the outcomes.\n"
    )
    return head + yaml.safe_dump(raw, sort_keys=False)


def _nested(values: dict[str, object]) -> dict:
    out: dict = {}
    for path, value in values.items():
        if "[" in path:
            raise PolarsimInputError(
                f"{path!r} addresses a list item; a calibrated scenario can only set "
                "values in maps (powers, states, parameters)",
                field="parameters",
            )
        node = out
        *head, last = path.split(".")
        for k in head:
            node = node.setdefault(k, {})
        node[last] = value
    return out


def calibrated_scenario(
    exp_path: Path, exp: Experiment, posterior: pd.DataFrame, target: Path
) -> str:
    """YAML of a scenario that extends the base with the posterior medians, its
    `sources:` naming the experiment, the method and the interval of every value."""
    from polarsim.scenario import load_scenario

    base = base_path(exp_path, exp)
    name = load_scenario(base).name
    cal = exp.calibration
    stamp = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d")
    method = (
        f"ABC-SMC, {cal.generations} generations" if cal.method == "abc_smc" else "rejection ABC"
    )
    values, sources = {}, {}
    for row in posterior.itertuples(index=False):
        p = exp.parameters[row.parameter]
        v = int(row.estimate) if p.integer else float(f"{row.estimate:.6g}")
        for path in param_paths(row.parameter, p):
            values[path] = v
            sources[path] = (
                f"calibrated: experiment {exp_path.name} ({method}, posterior median of "
                f"{row.accepted} accepted of {row.design_points} design points, window "
                f"{cal.window[0]}-{cal.window[1]}; {cal.interval:.0%} interval "
                f"[{row.lower:.4g}, {row.upper:.4g}]; prior {row.prior}; {stamp})"
            )
    rel = os.path.relpath(base, target.resolve().parent)
    doc = {
        "schema_version": 1,
        "extends": rel,
        "name": f"{name}_calibrated",
        "description": f"{name} with parameters calibrated by {exp_path.name} "
        f"(observations {cal.window[0]}-{cal.window[1]})",
        **_nested(values),
        "sources": sources,
    }
    head = (
        f"# {target.name} - written by polarsim calibrate {exp_path.name} on {stamp}.\n"
        f"# The base scenario with the posterior medians of the calibrated parameters;\n"
        f"# `sources:` gives each value's origin and interval. Rerun the experiment to\n"
        f"# update it rather than editing the numbers by hand.\n"
    )
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=400)


def calibrate(
    experiment: str | Path,
    workers: int = 1,
    out: str | Path | None = None,
    resume: bool = False,
    samples: int | None = None,
    backend: str = "local",
    scheduler: str | None = None,
    scenario_out: str | Path | None = None,
    progress: bool = True,
    command: list[str] | None = None,
    targets: pd.DataFrame | None = None,
    force: bool = False,
    figures: CalibrationFigures | None = None,
    oversubscribe: bool = False,
) -> CalibrationResult:
    """Fit the experiment's parameters to the observed series of its calibration
    section. Writes into `out`: experiment.yaml (as run), sweep/ (a sweep folder:
    design, results, manifest), posterior.csv/.md, fit.csv/.md, fit_detail.csv,
    distances.csv, predictive.csv, calibration.json and the calibrated scenario
    (`scenario_out`, default out/<base>_calibrated.yaml); `figures(result, out)` adds
    figures (the command line passes polarsim.plots.folder_figures.calibration_figures:
    figures/posterior and, with held-out years, figures/fit_trade). `targets` replaces the
    observed series (e.g. synthetic ones, see calibration.targets.synthetic_targets).
    `scenario_out` never replaces the base scenario or a file it extends, and another
    existing file only with `force`; this is checked before anything runs.
    `oversubscribe` starts all `workers` even on fewer CPUs (as `sweep`).

    >>> from polarsim.calibration import calibrate
    >>> c = calibrate("experiments/calibrate_historical.yaml", workers=2,
    ...               out="runs/calib")                                # doctest: +SKIP
    >>> c.posterior, c.fit                                             # doctest: +SKIP
    """
    from polarsim.outputs import timestamped
    from polarsim.scenario import load_scenario

    exp_path = Path(experiment).resolve()
    exp = load_experiment(experiment)
    if exp.calibration is None:
        raise PolarsimInputError(
            "no calibration section (window, targets): see docs/validation.md",
            file=str(experiment),
            field="calibration",
        )
    base = base_path(exp_path, exp)
    sc = load_scenario(base, exp.overrides)
    supplied = targets is not None
    if targets is None:
        targets = observed_targets(sc, exp.calibration, exp_path.parent)
    out = Path(out) if out is not None else timestamped(exp_path.stem, Path("runs"))
    text = _effective_experiment(exp_path, exp, samples, sc)
    eff = _check_folder(out, text, resume)
    if scenario_out is not None:
        check_scenario_out(Path(scenario_out), base, exp_path, force=force)
    owned = OwnedFolder(out, kind="calibration")
    _check_targets(owned, targets, resume and eff.is_file())
    if not (resume and eff.is_file()):
        _atomic_text(owned, eff, text)
    run = _SweepRunner(workers, progress, command, backend, scheduler, oversubscribe)
    cal = exp.calibration
    run_exp = load_experiment(eff)
    design, results, bad = run(eff, out / SWEEP)
    prior, targets, scales, m = prior_sample(design, results, targets, cal)
    samples, accepted, weights = [prior], closest(prior.distance, m), None
    failed = [[0, r] for r in bad]
    if cal.method == "abc_smc":
        samples, accepted, weights, more = _smc_generations(
            exp, owned, run, eff, targets, scales, samples, accepted
        )
        failed += more
    res = summarise(run_exp, samples, accepted, weights, targets)
    res.manifest["failed_design_points"] = failed
    res.manifest["tolerances"] = [float(np.max(x.distance[np.argsort(x.distance)[:m]]))
                                  for x in samples]  # fmt: skip
    scenario_path = (
        Path(scenario_out) if scenario_out else out / f"{load_scenario(base).name}_calibrated.yaml"
    )
    scen_text = calibrated_scenario(exp_path, exp, res.posterior, scenario_path)
    res.manifest = _write(owned, res, exp_path, run_exp, command, scenario_path, supplied)
    if figures:
        figures(res, out)
    if scenario_out is None:
        owned.write(scenario_path.relative_to(out), _scenario_writer(scen_text))
    else:  # checked before the runs; refused here too if it appeared meanwhile
        check_scenario_out(scenario_path, base, exp_path, force=force)
        write_file(scenario_path, _scenario_writer(scen_text), force=force)
    # last: a folder with calibration.json is a finished calibration (an interrupt
    # before it leaves none, and `--posterior` refuses the folder; --resume finishes it)
    _atomic_text(owned, out / MANIFEST, json.dumps(res.manifest, indent=2) + "\n")
    res.folder, res.scenario_path = out, scenario_path
    return res


def _check_folder(out: Path, text: str, resume: bool) -> Path:
    """The effective experiment's path in `out`, which must be new or empty, or with
    `resume` a calibration of the same experiment and design size."""
    eff = out / EFFECTIVE
    if resume and eff.is_file():
        # the first two lines name the source file and its hash, not what runs
        if eff.read_text().split("\n", 2)[2] != text.split("\n", 2)[2]:
            raise PolarsimInputError(
                "the experiment file or --samples changed since this calibration started; "
                "use a new --out",
                field=str(out),
            )
    elif out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PolarsimInputError(
            "exists and is not empty; choose a new --out folder or --resume", field=str(out)
        )
    return eff


def _check_targets(owned: OwnedFolder, targets: pd.DataFrame, resuming: bool) -> None:
    """Keep the observations a calibration fits (TARGETS), and refuse a resume whose
    observations differ: each SMC generation's proposals were drawn from the population
    the old ones accepted, so weighing them against the population the new ones accept
    is no importance sample of anything (a target file, the bundled data or `targets=`
    changed)."""
    path = owned.folder / TARGETS
    text = targets.to_csv(index=False)
    if resuming and path.is_file():
        if path.read_text(encoding="utf-8") != text:
            raise PolarsimInputError(
                f"the observed targets changed since this calibration started (see its "
                f"{TARGETS}: a target file, the bundled data or targets=); use a new --out",
                field=str(owned.folder),
            )
        return
    _atomic_text(owned, path, text)  # a folder of an older polarsim gets it now


def _smc_generations(
    exp: Experiment,
    owned: OwnedFolder,
    run: _SweepRunner,
    eff: Path,
    targets: pd.DataFrame,
    scales: dict[str, float],
    samples: list[Sample],
    accepted: np.ndarray,
) -> tuple[list[Sample], np.ndarray, np.ndarray, list]:
    """ABC-SMC after the prior sample: each generation proposes particles from the last
    accepted ones, runs them as a sweep and keeps the closest (distances on the prior
    sample's scales). Returns the samples, the last accepted indices, their weights and
    the failed [generation, run_id] pairs."""
    from polarsim.calibration import smc

    cal = exp.calibration
    out = owned.folder
    names = list(exp.parameters)
    n, m = len(samples[0].design), len(accepted)
    w = np.full(m, 1.0 / m)
    failed = []
    for g in range(1, cal.generations):
        theta = samples[-1].design[names].to_numpy(dtype=float)[accepted]
        rng = np.random.default_rng(np.random.SeedSequence(exp.seed, spawn_key=(SMC_KEY, g)))
        proposal = smc.design_frame(exp, smc.propose(exp, theta, w, n, rng))
        gen_exp = _generation(owned, out / f"gen-{g}", eff, proposal)
        design, res_g, bad = run(gen_exp, out / f"gen-{g}" / SWEEP)
        failed += [[g, r] for r in bad]
        smp = evaluate(design, res_g, targets, cal)
        smp.distance = combine(smp.errors, cal, scales)
        acc = closest(smp.distance, m)
        w = smc.new_weights(exp, smp.design[names].to_numpy(dtype=float)[acc], theta, w)
        samples.append(smp)
        accepted = acc
    return samples, accepted, w, failed


class _SweepRunner:
    """Runs one sample's sweep (resuming a started one) and returns its design, results
    without failed design points, and the failed run_ids."""

    def __init__(self, workers, progress, command, backend, scheduler, oversubscribe=False):
        self.kw = {"workers": workers, "progress": progress, "command": command,
                   "backend": backend, "scheduler": scheduler,
                   "oversubscribe": oversubscribe}  # fmt: skip

    def __call__(self, experiment: Path, folder: Path):
        from polarsim.experiment.shards import read_results
        from polarsim.experiment.sweep import completed_tasks, failed_tasks, status, sweep

        # join a folder that exists at all: one stopped while its files were being
        # published has no design.parquet yet, and only a resume may enter it (a new
        # calibration's folder never holds a sample's sweep folder before it runs)
        sweep(experiment, out=folder, resume=folder.is_dir(), **self.kw)
        st = status(folder)
        if st["remaining"] > st["failed"]:  # tasks never run (e.g. another shard's)
            raise PolarsimInputError(
                f"{st['remaining'] - st['failed']} runs have not run; rerun with --resume",
                field=str(folder),
            )
        design = pd.read_parquet(folder / "design.parquet")
        # in task order: replicate means then add the same way however the sweep ran
        results = read_results(folder)
        # A design point with a failed replicate (e.g. a normal prior's draw outside the
        # parameter's documented range) is left out of the sample, and counted.
        failed = sorted({r for r, _ in failed_tasks(folder) - completed_tasks(folder)})
        if not results.empty:  # an empty folder reads as a table without columns
            results = results[~results["run_id"].isin(failed)]
        if results.empty:
            raise PolarsimInputError(
                f"every design point failed (see {folder}/failures/)", field=str(folder)
            )
        return design, results, failed


def _generation(owned: OwnedFolder, folder: Path, effective: Path, proposal: pd.DataFrame) -> Path:
    """An SMC generation's experiment: the effective one with its design read from the
    proposed particles (design-input.csv). Written once; a resume reuses it."""
    exp_file = folder / EFFECTIVE
    if (folder / SWEEP / "design.parquet").is_file():
        return exp_file
    _atomic_text(owned, folder / "design-input.csv", proposal.to_csv(index=False))
    raw = yaml.safe_load(effective.read_text())
    raw["design"] = {"type": "table", "file": "design-input.csv"}
    head = f"# SMC generation {folder.name} of {effective}: proposed particles as the design.\n"
    _atomic_text(owned, exp_file, head + yaml.safe_dump(raw, sort_keys=False))
    return exp_file


def _write(owned: OwnedFolder, res: CalibrationResult, exp_path: Path, exp: Experiment,
           command, scenario_path: Path, supplied: bool) -> dict:  # fmt: skip
    cal = exp.calibration
    out = owned.folder
    _atomic_text(owned, out / "posterior.csv", res.posterior.to_csv(index=False))
    _atomic_text(owned, out / "fit.csv", res.fit.to_csv(index=False))
    _atomic_text(owned, out / "fit_detail.csv", res.fit_detail.to_csv(index=False))
    _atomic_text(owned, out / "distances.csv", res.distances.to_csv(index=False))
    _atomic_text(owned, out / "predictive.csv", res.predictive.to_csv(index=False))
    _atomic_text(
        owned,
        out / "posterior.md",
        f"# Posterior ({cal.method}, {cal.interval:.0%} intervals)\n\n"
        + frame_markdown(res.posterior, digits=4),
    )
    _atomic_text(
        owned,
        out / "fit.md",
        "# Fit per series: mean absolute error (prior and posterior predictive mean), "
        "posterior band coverage, naive forecasts\n\n" + frame_markdown(res.fit),
    )
    from polarsim.provenance import git_commit, versions

    man = {
        "kind": "calibration",
        "created_utc": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "versions": versions(),
        "git_commit": git_commit(),
        "experiment": {"path": str(exp_path), "sha256": file_sha256(exp_path)},
        "effective_experiment": EFFECTIVE,
        "sweep": SWEEP,
        "method": cal.method,
        "generations": cal.generations if cal.method == "abc_smc" else 1,
        "tolerances": res.manifest.get("tolerances"),
        "window": list(cal.window),
        "held_out": list(cal.held_out) if cal.held_out else None,
        "accept": cal.accept,
        "interval": cal.interval,
        "targets": {s: t.model_dump() for s, t in cal.targets.active().items()},
        "observed": "supplied by the caller (Python API, targets=...), see predictive.csv"
        if supplied
        else "bundled data and the targets' files",
        "calibrated_scenario": str(scenario_path),
        "failed_design_points": res.manifest.get("failed_design_points", []),
        "command": command if command is not None else sys.argv,
        "method_notes": "docs/validation.md",
    }
    return man
