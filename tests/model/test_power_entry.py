"""A power that enters the region at a date (`powers.<P>.enters`): until then it does
not engage (no budget, no exclusivity, so no projects, arms effort or coercion) and the
run is the one without its engagement; from then on it takes its stance, including a
posture set for it before it entered."""

import numpy as np
import pytest

from polarsim import CompetitionModel
from polarsim.errors import PolarsimInputError
from tests.conftest import SCENARIOS


def _model(tmp_path, extra: str = "", enters: int | None = 2020):
    text = (
        f"extends: {SCENARIOS / 'baseline.yaml'}\n"
        "time: {end_year: 2024}\n"
        "powers:\n"
        f"  IND: {{{'enters: ' + str(enters) if enters else ''}}}\n" + extra
    )
    path = tmp_path / "corridor.yaml"
    path.write_text(text)
    return CompetitionModel(path, seed=5)


def test_a_power_engages_only_from_its_entry_year(tmp_path):
    model = _model(tmp_path)
    ind = model.setup.powers.index("IND")
    budgets, exclusivity = [], []
    while model.running:
        model.step()
        budgets.append((model.year, model.budget[ind]))
        exclusivity.append((model.year, model.exclusivity[ind]))
    assert all(b == 0 for y, b in budgets if y < 2020)
    assert all(b > 0 for y, b in budgets if y >= 2020)
    assert all(e == 0 for y, e in exclusivity if y < 2020)
    events = model.tables()["events"]
    entry = events[events["kind"] == "power_enters"]
    assert list(entry["year"]) == [2020] and list(entry["actor"]) == ["IND"]
    proposals = events[(events["kind"] == "project_proposed") & (events["actor"] == "IND")]
    assert (proposals["year"] >= 2020).all()


def test_a_posture_before_entry_is_the_stance_it_enters_with(tmp_path):
    extra = "add_events:\n  - {type: posture, year: 2017, power: IND, exclusivity: 0.7}\n"
    model = _model(tmp_path, extra)
    ind = model.setup.powers.index("IND")
    while model.year < 2019:
        model.step()
    assert model.exclusivity[ind] == 0.0
    model.step()  # 2020
    assert model.exclusivity[ind] == pytest.approx(0.7)


def test_entry_at_or_before_the_start_is_the_power_from_the_start(tmp_path):
    present = _model(tmp_path, enters=None)
    at_start = _model(tmp_path, enters=2015)
    for m in (present, at_start):
        while m.running:
            m.step()
    np.testing.assert_array_equal(
        present.tables()["states"]["autonomy_index"], at_start.tables()["states"]["autonomy_index"]
    )


def test_entry_year_outside_the_schema_is_refused(tmp_path):
    with pytest.raises(PolarsimInputError, match="enters"):
        _model(tmp_path, enters=1800)


def test_a_power_that_leaves_stops_engaging_and_ignores_later_postures(tmp_path):
    path = tmp_path / "exit.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\n"
        "time: {end_year: 2026}\n"
        "powers:\n  USA: {leaves: 2020}\n"
        "add_events:\n  - {type: posture, year: 2022, power: USA, budget_pct_gdp: 1.0}\n"
    )
    model = CompetitionModel(path, seed=2)
    usa = model.setup.powers.index("USA")
    budgets = {}
    while model.running:
        model.step()
        budgets[model.year] = model.budget[usa]
    assert all(b > 0 for y, b in budgets.items() if y < 2020)
    assert all(b == 0 for y, b in budgets.items() if y >= 2020)
    events = model.tables()["events"]
    assert list(events.loc[events["kind"] == "power_leaves", "year"]) == [2020]


def test_leaving_before_entering_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\npowers:\n  IND: {{enters: 2030, leaves: 2025}}\n"
    )
    with pytest.raises(PolarsimInputError, match="leaves .2025. must come after enters"):
        CompetitionModel(path, seed=1)
