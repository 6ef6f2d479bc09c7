"""Runs step with the process's older objects frozen out of the cyclic collector
(model/collector.py): the same numbers, and the collector as it was afterwards."""

from __future__ import annotations

import gc

import pandas as pd
import pytest

from polarsim.model import collector
from polarsim.model.collector import older_objects_frozen
from polarsim.model.model import CompetitionModel
from polarsim.model.seeds import replicate_rng
from polarsim.run import run_model


@pytest.fixture(autouse=True)
def _nothing_frozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_run_steps_frozen_and_leaves_nothing_frozen(baseline, monkeypatch):
    seen = []
    step = CompetitionModel.step

    def watched(model):
        seen.append(gc.get_freeze_count())
        step(model)

    monkeypatch.setattr(CompetitionModel, "step", watched)
    run_model(baseline, replicate_rng(3, 0))
    assert seen and min(seen) > 0
    assert gc.get_freeze_count() == 0


def test_the_same_numbers_with_and_without(baseline):
    frozen = run_model(baseline, replicate_rng(5, 1), 1)
    model = CompetitionModel(baseline, rng=replicate_rng(5, 1), replicate=1)
    while model.running:
        model.step()
    plain = model.recorder.tables(model.events)
    assert frozen.keys() == plain.keys()
    for name in plain:
        pd.testing.assert_frame_equal(frozen[name], plain[name], check_exact=True)


def test_nested_blocks_unfreeze_once_at_the_last_exit():
    with older_objects_frozen():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with older_objects_frozen():
            pass
        assert gc.get_freeze_count() == frozen  # the inner block does not unfreeze
    assert gc.get_freeze_count() == 0
    assert collector._depth == 0


def test_an_error_inside_still_unfreezes():
    with pytest.raises(RuntimeError), older_objects_frozen():
        raise RuntimeError("a failing run")
    assert gc.get_freeze_count() == 0
    assert collector._depth == 0


def test_objects_frozen_before_stay_frozen():
    gc.freeze()
    before = gc.get_freeze_count()
    with older_objects_frozen():
        pass
    assert gc.get_freeze_count() >= before > 0


def test_a_sweeps_runs_step_frozen(tmp_path, monkeypatch):
    import yaml

    from polarsim.experiment import sweep
    from tests.conftest import SCENARIOS

    seen = []
    step = CompetitionModel.step

    def watched(model):
        seen.append(gc.get_freeze_count())
        step(model)

    monkeypatch.setattr(CompetitionModel, "step", watched)
    exp = tmp_path / "exp.yaml"
    exp.write_text(
        yaml.safe_dump(
            {
                "base": str(SCENARIOS / "baseline.yaml"),
                "overrides": ["time.end_year=2026"],
                "parameters": {"parameters.contest.decisiveness": {"values": [0.5, 2.0]}},
                "design": "grid",
                "replicates": 1,
                "seed": 3,
                "outcomes": {"metrics": ["autonomy_index"], "years": [2026]},
            }
        )
    )
    sweep(exp, workers=1, out=tmp_path / "out", progress=False)
    assert seen and min(seen) > 0
    assert gc.get_freeze_count() == 0
