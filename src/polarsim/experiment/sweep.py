"""Parameter sweeps: the Python API behind `polarsim sweep` and `polarsim status`.

Every task is one (design point `run_id`, `replicate`); its generator is
``default_rng(SeedSequence(root_seed, spawn_key=(run_id, replicate)))`` so results do
not depend on worker count, order of completion, shards or resumes. Results stream to
Parquet shards under ``DIR/results/``, each written whole (polarsim.outputs). The folder
and the inputs it keeps are in experiment.folder, reading it back in experiment.shards,
how many workers and their lifetime in experiment.workers.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.experiment import shards
from polarsim.experiment.chunks import plan_chunks
from polarsim.experiment.design import check_size, design_points, make_design
from polarsim.experiment.folder import DESIGN, Plan, make_plan, open_folder, read_manifest
from polarsim.experiment.interrupts import InterruptLatch
from polarsim.experiment.shards import KEYS
from polarsim.experiment.spec import Experiment, base_path, load_experiment, param_paths
from polarsim.experiment.workers import (
    busy,
    check_workers,
    guard_orphan,
    interrupt_only_while_busy,
    mp_context,
    worker_count,
)
from polarsim.outputs import replace_file, write_file
from polarsim.provenance import git_commit, versions


class SweepFailedError(PolarsimInputError):
    """Every task a call of `sweep` ran failed and the folder holds no results: most
    often an input no check before the runs could refuse. The folder and its failure
    records are kept: `folder`, `failed` (the count), `first` (the first failure's record:
    run_id, replicate, parameters, error, traceback)."""

    def __init__(self, folder: Path, failed: int, first: dict):
        self.folder, self.failed, self.first = Path(folder), failed, first
        lines = [ln.strip() for ln in str(first.get("error", "")).splitlines() if ln.strip()]
        more = len(lines) - 2
        error = "; ".join(lines[:2]) + (
            f" (and {more} more line{'s' if more > 1 else ''})" if more > 0 else ""
        )
        runs = "the run" if failed == 1 else f"all {failed:,} runs"
        super().__init__(
            f"{runs} of this sweep failed; the first (run_id {first.get('run_id')}, "
            f"replicate {first.get('replicate')}): {error}; every failure is recorded in "
            f"{self.folder / 'failures'}/ (fix the cause, then continue with --resume)",
            field=str(self.folder),
        )


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
    design point (consecutive tasks share it).

    A design point costs little more than a replicate: the base scenario's files are
    read and merged once (`ScenarioSource`), a point's overrides are applied to a copy
    of the merged mapping and validated, and `prepare` reuses every part of the
    preparation the point's values do not change (model.setup). A local pool's workers
    are forked from a runner that has prepared the first point, so they inherit all of
    it; a Dask worker keeps one runner per experiment."""

    def __init__(self, exp_path: str, design: pd.DataFrame):
        exp = load_experiment(exp_path)
        self._start(exp, base_path(exp_path, exp), design)

    @classmethod
    def loaded(cls, exp: Experiment, base: Path, design: pd.DataFrame) -> _Runner:
        """A runner of an experiment already loaded (and perhaps changed, as a study's
        reduced designs are) whose base scenario is `base`: what a dry run times."""
        runner = cls.__new__(cls)
        runner._start(exp, base, design)
        return runner

    def _start(self, exp: Experiment, base: Path, design: pd.DataFrame) -> None:
        from polarsim.scenario.load import ScenarioSource

        self.exp = exp
        self.base = base
        self.source = ScenarioSource(self.base)
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

            self._cached = None
            self._cached = (run_id, prepare(self.source.load(self.overrides(run_id))))
        return self._cached[1]

    def warm(self, run_id: int) -> None:
        """Prepare one design point now (in a pool's parent, so that the forked workers
        inherit the tables, the parsed scenario and the parts of its preparation). A
        point that fails here fails again when its task runs, which records it."""
        import polarsim.model.model  # noqa: F401  (imported once, before the fork)

        try:
            self.setup(run_id)
        except Exception:  # recorded as the task's failure when it runs
            self._cached = None

    def run_task(self, run_id: int, replicate: int) -> pd.DataFrame:
        """The kept outcomes of one task as a table (`reduce`)."""
        return pd.DataFrame(self.task_columns(run_id, replicate))

    def task_columns(self, run_id: int, replicate: int) -> dict[str, np.ndarray]:
        """The kept outcomes of one task as columns (`outcome_columns`)."""
        from polarsim.model.model import CompetitionModel

        setup = self.setup(run_id)
        model = CompetitionModel(
            setup, rng=task_rng(self.exp.seed, run_id, replicate), replicate=replicate
        )
        last = self._last_kept_year(setup.years)
        while model.running and model.year < last:
            model.step()
        return self.outcome_columns(self._kept_years(model), run_id, replicate)

    def _last_kept_year(self, years) -> int:
        """The year after which nothing the outcomes keep is simulated: the last kept
        year, or the run's last year when the outcomes keep every year (or a year the
        run does not simulate, which `outcome_columns` reports). A year's outcomes
        depend only on the years up to it (every random number of a later year is
        drawn later, or drawn at the start whatever the end), so a run of a design
        whose outcomes stop in 2040 need not simulate 2041-2050."""
        kept, years = self.exp.outcomes.years, [int(y) for y in years]
        if not kept or any(int(y) not in years for y in kept):
            return years[-1]
        return max(int(y) for y in kept)

    def _kept_years(self, model) -> dict[str, np.ndarray]:
        """Only the years and the metrics the outcomes keep, as columns: a sweep of
        10,000 runs should not build whole-run tables to throw most of them away."""
        years = list(model.setup.years)
        kept = self.exp.outcomes.years
        rec, names = model.recorder, self.exp.outcomes.metrics
        if not kept or any(y not in years for y in kept):
            return rec.states_columns(names=names)
        idx = sorted(years.index(y) for y in kept)
        if idx == list(range(idx[0], idx[-1] + 1)):
            return rec.states_columns(first=idx[0], upto=idx[-1], names=names)
        parts = [rec.states_columns(first=i, upto=i, names=names) for i in idx]
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    def reduce(self, states: dict[str, np.ndarray], run_id: int, replicate: int) -> pd.DataFrame:
        """The kept outcomes of one task as rows: run_id, replicate, the design point's
        parameters, year, state (or "mean"), one column per metric."""
        return pd.DataFrame(self.outcome_columns(states, run_id, replicate))

    def outcome_columns(
        self, states: dict[str, np.ndarray], run_id: int, replicate: int
    ) -> dict[str, np.ndarray]:
        """`reduce`'s columns, as numpy arrays: a chunk makes one table of its tasks'
        (`chunk_frame`), not one per task."""
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
        return cols

    def run_chunk(self, chunk: list[tuple[int, int]]) -> tuple[pd.DataFrame | None, list[dict]]:
        parts, failures = [], []
        for run_id, rep in chunk:
            try:
                parts.append(self.task_columns(run_id, rep))
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
        return (chunk_frame(parts) if parts else None), failures


