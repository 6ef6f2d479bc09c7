"""The sweep folder and its inputs: what it keeps, and how a shard or a resume joins it.

A sweep runs from copies kept in its folder, never from the user's files: the
experiment as run (``experiment.yaml``, with its design size and replicates as given on
the command line), the base scenario (``base/NAME.yaml``) with a copy of every file it
`extends` (``base/extends/N-NAME.yaml``, nearest first, each `extends:` pointing at the
next copy) and a design table if the design reads one. The chain is kept file by file,
not merged into one: the scenario loader dates each event by the end year of the file
that wrote it (`scenario.dating`), so a base that shortens a longer parent keeps the
parent's later events as loading the original files does. The manifest records
the SHA-256 of each original file; a shard or a resume joining the folder refuses if any
of them changed, naming the file, so one folder never mixes results of two inputs.
Every file goes through polarsim.outputs (whole or not at all)."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.experiment.spec import Experiment, base_path, file_sha256
from polarsim.outputs import MARKER, marker_text, publish_once, read_marker

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
EXPERIMENT_COPY = "experiment.yaml"
BASE_DIR = "base"
EXTENDS_DIR = "extends"  # under base/: the copies of the files the base extends
TABLE_COPY = "design-table.csv"

#: what a sweep folder holds; a shard may join a folder holding only these (another
#: shard may be writing them at this moment)
FOLDER_ENTRIES = (
    DESIGN,
    MANIFEST,
    EXPERIMENT_COPY,
    BASE_DIR,
    TABLE_COPY,
    "results",
    "failures",
    "sessions",
)

_ROLE_EXPERIMENT = "the experiment file"
_ROLE_BASE = "the base scenario"
_ROLE_EXTENDED = "a file the base scenario extends"
_ROLE_TABLE = "the design table"


@dataclass
class Plan:
    """A sweep before its folder exists: the experiment as it will run, and its inputs."""

    exp_path: Path
    exp: Experiment  # as run: with --samples / --replicates applied
    as_run: dict  # the mapping written to experiment.yaml
    base: Path
    base_files: dict[str, str]  # path under base/ -> text (the base, then its parents)
    inputs: list[dict] = field(default_factory=list)
    flags: dict = field(default_factory=dict)


def extends_chain(base: Path) -> list[Path]:
    """The files `base` extends, nearest first, followed as the scenario loader follows
    them (a path relative to the folder of the file naming it). Stops at a parent that
    is missing, unreadable or already in the chain: loading the scenario reports those."""
    chain: list[Path] = []
    seen = {base.resolve()}
    path = base
    while True:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return chain
        parent = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(parent, str) or not parent.strip():
            return chain
        nxt = Path(os.path.normpath(path.parent / parent))
        if not nxt.is_file() or nxt.resolve() in seen:
            return chain
        chain.append(nxt)
        seen.add(nxt.resolve())
        path = nxt


def input_files(exp_path: Path, exp: Experiment) -> list[dict]:
    """Role, path and SHA-256 of every file a sweep of `exp_path` reads."""
    base = base_path(exp_path, exp)
    files = [(_ROLE_EXPERIMENT, exp_path), (_ROLE_BASE, base)]
    files += [(_ROLE_EXTENDED, p) for p in extends_chain(base)]
    if exp.design.file is not None:
        files.append((_ROLE_TABLE, Path(exp.design.file)))
    out = []
    for role, path in files:
        try:
            digest = file_sha256(path)
        except OSError as exc:
            raise PolarsimInputError(f"cannot read ({exc.strerror})", file=str(path)) from None
        out.append({"role": role, "path": str(path), "sha256": digest})
    return out


def _scaled(exp: Experiment, raw: dict, samples: int | None, replicates: int | None):
    """`exp` and its mapping with the design size and replicates of the command line."""
    design = exp.design
    if samples is not None:
        if samples < 1:
            raise PolarsimInputError(f"must be at least 1, found {samples}", field="--samples")
        key = {"morris": "trajectories", "grid": None, "table": None}.get(design.type, "samples")
        if key is None:
            raise PolarsimInputError(
                f"a {design.type} design has no sample size to set", field="--samples"
            )
        raw["design"] = {**design.model_dump(exclude_defaults=True), key: samples}
        design = design.model_copy(update={key: samples})
    if replicates is not None:
        if replicates < 1:
            raise PolarsimInputError(
                f"must be at least 1, found {replicates}", field="--replicates"
            )
        raw["replicates"] = replicates
    update = {"design": design, "replicates": replicates or exp.replicates}
    return exp.model_copy(update=update), raw


def _base_copies(base: Path, inputs: list[dict]) -> dict[str, str]:
    """The copies of the base scenario and of every file it extends, by their path under
    base/: the base keeps its file's name (its name when it sets none), each parent
    goes to extends/N-NAME.yaml (N: 1 for the nearest) with its own `extends:`
    pointing at the next copy. Each holds the mapping the loader reads from the original
    file, so loading the copy gives what loading the original gives, event dating
    included."""
    from polarsim.inputs.reader import read_yaml  # the loader's own reader

    chain = extends_chain(base)
    names = [base.name, *(f"{EXTENDS_DIR}/{n}-{p.name}" for n, p in enumerate(chain, 1))]
    digests = {i["path"]: i["sha256"] for i in inputs}
    out = {}
    for n, path in enumerate([base, *chain]):
        data = read_yaml(path, "scenario file").data
        if n + 1 < len(names):  # relative to the copy naming it, as the loader reads it
            parent = names[n + 1] if n == 0 else Path(names[n + 1]).name
            data = {k: (parent if k == "extends" else v) for k, v in data.items()}
        head = (
            f"# A copy of {path}\n# (sha256 {digests.get(str(path), '?')}), kept by the "
            "sweep, which runs from it;\n# its `extends` names the copy of its parent.\n"
        )
        out[names[n]] = head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return out


def make_plan(exp_path: Path, exp: Experiment, samples: int | None, replicates: int | None) -> Plan:
    """Everything a sweep will write about its inputs, computed before it writes."""
    raw = yaml.safe_load(exp_path.read_text(encoding="utf-8"))
    exp_run, raw = _scaled(exp, raw, samples, replicates)
    base = base_path(exp_path, exp)
    raw["base"] = f"{BASE_DIR}/{base.name}"
    if exp.design.file is not None:
        raw["design"] = {**raw["design"], "file": TABLE_COPY}
    inputs = input_files(exp_path, exp)
    return Plan(
        exp_path=exp_path,
        exp=exp_run,
        as_run=raw,
        base=base,
        base_files=_base_copies(base, inputs),
        inputs=inputs,
        flags={"samples": samples, "replicates": replicates},
    )


def _as_run_text(plan: Plan) -> str:
    given = " ".join(f"--{k} {v}" for k, v in plan.flags.items() if v is not None)
    return (
        f"# {plan.exp_path} as run by polarsim sweep{' ' + given if given else ''};\n"
        "# `base` is the copy of the base scenario kept in this folder (base/extends/:\n"
        "# the files it extends)\n"
        + yaml.safe_dump(plan.as_run, sort_keys=False, allow_unicode=True)
    )


#: the command that writes a folder of each kind (the marker's `kind`)
_WRITERS = {
    "run": "run",
    "compare": "compare",
    "hindcast": "hindcast",
    "skill": "skill",
    "forecast": "forecast",
    "calibration": "calibrate",
    "study": "study",
    "sweep": "sweep",
}


def _marker_kind(out: Path) -> str | None:
    """The kind the marker of `out` names, if polarsim wrote the folder."""
    kind = (read_marker(out) or {}).get("kind")
    return kind if isinstance(kind, str) else None


def folder_kind(out: Path, man: object = None) -> str | None:
    """What kind of polarsim folder `out` is (run, compare, hindcast, skill, forecast,
    calibration, study, sweep), from its marker and its manifest `man`; None if neither
    says. Older polarsim marked comparison and hindcast folders "run" too: their
    manifests tell them apart."""
    kind = _marker_kind(out)
    man_kind = man.get("kind") if isinstance(man, dict) else None
    if kind in (None, "run") and isinstance(man_kind, str):
        return man_kind
    if kind in (None, "run") and isinstance(man, dict):
        if "hindcast" in man:
            return "hindcast"
        if "scenarios" in man:
            return "compare"
        if "scenario" in man:
            return "run"
    return kind


def _not_a_sweep(out: Path, man: object, why: str) -> PolarsimInputError:
    kind = folder_kind(out, man)
    if kind is None or kind == "sweep":
        what = f"not a sweep folder ({why})"
    elif kind in _WRITERS:
        what = f"not a sweep folder: it holds the output of `polarsim {_WRITERS[kind]}`"
    else:
        what = f"not a sweep folder: it holds a polarsim {kind} output"
    return PolarsimInputError(
        f"{what}; give the folder written by `polarsim sweep`", field=str(out)
    )


def read_manifest(out: Path) -> dict:
    """The manifest of sweep folder `out`, or a PolarsimInputError saying what `out` is."""
    path = out / MANIFEST
    try:
        man = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _not_a_sweep(out, None, "no manifest.json") from None
    except (OSError, ValueError) as exc:
        raise PolarsimInputError(
            f"cannot read the sweep's manifest.json ({exc}); the folder is damaged",
            field=str(out),
        ) from None
    kind = man.get("kind") if isinstance(man, dict) else None
    if kind != "sweep" or not isinstance(man.get("experiment"), dict):
        raise _not_a_sweep(out, man, "its manifest.json describes no sweep")
    return man


def check_inputs(out: Path, man: dict, current: list[dict]) -> None:
    """Refuse to add to `out` if any input differs from the ones it was started with."""
    recorded = man.get("inputs")
    if not isinstance(recorded, list):
        raise PolarsimInputError(
            "was started by an older polarsim that did not record its inputs; a resume "
            "cannot check them: start a new --out",
            field=str(out),
        )
    for old, new in itertools.zip_longest(recorded, current):
        if old and new and (old["role"], old["sha256"]) == (new["role"], new["sha256"]):
            continue
        if old is None:
            which, what = new, "was added to the inputs"
        elif new is None or new["role"] != old["role"]:
            which, what = old, "is no longer among the inputs"
        elif new["path"] != old["path"]:  # another file, not this one edited
            raise PolarsimInputError(
                f"is not {old['role']} the sweep in {out} was started with "
                f"({old['path']}, which it differs from); a resume or a shard must use the "
                "same inputs: give that file or start a new --out",
                file=new["path"],
            )
        else:
            which, what = new, "has changed"
        raise PolarsimInputError(
            f"{what} since the sweep in {out} started ({which['role']}); a resume or a "
            "shard must use the same inputs: restore the file or start a new --out",
            file=which["path"],
        )


def _check_as_run(out: Path, plan: Plan) -> None:
    path = out / EXPERIMENT_COPY
    try:
        kept = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        kept = None
    if kept != plan.as_run:
        raise PolarsimInputError(
            "this folder was started with other --samples/--replicates (see its "
            f"{EXPERIMENT_COPY}); give the same values or use a new --out",
            field=str(out),
        )


def _check_new_or_joinable(out: Path, join: bool, resume: bool = False) -> None:
    if out.exists() and not out.is_dir():
        raise PolarsimInputError("exists and is not a folder; choose a new --out", field=str(out))
    if out.is_dir():
        present = [p.name for p in out.iterdir() if not p.name.startswith(".")]
        foreign = [n for n in present if n not in FOLDER_ENTRIES]
        if resume and (foreign or _holds_other_manifest(out)):
            _refuse_resume(out, foreign)
        if foreign:  # not a sweep's folder: --resume would not help either
            raise PolarsimInputError(
                "exists and is not empty (it holds files no sweep wrote); choose a new "
                "--out folder",
                field=str(out),
            )
        if present and not join:
            raise PolarsimInputError(
                "exists and is not empty; choose a new --out folder or --resume", field=str(out)
            )


def _manifest_or_none(out: Path) -> object:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _holds_other_manifest(out: Path) -> bool:
    """True if `out` has a manifest.json that is not a sweep's (a damaged one is left to
    read_manifest to report)."""
    man = _manifest_or_none(out)
    return isinstance(man, dict) and man.get("kind") != "sweep"


def _refuse_resume(out: Path, foreign: list[str]) -> None:
    """--resume of a folder holding no sweep: say what it holds."""
    kind = folder_kind(out, _manifest_or_none(out))
    if kind in _WRITERS and kind != "sweep":
        held = f"it holds the output of `polarsim {_WRITERS[kind]}`"
    elif kind not in (None, "sweep"):
        held = f"it holds a polarsim {kind} output"
    else:
        names = sorted(foreign)
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        held = f"it holds files no sweep wrote ({shown})"
    raise PolarsimInputError(
        f"not a sweep folder this experiment can resume: {held}; give the folder of the "
        "sweep to resume, or a new --out without --resume",
        field=str(out),
    )


def open_folder(
    out: Path,
    plan: Plan,
    join: bool,
    *,
    design: Callable[[], pd.DataFrame],
    manifest: Callable[[int], dict],
    resume: bool = False,
) -> pd.DataFrame:
    """Create the sweep folder or join it (`join`: a resume or a shard); returns the
    design. Safe when several shards start at once: each writes the same files, the
    first to finish publishes each one, and all check what was published. With
    `resume`, a folder that holds no sweep is refused as one there is nothing to resume
    in."""
    if (out / DESIGN).is_file() and join:
        check_inputs(out, read_manifest(out), plan.inputs)
        _check_as_run(out, plan)
        return pd.read_parquet(out / DESIGN)
    _check_new_or_joinable(out, join, resume)
    table = design()  # refusals of the design come before anything is written
    if not publish_once(out / MARKER, marker_text("sweep")) and not join:
        # the marker is the folder's claim: two fresh sweeps started at once into one
        # folder would both run every task
        raise PolarsimInputError(
            "another sweep has started in this folder; continue it with --resume or "
            "choose a new --out",
            field=str(out),
        )
    for name, text in plan.base_files.items():
        publish_once(out / BASE_DIR / name, text)
    if plan.exp.design.file is not None:
        publish_once(out / TABLE_COPY, Path(plan.exp.design.file).read_bytes())
    publish_once(out / EXPERIMENT_COPY, _as_run_text(plan))
    record = {**manifest(len(table)), "inputs": plan.inputs}
    publish_once(out / MANIFEST, json.dumps(record, indent=2) + "\n")
    (out / "results").mkdir(exist_ok=True)
    # design.parquet last: a shard that finds it may rely on the others being there
    publish_once(out / DESIGN, lambda tmp: table.to_parquet(tmp, index=False))
    check_inputs(out, read_manifest(out), plan.inputs)
    _check_as_run(out, plan)
    return pd.read_parquet(out / DESIGN)
