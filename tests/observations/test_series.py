"""The outcome series a skill evaluation scores (polarsim.observations.series): users'
rows over the bundled ones."""

import pytest

from polarsim import load_scenario
from polarsim.observations.series import remittance_targets
from tests.conftest import SCENARIOS


def test_an_empty_remittance_cell_replaces_no_bundled_value(tmp_path):
    """A WDI download often leaves a year blank; that blank is a missing observation
    (as an empty share_pct cell of a trade file) and must not erase the bundled value
    a forecast from that year starts from (Kazakhstan 2015: 0.16 % of GDP)."""
    path = tmp_path / "remittances.csv"
    path.write_text(
        "country,year,indicator,value,unit\n"
        "Kazakhstan,2015,remittances_received_pct_gdp,,% of GDP\n"
        "Kazakhstan,2016,remittances_received_pct_gdp,0.2,% of GDP\n"
        "Kazakhstan,2014,remittances_received_pct_gdp,0.5,% of GDP\n"
    )
    sc = load_scenario(SCENARIOS / "historical.yaml")
    t = remittance_targets(sc, path)
    kaz = t[t["state"] == "KAZ"].set_index("year")["observed"]
    assert kaz[2015] == pytest.approx(0.16)  # the bundled value stays
    assert kaz[2016] == pytest.approx(0.2)  # a later year is added
    assert kaz[2014] == pytest.approx(0.5)  # a value replaces the bundled one
    assert kaz.index.is_unique
