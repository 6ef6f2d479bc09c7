"""Parameter sweeps: the Python API behind `polarsim sweep` and `polarsim status`.

Every task is one (design point `run_id`, `replicate`); its generator is
``default_rng(SeedSequence(root_seed, spawn_key=(run_id, replicate)))`` so results do
not depend on worker count, order of completion, shards or resumes. Results stream to
Parquet shards under ``DIR/results/`` (written under a hidden name, then renamed).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
import traceback
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.experiment.design import make_design
from polarsim.experiment.spec import (
    Experiment,
    base_path,
    file_sha256,
    load_experiment,
    param_paths,
)
from polarsim.provenance import git_commit, versions

KEYS = ["run_id", "replicate"]


def task_rng(root_seed: int, run_id: int, replicate: int) -> np.random.Generator:
    return np.random.default_rng(
        np.random.SeedSequence(root_seed, spawn_key=(int(run_id), int(replicate)))
    )


def parse_shard(shard: str | None) -> tuple[int, int] | None:
    if shard is None:
        return None
    try:
        i, n = (int(x) for x in str(shard).split("/"))
    except ValueError:
        raise PolarsimInputError(f"expected I/N, found {shard!r}", field="--shard") from None
    if n < 1 or not 0 <= i < n:
        raise PolarsimInputError(f"expected 0 <= I < N, found {shard!r}", field="--shard")
    return i, n


def _as_yaml_scalar(v) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    return json.dumps(v)


class _Runner:
    """Holds the experiment and design in a process; builds each scenario once per
    design point (consecutive tasks share it)."""

    def __init__(self, exp_path: str, design: pd.DataFrame):
        self.exp_path = exp_path
        self.exp = load_experiment(exp_path)
        self.base = base_path(exp_path, self.exp)
        self.params = {r["run_id"]: r for r in design.to_dict("records")}
        self._cached: tuple[int, object] | None = None

    def overrides(self, run_id: int) -> list[str]:
        row = self.params[run_id]
        out = list(self.exp.overrides)
        for name, p in self.exp.parameters.items():
            out += [f"{path}={_as_yaml_scalar(row[name])}" for path in param_paths(name, p)]
        return out

    def setup(self, run_id: int):
        """The design point's prepared scenario, built once for its consecutive tasks
        (a Setup skips the model's cache lookup, which hashes the whole scenario)."""
        if self._cached is None or self._cached[0] != run_id:
            from polarsim.model.setup import prepare
            from polarsim.scenario import load_scenario

            self._cached = None
            self._cached = (run_id, prepare(load_scenario(self.base, self.overrides(run_id))))
        return self._cached[1]

    def run_task(self, run_id: int, replicate: int) -> pd.DataFrame:
        from polarsim.model.model import CompetitionModel

        model = CompetitionModel(
            self.setup(run_id), rng=task_rng(self.exp.seed, run_id, replicate), replicate=replicate
        )
        while model.running:
            model.step()
        states = self._kept_years(model)
        return self.reduce(states, run_id, replicate)

    def _kept_years(self, model) -> dict[str, np.ndarray]:
        """Only the years the outcomes keep, as columns: a sweep of 10,000 runs should
        not build whole-run tables to throw most of them away."""
        years = list(model.setup.years)
        kept = self.exp.outcomes.years
        rec = model.recorder
        if not kept or any(y not in years for y in kept):
            return rec.states_columns()
        idx = sorted(years.index(y) for y in kept)
        if idx == list(range(idx[0], idx[-1] + 1)):
            return rec.states_columns(first=idx[0], upto=idx[-1])
        parts = [rec.states_columns(first=i, upto=i) for i in idx]
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    def reduce(self, states: dict[str, np.ndarray], run_id: int, replicate: int) -> pd.DataFrame:
        """The kept outcomes of one task as rows: run_id, replicate, the design point's
        parameters, year, state (or "mean"), one column per metric. Built from numpy
        arrays in one go: this runs once per task."""
        oc = self.exp.outcomes
        missing = [m for m in oc.metrics if m not in states]
        if missing:
            raise PolarsimInputError(f"unknown states columns {missing}", field="outcomes.metrics")
        year = np.asarray(states["year"], dtype=np.int64)
        keep = np.isin(year, oc.years) if oc.years is not None else np.ones(len(year), bool)
        if not keep.any():
            raise PolarsimInputError(
                f"none of the years {oc.years} is simulated", field="outcomes.years"
            )
        year = year[keep]
        values = {m: np.asarray(states[m])[keep] for m in oc.metrics}
        if oc.aggregate == "mean":
            years, inverse = np.unique(year, return_inverse=True)
            counts = np.bincount(inverse)
            values = {m: np.bincount(inverse, weights=v) / counts for m, v in values.items()}
            year, state = years, np.full(len(years), "mean", dtype=object)
        else:
            state = np.asarray(states["state"], dtype=object)[keep]
        n = len(year)
        row = self.params[run_id]
        cols: dict[str, object] = {
            "run_id": np.full(n, run_id, dtype=np.int64),
            "replicate": np.full(n, replicate, dtype=np.int64),
        }
        for name in self.exp.parameters:
            cols[name] = np.repeat(np.asarray([row[name]]), n)
        cols["year"] = year
        cols["state"] = state
        cols.update(values)
        return pd.DataFrame(cols)

    def run_chunk(self, chunk: list[tuple[int, int]]) -> tuple[pd.DataFrame | None, list[dict]]:
        parts, failures = [], []
        for run_id, rep in chunk:
            try:
                parts.append(self.run_task(run_id, rep))
            except Exception as exc:  # recorded, the sweep goes on
                row = {k: _plain(v) for k, v in self.params[run_id].items()}
                failures.append(
                    {
                        "run_id": int(run_id),
                        "replicate": int(rep),
                        "parameters": {k: v for k, v in row.items() if k != "run_id"},
                        "error": f"{type(exc).__name__}: {exc}",
                        "traceback": traceback.format_exc(),
                    }
                )
        return (pd.concat(parts, ignore_index=True) if parts else None), failures


def _context():
    """fork where the platform has it (Python's default on Linux before 3.14; asked for
    explicitly because mesa.batch_run switches the global default to spawn): workers
    start at once with polarsim imported, which matters for short sweeps. Workers only
    compute with numpy and pandas (the parent writes every file), so the parent's I/O
    threads are not used in a child. Elsewhere the platform default."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


_WORKER: _Runner | None = None


def _init_worker(exp_path: str, design: pd.DataFrame) -> None:
    global _WORKER
    import polarsim.model.model  # noqa: F401  (import once per worker)

    _WORKER = _Runner(exp_path, design)


def _worker_chunk(chunk):
    return _WORKER.run_chunk(chunk)


# ---------------------------------------------------------------- output folder


def _write_parquet_atomic(df: pd.DataFrame, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"part-{int(df['run_id'].iloc[0]):07d}-{uuid.uuid4().hex[:12]}.parquet"
    tmp = folder / f".{name}.tmp"
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, folder / name)
    except BaseException:  # Ctrl-C mid-write: leave no partial file behind
        tmp.unlink(missing_ok=True)
        raise
    return folder / name


def _write_json_atomic(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


def _failure_path(out: Path, run_id: int, rep: int) -> Path:
    return out / "failures" / f"run{run_id:07d}-rep{rep:04d}.json"


def completed_tasks(out: str | Path) -> set[tuple[int, int]]:
    res = Path(out) / "results"
    if not res.is_dir() or not any(res.glob("part-*.parquet")):
        return set()
    keys = pd.read_parquet(res, columns=KEYS).drop_duplicates()
    return set(zip(keys["run_id"].astype(int), keys["replicate"].astype(int), strict=True))


def failed_tasks(out: str | Path) -> set[tuple[int, int]]:
    out = Path(out)
    found = set()
    for f in (out / "failures").glob("run*.json"):
        d = json.loads(f.read_text())
        found.add((int(d["run_id"]), int(d["replicate"])))
    return found


def all_tasks(n_points: int, replicates: int) -> list[tuple[int, int]]:
    """Task index = run_id * replicates + replicate (the order used by --shard)."""
    return [(r, k) for r in range(n_points) for k in range(replicates)]


def status(out: str | Path) -> dict:
    """Counts of a sweep folder: total, done, failed, remaining (failed tasks count as
    remaining: --resume retries them)."""
    out = Path(out)
    if not (out / "design.parquet").is_file() or not (out / "manifest.json").is_file():
        raise PolarsimInputError(
            "not a sweep folder (no design.parquet/manifest.json)", field=str(out)
        )
    man = json.loads((out / "manifest.json").read_text())
    n_points = len(pd.read_parquet(out / "design.parquet", columns=["run_id"]))
    total = n_points * int(man["replicates"])
    done = completed_tasks(out)
    failed = failed_tasks(out) - done
    return {
        "folder": str(out),
        "total": total,
        "done": len(done),
        "failed": len(failed),
        "remaining": total - len(done),
        "complete": len(done) == total,
    }


def _manifest(exp_path: Path, exp: Experiment, n_points: int, command, shard) -> dict:
    return {
        "kind": "sweep",
        "created_utc": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "versions": versions(),
        "git_commit": git_commit(),
        "experiment": {"path": str(exp_path), "sha256": file_sha256(exp_path)},
        "base_scenario": {
            "path": str(base_path(exp_path, exp)),
            "sha256": file_sha256(base_path(exp_path, exp)),
        },
        "design": exp.design.model_dump(),
        "design_points": n_points,
        "replicates": exp.replicates,
        "seeds": {
            "root_seed": exp.seed,
            "derivation": "numpy.random.default_rng(numpy.random.SeedSequence(root_seed, "
            "spawn_key=(run_id, replicate)))",
        },
        "command": command if command is not None else sys.argv,
        "shard": shard,
        "outcomes": exp.outcomes.model_dump(),
        "how_to_load": "pandas.read_parquet(folder / 'results')",
    }


#: what a sweep folder holds; a shard may join a folder holding only these (another
#: shard may be writing them at this moment)
_FOLDER_ENTRIES = (
    "design.parquet",
    "manifest.json",
    "experiment.yaml",
    "results",
    "failures",
    "sessions",
)


def _publish_once(write, path: Path) -> None:
    """Create `path` unless it exists, atomically, with `write(tmp)`: the first of several
    processes starting together wins (a hard link fails if the name exists, also on
    NFS) and the others keep what it wrote."""
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    write(tmp)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def _open_folder(out: Path, exp_path: Path, exp, command, shard, join: bool) -> pd.DataFrame:
    """Create the sweep folder or join it; returns the design. Safe when several shards
    start at once: each writes the same design, the first to finish publishes it, and
    all go on with the published files."""
    sha = file_sha256(exp_path)
    if (out / "design.parquet").is_file() and join:
        man = json.loads((out / "manifest.json").read_text())
        if man["experiment"]["sha256"] != sha:
            raise PolarsimInputError(
                "the experiment file changed since this sweep started; use a new --out",
                field=str(out),
            )
        return pd.read_parquet(out / "design.parquet")
    if out.exists() and not out.is_dir():
        raise PolarsimInputError("exists and is not a folder; choose a new --out", field=str(out))
    if out.is_dir():
        present = [p.name for p in out.iterdir() if not p.name.startswith(".")]
        foreign = [n for n in present if n not in _FOLDER_ENTRIES]
        if (present and not join) or foreign:
            raise PolarsimInputError(
                "exists and is not empty; choose a new --out folder or --resume", field=str(out)
            )
    design = make_design(exp)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results").mkdir(exist_ok=True)
    # design.parquet last: a shard that finds it may rely on the other two being there
    manifest = _manifest(exp_path, exp, len(design), command, shard)
    _publish_once(
        lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n"), out / "manifest.json"
    )
    _publish_once(lambda tmp: tmp.write_text(exp_path.read_text()), out / "experiment.yaml")
    _publish_once(lambda tmp: design.to_parquet(tmp, index=False), out / "design.parquet")
    if json.loads((out / "manifest.json").read_text())["experiment"]["sha256"] != sha:
        raise PolarsimInputError(
            "another sweep with a different experiment file started in this folder",
            field=str(out),
        )
    return pd.read_parquet(out / "design.parquet")


SCALED = ".experiment-as-run.yaml"


def _scaled_experiment(
    exp_path: Path, exp: Experiment, samples: int | None, replicates: int | None, out: Path, join
) -> Path:
    """The experiment file with its design size and replicates replaced, written into the
    output folder (hidden; its copy `experiment.yaml` is what the folder shows) with the
    base scenario as an absolute path. Run from it, a resume with other values finds a
    different file and stops."""
    raw = yaml.safe_load(exp_path.read_text())
    raw["base"] = str(base_path(exp_path, exp))
    if samples is not None:
        if samples < 1:
            raise PolarsimInputError(f"must be at least 1, found {samples}", field="--samples")
        key = {"morris": "trajectories", "grid": None, "table": None}.get(
            exp.design.type, "samples"
        )
        if key is None:
            raise PolarsimInputError(
                f"a {exp.design.type} design has no sample size to set", field="--samples"
            )
        raw["design"] = {**exp.design.model_dump(exclude_defaults=True), key: samples}
    if replicates is not None:
        if replicates < 1:
            raise PolarsimInputError(
                f"must be at least 1, found {replicates}", field="--replicates"
            )
        raw["replicates"] = replicates
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not join)):
        raise PolarsimInputError(
            "exists and is not empty; choose a new --out folder or --resume", field=str(out)
        )
    out.mkdir(parents=True, exist_ok=True)
    path = out / SCALED
    text = (
        f"# {exp_path} as run by polarsim sweep (samples={samples}, replicates={replicates})\n"
        + yaml.safe_dump(raw, sort_keys=False)
    )
    if not path.is_file():
        _publish_once(lambda tmp: tmp.write_text(text), path)
    elif path.read_text() != text:
        raise PolarsimInputError(
            "this folder was started with other --samples/--replicates or another experiment "
            "file; use a new --out",
            field=str(out),
        )
    return path


def sweep(
    experiment_path: str | Path,
    workers: int = 1,
    out: str | Path | None = None,
    resume: bool = False,
    shard: str | None = None,
    progress: bool = True,
    command: list[str] | None = None,
    backend: str = "local",
    scheduler: str | None = None,
    samples: int | None = None,
    replicates: int | None = None,
) -> Path:
    """Run an experiment file's design x replicates; returns the output folder.

    >>> from polarsim.experiment import sweep, status
    >>> folder = sweep("experiments/replicates_baseline.yaml", workers=2,
    ...                out="runs/rep")                                  # doctest: +SKIP
    >>> import pandas as pd
    >>> results = pd.read_parquet(folder / "results")                  # doctest: +SKIP
    >>> status(folder)["remaining"]                                     # doctest: +SKIP
    0

    `resume=True` continues an existing folder (completed tasks are skipped, failed ones
    retried); `shard="I/N"` runs only the tasks whose index % N == I. `backend="dask"`
    runs the chunks on Dask distributed: a LocalCluster of `workers` processes, or the
    cluster at `scheduler` ("tcp://host:port"). `samples` and `replicates` scale the
    file's design down or up (`design.samples`, or `design.trajectories` for Morris, and
    `replicates`) without editing it: the folder keeps the experiment as run.
    """
    exp_path = Path(experiment_path).resolve()
    exp = load_experiment(experiment_path)
    if workers < 1:
        raise PolarsimInputError(f"must be at least 1, found {workers}", field="--workers")
    sh = parse_shard(shard)
    if out is None:
        from polarsim.outputs import timestamped

        out = timestamped(Path(experiment_path).stem, Path("runs"))
    out = Path(out)
    if samples is not None or replicates is not None:
        exp_path = _scaled_experiment(exp_path, exp, samples, replicates, out, resume or sh)
        exp = load_experiment(exp_path)
    design = _open_folder(out, exp_path, exp, command, shard, join=resume or sh is not None)

    tasks = all_tasks(len(design), exp.replicates)
    if sh is not None:
        tasks = [t for i, t in enumerate(tasks) if i % sh[1] == sh[0]]
    done = completed_tasks(out)
    todo = [t for t in tasks if t not in done]
    chunks = [todo[i : i + exp.chunk_size] for i in range(0, len(todo), exp.chunk_size)]

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="run", desc="sweep", smoothing=0.1)
    start = time.perf_counter()

    def handle(frame: pd.DataFrame | None, failures: list[dict], n: int) -> None:
        if frame is not None:
            _write_parquet_atomic(frame, out / "results")
            for run_id, rep in frame[KEYS].drop_duplicates().itertuples(index=False):
                _failure_path(out, run_id, rep).unlink(missing_ok=True)
        for f in failures:
            _write_json_atomic(f, _failure_path(out, f["run_id"], f["replicate"]))
        if bar is not None:
            bar.update(n)
            if failures:
                bar.set_postfix(failed=len(failures))

    if backend not in ("local", "dask"):
        raise PolarsimInputError(f"expected local or dask, found {backend!r}", field="--backend")
    try:
        if backend == "dask":
            from polarsim.experiment.dask_backend import dask_chunks

            for frame, failures, n in dask_chunks(
                str(exp_path), design, chunks, workers, scheduler
            ):
                handle(frame, failures, n)
        elif workers == 1 or len(chunks) <= 1:
            runner = _Runner(str(exp_path), design)
            for chunk in chunks:
                handle(*runner.run_chunk(chunk), len(chunk))
        else:
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(str(exp_path), design),
            )
            try:
                futs = {pool.submit(_worker_chunk, c): len(c) for c in chunks}
                for fut in as_completed(futs):
                    handle(*fut.result(), futs.pop(fut))
            except BaseException:
                # Ctrl-C or an error: stop the workers rather than let them run the queued
                # chunks for nothing (their results would not be written). A worker
                # survives its own SIGINT (the pool returns it as a result), so it is
                # terminated; `_processes` is the executor's table of its workers.
                for proc in list((pool._processes or {}).values()):
                    proc.terminate()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown()
    finally:
        if bar is not None:
            bar.close()
    wall = time.perf_counter() - start
    session = {
        "finished_utc": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "tasks_run": len(todo),
        "workers": workers,
        "backend": backend,
        "scheduler": scheduler,
        "shard": shard,
        "resume": resume,
        "command": command if command is not None else sys.argv,
        "wall_time_s": round(wall, 3),
    }
    # One file per session, not an edit of the manifest: shards finishing at the same
    # moment would otherwise overwrite each other's record.
    stamp = session["finished_utc"].replace(":", "").replace("+0000", "Z")
    _write_json_atomic(session, out / "sessions" / f"{stamp}-{uuid.uuid4().hex[:8]}.json")
    return out
