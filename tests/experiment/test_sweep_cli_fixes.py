"""The sweep commands' answers to bad or unusual input: `analyze --outcome` names only
outcomes, `--min-coverage` is a share, analyze never replaces a file polarsim did not
write, `status` names what a folder of another kind holds, `sweep --resume` of a folder
with no sweep in it says so, and an interrupted session leaves its record."""

import importlib
import json
import shutil

import pandas as pd
import pytest

from polarsim.errors import PolarsimInputError
from polarsim.experiment import sweep
from polarsim.experiment.discovery import Interest, prim_box
from polarsim.outputs import MARKER, marker_text
from tests.conftest import SCENARIOS

OUTCOME = "autonomy_index"


def _experiment(folder, chunk_size: int = 25):
    exp = folder / "small.yaml"
    exp.write_text(
        f"chunk_size: {chunk_size}\n"
        f"base: {SCENARIOS / 'historical.yaml'}\n"
        "parameters:\n"
        "  rus: {paths: [powers.RUS.exclusivity], range: [0.0, 1.0]}\n"
        "  chn: {paths: [powers.CHN.exclusivity], range: [0.0, 1.0]}\n"
        "design: {type: sobol, samples: 4}\n"
        "replicates: 1\nseed: 7\n"
        f"outcomes: {{metrics: [{OUTCOME}], years: [2020, 2024], aggregate: state}}\n"
    )
    return exp


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweepcli")
    exp = _experiment(root)
    return exp, sweep(exp, out=root / "s1", progress=False)


