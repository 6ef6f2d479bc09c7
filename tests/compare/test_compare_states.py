"""Comparing scenarios whose states differ: the table covers the states they share."""

import pytest

from polarsim.compare import compare, markdown_table, write_comparison
from polarsim.errors import PolarsimInputError, PolarsimNote
from polarsim.scenario import build_scenario

CORE = {"KAZ": {}, "UZB": {}, "KGZ": {}, "TJK": {}, "TKM": {}}
AFG = {  # illustrative values for the test, not data
    "name": "Afghanistan",
    "doctrine": "dependent",
    "endowments": {"hydrocarbons": 0.1, "minerals": 0.5, "hydro": 0.3},
    "gdp": {"usd_bn": {2005: 6.28, 2010: 15.94, 2015: 19.22}},
    "initial_trade_usd_m": 4000,
    "initial_trade_shares": {"USA": 0.10},
}


def _s(name, states):
    return build_scenario(
        {"name": name, "time": {"start_year": 2005, "end_year": 2008}, "states": states}
    )


def test_a_state_one_scenario_adds_is_left_out_and_named(tmp_path):
    with pytest.warns(PolarsimNote, match=r"left out: AFG \(in with-afg\)"):
        c = compare([_s("core", CORE), _s("with-afg", {**CORE, "AFG": AFG})], replicates=2)
    assert set(c.table["state"]) == set(CORE)
    assert "AFG" in set(c.states["state"])  # every run's rows are kept
    assert c.left_out == {"with-afg": ["AFG"]}
    assert c.manifest["states_left_out"] == {"with-afg": ["AFG"]}
    assert c.manifest["states"] == list(CORE)
    text = markdown_table(c.table, c.metric, c.left_out)
    assert "AFG (in with-afg)" in text and "| AFG |" not in text
    out = write_comparison(c, tmp_path / "out")
    assert "AFG (in with-afg)" in (out / "comparison.md").read_text()


def test_the_reference_adding_a_state_is_left_out_too():
    with pytest.warns(PolarsimNote, match=r"AFG \(in with-afg\)"):
        c = compare([_s("with-afg", {**CORE, "AFG": AFG}), _s("core", CORE)], replicates=2)
    assert set(c.table["state"]) == set(CORE)
    assert c.table["diff"].notna().all()


def test_scenarios_sharing_no_state_are_refused_before_running():
    with pytest.raises(PolarsimInputError, match="scenarios: the scenarios share no state"):
        compare([_s("a", {"KAZ": {}}), _s("b", {"UZB": {}})], replicates=2)


def test_markdown_table_marks_a_missing_cell_and_a_missing_difference():
    import pandas as pd

    table = pd.DataFrame(
        {
            "scenario": ["a", "b", "b"],
            "state": ["KAZ", "KAZ", "AFG"],
            "year": [2030] * 3,
            "mean": [0.5, 0.6, 0.4],
            "lower": [0.4, 0.5, 0.3],
            "upper": [0.6, 0.7, 0.5],
            "n": [3, 3, 3],
            "diff": [0.0, 0.1, float("nan")],
            "diff_lower": [0.0, 0.05, float("nan")],
            "diff_upper": [0.0, 0.15, float("nan")],
        }
    )
    text = markdown_table(table, "autonomy_index")
    assert "| AFG | 2030 | – | 0.400 [0.300, 0.500] |" in text


def test_vary_counts_only_the_shared_states_in_the_region():
    from polarsim.assumptions import vary

    with pytest.warns(PolarsimNote, match=r"AFG \(in with-afg\)"):
        r = vary(
            [_s("core", CORE), _s("with-afg", {**CORE, "AFG": AFG})],
            assumptions=["substitution_low"],
            replicates=2,
        )
    for t in (r.effects, r.changes):
        assert "AFG" not in set(t["state"])
    shipped = r.effects[r.effects["assumption"] == "shipped"].set_index("state")["mean"]
    assert shipped["region"] == pytest.approx(shipped.drop("region").mean())


def test_ablate_counts_only_the_shared_states_in_the_region():
    from polarsim.ablation import ablate

    with pytest.warns(PolarsimNote, match=r"AFG \(in with-afg\)"):
        a = ablate(
            [_s("core", CORE), _s("with-afg", {**CORE, "AFG": AFG})],
            mechanisms=["coercion"],
            replicates=2,
        )
    assert "AFG" not in set(a.effects["state"])
    full = a.effects[a.effects["mechanism"] == "none"].set_index("state")["mean"]
    assert full["region"] == pytest.approx(full.drop("region").mean())


def test_ablate_refuses_a_misspelt_metric_before_any_run(monkeypatch):
    import polarsim.ablation as ab

    def no_run(*args, **kwargs):
        raise AssertionError("a run started")

    monkeypatch.setattr(ab, "run", no_run)
    with pytest.raises(PolarsimInputError, match="nope"):
        ab.ablate([_s("a", CORE), _s("b", CORE)], replicates=2, metric="nope")
