"""hindcast refuses a window with nothing to compare before any replicate runs (it
used to run every replicate first)."""

import importlib

import pytest

from polarsim.errors import PolarsimInputError
from polarsim.validation.hindcast import hindcast
from tests.conftest import SCENARIOS


def _no_run(monkeypatch):
    run_module = importlib.import_module("polarsim.run")  # the module, not the function

    def refuse(*a, **k):
        raise AssertionError("a replicate ran before the window was checked")

    monkeypatch.setattr(run_module, "run_model", refuse)


def test_default_window_before_the_start_year_is_refused_before_running(monkeypatch):
    _no_run(monkeypatch)
    with pytest.raises(
        PolarsimInputError, match=r"--observed: no observation in 2008-2010 can be compared"
    ) as err:
        hindcast(SCENARIOS / "baseline.yaml", replicates=2)
    assert "the scenario starts in 2015" in str(err.value)


def test_window_after_the_last_year_by_override_is_refused_before_running(monkeypatch):
    _no_run(monkeypatch)  # the default window (2008-2010) ends after 2007
    with pytest.raises(PolarsimInputError, match="no observation in 2008-2010"):
        hindcast(SCENARIOS / "historical_2005.yaml", replicates=2, overrides=["time.end_year=2007"])


def test_a_window_with_observations_still_runs():
    h = hindcast(SCENARIOS / "historical_2005.yaml", replicates=2)
    assert len(h.points) and h.window == (2008, 2010)
