"""A run starts each state's remittances from what was known in its start year: the
latest observation up to it, or the scenario's own value. A state with neither starts
without remittances and its column is empty, never filled from a later year (which
leaked the future into the forecasts of early rolling origins)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from polarsim import data, load_scenario, run
from polarsim.errors import PolarsimNote
from polarsim.model import setup as model_setup
from polarsim.model.setup import prepare
from polarsim.validation import skill as sk
from tests.conftest import SCENARIOS


def _start(year: int, *overrides: str):
    sc = load_scenario(
        SCENARIOS / "historical.yaml",
        [f"time.start_year={year}", f"time.end_year={year + 1}", *overrides],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PolarsimNote)
        su = prepare(sc)
    return sc, su, [str(w.message) for w in caught if issubclass(w.category, PolarsimNote)]


def _observed(state: str, year: int) -> float:
    r = data.load_remittances()
    r = r[(r["indicator"] == "remittances_received_pct_gdp") & (r["state"] == state)]
    return float(r.loc[r["year"] == year, "value"].item())


def test_a_state_first_observed_after_the_start_runs_without_remittances():
    sc, su, _ = _start(2008)  # Uzbekistan's first observation is of 2009
    i = sc.state_codes.index("UZB")
    assert not su.remittances_known[i]
    assert su.initial_ties.remittances[i].sum() == 0.0
    assert su.initial_ties.remittances_other[i] == 0.0
    states = run(sc, seed=1, replicates=2).states
    uzb = states[states["state"] == "UZB"]["remittances_pct_gdp"]
    assert uzb.isna().all()
    others = states[states["state"] != "UZB"]["remittances_pct_gdp"]
    assert np.isfinite(others.to_numpy()).all()


def test_the_first_observed_year_starts_from_its_observation():
    sc, su, _ = _start(2009)
    i = sc.state_codes.index("UZB")
    assert su.remittances_known[i]
    states = run(sc, seed=1, replicates=1).states
    got = states[(states["state"] == "UZB") & (states["year"] == 2009)]["remittances_pct_gdp"]
    assert got.item() == pytest.approx(_observed("UZB", 2009))


def test_the_latest_observation_up_to_the_start_is_taken():
    # Tajikistan is observed from 2002: a start in 2004 reads 2004, not a later year
    sc, su, _ = _start(2004)
    states = run(sc, seed=1, replicates=1).states
    got = states[(states["state"] == "TJK") & (states["year"] == 2004)]["remittances_pct_gdp"]
    assert got.item() == pytest.approx(_observed("TJK", 2004))


def test_the_scenario_gives_a_start_where_the_data_have_none():
    sc, su, notes = _start(2008, "states.UZB.remittances_pct_gdp=8.5")
    i = sc.state_codes.index("UZB")
    assert su.remittances_known[i]
    assert not any("UZB" in n for n in notes)
    states = run(sc, seed=1, replicates=1).states
    got = states[(states["state"] == "UZB") & (states["year"] == 2008)]["remittances_pct_gdp"]
    assert got.item() == pytest.approx(8.5)


def test_a_note_names_the_states_without_a_start_value():
    model_setup.forget()  # the note comes with the preparation, not from its memory
    _, _, notes = _start(2003)
    text = " ".join(notes)
    assert "UZB (first observed 2009)" in text and "TKM (first observed 2006)" in text
    assert "remittances_pct_gdp" in text


def test_forecasts_not_made_add_no_error_to_later_bands():
    """A row the model did not forecast (NaN) is left out of the error sample of later
    origins' bands: the bands equal those made without the row."""
    rng = np.random.default_rng(0)
    rows = []
    for origin in (2004, 2005, 2006, 2007):
        for year in range(origin + 1, 2011):
            for k in range(30):
                obs = 20 + rng.normal()
                rows.append((origin, "remittances", f"S{k}", "total", year, year - origin,
                             obs, 20.0, 20.0))  # fmt: skip
    cols = ["origin", "series", "state", "partner", "year", "horizon", "observed", "model",
            "persistence"]  # fmt: skip
    pts = pd.DataFrame(rows, columns=cols)
    hist = pts[["series", "state", "partner", "year", "observed"]].drop_duplicates(
        ["series", "state", "partner", "year"]
    )
    blank = pts.copy()
    unknown = (blank["state"] == "S0") & (blank["origin"] < 2006)
    blank.loc[unknown, ["model", "persistence"]] = np.nan
    with_blank = sk.add_bands(blank, hist)
    without = sk.add_bands(blank[~unknown].reset_index(drop=True), hist)
    late = with_blank[with_blank["origin"] >= 2006].reset_index(drop=True)
    late_without = without[without["origin"] >= 2006].reset_index(drop=True)
    for c in ("model_lower", "model_upper"):
        assert np.isfinite(late[c].to_numpy()).all()
        assert late[c].to_numpy() == pytest.approx(late_without[c].to_numpy())
