"""`polarsim study FILE`: run what a study needs (reusing results already computed),
then write every figure, table and the report.

Results are cached under OUT/cache in folders named by a hash of everything they depend
on: the resolved scenarios or experiment, the seeds and design sizes, the versions of
numpy and Mesa, and a fingerprint of polarsim's model code (every source file except the
figure, table, study and command-line code). Change any of these and the study reruns
that part; change only a figure and it reruns nothing. An interrupted sweep resumes.

The output folder is an `OwnedFolder` (polarsim.outputs): it must be new, empty or
written by polarsim before, and a rebuild replaces only the files polarsim listed in its
marker; a user's own files in it are never touched."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.outputs import OwnedFolder
from polarsim.study.spec import Study, load_study, study_out

__all__ = ["StudyResults", "code_fingerprint", "compute_study", "output_names", "run_study"]

#: The results cache inside the study's output folder.
CACHE = "cache"
#: The files a build writes last, beside its figures/ and tables/.
FINAL = ("report.md", "study.json")
#: Every figure is written in each of these formats.
FORMATS = ("png", "pdf", "svg")
#: The figures a build draws, and those written with a CSV of the numbers drawn.
FIGURES = (
    "fig1_phase_change", "fig2_phase_change_by_state", "fig3_phase_level",
    "fig4_scenarios_difference", "fig5_scenarios_timeseries", "fig6_ties_shares",
    "fig7_ties_network", "fig8_ties_map", "fig9_sensitivity",
)  # fmt: skip
FIGURE_DATA = FIGURES[:4]
#: The tables a build writes (table4_discovery only when PRIM finds a box).
TABLES = (
    "ablation.csv", "changes.csv", "components.csv", "robustness.csv",
    "table1_summary.csv", "table1_summary.md", "table1_summary.tex",
    "table2_differences.csv", "table2_differences.md", "table2_differences.tex",
    "table3_sensitivity.csv", "table3_sensitivity.md", "table3_sensitivity.tex",
    "table4_discovery.csv", "table4_discovery.md",
)  # fmt: skip

#: Parts of the package that do not change simulated numbers (and every verb module,
#: `cli.py` or `<name>_cli.py`). The scenario library's files are inputs, hashed with
#: the inputs of each part that reads them.
_NOT_MODEL = ("plots", "study", "library")
_NOT_MODEL_FILES = (
    "cli.py", "__main__.py", "provenance.py", "analyze.py", "dask_backend.py",
    "discovery.py", "ema.py", "checks.py",
    "arguments.py", "markdown.py",
)  # fmt: skip


def output_names() -> list[str]:
    """Every file a build may write into its output folder, cache aside: checked against
    the folder before anything runs, so that a file of the user's of one of these names
    stops the study at once rather than after every experiment has run."""
    figures = [f"{f}.{ext}" for f in FIGURES for ext in FORMATS]
    figures += [f"{f}.csv" for f in FIGURE_DATA]
    return [*(f"figures/{f}" for f in sorted(figures)), *(f"tables/{t}" for t in TABLES), *FINAL]


def code_fingerprint() -> str:
    """SHA-256 over polarsim's model source and data files (sorted by path)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or path.suffix not in (".py", ".csv", ".yaml", ".json"):
            continue
        if rel.parts[0] in _NOT_MODEL or path.name in _NOT_MODEL_FILES:
            continue
        if path.name.endswith("_cli.py"):
            continue
        if "__pycache__" in rel.parts:
            continue
        h.update(str(rel.as_posix()).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _versions() -> dict:
    from polarsim.provenance import versions

    v = versions()
    return {k: v.get(k) for k in ("numpy", "mesa", "python")}


def _key(obj: object) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class StudyResults:
    """What the figures and the report are made from."""

    study: Study
    study_path: Path
    quick: bool
    scenarios_dir: Path
    states: pd.DataFrame  # every scenario run, with a scenario column
    names: list[str]
    phase_dir: Path
    sensitivity_dir: Path
    log: list[dict] = field(default_factory=list)  # computed or reused, wall time
    folder: OwnedFolder | None = None  # the output folder, opened before anything ran


# ----------------------------------------------------------------- experiments


def _derived_experiment(
    src: Path, changes: dict, owned: OwnedFolder, fingerprint: str
) -> tuple[Path, str]:
    """The experiment file with the study's changes (design size, replicates) and an
    absolute base path, written under cache/experiments with a content key."""
    from polarsim.scenario import load_scenario, scenario_hash

    data = yaml.safe_load(src.read_text())
    base = (src.parent / data["base"]).resolve()
    for path, value in changes.items():
        node = data
        *parents, last = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    keyed = {k: v for k, v in data.items() if k not in ("base", "description")}
    key = _key(
        {
            "experiment": keyed,
            "base": scenario_hash(load_scenario(base)),
            "code": fingerprint,
            "versions": _versions(),
        }
    )
    data["base"] = str(base)
    rel = f"{CACHE}/experiments/{src.stem}-{key}.yaml"
    out = owned.path(rel)
    text = f"# derived by polarsim study from {src.name}\n" + yaml.safe_dump(data, sort_keys=False)
    if not out.is_file() or out.read_text() != text:
        owned.write(rel, text)
    return out, key


def _ensure_sweep(
    exp_file: Path, folder: Path, workers: int, progress: bool, log: list[dict]
) -> Path:
    from polarsim.experiment.sweep import status, sweep

    start = time.perf_counter()
    if (folder / "design.parquet").is_file():
        if status(folder)["complete"]:
            log.append({"part": folder.name, "action": "reused", "wall_time_s": 0.0})
            return folder
        action = "resumed"
        sweep(exp_file, workers=workers, out=folder, resume=True, progress=progress)
    else:
        # A start that never wrote its design is joined, not deleted: the sweep refuses
        # a folder holding anything but its own entries.
        action = "computed"
        sweep(exp_file, workers=workers, out=folder, resume=folder.exists(), progress=progress)
    st = status(folder)
    if not st["complete"]:
        raise PolarsimInputError(
            f"{st['failed']} runs failed; see {folder / 'failures'} and rerun the study to "
            "retry them",
            field=str(folder),
        )
    log.append(
        {
            "part": folder.name,
            "action": action,
            "wall_time_s": round(time.perf_counter() - start, 2),
        }
    )
    return folder


def _ensure_scenarios(
    study: Study,
    quick: bool,
    scenarios: tuple[list, list[str]],
    cache: Path,
    fingerprint: str,
    log: list[dict],
) -> tuple[Path, pd.DataFrame, list[str]]:
    from polarsim.compare import compare, write_comparison
    from polarsim.run import shared_runs
    from polarsim.scenario import scenario_hash

    part = study.scenarios
    replicates = study.quick.replicates if quick else part.replicates
    loaded, names = scenarios
    if quick:
        # Keep the scenarios the figures name (reference, ties), then the others in order.
        wanted = [n for n in (part.reference, study.ties.scenario) if n in names]
        keep = list(dict.fromkeys([*wanted, *names]))[: study.quick.scenarios]
        pairs = [(n, s) for n, s in zip(names, loaded, strict=True) if n in keep]
        names, loaded = [n for n, _ in pairs], [s for _, s in pairs]
    # compare, ablate and vary take their differences from the first scenario: the
    # reference goes first, so that the ablation and the assumptions measure the effects
    # against the scenario the report names (the others keep the file's order)
    reference = part.reference if part.reference in names else names[0]
    pairs = sorted(zip(names, loaded, strict=True), key=lambda p: p[0] != reference)
    names, loaded = [n for n, _ in pairs], [s for _, s in pairs]
    key = _key(
        {
            "scenarios": [[n, scenario_hash(s)] for n, s in zip(names, loaded, strict=True)],
            "seed": part.seed,
            "replicates": replicates,
            "since": study.phase.baseline_year,  # the assumptions' changes are from it
            "code": fingerprint,
            "versions": _versions(),
        }
    )
    folder = cache / f"scenarios-{key}"
    start = time.perf_counter()
    whole = ("manifest.json", "states.parquet", "ablation.csv", "components.csv",
             "robustness.csv", "changes.csv")  # fmt: skip
    if all((folder / f).is_file() for f in whole):
        action = "reused"
    else:
        from polarsim.ablation import ablate, write_ablation
        from polarsim.assumptions import vary, write_robustness

        # the comparison, the ablation's full model and the shipped assumptions run the
        # same scenarios with the same seeds: simulated once (run.shared_runs)
        # the same seed, replicates, years and metric for all three, so the ablation's
        # full-model rows are the comparison's own differences
        same = {"seed": part.seed, "replicates": replicates, "years": part.years,
                "metric": study.metric}  # fmt: skip
        with shared_runs():
            c = compare(loaded, **same)
            c.manifest["created_by"] = "polarsim study"
            # which mechanism carries each scenario effect
            a = ablate(c.scenarios, **same)
            c.manifest["ablation"] = a.manifest
            # whether each effect survives other values of the assumed parameters
            r = vary(
                c.scenarios,
                **same,
                since=study.phase.baseline_year,  # the year the phase diagram's change is from
            )
            c.manifest["assumptions"] = r.manifest

        def tables(_, f: Path) -> None:
            write_ablation(a, f)
            write_robustness(r, f)

        # force: an incomplete cache folder is replaced if polarsim wrote it (it carries
        # the marker); a folder of the user's is refused, never deleted.
        write_comparison(c, folder, figures=tables, force=True)
        action = "computed"
    log.append(
        {
            "part": folder.name,
            "action": action,
            "wall_time_s": round(time.perf_counter() - start, 2),
        }
    )
    states = pd.read_parquet(folder / "states.parquet")
    return folder, states, names


def compute_study(
    study_path: str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    quick: bool = False,
    progress: bool = True,
    force: bool = False,
) -> tuple[StudyResults, Path]:
    """Run (or reuse) every experiment of a study; returns the results and the output
    folder. Everything is checked before anything runs or is written: the study file,
    the names, years, metric and designs it refers to (check_references), the output
    folder (new, empty or polarsim's own) and every file name a build writes there."""
    from polarsim.study.check import check_references

    if workers is not None and (isinstance(workers, bool) or workers < 1):
        # 0 would fall back to the study's workers unsaid (`workers or study.workers`)
        raise PolarsimInputError(f"expected a number >= 1, found {workers!r}", field="workers")
    study_path = Path(study_path)
    study = load_study(study_path)
    here = study_path.parent
    out = Path(out) if out is not None else study_out(study, study_path, quick)
    scenarios = check_references(study, study_path)
    owned = OwnedFolder(out, kind="study", force=force)
    owned.check(output_names())  # a figure or report.md of the user's stops it here
    cache = out / CACHE  # created by the first part that writes into it
    workers = workers or study.workers
    fp = code_fingerprint()
    log: list[dict] = []

    scen_dir, states, names = _ensure_scenarios(study, quick, scenarios, cache, fp, log)

    ph = study.phase
    changes: dict = {}
    if quick:
        changes = {"design.levels": study.quick.levels, "replicates": study.quick.phase_replicates}
    keep = sorted({*ph.years, *([ph.baseline_year] if ph.baseline_year else [])})
    changes["outcomes.years"] = keep
    exp, key = _derived_experiment(here / ph.experiment, changes, owned, fp)
    phase_dir = _ensure_sweep(exp, cache / f"phase-{key}", workers, progress, log)

    se = study.sensitivity
    samples = study.quick.samples if quick else se.samples
    # a Morris design's size is its trajectories (it has no samples to override)
    size = "design.trajectories" if se.method == "morris" else "design.samples"
    changes = {size: samples} if samples else {}
    exp, key = _derived_experiment(here / se.experiment, changes, owned, fp)
    sens_dir = _ensure_sweep(exp, cache / f"sensitivity-{key}", workers, progress, log)

    res = StudyResults(
        study, study_path, quick, scen_dir, states, names, phase_dir, sens_dir, log, owned
    )
    return res, out


def run_study(
    study_path: str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    quick: bool = False,
    progress: bool = True,
    force: bool = False,
) -> Path:
    """compute_study, then figures, tables and report.md into the output folder;
    returns it. A rebuild replaces the files the previous build wrote and no others
    (`force` lets it replace other files of the same names).

    >>> run_study("experiments/paper/study.yaml")            # doctest: +SKIP
    PosixPath('runs/paper')
    """
    from polarsim.study.report import write_outputs

    start = time.perf_counter()
    res, out = compute_study(study_path, out, workers, quick, progress, force)
    write_outputs(res, out, started=start)
    return out
