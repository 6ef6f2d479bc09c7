"""One reader for every input file (issue 12, item 4): experiment files, their
calibration section and study files report every problem at once, each with
file:line:column, the dotted field, what was expected and found, and a suggestion for
an unknown key, as scenario files do; the data layer reads files without the scenario
layer."""

import subprocess
import sys
import textwrap

import pytest

from polarsim.errors import PolarsimInputError
from polarsim.experiment.spec import load_experiment
from polarsim.inputs.problems import InputProblemsError
from polarsim.inputs.reader import read_yaml
from polarsim.study.spec import load_study
from tests.conftest import ROOT, SCENARIOS


def write(tmp_path, text, name="exp.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def refused(load, path) -> list[tuple[int | None, str | None, str]]:
    """(line, field, message) of every problem `load(path)` reports."""
    with pytest.raises(InputProblemsError) as info:
        load(path)
    err = info.value
    assert isinstance(err, PolarsimInputError)
    assert err.file == str(path) and err.field == err.problems[0].path
    lines = str(err).splitlines()
    if len(err.problems) > 1:  # one message: a count, then one line per problem
        assert lines == [f"{path}: {len(err.problems)} problems", *(f"  {p}" for p in err.problems)]
    for p in err.problems:
        assert str(p).startswith(f"{path}:{p.line}:{p.column}: {p.path}: ")
    return [(p.line, p.path, p.message) for p in err.problems]


def test_an_experiment_file_reports_every_mistake_with_its_line(tmp_path):
    path = write(
        tmp_path,
        f"""
        base: {SCENARIOS / "baseline.yaml"}
        parameters:
          exclusivity:
            paths: [powers.RUS.exclusivity]
            range: [0.1, 0.9]
        design:
          type: latin
          samples: 0
        replicates: '3'
        sede: 4
        """,
    )
    got = refused(load_experiment, path)
    assert [(line, field) for line, field, _ in got] == [
        (7, "design.type"),
        (8, "design.samples"),
        (9, "replicates"),
        (10, "sede"),
    ]
    messages = [m for _, _, m in got]
    assert (
        "found the string 'latin'" in messages[0]
        and "did you mean 'latin_hypercube'" in messages[0]
    )
    assert "greater than or equal to 1, found the number 0" in messages[1]
    assert "wrong type (expected a whole number, found the string '3'" in messages[2]
    assert messages[3] == "unknown key 'sede' (did you mean 'seed'?)"


def test_checks_across_fields_report_every_problem_at_its_field(tmp_path):
    path = write(
        tmp_path,
        f"""
        base: {SCENARIOS / "baseline.yaml"}
        parameters:
          a: {{values: [1, 2]}}
        design: {{type: sobol}}
        """,
    )
    got = refused(load_experiment, path)
    assert [(line, field) for line, field, _ in got] == [
        (2, "parameters"),
        (4, "design.samples"),
    ]
    assert "needs a range for parameters ['a']" in got[0][2]


def test_missing_files_of_an_experiment_are_reported_together(tmp_path):
    path = write(
        tmp_path,
        """
        base: nowhere.yaml
        parameters:
          a: {range: [0, 1]}
        design:
          type: table
          file: no.csv
        """,
    )
    got = refused(load_experiment, path)
    assert [(line, field) for line, field, _ in got] == [(1, "base"), (6, "design.file")]
    assert "base scenario not found" in got[0][2] and "design table not found" in got[1][2]


def test_a_calibration_section_reports_every_mistake_with_its_line(tmp_path):
    path = write(
        tmp_path,
        f"""
        base: {SCENARIOS / "historical.yaml"}
        parameters:
          persistence: {{paths: [parameters.trade.persistence], range: [0.5, 0.95]}}
        design: {{type: latin_hypercube, samples: 20}}
        calibration:
          method: abc_smm
          window: [2007, 2000]
          accept: 1.5
          targets:
            trade_share: {{weight: 1}}
        """,
    )
    got = refused(load_experiment, path)
    assert [(line, field) for line, field, _ in got] == [
        (6, "calibration.method"),
        (7, "calibration.window"),
        (8, "calibration.accept"),
        (10, "calibration.targets.trade_share"),
    ]
    assert "did you mean 'abc_smc'?" in got[0][2]
    assert got[1][2] == "expected [first, last] years, found [2007, 2000]"
    assert "less than or equal to 1 (range (0, 1]), found the number 1.5" in got[2][2]
    assert got[3][2] == "unknown key 'trade_share' (did you mean 'trade_shares'?)"


def test_a_study_file_reports_every_mistake_with_its_line(tmp_path):
    text = (ROOT / "experiments" / "paper" / "study.yaml").read_text()
    for old, new in [
        ("workers: 2", "workers: 0\nwokers: 2"),
        ("  replicates: 20", "  replicates: 20.5"),
        ("metric: autonomy_index", "metric: [autonomy_index]"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "study.yaml"
    path.write_text(text)
    lines = text.splitlines()

    def line_of(start: str) -> int:
        return next(i for i, x in enumerate(lines, 1) if x.startswith(start))

    got = refused(load_study, path)
    assert [(line, field) for line, field, _ in got] == [
        (line_of("workers:"), "workers"),
        (line_of("wokers:"), "wokers"),
        (line_of("metric:"), "metric"),
        (line_of("  replicates:"), "scenarios.replicates"),
    ]
    assert "did you mean 'workers'?" in got[1][2]
    assert "write it without decimals" not in got[3][2] and "found the number 20.5" in got[3][2]


def test_study_paths_missing_or_outside_are_reported_together(tmp_path):
    text = (ROOT / "experiments" / "paper" / "study.yaml").read_text()
    path = tmp_path / "study.yaml"
    text = text.replace("../exclusivity_vs_competition.yaml", "/etc/passwd")
    path.write_text(text.replace("../sobol_autonomy.yaml", "sobol.yaml"))
    got = refused(load_study, path)
    fields = [field for _, field, _ in got]
    assert fields[:8] == [f"scenarios.files[{i}]" for i in range(8)]
    assert fields[8:] == ["phase.experiment", "sensitivity.experiment"]
    # the scenario paths, relative to the shipped study, lead out of tmp_path
    assert all("lies outside the working directory" in m for _, _, m in got[:9])
    assert "file not found" in got[9][2]


def test_values_are_not_coerced_across_types(tmp_path):
    base = SCENARIOS / "baseline.yaml"
    path = write(tmp_path, f"base: {base}\nseed: yes\nchunk_size: .inf\n")
    got = refused(load_experiment, path)
    assert [field for _, field, _ in got] == ["seed", "chunk_size"]
    assert "found the boolean true" in got[0][2]


def test_shipped_experiments_and_study_load():
    for path in sorted((ROOT / "experiments").glob("*.yaml")):
        load_experiment(path)
    load_study(ROOT / "experiments" / "paper" / "study.yaml")


def test_one_reader_keeps_the_strict_yaml_rules(tmp_path):
    path = write(tmp_path, "seed: 010\nseed: 0x1F\nreplicates: 1:30\n")
    with pytest.raises(InputProblemsError) as info:
        read_yaml(path, "experiment file")
    assert [(p.line, p.path) for p in info.value.problems] == [
        (1, "seed"),
        (2, "seed"),
        (2, "seed"),
        (3, "replicates"),
    ]


def test_the_data_layer_does_not_import_the_scenario_layer(tmp_path):
    table = tmp_path / "macro.csv"
    table.write_text("x\n1\n")
    code = (
        "import sys\n"
        "from polarsim.data._validate import read_table\n"
        f"read_table('macro.csv', {str(table)!r}, ['x'])\n"
        "bad = sorted(m for m in sys.modules if m.startswith('polarsim.scenario'))\n"
        "assert not bad, bad\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_a_parameter_name_with_dots_is_one_key(tmp_path):
    path = write(
        tmp_path,
        f"""
        base: {SCENARIOS / "baseline.yaml"}
        parameters:
          trade.persistence: {{distribution: {{normal: {{mean: 0.7, sd: 0.1}}}}}}
        design: grid
        """,
    )
    assert refused(load_experiment, path) == [
        (3, "parameters['trade.persistence']", "a grid needs values or a range")
    ]


def test_a_message_lists_at_most_max_listed_problems():
    from polarsim.inputs.problems import MAX_LISTED, Problem, problems_text

    many = [Problem("f.yaml", f"k{i}", "bad", i + 1, 1) for i in range(MAX_LISTED + 5)]
    lines = problems_text(many, "`polarsim validate f.yaml` lists all").splitlines()
    assert lines[0] == f"f.yaml: {MAX_LISTED + 5} problems"
    assert len(lines) == MAX_LISTED + 2
    assert lines[-1] == "  ... and 5 more (`polarsim validate f.yaml` lists all)"
