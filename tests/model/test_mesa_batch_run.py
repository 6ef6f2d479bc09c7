"""The model runs under Mesa's own batch_run, with a scenario path as a parameter and
explicit rng seeds."""

import mesa

from polarsim import CompetitionModel
from tests.conftest import SCENARIOS


def test_mesa_batch_run_with_scenario_path_and_seeds():
    results = mesa.batch_run(
        CompetitionModel,
        parameters={"scenario": str(SCENARIOS / "historical.yaml"), "collect": True},
        rng=[1, 2, 1],
        max_steps=100,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(results) == 3
    assert all(r["year"] == 2024 for r in results)
    assert all(0 <= r["mean_autonomy"] <= 1 for r in results)
    assert results[0]["mean_autonomy"] == results[2]["mean_autonomy"]  # same seed
    assert results[0]["mean_autonomy"] != results[1]["mean_autonomy"]
