"""A start after the last year of the arms data (2014): the window's years after it are
unknown deliveries, not zero ones. They count at the mean of the window's observed
years; the contest is anchored on the latest observed years, as in the rolling-origin
forecasts it was chosen on (origins up to 2014); arms intensity is a ratio over the
years with arms data. Before, a 2015 start counted 2015 as a year without deliveries:
its anchor was 2014 alone, its window stock four years' deliveries, its intensity 15/16
of the 2014 start's."""

import numpy as np
import pytest

from polarsim import load_scenario
from polarsim.model.setup import first_arms_year, last_arms_year, prepare
from tests.conftest import SCENARIOS


def _setup(start: int):
    return prepare(load_scenario(SCENARIOS / "historical.yaml", [f"time.start_year={start}"]))


def test_the_data_end_in_2014():
    assert last_arms_year() == 2014


def test_a_2015_window_counts_its_unobserved_year_at_the_observed_mean():
    su = _setup(2015)
    yearly = su.arms_years  # 2011-2015, oldest first
    covered = yearly[:4].sum(axis=(0, 2)) > 0  # states with deliveries in 2011-2014
    assert covered.any()
    np.testing.assert_allclose(yearly[4][covered], yearly[:4].mean(axis=0)[covered])
    np.testing.assert_allclose(yearly.sum(axis=0)[covered], su.initial_arms[covered])


def test_the_2015_anchor_is_the_latest_observed_years():
    su = _setup(2015)
    recent = su.arms_years[2:4].sum(axis=0)  # 2013 and 2014
    some = recent.sum(axis=1) > 0
    assert some.any()
    np.testing.assert_array_equal(su.arms_anchor[some], recent[some])


def test_arms_intensity_is_over_the_years_with_arms_data():
    np.testing.assert_array_equal(_setup(2015).arms_intensity, _setup(2014).arms_intensity)


def test_a_start_within_the_data_reads_every_year_as_observed():
    su = _setup(2014)
    kaz = su.states.index("KAZ")
    assert su.arms_years[-1][kaz].sum() > 0  # 2014's own deliveries
    assert su.arms_years.sum(axis=0)[kaz] == pytest.approx(su.initial_arms[kaz])


def test_the_data_begin_in_2000():
    assert first_arms_year() == 2000


def test_a_start_near_the_first_year_counts_the_years_before_the_data_at_the_observed_mean():
    """Before: a 2002 start counted 1998 and 1999, before the arms data, as years without
    deliveries: its window stock held three years' deliveries and its start year's
    deliveries (the window's yearly mean) 3/5 of the observed years' mean (Kazakhstan
    52.1 against 86.8 USD m TIV)."""
    su = _setup(2002)
    yearly = su.arms_years  # 1998-2002, oldest first
    observed = yearly[2:].sum(axis=0)  # 2000-2002
    covered = observed.sum(axis=1) > 0
    assert covered.any()
    for before in (0, 1):
        np.testing.assert_allclose(yearly[before][covered], (observed / 3)[covered])
    np.testing.assert_allclose(su.initial_arms[covered], (observed * 5 / 3)[covered])
    # a start whose window lies within the data is as it was
    su4 = _setup(2004)
    kaz = su4.states.index("KAZ")
    assert su4.arms_years.sum(axis=0)[kaz] == pytest.approx(su4.initial_arms[kaz])
