"""Output safety (issue 11): no verb overwrites or deletes a file polarsim did not
create, and a file-system failure (no permission, a file in the way, a full disk, two
commands at once, a closed pipe) ends in one `polarsim:` line, exit 2 and no stale
temporary file, never a traceback.

Each case of the issue has a test named after it; the others are more of the same kind.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from polarsim.errors import PolarsimInputError
from polarsim.outputs import MARKER, OwnedFolder, confine, write_files
from tests.harness import (
    ROOT,
    Outcome,
    Workspace,
    assert_refused,
    assert_untouched,
    tree_hashes,
)

pytestmark = pytest.mark.faults

SHORT = ("--set", "time.end_year=2017")  # a run of three years: about a second

# ------------------------------------------------------------------ helpers


def _polarsim(ws: Workspace, *args, preexec_fn=None, timeout: float = 300) -> Outcome:
    """ws.polarsim with a hook run in the child before it starts (limits, privileges)."""
    before = tree_hashes(ws.root)
    res = subprocess.run(
        [sys.executable, "-m", "polarsim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ws.root,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=preexec_fn,
    )
    return Outcome(res.returncode, res.stdout, res.stderr, before, tree_hashes(ws.root))


def _without_root_override() -> None:
    """In the child: as root, give up the right to ignore file permissions (the
    capability bounding set is what root's next program gets), so a read-only folder is
    read-only for it too."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _can_drop_root_override() -> bool:
    res = subprocess.run(
        [sys.executable, "-c", "open('/proc/self/status').read()"],
        preexec_fn=_without_root_override,
        capture_output=True,
    )
    return res.returncode == 0


def _small_disk(limit: int):
    """In the child: files cannot grow past `limit` bytes, and writing past it fails
    with EFBIG (SIGXFSZ ignored) as on a full disk."""

    def hook() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return hook


def _stale_temporaries(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob(".*")
        if p.name != MARKER and (".tmp" in p.name or ".partial-" in p.name or ".build-" in p.name)
    )


@pytest.fixture
def run_dir(ws: Workspace) -> Path:
    """A one-replicate run folder written by polarsim inside the workspace."""
    out = ws.polarsim("run", "scenarios/baseline.yaml", *SHORT, "--out", "r1")
    assert out.returncode == 0, out.stderr
    return ws.root / "r1"


def _run_dir_if_read(request: pytest.FixtureRequest, args: tuple) -> None:
    """run_dir for the parametrized commands that read r1 only: it is a model run."""
    if "r1" in args:
        request.getfixturevalue("run_dir")


# ---------------------------------------------------- issue: files destroyed


def test_issue_destroyed_1_scenario_out_never_replaces_the_base(ws):
    args = ("calibrate", "experiments/calibrate_historical.yaml", "--samples", "10")
    args += ("--workers", "1", "--out", "out/cal1", "--no-progress")
    out = ws.polarsim(*args, "--scenario-out", "scenarios/historical.yaml")
    assert_refused(out, "scenarios/historical.yaml", "extends")
    out = ws.polarsim(*args, "--scenario-out", "scenarios/historical.yaml", "--force")
    assert_refused(out, "even with --force")
    assert not (ws.root / "out").exists()  # refused before anything ran


def test_scenario_out_never_replaces_a_file_the_base_extends(ws):
    # baseline.yaml extends historical.yaml: a calibration of baseline must not replace it
    text = (ws.root / "experiments/calibrate_historical.yaml").read_text()
    ws.write(
        "experiments/cal_baseline.yaml",
        text.replace("base: ../scenarios/historical.yaml", "base: ../scenarios/baseline.yaml"),
    )
    out = ws.polarsim(
        "calibrate", "experiments/cal_baseline.yaml", "--samples", "10", "--out", "c",
        "--scenario-out", "scenarios/historical.yaml", "--force", "--no-progress",
    )  # fmt: skip
    assert_refused(out, "extends")


def test_scenario_out_refuses_an_existing_file_without_force(ws):
    out = ws.polarsim(
        "calibrate", "experiments/calibrate_historical.yaml", "--samples", "10", "--out", "c",
        "--scenario-out", "paper/draft.md", "--no-progress",
    )  # fmt: skip
    assert_refused(out, "paper/draft.md", "--force")
    assert not (ws.root / "c").exists()


def test_scenario_out_to_a_new_file_is_written_and_loads(ws):
    out = ws.polarsim(
        "calibrate", "experiments/calibrate_historical.yaml", "--samples", "10", "--workers",
        "1", "--out", "c", "--scenario-out", "scenarios/historical_cal.yaml", "--no-progress",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert_untouched(out)
    assert "extends: historical.yaml" in (ws.root / "scenarios/historical_cal.yaml").read_text()
    marker = json.loads((ws.root / "c" / MARKER).read_text())
    assert marker["kind"] == "calibration" and "posterior.csv" in marker["files"]
    assert _stale_temporaries(ws.root) == []


@pytest.fixture
def quick_study(quick_study_build) -> Path:
    """A quick build of the shipped study (made once per test session), which the tests
    below copy into their workspace."""
    return quick_study_build / "built"


def test_issue_destroyed_2_study_never_deletes_the_users_files(ws):
    # A folder of the user's (no marker) holding figures/, tables/ and report.md.
    ws.write("DIR/figures/my_fig1.svg", "<svg>mine</svg>")
    ws.write("DIR/tables/mytable.tex", "% mine")
    ws.write("DIR/report.md", "# my report")
    out = ws.polarsim("study", "experiments/paper/study.yaml", "--quick", "--out", "DIR")
    assert_refused(out, "DIR", "not written by polarsim")
    out = ws.polarsim("study", "experiments/paper/study.yaml", "--quick", "--out", "DIR", "--force")
    assert_refused(out, "DIR")


def test_study_rebuild_keeps_the_users_files_in_its_folder(ws, quick_study):
    shutil.copytree(quick_study, ws.root / "built")
    ws.write("built/figures/my_fig1.svg", "<svg>mine</svg>")
    ws.write("built/tables/mytable.tex", "% mine")
    ws.write("built/notes.md", "my notes")
    marker = json.loads((ws.root / "built" / MARKER).read_text())
    # A file of an older build that this build no longer makes is removed...
    ws.write("built/figures/fig0_retired.png", "old figure")
    marker["files"].append("figures/fig0_retired.png")
    (ws.root / "built" / MARKER).write_text(json.dumps(marker))
    out = ws.polarsim("study", "experiments/paper/study.yaml", "--quick", "--out", "built")
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    mine = ["built/figures/my_fig1.svg", "built/tables/mytable.tex", "built/notes.md"]
    assert all(out.after.get(k) == out.before[k] for k in mine)
    assert not (ws.root / "built/figures/fig0_retired.png").exists()  # ...mine are not
    assert (ws.root / "built/figures/fig1_phase_change.png").is_file()
    assert _stale_temporaries(ws.root) == []


def _unlisted(ws: Workspace, name: str) -> None:
    """As if the user had put built/NAME there: the marker no longer lists it."""
    marker = json.loads((ws.root / "built" / MARKER).read_text())
    marker["files"].remove(name)
    (ws.root / "built" / MARKER).write_text(json.dumps(marker, indent=2) + "\n")


@pytest.mark.parametrize(
    "name", ["report.md", "figures/fig3_phase_level.svg", "tables/table4_discovery.csv"]
)
def test_study_refuses_to_replace_a_users_file_of_a_name_it_writes(ws, quick_study, name):
    # The build without its cache: a study that ran anything would make cache/ again.
    shutil.copytree(quick_study, ws.root / "built", ignore=shutil.ignore_patterns("cache"))
    _unlisted(ws, name)
    out = ws.polarsim("study", "experiments/paper/study.yaml", "--quick", "--out", "built")
    assert_refused(out, f"built/{name}: exists and was not written by polarsim", "--force")
    assert not (ws.root / "built" / "cache").exists()  # refused before anything ran
    assert _stale_temporaries(ws.root) == []


def test_study_force_replaces_a_users_file_of_a_name_it_writes(ws, quick_study):
    name = "figures/fig3_phase_level.svg"
    shutil.copytree(quick_study, ws.root / "built")
    ws.write(f"built/{name}", "<svg>mine</svg>")
    _unlisted(ws, name)
    out = ws.polarsim(
        "study", "experiments/paper/study.yaml", "--quick", "--out", "built", "--force"
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert name in json.loads((ws.root / "built" / MARKER).read_text())["files"]
    assert (ws.root / "built" / name).read_bytes() == (quick_study / name).read_bytes()


def test_study_refuses_another_kind_of_polarsim_folder(ws, run_dir):
    out = ws.polarsim("study", "experiments/paper/study.yaml", "--quick", "--out", "r1")
    assert_refused(out, "r1", "run")


def test_issue_destroyed_3_table_out_never_overwrites(ws, run_dir):
    ws.write("paper/table1.md", "my table")
    out = ws.polarsim("table", "r1", "--out", "paper/table1")
    assert_refused(out, "paper/table1.md", "--force")
    assert not (ws.root / "paper/table1.csv").exists()  # all or nothing
    out = ws.polarsim("table", "r1", "--out", "paper/table1", "--force")
    assert out.returncode == 0, out.stderr
    assert out.changed() == ["paper/table1.md"]


def test_issue_destroyed_3_plot_out_never_overwrites(ws, run_dir):
    out = ws.polarsim("plot", "timeseries", "r1", "--out", "paper/fig1")
    assert_refused(out, "paper/fig1.png", "--force")
    assert sorted(p.name for p in (ws.root / "paper").iterdir()) == ["draft.md", "fig1.png"]
    out = ws.polarsim("plot", "timeseries", "r1", "--out", "paper/fig1", "--force")
    assert out.returncode == 0, out.stderr
    assert out.changed() == ["paper/fig1.png"]


def test_plot_rebuild_inside_a_polarsim_folder_needs_no_force(ws, run_dir):
    assert ws.polarsim("plot", "timeseries", "r1", "--formats", "png").returncode == 0
    out = ws.polarsim("plot", "timeseries", "r1", "--formats", "png", "--layout", "overlay")
    assert out.returncode == 0, out.stderr
    assert "r1/figures/timeseries.png" in out.changed()
    # ...but a file the user put there is not polarsim's
    ws.write("r1/tables/summary.md", "my summary")
    out = ws.polarsim("table", "r1")
    assert_refused(out, "r1/tables/summary.md")


def test_identical_rebuild_is_not_a_conflict(ws, run_dir):
    assert ws.polarsim("table", "r1", "--out", "paper/t").returncode == 0
    out = ws.polarsim("table", "r1", "--out", "paper/t")  # same bytes: nothing to refuse
    assert out.returncode == 0, out.stderr
    assert out.changed() == []


def test_issue_destroyed_4_study_out_stays_inside(ws):
    study = (ws.root / "experiments/paper/study.yaml").read_text()
    outside = ws.root.parent / "elsewhere"
    for out_value in (str(outside), "../elsewhere", "/tmp/figures"):
        ws.write("experiments/paper/s2.yaml", study.replace("out: runs/paper", f"out: {out_value}"))
        out = ws.polarsim("study", "experiments/paper/s2.yaml", "--quick")
        assert_refused(out, "s2.yaml: out:", "outside")
    assert not outside.exists()


def test_study_input_paths_stay_inside(ws):
    study = (ws.root / "experiments/paper/study.yaml").read_text()
    ws.write(
        "experiments/paper/s3.yaml",
        study.replace("../../scenarios/baseline.yaml", "/etc/passwd"),
    )
    out = ws.polarsim("study", "experiments/paper/s3.yaml", "--quick")
    assert_refused(out, "s3.yaml:", ": scenarios.files[0]: /etc/passwd lies outside")
    assert "root:" not in out.stderr


def test_study_out_on_the_command_line_is_not_confined(ws, tmp_path):
    # The user's own choice: refused only because it is a folder of theirs.
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "x.txt").write_text("x")
    out = ws.polarsim("study", "experiments/paper/study.yaml", "--quick", "--out",
                      tmp_path / "mine")  # fmt: skip
    assert_refused(out, "not written by polarsim")
    assert "outside" not in out.stderr


def test_run_never_replaces_a_users_folder_even_with_force(ws):
    for extra in ((), ("--force",)):
        out = ws.polarsim("run", "scenarios/baseline.yaml", *SHORT, "--out", "paper", *extra)
        assert_refused(out, "paper")


def test_run_force_replaces_a_polarsim_folder_whole(ws, run_dir):
    out = ws.polarsim("run", "scenarios/baseline.yaml", *SHORT, "--out", "r1")
    assert_refused(out, "r1", "--force")
    out = ws.polarsim("run", "scenarios/baseline.yaml", *SHORT, "--out", "r1", "--force",
                      "--seed", "7")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "7" in json.loads((run_dir / "manifest.json").read_text())["command"]


@pytest.mark.parametrize("verb", ["compare", "hindcast"])
def test_compare_and_hindcast_refuse_a_users_folder_before_running(ws, verb):
    args = {
        "compare": ("compare", "scenarios/baseline.yaml", "scenarios/open_competition.yaml"),
        "hindcast": ("hindcast", "scenarios/historical.yaml"),
    }[verb]
    out = ws.polarsim(*args, "--replicates", "2", "--out", "paper", "--force")
    assert_refused(out, "paper", "not written by polarsim")


# ----------------------------------------------------------- issue: hangs 5


@pytest.mark.parametrize(
    "args",
    [
        ("run", "scenarios/baseline.yaml"),
        ("compare", "scenarios/baseline.yaml", "scenarios/open_competition.yaml"),
        ("hindcast", "scenarios/historical.yaml"),
    ],
)
def test_issue_hangs_5_replicates_are_bounded(ws, args):
    out = ws.polarsim(*args, "--replicates", "100000000", timeout=60)
    assert_refused(out, "--replicates", "1000", "sweep")


def test_replicates_are_bounded_in_the_python_api():
    from polarsim import run
    from polarsim.compare import compare
    from polarsim.run import MAX_REPLICATES

    base = ROOT / "scenarios" / "baseline.yaml"
    with pytest.raises(PolarsimInputError, match="replicates"):
        run(base, replicates=MAX_REPLICATES + 1)
    with pytest.raises(PolarsimInputError, match="replicates"):
        compare([base, base], replicates=10**8)
    with pytest.raises(PolarsimInputError, match="at least 1"):
        run(base, replicates=0)


# ---------------------------------------------------------- issue: silent 7


def test_issue_silent_7_one_replicate_table_has_no_interval(ws, run_dir):
    out = ws.polarsim("table", "r1", "--out", "paper/t1")
    assert out.returncode == 0, out.stderr
    assert "n = 1" in out.stdout
    assert "[" not in out.stdout.split("\n\n", 1)[1]  # no "[0.674, 0.674]" cells
    tex = (ws.root / "paper/t1.tex").read_text()
    assert "interval" in tex and "[" not in tex.split("\\midrule", 1)[1]
    import pandas as pd

    csv = pd.read_csv(ws.root / "paper/t1.csv")
    assert csv["lower"].isna().all() and csv["upper"].isna().all()


def test_one_replicate_comparison_has_no_interval(ws):
    out = ws.polarsim(
        "compare", "scenarios/baseline.yaml", "scenarios/open_competition.yaml",
        "--replicates", "1", "--no-figures", "--out", "c1",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "n = 1" in out.stdout and "[" not in out.stdout.split("|", 1)[1]


# ------------------------------------------------------- issue: tracebacks


@pytest.mark.skipif(not _can_drop_root_override(), reason="cannot drop root's override")
@pytest.mark.parametrize("verb", ["run", "table", "plot"])
def test_issue_traceback_out_in_a_read_only_folder(ws, request, verb):
    args = {
        "run": ("run", "scenarios/baseline.yaml", *SHORT, "--out", "ro/new"),
        "table": ("table", "r1", "--out", "ro/t"),
        "plot": ("plot", "timeseries", "r1", "--out", "ro/f"),
    }[verb]
    _run_dir_if_read(request, args)
    ro = ws.root / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        out = _polarsim(ws, *args, preexec_fn=_without_root_override)
        assert_refused(out, "ro", "permission denied")
    finally:
        ro.chmod(0o755)
    assert list(ro.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("run", "scenarios/baseline.yaml", *SHORT, "--out", "paper/draft.md/x"),
        ("run", "scenarios/baseline.yaml", *SHORT, "--out", "paper/draft.md"),
        ("table", "r1", "--out", "paper/draft.md/t"),
        ("plot", "timeseries", "r1", "--out", "paper/draft.md/f"),
        ("study", "experiments/paper/study.yaml", "--quick", "--out", "paper/draft.md/s"),
        ("hindcast", "scenarios/historical.yaml", "--out", "paper/draft.md/h"),
    ],
)
def test_issue_traceback_out_below_a_file(ws, request, args):
    _run_dir_if_read(request, args)
    out = ws.polarsim(*args)
    assert_refused(out, "paper/draft.md")


def test_issue_traceback_two_runs_into_one_folder(ws):
    cmd = [sys.executable, "-m", "polarsim", "run", "scenarios/baseline.yaml", *SHORT,
           "--out", "same", "--replicates", "3"]  # fmt: skip
    procs = [
        subprocess.Popen(
            cmd, cwd=ws.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )  # fmt: skip
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(rc for rc, _ in results)
    assert codes == [0, 2], results
    err = next(e for rc, e in results if rc == 2)
    # a loaded machine may show the progress bar (after 1 s) before the error line
    errors = [line for line in err.splitlines() if line.startswith("polarsim: error:")]
    assert "Traceback" not in err and len(errors) == 1 and "same" in errors[0], err
    files = json.loads((ws.root / "same" / MARKER).read_text())["files"]
    assert {"states.parquet", "manifest.json"} <= set(files)  # whole, from one run
    assert _stale_temporaries(ws.root) == []


@pytest.mark.parametrize(
    ("args", "limit"),
    [
        (("run", "scenarios/baseline.yaml", *SHORT, "--out", "full"), 20_000),
        (("table", "r1", "--out", "paper/t"), 500),
        (("plot", "timeseries", "r1", "--out", "paper/f"), 5_000),
        (
            (
                "compare",
                "scenarios/baseline.yaml",
                "scenarios/open_competition.yaml",
                "--replicates",
                "2",
                "--out",
                "full",
            ),
            20_000,
        ),  # fmt: skip
    ],
)
def test_issue_traceback_disk_full_leaves_no_temporary_file(ws, request, args, limit):
    _run_dir_if_read(request, args)
    out = _polarsim(ws, *args, preexec_fn=_small_disk(limit))
    assert_refused(out, "too large")
    assert not (ws.root / "full").exists()
    assert not (ws.root / "paper/t.csv").exists() and not (ws.root / "paper/f.csv").exists()
    assert _stale_temporaries(ws.root) == []


def test_issue_traceback_schema_into_a_closed_pipe(ws):
    res = subprocess.run(
        f"'{sys.executable}' -m polarsim schema | head -n 1; "
        f"'{sys.executable}' -m polarsim schema --markdown | head -n 1",
        shell=True, cwd=ws.root, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert res.stderr == "", res.stderr
    assert res.stdout.count("\n") == 2


def test_any_os_error_becomes_one_line(monkeypatch, capsys):
    import polarsim.cli as cli
    import polarsim.scenario_cli as scenario_cli

    def broken(args):
        raise PermissionError(13, "Permission denied", "/somewhere/file")

    monkeypatch.setattr(scenario_cli, "cmd_schema", broken)
    assert cli.main(["schema"]) == 2
    err = capsys.readouterr().err
    assert err == "polarsim: error: /somewhere/file: cannot read or write: permission denied\n"


# ------------------------------------------------- the module, in process


def test_write_files_is_all_or_nothing(tmp_path):
    (tmp_path / "a.md").write_text("mine")
    with pytest.raises(PolarsimInputError, match="--force"):
        write_files({tmp_path / "a.csv": "1", tmp_path / "a.md": "2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    write_files({tmp_path / "a.csv": "1", tmp_path / "a.md": "2"}, force=True)
    assert (tmp_path / "a.md").read_text() == "2"


def test_write_files_never_replaces_a_folder(tmp_path):
    (tmp_path / "f.png").mkdir()
    with pytest.raises(PolarsimInputError, match="folder"):
        write_files({tmp_path / "f.png": b"x"}, force=True)


def test_write_files_replaces_only_what_polarsim_listed(tmp_path):
    folder = OwnedFolder(tmp_path / "o", kind="test")
    folder.write("figures/a.png", b"1")
    write_files({folder.path("figures/b.png"): b"1"})  # new: added to the marker
    write_files({folder.path("figures/b.png"): b"2"})  # listed: replaced
    (folder.path("figures/c.png")).write_bytes(b"user")
    with pytest.raises(PolarsimInputError, match="not listed as polarsim's"):
        write_files({folder.path("figures/c.png"): b"3"})
    listed = json.loads(folder.path(MARKER).read_text())["files"]
    assert listed == ["figures/a.png", "figures/b.png"]
    folder.write("figures/a.png", b"again")  # OwnedFolder keeps write_files' names
    assert "figures/b.png" in json.loads(folder.path(MARKER).read_text())["files"]


def test_owned_folder_discards_only_its_own_files(tmp_path):
    folder = OwnedFolder(tmp_path / "o", kind="test")
    folder.write("x.txt", "polarsim")
    folder.path("mine.txt").write_text("user")
    again = OwnedFolder(tmp_path / "o", kind="test")
    with pytest.raises(PolarsimInputError, match="mine.txt"):
        again.check(["x.txt", "mine.txt"])
    again.discard("x.txt")
    again.discard("mine.txt")
    assert sorted(p.name for p in again.folder.iterdir()) == [MARKER, "mine.txt"]


def test_confine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "sub" / "study.yaml"
    assert confine(Path("runs/x"), file=spec, field="out") == Path("runs/x")
    assert confine(spec.parent / "a.yaml", file=spec, field="f") == spec.parent / "a.yaml"
    for bad in ("/etc/passwd", "../../x", "sub/../../x"):
        with pytest.raises(PolarsimInputError, match="study.yaml: out: .*outside"):
            confine(Path(bad), file=spec, field="out")


def test_write_files_without_hard_links(tmp_path, monkeypatch):
    import errno

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_files({tmp_path / "a.csv": "1"})
    assert (tmp_path / "a.csv").read_text() == "1"
    with pytest.raises(PolarsimInputError, match="--force"):
        write_files({tmp_path / "a.csv": "2"})
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_an_os_error_without_errno_keeps_its_message():
    # OSError("Timed out trying to connect ...") (Dask, sockets) was described as
    # "cannot read or write: OSError", its message dropped
    from polarsim.outputs import describe_os_error

    exc = OSError("Timed out trying to connect to tcp://127.0.0.1:1 after 30 s")
    text = describe_os_error(exc, None, action="read or write")
    assert text == f"cannot read or write: {exc}"
    assert describe_os_error(OSError(), None) == "cannot write: OSError"
