"""Numbers set on a validated scenario (`scenario.points`, the way a sweep's design
points are loaded) give the scenario that `--set` on the merged mapping and validation
of the whole give: the same values and the same fields set, model by model; anything
the quick way does not take goes the general way, with its messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from polarsim.errors import PolarsimInputError
from polarsim.experiment.design import make_design
from polarsim.experiment.spec import load_experiment, param_paths
from polarsim.scenario import load_scenario
from polarsim.scenario.dating import late_event_problems
from polarsim.scenario.load import ScenarioSource, check_data, scenario_hash
from polarsim.scenario.points import quick_value
from polarsim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SOBOL = ROOT / "experiments" / "sobol_autonomy.yaml"


def _general(path: Path, overrides: list[str]) -> Scenario:
    """The scenario by the general path: --set on the mapping, the whole validated."""
    source = ScenarioSource(path)
    data, marks, ends = source._merged(overrides)
    scenario, problems = check_data(data, source.top, marks, late_event_problems(data, ends))
    assert not problems
    return scenario


def assert_identical(a, b, where: str = "scenario") -> None:
    """Equal values of equal types, and the same fields set in every model."""
    assert type(a) is type(b), where
    if isinstance(a, BaseModel):
        assert a.model_fields_set == b.model_fields_set, where
        for name in type(a).model_fields:
            assert_identical(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            assert_identical(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_identical(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def _sobol_points(n: int) -> list[list[str]]:
    exp = load_experiment(SOBOL)
    exp = exp.model_copy(update={"design": exp.design.model_copy(update={"samples": 2})})
    rows = make_design(exp).to_dict("records")[:n]
    return [
        [
            f"{path}={float(row[name])!r}"
            for name, p in exp.parameters.items()
            for path in param_paths(name, p)
        ]
        for row in rows
    ]


POINTS = [
    *_sobol_points(6),
    ["powers.RUS.exclusivity=0.35", "states.KAZ.threat=0.2", "parameters.trade.persistence=0.7"],
    ["parameters.coercion.rate=3", "parameters.coercion.rate=4.5"],  # the last one wins
    ["description=text first", "parameters.contest.decisiveness=2.0"],  # after a general one
    ["states.UZB.autonomy_preference=0.4"],  # a field whose base value is None
    # numbers under `time` first (an experiment's own overrides, as the shipped
    # calibrations write them): those the general way, the points' numbers quickly
    ["time.end_year=2040", "parameters.trade.persistence=0.7", "powers.CHN.exclusivity=0.2"],
]


@pytest.mark.parametrize("overrides", POINTS, ids=range(len(POINTS)))
def test_numbers_set_quickly_give_the_scenario_of_the_general_path(overrides):
    source = ScenarioSource(BASELINE)
    quick = source._quick(tuple(overrides))
    assert quick is not None  # the quick way takes them
    general = _general(BASELINE, overrides)
    assert_identical(quick, general)
    assert scenario_hash(quick) == scenario_hash(general)
    # a source used before takes the quick way by itself
    assert_identical(source.load(overrides), general)


def test_a_source_used_once_takes_the_general_way():
    """load_scenario reads a file once: validating the base besides would cost more."""
    source = ScenarioSource(BASELINE)
    source.load(["parameters.trade.persistence=0.7"])
    assert source._base is None


def test_numbers_are_read_as_the_set_reader_reads_them():
    assert quick_value("0.7") == (True, 0.7)
    assert quick_value(" -12 ") == (True, -12)
    assert quick_value("1.5e-05") == (True, 1.5e-05)
    assert quick_value("true") == (True, True)
    # YAML 1.1 reads these otherwise (octal, text, text): the general path's business
    for text in ("010", "1e-05", "NaN", "Infinity", ".5", "yes", "0.5 # note", '"0.5"'):
        assert quick_value(text) == (False, None)


@pytest.mark.parametrize(
    "overrides",
    [
        ["time.end_year=2040"],  # which events come after the end: checked on the mapping
        ["relations.CHN-RUS=0.2"],  # an entry of a mapping of numbers, not a field
        ["events[0].year=2012"],  # into a list
        ["parameters.metrics.arena_weights.trade=2.0"],  # a mapping the schema completes
        ["parameters.trade.persistence=7"],  # out of range: the general path words it
        ["powers.XYZ.exclusivity=0.5"],  # an actor the file does not write
    ],
)
def test_what_the_quick_way_does_not_take_goes_the_general_way(overrides):
    source = ScenarioSource(BASELINE)
    source.load()  # used before: a second load would take the quick way if it could
    assert source._quick(tuple(overrides)) is None
    try:
        expected = load_scenario(BASELINE, overrides)
    except PolarsimInputError as exc:
        with pytest.raises(PolarsimInputError) as got:
            source.load(overrides)
        assert str(got.value) == str(exc)
    else:
        assert source.load(overrides) == expected


def test_an_actor_absent_from_the_file_is_not_set_quickly(tmp_path):
    """With no `powers:` in the file, `--set powers.RUS...` makes RUS the only power
    (the catalogue's others are left out): not a number set on the default actors."""
    bare = tmp_path / "bare.yaml"
    bare.write_text("name: bare\ntime: {start_year: 2010, end_year: 2020}\n")
    over = ["powers.RUS.exclusivity=0.5"]
    source = ScenarioSource(bare)
    source.load()
    assert source._quick(tuple(over)) is None
    assert source.load(over) == load_scenario(bare, over)


def test_an_experiments_own_overrides_are_applied_once_for_all_its_points():
    """calibrate_historical.yaml sets `time.start_year` and `time.end_year` before each
    point's numbers: those are validated once, the points' numbers set quickly."""
    path = ROOT / "scenarios" / "historical.yaml"
    own = ["time.start_year=2004", "time.end_year=2010"]
    source = ScenarioSource(path)
    for value in (0.6, 0.7, 0.8):
        overrides = [*own, f"parameters.trade.persistence={value}"]
        assert_identical(source.load(overrides), _general(path, overrides))
    assert source._base is not None and source._base[0] == tuple(own)
