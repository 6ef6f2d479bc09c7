"""Text not of a field's form is reported in words, not as a regular expression."""

from pathlib import Path

from polarsim.checks import check_file

ROOT = Path(__file__).resolve().parents[2]


def test_a_bad_scenario_name_is_described_not_given_as_a_pattern(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: 'bad name!'\n")
    (line,) = check_file(path).lines()
    assert "name: not of the form expected: short name" in line
    assert "found the string 'bad name!'" in line and "^[" not in line


def test_a_choice_written_as_a_pattern_is_a_choice_with_a_hint(tmp_path):
    text = (ROOT / "experiments" / "paper" / "study.yaml").read_text()
    assert "  method: sobol\n" in text
    path = tmp_path / "study.yaml"
    path.write_text(text.replace("  method: sobol\n", "  method: sobel\n"))
    lines = [x for x in check_file(path).lines() if "sensitivity.method" in x]
    assert len(lines) == 1
    assert "expected one of: sobol, morris" in lines[0] and "did you mean 'sobol'" in lines[0]
