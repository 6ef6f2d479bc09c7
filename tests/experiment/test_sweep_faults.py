"""Faults of sweeps (issue 11): workers that must die with their parent, worker counts
and design sizes that must be bounded, inputs changed between a shard and a resume,
damaged shards and failure records, a full disk, analyses of the wrong folder, broken
design tables. Each ends with a message and exit 2, or with a sweep equal to one that
was never disturbed."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from polarsim.experiment import status, sweep
from tests.experiment.processes import alive, children, needs_proc, wait_until
from tests.harness import assert_refused, assert_untouched

pytestmark = pytest.mark.faults

SORT = ["run_id", "replicate", "year", "state"]

#: a sweep of 9 design points x 2 replicates on a short horizon (seconds)
SMALL = {
    "base": "../scenarios/baseline.yaml",
    "overrides": ["time.end_year=2016"],
    "parameters": {
        "powers.CHN.exclusivity": {"values": [0.1, 0.4, 0.7]},
        "parameters.contest.decisiveness": {"values": [0.5, 1.0, 2.0]},
    },
    "replicates": 2,
    "seed": 5,
    "chunk_size": 2,
    "outcomes": {"metrics": ["autonomy_index"], "years": [2016]},
}

#: long enough (120 tasks of one per chunk) that a kill lands while workers run
LONG = {
    **SMALL,
    "overrides": ["time.end_year=2025"],
    "parameters": {"powers.CHN.exclusivity": {"values": [0.1, 0.4, 0.7]}},
    "replicates": 40,
    "chunk_size": 1,
    "outcomes": {"metrics": ["autonomy_index"], "years": [2025]},
}


def experiment(ws, name: str, data: dict) -> str:
    ws.write(f"experiments/{name}.yaml", yaml.safe_dump(data, sort_keys=False))
    return f"experiments/{name}.yaml"


def results(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "results").sort_values(SORT).reset_index(drop=True)


def reference(ws, exp: str) -> pd.DataFrame:
    """The same sweep undisturbed, in-process, outside the workspace."""
    out = ws.root.parent / f"reference-{Path(exp).stem}"
    if not out.exists():
        sweep(ws.root / exp, out=out, progress=False)
    return results(out)


def start_sweep(ws, *args) -> subprocess.Popen:
    """`polarsim sweep` in a session of its own (its own process group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "polarsim", "sweep", *args, "--no-progress"],
        cwd=ws.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


# ------------------------------------------------------------ orphaned workers


@needs_proc
def test_workers_die_with_a_killed_parent_and_resume_completes(ws):
    """Hangs 2: kill -9 of the parent of --workers 2 leaves no worker behind."""
    exp = experiment(ws, "long", LONG)
    proc = start_sweep(ws, exp, "--out", "out/k", "--workers", "2")
    workers: list[int] = []
    try:
        parts = ws.root / "out" / "k" / "results"
        wait_until(
            lambda: len(children(proc.pid)) == 2 and len(list(parts.glob("part-*"))) >= 2,
            120,
            "two workers and two shards",
        )
        workers = children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, not its group
        proc.wait(timeout=30)
        wait_until(lambda: not any(alive(w) for w in workers), 60, f"workers {workers} to exit")
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
    st = status(ws.root / "out" / "k")
    assert 0 < st["done"] < st["total"] and st["corrupt"] == 0
    done = ws.polarsim("sweep", exp, "--out", "out/k", "--resume", "--workers", "2",
                       "--no-progress")  # fmt: skip
    assert done.returncode == 0, done.stderr
    pd.testing.assert_frame_equal(reference(ws, exp), results(ws.root / "out" / "k"))


_ORPHAN_SCRIPT = """
import multiprocessing, os, sys, time
from polarsim.experiment import workers

def child(parent):
    workers._set_parent_death_signal = lambda: None  # the watchdog alone
    workers.guard_orphan(parent)
    time.sleep(600)

if __name__ == "__main__":
    p = multiprocessing.get_context("fork").Process(target=child, args=(os.getpid(),))
    p.start()
    print(p.pid, flush=True)
    time.sleep(600)
"""


@needs_proc
def test_the_watchdog_alone_ends_an_orphaned_worker(tmp_path):
    """Where there is no parent-death signal, the watchdog thread notices the parent
    is gone."""
    script = tmp_path / "orphan.py"
    script.write_text(_ORPHAN_SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    child = int(proc.stdout.readline())
    try:
        assert alive(child)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        wait_until(lambda: not alive(child), 60, "the orphan to exit")
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)


