"""The forecast as of 2015: its rows are the ones `skill` scores once later data exist,
and the repository's published forecast is what the code makes."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from polarsim.validation import forecast as fc
from polarsim.validation import skill as sk
from tests.conftest import SCENARIOS
from tests.validation.test_skill import _later_files

ROOT = Path(__file__).resolve().parents[2]
KEY = ["series", "state", "partner", "year"]
VALUES = ["horizon", "model", "model_lower", "model_upper", "persistence", "persistence_year",
          "trend", "ets", "naive_lower", "naive_upper"]  # fmt: skip
#: The ETS baseline is statsmodels' numerical fit, whose optimum moves in the fifth digit
#: between releases (statsmodels 0.14 to 0.15 with SciPy 1.18: up to 2.6e-4 pp on 82 of
#: the 495 rows); the model's own columns stay to 1e-7. In pp, as the file's values.
ETS_ATOL = 1e-3


def test_future_rows_cover_every_pair_and_year_without_an_observation():
    history = pd.DataFrame(
        {
            "series": ["trade_shares"] * 3 + ["remittances"],
            "state": ["KAZ", "KAZ", "UZB", "UZB"],
            "partner": ["CHN", "CHN", "RUS", "total"],
            "year": [2014, 2015, 2013, 2016],  # the 2016 row is after the origin: not a pair
            "observed": [1.0, 2.0, 3.0, 4.0],
            "column": ["trade_share_CHN", "trade_share_CHN", "trade_share_RUS", "r"],
            "factor": [100.0, 100.0, 100.0, 1.0],
        }
    )
    rows = fc.future_rows(history, 2015, 2017)
    assert sorted(zip(rows["state"], rows["partner"], rows["year"], strict=True)) == [
        ("KAZ", "CHN", 2016), ("KAZ", "CHN", 2017), ("UZB", "RUS", 2016), ("UZB", "RUS", 2017),
    ]  # fmt: skip
    assert rows["observed"].isna().all()
    assert set(rows["column"]) == {"trade_share_CHN", "trade_share_RUS"}


def test_forecast_rows_are_the_ones_skill_scores_once_later_data_exist(tmp_path):
    """The promise of the published forecast: for every row that later observations
    hold, skill (with --observed-from 2016: the bundled vintage up to 2015) scores the
    same median, bands and baselines."""
    files = _later_files(tmp_path)
    kw = dict(origins=(2013, 2015), replicates=1, seed=4)
    f = fc.forecast(SCENARIOS / "historical.yaml", last_year=2017, **kw)
    s = sk.skill(SCENARIOS / "historical.yaml", observed=files, observed_from=2016, **kw)
    scored = s.points[s.points["origin"] == 2015]
    assert set(scored["series"]) == set(sk.SERIES)
    both = scored.merge(f.points, on=KEY, suffixes=("_skill", ""), validate="one_to_one")
    assert len(both) == len(scored)  # every scored row was forecast
    for c in VALUES:
        assert np.array_equal(
            both[c].to_numpy(dtype=float), both[f"{c}_skill"].to_numpy(dtype=float), equal_nan=True
        ), c
    assert f.points["model_lower"].notna().all() and f.points["naive_lower"].notna().all()
    # the forecast knows nothing after its origin: persistence holds 2015 (arms: 2014)
    assert f.points["persistence_year"].max() == 2015
    assert f.history["year"].max() == 2015 and f.points["year"].min() == 2016


@pytest.mark.golden
def test_the_published_forecast_is_what_the_code_makes():
    """docs/forecast-2015.csv is published before the outcomes of 2016-2024 are known to
    the project. A failure means a change moved the forecast: if that was meant, run
    scripts/update_forecast.py and say so in CHANGELOG.md ("Changes to outputs")."""
    published = fc.read_forecast_csv(ROOT / fc.PUBLISHED_FILE)
    made = fc.forecast(SCENARIOS / "historical.yaml", **fc.PUBLISHED_SETTINGS).points
    assert list(published.columns) == fc.FORECAST_COLUMNS
    pd.testing.assert_frame_equal(
        published[KEY].reset_index(drop=True), made[KEY].reset_index(drop=True), check_dtype=False
    )
    for c in VALUES:
        np.testing.assert_allclose(
            made[c].to_numpy(dtype=float), published[c].to_numpy(dtype=float),
            rtol=1e-7, atol=ETS_ATOL if c == "ets" else 1e-9,
            err_msg=f"{c} moved (update deliberately)",
        )  # fmt: skip


def test_the_published_forecast_is_as_of_2015_to_2024():
    p = fc.read_forecast_csv(ROOT / fc.PUBLISHED_FILE)
    assert set(p["origin"]) == {2015}
    assert sorted(set(p["year"])) == list(range(2016, 2025))
    assert p["persistence_year"].max() <= 2015
    assert set(p["series"]) == set(sk.SERIES)
    # every band holds its median, and every value is a share or a percent of GDP
    assert (p["model_lower"] <= p["model"] + 1e-9).all()
    assert (p["model"] <= p["model_upper"] + 1e-9).all()
    assert p[["model", "model_lower", "model_upper"]].ge(0).all().all()


def test_forecast_command_writes_the_folder(tmp_path, capsys):
    from polarsim.cli import main

    out = tmp_path / "fc"
    code = main(["forecast", str(SCENARIOS / "historical.yaml"), "--origins", "2013:2015",
                 "--to", "2017", "--replicates", "1", "--series", "trade_shares",
                 "remittances", "--out", str(out)])  # fmt: skip
    assert code == 0
    text = capsys.readouterr().out
    assert "forecast as of 2015" in text and "| trade_shares | KAZ | CHN |" in text
    p = pd.read_csv(out / "forecast.csv")
    assert list(p.columns) == fc.FORECAST_COLUMNS
    assert len(p) == (25 + 5) * 2  # pairs x years 2016-2017
    for series in ("trade_shares", "remittances"):
        assert (out / "figures" / f"forecast_{series}.png").is_file()
    assert (out / "manifest.json").is_file() and (out / "forecast.md").is_file()


def test_forecast_command_refuses_years_it_cannot_forecast(capsys):
    from polarsim.cli import main

    code = main(["forecast", str(SCENARIOS / "historical.yaml"), "--to", "2015"])
    assert code == 2
    assert "--to" in capsys.readouterr().err
    code = main(["forecast", str(SCENARIOS / "historical.yaml"), "--origins", "2014:2016"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--origins" in err and "2015" in err


def test_the_command_forecasts_to_the_modules_last_year():
    from polarsim.validation.cli import FORECAST_TO

    assert FORECAST_TO == fc.FORECAST_LAST_YEAR


def test_the_span_is_set_by_origins_and_to_not_by_set(capsys):
    """A `--set time.*` was overridden by each forecast's span without a word, and a
    `--to` out of range was blamed on a `--set` nobody gave."""
    from polarsim.cli import main

    hist = str(SCENARIOS / "historical.yaml")
    assert main(["forecast", hist, "--set", "time.end_year=2018"]) == 2
    assert "--set: time.end_year=2018" in capsys.readouterr().err
    assert main(["forecast", hist, "--to", "3000"]) == 2
    err = capsys.readouterr().err
    assert "--to: expected a year from 2001 to 2100" in err and "[from --set]" not in err
    assert main(["skill", hist, "--set", "time.start_year=2010"]) == 2
    assert "--origins and --last" in capsys.readouterr().err


def test_a_forecast_without_earlier_origins_says_its_band_has_no_model_errors():
    from polarsim.errors import PolarsimNote

    with pytest.warns(PolarsimNote, match="observed changes alone"):
        f = fc.forecast(SCENARIOS / "historical.yaml", origins=(2015,), last_year=2016,
                        series=["remittances"], replicates=1)  # fmt: skip
    assert f.points["model_lower"].notna().all()
