"""A study build killed before it could clean up (SIGTERM, SIGKILL) leaves its hidden
staging folder; the next build of the same folder removes it, and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from polarsim.study import report


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_staging_folders_of_dead_builds_are_removed(tmp_path):
    dead = tmp_path / f".build-{_dead_pid()}-0123abcd"
    (dead / "figures").mkdir(parents=True)
    (dead / "figures" / "fig1.png").write_bytes(b"x")
    live = tmp_path / f".build-{os.getpid()}-0123abcd"
    live.mkdir()
    mine = tmp_path / ".build-notes"
    mine.mkdir()
    report.remove_stale_stages(tmp_path)
    assert not dead.exists()
    assert live.is_dir() and mine.is_dir()


def test_a_build_removes_stale_stages_before_it_writes(tmp_path, monkeypatch):
    class Called(Exception):
        pass

    def stop(out):
        assert out == tmp_path
        raise Called

    monkeypatch.setattr(report, "remove_stale_stages", stop)
    with pytest.raises(Called):
        report.write_outputs(SimpleNamespace(folder=SimpleNamespace()), tmp_path)
