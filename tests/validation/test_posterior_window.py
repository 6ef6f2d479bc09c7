"""`skill --posterior`: a calibration fitted to years the reported forecasts are scored
on is named (a note), as the help asks for a fit on years before the reported origins."""

from __future__ import annotations

import json
import warnings

import pytest

from polarsim.errors import PolarsimNote
from polarsim.validation import skill as sk


def _calibration(tmp_path, window):
    (tmp_path / "calibration.json").write_text(json.dumps({"window": window}))
    return tmp_path


def test_a_posterior_fitted_to_reported_years_is_noted(tmp_path):
    folder = _calibration(tmp_path, [2005, 2010])
    with pytest.warns(PolarsimNote, match="in sample.*--report-from 2010"):
        sk.check_posterior_window(folder, 2008)


@pytest.mark.parametrize("report_from", [2008, 2009])
def test_a_posterior_fitted_before_the_reported_forecasts_is_not_noted(tmp_path, report_from):
    folder = _calibration(tmp_path, [2005, 2008])
    with warnings.catch_warnings():
        warnings.simplefilter("error", PolarsimNote)
        sk.check_posterior_window(folder, report_from)


def test_skill_checks_the_window_before_any_run(tmp_path, monkeypatch):
    folder = _calibration(tmp_path, [2005, 2012])
    monkeypatch.setattr(sk, "posterior_draws", lambda p: None)

    def no_runs(*a, **k):
        raise AssertionError("ran")

    monkeypatch.setattr(sk, "rolling_forecasts", no_runs)
    with pytest.warns(PolarsimNote, match="fitted to observations up to 2012"):
        with pytest.raises(AssertionError, match="ran"):
            sk.skill("scenarios/historical.yaml", origins=[2008, 2009], posterior=folder)