# ----------------------------------------------------------------- worker count


def _session(folder: Path) -> dict:
    [record] = [json.loads(p.read_text()) for p in (folder / "sessions").glob("*.json")]
    return record


def test_workers_are_capped_at_the_cpus_with_one_note(ws):
    """Hangs 3: --workers 40 starts no more processes than CPUs (and chunks)."""
    exp = experiment(ws, "small", SMALL)
    out = ws.polarsim("sweep", exp, "--out", "out/w", "--workers", "40", "--no-progress")
    assert out.returncode == 0, out.stderr
    notes = [ln for ln in out.stderr.splitlines() if ln.startswith("polarsim: note:")]
    assert len(notes) == 1 and "--workers 40" in notes[0] and "--oversubscribe" in notes[0]
    record = _session(ws.root / "out" / "w")
    assert record["workers_asked"] == 40
    assert record["workers"] <= min(os.cpu_count(), 5)  # 18 tasks in chunks of 2
    pd.testing.assert_frame_equal(reference(ws, exp), results(ws.root / "out" / "w"))


def test_oversubscribe_starts_the_workers_asked_for(ws):
    exp = experiment(ws, "small", SMALL)
    n = len(os.sched_getaffinity(0)) + 1
    out = ws.polarsim("sweep", exp, "--out", "out/o", "--workers", n, "--oversubscribe",
                      "--no-progress")  # fmt: skip
    assert out.returncode == 0 and "note" not in out.stderr, out.stderr
    assert _session(ws.root / "out" / "o")["workers"] == n


def test_oversubscribe_has_a_ceiling(ws):
    exp = experiment(ws, "small", SMALL)
    out = ws.polarsim("sweep", exp, "--out", "out/o", "--workers", 100000, "--oversubscribe")
    assert_refused(out, "--workers", "MAX_WORKERS_PER_CPU")
    assert not (ws.root / "out").exists()


@pytest.mark.parametrize("value", [0, -3])
def test_workers_below_one_are_refused(ws, value):
    exp = experiment(ws, "small", SMALL)
    assert_refused(ws.polarsim("sweep", exp, "--out", "out/z", "--workers", value), "--workers")
    assert not (ws.root / "out").exists()


def test_worker_count_rule(monkeypatch, capsys):
    from polarsim.experiment import workers

    monkeypatch.setattr(workers, "available_cpus", lambda: 2)
    assert workers.worker_count(40, 8) == 2
    assert capsys.readouterr().err.count("polarsim: note:") == 1
    assert workers.worker_count(2, 8) == 2 and workers.worker_count(2, 1) == 1
    assert workers.worker_count(6, 8, oversubscribe=True) == 6
    assert workers.worker_count(6, 3, oversubscribe=True) == 3
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------ design size


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--samples", "1000000"], ["--samples", "12,000,000 points", "MAX_RUNS"]),
        (["--samples", "100000000"], ["--samples", "GB"]),
        (["--samples", "512", "--replicates", "1000"], ["--replicates", "6,144,000 runs"]),
    ],
)
def test_an_oversized_sobol_sweep_is_refused_before_it_is_built(ws, args, needles):
    """Hangs 4: the size is estimated (N(D + 2) points) and refused, no memory filled."""
    out = ws.polarsim("sweep", "experiments/sobol_autonomy.yaml", "--out", "out/big", *args)
    assert_refused(out, *needles)
    assert not (ws.root / "out").exists()


def test_an_oversized_grid_is_refused_naming_its_levels(ws):
    data = {**SMALL, "parameters": {"powers.CHN.exclusivity": {"range": [0, 1]},
                                    "parameters.contest.decisiveness": {"range": [0.5, 2]}},
            "design": {"type": "grid", "levels": 100000}}  # fmt: skip
    exp = experiment(ws, "grid", data)
    out = ws.polarsim("sweep", exp, "--out", "out/g")
    assert_refused(out, "experiments/grid.yaml", "design.levels", "10,000,000,000 points")


