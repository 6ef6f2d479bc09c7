"""The Dask backend on a real `dask scheduler` and two `dask worker` processes on
loopback gives exactly the local backend's results."""

import os
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest

from polarsim.experiment import status, sweep
from tests.conftest import SCENARIOS
from tests.experiment.processes import alive, descendants, needs_proc, wait_until

pytest.importorskip("distributed")

EXPERIMENT = f"""
base: {SCENARIOS / "baseline.yaml"}
overrides: ["time.end_year=2019"]
parameters:
  parameters.coercion.rate: {{values: [1.0, 8.0]}}
  parameters.trade.persistence: {{values: [0.7, 0.9]}}
design: grid
replicates: 2
seed: 11
chunk_size: 2
outcomes: {{metrics: [autonomy_index, trade_share_CHN]}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dask_cluster():
    """A scheduler and two workers on loopback, started once for the module's tests (a
    long-lived cluster, as a user keeps one; each test writes to its own folder)."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    ]
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=env,
                )
            )
        from dask.distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for p in procs[::-1]:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def _table(folder):
    return (
        pd.read_parquet(folder / "results")
        .sort_values(["run_id", "replicate", "year", "state"])
        .reset_index(drop=True)
    )


def test_dask_cluster_equals_local(tmp_path, dask_cluster):
    exp = tmp_path / "exp.yaml"
    exp.write_text(EXPERIMENT)
    local = sweep(exp, workers=1, out=tmp_path / "local", progress=False)
    remote = sweep(
        exp,
        workers=2,
        out=tmp_path / "dask",
        progress=False,
        backend="dask",
        scheduler=dask_cluster,
    )
    pd.testing.assert_frame_equal(_table(local), _table(remote))
    assert len(_table(local)) == 4 * 2 * 5 * 5


def test_a_folder_started_again_on_the_same_cluster_runs_the_new_experiment(tmp_path, dask_cluster):
    """A long-lived cluster's workers once kept their runner per experiment path: a sweep
    folder deleted and started again at the same path with another seed was run with the
    old experiment, and gave the old numbers."""
    import shutil

    exp, out = tmp_path / "exp.yaml", tmp_path / "dask"
    exp.write_text(EXPERIMENT)
    kw = {"workers": 2, "progress": False, "backend": "dask", "scheduler": dask_cluster}
    old = _table(sweep(exp, out=out, **kw))
    shutil.rmtree(out)
    exp.write_text(EXPERIMENT.replace("seed: 11", "seed: 12"))
    new = _table(sweep(exp, out=out, **kw))
    local = _table(sweep(exp, workers=1, out=tmp_path / "local", progress=False))
    assert not new.equals(old)
    pd.testing.assert_frame_equal(local, new)


#: long enough (90 tasks of one per chunk) that a kill lands mid-sweep
LONG = f"""
base: {SCENARIOS / "baseline.yaml"}
overrides: ["time.end_year=2025"]
parameters:
  powers.CHN.exclusivity: {{values: [0.1, 0.4, 0.7]}}
replicates: 30
seed: 11
chunk_size: 1
outcomes: {{metrics: [autonomy_index], years: [2025]}}
"""


def _start(exp, out, *args) -> subprocess.Popen:
    command = [sys.executable, "-m", "polarsim", "sweep", str(exp), "--out", str(out)]
    return subprocess.Popen(
        [*command, "--no-progress", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_mid_sweep(proc: subprocess.Popen, out, watch: list[int] | None = None) -> list[int]:
    """SIGKILL `proc` alone once it has written two shards; returns its descendants
    as they were just before."""
    parts = out / "results"
    wait_until(lambda: len(list(parts.glob("part-*"))) >= 2, 180, "two shards")
    family = descendants(proc.pid)
    proc.kill()
    proc.wait(timeout=30)
    return family


@pytest.fixture(scope="module")
def long_reference(tmp_path_factory) -> pd.DataFrame:
    """The uninterrupted local sweep of LONG, for the kill tests to compare with (they
    read it only)."""
    root = tmp_path_factory.mktemp("long-reference")
    exp = root / "long.yaml"
    exp.write_text(LONG)
    return _table(sweep(exp, out=root / "ref", progress=False))


def _kill_then_resume(tmp_path, reference, args, resume_args, after_kill=None):
    exp = tmp_path / "long.yaml"
    exp.write_text(LONG)
    out = tmp_path / "killed"
    family = _kill_mid_sweep(_start(exp, out, *args), out)
    if after_kill is not None:
        after_kill(family)
    st = status(out)
    assert 0 < st["done"] < st["total"] and st["corrupt"] == 0, st
    sweep(exp, out=out, resume=True, progress=False, **resume_args)
    assert status(out)["complete"]
    pd.testing.assert_frame_equal(reference, _table(out))


def test_client_killed_mid_sweep_resumes_on_the_cluster(tmp_path, dask_cluster, long_reference):
    """kill -9 of the client of a real scheduler: nothing corrupt, and a resume on the
    cluster gives the uninterrupted table."""
    _kill_then_resume(
        tmp_path,
        long_reference,
        ["--backend", "dask", "--scheduler", dask_cluster, "--workers", "2"],
        {"backend": "dask", "scheduler": dask_cluster, "workers": 2},
    )


@needs_proc
def test_local_cluster_dies_with_its_client_and_resumes_locally(tmp_path, long_reference):
    """kill -9 of a sweep running a Dask LocalCluster: its worker processes exit, and
    the local backend finishes the folder to the uninterrupted table."""

    def all_exit(family: list[int]) -> None:
        try:
            wait_until(lambda: not any(alive(p) for p in family), 60, f"{family} to exit")
        finally:
            for p in family:
                if alive(p):
                    os.kill(p, 9)

    _kill_then_resume(
        tmp_path,
        long_reference,
        ["--backend", "dask", "--workers", "2"],
        {"workers": 2},
        after_kill=all_exit,
    )


def test_an_unreachable_scheduler_is_named(monkeypatch):
    # `--scheduler` at an address nobody listens on ended with "polarsim: error: cannot
    # read or write: OSError", naming neither the address nor the option
    from polarsim.errors import PolarsimInputError
    from polarsim.experiment import dask_backend

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{free.getsockname()[1]}"
    monkeypatch.setattr(dask_backend, "CONNECT_TIMEOUT", "1s")
    chunks = dask_backend.dask_chunks("unused.yaml", pd.DataFrame(), [[(0, 0)]], 1, address)
    with pytest.raises(PolarsimInputError, match="--resume") as err:
        next(chunks)
    assert address in str(err.value) and err.value.field == "--scheduler"
