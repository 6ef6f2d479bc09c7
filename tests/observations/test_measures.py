"""Hindcast error measures and naive forecasts against values computed by hand on a
small table (issue 5)."""

import numpy as np
import pandas as pd
import pytest

from polarsim.validation import (
    compare_shares,
    coverage,
    error_table,
    mae,
    naive_forecasts,
    simulated_bands,
    simulated_shares,
)
from polarsim.validation.hindcast import default_window


def obs(rows):
    return pd.DataFrame(rows, columns=["state", "partner", "year", "share_pct"]).assign(file="hand")


# history before the window 2003-2004:
#   KAZ-CHN 10, 12, 14 (2000-2002): persistence 14, trend +2/yr -> 16 (2003), 18 (2004)
#   KAZ-RUS 30, 20 (2001-2002):     persistence 20, trend -10/yr -> 10, 0
OBSERVED = obs(
    [
        ("KAZ", "CHN", 2000, 10.0),
        ("KAZ", "CHN", 2001, 12.0),
        ("KAZ", "CHN", 2002, 14.0),
        ("KAZ", "CHN", 2003, 15.0),
        ("KAZ", "CHN", 2004, 20.0),
        ("KAZ", "CHN", 2005, 22.0),  # not simulated -> skipped
        ("KAZ", "RUS", 2001, 30.0),
        ("KAZ", "RUS", 2002, 20.0),
        ("KAZ", "RUS", 2003, 12.0),
        ("KAZ", "RUS", 2004, 3.0),
        ("KAZ", "UK", 2003, 5.0),  # not a power -> skipped
        ("KGZ", "CHN", 2003, 7.0),  # no history -> skipped
        ("TJK", "CHN", 2003, 7.0),  # not a state of the scenario -> skipped
    ]
)
# simulated mean, 90 % band
BANDS = pd.DataFrame(
    [
        ("KAZ", "CHN", 2003, 16.0, 14.0, 17.0),  # covers 15
        ("KAZ", "CHN", 2004, 17.0, 16.0, 19.0),  # misses 20
        ("KAZ", "RUS", 2003, 15.0, 10.0, 20.0),  # covers 12
        ("KAZ", "RUS", 2004, 10.0, 8.0, 12.0),  # misses 3
        ("KGZ", "CHN", 2003, 7.0, 6.0, 8.0),
        ("KGZ", "CHN", 2004, 7.0, 6.0, 8.0),
    ],
    columns=["state", "partner", "year", "sim_mean", "sim_lower", "sim_upper"],
)


def test_mae_and_coverage_by_hand():
    assert mae([16, 17], [15, 20]) == pytest.approx(2.0)
    assert coverage([15, 20, 12, 3], [14, 16, 10, 8], [17, 19, 20, 12]) == 0.5
    assert coverage([1.0], [1.0], [1.0]) == 1.0  # bounds included
    assert np.isnan(mae([], []))


def test_naive_forecasts_by_hand():
    targets = OBSERVED[OBSERVED["year"] >= 2003][["state", "partner", "year"]]
    fc = naive_forecasts(OBSERVED, targets, 2003).set_index(["state", "partner", "year"])
    assert fc.loc[("KAZ", "CHN", 2003), "persistence"] == 14.0
    assert fc.loc[("KAZ", "CHN", 2004), "trend"] == pytest.approx(18.0)
    assert fc.loc[("KAZ", "CHN", 2005), "trend"] == pytest.approx(20.0)
    assert fc.loc[("KAZ", "RUS", 2004), "persistence"] == 20.0
    assert fc.loc[("KAZ", "RUS", 2003), "trend"] == pytest.approx(10.0)
    assert fc.loc[("KAZ", "RUS", 2004), "trend"] == pytest.approx(0.0, abs=1e-9)
    assert np.isnan(fc.loc[("KGZ", "CHN", 2003), "persistence"])