def test_an_oversized_morris_design_and_replicates_in_the_file(ws):
    data = {**SMALL, "parameters": {"powers.CHN.exclusivity": {"range": [0, 1]}},
            "design": {"type": "morris", "trajectories": 600000}}  # fmt: skip
    exp = experiment(ws, "morris", data)
    assert_refused(ws.polarsim("sweep", exp, "--out", "out/m"), "design.trajectories")
    exp = experiment(ws, "reps", {**SMALL, "replicates": 500000})
    assert_refused(ws.polarsim("sweep", exp, "--out", "out/r"), "experiments/reps.yaml",
                   "replicates", "4,500,000 runs")  # fmt: skip


# ---------------------------------------------------------- inputs of a resume


def _edit(path: Path) -> None:
    path.write_text(path.read_text() + "\n# edited after the first shard\n")


@pytest.mark.parametrize(
    ("changed", "needle"),
    [
        ("scenarios/baseline.yaml", "the base scenario"),
        ("scenarios/historical.yaml", "a file the base scenario extends"),
        ("experiments/small.yaml", "the experiment file"),
    ],
)
def test_a_resume_refuses_changed_inputs_naming_the_file(ws, changed, needle):
    """Silent 4: the base scenario (or what it extends) edited between --shard 0/2 and
    --resume: refused, naming the file; nothing in the folder changes."""
    exp = experiment(ws, "small", SMALL)
    first = ws.polarsim("sweep", exp, "--out", "out/s", "--shard", "0/2", "--no-progress")
    assert first.returncode == 0, first.stderr
    _edit(ws.root / changed)
    for args in (["--resume"], ["--shard", "1/2"]):
        out = ws.polarsim("sweep", exp, "--out", "out/s", *args, "--no-progress")
        assert_refused(out, changed, needle, "start a new --out")
    manifest = json.loads((ws.root / "out/s/manifest.json").read_text())
    assert [i["role"] for i in manifest["inputs"]] == [
        "the experiment file", "the base scenario", "a file the base scenario extends"
    ]  # fmt: skip


def test_a_changed_design_table_is_refused_too(ws):
    ws.write("experiments/points.csv", "powers.CHN.exclusivity\n0.1\n0.5\n0.9\n")
    data = {**SMALL, "parameters": {"powers.CHN.exclusivity": {"range": [0, 1]}},
            "design": {"type": "table", "file": "points.csv"}}  # fmt: skip
    exp = experiment(ws, "table", data)
    first = ws.polarsim("sweep", exp, "--out", "out/t", "--shard", "0/2", "--no-progress")
    assert first.returncode == 0, first.stderr
    ws.write("experiments/points.csv", "powers.CHN.exclusivity\n0.1\n0.6\n0.9\n")
    out = ws.polarsim("sweep", exp, "--out", "out/t", "--resume")
    assert_refused(out, "points.csv", "the design table")


def test_a_resume_with_other_samples_is_refused(ws):
    data = {**SMALL, "parameters": {"powers.CHN.exclusivity": {"range": [0, 1]}},
            "design": {"type": "random", "samples": 40}, "replicates": 1}  # fmt: skip
    exp = experiment(ws, "random", data)
    first = ws.polarsim("sweep", exp, "--out", "out/r", "--samples", "3", "--shard", "0/2",
                        "--no-progress")  # fmt: skip
    assert first.returncode == 0, first.stderr
    out = ws.polarsim("sweep", exp, "--out", "out/r", "--samples", "4", "--resume")
    assert_refused(out, "other --samples/--replicates")


def test_a_resume_runs_from_the_kept_copy_and_equals_an_undisturbed_sweep(ws):
    """The folder holds what it ran from: the experiment as run and the base scenario
    with a copy of each file it extends; a resume with unchanged inputs completes it to
    the reference table."""
    exp = experiment(ws, "small", SMALL)
    assert ws.polarsim("sweep", exp, "--out", "out/s", "--shard", "1/2").returncode == 0
    kept = ws.root / "out" / "s"
    assert yaml.safe_load((kept / "experiment.yaml").read_text())["base"] == "base/baseline.yaml"
    copy = yaml.safe_load((kept / "base" / "baseline.yaml").read_text())
    assert copy["extends"] == "extends/1-historical.yaml"  # the chain, copied file by file
    parent = yaml.safe_load((kept / "base" / "extends" / "1-historical.yaml").read_text())
    assert "extends" not in parent and parent["time"]["start_year"]
    done = ws.polarsim("sweep", exp, "--out", "out/s", "--resume", "--no-progress")
    assert done.returncode == 0, done.stderr
    pd.testing.assert_frame_equal(reference(ws, exp), results(kept))


