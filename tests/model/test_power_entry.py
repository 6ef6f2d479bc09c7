"""A power that enters the region at a date (`powers.<P>.enters`): until then it does
not exist for the model (its trade, arms, remittances and projects count among the other
partners, as for a power the scenario does not list), so the run before its entry is the
run of the scenario without it, to the last bit; from then on it is a partner and takes
its stance, including a posture set for it before it entered."""

import numpy as np
import pandas as pd
import pytest

import polarsim
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
    budgets, exclusivity = [], []
    while model.running:
        model.step()
        present = "IND" in model.setup.powers
        assert present == (model.year >= 2020)
        if present:
            ind = model.setup.powers.index("IND")
            budgets.append(model.budget[ind])
            exclusivity.append(model.exclusivity[ind])
            assert model.power_agents[ind].code == "IND"
    assert budgets and all(b > 0 for b in budgets)
    events = model.tables()["events"]
    entry = events[events["kind"] == "power_enters"]
    assert list(entry["year"]) == [2020] and list(entry["actor"]) == ["IND"]
    proposals = events[(events["kind"] == "project_proposed") & (events["actor"] == "IND")]
    assert (proposals["year"] >= 2020).all()


def test_a_posture_before_entry_is_the_stance_it_enters_with(tmp_path):
    extra = "add_events:\n  - {type: posture, year: 2017, power: IND, exclusivity: 0.7}\n"
    model = _model(tmp_path, extra)
    while model.year < 2019:
        model.step()
    assert "IND" not in model.setup.powers
    model.step()  # 2020
    assert model.exclusivity[model.setup.powers.index("IND")] == pytest.approx(0.7)


def test_an_event_naming_a_power_before_its_entry_is_refused(tmp_path):
    extra = (
        "add_events:\n  - {type: sanctions, year: 2018, imposers: [IND], target: RUS, "
        "intensity: 0.5}\n"
    )
    with pytest.raises(PolarsimInputError, match="IND enters in 2020"):
        _model(tmp_path, extra)


def _entering(tmp_path, name: str, powers: str, end_year: int | None = None) -> str:
    path = tmp_path / f"{name}.yaml"
    time = f"time: {{end_year: {end_year}}}\n" if end_year else ""
    path.write_text(f"extends: {SCENARIOS / 'baseline.yaml'}\n{time}powers:\n{powers}")
    return str(path)


def _before_and_after(without, with_, year: int, new: list[str]) -> None:
    """The tables of `with_` equal those of `without` (every column, the events) before
    `year`, the columns of the powers in `new` being 0 there; and differ from it on."""
    for name in ("states", "system"):
        a, b = getattr(without, name), getattr(with_, name)
        extra = [c for c in b.columns if c not in a.columns]
        assert extra and all(c.rsplit("_", 1)[-1] in new for c in extra)
        assert not [c for c in a.columns if c not in b.columns]
        before_a = a[a["year"] < year].reset_index(drop=True)
        before_b = b[b["year"] < year].reset_index(drop=True)
        pd.testing.assert_frame_equal(before_b[list(a.columns)], before_a, check_exact=True)
        assert (before_b[extra] == 0).all().all()
        after_a = a[a["year"] >= year].reset_index(drop=True)
        after_b = b[b["year"] >= year].reset_index(drop=True)
        assert not after_b[list(a.columns)].equals(after_a)
    events_a, events_b = without.events, with_.events
    pd.testing.assert_frame_equal(
        events_b[events_b["year"] < year].reset_index(drop=True),
        events_a[events_a["year"] < year].reset_index(drop=True),
        check_exact=True,
    )
    assert (
        not events_b[events_b["year"] >= year]
        .reset_index(drop=True)
        .equals(events_a[events_a["year"] >= year].reset_index(drop=True))
    )
    entries = events_b[(events_b["kind"] == "power_enters") & events_b["actor"].isin(new)]
    assert set(entries["year"]) == {year} and set(entries["actor"]) == set(new)


def test_a_power_entering_in_2027_leaves_the_baseline_as_it_was_before_2027(tmp_path):
    """The issue's check: baseline and baseline with India entering in 2027, same seed,
    2 replicates: identical states (every column), system table and events before 2027,
    different from 2027 on."""
    corridor = _entering(tmp_path, "corridor", "  IND: {enters: 2027}\n")
    baseline = polarsim.run(SCENARIOS / "baseline.yaml", seed=3, replicates=2)
    entering = polarsim.run(corridor, seed=3, replicates=2)
    assert set(entering.states["replicate"]) == {0, 1}
    _before_and_after(baseline, entering, 2027, ["IND"])


