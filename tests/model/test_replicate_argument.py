"""CompetitionModel's and replicate_rng's replicate: a non-negative whole number, and
with CompetitionModel one that chooses a stream needs seed (1.7 or True used to run
replicate 1 and record 1.7, -1 raised NumPy's ValueError, replicate=3 without seed was
ignored)."""

import numpy as np
import pytest

from polarsim import CompetitionModel, load_scenario, run
from polarsim.errors import PolarsimInputError
from polarsim.model.seeds import replicate_rng
from tests.conftest import SCENARIOS

BASE = SCENARIOS / "baseline.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(BASE, ["time.end_year=2017"])


@pytest.mark.parametrize("replicate", [1.7, 1.0, True, -1, "1", None])
def test_a_replicate_that_is_not_a_non_negative_whole_number_is_refused(scenario, replicate):
    with pytest.raises(PolarsimInputError, match=r"^replicate: expected a non-negative whole"):
        CompetitionModel(scenario, seed=1, replicate=replicate)


@pytest.mark.parametrize("replicate", [-1, 1.5, False])
def test_replicate_rng_refuses_the_same(replicate):
    with pytest.raises(PolarsimInputError, match=r"^replicate: expected a non-negative whole"):
        replicate_rng(1, replicate)


def test_a_replicate_without_seed_is_refused(scenario):
    with pytest.raises(PolarsimInputError, match=r"^replicate: replicate 3 .*give seed too"):
        CompetitionModel(scenario, replicate=3)
    CompetitionModel(scenario, replicate=0)  # the default: no stream chosen


def test_a_numpy_replicate_is_a_plain_int_and_reproduces_the_run(scenario):
    model = CompetitionModel(scenario, seed=4, replicate=np.int64(1))
    assert model.replicate == 1 and type(model.replicate) is int
    while model.running:
        model.step()
    mine = model.recorder.tables(model.events)["states"]
    ran = run(scenario, seed=4, replicates=2).states
    ran = ran[ran["replicate"] == 1].reset_index(drop=True)
    assert mine["autonomy_index"].to_numpy().tobytes() == ran["autonomy_index"].to_numpy().tobytes()


def test_a_replicate_with_rng_labels_the_rows(scenario):
    model = CompetitionModel(scenario, rng=np.random.default_rng(0), replicate=2)
    assert model.replicate == 2
