"""Dask distributed as the engine for more than one machine.

Chunks of tasks go to the workers as futures; each worker builds its own runner once
per sweep session (cached in the worker process) and returns the chunk's table and its
failures, which the caller writes as shards exactly as the local backend does. Seeds
depend only on (run_id, replicate), so the results equal the local backend's row for
row. The sweep folder, which holds the experiment as run and its resolved base
scenario, must be readable by every worker at the same path (a shared file system on a
cluster). Workers of a LocalCluster exit when the sweep's process dies (Dask's nannies
watch their parent); on a cluster, the scheduler drops the tasks of a client that died."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import CancelledError

import pandas as pd

from polarsim.errors import PolarsimInputError

#: A worker's runners, by (experiment path, sweep session). Keyed by the session too:
#: a long-lived cluster outlives sweep folders, and a folder deleted and started again
#: at the same path with another experiment (another seed, parameters or base) must not
#: be run by the runner the worker built for the old one.
_RUNNERS: dict[tuple[str, str], object] = {}
#: Runners a worker keeps: one per sweep running on the cluster at the same time.
MAX_RUNNERS = 4
#: How long to try to reach a scheduler given with --scheduler.
CONNECT_TIMEOUT = "30s"


def _run_chunk(
    exp_path: str, design: pd.DataFrame, chunk: list[tuple[int, int]], session: str = ""
):
    from polarsim.experiment.sweep import _Runner

    key = (exp_path, session)
    runner = _RUNNERS.get(key)
    if runner is None:
        while len(_RUNNERS) >= MAX_RUNNERS:  # the oldest first (dicts keep insertion order)
            del _RUNNERS[next(iter(_RUNNERS))]
        runner = _RUNNERS[key] = _Runner(exp_path, design)
    return runner.run_chunk(chunk)


def dask_chunks(
    exp_path: str,
    design: pd.DataFrame,
    chunks: list[list[tuple[int, int]]],
    workers: int,
    scheduler: str | None,
) -> Iterator[tuple[pd.DataFrame | None, list[dict], int]]:
    """Yield (table, failures, number of tasks) per chunk as the workers finish them.
    Without a scheduler address a LocalCluster with `workers` processes is started."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except OSError as exc:  # "Timed out trying to connect to ..."; the CLI said "OSError"
            raise PolarsimInputError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it "
                "(docs/cluster.md) or fix the address, then run the same command with "
                "--resume",
                field="--scheduler",
            ) from None
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        # a key of its own (not the content's hash): a client killed mid-sweep shares
        # nothing with the one that resumes, so forgetting the dead one's data cannot
        # cancel the new one's tasks
        [design_future] = client.scatter([design], broadcast=True, hash=False)
        session = uuid.uuid4().hex  # this call's runners (see _RUNNERS)
        futures = {
            client.submit(_run_chunk, exp_path, design_future, chunk, session, pure=False): len(
                chunk
            )
            for chunk in chunks
        }
        for fut in as_completed(list(futures)):
            try:
                frame, failures = fut.result()
            except CancelledError as exc:  # the cluster dropped it (a worker or it restarted)
                raise PolarsimInputError(
                    f"the Dask cluster cancelled a chunk ({exc}); the finished chunks are "
                    "kept: run the same command with --resume",
                    field="--scheduler" if scheduler else "--backend",
                ) from None
            yield frame, failures, futures[fut]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
