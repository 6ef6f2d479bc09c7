"""What a sweep folder holds so far: the tasks done (results shards), failed (failure
records), and the files that cannot be read.

Shards are published whole (polarsim.outputs), so a damaged one comes from outside:
a disk that filled or failed, a copy cut short, a hand edit. Reading a folder never
fails on one: its footer and keys are read shard by shard, and one that cannot be read
is listed as corrupt. A resume moves it aside to ``results/_corrupt/`` (failure records
to ``failures/_corrupt/``; the leading underscore keeps pandas and pyarrow from reading
it with the results) and runs its tasks again."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.outputs import describe_os_error

KEYS = ["run_id", "replicate"]
RESULTS = "results"
FAILURES = "failures"
CORRUPT = "_corrupt"

Task = tuple[int, int]


@dataclass
class Scan:
    """The state of a sweep folder's results and failure records."""

    done: set[Task] = field(default_factory=set)
    failed: set[Task] = field(default_factory=set)
    corrupt: list[Path] = field(default_factory=list)  # unreadable, still in place
    set_aside: int = 0  # already moved to a _corrupt folder


def _shard_tasks(path: Path) -> set[Task] | None:
    """The tasks of one results shard, or None if it cannot be read (its footer, read
    first and cheaply, fails when the file was cut short)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
        keys = pq.read_table(path, columns=KEYS).to_pandas()
    except (pa.ArrowException, OSError, ValueError, KeyError):
        return None
    return set(zip(keys["run_id"].astype(int), keys["replicate"].astype(int), strict=True))


def _failure_task(path: Path) -> Task | None:
    """The task of one failure record, or None if it cannot be read."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return int(record["run_id"]), int(record["replicate"])
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _count(folder: Path) -> int:
    return sum(1 for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0


def scan(out: str | Path) -> Scan:
    """Read the folder's shards and failure records; change nothing."""
    out = Path(out)
    found = Scan()
    for path in sorted((out / RESULTS).glob("part-*.parquet")):
        tasks = _shard_tasks(path)
        if tasks is None:
            found.corrupt.append(path)
        else:
            found.done |= tasks
    for path in sorted((out / FAILURES).glob("run*.json")):
        task = _failure_task(path)
        if task is None:
            found.corrupt.append(path)
        else:
            found.failed.add(task)
    found.set_aside = _count(out / RESULTS / CORRUPT) + _count(out / FAILURES / CORRUPT)
    return found


def set_aside(paths: list[Path]) -> list[Path]:
    """Move unreadable files into a `_corrupt` folder beside them (never deleted: the
    user may want to look at them); returns their new paths. A file another process
    moved meanwhile is skipped."""
    moved = []
    for path in paths:
        target_dir = path.parent / CORRUPT
        target = target_dir / path.name
        try:
            target_dir.mkdir(exist_ok=True)
            n = 1
            while target.exists():
                n += 1
                target = target_dir / f"{path.stem}.{n}{path.suffix}"
            os.rename(path, target)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise PolarsimInputError(describe_os_error(exc, path)) from exc
        moved.append(target)
    return moved


def in_task_order(results: pd.DataFrame) -> pd.DataFrame:
    """`results` ordered by task (run_id, replicate), each task's rows as it wrote them.

    Read from a folder, rows come in shard-file order, and a shard's name after its
    first run_id ends in a random suffix: the shards of one design point's replicates
    (chunks of one task, a retried failure, a resume) come in any order. Sums over
    replicates then add in another order each time (a mean of 5 replicates moved in its
    last bit between two runs of the same sweep); in task order they are the same
    however the tasks were chunked, run or resumed."""
    import numpy as np

    if results.empty:  # no shard yet: pandas reads an empty folder as a table without columns
        return results
    order = np.lexsort((results["replicate"].to_numpy(), results["run_id"].to_numpy()))
    return results.iloc[order].reset_index(drop=True)


def read_results(out: str | Path) -> pd.DataFrame:
    """Every results row of a sweep folder (not those set aside), in task order
    (`in_task_order`)."""
    import pyarrow as pa

    folder = Path(out) / RESULTS
    try:
        return in_task_order(pd.read_parquet(folder))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise PolarsimInputError(
            f"cannot read the results ({exc}); `polarsim status` lists damaged files and "
            "`polarsim sweep ... --resume` sets them aside and reruns their tasks",
            field=str(folder),
        ) from None
