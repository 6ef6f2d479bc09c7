"""Scenario loading: catalogue defaults, extends, --set, errors, hash, docs freshness."""

import pytest

from polarsim.errors import PolarsimInputError
from polarsim.scenario import build_scenario, load_scenario, resolved_yaml, scenario_hash
from polarsim.scenario.docs import parameters_markdown
from tests.conftest import ROOT, SCENARIOS


def test_defaults_fill_the_five_and_five():
    s = build_scenario({"name": "x"})
    assert s.power_codes == ["CHN", "RUS", "USA", "EU", "TUR"]
    assert s.state_codes == ["KAZ", "UZB", "KGZ", "TJK", "TKM"]
    assert s.powers["RUS"].doctrine == "security_patron"
    assert s.relations["RUS-USA"] == 0.8


def test_optional_power_from_catalogue():
    s = build_scenario({"name": "x", "powers": {"CHN": {}, "RUS": {}, "IRN": {}}})
    assert s.power_codes == ["CHN", "RUS", "IRN"]
    assert s.powers["IRN"].doctrine == "opportunist"


def test_baseline_extends_historical():
    hist = load_scenario(SCENARIOS / "historical.yaml")
    base = load_scenario(SCENARIOS / "baseline.yaml")
    assert base.time.start_year == hist.time.start_year
    assert base.time.end_year == 2050 and hist.time.end_year == 2024
    assert base.events == hist.events
    assert base.name == "baseline"


def test_set_overrides_exactly_one_value():
    a = load_scenario(SCENARIOS / "historical.yaml")
    b = load_scenario(SCENARIOS / "historical.yaml", ["powers.RUS.exclusivity=0.95"])
    assert b.powers["RUS"].exclusivity == 0.95
    assert a.powers["RUS"].exclusivity != 0.95
    assert b.model_copy(update={"powers": a.powers}) == a
    assert scenario_hash(a) != scenario_hash(b)
    assert "exclusivity: 0.95" in resolved_yaml(b)


def test_hash_is_stable():
    a = load_scenario(SCENARIOS / "historical.yaml")
    b = load_scenario(SCENARIOS / "historical.yaml")
    assert scenario_hash(a) == scenario_hash(b) and len(scenario_hash(a)) == 64


@pytest.mark.parametrize(
    "data, field, text",
    [
        ({"powers": {"XYZ": {}}}, "powers.XYZ", "unknown actor"),
        ({"powers": {"RUS": {"exclusivty": 0.5}}}, "powers.RUS.exclusivty", "unknown key"),
        ({"powers": {"RUS": {"exclusivity": 1.5}}}, "powers.RUS.exclusivity", "less than"),
        ({"time": {"start_year": 2016}}, "time.start_year", "2015"),
        ({"events": [{"type": "coup", "year": 2010}]}, "events[0]", "unknown event type"),
        (
            {"events": [{"type": "unrest", "year": 2010, "state": "AFG", "intensity": 0.3}]},
            "events[0].state",
            "unknown state",
        ),
        (
            {"states": {"KAZ": {"doctrine": "isolationist"}}},
            "states.KAZ.doctrine",
            "unknown doctrine",
        ),
    ],
)
def test_errors_name_the_field(data, field, text):
    with pytest.raises(PolarsimInputError) as err:
        build_scenario({"name": "x", **data}, "f.yaml")
    msg = str(err.value)
    assert msg.startswith("f.yaml") and field in msg and text in msg, msg


