"""Sweeps that do not end well (issue 4): shards starting together into one folder, a
sweep killed part-way and resumed, a sweep stopped by Ctrl-C. Each must end with the
same results table as an uninterrupted sweep."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from polarsim.experiment import status, sweep
from polarsim.experiment.interrupts import InterruptLatch

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENT = {
    "base": str(ROOT / "scenarios" / "baseline.yaml"),
    "overrides": ["time.end_year=2017"],
    "parameters": {"powers.CHN.exclusivity": {"values": [0.1, 0.4, 0.7]}},
    "replicates": 4,
    "seed": 11,
    "chunk_size": 1,
    "outcomes": {"metrics": ["autonomy_index"], "years": [2017]},
}
SORT = ["run_id", "replicate", "year", "state"]


def _experiment(tmp_path: Path, **change) -> Path:
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump({**EXPERIMENT, **change}))
    return path


def _results(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "results").sort_values(SORT).reset_index(drop=True)


def _shard_after_barrier(barrier, exp: str, out: str, shard: str) -> None:
    barrier.wait()
    sweep(exp, out=out, shard=shard, progress=False)


def test_shards_started_at_once_into_one_folder(tmp_path):
    exp = _experiment(tmp_path)
    reference = _results(sweep(exp, out=tmp_path / "ref", progress=False))
    out = tmp_path / "shared"
    n = 3
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(n)
    procs = [
        ctx.Process(target=_shard_after_barrier, args=(barrier, str(exp), str(out), f"{i}/{n}"))
        for i in range(n)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * n
    assert status(out)["complete"]
    pd.testing.assert_frame_equal(reference, _results(out))
    assert len(list((out / "sessions").glob("*.json"))) == n
    assert not list(out.rglob(".*.tmp"))


def _fresh_after_barrier(barrier, exp: str, out: str, refused) -> None:
    from polarsim.errors import PolarsimInputError

    barrier.wait()
    try:
        sweep(exp, out=out, progress=False)
    except PolarsimInputError:
        refused.value += 1


def test_two_fresh_sweeps_started_at_once_into_one_folder(tmp_path):
    """Without --resume or --shard, only one of them may fill the folder (else every
    task would run twice and the results hold each row twice)."""
    exp = _experiment(tmp_path)
    reference = _results(sweep(exp, out=tmp_path / "ref", progress=False))
    out = tmp_path / "twice"
    ctx = multiprocessing.get_context("fork")
    barrier, refused = ctx.Barrier(2), ctx.Value("i", 0)
    procs = [
        ctx.Process(target=_fresh_after_barrier, args=(barrier, str(exp), str(out), refused))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0]
    assert refused.value == 1
    pd.testing.assert_frame_equal(reference, _results(out))


def _start_cli_sweep(exp: Path, out: Path, workers: int) -> subprocess.Popen:
    """In a session of its own, so a signal can go to its whole process group, as
    Ctrl-C in a terminal does."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "polarsim", "sweep", str(exp), "--out", str(out)]
    return subprocess.Popen(
        [*command, "--no-progress", "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_parts(out: Path, at_least: int, proc: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        found = len(list((out / "results").glob("part-*.parquet")))
        if found >= at_least:
            return found
        time.sleep(0.02)
    raise AssertionError("the sweep ended or stalled before it could be interrupted")


def _freeze_mid_run(out: Path, proc: subprocess.Popen, total: int) -> int:
    """Stop the sweep's whole process group (SIGSTOP) after a few chunks, and make sure
    it is stopped inside the sweep, with chunks still to run. Without the freeze a
    loaded machine could let the sweep finish between the test's look and its signal,
    and a Ctrl-C landing as the interpreter exits ends it by SIGINT, not with 130."""
    _wait_for_parts(out, 3, proc)
    os.killpg(proc.pid, signal.SIGSTOP)
    time.sleep(0.2)  # a write in flight as the signal came has landed by now
    found = len(list((out / "results").glob("part-*.parquet")))
    if found >= total or proc.poll() is not None:
        os.killpg(proc.pid, signal.SIGCONT)
        raise AssertionError(f"the sweep finished ({found} parts) before it was stopped")
    return found


def _interrupt(tmp_path: Path, sig: signal.Signals, workers: int = 1):
    """A reference sweep, and the same sweep from the command line stopped by `sig` (to
    its process group, as Ctrl-C in a terminal) part-way: (experiment, reference
    table, folder, process, parts written when it was stopped)."""
    exp = _experiment(
        tmp_path,
        replicates=40,
        overrides=["time.end_year=2025"],
        outcomes={"metrics": ["autonomy_index"], "years": [2025]},
    )
    reference = _results(sweep(exp, out=tmp_path / "ref", progress=False))
    out = tmp_path / "interrupted"
    proc = _start_cli_sweep(exp, out, workers)
    tasks = len(reference[["run_id", "replicate"]].drop_duplicates())
    frozen = _freeze_mid_run(out, proc, total=tasks)  # one chunk of one task per part
    os.killpg(proc.pid, sig)
    os.killpg(proc.pid, signal.SIGCONT)  # the signal is delivered as the group resumes
    return exp, reference, out, proc, frozen


def test_killed_sweep_resumes_to_the_same_table(tmp_path):
    exp, reference, out, proc, _ = _interrupt(tmp_path, signal.SIGKILL)
    proc.wait()
    st = status(out)
    assert 0 < st["done"] < st["total"], st
    sweep(exp, out=out, resume=True, progress=False)
    assert status(out)["complete"]
    pd.testing.assert_frame_equal(reference, _results(out))


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_exits_cleanly_and_resumes(tmp_path, workers):
    exp, reference, out, proc, frozen = _interrupt(tmp_path, signal.SIGINT, workers)
    _, err = proc.communicate(timeout=60)
    # -2 (a KeyboardInterrupt that escaped the command line's handler) was seen once in
    # CI on 2026-12-07 and not in 16 runs under load since: say where the sweep stood
    assert proc.returncode == 130, (proc.returncode, err[-3000:], status(out))
    assert "--resume" in err and "Traceback" not in err
    assert not list(out.rglob(".*.tmp"))
    # promptly: the workers are stopped, not drained. Once the interrupt lands the
    # parent writes nothing more, so at most a part per worker (a write the freeze
    # caught before it was listed) can follow those seen while the sweep was stopped;
    # a sweep that ran its queue to the end would write them all
    st = status(out)
    assert st["done"] <= frozen + workers < st["total"], (frozen, st)
    sweep(exp, out=out, resume=True, progress=False)
    pd.testing.assert_frame_equal(reference, _results(out))


def _swallow_a_ctrl_c() -> None:
    """A Ctrl-C that lands where library code drops it: numpy's dtype comparison
    clears any error raised while it converts its other operand (pandas compares a
    numpy dtype with its Arrow string dtype in `DataFrame.__getitem__`)."""

    class Operand:
        @property
        def dtype(self):
            signal.raise_signal(signal.SIGINT)

    assert (np.dtype(object) == Operand()) is False  # the KeyboardInterrupt is gone


def test_latch_remembers_a_ctrl_c_that_library_code_swallowed():
    with InterruptLatch() as latch:
        latch.check()  # nothing yet
        _swallow_a_ctrl_c()
        with pytest.raises(KeyboardInterrupt):
            latch.check()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_swallowed_ctrl_c_still_stops_the_sweep_after_its_chunk(tmp_path, monkeypatch):
    """Without the latch such a sweep ran to its end and exited 0 (3 of 30 sweeps frozen
    with SIGSTOP, sent SIGINT and continued): the interrupt must stop it once the
    chunk it landed in is written."""
    sweep_module = importlib.import_module("polarsim.experiment.sweep")  # not the function

    run_chunk = sweep_module._Runner.run_chunk
    calls = []

    def run_chunk_and_swallow(self, chunk):
        calls.append(chunk)
        result = run_chunk(self, chunk)
        if len(calls) == 2:
            _swallow_a_ctrl_c()
        return result

    monkeypatch.setattr(sweep_module._Runner, "run_chunk", run_chunk_and_swallow)
    out = tmp_path / "swallowed"
    with pytest.raises(KeyboardInterrupt):
        sweep(_experiment(tmp_path), out=out, workers=1, progress=False)
    assert len(calls) == 2
    st = status(out)
    assert st["done"] == 2 and st["remaining"] == st["total"] - 2
