"""A sweep's design point is prepared from the base scenario read once
(`ScenarioSource`) and the parts of the preparation its values leave unchanged
(`model.setup._part`). That fast path must give what the slow one gives, read from
the files and prepared from nothing: the same Setup, field by field, for a change of
every numeric parameter and actor value, and the same run tables for the points of
the shipped experiments."""

from __future__ import annotations

import dataclasses
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from polarsim.errors import PolarsimInputError
from polarsim.experiment.spec import base_path, load_experiment, param_paths
from polarsim.model import setup as model_setup
from polarsim.model.setup import Setup, prepare
from polarsim.scenario import load_scenario
from polarsim.scenario.load import ScenarioSource
from polarsim.scenario.parameters import Parameters

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))

#: The cached properties of a Setup: compared after they are computed on both sides.
CACHED = [name for name, v in vars(Setup).items() if isinstance(v, cached_property)]


def _forget() -> None:
    """Empty every cache of the preparation: what follows is prepared from nothing."""
    model_setup.forget()


def _slow(base: Path, overrides: list[str]) -> Setup:
    _forget()
    return prepare(load_scenario(base, overrides))


def _fast(source: ScenarioSource, overrides: list[str]) -> Setup:
    """A point prepared after the base scenario, as a sweep's runner prepares it."""
    _forget()
    prepare(source.load())
    model_setup._CACHE.clear()  # the parts stay; the base's whole Setup must not serve
    return prepare(source.load(overrides))


def _same(a, b, where: str) -> None:
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where, strict=True)
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif hasattr(a, "__dict__") and type(a).__module__.startswith("polarsim.model"):
        assert type(a) is type(b), where
        _same(vars(a), vars(b), where)
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def assert_same_setup(fast: Setup, slow: Setup) -> None:
    _same(fast, slow, "setup")
    for name in CACHED:
        if name != "institution_memo":  # filled by runs, empty in both here
            _same(getattr(fast, name), getattr(slow, name), f"setup.{name}")


def _run_tables(su: Setup, seed: int) -> dict[str, pd.DataFrame]:
    from polarsim.model.model import CompetitionModel

    m = CompetitionModel(su, rng=np.random.default_rng(seed))
    while m.running:
        m.step()
    return m.recorder.tables(m.events)


def _a_value(field, current) -> list:
    """Values other than `current` inside the field's documented range."""
    lo = hi = None
    for meta in field.metadata:
        lo = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lo
        lo = getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else lo
        hi = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else hi
        hi = getattr(meta, "lt", None) if getattr(meta, "lt", None) is not None else hi
    if lo is None or hi is None:
        base = current if current is not None else 1.0
        candidates = [base * 1.1 + 0.1, base * 0.9]
    else:
        candidates = [lo + f * (hi - lo) for f in (0.37, 0.63, 0.5)]
    if isinstance(current, int):
        candidates = [round(c) for c in candidates]
    return [c for c in candidates if c != current]


def _numeric_paths() -> list[tuple[str, object]]:
    """(dotted path, field info) of every number of every parameter group, of one
    power's and one state's attributes, and of the time span."""
    from polarsim.scenario.actors import PowerSpec, StateSpec
    from polarsim.scenario.schema import TimeSpan

    out = []
    for group, info in Parameters.model_fields.items():
        for name, f in info.annotation.model_fields.items():
            out.append((f"parameters.{group}.{name}", f))
    for prefix, model in (("powers.RUS", PowerSpec), ("states.KAZ", StateSpec)):
        for name, f in model.model_fields.items():
            out.append((f"{prefix}.{name}", f))
    for name, f in TimeSpan.model_fields.items():
        out.append((f"time.{name}", f))
    return out


def _current(scenario, path: str):
    node = scenario
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def _changes() -> list[str]:
    """One valid override per numeric field (the first value of its range the schema
    accepts; a field whose values all depend on another is left out)."""
    base = load_scenario(BASELINE)
    out = []
    for path, f in _numeric_paths():
        current = _current(base, path)
        if isinstance(current, bool) or not isinstance(current, int | float | type(None)):
            continue
        if current is None and f.annotation not in (float | None, int | None):
            continue
        for value in _a_value(f, current):
            item = f"{path}={value}"
            try:
                load_scenario(BASELINE, [item])
            except PolarsimInputError:
                continue
            out.append(item)
            break
    return out


CHANGES = _changes()


def test_the_changes_cover_every_parameter_group_and_the_actors():
    groups = {c.split(".")[1] for c in CHANGES if c.startswith("parameters.")}
    assert groups == set(Parameters.model_fields)
    assert any(c.startswith("powers.") for c in CHANGES)
    assert any(c.startswith("states.") for c in CHANGES)
    assert any(c.startswith("time.start_year") for c in CHANGES)
    assert len(CHANGES) > 60


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_value_prepares_as_from_nothing(change):
    source = ScenarioSource(BASELINE)
    assert_same_setup(_fast(source, [change]), _slow(BASELINE, [change]))


def _experiment_points(exp_path: Path) -> list[list[str]]:
    """Two points of an experiment file: its parameters at 30 % and at 80 % of their
    range (or their first and last values), over its own overrides."""
    exp = load_experiment(exp_path)
    points = []
    for frac, pick in ((0.3, 0), (0.8, -1)):
        over = list(exp.overrides)
        for name, p in exp.parameters.items():
            if p.range is not None:
                v = p.range[0] + frac * (p.range[1] - p.range[0])
                v = round(v) if p.integer else v
            elif p.values is not None:
                v = p.values[pick]
            else:
                v = p.distribution.normal.mean
            over += [f"{path}={v}" for path in param_paths(name, p)]
        points.append(over)
    return points