def test_extends_cycle_and_missing_parent(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    with pytest.raises(PolarsimInputError, match="extends cycle"):
        load_scenario(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("name: c\nextends: nowhere.yaml\n")
    with pytest.raises(PolarsimInputError, match="parent file not found"):
        load_scenario(tmp_path / "c.yaml")


def test_parameters_doc_is_current():
    committed = (ROOT / "docs" / "parameters.md").read_text()
    assert committed == parameters_markdown(), (
        "docs/parameters.md is out of date: run `polarsim schema --markdown > docs/parameters.md`"
    )


def test_every_parameter_has_unit_and_source():
    from polarsim.scenario.parameters import Parameters

    for group_name, group in Parameters.model_fields.items():
        for name, info in group.annotation.model_fields.items():
            extra = info.json_schema_extra or {}
            assert extra.get("unit"), f"{group_name}.{name} has no unit"
            assert extra.get("source"), f"{group_name}.{name} has no source"
            assert info.description, f"{group_name}.{name} has no description"


@pytest.mark.parametrize("name", ["../../evil", "a/b", ".hidden", "x\\y"])
def test_a_scenario_name_cannot_point_outside_the_output_folder(name):
    with pytest.raises(PolarsimInputError, match="name"):
        build_scenario({"name": name}, "f.yaml")


def test_file_name_with_spaces_gives_a_safe_default_name(tmp_path):
    path = tmp_path / "my scenario (v2).yaml"
    path.write_text("time: {end_year: 2010}\n")
    assert load_scenario(path).name == "my_scenario__v2_"


def test_outputs_figure_metric(tmp_path):
    from polarsim import run, write_run
    from polarsim.plots.folder_figures import run_figures

    s = build_scenario(
        {
            "name": "o",
            "time": {"start_year": 2005, "end_year": 2008},
            "outputs": {"figure_metric": "hedging_index"},
        }
    )
    out = write_run(run(s), tmp_path / "o", figures=run_figures)
    assert (out / "figures" / "autonomy.png").is_file()
    s = build_scenario(
        {"name": "o", "time": {"start_year": 2005, "end_year": 2008}, "outputs": {"figures": False}}
    )
    assert not (write_run(run(s), tmp_path / "p", figures=run_figures) / "figures").exists()


# --- bounded growth and sizes (issue 11) ------------------------------------------


def test_growth_bound_allows_exactly_up_to_the_year_it_names():
    from polarsim.scenario.check import validate_file

    base = SCENARIOS / "baseline.yaml"
    (problem,) = validate_file(base, ["powers.CHN.growth_pct=30", "time.end_year=2100"])
    assert problem.path == "powers.CHN.growth_pct" and "end the run by 2049" in problem.message
    assert validate_file(base, ["powers.CHN.growth_pct=30", "time.end_year=2049"]) == []
    assert validate_file(base, ["powers.CHN.growth_pct=30", "time.end_year=2050"]) != []
    # shrinking and the observed trend are not limited
    assert validate_file(base, ["powers.CHN.growth_pct=-20", "time.end_year=2100"]) == []
    assert validate_file(base, ["time.end_year=2100"]) == []


def test_scenarios_need_powers_and_states():
    for group in ("powers", "states"):
        with pytest.raises(PolarsimInputError, match=f"{group}: wrong size"):
            build_scenario({"name": "x", group: {}})


def test_project_flows_stop_past_their_bound_naming_the_main_partner():
    import numpy as np

    from polarsim.model.flows import MAX_PROJECT_ROWS, ProjectFlows

    assert MAX_PROJECT_ROWS >= 10_000  # far above the baseline's ~250 to 2100
    flows = ProjectFlows(2, 3, partners=["CHN", "RUS"], max_rows=40)
    for i in range(40):
        flows.add(np.ones(2), 0 if i % 4 else 1, 0, i // 10)
    assert len(flows) == 40 and flows.values.shape == (40, 2, 3)
    with pytest.raises(PolarsimInputError) as info:
        flows.add(np.ones(2), 0, 0, 4)
    message = str(info.value)
    assert "more than 40 projects" in message and "75% of them trade with CHN" in message
    assert "parameters.infrastructure.proposal_rate" in message


def test_proposals_past_their_bound_stop_the_run_naming_the_power():
    import numpy as np

    from polarsim.model.flows import MAX_PROPOSALS_PER_YEAR, check_proposals

    counts = np.zeros((5, 2), dtype=int)
    counts[:, 1] = MAX_PROPOSALS_PER_YEAR // 5
    check_proposals(counts, 3, ["CHN", "RUS"])  # at the bound: goes on
    counts[0, 0] = 1
    with pytest.raises(PolarsimInputError) as info:
        check_proposals(counts, 3, ["CHN", "RUS"])
    message = str(info.value)
    assert f"{MAX_PROPOSALS_PER_YEAR + 1:,} projects in year 3" in message
    assert "100% by RUS (check powers.RUS" in message and "proposal_rate" in message


def test_a_shortened_childs_resolved_scenario_runs_again_with_the_same_hash(tmp_path):
    """A parent's events after the child's end year never apply: the resolved copy
    leaves them out (a file that writes them is refused), and the hash does not count
    them, so the copy loads back to the scenario as run."""
    from polarsim.model.structure import scenario_key

    child = tmp_path / "short.yaml"
    child.write_text(f"extends: {SCENARIOS / 'baseline.yaml'}\ntime: {{end_year: 2020}}\n")
    s = load_scenario(child)
    assert any(ev.year > 2020 for ev in s.events)  # the parent's, kept in the scenario
    copy = tmp_path / "copy.yaml"
    copy.write_text(resolved_yaml(s))
    again = load_scenario(copy)
    assert max(ev.year for ev in again.events) <= 2020
    assert scenario_hash(again) == scenario_hash(s) == scenario_key(s) == scenario_key(again)
