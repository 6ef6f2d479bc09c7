"""`run` called from a notebook the natural wrong ways: each refused with a
PolarsimInputError naming the argument, and NumPy integers taken as the ints they are."""

import json

import numpy as np
import pytest

from polarsim import load_scenario
from polarsim.errors import PolarsimInputError
from polarsim.run import run, write_run
from tests.conftest import SCENARIOS


def _short():
    return load_scenario(SCENARIOS / "baseline.yaml", ["time.end_year=2016"])


def test_numpy_seed_and_replicates_give_a_run_that_can_be_written(tmp_path):
    result = run(_short(), seed=np.int64(3), replicates=np.int64(1))
    assert type(result.manifest["seeds"]["root_seed"]) is int
    folder = write_run(result, tmp_path / "out")  # the manifest is JSON
    man = json.loads((folder / "manifest.json").read_text())
    assert man["seeds"]["root_seed"] == 3
    same = run(_short(), seed=3, replicates=1)
    assert result.states.equals(same.states)


@pytest.mark.parametrize("scenario", [5, None, 2.5])
def test_a_scenario_that_is_neither_a_path_nor_a_scenario_is_an_input_error(scenario):
    with pytest.raises(PolarsimInputError, match="scenario: expected a scenario file"):
        run(scenario)


def test_overrides_as_one_string_is_refused_not_read_character_by_character():
    path = SCENARIOS / "baseline.yaml"
    with pytest.raises(PolarsimInputError, match="overrides: expected a list of PATH=VALUE"):
        run(path, overrides="time.end_year=2016")


def test_write_run_names_a_wrong_result_or_folder(tmp_path):
    with pytest.raises(PolarsimInputError, match="result: expected the RunResult"):
        write_run(None, tmp_path / "a")
    result = run(_short(), seed=1, replicates=1)
    with pytest.raises(PolarsimInputError, match="out_dir: expected a folder path"):
        write_run(result, 5)
    assert not (tmp_path / "a").exists()
