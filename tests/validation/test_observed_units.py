"""`--observed` files in the wrong unit are refused with the file named, not scored:
fractions of 1 (a hundredth of percent) and values far above percent (USD, per mille)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from polarsim import data, load_scenario
from polarsim.errors import PolarsimInputError
from polarsim.validation.skill import observed_outcomes

SCENARIO = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "historical.yaml")
BUNDLED = Path(data.__file__).parent / "central_asia"


def _remittances_2016(tmp_path: Path, scale: float) -> Path:
    r = pd.read_csv(BUNDLED / "remittances.csv")
    r = r[(r["year"] == 2015) & (r["indicator"] == "remittances_received_pct_gdp")].copy()
    r["year"] = 2016
    r["value"] = r["value"] * scale
    path = tmp_path / f"remittances_{scale:g}.csv"
    r.to_csv(path, index=False)
    return path


def test_remittances_in_percent_are_taken(tmp_path):
    rows = observed_outcomes(
        SCENARIO, ["remittances"], {"remittances": _remittances_2016(tmp_path, 1.1)}
    )
    assert (rows["year"] == 2016).sum() >= 3


@pytest.mark.parametrize("scale", [0.01, 100.0])
def test_remittances_in_another_unit_are_refused(tmp_path, scale):
    path = _remittances_2016(tmp_path, scale)
    with pytest.raises(PolarsimInputError, match=f"{path.name}: expected values in percent,? "):
        observed_outcomes(SCENARIO, ["remittances"], {"remittances": path})


def test_one_remittance_value_above_100_percent_of_gdp_is_refused(tmp_path):
    path = _remittances_2016(tmp_path, 1.0)
    r = pd.read_csv(path)
    r.loc[r.index[0], "value"] = 2527.0
    r.to_csv(path, index=False)
    with pytest.raises(PolarsimInputError, match="found 2527"):
        observed_outcomes(SCENARIO, ["remittances"], {"remittances": path})