def test_trend_is_kept_within_0_and_100():
    hist = obs([("KAZ", "RUS", 2001, 30.0), ("KAZ", "RUS", 2002, 20.0)])
    targets = pd.DataFrame({"state": ["KAZ"], "partner": ["RUS"], "year": [2006]})
    assert naive_forecasts(hist, targets, 2003)["trend"].iloc[0] == 0.0  # not -20
    assert naive_forecasts(hist, targets, 2003, bounds=None)["trend"].iloc[0] == pytest.approx(
        -20.0
    )


def test_error_table_by_hand():
    points, skipped = compare_shares(
        BANDS, OBSERVED, (2003, 2005), powers=["CHN", "RUS"], states=["KAZ", "KGZ"]
    )
    assert len(points) == 4
    t = error_table(points).set_index(["level", "state", "partner"])
    overall = t.loc[("overall", "all", "all")]
    # model |16-15|, |17-20|, |15-12|, |10-3|; persistence 1, 6, 8, 17; trend 1, 2, 2, 3
    assert overall["n"] == 4
    assert overall["mae_model_pp"] == pytest.approx(3.5)
    assert overall["mae_persistence_pp"] == pytest.approx(8.0)
    assert overall["mae_trend_pp"] == pytest.approx(2.0)
    assert overall["coverage_90"] == pytest.approx(0.5)
    # widths 3, 3, 10, 4; 20 is 1 above [16, 19] and 3 is 5 below [8, 12], each miss
    # charged 2 / 0.1 times its distance: (20 + 20 + 100) / 4
    assert overall["interval_score_90"] == pytest.approx(35.0)
    assert overall["interval_score_90_replicates"] == pytest.approx(35.0)
    # at 80 % a miss costs 2 / 0.2 per point: (20 + 10 + 50) / 4
    at80 = error_table(points, 0.8).set_index(["level", "state", "partner"])
    assert at80.loc[("overall", "all", "all"), "interval_score_90"] == pytest.approx(20.0)
    chn = t.loc[("partner", "all", "CHN")]
    assert (chn["mae_model_pp"], chn["mae_persistence_pp"], chn["mae_trend_pp"]) == (
        pytest.approx(2.0),
        pytest.approx(3.5),
        pytest.approx(1.5),
    )
    rus = t.loc[("state_partner", "KAZ", "RUS")]
    assert rus["mae_model_pp"] == pytest.approx(5.0)
    assert rus["mae_persistence_pp"] == pytest.approx(12.5)
    assert rus["mae_trend_pp"] == pytest.approx(2.5)
    assert t.loc[("state", "KAZ", "all"), "n"] == 4


def test_skipped_observations_are_reported_with_reasons():
    _, skipped = compare_shares(
        BANDS, OBSERVED, (2003, 2005), powers=["CHN", "RUS"], states=["KAZ", "KGZ"]
    )
    reasons = {(r.reason.split(" ")[0], r.state, r.partner): r.n for r in skipped.itertuples()}
    assert reasons == {
        ("partner", "KAZ", "UK"): 1,
        ("year", "KAZ", "CHN"): 1,
        ("no", "KGZ", "CHN"): 1,
        ("state", "TJK", "CHN"): 1,
    }
    assert any("2003-2004" in r for r in skipped["reason"])  # names the simulated years
    # a scenario's start year is its data: not compared
    points, skipped = compare_shares(
        BANDS, OBSERVED, (2003, 2005), ["CHN", "RUS"], ["KAZ", "KGZ"], start_year=2003
    )
    assert 2003 not in set(points["year"])
    assert skipped["reason"].str.startswith("the scenario's start year").any()


def test_simulated_band_is_the_central_90_percent_of_replicates():
    states = pd.DataFrame(
        {
            "replicate": [0, 1, 2],
            "year": [2003] * 3,
            "state": ["KAZ"] * 3,
            "trade_share_CHN": [0.10, 0.20, 0.30],
        }
    )
    b = simulated_bands(simulated_shares(states, ["CHN"]), 0.9).iloc[0]
    assert b["sim_mean"] == pytest.approx(20.0)
    # linear quantiles of 10, 20, 30 at 5 % and 95 %
    assert (b["sim_lower"], b["sim_upper"]) == (pytest.approx(11.0), pytest.approx(29.0))
    assert b["replicates"] == 3