# --------------------------------------------------------------------- analyze


SOBOL = {
    "base": "../scenarios/baseline.yaml",
    "overrides": ["time.end_year=2017"],
    "parameters": {
        "parameters.coercion.rate": {"range": [0.5, 10.0]},
        "parameters.responses.dependence_weight": {"range": [0.1, 3.0]},
    },
    "design": {"type": "sobol", "samples": 4},
    "replicates": 1,
    "seed": 3,
    "outcomes": {"metrics": ["autonomy_index"], "years": [2017], "aggregate": "mean"},
}


def test_analyze_reads_the_experiment_kept_in_the_folder(ws):
    """Silent 5: swapping two parameter lines in the original after the sweep does not
    move one parameter's index under the other's name (nor does deleting it)."""
    exp = experiment(ws, "sobol", SOBOL)
    assert ws.polarsim("sweep", exp, "--out", "out/sob", "--no-progress").returncode == 0
    before = ws.polarsim("analyze", "sobol", "out/sob")
    assert before.returncode == 0, before.stderr
    params = SOBOL["parameters"]
    swapped = {**SOBOL, "parameters": dict(reversed(list(params.items())))}
    experiment(ws, "sobol", swapped)
    after = ws.polarsim("analyze", "sobol", "out/sob")
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    (ws.root / exp).unlink()
    (ws.root / "scenarios" / "baseline.yaml").unlink()
    again = ws.polarsim("analyze", "sobol", "out/sob")
    assert again.returncode == 0 and again.stdout == before.stdout, again.stderr


def test_analyze_of_a_run_folder_says_it_is_not_a_sweep(ws):
    run = ws.polarsim("run", "scenarios/baseline.yaml", "--set", "time.end_year=2016",
                      "--out", "out/run", "--no-figures")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert_refused(ws.polarsim("analyze", "sobol", "out/run"), "not a sweep folder", "run")
    assert_refused(ws.polarsim("status", "out/run"), "not a sweep folder")


@pytest.mark.parametrize("folder", ["paper", "nowhere", "paper/draft.md"])
def test_status_and_analyze_of_other_paths(ws, folder):
    assert_refused(ws.polarsim("status", folder), folder)
    assert_refused(ws.polarsim("analyze", "sobol", folder), folder)


def test_analyze_refuses_an_incomplete_sweep(ws):
    exp = experiment(ws, "sobol", SOBOL)
    assert ws.polarsim("sweep", exp, "--out", "out/half", "--shard", "0/2").returncode == 0
    out = ws.polarsim("analyze", "sobol", "out/half")
    assert_refused(out, "incomplete", "--resume")


# ------------------------------------------------------------- damaged files


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_truncated_shard_is_reported_set_aside_and_rerun(ws):
    """Tracebacks: a truncated shard broke status, --resume and analyze."""
    exp = experiment(ws, "sobol", SOBOL)
    assert ws.polarsim("sweep", exp, "--out", "out/t", "--no-progress").returncode == 0
    folder = ws.root / "out" / "t"
    good = results(folder)
    shard = sorted((folder / "results").glob("part-*.parquet"))[0]
    _truncate(shard)
    st = ws.polarsim("status", "out/t")
    assert st.returncode == 0 and "unreadable" in st.stdout and shard.name in st.stdout
    assert_untouched(st)
    as_json = json.loads(ws.polarsim("status", "out/t", "--json").stdout)
    assert as_json["corrupt"] == 1 and not as_json["complete"]
    assert_refused(ws.polarsim("analyze", "sobol", "out/t"), "unreadable", "--resume")
    resumed = ws.polarsim("sweep", exp, "--out", "out/t", "--resume", "--no-progress")
    assert resumed.returncode == 0 and "Traceback" not in resumed.stderr, resumed.stderr
    assert "_corrupt" in resumed.stderr
    assert (folder / "results" / "_corrupt" / shard.name).is_file()
    pd.testing.assert_frame_equal(good, results(folder))
    after = status(folder)
    assert after["complete"] and after["corrupt"] == 0 and after["set_aside"] == 1
    assert ws.polarsim("analyze", "sobol", "out/t").returncode == 0


