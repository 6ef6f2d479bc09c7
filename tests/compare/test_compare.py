"""Comparing scenarios with common random numbers."""

import numpy as np
import pandas as pd
import pytest

from polarsim.compare import compare, comparison_table, markdown_table, write_comparison
from polarsim.errors import PolarsimInputError
from polarsim.plots.folder_figures import comparison_figures
from polarsim.scenario import build_scenario


def _s(name, **extra):
    return build_scenario({"name": name, "time": {"start_year": 2005, "end_year": 2020}, **extra})


def test_identical_scenarios_differ_by_exactly_zero():
    c = compare([_s("a"), _s("a")], seed=2, replicates=3, years=[2015, 2020])
    second = c.table[c.table["scenario"] == "a-2"]
    assert (second["diff"] == 0).all() and (second["diff_upper"] == 0).all()
    assert set(c.table["year"]) == {2015, 2020}
    assert (c.table["n"] == 3).all()


def test_paired_difference_matches_hand_computation():
    states = pd.DataFrame(
        {
            "scenario": ["a"] * 3 + ["b"] * 3,
            "replicate": [0, 1, 2] * 2,
            "year": [2030] * 6,
            "state": ["KAZ"] * 6,
            "autonomy_index": [0.5, 0.6, 0.7, 0.6, 0.8, 0.75],
        }
    )
    t = comparison_table(states, ["a", "b"], [2030], "autonomy_index")
    b = t[t["scenario"] == "b"].iloc[0]
    diffs = np.array([0.1, 0.2, 0.05])
    assert b["diff"] == pytest.approx(diffs.mean())
    half = 4.302652729911275 * diffs.std(ddof=1) / np.sqrt(3)  # t(0.975, 2)
    assert b["diff_upper"] - b["diff"] == pytest.approx(half)
    assert "Δ" in markdown_table(t, "autonomy_index")


