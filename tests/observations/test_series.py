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


def _remittance_file(tmp_path, body: str):
    path = tmp_path / "remittances.csv"
    path.write_text("country,year,indicator,value,unit\n" + body)
    return path


def test_a_repeated_remittance_row_is_refused_naming_both_rows(tmp_path):
    """Two values of one country, indicator and year: the later one used to win without
    a word (a trade file's repeat is refused); now the file is refused, as a trade
    file's repeat is."""
    path, msg = _refused(
        tmp_path,
        "Kazakhstan,2016,remittances_received_pct_gdp,0.2,% of GDP\n"
        "Kazakhstan,2017,remittances_received_pct_gdp,0.3,% of GDP\n"
        "Kazakhstan,2016,remittances_received_pct_gdp,0.25,% of GDP\n",
    )
    assert str(path) in msg and "row 4" in msg and "row 2" in msg and "column year" in msg


def test_a_negative_remittance_share_of_gdp_is_refused(tmp_path):
    path, msg = _refused(
        tmp_path,
        "Kazakhstan,2016,remittances_received_pct_gdp,0.2,% of GDP\n"
        "Tajikistan,2016,remittances_received_pct_gdp,-27.1,% of GDP\n",
    )
    assert str(path) in msg and "row 3" in msg and "column value" in msg and "-27.1" in msg


def _refused(tmp_path, rows: str):
    """A remittances file of `rows`, and the message that refuses it."""
    from polarsim.errors import PolarsimInputError

    path = _remittance_file(tmp_path, rows)
    with pytest.raises(PolarsimInputError) as err:
        remittance_targets(load_scenario(SCENARIOS / "historical.yaml"), path)
    return path, str(err.value)


def test_a_sole_suppliers_arms_share_is_100_not_a_rounding_above_it():
    # summed in another order than the window's total, Russia's deliveries to
    # Tajikistan came to 100.00000000000001 %, above every band capped at 100: a miss
    from polarsim.observations.series import arms_targets

    sc = load_scenario(SCENARIOS / "historical.yaml")
    t = arms_targets(sc, None)
    assert t["observed"].between(0.0, 100.0).all()
    tjk = t[(t["state"] == "TJK") & (t["partner"] == "RUS")].set_index("year")["observed"]
    assert tjk[2009] == 100.0
