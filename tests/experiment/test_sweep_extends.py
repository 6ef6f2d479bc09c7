"""A sweep whose base scenario extends a longer one and shortens its end: the sweep runs
from its folder's copies exactly as from the original files (the parent's later events
are allowed, as the scenario loader allows them), and `validate` and `sweep` agree."""

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from polarsim.experiment import status, sweep
from polarsim.experiment.check import check_experiment
from polarsim.experiment.sweep import task_rng
from polarsim.run import run_model
from polarsim.scenario.load import load_scenario, scenario_hash

ROOT = Path(__file__).resolve().parents[2]
SORT = ["run_id", "replicate", "year", "state"]


def _short(tmp_path: Path) -> Path:
    base = tmp_path / "short.yaml"
    base.write_text(f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\ntime: {{end_year: 2020}}\n")
    return base


def _experiment(tmp_path: Path, **extra) -> Path:
    _short(tmp_path)
    data = {
        "base": "short.yaml",
        "parameters": {"parameters.trade.persistence": {"range": [0.6, 0.9]}},
        "design": {"type": "grid", "levels": 2},
        "replicates": 1,
        "seed": 7,
        "outcomes": {"metrics": ["autonomy_index"], "years": [2020]},
        **extra,
    }
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_base_shortening_its_parent_sweeps_and_validate_agrees(tmp_path):
    """The testers' case: `validate` said ok, every run of the sweep failed on the
    parent's events dated after 2020."""
    exp = _experiment(tmp_path)
    problems, _ = check_experiment(exp)
    assert problems == []  # validate: ok
    out = sweep(exp, out=tmp_path / "s", progress=False)
    st = status(out)
    assert (st["done"], st["failed"]) == (2, 0)
    assert not (out / "failures").exists() or not any((out / "failures").iterdir())


def test_a_points_results_are_a_run_of_the_original_files(tmp_path):
    """Each point equals a run of the original base with the point's --set values and
    the task's generator (every year kept: the whole run's table)."""
    exp = _experiment(tmp_path, outcomes={"metrics": ["autonomy_index"]})
    out = sweep(exp, out=tmp_path / "s", progress=False)
    got = pd.read_parquet(out / "results").sort_values(SORT).reset_index(drop=True)
    design = pd.read_parquet(out / "design.parquet")
    assert len(design) == 2
    for run_id, value in design.itertuples(index=False):
        sets = [f"parameters.trade.persistence={value!r}"]
        original = load_scenario(tmp_path / "short.yaml", sets)
        # the folder's copy loads to the scenario of the original files
        copy = load_scenario(out / "base" / "short.yaml", sets)
        assert scenario_hash(copy) == scenario_hash(original)
        states = run_model(original, task_rng(7, run_id, 0), 0)["states"]
        want = states.sort_values(["year", "state"]).reset_index(drop=True)
        mine = got[got["run_id"] == run_id].sort_values(["year", "state"])
        assert list(mine["state"]) == list(want["state"])
        assert list(mine["year"]) == list(want["year"])
        np.testing.assert_array_equal(mine["autonomy_index"].to_numpy(), want["autonomy_index"])


def test_the_copies_keep_the_extends_chain(tmp_path):
    exp = _experiment(tmp_path, design="grid", parameters={})
    out = sweep(exp, out=tmp_path / "s", progress=False)
    top = yaml.safe_load((out / "base" / "short.yaml").read_text())
    assert top["extends"] == "extends/1-baseline.yaml"
    parent = yaml.safe_load((out / "base" / "extends" / "1-baseline.yaml").read_text())
    assert parent["extends"] == "2-historical.yaml"
    assert "extends" not in yaml.safe_load((out / "base/extends/2-historical.yaml").read_text())


def test_a_varied_end_year_reaches_the_parents_later_events(tmp_path):
    """A point that extends the end past the base's keeps the parent's events up to it,
    as the original files do."""
    exp = _experiment(tmp_path, parameters={"time.end_year": {"values": [2020, 2023]}})
    assert check_experiment(exp)[0] == []
    out = sweep(exp, out=tmp_path / "s", progress=False)
    assert status(out)["done"] == 2
    for end in (2020, 2023):
        sets = [f"time.end_year={end}"]
        original = load_scenario(tmp_path / "short.yaml", sets)
        assert scenario_hash(load_scenario(out / "base" / "short.yaml", sets)) == scenario_hash(
            original
        )
