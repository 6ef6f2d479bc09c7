"""The command line as a user types it: outputs, provenance, errors (exit 2, one line)."""

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from polarsim.cli import main
from tests.conftest import SCENARIOS
from tests.harness import in_process


def polarsim(*args, cwd=None) -> subprocess.CompletedProcess:
    """`python -m polarsim ARGS` in `cwd`, through the entry point in this process (see
    tests.harness.in_process: the same exit code, stdout and stderr, without starting
    Python and importing numpy, pandas and matplotlib again for each call)."""
    code, out, err = in_process(*args, cwd=Path.cwd() if cwd is None else cwd)
    return subprocess.CompletedProcess(["polarsim", *map(str, args)], code, out, err)


def test_run_writes_tables_manifest_and_figures(tmp_path):
    out = tmp_path / "run"
    res = polarsim(
        "run", SCENARIOS / "historical.yaml", "--seed", 3, "--replicates", 2, "--out", out
    )
    assert res.returncode == 0, res.stderr
    for name in (
        "states.parquet",
        "system.parquet",
        "events.parquet",
        "manifest.json",
        "scenario.resolved.yaml",
        "figures/autonomy.png",
        "figures/autonomy.pdf",
    ):
        assert (out / name).is_file(), name
    states = pd.read_parquet(out / "states.parquet")
    assert set(states["state"]) == {"KAZ", "UZB", "KGZ", "TJK", "TKM"}
    assert set(states["replicate"]) == {0, 1}
    assert states["year"].min() == 2015 and states["year"].max() == 2024
    for p in ("CHN", "RUS", "USA", "EU", "TUR"):
        for arena in ("trade", "infra", "security"):
            col = states[f"{arena}_share_{p}"]
            assert col.between(0, 1).all()
    for col in ("autonomy_index", "hedging_index", "trade_hhi", "infra_hhi", "security_hhi"):
        assert col in states
    system = pd.read_parquet(out / "system.parquet")
    assert len(system) == 2 * 10 and {"con", "n_blocs", "frustration"} <= set(system)
    events = pd.read_parquet(out / "events.parquet")
    assert {"project_operating", "membership_join", "sanctions"} <= set(events["kind"])
    man = json.loads((out / "manifest.json").read_text())
    assert len(man["scenario"]["sha256"]) == 64
    assert man["seeds"]["root_seed"] == 3
    assert man["versions"]["mesa"].startswith("3.5")
    assert man["command"][:2] == ["polarsim", "run"]


def test_same_seed_same_numbers_different_seed_different(tmp_path):
    a, b, c = (tmp_path / n for n in "abc")
    for out, seed in ((a, 7), (b, 7), (c, 8)):
        assert (
            main(
                [
                    "run",
                    str(SCENARIOS / "historical.yaml"),
                    "--seed",
                    str(seed),
                    "--out",
                    str(out),
                    "--no-figures",
                ]
            )
            == 0
        )
    sa, sb, sc = (pd.read_parquet(d / "states.parquet") for d in (a, b, c))
    pd.testing.assert_frame_equal(sa, sb)
    assert not sa["trade_share_CHN"].equals(sc["trade_share_CHN"])


def test_default_out_folder_under_runs(tmp_path):
    res = polarsim("run", SCENARIOS / "historical.yaml", "--no-figures", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    made = list((tmp_path / "runs").iterdir())
    assert len(made) == 1 and made[0].name.startswith("historical-")


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "file not found"),
        ("time: {start_year: 2005\nname: x\n", "malformed YAML"),
        ("name: x\npowers: {XYZ: {}}\n", "unknown actor 'XYZ'"),
        ("name: x\ntime: {start_year: 1990}\n", "time.start_year"),
        ("name: x\nevents: [{type: invasion, year: 2010}]\n", "unknown event type"),
        ("name: x\npowers: {RUS: {exclusivty: 0.5}}\n", "powers.RUS.exclusivty"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    if content is not None:
        path.write_text(content)
    res = polarsim("run", path, "--out", tmp_path / "out")
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert expected in lines[0] and "Traceback" not in res.stderr
    assert str(path) in lines[0]
    assert not (tmp_path / "out").exists()


def test_existing_output_folder_is_not_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    res = polarsim("run", SCENARIOS / "historical.yaml", "--out", out)
    assert res.returncode == 2 and "not empty" in res.stderr
    assert (out / "keep.txt").read_text() == "precious"
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_set_override_is_visible_in_resolved_scenario(tmp_path):
    out = tmp_path / "out"
    res = polarsim(
        "run",
        SCENARIOS / "historical.yaml",
        "--set",
        "powers.RUS.exclusivity=0.95",
        "--out",
        out,
        "--no-figures",
    )
    assert res.returncode == 0, res.stderr
    text = (out / "scenario.resolved.yaml").read_text()
    assert "exclusivity: 0.95" in text


def test_compare_writes_table_and_figure(tmp_path):
    out = tmp_path / "cmp"
    res = polarsim(
        "compare",
        SCENARIOS / "baseline.yaml",
        SCENARIOS / "spheres_of_influence.yaml",
        "--replicates",
        2,
        "--years",
        2030,
        2050,
        "--out",
        out,
    )
    assert res.returncode == 0, res.stderr
    assert "spheres_of_influence (Δ vs baseline)" in res.stdout
    table = pd.read_csv(out / "comparison.csv")
    assert set(table["year"]) == {2030, 2050} and set(table["scenario"]) == {
        "baseline",
        "spheres_of_influence",
    }
    assert (out / "figures" / "compare.pdf").is_file()


def test_compare_bad_year_is_one_line_exit_2(tmp_path):
    res = polarsim(
        "compare",
        SCENARIOS / "historical.yaml",
        SCENARIOS / "baseline.yaml",
        "--years",
        2040,
        "--out",
        tmp_path / "x",
    )
    assert res.returncode == 2 and "not simulated" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and not (tmp_path / "x").exists()
