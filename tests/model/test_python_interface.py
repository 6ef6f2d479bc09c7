"""The typed Python interface: params as numbers (numpy numbers too) on run() and on
CompetitionModel, the model built with seed= reproducing run(seed=), model.tables(),
agents exposing their state to Mesa reporters, and mesa.batch_run varying any dotted
parameter."""

import mesa
import numpy as np
import pandas as pd
import pytest

from polarsim import CompetitionModel, load_scenario, run
from polarsim.errors import PolarsimInputError
from polarsim.scenario.overrides import as_override, with_params
from tests.conftest import SCENARIOS

BASE = SCENARIOS / "baseline.yaml"
SHORT = {"time.end_year": 2020}


def _stepped(model: CompetitionModel) -> CompetitionModel:
    while model.running:
        model.step()
    return model


def test_numpy_numbers_are_numbers():
    assert as_override("powers.RUS.exclusivity", np.float64(0.7)) == "powers.RUS.exclusivity=0.7"
    assert as_override("time.end_year", np.int64(2030)) == "time.end_year=2030"
    scenario = with_params(BASE, {"powers.RUS.exclusivity": np.float64(0.7), **SHORT})
    assert scenario.powers["RUS"].exclusivity == 0.7 and scenario.time.end_year == 2020
    # the same on a loaded Scenario object
    again = with_params(load_scenario(BASE), {"powers.RUS.exclusivity": 0.7, **SHORT})
    assert again.powers["RUS"].exclusivity == 0.7 and again.time.end_year == 2020


def test_bad_values_are_refused_naming_the_field():
    with pytest.raises(PolarsimInputError, match="powers.RUS.exclusivity"):
        with_params(BASE, {"powers.RUS.exclusivity": 1.5})
    with pytest.raises(PolarsimInputError, match="expected a number"):
        with_params(BASE, {"powers.RUS.exclusivity": object()})
    with pytest.raises(TypeError, match="dotted paths"):
        CompetitionModel(BASE, exclusivity=0.7)


def test_model_with_seed_reproduces_run_and_its_tables():
    params = {"powers.RUS.exclusivity": 0.8, **SHORT}
    result = run(BASE, seed=42, replicates=3, params=params)
    model = _stepped(CompetitionModel(BASE, params=params, seed=42, replicate=2))
    tables = model.tables()
    expected = result.states[result.states["replicate"] == 2].reset_index(drop=True)
    got = tables["states"].assign(replicate=2)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    # run(params=) on a path equals run(overrides=) with the same values
    by_strings = run(
        BASE, seed=42, replicates=1, overrides=["powers.RUS.exclusivity=0.8", "time.end_year=2020"]
    )
    pd.testing.assert_frame_equal(
        by_strings.states, result.states[result.states["replicate"] == 0], check_exact=True
    )


def test_dotted_keywords_are_params():
    a = _stepped(CompetitionModel(BASE, seed=1, **{"powers.RUS.exclusivity": 0.9}, **SHORT))
    b = _stepped(CompetitionModel(BASE, params={"powers.RUS.exclusivity": 0.9, **SHORT}, seed=1))
    pd.testing.assert_frame_equal(a.tables()["states"], b.tables()["states"], check_exact=True)


def test_agents_expose_their_state():
    model = CompetitionModel(BASE, params=SHORT, seed=3)
    model.step()
    kaz = next(a for a in model.state_agents if a.code == "KAZ")
    states = model.tables()["states"]
    row = states[(states["state"] == "KAZ") & (states["year"] == model.year)].iloc[0]
    assert kaz.autonomy_index == pytest.approx(row["autonomy_index"], abs=0)
    assert kaz.ties["trade"]["CHN"] == pytest.approx(row["trade_share_CHN"], abs=0)
    assert set(kaz.receptivity) == {"infra", "trade", "security"}
    assert kaz.top_partner in model.setup.powers and kaz.debt_usd_bn >= 0
    chn = next(p for p in model.power_agents if p.code == "CHN")
    assert chn.budget_usd_m > 0 and 0 <= chn.exclusivity <= 1
    shares = [p.influence_share for p in model.power_agents]
    assert sum(shares) == pytest.approx(1.0)
    system = model.tables()["system"]
    assert chn.influence_share == pytest.approx(
        system.loc[system["year"] == model.year, "influence_share_CHN"].iloc[0]
    )


def test_batch_run_varies_a_dotted_parameter():
    results = mesa.batch_run(
        CompetitionModel,
        parameters={
            "scenario": str(BASE),
            "powers.RUS.exclusivity": [0.1, 0.9],
            "time.end_year": 2018,
            "collect": True,
        },
        rng=[1, 2],
        max_steps=10,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert set(frame["powers.RUS.exclusivity"]) == {0.1, 0.9}
    assert {"mean_autonomy", "con", "year"} <= set(frame.columns)
    assert frame["year"].max() == 2018
    # seed= as batch_run passes it reproduces polarsim.run
    expected = run(BASE, seed=2, params={"powers.RUS.exclusivity": 0.9, "time.end_year": 2018})
    mean = expected.states.groupby("year")["autonomy_index"].mean()
    row = frame[(frame["powers.RUS.exclusivity"] == 0.9) & (frame["seed"] == 2)]
    last = row.sort_values("Step").iloc[-1]
    assert last["mean_autonomy"] == pytest.approx(mean.loc[2018], abs=1e-15)


def test_agent_reporters_collect_per_type():
    model = _stepped(CompetitionModel(BASE, params=SHORT, seed=4, collect_agents=True))
    states = model.datacollector.get_agenttype_vars_dataframe(type(model.state_agents[0]))
    assert {"autonomy_index", "top_partner", "debt_usd_bn"} <= set(states.columns)
    assert len(states) == len(model.state_agents) * (model.t + 1)


@pytest.mark.parametrize("scenario", ["baseline.yaml", "southern_corridor.yaml"])
def test_collected_metrics_are_the_tables(scenario):
    """The DataCollector's `con` and `mean_autonomy`, read every year, are the system
    table's `con` and the states table's mean autonomy of that year, before and after a
    power enters (southern_corridor: a staged run)."""
    m = CompetitionModel(BASE.parent / scenario, seed=3, collect=True, **{"time.end_year": 2035})
    while m.running:
        m.step()
    collected = m.datacollector.get_model_vars_dataframe()
    system = m.tables()["system"]
    assert list(collected["year"]) == list(system["year"])
    assert collected["con"].tolist() == system["con"].tolist()
    states = m.tables()["states"]
    means = [float(g.to_numpy().mean()) for _, g in states.groupby("year")["autonomy_index"]]
    # the table's index comes from one matrix product over all years, the reporter's
    # from the year's alone: BLAS may round the two in the last bit
    assert collected["mean_autonomy"].tolist() == pytest.approx(means, rel=1e-14)
