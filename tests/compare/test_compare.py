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
