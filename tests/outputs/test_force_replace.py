"""--force replaces a folder polarsim wrote only if it is of the kind being written and
holds nothing but the files its marker lists (docs/reliability.md, "Your files are never
overwritten"); otherwise it refuses, naming the folder and what is in the way, and
changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polarsim.errors import PolarsimInputError
from polarsim.outputs import MARKER, check_output_dir, marker_text, new_output_dir
from tests.harness import assert_refused

pytestmark = pytest.mark.faults

SHORT = ("--set", "time.end_year=2017", "--no-figures")  # a run of three years


def _write(out: Path, kind: str = "run", files: dict[str, str] | None = None) -> None:
    """A folder written whole by new_output_dir, as polarsim writes it."""
    with new_output_dir(out, kind=kind, force=True) as tmp:
        for rel, text in (files or {"a.csv": "1\n", "sub/b.csv": "2\n"}).items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(text)


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): (p.read_text() if p.is_file() else "/")
        for p in sorted(root.rglob("*"))
    }


# ------------------------------------------------------------ the module itself


def test_same_kind_with_only_polarsims_files_is_replaced_whole(tmp_path):
    out = tmp_path / "o"
    _write(out)
    _write(out, files={"c.csv": "3\n"})
    assert sorted(_tree(out)) == [MARKER, "c.csv"]
    assert json.loads((out / MARKER).read_text())["files"] == ["c.csv"]


def test_a_users_file_or_folder_inside_is_kept_and_refused(tmp_path):
    out = tmp_path / "o"
    _write(out)
    (out / "notes.txt").write_text("notes")
    (out / "mine").mkdir()
    (out / "mine" / "a.txt").write_text("x")
    (out / "sub" / "c.txt").write_text("y")  # next to a file polarsim wrote
    (out / "empty").mkdir()
    before = _tree(out)
    with pytest.raises(PolarsimInputError) as err:
        _write(out, files={"c.csv": "3\n"})
    msg = str(err.value)
    assert msg.startswith(f"{out}: holds files polarsim did not write (")
    assert "empty/, mine/, notes.txt and 1 more" in msg
    assert "move them or choose another --out" in msg
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["o"]  # no temporary left


def test_a_users_symlink_inside_is_refused(tmp_path):
    out = tmp_path / "o"
    _write(out)
    (tmp_path / "data").mkdir()
    (out / "link").symlink_to(tmp_path / "data")
    with pytest.raises(PolarsimInputError, match=r"did not write \(link\)"):
        check_output_dir(out, force=True, kind="run")
    assert (out / "link").is_symlink()


def test_a_leftover_of_a_killed_write_is_polarsims(tmp_path):
    out = tmp_path / "o"
    _write(out)
    (out / "sub" / ".b.csv.1234-0a1b2c3d.tmp").write_text("half")
    _write(out, files={"c.csv": "3\n"})
    assert sorted(_tree(out)) == [MARKER, "c.csv"]


def test_a_folder_of_another_kind_is_refused(tmp_path):
    out = tmp_path / "o"
    _write(out, kind="skill")
    before = _tree(out)
    with pytest.raises(PolarsimInputError) as err:
        _write(out, kind="run")
    assert (
        str(err.value) == f"{out}: holds a polarsim skill output, not a run; choose another --out"
    )
    assert _tree(out) == before


@pytest.mark.parametrize("kind", ["sweep", "study", "calibration"])
def test_a_folder_never_written_whole_is_refused_without_a_kind(tmp_path, kind):
    out = tmp_path / "o"
    out.mkdir()
    (out / MARKER).write_text(marker_text(kind))
    (out / "results.parquet").write_text("hours of work")
    with pytest.raises(PolarsimInputError, match=f"holds a polarsim {kind} output, not"):
        check_output_dir(out, force=True)
    with pytest.raises(PolarsimInputError, match=f"holds a polarsim {kind} output, not a run"):
        check_output_dir(out, force=True, kind="run")


def test_a_file_added_while_the_command_ran_is_kept(tmp_path):
    out = tmp_path / "o"
    _write(out)
    with pytest.raises(PolarsimInputError, match=r"did not write \(late.txt\)"):
        with new_output_dir(out, force=True) as tmp:
            (tmp / "c.csv").write_text("3\n")
            (out / "late.txt").write_text("mine")
    assert (out / "late.txt").read_text() == "mine"
    assert (out / "a.csv").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["o"]


# ------------------------------------------------------------- the command line


def test_run_force_keeps_the_users_files_in_its_folder(ws):
    assert ws.polarsim("run", "scenarios/historical.yaml", *SHORT, "--out", "o/rf").returncode == 0
    ws.write("o/rf/notes.txt", "notes")
    ws.write("o/rf/mine/a.txt", "x")
    out = ws.polarsim("run", "scenarios/historical.yaml", *SHORT, "--out", "o/rf", "--force")
    assert_refused(out, "o/rf: holds files polarsim did not write (mine/, notes.txt)")
    assert (ws.root / "o/rf/notes.txt").read_text() == "notes"
    assert (ws.root / "o/rf/mine/a.txt").read_text() == "x"


def test_run_force_twice_with_figures_replaces_its_own_folder(ws):
    args = ("run", "scenarios/historical.yaml", "--set", "time.end_year=2017", "--out", "rf")
    assert ws.polarsim(*args).returncode == 0
    # a figure and a table polarsim adds later are listed in the marker too
    assert ws.polarsim("table", "rf").returncode == 0
    before = json.loads((ws.root / "rf" / MARKER).read_text())["files"]
    assert any(f.startswith("tables/") for f in before)
    out = ws.polarsim(*args, "--force", "--seed", "7")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "7" in json.loads((ws.root / "rf" / "manifest.json").read_text())["command"]
    assert not (ws.root / "rf" / "tables").exists()  # replaced whole
    out = ws.polarsim(*args, "--force")
    assert out.returncode == 0, out.stderr[-2000:]


def test_run_force_never_replaces_a_sweep(ws):
    ws.write("sw/" + MARKER, marker_text("sweep"))
    ws.write("sw/results/part-0.parquet", "hours of work")
    out = ws.polarsim("run", "scenarios/historical.yaml", *SHORT, "--out", "sw", "--force")
    assert_refused(out, "sw: holds a polarsim sweep output, not", "choose another --out")


def test_compare_force_never_replaces_a_study(ws):
    ws.write("runs/q1/" + MARKER, marker_text("study", ["report.md"]))
    ws.write("runs/q1/report.md", "the study's report")
    args = ("compare", "scenarios/historical.yaml", "scenarios/baseline.yaml")
    out = ws.polarsim(*args, "--replicates", "2", "--out", "runs/q1", "--force")
    assert_refused(out, "runs/q1: holds a polarsim study output, not", "choose another --out")


# ------------------------------------------------ comparisons: a kind of their own


def _legacy(out: Path, manifest: dict) -> None:
    """A folder as an older polarsim wrote it: marked "run" whatever it held."""
    _write(out, files={"manifest.json": json.dumps(manifest), "a.csv": "1\n"})
    (out / MARKER).write_text(marker_text("run", ["manifest.json", "a.csv"]))


def test_a_comparison_and_a_run_do_not_replace_each_other(tmp_path):
    run_dir, cmp_dir = tmp_path / "r", tmp_path / "c"
    _write(run_dir, kind="run")
    _write(cmp_dir, kind="compare")
    assert check_output_dir(cmp_dir, force=True, kind="compare")
    with pytest.raises(PolarsimInputError, match="holds a polarsim compare output, not a run"):
        check_output_dir(cmp_dir, force=True, kind="run")
    with pytest.raises(PolarsimInputError, match="holds a polarsim run output, not a compare"):
        check_output_dir(run_dir, force=True, kind="compare")


@pytest.mark.parametrize(
    ("manifest", "held"),
    [
        ({"created_by": "polarsim compare", "scenarios": []}, "compare"),
        ({"scenario": {}, "hindcast": {}}, "hindcast"),
    ],
)
def test_an_older_folder_marked_run_is_taken_for_what_its_manifest_says(tmp_path, manifest, held):
    out = tmp_path / "old"
    _legacy(out, manifest)
    assert check_output_dir(out, force=True, kind=held)
    with pytest.raises(PolarsimInputError, match=f"holds a polarsim {held} output, not a run"):
        check_output_dir(out, force=True, kind="run")
    with new_output_dir(out, kind=held, force=True) as tmp:
        (tmp / "b.csv").write_text("2\n")
    assert json.loads((out / MARKER).read_text())["kind"] == held  # the marker is mended


def test_an_older_run_folder_stays_a_run(tmp_path):
    out = tmp_path / "old"
    _legacy(out, {"scenario": {"name": "x"}})
    assert check_output_dir(out, force=True, kind="run")
    with pytest.raises(PolarsimInputError, match="holds a polarsim run output, not a compare"):
        check_output_dir(out, force=True, kind="compare")


def test_compare_marks_its_folder_compare_and_replaces_an_older_one(ws):
    for name in ("a", "b"):  # compare has no --set: two short scenarios
        ws.write(f"scenarios/{name}.yaml", "extends: historical.yaml\ntime: {end_year: 2017}\n")
    args = ("compare", "scenarios/a.yaml", "scenarios/b.yaml")
    args += ("--replicates", "2", "--no-figures", "--out", "cmp")
    assert ws.polarsim(*args).returncode == 0
    marker = ws.root / "cmp" / MARKER
    assert json.loads(marker.read_text())["kind"] == "compare"
    out = ws.polarsim("run", "scenarios/historical.yaml", *SHORT, "--out", "cmp", "--force")
    assert_refused(out, "cmp: holds a polarsim compare output, not a run")
    # the same folder as polarsim wrote it before comparisons had a kind of their own
    data = json.loads(marker.read_text())
    marker.write_text(marker_text("run", data["files"]))
    out = ws.polarsim(*args, "--force")
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(marker.read_text())["kind"] == "compare"