@pytest.fixture
def sweep_copy(small_sweep, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(small_sweep[1], out)
    return out


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    from polarsim.cli import main

    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _marker_files(folder) -> list[str]:
    return json.loads((folder / MARKER).read_text())["files"]


# ------------------------------------------------------------------ analyze


@pytest.mark.parametrize("method", ["prim", "sobol", "main-effects"])
@pytest.mark.parametrize("outcome", ["state", "year", "rus", "run_id", "foo"])
def test_an_outcome_that_is_not_one_is_refused(small_sweep, capsys, method, outcome):
    code, _, err = _cli(capsys, "analyze", method, small_sweep[1], "--outcome", outcome)
    assert code == 2 and "Traceback" not in err
    line = err.strip()
    assert "\n" not in line and "--outcome" in line and OUTCOME in line
    listed = line.split("outcomes.metrics")[1]
    assert all(name not in listed for name in ("state", "year", "rus", "chn", "run_id"))


@pytest.mark.parametrize("value", ["2", "0", "-1", "nan", "x", "1.01"])
def test_min_coverage_is_a_share_checked_with_the_arguments(small_sweep, capsys, value):
    code, out, err = _cli(capsys, "analyze", "prim", small_sweep[1], "--min-coverage", value)
    assert code == 2 and "--min-coverage" in err and "(0, 1]" in err
    assert "Traceback" not in err and not out


def test_min_coverage_of_the_python_api_is_checked():
    X = pd.DataFrame({"a": [0.1, 0.2, 0.3, 0.4]})
    with pytest.raises(PolarsimInputError, match="--min-coverage"):
        prim_box(X, [0.0, 1.0, 2.0, 3.0], Interest(below=1.5), min_coverage=0.0)


def test_prim_whose_box_restricts_nothing_says_so(sweep_copy, capsys, monkeypatch):
    """When PRIM's chosen box is the whole design (as in a design too small to peel)
    the table has no rows, which was an IndexError."""
    from polarsim.experiment import discovery

    def whole_design(X, y, interest, min_coverage):
        table, trajectory = real(X, y, interest, min_coverage)
        return table.iloc[0:0], trajectory

    real = discovery.prim_box
    monkeypatch.setattr(discovery, "prim_box", whole_design)
    code, out, err = _cli(capsys, "analyze", "prim", sweep_copy)
    assert code == 0, err
    assert out.startswith(OUTCOME) and "restricts any parameter" in out
    assert (sweep_copy / f"discovery_prim_{OUTCOME}.csv").is_file()


def test_analyze_never_replaces_a_file_of_yours(sweep_copy, capsys):
    csv = sweep_copy / f"discovery_features_{OUTCOME}.csv"
    csv.write_text("MY NOTES\n")
    code, _, err = _cli(capsys, "analyze", "features", sweep_copy)
    assert code == 2 and str(csv) in err and "--force" in err and "Traceback" not in err
    assert csv.read_text() == "MY NOTES\n"

    sens = sweep_copy / f"sensitivity_sobol_{OUTCOME}.csv"
    sens.write_text("MY NOTES\n")
    code, _, err = _cli(capsys, "analyze", "sobol", sweep_copy)
    assert code == 2 and str(sens) in err
    assert sens.read_text() == "MY NOTES\n"
    assert not (sweep_copy / "figures").exists()  # nothing written before the refusal

    # --force replaces them, and records them as polarsim's
    assert _cli(capsys, "analyze", "features", sweep_copy, "--force")[0] == 0
    assert _cli(capsys, "analyze", "sobol", sweep_copy, "--force")[0] == 0
    assert "MY NOTES" not in csv.read_text() + sens.read_text()
    assert {csv.name, sens.name} <= set(_marker_files(sweep_copy))


def test_analyze_records_its_files_and_replaces_them_when_run_again(sweep_copy, capsys):
    for method in ("features", "sobol"):
        code, _, err = _cli(capsys, "analyze", method, sweep_copy)
        assert code == 0, err
    files = set(_marker_files(sweep_copy))
    assert {
        f"discovery_features_{OUTCOME}.csv",
        f"sensitivity_sobol_{OUTCOME}.csv",
        "figures/sensitivity_sobol.png",
        "figures/sensitivity_sobol.pdf",
    } <= files
    for method in ("features", "sobol"):  # again, without --force
        code, _, err = _cli(capsys, "analyze", method, sweep_copy)
        assert code == 0, err
    # the sweep's own files still count: status reads it as before
    assert _cli(capsys, "status", sweep_copy)[0] == 0


def test_a_figure_of_yours_stops_analyze_before_it_writes(sweep_copy, capsys):
    (sweep_copy / "figures").mkdir()
    mine = sweep_copy / "figures" / "sensitivity_sobol.png"
    mine.write_bytes(b"my figure")
    code, _, err = _cli(capsys, "analyze", "sobol", sweep_copy)
    assert code == 2 and str(mine) in err
    assert mine.read_bytes() == b"my figure"
    assert not (sweep_copy / f"sensitivity_sobol_{OUTCOME}.csv").exists()


# ------------------------------------------------------------------- status


def _folder_of_kind(path, marker_kind, manifest):
    path.mkdir()
    (path / MARKER).write_text(marker_text(marker_kind, ["manifest.json", "table.csv"]))
    (path / "manifest.json").write_text(json.dumps(manifest))
    (path / "table.csv").write_text("a\n1\n")
    return path


@pytest.mark.parametrize(
    ("marker_kind", "manifest", "verb"),
    [
        ("run", {"scenario": {}, "hindcast": {}}, "hindcast"),  # an older polarsim's marker
        ("hindcast", {"scenario": {}, "hindcast": {}}, "hindcast"),
        ("skill", {"scenario": "x.yaml", "origins": [2010]}, "skill"),
        ("forecast", {"scenario": "x.yaml", "origin": 2015}, "forecast"),
        ("run", {"scenario": {}, "tables": []}, "run"),
        ("run", {"scenarios": []}, "compare"),  # an older polarsim's marker
        ("compare", {"created_by": "polarsim compare", "scenarios": []}, "compare"),
        ("calibration", {"kind": "calibration"}, "calibrate"),
    ],
)
def test_status_names_the_kind_of_another_folder(tmp_path, capsys, marker_kind, manifest, verb):
    folder = _folder_of_kind(tmp_path / "f", marker_kind, manifest)
    code, _, err = _cli(capsys, "status", folder)
    assert code == 2 and "not a sweep folder" in err
    assert f"`polarsim {verb}`" in err
    if verb != "run":
        assert "polarsim run`" not in err


def test_status_of_a_folder_of_yours(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = _cli(capsys, "status", tmp_path)
    assert code == 2 and "not a sweep folder" in err and "polarsim run" not in err


# ------------------------------------------------------------------- resume


def test_resume_of_a_folder_with_no_sweep_says_so(small_sweep, tmp_path, capsys):
    exp = small_sweep[0]
    run_like = _folder_of_kind(tmp_path / "hc", "run", {"scenario": {}, "hindcast": {}})
    code, _, err = _cli(capsys, "sweep", exp, "--out", run_like, "--resume", "--no-progress")
    assert code == 2 and "can resume" in err and "`polarsim hindcast`" in err
    assert "or --resume" not in err
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("x")
    code, _, err = _cli(capsys, "sweep", exp, "--out", mine, "--resume", "--no-progress")
    assert code == 2 and "can resume" in err and "notes.txt" in err and "or --resume" not in err
    # without --resume, no advice to use it
    code, _, err = _cli(capsys, "sweep", exp, "--out", mine, "--no-progress")
    assert code == 2 and "--resume" not in err
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_resume_where_there_is_no_sweep_starts_one_with_a_note(small_sweep, tmp_path, capsys):
    out = tmp_path / "new"
    code, stdout, err = _cli(
        capsys, "sweep", small_sweep[0], "--out", out, "--resume", "--no-progress"
    )
    assert code == 0, err
    assert f"no sweep to resume at {out}: starting a new one" in err
    assert "0 not yet run" in stdout
    code, _, err = _cli(capsys, "sweep", small_sweep[0], "--out", out, "--resume", "--no-progress")
    assert code == 0 and "no sweep to resume" not in err


# -------------------------------------------------------- interrupted session


def test_an_interrupted_session_leaves_its_record(tmp_path, monkeypatch):
    sweep_module = importlib.import_module("polarsim.experiment.sweep")
    run_chunk = sweep_module._Runner.run_chunk
    calls = []

    def run_chunk_then_interrupt(self, chunk):
        calls.append(len(chunk))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return run_chunk(self, chunk)

    monkeypatch.setattr(sweep_module._Runner, "run_chunk", run_chunk_then_interrupt)
    out = tmp_path / "stopped"
    with pytest.raises(KeyboardInterrupt):
        sweep(_experiment(tmp_path, chunk_size=4), out=out, workers=1, progress=False)
    (record,) = [json.loads(p.read_text()) for p in (out / "sessions").glob("*.json")]
    assert record["interrupted"] is True
    assert record["tasks_run"] == calls[0] == sweep_module.status(out)["done"]
    assert record["tasks_planned"] == sweep_module.status(out)["total"]
    assert record["tasks_failed"] == 0
    monkeypatch.undo()
    sweep(_experiment(tmp_path, chunk_size=4), out=out, resume=True, progress=False)
    records = [json.loads(p.read_text()) for p in (out / "sessions").glob("*.json")]
    assert len(records) == 2
    assert sum(r["tasks_run"] for r in records) == sweep_module.status(out)["total"]
    finished = next(r for r in records if "interrupted" not in r)
    assert "tasks_planned" not in finished  # the record of a whole session is as before


def test_resume_without_out_is_refused(small_sweep, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = _cli(capsys, "sweep", small_sweep[0], "--resume", "--no-progress")
    assert code == 2 and "--resume" in err and "--out" in err
    assert not (tmp_path / "runs").exists()
