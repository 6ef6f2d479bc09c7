"""What the manifest records to reproduce a run."""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from polarsim import provenance
from polarsim.model.recorder import events_frame
from polarsim.run import run, run_model, write_run
from tests.conftest import SCENARIOS

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@needs_git
def test_a_package_inside_another_repository_has_no_commit(tmp_path):
    # a wheel installed into a project's .venv, which git ignores: the project's
    # commit is not polarsim's
    _git("init", "-q", cwd=tmp_path)
    (tmp_path / ".gitignore").write_text(".venv/\n")
    _git("add", ".gitignore", cwd=tmp_path)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x", cwd=tmp_path)
    pkg = tmp_path / ".venv" / "lib" / "site-packages" / "polarsim"
    pkg.mkdir(parents=True)
    (pkg / "provenance.py").write_text("")
    assert provenance._git_commit(pkg) is None


@needs_git
def test_the_checkout_polarsim_comes_from_gives_its_commit():
    here = Path(provenance.__file__).resolve().parent
    found = provenance._git_commit(here)
    head = subprocess.run(
        ["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    assert found is not None and found.split("-")[0] == head.stdout.strip()


def test_the_manifest_records_the_overrides_that_reproduce_the_run():
    params = {"powers.RUS.exclusivity": 0.9}
    first = run(SCENARIOS / "historical.yaml", seed=5, replicates=2, params=params)
    scen = first.manifest["scenario"]
    assert scen["overrides"] == ["powers.RUS.exclusivity=0.9"]
    again = run(
        scen["path"],
        seed=first.manifest["seeds"]["root_seed"],
        replicates=1,
        overrides=scen["overrides"],
    )
    assert again.manifest["scenario"]["sha256"] == scen["sha256"]
    # replicate 1 alone, from the manifest's spawn key
    key = tuple(first.manifest["seeds"]["replicate_spawn_keys"][1])
    rng = np.random.default_rng(np.random.SeedSequence(5, spawn_key=key))
    alone = run_model(again.scenario, rng, replicate=1)["states"]
    both = first.states[first.states["replicate"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, both)


def test_a_run_without_overrides_records_none():
    result = run(SCENARIOS / "historical.yaml", seed=5, replicates=1)
    assert result.manifest["scenario"]["overrides"] == []


def test_a_run_without_events_writes_text_columns_as_text(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    result = run(SCENARIOS / "historical.yaml", seed=5, replicates=1)
    result.events = events_frame([])  # what a run without events records
    write_run(result, tmp_path / "out")
    schema = pq.read_schema(tmp_path / "out" / "events.parquet")
    for name in ("kind", "actor", "target", "detail"):
        assert pa.types.is_large_string(schema.field(name).type) or pa.types.is_string(
            schema.field(name).type
        ), name
    assert schema.field("year").type == pa.int64()
    back = pd.read_parquet(tmp_path / "out" / "events.parquet")
    assert list(back.columns) == list(result.events.columns) and back.empty
