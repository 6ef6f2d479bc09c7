"""--dry-run on sweep, calibrate and study: the file checked, the runs counted as the
real command would make them, time and disk estimated, nothing written; a bad file is
refused as the real command would refuse it."""

import pytest

from polarsim.experiment.dry_run import Estimate, estimate_experiment
from tests.conftest import ROOT, SCENARIOS
from tests.harness import run_cli as polarsim


def _experiment(tmp_path, samples=6, replicates=2, extra=""):
    path = tmp_path / "exp.yaml"
    path.write_text(
        f"base: {SCENARIOS / 'baseline.yaml'}\n"
        "overrides: ['time.end_year=2020']\n"
        "parameters:\n  powers.RUS.exclusivity: {range: [0.0, 1.0]}\n"
        f"design: {{type: latin_hypercube, samples: {samples}}}\n"
        f"replicates: {replicates}\nseed: 1\n"
        "outcomes: {metrics: [autonomy_index], years: [2020], aggregate: state}\n" + extra
    )
    return path


def test_estimate_counts_the_runs_and_times_them(tmp_path):
    e = estimate_experiment(_experiment(tmp_path), workers=1)
    assert (e.points, e.replicates, e.runs) == (6, 2, 12)
    assert e.point_seconds > 0 and e.replicate_seconds >= 0
    assert e.seconds == pytest.approx(6 * e.point_seconds + 6 * e.replicate_seconds)
    # 12 runs x 1 year x 5 states x (4 keys + 1 parameter + 1 outcome) x 8 bytes
    assert e.disk_bytes == 12 * 5 * 6 * 8
    scaled = estimate_experiment(_experiment(tmp_path), samples=10, replicates=1)
    assert scaled.runs == 10


def test_a_point_is_timed_as_a_sweep_runs_it_its_run_included(tmp_path, monkeypatch):
    """The estimate times the sweep's own tasks: a point is loaded and prepared
    (`setup`) and run (`task_columns`), and its time counts both; a further replicate
    is a run alone."""
    import time

    from polarsim.experiment.sweep import _Runner

    monkeypatch.setattr(_Runner, "setup", lambda self, run_id: time.sleep(0.01))
    monkeypatch.setattr(_Runner, "task_columns", lambda self, r, k: time.sleep(0.04))
    e = estimate_experiment(_experiment(tmp_path, replicates=1), workers=2)
    assert e.point_seconds >= 0.05 and e.replicate_seconds >= 0.04
    assert e.serial_seconds == pytest.approx(6 * e.point_seconds)
    assert e.seconds == pytest.approx(e.serial_seconds / 2)  # 2 workers sharing evenly
    assert "on 1 worker (" in e.lines()[0] and "on 2 sharing the runs evenly)" in e.lines()[0]


def test_parts_add_up():
    one = Estimate("a", 2, 1, 2, 1.0, 0.1, 1, 10)
    two = Estimate("b", 3, 2, 6, 2.0, 0.5, 2, 20)
    total = Estimate("t", 5, 1, 8, 1.0, 0.1, 1, 30, [one, two])
    assert total.seconds == pytest.approx(2.0 + (3 * 2.0 + 3 * 0.5) / 2)
    assert total.lines()[-2].startswith("total: 8 runs")


def test_sweep_dry_run_writes_nothing(tmp_path):
    exp = _experiment(tmp_path)
    done = polarsim("sweep", exp, "--dry-run", "--out", tmp_path / "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "6 points x 2 replicates = 12 runs" in done.stdout
    assert "nothing was written" in done.stdout
    assert not (tmp_path / "out").exists() and not (tmp_path / "runs").exists()


def test_dry_run_refuses_a_bad_file_as_the_run_would(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"base: {SCENARIOS / 'baseline.yaml'}\n"
        "parameters:\n  powers.RUS.exclusivty: {range: [0.0, 1.0]}\n"
        "design: {type: latin_hypercube, samples: 4}\n"
    )
    done = polarsim("sweep", bad, "--dry-run", cwd=tmp_path)
    assert done.returncode == 2 and "exclusivty" in done.stderr and "Traceback" not in done.stderr


def test_calibrate_and_study_dry_runs(tmp_path):
    cal = polarsim(
        "calibrate", ROOT / "experiments" / "calibrate_skill_band.yaml", "--dry-run",
        "--samples", "8", cwd=tmp_path,
    )  # fmt: skip
    assert cal.returncode == 0, cal.stderr
    assert cal.stdout.count("8 points x 2 replicates = 16 runs") == 3  # three generations
    assert "total: 48 runs" in cal.stdout
    study = polarsim("study", ROOT / "experiments" / "paper" / "study.yaml", "--dry-run",
                     "--quick", cwd=ROOT)  # fmt: skip
    assert study.returncode == 0, study.stderr
    assert "phase grid: 9 points x 2 replicates = 18 runs" in study.stdout
    assert "sensitivity sweep:" in study.stdout and "total:" in study.stdout
