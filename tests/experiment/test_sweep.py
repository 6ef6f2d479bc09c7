"""Experiment files, designs and sweeps (issue 4): schema errors, reproducible designs,
identical results for any worker count, shards + resume, failures, status."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.experiment import load_experiment, make_design, status, sweep
from polarsim.experiment.cli import add_parsers

ROOT = Path(__file__).resolve().parents[2]
BASE = str(ROOT / "scenarios" / "baseline.yaml")
SMALL = {
    "base": BASE,
    "overrides": ["time.end_year=2018"],
    "parameters": {
        "exclusivity": {
            "paths": ["powers.RUS.exclusivity", "powers.CHN.exclusivity"],
            "values": [0.1, 0.8],
        },
        "parameters.contest.decisiveness": {"values": [0.5, 2.0]},
    },
    "design": "grid",
    "replicates": 2,
    "seed": 3,
    "chunk_size": 3,
    "outcomes": {"metrics": ["autonomy_index", "hedging_index"], "years": [2017, 2018]},
}
SORT = ["run_id", "replicate", "year", "state"]


def write(tmp_path, data, name="exp.yaml"):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data))
    return p


def results(folder):
    return pd.read_parquet(Path(folder) / "results").sort_values(SORT).reset_index(drop=True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"design": {"type": "factorial"}}, "design.type"),
        ({"design": "factorial"}, "design.type"),
        ({"replicates": 0}, "replicates"),
        ({"parameters": {"x": {"values": [1], "range": [0, 1]}}}, "parameters.x"),
        ({"outcomes": {"metrics": ["a"], "aggregate": "max"}}, "outcomes.aggregate"),
        ({"design": "sobol"}, "design.samples"),
        ({"design": {"type": "morris"}}, "design.trajectories"),
        ({"parameters": {"x": {"range": [0, 1]}}}, "design.levels"),
    ],
)
def test_schema_errors_name_file_and_field(tmp_path, change, field):
    p = write(tmp_path, {**SMALL, **change})
    with pytest.raises(PolarsimInputError) as err:
        load_experiment(p)
    assert err.value.file == str(p)
    assert err.value.field == field


def test_missing_base_is_an_error(tmp_path):
    p = write(tmp_path, {**SMALL, "base": "nowhere.yaml"})
    with pytest.raises(PolarsimInputError, match="base scenario not found"):
        load_experiment(p)


def test_design_sizes_and_reproducible(tmp_path):
    ranges = {"a": {"range": [0, 1]}, "b": {"range": [1, 5]}, "c": {"values": [1, 2, 3]}}
    cases = [
        ({"type": "grid", "levels": 4}, 4 * 4 * 3),
        ({"type": "random", "samples": 17}, 17),
        ({"type": "latin_hypercube", "samples": 10}, 10),
    ]
    for design, n in cases:
        e = load_experiment(write(tmp_path, {**SMALL, "parameters": ranges, "design": design}))
        d1, d2 = make_design(e), make_design(e)
        assert len(d1) == n and list(d1["run_id"]) == list(range(n))
        pd.testing.assert_frame_equal(d1, d2)
        assert d1["a"].between(0, 1).all() and d1["b"].between(1, 5).all()
    lhs = make_design(
        load_experiment(
            write(tmp_path, {**SMALL, "parameters": ranges, "design": design, "seed": 4})
        )
    )
    assert not lhs.equals(d1)
    pytest.importorskip("SALib")
    only = {"a": {"range": [0, 1]}, "b": {"range": [1, 5]}}
    e = load_experiment(
        write(tmp_path, {**SMALL, "parameters": only, "design": {"type": "sobol", "samples": 8}})
    )
    assert len(make_design(e)) == 8 * (2 + 2)
    e = load_experiment(
        write(
            tmp_path,
            {**SMALL, "parameters": only, "design": {"type": "morris", "trajectories": 5}},
        )
    )
    assert len(make_design(e)) == 5 * (2 + 1)
    pd.testing.assert_frame_equal(make_design(e), make_design(e))


def test_workers_shards_and_resume_give_identical_tables(tmp_path):
    exp = write(tmp_path, SMALL)
    one = sweep(exp, workers=1, out=tmp_path / "one", progress=False)
    assert pd.read_parquet(one / "design.parquet").shape == (4, 3)
    two = sweep(exp, workers=2, out=tmp_path / "two", progress=False)
    a, b = results(one), results(two)
    assert len(a) == 4 * 2 * 2 * 5
    assert {"run_id", "replicate", "exclusivity", "year", "state", "autonomy_index"} <= set(a)
    pd.testing.assert_frame_equal(a, b)
    # interrupted part-way: only shard 0/2 ran, then the whole sweep resumed
    part = sweep(exp, out=tmp_path / "part", shard="0/2", progress=False)
    st = status(part)
    assert st["done"] == 4 and st["remaining"] == 4 and st["total"] == 8
    sweep(exp, out=part, resume=True, progress=False)
    pd.testing.assert_frame_equal(a, results(part))
    assert status(part)["complete"]
    with pytest.raises(PolarsimInputError, match="not empty"):
        sweep(exp, out=one, progress=False)


def test_failures_are_recorded_and_the_sweep_goes_on(tmp_path):
    data = {**SMALL, "parameters": {"powers.RUS.exclusivity": {"values": [0.2, 1.5]}}}
    out = sweep(write(tmp_path, data), out=tmp_path / "f", progress=False)
    st = status(out)
    assert st == {**st, "done": 2, "failed": 2, "not_run": 0, "remaining": 2, "complete": False}
    fails = sorted((out / "failures").glob("*.json"))
    assert len(fails) == 2
    rec = pd.read_json(fails[0], typ="series")
    assert rec["run_id"] == 1 and rec["parameters"] == {"powers.RUS.exclusivity": 1.5}
    assert "out of range" in rec["traceback"]
    assert set(results(out)["run_id"]) == {0}


def test_cli_parsers(tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command"))
    exp = write(tmp_path, {**SMALL, "replicates": 1})
    args = parser.parse_args(["sweep", str(exp), "--out", str(tmp_path / "c"), "--no-progress"])
    assert args.func(args) == 0
    args = parser.parse_args(["status", str(tmp_path / "c")])
    assert args.func(args) == 0
    assert "4/4 done, 0 failed, 0 not yet run" in capsys.readouterr().out
    bad = parser.parse_args(["sweep", str(exp), "--scheduler", "tcp://127.0.0.1:1"])
    with pytest.raises(PolarsimInputError, match="--backend dask"):
        bad.func(bad)


@pytest.mark.parametrize(
    "name", ["replicates_baseline", "exclusivity_vs_competition", "sobol_autonomy"]
)
def test_shipped_experiments_load(name):
    pytest.importorskip("SALib")
    e = load_experiment(ROOT / "experiments" / f"{name}.yaml")
    assert len(make_design(e)) >= 1


def test_samples_and_replicates_scale_a_design_without_editing_the_file(tmp_path):
    data = {**SMALL, "parameters": {"x": {"paths": ["powers.CHN.exclusivity"], "range": [0, 1]}},
            "design": {"type": "latin_hypercube", "samples": 50}, "replicates": 7}  # fmt: skip
    exp = write(tmp_path, data)
    before = exp.read_text()
    out = sweep(exp, out=tmp_path / "s", samples=3, replicates=2, progress=False)
    assert exp.read_text() == before
    assert len(pd.read_parquet(out / "design.parquet")) == 3
    assert status(out)["total"] == 6 and status(out)["complete"]
    assert yaml.safe_load((out / "experiment.yaml").read_text())["replicates"] == 2
    # the same values resume; other values refuse the folder
    sweep(exp, out=out, samples=3, replicates=2, resume=True, progress=False)
    with pytest.raises(PolarsimInputError, match="other --samples/--replicates"):
        sweep(exp, out=out, samples=4, replicates=2, resume=True, progress=False)
    with pytest.raises(PolarsimInputError, match="no sample size"):
        sweep(write(tmp_path, SMALL, "grid.yaml"), out=tmp_path / "g", samples=3, progress=False)
    assert not (tmp_path / "g").exists() or not any((tmp_path / "g").iterdir())


def test_results_are_read_in_task_order_whatever_the_shard_names(tmp_path):
    """A shard's name is its first run_id and a random suffix, so the shards of one
    design point's replicates were read in any order, and means over replicates (the
    Sobol and Morris outcome per point, the calibration's replicate means) moved in
    their last bit from one run of the same sweep to the next."""
    import numpy as np

    from polarsim.experiment.analyze import outcome_per_point
    from polarsim.experiment.shards import read_results

    data = {**SMALL, "replicates": 3, "chunk_size": 1}
    out = sweep(write(tmp_path, data), out=tmp_path / "s", progress=False)
    before = read_results(out)
    tasks = list(zip(before["run_id"], before["replicate"], strict=True))
    assert tasks == sorted(tasks)
    # the same shards under suffixes that sort the other way round
    parts = sorted((out / "results").glob("part-*.parquet"))
    for k, part in enumerate(parts):
        run = part.name.split("-")[1]
        part.rename(part.with_name(f"part-{run}-{len(parts) - k:012d}.parquet"))
    after = read_results(out)
    pd.testing.assert_frame_equal(before, after)
    a = outcome_per_point(before, 4, "autonomy_index")
    assert np.array_equal(a, outcome_per_point(after, 4, "autonomy_index"))


@pytest.mark.parametrize(("years", "steps"), [([2016, 2017], 2), ([2018], 3), (None, 3)])
def test_a_task_stops_after_the_last_year_its_outcomes_keep(tmp_path, monkeypatch, years, steps):
    """A task simulates the years up to the last one its outcomes keep and no further
    (every year when they keep all), and keeps the numbers of the whole run: a year's
    outcomes depend on the years up to it only."""
    from polarsim.experiment.sweep import _Runner, task_rng
    from polarsim.model.model import CompetitionModel

    data = {**SMALL, "replicates": 1, "outcomes": {"metrics": ["autonomy_index"]}}
    if years is not None:
        data["outcomes"]["years"] = years
    exp_file = write(tmp_path, data)
    design = make_design(load_experiment(exp_file))
    runner = _Runner(str(exp_file), design)
    whole = CompetitionModel(runner.setup(0), rng=task_rng(runner.exp.seed, 0, 0))
    while whole.running:
        whole.step()
    want = runner.outcome_columns(runner._kept_years(whole), 0, 0)

    taken = []
    step = CompetitionModel.step
    monkeypatch.setattr(CompetitionModel, "step", lambda m: taken.append(m.year) or step(m))
    got = runner.task_columns(0, 0)
    assert len(taken) == steps
    assert got.keys() == want.keys()
    for name, column in want.items():
        assert (got[name] == column).all(), name


@pytest.mark.parametrize("years", [[2016], [2016, 2018]])
def test_a_tasks_kept_years_are_the_whole_runs_table_to_the_bit(tmp_path, years):
    """The states table of a whole run (what `polarsim run` writes) and the years a
    sweep's task keeps hold the same numbers: the metrics of a year are summed in the
    same order however many years are worked out (they differed in the last bit)."""
    from polarsim.experiment.sweep import _Runner, task_rng
    from polarsim.model.model import CompetitionModel

    metrics = ["autonomy_index", "hedging_index", "diversification"]
    data = {**SMALL, "replicates": 1, "outcomes": {"metrics": metrics, "years": years}}
    data["outcomes"]["aggregate"] = "state"
    exp_file = write(tmp_path, data)
    runner = _Runner(str(exp_file), make_design(load_experiment(exp_file)))
    for run_id in range(2):
        whole = CompetitionModel(runner.setup(run_id), rng=task_rng(runner.exp.seed, run_id, 0))
        while whole.running:
            whole.step()
        table = whole.tables()["states"]
        table = table[table["year"].isin(years)].reset_index(drop=True)
        got = runner.task_columns(run_id, 0)
        for m in metrics:
            assert (got[m] == table[m].to_numpy()).all(), m
