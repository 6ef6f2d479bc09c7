"""The EMA Workbench connector with the real ema_workbench: an EMA model from dotted
paths or from an experiment file, run by EMA's SequentialEvaluator and its
MultiprocessingEvaluator, gives the numbers polarsim.run gives for the same points."""

import numpy as np
import pytest

from polarsim import run
from polarsim.errors import PolarsimInputError
from polarsim.experiment.ema import ema_model, identifier
from tests.conftest import ROOT, SCENARIOS

ema = pytest.importorskip("ema_workbench")

BASE = SCENARIOS / "baseline.yaml"


def _short_scenario(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text(f"extends: {BASE}\ntime: {{end_year: 2020}}\n")
    return path


def _expected(scenario, experiments, outcome="autonomy_index_2020", seed=0, reps=1):
    values = []
    for _, row in experiments.iterrows():
        params = {
            "powers.RUS.exclusivity": float(row["powers_RUS_exclusivity"]),
            "parameters.responses.coordination": float(row["parameters_responses_coordination"]),
        }
        states = run(scenario, seed=seed, replicates=reps, params=params).states
        metric, year = outcome.rsplit("_", 1)
        values.append(states.loc[states["year"] == int(year), metric].mean())
    return np.array(values)


def test_sequential_evaluator_on_dotted_paths(tmp_path):
    scenario = _short_scenario(tmp_path)
    model = ema_model(
        scenario,
        uncertainties={"powers.RUS.exclusivity": (0.0, 1.0)},
        levers={"parameters.responses.coordination": (0.0, 1.0)},
        outcomes=["autonomy_index", "vulnerability"],
        years=[2020],
    )
    assert [o.name for o in model.outcomes] == ["autonomy_index_2020", "vulnerability_2020"]
    with ema.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = ema.perform_experiments(
            model, scenarios=3, policies=1, evaluator=evaluator
        )
    assert len(outcomes["autonomy_index_2020"]) == 3
    expected = _expected(scenario, experiments)
    np.testing.assert_allclose(outcomes["autonomy_index_2020"], expected, rtol=0, atol=1e-14)


def test_multiprocessing_evaluator_gives_the_same_numbers(tmp_path):
    scenario = _short_scenario(tmp_path)
    model = ema_model(
        scenario,
        uncertainties={
            "powers.RUS.exclusivity": (0.0, 1.0),
            "parameters.responses.coordination": (0.0, 1.0),
        },
        years=[2020],
    )
    with ema.MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = ema.perform_experiments(model, scenarios=4, evaluator=evaluator)
    expected = _expected(scenario, experiments)
    np.testing.assert_allclose(outcomes["autonomy_index_2020"], expected, rtol=0, atol=1e-14)


def test_model_from_an_experiment_file():
    model = ema_model(ROOT / "experiments" / "sobol_autonomy.yaml")
    names = [u.name for u in model.uncertainties]
    assert "parameters_contest_decisiveness" in names and len(names) == 10
    assert [o.name for o in model.outcomes] == ["autonomy_index_2040"]
    linked = ema_model(ROOT / "experiments" / "exclusivity_vs_competition.yaml")
    excl = next(u for u in linked.uncertainties if u.name == "exclusivity")
    assert excl.variable_name == [
        f"powers.{p}.exclusivity" for p in ("CHN", "RUS", "USA", "EU", "TUR")
    ]


def test_bad_specs_are_refused():
    with pytest.raises(PolarsimInputError, match="nothing varies"):
        ema_model(BASE)
    with pytest.raises(PolarsimInputError, match="expected .low, high."):
        ema_model(BASE, uncertainties={"powers.RUS.exclusivity": 0.5})
    assert identifier("relations.CHN-RUS") == "relations_CHN_RUS"


def test_an_edited_scenario_is_read_again(tmp_path):
    """The base kept per process is read again when its file changed: a notebook that
    edits the scenario between two models gets the edit, not the first read."""
    scenario = _short_scenario(tmp_path)
    U = {"powers.RUS.exclusivity": (0.0, 1.0)}
    first = ema_model(scenario, uncertainties=U, years=[2020])
    value = first.function(**{"powers.RUS.exclusivity": 0.5})["autonomy_index_2020"]
    assert np.isfinite(value)
    scenario.write_text(f"extends: {BASE}\ntime: {{end_year: 2018}}\n")
    with pytest.raises(PolarsimInputError, match=r"years: \[2020\] not simulated.*2015-2018"):
        ema_model(scenario, uncertainties=U, years=[2020])
    with pytest.raises(PolarsimInputError, match="2015-2018"):
        first.function(**{"powers.RUS.exclusivity": 0.5})  # the model made before as well
    again = ema_model(scenario, uncertainties=U, years=[2018])
    assert again.function(**{"powers.RUS.exclusivity": 0.5})["autonomy_index_2018"] != value


@pytest.mark.parametrize(
    ("given", "field", "match"),
    [
        (
            {"outcomes": ["nope"]},
            "outcomes",
            "the states table of short.yaml has no column 'nope'; numeric metrics: autonomy",
        ),
        (
            {"outcomes": ["autonomy_index", "autonomy_indx"]},
            "outcomes",
            r"has no column 'autonomy_indx' \(did you mean 'autonomy_index'\?\)",
        ),
        ({"outcomes": "autonomy_index"}, "outcomes", "expected a list"),
        (
            {"outcomes": ["trade_top_partner"]},
            "outcomes",
            r"'trade_top_partner' is not a numeric metric \(it holds text\); numeric metrics",
        ),
        ({"outcomes": ["state"]}, "outcomes", r"'state' is not a numeric metric \(it names the"),
        ({"years": 2030}, "years", "expected a list of whole years"),
        ({"years": []}, "years", "non-empty"),
        ({"years": [2030]}, "years", "not simulated"),
        ({"replicates": 0}, "replicates", "at least 1"),
        (
            {"uncertainties": {"powers.RUS.exclusivty": (0.0, 1.0)}},
            "uncertainties['powers.RUS.exclusivty']",
            "unknown key 'exclusivty'",
        ),
        (
            {"levers": {"powers.RUS.exclusivity": (0.0, 2.0)}},
            "levers['powers.RUS.exclusivity']",
            "at 2.0 .*out of range",
        ),
    ],
)
def test_arguments_are_checked_at_construction(tmp_path, given, field, match):
    scenario = _short_scenario(tmp_path)
    kw = {"uncertainties": {"powers.RUS.exclusivity": (0.0, 1.0)}, "years": [2020], **given}
    with pytest.raises(PolarsimInputError, match=match) as caught:
        ema_model(scenario, **kw)
    assert caught.value.field == field
