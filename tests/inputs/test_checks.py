"""`polarsim validate` on experiment and study files: recognised by their keys, checked
with everything they name (base scenario, every varied path at the ends of its range,
the study's scenarios and experiments), with the size of a sweep printed; problems name
the file and the field, never a traceback."""

import shutil

from polarsim.checks import check_file, file_kind
from tests.conftest import ROOT, SCENARIOS
from tests.harness import run_cli as polarsim

EXPERIMENTS = ROOT / "experiments"


def _experiment(tmp_path, parameters: str, name: str = "exp.yaml"):
    path = tmp_path / name
    path.write_text(
        f"base: {SCENARIOS / 'baseline.yaml'}\n"
        f"parameters:\n{parameters}"
        "design: {type: latin_hypercube, samples: 10}\n"
        "replicates: 3\nseed: 1\n"
        "outcomes: {metrics: [autonomy_index], years: [2030], aggregate: mean}\n"
    )
    return path


def test_kinds_are_told_apart():
    assert file_kind(SCENARIOS / "baseline.yaml") == "scenario"
    assert file_kind(EXPERIMENTS / "sobol_autonomy.yaml") == "experiment"
    assert file_kind(EXPERIMENTS / "calibrate_historical.yaml") == "experiment"
    assert file_kind(EXPERIMENTS / "paper" / "study.yaml") == "study"


def test_shipped_experiments_and_study_are_ok_with_their_size():
    res = polarsim(
        "validate",
        EXPERIMENTS / "sobol_autonomy.yaml",
        EXPERIMENTS / "paper" / "study.yaml",
        SCENARIOS / "baseline.yaml",
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.splitlines() == [
        f"{EXPERIMENTS / 'sobol_autonomy.yaml'}: ok (experiment: sobol design: 6,144 "
        "points x 1 replicate = 6,144 runs)",
        f"{EXPERIMENTS / 'paper' / 'study.yaml'}: ok (study: 8 scenarios, a phase grid "
        "and a sobol sweep)",
        f"{SCENARIOS / 'baseline.yaml'}: ok",
    ]


def test_a_misspelled_path_is_found_before_the_sweep(tmp_path):
    path = _experiment(tmp_path, "  powers.RUS.exclusivty: {range: [0.0, 1.0]}\n")
    result = check_file(path)
    assert result.kind == "experiment" and not result.ok
    (problem,) = result.problems
    assert problem.path == "parameters.powers.RUS.exclusivty"
    assert "exclusivty" in problem.message and "did you mean 'exclusivity'" in problem.message


def test_a_range_the_schema_refuses_is_found(tmp_path):
    path = _experiment(tmp_path, "  powers.RUS.exclusivity: {range: [0.0, 1.5]}\n")
    res = polarsim("validate", path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"{path}: parameters.powers.RUS.exclusivity: at 1.5" in res.stdout


def test_experiment_schema_problems_and_bad_base_are_reported(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("base: nowhere.yaml\ndesign: {type: sobol}\nreplicates: 0\n")
    result = check_file(bad)
    text = "\n".join(result.lines())
    assert result.kind == "experiment" and not result.ok
    assert "replicates" in text and str(bad) in text


def test_a_study_with_a_broken_scenario_names_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a study's files must lie inside the working directory
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    shutil.copytree(EXPERIMENTS, tmp_path / "experiments")
    broken = tmp_path / "scenarios" / "open_competition.yaml"
    broken.write_text(broken.read_text() + "\nbogus_key: 1\n")
    result = check_file(tmp_path / "experiments" / "paper" / "study.yaml")
    assert result.kind == "study" and not result.ok
    (problem,) = result.problems
    assert problem.file.endswith("open_competition.yaml") and "bogus_key" in problem.message
