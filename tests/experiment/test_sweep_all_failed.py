"""A sweep every run of which failed says so (the API raises SweepFailedError, the CLI
exits 1 naming the first failure and where the failures are), and the counts of a
folder with failures read unambiguously: each task in one count."""

import json
from pathlib import Path

import pytest
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.experiment import SweepFailedError, status, sweep
from polarsim.experiment.sweep import _Runner

ROOT = Path(__file__).resolve().parents[2]
SMALL = {
    "base": str(ROOT / "scenarios" / "baseline.yaml"),
    "overrides": ["time.end_year=2017"],
    "parameters": {"powers.RUS.exclusivity": {"values": [0.2, 0.6]}},
    "design": "grid",
    "replicates": 2,
    "seed": 3,
    "outcomes": {"metrics": ["autonomy_index"], "years": [2017]},
}


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture
def every_run_fails(monkeypatch):
    def boom(self, run_id, replicate):
        raise RuntimeError(f"model broke at point {run_id}\nsecond line\nthird line")

    monkeypatch.setattr(_Runner, "task_columns", boom)


def _cli(capsys, *argv) -> tuple[int, str, str]:
    from polarsim.cli import main

    capsys.readouterr()
    code = main([str(a) for a in argv])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_the_api_raises_when_every_run_failed(tmp_path, every_run_fails):
    out = tmp_path / "s"
    with pytest.raises(SweepFailedError) as caught:
        sweep(_write(tmp_path, SMALL), out=out, progress=False)
    exc = caught.value
    assert isinstance(exc, PolarsimInputError)
    assert exc.folder == out and exc.failed == 4
    assert (exc.first["run_id"], exc.first["replicate"]) == (0, 0)
    text = str(exc)
    assert "\n" not in text and "all 4 runs" in text and "model broke at point 0" in text
    assert str(out / "failures") in text
    # nothing written is lost: the failures and the session are kept
    assert len(list((out / "failures").glob("*.json"))) == 4
    assert len(list((out / "sessions").glob("*.json"))) == 1
    assert status(out)["failed"] == 4


def test_the_cli_exits_1_naming_the_first_failure(tmp_path, capsys, every_run_fails):
    out = tmp_path / "s"
    code, stdout, err = _cli(
        capsys, "sweep", _write(tmp_path, SMALL), "--out", out, "--no-progress"
    )
    assert code == 1
    line = err.strip()
    assert "\n" not in line and "Traceback" not in err
    assert line.startswith("polarsim: error:") and "model broke at point 0" in line
    assert f"{out / 'failures'}/" in line


def test_a_sweep_with_some_failures_returns_its_folder(tmp_path):
    """Not every run failed: the folder is returned, the failures counted once."""
    data = {**SMALL, "parameters": {"powers.RUS.exclusivity": {"values": [0.2, 1.5]}}}
    out = sweep(_write(tmp_path, data), out=tmp_path / "f", progress=False)
    st = status(out)
    assert (st["total"], st["done"], st["failed"], st["not_run"]) == (4, 2, 2, 0)
    assert st["remaining"] == st["failed"] + st["not_run"]  # what --resume runs


def test_status_counts_each_task_once(tmp_path, capsys):
    data = {**SMALL, "parameters": {"powers.RUS.exclusivity": {"values": [0.2, 1.5]}}}
    exp = _write(tmp_path, data)
    out = tmp_path / "f"
    code, stdout, err = _cli(capsys, "sweep", exp, "--out", out, "--no-progress")
    assert code == 1
    assert "2/4 done, 2 failed (to retry with --resume), 0 not yet run" in stdout
    assert f"{out}/failures/" in err
    code, stdout, _ = _cli(capsys, "status", out)
    assert code == 0
    assert stdout.strip() == f"{out}: 2/4 done, 2 failed (to retry with --resume), 0 not yet run"
    code, stdout, _ = _cli(capsys, "status", out, "--json")
    got = json.loads(stdout)
    assert (got["failed"], got["not_run"], got["remaining"]) == (2, 0, 2)
    # half the tasks never run: counted as not yet run, not as failed
    part = tmp_path / "p"
    code, *_ = _cli(capsys, "sweep", _write(tmp_path, SMALL), "--out", part, "--shard", "0/2",
                    "--no-progress")  # fmt: skip
    assert code == 0
    code, stdout, _ = _cli(capsys, "status", part)
    assert stdout.strip() == f"{part}: 2/4 done, 0 failed, 2 not yet run"
