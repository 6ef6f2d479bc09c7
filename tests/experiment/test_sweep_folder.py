"""The sweep folder's bookkeeping (issue 11): design sizes computed before a design is
built, the `extends` chain of the base scenario, reading shards and failure records one
by one."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.experiment import load_experiment, make_design, status, sweep
from polarsim.experiment.design import design_points
from polarsim.experiment.folder import extends_chain, input_files
from polarsim.experiment.shards import scan, set_aside

ROOT = Path(__file__).resolve().parents[2]
RANGES = {"a": {"range": [0, 1]}, "b": {"range": [1, 5]}, "c": {"range": [0, 2]}}


def _exp(tmp_path, **data):
    p = tmp_path / "exp.yaml"
    p.write_text(yaml.safe_dump({"base": str(ROOT / "scenarios" / "baseline.yaml"), **data}))
    return load_experiment(p)


@pytest.mark.parametrize(
    "design",
    [
        {"type": "grid", "levels": 3},
        {"type": "random", "samples": 7},
        {"type": "latin_hypercube", "samples": 5},
        {"type": "sobol", "samples": 4},
        {"type": "sobol", "samples": 4, "second_order": True},
        {"type": "morris", "trajectories": 3},
    ],
)
def test_design_points_is_the_size_make_design_builds(tmp_path, design):
    pytest.importorskip("SALib")
    e = _exp(tmp_path, parameters=RANGES, design=design)
    assert design_points(e) == len(make_design(e))


def test_a_grid_of_values_and_levels(tmp_path):
    params = {"a": {"values": [1, 2, 3, 4]}, "b": {"range": [0, 1]}}
    e = _exp(tmp_path, parameters=params, design={"type": "grid", "levels": 5})
    assert design_points(e) == 20 == len(make_design(e))


def test_make_design_refuses_an_oversized_design_whoever_calls_it(tmp_path):
    e = _exp(tmp_path, parameters=RANGES, design={"type": "random", "samples": 10**9})
    with pytest.raises(PolarsimInputError, match="MAX_RUNS") as err:
        make_design(e)
    assert err.value.field == "design.samples"


def test_extends_chain_follows_the_loader(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text("extends: sub/b.yaml\n")
    (tmp_path / "sub" / "b.yaml").write_text("extends: ../c.yaml\n")
    (tmp_path / "c.yaml").write_text("name: c\n")
    chain = extends_chain(tmp_path / "a.yaml")
    assert [p.resolve() for p in chain] == [
        (tmp_path / "sub" / "b.yaml").resolve(),
        (tmp_path / "c.yaml").resolve(),
    ]
    (tmp_path / "c.yaml").write_text("extends: a.yaml\n")  # a cycle: stops, loader reports
    assert len(extends_chain(tmp_path / "a.yaml")) == 2
    shipped = extends_chain(ROOT / "scenarios" / "china_ascendant.yaml")
    assert [p.name for p in shipped] == ["baseline.yaml", "historical.yaml"]


def test_input_files_of_a_shipped_experiment():
    path = ROOT / "experiments" / "replicates_baseline.yaml"
    roles = [i["role"] for i in input_files(path, load_experiment(path))]
    assert roles[:2] == ["the experiment file", "the base scenario"]
    assert all(len(i["sha256"]) == 64 for i in input_files(path, load_experiment(path)))


def test_scan_reads_shards_one_by_one_and_set_aside_moves_them(tmp_path):
    e = tmp_path / "exp.yaml"
    e.write_text(
        yaml.safe_dump(
            {
                "base": str(ROOT / "scenarios" / "baseline.yaml"),
                "overrides": ["time.end_year=2016"],
                "parameters": {"powers.CHN.exclusivity": {"values": [0.2, 0.6]}},
                "replicates": 2,
                "chunk_size": 1,
            }
        )
    )
    out = sweep(e, out=tmp_path / "s", progress=False)
    shards = sorted((out / "results").glob("part-*.parquet"))
    assert len(shards) == 4 and len(scan(out).done) == 4
    shards[1].write_bytes(b"PAR1 not really")
    (out / "failures").mkdir()
    (out / "failures" / "run0000001-rep0001.json").write_text("[1, 2")
    found = scan(out)
    assert len(found.done) == 3 and len(found.corrupt) == 2 and found.set_aside == 0
    assert status(out)["corrupt"] == 2 and not status(out)["complete"]
    moved = set_aside(found.corrupt)
    assert all(p.parent.name == "_corrupt" for p in moved)
    assert scan(out).set_aside == 2 and scan(out).corrupt == []
    # pandas reads the results folder without what was set aside
    assert len(pd.read_parquet(out / "results")[["run_id", "replicate"]].drop_duplicates()) == 3
    sweep(e, out=out, resume=True, progress=False)
    assert status(out)["complete"]


def test_resume_with_another_experiment_file_names_the_one_it_was_started_with(tmp_path):
    # a different file at another path was reported as "has changed since the sweep
    # started", as if the file given had been edited
    from polarsim.experiment.folder import check_inputs

    started = {"role": "the experiment file", "path": "/a/first.yaml", "sha256": "1" * 64}
    other = {"role": "the experiment file", "path": "/b/second.yaml", "sha256": "2" * 64}
    with pytest.raises(PolarsimInputError) as err:
        check_inputs(tmp_path, {"inputs": [started]}, [other])
    text = str(err.value)
    assert "/b/second.yaml" in text and "/a/first.yaml" in text
    assert "has changed" not in text
    edited = {**started, "sha256": "3" * 64}  # the same file, edited: as before
    with pytest.raises(PolarsimInputError, match="has changed since"):
        check_inputs(tmp_path, {"inputs": [started]}, [edited])
