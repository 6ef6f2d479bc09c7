"""Summary tables: the numbers, the mean-of-states row, and the three formats."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from polarsim.plots.tables import (
    latex_escape,
    summary_table,
    table_latex,
    table_markdown,
    write_tables,
)
from tests.plots.baselines import runs_states


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return summary_table(runs_states(), ["autonomy_index", "hedging_index"], [2030, 2050])


def test_numbers_are_t_intervals_over_replicates(table):
    s = runs_states()
    vals = s.query("scenario == 'baseline' and state == 'TJK' and year == 2050")
    v = vals["autonomy_index"].to_numpy()
    row = table.query(
        "metric == 'autonomy_index' and scenario == 'baseline' and state == 'TJK' and year == 2050"
    ).iloc[0]
    half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
    assert row["mean"] == pytest.approx(v.mean())
    assert row["upper"] - row["mean"] == pytest.approx(half)
    assert row["n"] == 3


def test_mean_of_states_is_averaged_within_replicates_first(table):
    s = runs_states().query("scenario == 'spheres_of_influence' and year == 2030")
    per_rep = s.groupby("replicate")["hedging_index"].mean()
    row = table.query(
        "metric == 'hedging_index' and scenario == 'spheres_of_influence' "
        "and state == 'all' and year == 2030"
    ).iloc[0]
    assert row["mean"] == pytest.approx(per_rep.mean())
    assert row["n"] == 3


def test_formats(table, tmp_path):
    md = table_markdown(table)
    assert md.count("| Scenario | State | 2030 | 2050 |") == 2  # one table per metric
    assert "| baseline | Mean of states |" in md
    tex = table_latex(table)
    assert tex.count("\\begin{tabular}{llrr}") == 2
    assert tex.count("\\toprule") == 2 and "spheres\\_of\\_influence" in tex
    assert "95 \\% t interval" in tex
    paths = write_tables(table, tmp_path / "sub" / "t")
    assert [p.suffix for p in paths] == [".csv", ".md", ".tex"]
    back = pd.read_csv(paths[0])
    pd.testing.assert_frame_equal(back, table, check_dtype=False, atol=1e-9)


def test_latex_escape():
    assert latex_escape("a_b & 50% #1 {x} ~ ^") == (
        "a\\_b \\& 50\\% \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{}"
    )


def test_bad_input():
    with pytest.raises(ValueError, match="no column"):
        summary_table(runs_states(), ["nope"])
    with pytest.raises(ValueError, match="not in the results"):
        summary_table(runs_states(), years=[1999])


def test_the_metrics_named_first_are_in_every_states_table():
    from polarsim.model.recorder import AUTONOMY_COLUMNS
    from polarsim.summaries import MAIN_METRICS

    assert set(MAIN_METRICS) <= AUTONOMY_COLUMNS


def test_check_metric_refuses_keys_text_parameters_and_missing_columns():
    from polarsim.errors import PolarsimInputError
    from polarsim.summaries import check_metric, numeric_metrics

    states = pd.DataFrame(
        {
            "run_id": [0, 1],
            "replicate": [0, 0],
            "year": [2030, 2030],
            "state": ["KAZ", "KAZ"],
            "trade_top_partner": ["CHN", "RUS"],
            "rivalry": [0.1, 0.9],
            "gdp_usd_bn": [1.0, 2.0],
            "autonomy_index": [0.4, 0.5],
        }
    )
    assert numeric_metrics(states, exclude=["rivalry"]) == ["autonomy_index", "gdp_usd_bn"]
    check_metric("gdp_usd_bn", states)
    cases = {
        "state": "'state' is not a numeric metric (it names the rows)",
        "run_id": "'run_id' is not a numeric metric (it names the rows)",
        "trade_top_partner": "'trade_top_partner' is not a numeric metric (it holds text)",
        "rivalry": "'rivalry' is a swept parameter, not a metric",
        "nope": "the results have no column 'nope'",
    }
    for metric, problem in cases.items():
        with pytest.raises(PolarsimInputError) as exc:
            check_metric(metric, states, field="--metrics", exclude=["rivalry"])
        assert str(exc.value) == (
            f"--metrics: {problem}; numeric metrics: autonomy_index, gdp_usd_bn"
        )
    check_metric("gdp_usd_bn")  # by name alone (before a run): not a key, not codes
    with pytest.raises(PolarsimInputError, match="--metric: 'vulnerability_partner' is not"):
        check_metric("vulnerability_partner")


def test_one_metric_name_as_a_string_is_refused_not_read_as_letters():
    states = pd.DataFrame(
        {
            "replicate": [0, 1],
            "year": [2020, 2020],
            "state": ["KAZ"] * 2,
            "autonomy_index": [0.5, 0.6],
        }
    )
    with pytest.raises(ValueError, match="metrics: expected a list of columns"):
        summary_table(states, metrics="autonomy_index")


def test_a_state_without_a_value_leaves_the_mean_of_states_empty_and_shows_a_dash():
    # remittances of a state without an observation up to the start year are NaN
    # (model.setup.initial_remittances): the mean of the others is not the mean of the
    # states, and the caption counts the replicates of the cells with a value
    s = pd.DataFrame(
        {
            "replicate": [0, 1, 2] * 2,
            "year": [2010] * 6,
            "state": ["KAZ"] * 3 + ["UZB"] * 3,
            "remittances_pct_gdp": [1.0, 1.1, 1.2, *[float("nan")] * 3],
        }
    )
    t = summary_table(s, ["remittances_pct_gdp"], [2010])
    assert math.isnan(t.query("state == 'all'")["mean"].iloc[0])
    md = table_markdown(t)
    assert "n = 3 replicates" in md and "nan" not in md
    assert "| Uzbekistan | – |" in md and "| Mean of states | – |" in md
    assert "nan" not in table_latex(t)