@pytest.mark.parametrize("exp_path", EXPERIMENTS, ids=lambda p: p.stem)
def test_the_shipped_experiments_points_run_as_from_nothing(exp_path):
    exp = load_experiment(exp_path)
    base = base_path(exp_path, exp)
    source = ScenarioSource(base)
    for overrides in _experiment_points(exp_path):
        fast, slow = _fast(source, overrides), _slow(base, overrides)
        assert_same_setup(fast, slow)
        for seed in (1, 2):
            a, b = _run_tables(fast, seed), _run_tables(slow, seed)
            for name in a:
                pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)


def test_a_source_refuses_as_load_scenario_does():
    source = ScenarioSource(BASELINE)
    source.load()
    for bad in (
        ["parameters.trade.persistence=7"],
        ["powers.CHN.exclusivity=-1", "parameters.coercion.rate=yes"],
        ["events[999].year=2030"],
        ["nonsense"],
    ):
        with pytest.raises(PolarsimInputError) as slow:
            load_scenario(BASELINE, bad)
        with pytest.raises(PolarsimInputError) as fast:
            source.load(bad)
        assert str(fast.value) == str(slow.value)
        assert getattr(fast.value, "problems", None) == getattr(slow.value, "problems", None)


def test_overrides_of_one_point_do_not_reach_the_next():
    source = ScenarioSource(BASELINE)
    first = source.load(["parameters.trade.persistence=0.61", "powers.CHN.exclusivity=0.9"])
    second = source.load(["description=second", "time.end_year=2040"])
    assert first.parameters.trade.persistence == 0.61
    assert second == load_scenario(BASELINE, ["description=second", "time.end_year=2040"])
    assert source.load() == load_scenario(BASELINE)


def _general_scenario(base: Path, overrides: list[str]):
    """The scenario the general way: --set on the merged mapping, the whole validated
    (no numbers set on a validated base, scenario.points)."""
    from polarsim.scenario.dating import late_event_problems
    from polarsim.scenario.load import check_data

    source = ScenarioSource(base)
    data, marks, ends = source._merged(overrides)
    scenario, problems = check_data(data, source.top, marks, late_event_problems(data, ends))
    assert not problems
    return scenario


def test_a_points_setup_carries_its_scenario_hash():
    from polarsim.scenario import scenario_hash

    source = ScenarioSource(BASELINE)
    source.load()
    for overrides in _experiment_points(ROOT / "experiments" / "sobol_autonomy.yaml"):
        scenario = source.load(overrides)
        assert prepare(scenario).scenario_hash == scenario_hash(scenario)


def test_a_sobol_sweep_gives_the_results_of_the_general_path(tmp_path):
    """Every row of a Sobol sweep (points set the quick way, their preparation from
    shared parts) equals, bit for bit, the run of its point loaded the general way and
    prepared from nothing, with the sweep's seed for the task."""
    import yaml

    from polarsim.experiment import sweep
    from polarsim.experiment.design import make_design
    from polarsim.experiment.sweep import _Runner, task_rng
    from polarsim.model.model import CompetitionModel

    sobol = ROOT / "experiments" / "sobol_autonomy.yaml"
    doc = yaml.safe_load(sobol.read_text())
    doc["base"] = str((sobol.parent / doc["base"]).resolve())
    doc["design"]["samples"] = 1
    exp_file = tmp_path / "sobol.yaml"
    exp_file.write_text(yaml.safe_dump(doc))
    folder = sweep(exp_file, workers=1, out=tmp_path / "out", progress=False)
    got = pd.read_parquet(folder / "results").sort_values(["run_id", "replicate", "year"])
    design = make_design(load_experiment(exp_file))
    runner = _Runner(str(exp_file), design)
    expected = []
    for run_id in runner.params:
        _forget()
        setup = prepare(_general_scenario(Path(doc["base"]), runner.overrides(run_id)))
        model = CompetitionModel(setup, rng=task_rng(runner.exp.seed, run_id, 0))
        while model.running:
            model.step()
        expected.append(runner.reduce(runner._kept_years(model), run_id, 0))
    want = pd.concat(expected, ignore_index=True)
    assert len(want) == len(design) > 10
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want[got.columns], check_exact=True, check_dtype=False
    )


def test_a_chunks_table_is_the_concatenation_of_its_tasks_tables():
    """sweep.chunk_frame builds one table from the tasks' columns: the table pd.concat
    of each task's table gives, dtypes included; mixed dtypes take pandas' own way."""
    from polarsim.experiment.sweep import chunk_frame

    def task(run_id, value, states):
        n = len(states)
        return {
            "run_id": np.full(n, run_id, dtype=np.int64),
            "replicate": np.zeros(n, dtype=np.int64),
            "x": np.repeat(np.asarray([value]), n),
            "year": np.full(n, 2040, dtype=np.int64),
            "state": np.array(states, dtype=object),
            "autonomy_index": np.linspace(0.1, 0.9, n),
        }

    for values in ([0.5, 1.25, 2.0], [1, 2, 3], [1, 2.5, "a"], ["ab", "abc", "a"]):
        parts = [task(i, v, ["KAZ", "UZB"] if i % 2 else ["mean"]) for i, v in enumerate(values)]
        want = pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)
        pd.testing.assert_frame_equal(chunk_frame(parts), want, check_exact=True)