def test_difference_is_the_difference_of_paired_replicates():
    low = _s("low")
    high = _s(
        "high", powers={"RUS": {"exclusivity": 1.0}, "CHN": {}, "USA": {}, "EU": {}, "TUR": {}}
    )
    c = compare([low, high], seed=1, replicates=4, years=[2020])
    s = c.states[c.states["year"] == 2020].pivot_table(
        index=["replicate", "state"], columns="scenario", values="autonomy_index"
    )
    expected = (s["high"] - s["low"]).groupby("state").mean()
    got = c.table[c.table["scenario"] == "high"].set_index("state")["diff"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_year_outside_a_scenario_is_an_error():
    with pytest.raises(PolarsimInputError, match="not simulated"):
        compare([_s("a"), _s("b")], replicates=1, years=[2040])


def test_written_folder(tmp_path):
    c = compare([_s("a"), _s("b", parameters={"coercion": {"rate": 9.0}})], replicates=2)
    out = write_comparison(c, tmp_path / "cmp", figures=comparison_figures)
    for name in (
        "comparison.csv",
        "comparison.md",
        "states.parquet",
        "manifest.json",
        "figures/compare.png",
        "figures/compare.pdf",
        "scenario.a.resolved.yaml",
    ):
        assert (out / name).is_file(), name


@pytest.mark.parametrize(
    ("metric", "why"),
    [
        ("trade_top_partner", "holds partner codes"),
        ("state", "names the rows"),
        ("year", "names the rows"),
        ("replicate", "names the rows"),
    ],
)
def test_a_metric_that_is_not_numeric_is_refused_before_any_run(metric, why, monkeypatch):
    def no_run(*args, **kwargs):
        raise AssertionError("a scenario ran")

    monkeypatch.setattr("polarsim.compare.run", no_run)
    with pytest.raises(PolarsimInputError, match=why) as exc:
        compare([_s("a"), _s("b")], replicates=1, metric=metric)
    assert str(exc.value).startswith(f"--metric: {metric!r} is not a numeric metric")
    assert "autonomy_index" in str(exc.value)


def test_an_unknown_metric_is_refused_with_the_metrics_there_are():
    with pytest.raises(PolarsimInputError) as exc:
        compare([_s("a"), _s("b")], replicates=1, metric="nope")
    message = str(exc.value)
    assert message.startswith("--metric: the results have no column 'nope'; numeric metrics: ")
    assert "autonomy_index" in message and "_partner" not in message


def test_a_misspelt_metric_is_refused_with_the_closest_one_before_any_run(monkeypatch):
    def no_run(*args, **kwargs):
        raise AssertionError("a scenario ran")

    monkeypatch.setattr("polarsim.compare.run", no_run)
    with pytest.raises(PolarsimInputError) as exc:
        compare([_s("a"), _s("b")], replicates=1, metric="autonomy_indx")
    assert str(exc.value).startswith(
        "--metric: the results have no column 'autonomy_indx' "
        "(did you mean 'autonomy_index'?); numeric metrics: autonomy_index"
    )


@pytest.mark.parametrize("metric", ["trade_top_partner", "state", "year", "replicate"])
def test_compare_command_refuses_a_text_or_key_metric_with_exit_2(metric, tmp_path, capsys):
    from polarsim.cli import main

    argv = ["compare", "historical", "historical_2010", "--metric", metric,
            "--replicates", "2", "--out", str(tmp_path / "c"), "--no-figures"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"polarsim: error: --metric: {metric!r} is not a numeric metric")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_the_manifest_holds_versions_commit_time_and_scenario_paths(tmp_path):
    import json

    from polarsim.provenance import git_commit, versions
    from polarsim.run import run

    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("name: a\ntime: {start_year: 2005, end_year: 2010}\n")
    b.write_text("name: b\ntime: {start_year: 2005, end_year: 2010}\n")
    c = compare([a, _s("b")], seed=4, replicates=2)
    out = write_comparison(c, tmp_path / "cmp")
    made = json.loads((out / "manifest.json").read_text())
    single = run(a, seed=4, replicates=2).manifest
    # the keys of a run's manifest where they mean the same
    for key in ("created_utc", "versions", "git_commit", "seeds"):
        assert key in made, key
    assert made["versions"] == versions() and made["versions"]["polarsim"]
    assert made["git_commit"] == git_commit()
    assert made["seeds"] == single["seeds"]
    assert made["created_utc"].endswith("+00:00")
    assert [s["path"] for s in made["scenarios"]] == [str(a), None]  # b was no file
    assert made["scenarios"][0]["sha256"] == single["scenario"]["sha256"]


def test_one_scenario_path_is_refused_not_read_character_by_character():
    with pytest.raises(PolarsimInputError, match="scenarios: expected a list of scenario"):
        compare("scenarios/baseline.yaml", replicates=1)


@pytest.mark.parametrize(
    ("years", "message"),
    [
        (2015, "expected a list of years"),
        ([], "expected at least one year"),
        (["2015"], "expected whole-number years"),
    ],
)
def test_years_not_a_list_of_whole_numbers_are_refused(years, message):
    with pytest.raises(PolarsimInputError, match=f"--years: {message}"):
        compare([_s("a"), _s("b")], replicates=1, years=years)


def test_numpy_seed_and_years_give_a_comparison_that_can_be_written(tmp_path):
    c = compare([_s("a"), _s("b")], seed=np.int64(2), replicates=1, years=[np.int64(2015)])
    write_comparison(c, tmp_path / "out")  # the manifest is JSON
    assert c.manifest["years"] == [2015] and type(c.manifest["seed"]) is int


def test_years_as_an_array_or_a_series_are_taken():
    # `if years` on an array of two years or a Series raised pandas' and NumPy's
    # "truth value is ambiguous"
    for years in (np.array([2010, 2015]), pd.Series([2010, 2015]), range(2010, 2016, 5)):
        c = compare([_s("a"), _s("b")], replicates=1, years=years)
        assert c.manifest["years"] == [2010, 2015]


def test_a_cell_without_a_value_shows_a_dash_and_does_not_count_as_one_replicate():
    # remittances of a state without an observation up to the start year are NaN
    states = pd.DataFrame(
        {
            "scenario": ["a"] * 6 + ["b"] * 6,
            "replicate": [0, 1, 2] * 4,
            "year": [2010] * 12,
            "state": (["KAZ"] * 3 + ["UZB"] * 3) * 2,
            "remittances_pct_gdp": [1.0, 1.1, 1.2, *[np.nan] * 3, 2.0, 2.1, 2.3, 3.0, 3.1, 3.2],
        }
    )
    t = comparison_table(states, ["a", "b"], [2010], "remittances_pct_gdp")
    md = markdown_table(t, "remittances_pct_gdp")
    assert "n = 3 replicates" in md and "n = 1 replicate" not in md
    assert "nan" not in md
    assert "| UZB | 2010 | – | 3.100 [" in md
    from polarsim.plots.differences import plot_compare

    fig = plot_compare(t, "remittances_pct_gdp")
    assert fig.legends[0].get_title().get_text().startswith("mean of n = 3 replicates")