@pytest.mark.parametrize("content", [b"{not json", b'{"run_id": "x"}'])
def test_a_corrupt_failure_record_is_reported_and_set_aside(ws, content):
    """Tracebacks: a corrupt failures/*.json broke status."""
    data = {**SMALL, "parameters": {"powers.RUS.exclusivity": {"values": [0.2, 1.5]}}}
    exp = experiment(ws, "fails", data)
    first = ws.polarsim("sweep", exp, "--out", "out/f", "--no-progress")
    assert first.returncode == 1  # a run failed: recorded, the sweep went on
    record = sorted((ws.root / "out/f/failures").glob("run*.json"))[0]
    record.write_bytes(content)
    st = ws.polarsim("status", "out/f")
    assert st.returncode == 0 and record.name in st.stdout, st.stderr
    assert_untouched(st)
    again = ws.polarsim("sweep", exp, "--out", "out/f", "--resume", "--no-progress")
    assert "Traceback" not in again.stderr and again.returncode == 1
    assert (ws.root / "out/f/failures/_corrupt" / record.name).is_file()
    assert status(ws.root / "out/f")["failed"] == 2


def test_a_damaged_manifest_is_a_message(ws):
    exp = experiment(ws, "small", SMALL)
    assert ws.polarsim("sweep", exp, "--out", "out/m", "--no-progress").returncode == 0
    (ws.root / "out/m/manifest.json").write_text("{truncated")
    assert_refused(ws.polarsim("status", "out/m"), "manifest.json", "damaged")
    assert_refused(ws.polarsim("sweep", exp, "--out", "out/m", "--resume"), "manifest.json")


# ---------------------------------------------------------------- a full disk


def _file_size_limit(n_bytes: int):
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, n_bytes))

    return limit


def _polarsim_limited(ws, n_bytes: int, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "polarsim", *args],
        cwd=ws.root,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_file_size_limit(n_bytes),
    )


def test_a_full_disk_while_writing_the_design_leaves_no_temporary_file(ws):
    """Tracebacks: "file too large" left a stale temporary design file."""
    data = {**SMALL, "parameters": {"powers.CHN.exclusivity": {"range": [0, 1]},
                                    "parameters.contest.decisiveness": {"range": [0.5, 2]}},
            "design": {"type": "random", "samples": 20000}, "replicates": 1}  # fmt: skip
    exp = experiment(ws, "wide", data)
    res = _polarsim_limited(ws, 64 * 1024, "sweep", exp, "--out", "out/full", "--no-progress")
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    [line] = [ln for ln in res.stderr.splitlines() if ln.startswith("polarsim:")]
    assert "design.parquet" in line and "too large" in line
    folder = ws.root / "out" / "full"
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]
    assert not (folder / "design.parquet").exists()


def test_a_full_disk_mid_sweep_stops_cleanly_and_resumes(ws):
    exp = experiment(ws, "small", SMALL)
    # room for the folder's small files and a few shards, not for all of them
    res = _polarsim_limited(ws, 6 * 1024, "sweep", exp, "--out", "out/mid", "--no-progress",
                            "--workers", "2")  # fmt: skip
    folder = ws.root / "out" / "mid"
    if res.returncode == 0:
        pytest.skip("every shard fitted under the limit on this platform")
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    assert "too large" in res.stderr
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]
    done = ws.polarsim("sweep", exp, "--out", "out/mid", "--resume", "--no-progress")
    assert done.returncode == 0, done.stderr
    pd.testing.assert_frame_equal(reference(ws, exp), results(folder))


# ------------------------------------------------------------- design tables


TABLE = {
    **SMALL,
    "parameters": {
        "powers.CHN.exclusivity": {"range": [0, 1]},
        "parameters.contest.decisiveness": {"range": [0.5, 2.0]},
    },
    "design": {"type": "table", "file": "points.csv"},
}


