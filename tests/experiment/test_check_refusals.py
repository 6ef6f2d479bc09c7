"""`polarsim validate` refuses, before any run, the experiment files whose runs would
all (or some) fail or that `sweep` refuses: unknown or text metrics, years not
simulated, a varied end year, a design above the run limit, draws outside a field's
range, bad overrides. Each refusal names the experiment file and its field; `sweep
--dry-run` refuses the same through the same check (experiment.check)."""

from __future__ import annotations

import pytest

from polarsim.experiment.check import check_experiment, refuse_experiment, schema_bounds
from polarsim.inputs.problems import InputProblemsError
from tests.conftest import SCENARIOS
from tests.harness import run_cli as polarsim

BASE = SCENARIOS / "historical.yaml"  # 2015-2024
PERSISTENCE = "  parameters.trade.persistence: {range: [0.5, 0.9]}\n"


def _write(tmp_path, body: str, name: str = "exp.yaml"):
    path = tmp_path / name
    path.write_text(f"base: {BASE}\n{body}")
    return path


def _grid(outcomes: str, parameters: str = PERSISTENCE, extra: str = "") -> str:
    return (
        f"parameters:\n{parameters}design: {{type: grid, levels: 3}}\n{extra}outcomes: {outcomes}\n"
    )


def _refused(path, *fields: str) -> str:
    res = polarsim("validate", path)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    for field in fields:
        assert f"{path}:" in res.stdout and f": {field}: " in res.stdout, res.stdout
    return res.stdout


def test_an_ok_file_is_still_ok(tmp_path):
    path = _write(tmp_path, _grid("{metrics: [autonomy_index, trade_top_partner], years: [2020]}"))
    res = polarsim("validate", path)
    assert res.returncode == 0, res.stdout
    assert (
        res.stdout.strip()
        == f"{path}: ok (experiment: grid design: 3 points x 1 replicate = 3 runs)"
    )


def test_an_unknown_metric_is_refused(tmp_path):
    path = _write(tmp_path, _grid("{metrics: [autonomy_index, nonexistent_metric]}"))
    out = _refused(path, "outcomes.metrics[1]")
    assert "unknown states column 'nonexistent_metric'" in out


def test_a_misspelt_metric_gets_a_suggestion(tmp_path):
    path = _write(tmp_path, _grid("{metrics: [autonomy_indx]}"))
    assert "did you mean 'autonomy_index'" in _refused(path, "outcomes.metrics[0]")


@pytest.mark.parametrize("years", ["[2030]", "[1990, 2200]"])
def test_years_the_base_does_not_simulate_are_refused(tmp_path, years):
    path = _write(tmp_path, _grid(f"{{metrics: [autonomy_index], years: {years}}}"))
    out = _refused(path, "outcomes.years[0]")
    assert "is not simulated" in out and "2015-2024" in out


def test_a_text_metric_averaged_is_refused(tmp_path):
    path = _write(tmp_path, _grid("{metrics: [trade_top_partner], aggregate: mean}"))
    out = _refused(path, "outcomes.metrics[0]")
    assert "text column" in out and "aggregate: mean" in out


@pytest.mark.parametrize(
    "end_year", ["{values: [2020, 2024]}", "{range: [2020, 2024], integer: true}"]
)
def test_a_varied_end_year_before_a_kept_year_is_refused(tmp_path, end_year):
    path = _write(
        tmp_path,
        f"parameters:\n  time.end_year: {end_year}\ndesign: {{type: grid, levels: 2}}\n"
        "outcomes: {metrics: [autonomy_index], years: [2024]}\n",
    )
    out = _refused(path, "parameters.time.end_year")
    assert "at 2020 the runs simulate 2015-2020" in out and "[2024]" in out


def test_a_design_above_the_run_limit_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(
        f"base: {BASE}\nparameters:\n{PERSISTENCE}"
        "design: {type: grid, levels: 100000}\nreplicates: 100\n"
    )
    out = _refused(path, "replicates")
    assert "10,000,000 runs" in out and "1,000,000" in out and " ok " not in out


def test_draws_outside_the_range_of_the_field_are_refused(tmp_path):
    path = _write(
        tmp_path,
        "parameters:\n  parameters.trade.persistence: "
        "{distribution: {normal: {mean: 0.9, sd: 0.3}}}\n"
        "design: {type: random, samples: 20}\n",
    )
    out = _refused(path, "parameters.parameters.trade.persistence.distribution")
    assert "range [0, 1) of parameters.trade.persistence" in out
    assert "9 of the design's 20 draws fall outside it" in out  # as many as a sweep fails


def test_a_narrow_distribution_inside_the_range_is_ok(tmp_path):
    path = _write(
        tmp_path,
        "parameters:\n  parameters.trade.persistence: "
        "{distribution: {normal: {mean: 0.7, sd: 0.05}}}\n"
        "design: {type: random, samples: 20}\n",
    )
    problems, _ = check_experiment(path)
    assert problems == []


