"""The Dask backend on a real `dask scheduler` and two `dask worker` processes on
loopback gives exactly the local backend's results."""

import os
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest

from polarsim.experiment import sweep
from tests.conftest import SCENARIOS

pytest.importorskip("distributed")

EXPERIMENT = f"""
base: {SCENARIOS / "baseline.yaml"}
overrides: ["time.end_year=2014"]
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


@pytest.fixture
def dask_cluster():
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
