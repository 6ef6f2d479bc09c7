"""Property test (issue 11): a sweep interrupted at a random moment, by SIGKILL or
SIGINT, to the parent alone or to its whole process group, with one or two workers,
resumes to exactly the table of a sweep that was never interrupted, and leaves no
unreadable file behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polarsim.experiment import status, sweep

pytestmark = pytest.mark.properties

ROOT = Path(__file__).resolve().parents[2]
SORT = ["run_id", "replicate", "year", "state"]
EXPERIMENT = {
    "base": str(ROOT / "scenarios" / "baseline.yaml"),
    "overrides": ["time.end_year=2021"],
    "parameters": {"powers.CHN.exclusivity": {"values": [0.1, 0.5, 0.9]}},
    "replicates": 8,
    "seed": 21,
    "chunk_size": 1,
    "outcomes": {"metrics": ["autonomy_index"], "years": [2021]},
}


def _table(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "results").sort_values(SORT).reset_index(drop=True)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("interruptions")
    exp = root / "exp.yaml"
    exp.write_text(yaml.safe_dump(EXPERIMENT))
    return exp, _table(sweep(exp, out=root / "reference", progress=False))


def _interrupt(proc: subprocess.Popen, out: Path, shards: int, delay: float, sig, group):
    """Wait for `shards` results shards (or the end), then `delay` seconds, then send."""
    parts = out / "results"
    while proc.poll() is None and len(list(parts.glob("part-*"))) < shards:
        time.sleep(0.01)
    time.sleep(delay)
    if proc.poll() is None:
        if group:
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
    proc.wait(timeout=120)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    sig=st.sampled_from([signal.SIGKILL, signal.SIGINT]),
    group=st.booleans(),
    workers=st.sampled_from([1, 2]),
    shards=st.integers(0, 20),
    delay=st.floats(0.0, 0.3),
)
def test_any_interruption_resumes_to_the_same_table(setup, sig, group, workers, shards, delay):
    exp, reference = setup
    home = Path(tempfile.mkdtemp(prefix="interrupted-"))
    try:
        _check(exp, reference, home / "sweep", sig, group, workers, shards, delay)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _check(exp, reference, out: Path, sig, group, workers, shards, delay) -> None:
    command = [sys.executable, "-m", "polarsim", "sweep", str(exp), "--out", str(out)]
    proc = subprocess.Popen(
        [*command, "--no-progress", "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _interrupt(proc, out, shards, delay, sig, group)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    if not (out / "design.parquet").exists():  # stopped before it wrote its design
        sweep(exp, out=out, resume=True, progress=False)
    else:
        assert status(out)["corrupt"] == 0
        sweep(exp, out=out, resume=True, workers=workers, progress=False)
    after = status(out)
    assert after["complete"] and after["corrupt"] == 0 and after["set_aside"] == 0
    pd.testing.assert_frame_equal(reference, _table(out))
