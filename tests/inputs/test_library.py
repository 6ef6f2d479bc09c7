"""The scenario library that ships with the package: library names resolve when no
file of that name exists (yours win), `polarsim init` copies the library out without
replacing anything, and a wheel built from the repository runs `polarsim run baseline`
outside the repository."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from polarsim.inputs.library import LIBRARY, library_names, resolve
from tests.conftest import ROOT
from tests.harness import run_cli as polarsim


def test_the_library_is_the_repository_s(tmp_path, monkeypatch):
    names = {p.stem for p in (ROOT / "scenarios").glob("*.yaml")}
    assert set(library_names("scenarios")) == names
    monkeypatch.chdir(tmp_path)
    assert resolve("baseline").resolve() == (ROOT / "scenarios" / "baseline.yaml").resolve()
    assert resolve("paper/study").name == "study.yaml"
    assert resolve("no_such_scenario") == Path("no_such_scenario")  # left as given
    (tmp_path / "baseline.yaml").write_text("name: mine\n")
    assert resolve("baseline.yaml") == Path("baseline.yaml")  # a file of yours wins
    assert resolve("baseline") == Path("baseline.yaml")  # also for the bare name


def test_init_copies_the_library_and_never_replaces(tmp_path):
    done = polarsim("init", "mine", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mine" / "scenarios" / "baseline.yaml").is_file()
    assert (tmp_path / "mine" / "experiments" / "paper" / "study.yaml").is_file()
    copy = tmp_path / "mine" / "scenarios" / "historical.yaml"
    copy.write_text(copy.read_text() + "\n# my note\n")
    again = polarsim("init", "mine", cwd=tmp_path)
    assert again.returncode == 2 and "nothing was copied" in again.stderr
    assert copy.read_text().endswith("# my note\n")
    ok = polarsim("validate", "mine/scenarios/baseline.yaml", "mine/experiments/paper/study.yaml",
                  cwd=tmp_path)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_init_says_exists_of_one_file_in_the_way(tmp_path):
    from polarsim.errors import PolarsimInputError
    from polarsim.inputs.library import copy_library

    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "baseline.yaml").write_text("# mine\n")
    with pytest.raises(PolarsimInputError, match=r"baseline.yaml exists already;"):
        copy_library(tmp_path)


def test_library_names_on_the_command_line(tmp_path):
    done = polarsim("validate", "baseline", "sobol_autonomy", "paper/study", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": ok") == 3
    missing = polarsim("run", "no_such_scenario", cwd=tmp_path)
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_a_wheel_runs_the_library_outside_the_repository(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode != 0:
        pytest.skip(f"no wheel could be built here: {built.stderr[-300:]}")
    (wheel,) = tmp_path.glob("polarsim-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "polarsim/library/scenarios/baseline.yaml" in names
    assert "polarsim/library/experiments/paper/study.yaml" in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],  # fmt: skip
        check=True,
        timeout=600,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = polarsim("run", "baseline", "--replicates", "1", "--out", "r", cwd=work,
                    pythonpath=target)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (work / "r" / "states.parquet").is_file()
    assert (
        str(target) in polarsim("validate", "baseline", cwd=work, pythonpath=target).stdout
    )  # the installed copy's library, not the repository's


def test_library_folder_is_in_the_package():
    assert LIBRARY.parent.name == "polarsim" and (LIBRARY / "scenarios").is_dir()
