"""`polarsim validate FILE...` as a user types it: `FILE: ok` or one line per problem
naming file, line and field; exit 0 if all valid, 2 otherwise; never a traceback."""

import os
import re
import subprocess
import sys

from tests.conftest import ROOT, SCENARIOS


def polarsim(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "polarsim", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def broken_copy(tmp_path, name, old, new, copy="broken.yaml"):
    text = (SCENARIOS / name).read_text()
    assert old in text
    path = tmp_path / copy
    path.write_text(text.replace(old, new, 1))
    line = text[: text.index(old)].count("\n") + 1
    return path, line


def test_valid_files_are_ok(tmp_path):
    res = polarsim(
        "validate", SCENARIOS / "historical.yaml", SCENARIOS / "baseline.yaml", cwd=tmp_path
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.splitlines() == [
        f"{SCENARIOS / 'historical.yaml'}: ok",
        f"{SCENARIOS / 'baseline.yaml'}: ok",
    ]
    assert res.stderr == ""


def test_relative_paths_from_the_repo(tmp_path):
    res = polarsim("validate", "scenarios/historical.yaml", cwd=ROOT)
    assert res.returncode == 0 and res.stdout == "scenarios/historical.yaml: ok\n"


def test_broken_copies_one_line_per_problem(tmp_path):
    a, line_a = broken_copy(tmp_path, "historical.yaml", "  end_year: 2024", "  end_yaer: 2024")
    b, line_b = broken_copy(
        tmp_path,
        "historical.yaml",
        "state: KGZ, intensity: 0.4",
        "state: KGZ, intensty: 0.4",
        "b.yaml",
    )
    res = polarsim("validate", a, b, SCENARIOS / "baseline.yaml")
    assert res.returncode == 2
    assert "Traceback" not in res.stdout + res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == (
        f"{a}:{line_a}:3: time.end_yaer: unknown key 'end_yaer' (did you mean 'end_year'?)"
    )
    rest = [x for x in lines[1:] if x.startswith(str(b))]
    paths = sorted(re.match(rf"{re.escape(str(b))}:{line_b}:\d+: (\S+):", x)[1] for x in rest)
    assert len(rest) == 2 and paths[0].endswith(".intensity") and paths[1].endswith(".intensty")
    assert paths[0].startswith("events[") and "did you mean 'intensity'?" in "".join(rest)
    assert lines[-1] == f"{SCENARIOS / 'baseline.yaml'}: ok"
    assert "2 of 3 files invalid" in res.stderr


def test_yaml_traps_on_the_command_line(tmp_path):
    path, line = broken_copy(tmp_path, "historical.yaml", "powers: {CHN: {}", "powers: {NO: {}")
    res = polarsim("validate", path)
    assert res.returncode == 2
    assert f"{path}:{line}:" in res.stdout and "quote it: 'NO'" in res.stdout
    path = tmp_path / "exp.yaml"
    path.write_text("name: x\npowers:\n  RUS:\n    budget_pct_gdp: 3e-1\n")
    res = polarsim("validate", path)
    assert res.returncode == 2
    assert res.stdout.strip() == (
        f"{path}:4:5: powers.RUS.budget_pct_gdp: wrong type (expected a number, found the "
        "string '3e-1': YAML 1.1 reads 3e-1 as text; write 3.0e-1 or 0.3)"
    )


def test_extends_cycle_missing_parent_missing_file_binary(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    (tmp_path / "c.yaml").write_text("name: c\nextends: nowhere.yaml\n")
    (tmp_path / "bin.yaml").write_bytes(bytes(range(256)) * 4)
    files = ["a.yaml", "c.yaml", "missing.yaml", "bin.yaml"]
    res = polarsim("validate", *files, cwd=tmp_path)
    assert res.returncode == 2
    assert "Traceback" not in res.stdout + res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 4, res.stdout
    assert lines[0].startswith("a.yaml: extends: extends cycle: a.yaml -> b.yaml -> a.yaml")
    assert "b.yaml:2:1" in lines[0]
    assert lines[1] == "c.yaml:2:1: extends: parent file not found: nowhere.yaml"
    assert lines[2] == "missing.yaml: file not found"
    assert lines[3].startswith("bin.yaml: not a UTF-8 text file")


def test_set_is_checked_too(tmp_path):
    res = polarsim("validate", SCENARIOS / "historical.yaml", "--set", "powers.RUS.exclusivity=1.5")
    assert res.returncode == 2
    assert res.stdout.strip().endswith("found the number 1.5) [from --set]")


def test_run_lists_every_problem_in_one_message(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text("name: x\npowers: {RUS: {exclusivty: 0.5}}\ntime: {end_yer: 2030}\n")
    res = polarsim("run", path, "--out", tmp_path / "out")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert lines[0] == f"polarsim: error: {path}: 2 problems"
    assert lines[1].startswith(f"  {path}:2:16: powers.RUS.exclusivty: unknown key")
    assert lines[2].startswith(f"  {path}:3:8: time.end_yer: unknown key 'end_yer'")
    assert len(lines) == 3
    assert not (tmp_path / "out").exists()


def test_strict_yaml_problems_one_line_each(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: x\ntime: {end_year: 2030}\nparameters: {coercion: {rate: 010}}\ntime: {}\n"
    )
    res = polarsim("validate", path)
    assert res.returncode == 2 and "Traceback" not in res.stdout + res.stderr
    assert res.stdout.splitlines() == [
        f"{path}:3:31: parameters.coercion.rate: 010 has a leading zero, which YAML 1.1 reads "
        "as an octal number (8); write 10 for the decimal number, or quote it ('010') for text",
        f"{path}:4:1: time: duplicate key 'time' (first written on line 2): YAML would keep "
        "only the last one; remove or merge one of them",
    ]