@pytest.mark.parametrize(
    ("csv", "needles"),
    [
        ("", ["line 1", "empty"]),
        ("\n\n", ["line 1", "empty"]),
        ("powers.CHN.exclusivity,parameters.contest.decisiveness\n", ["no rows"]),
        ("powers.CHN.exclusivity\n0.1\n", ["line 1", "parameters.contest.decisiveness"]),
        (
            "powers.CHN.exclusivity,parameters.contest.decisiveness\n0.1,1\n0.2,1,3\n",
            ["line 3", "expected 2 values", "found 3"],
        ),
        (
            "powers.CHN.exclusivity,parameters.contest.decisiveness\n0.1,1\n0.2,abc\n",
            ["line 3", "column 'parameters.contest.decisiveness'", "'abc'"],
        ),
        (
            "powers.CHN.exclusivity,parameters.contest.decisiveness\n0.1,\n",
            ["line 2", "empty"],
        ),
        (
            "powers.CHN.exclusivity,parameters.contest.decisiveness\nnan,1\n",
            ["line 2", "expected a number"],
        ),
        (
            'powers.CHN.exclusivity,parameters.contest.decisiveness\n"0.1,1\n',
            ["points.csv"],
        ),
        ("powers.CHN.exclusivity,powers.CHN.exclusivity\n1,2\n", ["appears twice"]),
    ],
)
def test_a_broken_design_table_names_file_line_and_column(ws, csv, needles):
    """Tracebacks: an empty or malformed CSV of a table design."""
    ws.write("experiments/points.csv", csv)
    exp = experiment(ws, "table", TABLE)
    out = ws.polarsim("sweep", exp, "--out", "out/t")
    assert_refused(out, "points.csv", "design.file", *needles)
    assert not (ws.root / "out").exists()


def test_a_binary_design_table_is_refused(ws):
    ws.write("experiments/points.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    exp = experiment(ws, "table", TABLE)
    assert_refused(ws.polarsim("sweep", exp, "--out", "out/t"), "points.csv", "UTF-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_design_table_that_is_a_pipe_is_refused_without_blocking(ws):
    os.mkfifo(ws.root / "experiments" / "points.csv")
    exp = experiment(ws, "table", TABLE)
    out = ws.polarsim("sweep", exp, "--out", "out/t", timeout=60)
    assert_refused(out, "points.csv")


def test_a_good_design_table_runs(ws):
    ws.write(
        "experiments/points.csv",
        "note,powers.CHN.exclusivity,parameters.contest.decisiveness\na,0.1,1\nb,0.5,2\n",
    )
    exp = experiment(ws, "table", TABLE)
    out = ws.polarsim("sweep", exp, "--out", "out/t", "--no-progress")
    assert out.returncode == 0, out.stderr
    assert (ws.root / "out/t/design-table.csv").read_text().startswith("note,")
    assert status(ws.root / "out/t")["complete"]


# ------------------------------------------------------------ flags and folders


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--shard", "2/2"], "--shard"),
        (["--shard", "one/two"], "--shard"),
        (["--samples", "0"], "--samples"),
        (["--replicates", "-1"], "--replicates"),
        (["--samples", "5"], "no sample size"),  # a grid has none
    ],
)
def test_bad_flags_are_refused_before_a_folder_is_made(ws, args, needle):
    exp = experiment(ws, "small", SMALL)
    assert_refused(ws.polarsim("sweep", exp, "--out", "out/b", *args), needle)
    assert not (ws.root / "out").exists()


@pytest.mark.parametrize(
    ("out", "args"),
    [("paper", ["--resume"]), ("paper", []), ("paper/draft.md", []), ("paper", ["--shard", "0/2"])],
)
def test_a_folder_of_the_users_is_never_joined(ws, out, args):
    exp = experiment(ws, "small", SMALL)
    assert_refused(ws.polarsim("sweep", exp, "--out", out, *args), out)
    assert sorted(p.name for p in (ws.root / "paper").iterdir()) == ["draft.md", "fig1.png"]


def test_a_run_folder_is_not_resumed_as_a_sweep(ws):
    run = ws.polarsim("run", "scenarios/baseline.yaml", "--set", "time.end_year=2016",
                      "--out", "out/run", "--no-figures")  # fmt: skip
    assert run.returncode == 0, run.stderr
    exp = experiment(ws, "small", SMALL)
    assert_refused(ws.polarsim("sweep", exp, "--out", "out/run", "--resume"), "out/run")


def test_a_sweep_stopped_before_its_design_resumes(ws):
    """A start cut short (the design never written) is finished by --resume."""
    exp = experiment(ws, "small", SMALL)
    assert ws.polarsim("sweep", exp, "--out", "out/s", "--no-progress").returncode == 0
    (ws.root / "out/s/design.parquet").unlink()
    for part in (ws.root / "out/s/results").glob("part-*"):
        part.unlink()
    st = ws.polarsim("status", "out/s")
    assert_refused(st, "--resume")
    again = ws.polarsim("sweep", exp, "--out", "out/s", "--resume", "--no-progress")
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(reference(ws, exp), results(ws.root / "out" / "s"))