def test_schema_bounds():
    assert schema_bounds("parameters.trade.persistence") == (0.0, False, 1.0, True)
    assert schema_bounds("time.end_year") == (2001.0, False, 2100.0, False)
    assert schema_bounds("no.such.path") is None


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("time.end_year=2200", "time.end_year=2200: out of range"),
        ("garbage", "garbage: expects dotted.path=value"),
    ],
)
def test_a_bad_override_names_the_experiment_file(tmp_path, override, message):
    path = _write(tmp_path, f"overrides: [parameters.trade.persistence=0.8, {override}]\n")
    out = _refused(path, "overrides[1]")
    assert message in out and "[from --set]" not in out
    assert str(BASE) not in out


def test_a_problem_of_the_base_itself_names_the_base(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(BASE.read_text() + "\nbogus_key: 1\n")
    path = tmp_path / "exp.yaml"
    path.write_text(f"base: {base}\noverrides: [time.end_year=2020]\n")
    (problem,) = check_experiment(path)[0]
    assert problem.file == str(base) and "bogus_key" in problem.message


def test_the_refusal_raises_one_error_naming_the_file(tmp_path):
    path = _write(tmp_path, _grid("{metrics: [nonexistent_metric]}"))
    with pytest.raises(InputProblemsError) as info:
        refuse_experiment(path)
    assert info.value.file == str(path) and info.value.field == "outcomes.metrics[0]"


def test_the_dry_run_refuses_with_the_file_named(tmp_path):
    path = _write(tmp_path, _grid("{metrics: [autonomy_index, nonexistent_metric]}"))
    res = polarsim("sweep", path, "--dry-run")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"{path}:" in res.stderr and "outcomes.metrics[1]" in res.stderr


def test_the_dry_run_checks_the_size_with_the_command_line_samples(tmp_path):
    path = _write(
        tmp_path,
        f"parameters:\n{PERSISTENCE}design: {{type: random, samples: 10}}\n",
    )
    res = polarsim("sweep", path, "--dry-run", "--samples", "2000000")
    assert res.returncode == 2 and "--samples" in res.stderr and "2,000,000 runs" in res.stderr


def test_sweep_refuses_the_whole_experiments_problems_before_writing(tmp_path):
    """An unknown metric fails every run: sweep refuses it before it writes anything. A
    design point's refused value fails that point only: sweep runs it and records it
    (tests/experiment/test_sweep.py), while validate reports it."""
    from polarsim.experiment import sweep

    path = _write(tmp_path, _grid("{metrics: [autonomy_index, nonexistent_metric], years: [2020]}"))
    with pytest.raises(InputProblemsError, match="nonexistent_metric"):
        sweep(path, out=tmp_path / "s", progress=False)
    assert not (tmp_path / "s").exists()
    point = _write(
        tmp_path,
        _grid("{metrics: [autonomy_index], years: [2020]}",
              "  powers.RUS.exclusivity: {values: [0.2, 1.5]}\n"),
        "point.yaml",
    )  # fmt: skip
    _refused(point, "parameters.powers.RUS.exclusivity")
    refuse_experiment(point, points=False)  # what sweep checks: no problem of the whole
    # a parameter refused at every value (an unknown actor) fails every run: refused
    every = _write(
        tmp_path,
        _grid("{metrics: [autonomy_index], years: [2020]}",
              "  powers.ZZZ.exclusivity: {range: [0.0, 1.0]}\n"),
        "every.yaml",
    )  # fmt: skip
    with pytest.raises(InputProblemsError, match="ZZZ"):
        sweep(every, out=tmp_path / "e", progress=False)
    assert not (tmp_path / "e").exists()


def test_a_range_over_a_whole_number_field_says_to_round_it(tmp_path):
    path = _write(
        tmp_path,
        _grid("{metrics: [autonomy_index], years: [2016]}",
              "  endy: {paths: [time.end_year], range: [2016, 2024]}\n"),
    )  # fmt: skip
    assert "add `integer: true`" in _refused(path, "parameters.endy")


def test_a_table_designs_points_are_its_rows(tmp_path):
    """`validate` said "the points of a table x 2 replicates" where `sweep --dry-run`
    counts the rows: 3 points."""
    (tmp_path / "points.csv").write_text("parameters.trade.persistence\n0.6\n0.7\n0.8\n")
    body = (
        f"parameters:\n{PERSISTENCE}design: {{type: table, file: points.csv}}\nreplicates: 2\n"
        "outcomes: {metrics: [autonomy_index], years: [2020]}\n"
    )
    path = _write(tmp_path, body)
    problems, summary = check_experiment(path)
    assert problems == []
    assert summary == "table design: 3 points x 2 replicates = 6 runs"
    res = polarsim("validate", path)
    assert res.returncode == 0, res.stdout
    assert res.stdout.strip() == f"{path}: ok (experiment: {summary})"