def test_default_window():
    none = obs([])
    assert default_window(none, 2010) == (2008, 2010)
    later = obs([("KAZ", "CHN", 2009, 1.0), ("KAZ", "CHN", 2012, 1.0), ("KAZ", "CHN", 2015, 1)])
    assert default_window(later, 2010) == (2012, 2015)
    older = obs([("KAZ", "CHN", 2004, 1.0), ("KAZ", "CHN", 2006, 1.0)])
    assert default_window(older, 2010) == (2004, 2006)


def test_predictive_band_spreads_replicates_by_the_forecast_error():
    # one replicate at 10 % four years after the start; sd 0.5 per sqrt(year) -> 1.0 in logs
    sim = pd.DataFrame(
        {"state": "KAZ", "partner": "CHN", "year": [2010, 2014], "replicate": 0,
         "share_pct": [10.0, 10.0]}
    )  # fmt: skip
    b = simulated_bands(sim, 0.9, start_year=2010, error_sd_log=0.5).set_index("year")
    assert b.loc[2010, "sim_lower"] == b.loc[2010, "sim_upper"] == 10.0  # the start: no error
    assert (b.loc[2014, "rep_lower"], b.loc[2014, "rep_upper"]) == (10.0, 10.0)
    # 5 % and 95 % of 10 * exp(N(0, 1)): 10 * exp(-+1.645), on 200 quantile points
    assert b.loc[2014, "sim_lower"] == pytest.approx(10 * np.exp(-1.645), rel=0.03)
    assert b.loc[2014, "sim_upper"] == pytest.approx(10 * np.exp(1.645), rel=0.03)
    no_error = simulated_bands(sim, 0.9)
    assert (no_error["sim_lower"] == no_error["rep_lower"]).all()


def test_a_series_with_one_year_before_the_window_is_skipped_for_that_reason():
    """Persistence needs one earlier year, the trend two: a series with one earlier
    year is skipped (the baselines are scored on the same rows) and the reason says it
    had one, not none."""
    one = pd.concat([OBSERVED, obs([("KGZ", "CHN", 2002, 6.0)])], ignore_index=True)
    points, skipped = compare_shares(
        BANDS, one, (2003, 2005), powers=["CHN", "RUS"], states=["KAZ", "KGZ"]
    )
    kgz = skipped[(skipped["state"] == "KGZ") & (skipped["partner"] == "CHN")]
    assert kgz["reason"].tolist() == [
        "one observation of the series before 2003 (no trend forecast)"
    ]
    assert "KGZ" not in set(points["state"])


def test_error_table_has_a_row_per_year():
    points = pd.DataFrame(
        {
            "state": ["KAZ", "KAZ", "UZB", "UZB"],
            "partner": ["CHN"] * 4,
            "year": [2011, 2012, 2011, 2012],
            "observed": [10.0, 12.0, 20.0, 20.0],
            "sim_mean": [11.0, 15.0, 20.0, 24.0],
            "sim_lower": [9.0] * 4,
            "sim_upper": [13.0] * 4,
            "rep_lower": [10.0] * 4,
            "rep_upper": [12.0] * 4,
            "persistence": [10.0] * 4,
            "trend": [10.0] * 4,
        }
    )
    t = error_table(points)
    years = t[t["level"] == "year"].set_index("year")
    assert list(years.index) == [2011, 2012]
    assert years.loc[2011, "mae_model_pp"] == pytest.approx(0.5)
    assert years.loc[2012, "mae_model_pp"] == pytest.approx(3.5)
    assert t.loc[t["level"] != "year", "year"].isna().all()
