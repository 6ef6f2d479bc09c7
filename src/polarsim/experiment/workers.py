"""Worker processes of a local sweep: how many to start, and that none outlives the
process that started it.

The rule for how many lives in `worker_count`, used by every engine on this machine
(the local pool, a Dask LocalCluster, and so calibration and studies, which run through
`sweep`). A worker whose parent dies exits too: on Linux the kernel sends it SIGKILL
(the parent-death signal), everywhere a watchdog thread notices that its parent
changed. A worker only computes (the parent writes every file), so ending it at any
moment loses nothing that a resume does not redo."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time

from polarsim.errors import PolarsimInputError
from polarsim.experiment.limits import MAX_WORKERS_PER_CPU, WATCHDOG_INTERVAL_S

#: prctl(2) option: the signal a process receives when the thread that created it ends.
_PR_SET_PDEATHSIG = 1

#: Exit status of a worker that found its parent gone (as if ended by SIGKILL).
_ORPHANED_EXIT = 128 + signal.SIGKILL


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def check_workers(requested: int, *, oversubscribe: bool = False) -> None:
    """Refuse a worker count below 1, or above MAX_WORKERS_PER_CPU per CPU even when
    forced; before anything is written."""
    if requested < 1:
        raise PolarsimInputError(f"must be at least 1, found {requested}", field="--workers")
    ceiling = MAX_WORKERS_PER_CPU * available_cpus()
    if oversubscribe and requested > ceiling:
        raise PolarsimInputError(
            f"{requested} workers on {available_cpus()} CPUs: at most {ceiling} "
            f"({MAX_WORKERS_PER_CPU} per CPU, polarsim.experiment.limits.MAX_WORKERS_PER_CPU) "
            "even with --oversubscribe",
            field="--workers",
        )


def worker_count(requested: int, units: int, *, oversubscribe: bool = False) -> int:
    """Processes to start for `units` independent pieces of work (chunks of tasks):
    never more than the pieces, and never more than the CPUs unless `oversubscribe`.
    Lowering below the CPUs asked for prints one note on stderr."""
    check_workers(requested, oversubscribe=oversubscribe)
    n = requested
    cpus = available_cpus()
    if not oversubscribe and requested > cpus:
        n = cpus
        print(
            f"polarsim: note: --workers {requested} lowered to {cpus}, the CPUs available "
            "(more would only compete for them); --oversubscribe starts them all",
            file=sys.stderr,
        )
    return max(1, min(n, units))


def _set_parent_death_signal() -> None:
    """Linux: have the kernel SIGKILL this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watchdog still covers it
        pass


def _watch_parent(parent: int, interval: float) -> None:
    while True:
        if os.getppid() != parent:  # reparented: the parent is gone
            os._exit(_ORPHANED_EXIT)
        time.sleep(interval)


def guard_orphan(parent: int) -> None:
    """Make the calling worker process exit when process `parent` dies. Call first
    thing in a worker (a pool initializer)."""
    _set_parent_death_signal()
    if os.getppid() != parent:  # it died before the signal was armed
        os._exit(_ORPHANED_EXIT)
    threading.Thread(
        target=_watch_parent,
        args=(parent, WATCHDOG_INTERVAL_S),
        name="polarsim-parent-watchdog",
        daemon=True,
    ).start()


_BUSY = False


def _interrupt_while_busy(signum, frame) -> None:
    if _BUSY:
        raise KeyboardInterrupt


def interrupt_only_while_busy() -> None:
    """Ctrl-C reaches the whole process group. A worker running a chunk stops it (the
    pool hands the KeyboardInterrupt to the parent as the chunk's result, a second path
    for the parent to stop); an idle one ignores it: raised in the pool's queue, it
    printed a traceback. The parent stops the workers itself. Call in a pool
    initializer; wrap each chunk in `busy`."""
    signal.signal(signal.SIGINT, _interrupt_while_busy)


class busy:
    """Marks the worker as running a chunk (interrupt_only_while_busy)."""

    def __enter__(self) -> None:
        global _BUSY
        _BUSY = True

    def __exit__(self, *exc) -> None:
        global _BUSY
        _BUSY = False


def mp_context():
    """fork where the platform has it (Python's default on Linux before 3.14; asked for
    explicitly because mesa.batch_run switches the global default to spawn): workers
    start at once with polarsim imported, which matters for short sweeps. Workers only
    compute with numpy and pandas (the parent writes every file), so the parent's I/O
    threads are not used in a child. Elsewhere the platform default."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()