def chunk_frame(parts: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """The table of a chunk's tasks: `pd.concat` of each task's table, built as one
    table from the joined columns (a table per task cost a tenth of a run). Where the
    tasks' columns differ in dtype (a design whose values mix types), each task's table
    and pandas' concatenation, whose rules for mixed types are its own."""
    first = parts[0]
    if all(
        list(p) == list(first) and all(p[k].dtype == first[k].dtype for k in first) for p in parts
    ):
        return pd.DataFrame({k: np.concatenate([p[k] for p in parts]) for k in first})
    return pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


_WORKER: _Runner | None = None


def _init_worker(
    exp_path: str, design: pd.DataFrame, parent: int, runner: _Runner | None = None
) -> None:
    """A pool worker's runner: the parent's own when forked (`runner`, inherited with
    everything it prepared, never pickled), else one built here."""
    global _WORKER
    guard_orphan(parent)  # first: a worker must not outlive a killed sweep
    interrupt_only_while_busy()
    import polarsim.model.model  # noqa: F401  (import once per worker)

    _WORKER = runner if runner is not None else _Runner(exp_path, design)


def _worker_chunk(chunk):
    with busy():
        return _WORKER.run_chunk(chunk)


# ---------------------------------------------------------------- output folder


def _write_shard(df: pd.DataFrame, folder: Path) -> Path:
    name = f"part-{int(df['run_id'].iloc[0]):07d}-{uuid.uuid4().hex[:12]}.parquet"
    return write_file(folder / name, lambda tmp: df.to_parquet(tmp, index=False))


def _write_json(data: dict, path: Path) -> None:
    """A record of polarsim's own inside the sweep folder (a failure is rewritten when
    its task fails again)."""
    replace_file(path, json.dumps(data, indent=2) + "\n")


def _failure_path(out: Path, run_id: int, rep: int) -> Path:
    return out / "failures" / f"run{run_id:07d}-rep{rep:04d}.json"


def completed_tasks(out: str | Path) -> set[tuple[int, int]]:
    """Tasks with results in a readable shard."""
    return shards.scan(out).done


def failed_tasks(out: str | Path) -> set[tuple[int, int]]:
    """Tasks with a readable failure record (some may have succeeded since)."""
    return shards.scan(out).failed


def all_tasks(n_points: int, replicates: int) -> list[tuple[int, int]]:
    """Task index = run_id * replicates + replicate (the order used by --shard)."""
    return [(r, k) for r in range(n_points) for k in range(replicates)]


def status(out: str | Path) -> dict:
    """Counts of a sweep folder's tasks: `total`; `done` (results kept); `failed` (a
    failure recorded and no results: --resume retries them); `not_run` (neither:
    never run, or their shard unreadable); `remaining` = total - done = failed +
    not_run, what --resume would run. Also `complete`, and the files that cannot be read
    (`corrupt`, set aside and rerun by --resume; `set_aside`, moved by an earlier
    resume). Reads only; changes nothing."""
    out = Path(out)
    if not out.is_dir():
        what = "is a file, not a sweep folder" if out.exists() else "no such folder"
        raise PolarsimInputError(what, field=str(out))
    man = read_manifest(out)
    if not (out / DESIGN).is_file():
        raise PolarsimInputError(
            "a sweep stopped before it wrote its design; run the same `polarsim sweep` "
            "with --resume to start it",
            field=str(out),
        )
    try:
        n_points = len(pd.read_parquet(out / DESIGN, columns=["run_id"]))
        replicates = int(man["replicates"])
    except Exception as exc:  # a damaged design or manifest: say so, no traceback
        raise PolarsimInputError(
            f"cannot read the sweep's design or replicates ({type(exc).__name__}); the "
            "folder is damaged",
            field=str(out),
        ) from None
    total = n_points * replicates
    found = shards.scan(out)
    failed = found.failed - found.done
    return {
        "folder": str(out),
        "total": total,
        "done": len(found.done),
        "failed": len(failed),
        "not_run": total - len(found.done) - len(failed),
        "remaining": total - len(found.done),
        "complete": len(found.done) == total and not found.corrupt,
        "corrupt": len(found.corrupt),
        "corrupt_files": [p.relative_to(out).as_posix() for p in found.corrupt],
        "set_aside": found.set_aside,
    }


def _manifest(plan: Plan, n_points: int, command, shard) -> dict:
    exp = plan.exp
    return {
        "kind": "sweep",
        "created_utc": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "versions": versions(),
        "git_commit": git_commit(),
        "experiment": {"path": str(plan.exp_path), "sha256": plan.inputs[0]["sha256"]},
        "base_scenario": {"path": str(plan.base), "sha256": plan.inputs[1]["sha256"]},
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


def _check_plan_size(plan: Plan) -> None:
    """Refuse an oversized sweep before its design is built; the field named is the
    command-line flag when one set the size."""
    points = design_points(plan.exp)
    if points is not None:
        check_size(
            plan.exp,
            points,
            file=str(plan.exp_path),
            size_field="--samples" if plan.flags["samples"] is not None else None,
            replicates_field="--replicates" if plan.flags["replicates"] else "replicates",
        )


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
    oversubscribe: bool = False,
) -> Path:
    """Run an experiment file's design x replicates; returns the output folder.

    >>> from polarsim.experiment import sweep, status
    >>> folder = sweep("experiments/replicates_baseline.yaml", workers=2,
    ...                out="runs/rep")                                  # doctest: +SKIP
    >>> import pandas as pd
    >>> results = pd.read_parquet(folder / "results")                  # doctest: +SKIP
    >>> status(folder)["remaining"]                                     # doctest: +SKIP
    0

    A task that raises is recorded in `failures/` and the sweep goes on (`status(folder)
    ["failed"]` counts them). When every task this call ran failed and the folder
    holds no results at all, the call raises `SweepFailedError` (a PolarsimInputError)
    naming the first failure and the folder, after recording its session: the folder is
    kept, and `resume=True` retries the failed tasks once the cause is fixed.

    `resume=True` continues an existing folder (completed tasks are skipped, failed ones
    retried, unreadable shards set aside and their tasks rerun) after checking that the
    experiment, its base scenario and every file that extends were not changed;
    `shard="I/N"` runs only the tasks whose index % N == I. `workers` is capped at the
    CPUs (and the chunks) unless `oversubscribe`. `backend="dask"` runs the chunks on
    Dask distributed: a LocalCluster of `workers` processes, or the cluster at
    `scheduler` ("tcp://host:port"). `samples` and `replicates` scale the file's design
    down or up (`design.samples`, or `design.trajectories` for Morris, and
    `replicates`) without editing it: the folder keeps the experiment as run.
    """
    exp_path = Path(experiment_path).resolve()
    exp = load_experiment(experiment_path)
    check_workers(workers, oversubscribe=oversubscribe)
    if backend not in ("local", "dask"):
        raise PolarsimInputError(f"expected local or dask, found {backend!r}", field="--backend")
    sh = parse_shard(shard)
    if out is None:
        from polarsim.outputs import timestamped

        out = timestamped(Path(experiment_path).stem, Path("runs"))
    out = Path(out)
    join = resume or sh is not None
    # what `validate` refuses of the whole experiment (unknown or text metrics, years no
    # run simulates, its size), refused before anything is written or run; a design
    # point's refused value fails that point's runs only, recorded as failures
    from polarsim.experiment.check import refuse_experiment

    refuse_experiment(exp_path, samples=samples, replicates=replicates, points=False)
    plan = make_plan(exp_path, exp, samples, replicates)
    _check_plan_size(plan)

    design = open_folder(
        out,
        plan,
        join,
        design=lambda: make_design(plan.exp),
        manifest=lambda n_points: _manifest(plan, n_points, command, shard),
        resume=resume,
    )
    run_exp = str((out / "experiment.yaml").resolve())
    if join:
        _set_aside_damaged(out)
    todo = _todo(out, len(design), plan.exp.replicates, sh)
    size = plan.exp.chunk_size
    if backend == "dask" and scheduler:  # the cluster's workers, not this machine's
        n_workers = workers
    else:
        n_workers = worker_count(workers, -(-len(todo) // size), oversubscribe=oversubscribe)
    chunks = plan_chunks(todo, size, n_workers)
    start = time.perf_counter()
    # tasks whose chunk was written, failures among them, and the first failure
    written: dict = {"tasks": 0, "failed": 0, "first": None}

    def session(**stopped) -> dict:
        return {
            "finished_utc": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
            "tasks_run": written["tasks"] if stopped else len(todo),
            "workers": n_workers,
            "workers_asked": workers,
            "backend": backend,
            "scheduler": scheduler,
            "shard": shard,
            "resume": resume,
            "command": command if command is not None else sys.argv,
            "wall_time_s": round(time.perf_counter() - start, 3),
            **stopped,
        }

    try:
        _run_chunks(
            out, run_exp, design, chunks, n_workers, backend, scheduler, progress, len(todo),
            written,
        )  # fmt: skip
    except BaseException as exc:
        # the session ran tasks into the folder before it stopped: record it too, with
        # what it had written (a record that cannot be written does not hide the stop)
        if written["tasks"]:
            stop = (
                {"interrupted": True}
                if isinstance(exc, KeyboardInterrupt)
                else {"error": f"{type(exc).__name__}: {exc}"}
            )
            with contextlib.suppress(Exception):
                _record_session(
                    out,
                    session(tasks_planned=len(todo), tasks_failed=written["failed"], **stop),
                )
        raise
    _record_session(out, session())
    if todo and written["failed"] == len(todo) and not completed_tasks(out):
        raise SweepFailedError(out, written["failed"], written["first"] or {})
    return out


def nothing_to_resume(out: str | Path) -> bool:
    """True if `out` does not exist or is an empty folder: a resume there starts a new
    sweep (`polarsim sweep --resume` says so)."""
    out = Path(out)
    try:
        return not out.exists() or (out.is_dir() and not any(out.iterdir()))
    except OSError:
        return False  # opening the folder says what is wrong


def _set_aside_damaged(out: Path) -> None:
    """Unreadable shards and failure records of a joined folder go to _corrupt (their
    tasks run again)."""
    damaged = shards.scan(out).corrupt
    if damaged:
        moved = shards.set_aside(damaged)
        print(
            f"polarsim: note: {len(moved)} unreadable file(s) moved to "
            f"{out}/results/_corrupt or failures/_corrupt; their tasks run again",
            file=sys.stderr,
        )


def _todo(
    out: Path, n_points: int, replicates: int, sh: tuple[int, int] | None
) -> list[tuple[int, int]]:
    """The tasks (run_id, replicate) of this shard not completed yet, in task order."""
    tasks = all_tasks(n_points, replicates)
    if sh is not None:
        tasks = [t for i, t in enumerate(tasks) if i % sh[1] == sh[0]]
    done = completed_tasks(out)
    return [t for t in tasks if t not in done]


def _run_chunks(
    out: Path,
    run_exp: str,
    design: pd.DataFrame,
    chunks: list,
    n_workers: int,
    backend: str,
    scheduler: str | None,
    progress: bool,
    total: int,
    written: dict | None = None,
) -> None:
    """Run the chunks in process, on a local pool or on Dask; each finished chunk's
    results become a shard and its failures one record each (a success clears one).
    `written` counts the tasks whose chunk was written (`tasks`) and of them the failed
    ones (`failed`), and keeps the first failure in task order (`first`)."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="run", desc="sweep", smoothing=0.1)

    latch = InterruptLatch()

    def handle(frame: pd.DataFrame | None, failures: list[dict], n: int) -> None:
        if frame is not None:
            _write_shard(frame, out / "results")
            for run_id, rep in frame[KEYS].drop_duplicates().itertuples(index=False):
                _failure_path(out, run_id, rep).unlink(missing_ok=True)
        for f in failures:
            _write_json(f, _failure_path(out, f["run_id"], f["replicate"]))
        if written is not None:
            written["tasks"] += n
            written["failed"] += len(failures)
            for f in failures:  # the first in task order
                first = written.get("first")
                if first is None or (f["run_id"], f["replicate"]) < (
                    first["run_id"],
                    first["replicate"],
                ):
                    written["first"] = f
        if bar is not None:
            bar.update(n)
            if failures:
                bar.set_postfix(failed=len(failures))
        latch.check()  # after writing: the chunk's results are kept for --resume

    try:
        with latch:
            _dispatch(run_exp, design, chunks, n_workers, backend, scheduler, handle)
            latch.check()  # a Ctrl-C swallowed during the last chunk still counts
    finally:
        if bar is not None:
            bar.close()


def _dispatch(
    run_exp: str,
    design: pd.DataFrame,
    chunks: list,
    n_workers: int,
    backend: str,
    scheduler: str | None,
    handle,
) -> None:
    """Each chunk to its engine (in process, the local pool or Dask); `handle` gets its
    results in this process."""
    if backend == "dask":
        from polarsim.experiment.dask_backend import dask_chunks

        for frame, failures, n in dask_chunks(run_exp, design, chunks, n_workers, scheduler):
            handle(frame, failures, n)
    elif n_workers == 1:
        runner = _Runner(run_exp, design)
        for chunk in chunks:
            handle(*runner.run_chunk(chunk), len(chunk))
    else:
        _run_pool(run_exp, design, chunks, n_workers, handle)


def _record_session(out: Path, session: dict) -> None:
    # One file per session, not an edit of the manifest: shards finishing at the same
    # moment would otherwise overwrite each other's record.
    stamp = session["finished_utc"].replace(":", "").replace("+0000", "Z")
    name = f"{stamp}-{uuid.uuid4().hex[:8]}.json"
    write_file(out / "sessions" / name, json.dumps(session, indent=2) + "\n")


def _run_pool(run_exp: str, design: pd.DataFrame, chunks, n_workers: int, handle) -> None:
    """The chunks on a local process pool; `handle` gets each result in the parent."""
    ctx = mp_context()
    runner = None
    if ctx.get_start_method() == "fork":  # the workers inherit what the parent prepared
        runner = _Runner(run_exp, design)
        runner.warm(chunks[0][0][0])
    pool = ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(run_exp, design, os.getpid(), runner),
    )
    try:
        futs = {pool.submit(_worker_chunk, c): len(c) for c in chunks}
        for fut in as_completed(futs):
            handle(*fut.result(), futs.pop(fut))
    except BaseException:
        # Ctrl-C or an error: stop the workers rather than let them run the queued
        # chunks for nothing (their results would not be written). An idle worker
        # ignores SIGINT (interrupt_only_while_busy), so they are terminated;
        # `_processes` is the executor's table of its workers.
        for proc in list((pool._processes or {}).values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
