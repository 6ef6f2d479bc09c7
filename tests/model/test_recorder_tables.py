"""Recorder.tables() builds its DataFrames by a fast path (one block per dtype, Arrow
string columns taken from the codes converted once); the frames must be those the plain
pandas constructors make of the same columns, to the last bit and dtype."""

import numpy as np
import pandas as pd
import pytest

from polarsim import CompetitionModel, load_scenario
from polarsim.model.recorder import EVENT_COLUMNS, StagedRecorder
from polarsim.model.setup import prepare
from polarsim.model.synthetic import synthetic_setup
from polarsim.model.ties import ARENAS
from tests.conftest import SCENARIOS


def _run(setup, seed: int = 0) -> CompetitionModel:
    m = CompetitionModel(setup, rng=np.random.default_rng(seed))
    while m.running:
        m.step()
    return m


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.dtypes) == list(want.dtypes)
    assert got.columns.dtype == want.columns.dtype
    for name in want.columns:
        a, b = got[name].to_numpy(), want[name].to_numpy()
        if a.dtype.kind == "f":  # the same bits (signed zeros, NaN payloads)
            assert np.array_equal(a.view(np.int64), b.view(np.int64)), name


def _reference(m: CompetitionModel, events: list[tuple]) -> dict[str, pd.DataFrame]:
    rec = m.recorder
    n = rec.last + 1
    states = pd.DataFrame(dict(rec.states_columns()))  # object arrays: pandas infers
    replicate = np.full(n, m.recorder.tables([])["states"]["replicate"].iloc[0])
    if isinstance(rec, StagedRecorder):  # each year's row from its stage's metrics
        parts = []
        for part in rec.parts:
            autonomy = part.states_columns()["autonomy_index"].reshape(n, part.S)
            years = part.setup.years[:n].astype(np.int64)
            parts.append({"year": years, **part.system_metrics(autonomy)})
        columns = rec._combine(parts, rec.full.years[:n].astype(np.int64))
    else:
        autonomy = states["autonomy_index"].to_numpy().reshape(n, -1)
        years = m.setup.years[:n].astype(np.int64)
        columns = {"year": years, **rec.system_metrics(autonomy)}
    system = pd.DataFrame({"replicate": replicate, **columns})
    if events:
        ev = pd.DataFrame.from_records(events, columns=EVENT_COLUMNS)
    else:  # no events: the text columns stay object columns, as pandas makes them
        dtypes = (np.int64, np.int64, object, object, object, object, np.float64)
        ev = pd.DataFrame(
            {c: np.array([], dtype=d) for c, d in zip(EVENT_COLUMNS, dtypes, strict=True)}
        )
    return {"states": states, "system": system, "events": ev}


def _setups():
    staged = prepare(load_scenario(SCENARIOS / "southern_corridor.yaml"))
    return {
        "baseline": prepare(load_scenario(SCENARIOS / "baseline.yaml")),
        "staged": staged,
        "synthetic": synthetic_setup(4, 3, years=6),
        "synthetic_one_power": synthetic_setup(3, 1, years=4),
    }


@pytest.fixture(scope="module")
def runs():
    return {name: _run(setup, seed=1) for name, setup in _setups().items()}


@pytest.mark.parametrize("name", ["baseline", "staged", "synthetic", "synthetic_one_power"])
@pytest.mark.parametrize("with_events", [True, False])
def test_tables_are_the_plain_pandas_frames(runs, name, with_events):
    m = runs[name]
    if name == "staged":
        assert isinstance(m.recorder, StagedRecorder)
    events = m.events if with_events else []
    got = m.recorder.tables(events)
    want = _reference(m, events)
    assert set(got) == set(want)
    for table in want:
        _same(got[table], want[table])
    assert len(got["events"]) == len(events)


def test_states_columns_are_the_recorded_arrays(runs):
    """The shares and metric columns, row by row (year-major, then state), straight from
    the recorded arrays and state_metrics."""
    m = runs["baseline"]
    rec, su = m.recorder, m.setup
    states = rec.tables(m.events)["states"]
    n = rec.last + 1
    assert list(states["state"]) == list(su.states) * n
    assert (states["year"].to_numpy() == np.repeat(su.years[:n], len(su.states))).all()
    for a, arena in enumerate(ARENAS):
        for j, p in enumerate([*su.powers, "other"]):
            want = rec.shares[:n, a, :, j].reshape(-1)
            assert np.array_equal(states[f"{arena}_share_{p}"].to_numpy(), want)
    arms = rec.arms_window_shares(slice(0, n))
    for j, p in enumerate([*su.powers, "other"]):
        assert np.array_equal(states[f"arms_share_{p}"].to_numpy(), arms[:, :, j].reshape(-1))
    codes = np.array(su.powers, dtype=object)
    for name, values in rec.state_metrics().items():
        col = states[name].to_numpy()
        if name.endswith("_partner"):
            assert list(col) == list(codes[values.reshape(-1)])
        else:
            assert np.array_equal(col.view(np.int64), values.reshape(-1).view(np.int64)), name


def test_tables_are_new_frames_each_call(runs):
    """A table's columns are its own: writing into one leaves the next call's as it was."""
    m = runs["baseline"]
    first = m.recorder.tables(m.events)
    first["states"].loc[0, "state"] = "XXX"
    first["states"].loc[0, "trade_hhi"] = -1.0
    second = m.recorder.tables(m.events)
    assert second["states"].loc[0, "state"] == m.setup.states[0]
    assert second["states"].loc[0, "trade_hhi"] != -1.0


@pytest.mark.parametrize("scenario", ["baseline.yaml", "southern_corridor.yaml"])
@pytest.mark.parametrize(
    "names",
    [
        ["autonomy_index"],
        ["autonomy_index", "vulnerability_partner", "coercion_loss"],
        ["trade_share_CHN", "arms_share_RUS", "diversification"],
        ["infra_hhi", "autonomy_index", "no_such_column"],
        [],
    ],
)
def test_named_states_columns_are_the_full_ones(scenario, names):
    """states_columns(names=...) (what a sweep keeps) gives replicate, year, state and
    the named columns the table has, each the full table's to the bit, for the years
    asked for, staged runs included (a power entering in 2027)."""
    m = _run(prepare(load_scenario(SCENARIOS / scenario)), seed=4)
    rec = m.recorder
    for first, upto in ((0, None), (10, 10), (12, 20)):
        full = rec.states_columns(first, upto)
        got = rec.states_columns(first, upto, names=names)
        assert list(got) == ["replicate", "year", "state"] + [n for n in full if n in names]
        for name, col in got.items():
            want = full[name]
            if col.dtype.kind == "f":
                assert np.array_equal(col.view(np.int64), want.view(np.int64)), name
            else:
                assert col.tolist() == want.tolist(), name
