"""skill, forecast and hindcast called the natural wrong ways from Python: refused at
once with a PolarsimInputError naming the argument, before any replicate runs (a band
level of 95 used to fail in NumPy after every origin had run)."""

import importlib
import json

import numpy as np
import pytest

from polarsim.errors import PolarsimInputError
from polarsim.validation.forecast import forecast
from polarsim.validation.hindcast import hindcast
from polarsim.validation.skill import rolling_manifest, skill
from tests.conftest import SCENARIOS

HISTORICAL = SCENARIOS / "historical.yaml"
BASELINE = SCENARIOS / "baseline.yaml"


def _no_run(monkeypatch):
    """Any replicate run fails the test: the argument must be refused before."""
    run_module = importlib.import_module("polarsim.run")  # the module, not the function

    def refuse(*a, **k):
        raise AssertionError("a replicate ran before the argument was checked")

    monkeypatch.setattr(run_module, "run_model", refuse)


@pytest.mark.parametrize("level", [95, 1.5, 0.0, 1.0, float("nan"), "0.9", True])
def test_a_band_level_outside_0_1_is_refused_before_running(monkeypatch, level):
    _no_run(monkeypatch)
    with pytest.raises(PolarsimInputError, match="level: expected a probability"):
        skill(HISTORICAL, replicates=1, origins=[2013, 2014], level=level)
    with pytest.raises(PolarsimInputError, match="level: expected a probability"):
        forecast(BASELINE, replicates=1, origins=[2014, 2015], level=level)
    with pytest.raises(PolarsimInputError, match="band_level: expected a probability"):
        hindcast(HISTORICAL, replicates=1, band_level=level)


@pytest.mark.parametrize("series", ["trade_shares", []])
def test_series_as_one_string_or_none_is_refused(monkeypatch, series):
    _no_run(monkeypatch)
    with pytest.raises(PolarsimInputError, match="--series: expected a list"):
        skill(HISTORICAL, replicates=1, series=series)


def test_origins_that_are_not_whole_numbers_are_refused(monkeypatch):
    _no_run(monkeypatch)
    with pytest.raises(PolarsimInputError, match="--origins: expected whole-number years"):
        skill(HISTORICAL, replicates=1, origins=["2010"])
    with pytest.raises(PolarsimInputError, match="--origins: expected whole-number years"):
        forecast(BASELINE, replicates=1, origins=[2014.5, 2015])
    with pytest.raises(PolarsimInputError, match="--origins: expected a list of years"):
        forecast(BASELINE, replicates=1, origins=2015)


def test_one_observation_file_as_a_string_is_refused_not_read_as_letters(monkeypatch):
    _no_run(monkeypatch)
    with pytest.raises(PolarsimInputError, match="--observed: expected a list"):
        hindcast(HISTORICAL, observed="trade.csv", replicates=1)


def test_numpy_numbers_are_recorded_as_numbers_in_the_manifest():
    man = rolling_manifest(
        "s.yaml", (np.int64(2013), 2014), np.int64(2015), ["trade_shares"], np.int64(2),
        np.int64(3), (), np.float64(0.9), None,
    )  # fmt: skip
    again = json.loads(json.dumps(man, default=str))  # as write_skill and write_forecast
    assert again["seed"] == 3 and again["replicates"] == 2 and again["last_year"] == 2015
    assert again["origins"] == [2013, 2014] and again["level"] == 0.9