def test_powers_entering_in_turn_each_leave_the_run_before_them_as_it_was(tmp_path):
    """Two entry years: the run with India from 2020 and Iran from 2023 is the baseline
    before 2020 and the run with India alone before 2023."""
    ind = _entering(tmp_path, "ind", "  IND: {enters: 2020}\n", end_year=2026)
    both = _entering(tmp_path, "both", "  IND: {enters: 2020}\n  IRN: {enters: 2023}\n", 2026)
    base_path = tmp_path / "base.yaml"
    base_path.write_text(f"extends: {SCENARIOS / 'baseline.yaml'}\ntime: {{end_year: 2026}}\n")
    paths = {"base": base_path, "ind": ind, "both": both}
    runs = {k: polarsim.run(p, seed=7, replicates=1) for k, p in paths.items()}
    _before_and_after(runs["base"], runs["ind"], 2020, ["IND"])
    _before_and_after(runs["ind"], runs["both"], 2023, ["IRN"])


def test_a_sweep_keeps_the_rows_of_the_whole_run_of_an_entering_power(tmp_path):
    """A sweep asks the recorder for the kept years only: before the entry the columns
    of the run without the power (to the bit), after it the rows of the tables (to the
    rounding of metrics worked out over fewer years, as for any run)."""
    base_path = tmp_path / "base.yaml"
    base_path.write_text(f"extends: {SCENARIOS / 'baseline.yaml'}\ntime: {{end_year: 2022}}\n")
    models = [
        CompetitionModel(base_path, seed=4),
        CompetitionModel(_entering(tmp_path, "c", "  IND: {enters: 2019}\n", 2022), seed=4),
    ]
    for model in models:
        while model.running:
            model.step()
    base, entering = models
    states = entering.tables()["states"]
    years = list(entering.setup.years)
    for year in (2017, 2019, 2021):
        i = years.index(year)
        cols = entering.recorder.states_columns(first=i, upto=i)
        rows = states[states["year"] == year].reset_index(drop=True)
        assert list(cols) == list(states.columns)
        for name, values in cols.items():
            if values.dtype == object:
                assert list(values) == list(rows[name])
            else:
                np.testing.assert_allclose(values, rows[name].to_numpy(), rtol=1e-12)
        if year < 2019:
            for name, values in base.recorder.states_columns(first=i, upto=i).items():
                np.testing.assert_array_equal(cols[name], values)


def test_the_explorer_shows_every_power_before_and_after_an_entry(tmp_path):
    """The viz reads the tables of the scenario's powers all run long: a power not in
    the run yet has no ties."""
    from polarsim.viz import data

    model = CompetitionModel(_entering(tmp_path, "c", "  IND: {enters: 2017}\n", 2019), seed=1)
    frames = []
    while model.running:
        model.step()
        frames.append(data.ties_frame(model))
        data.autonomy_frame(model)
        data.network_edges(model)
    assert all("IND" in f.columns for f in frames)
    assert (frames[0]["IND"] == 0).all() and (frames[-1]["IND"] > 0).any()
    history = data.ties_history(model, "KAZ")
    assert len(history) == len(model.setup.years)


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


def test_a_power_that_left_by_the_start_year_is_out_from_the_start(tmp_path):
    """Its leaving is logged in the start year (the log did not exist yet: a traceback)."""
    path = tmp_path / "gone.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\n"
        "time: {end_year: 2018}\npowers:\n  USA: {leaves: 2015}\n"
    )
    model = CompetitionModel(path, seed=2)
    usa = model.setup.powers.index("USA")
    assert model.budget[usa] == 0 and model.exclusivity[usa] == 0
    while model.running:
        model.step()
        assert model.budget[usa] == 0
    events = model.tables()["events"]
    assert list(events.loc[events["kind"] == "power_leaves", "year"]) == [2015]


def test_leaving_before_entering_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\npowers:\n  IND: {{enters: 2030, leaves: 2025}}\n"
    )
    with pytest.raises(PolarsimInputError, match="leaves .2025. must come after enters"):
        CompetitionModel(path, seed=1)
