"""Scenario problems a person can act on: file, line, field, expected, found, and the
closest valid key; all problems of a file, not just the first; YAML's traps explained."""

import textwrap

import pytest
import yaml

from polarsim.errors import PolarsimInputError
from polarsim.inputs.problems import InputProblemsError, Problem
from polarsim.inputs.yaml_lines import load_with_positions
from polarsim.scenario import load_scenario
from polarsim.scenario.check import report_lines, validate_file, validate_files
from polarsim.scenario.events import EVENT_TYPES
from tests.conftest import ROOT, SCENARIOS


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def only(problems, path=None):
    if path is not None:
        problems = [p for p in problems if p.path == path]
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- positions --------------------------------------------------------------------


def test_positions_keep_safe_load_semantics():
    files = [*SCENARIOS.glob("*.yaml"), ROOT / "src/polarsim/scenario/catalogue.yaml"]
    for path in files:
        text = path.read_text()
        data, marks = load_with_positions(text, str(path))
        assert data == yaml.safe_load(text), path
        assert marks, path


def test_positions_of_keys_items_and_merges():
    text = "a:\n  b: 1\n  c: [x, {d: 2}]\nbase: &b {k: 1}\nm:\n  <<: *b\n  j: 2\n"
    data, marks = load_with_positions(text, "f")
    assert data == yaml.safe_load(text)
    assert marks[("a", "b")][1:3] == (2, 3)
    assert marks[("a", "c", 1, "d")][1:3] == (3, 11)
    assert marks[("m", "j")].line == 7
    assert marks[("m", "k")].line == 4  # a merged key: where it was written


def test_recursive_alias_does_not_loop():
    data, marks = load_with_positions("a: &x [1, *x]\n", "f")
    assert data["a"][1] is data["a"]
    assert ("a", 0) in marks


def test_typo_on_line_7_reports_line_7(tmp_path):
    path = write(
        tmp_path,
        """
        # a comment
        name: typo
        time:
          start_year: 2005
          end_year: 2030
        powers:
          RUS: {exclusivty: 0.5}
        """,
    )
    p = only(validate_file(path))
    assert (p.file, p.line, p.column, p.path) == (str(path), 7, 9, "powers.RUS.exclusivty")
    assert str(p).startswith(f"{path}:7:9: powers.RUS.exclusivty: unknown key")
    assert "did you mean 'exclusivity'?" in str(p)


def test_block_style_event_lines(tmp_path):
    path = write(
        tmp_path,
        """
        name: x
        events:
          - type: unrest
            year: 2010
            state: KGZ
            intensity: 0.4
          - type: unrest
            year: 2011
            stat: KAZ
            intensity: 0.4
        """,
    )
    problems = validate_file(path)
    typo = only(problems, "events[1].stat")
    assert typo.line == 9 and "did you mean 'state'?" in typo.message
    missing = only(problems, "events[1].state")
    assert missing.line == 7  # where the event starts
    assert "required key is missing" in missing.message


# --- suggestions -------------------------------------------------------------------


def test_event_field_typo_suggests_the_field_of_that_event_type(tmp_path):
    path = write(
        tmp_path,
        """
        name: x
        events:
          - {type: war, year: 2010, power: RUS, capacity_divertd: 0.2}
          - {type: project, year: 2010, name: p, sponsor: CHN, hosts: [KAZ],
             kind: railway, capacity: 1, cost_usd_bn: 1, route_rsk: 0.1}
        """,
    )
    problems = validate_file(path)
    war = only(problems, "events[0].capacity_divertd")
    assert "did you mean 'capacity_diverted'?" in war.message and war.line == 3
    project = only(problems, "events[1].route_rsk")
    assert "did you mean 'route_risk'?" in project.message and project.line == 5


def test_misspelt_event_type_lists_the_valid_types(tmp_path):
    path = write(tmp_path, "name: x\nevents:\n  - {type: sanction, year: 2010}\n")
    p = only(validate_file(path))
    assert p.line == 3 and "unknown event type 'sanction'" in p.message
    assert all(t in p.message for t in EVENT_TYPES)
    assert "did you mean 'sanctions'?" in p.message


def test_unknown_key_without_close_match_lists_valid_keys(tmp_path):
    path = write(tmp_path, "name: x\ntime: {start_year: 2005, zzzz: 1}\n")
    p = only(validate_file(path))
    assert p.path == "time.zzzz" and "start_year, end_year" in p.message


def test_bad_choice_suggests_and_lists(tmp_path):
    path = write(
        tmp_path,
        "name: x\nevents:\n  - {type: membership, year: 2010, state: KAZ,\n"
        "     institution: EAEU, action: jion}\n",
    )
    p = only(validate_file(path))
    assert (p.path, p.line) == ("events[0].action", 4)
    assert "join, leave, suspend" in p.message and "did you mean 'join'?" in p.message


def test_unknown_actor_and_reference_suggestions(tmp_path):
    path = write(tmp_path, "name: x\npowers: {RUS: {}, CHNA: {}}\n")
    p = only(validate_file(path))
    assert (p.path, p.line) == ("powers.CHNA", 2) and "did you mean 'CHN'?" in p.message
    path = write(
        tmp_path,
        "name: x\nevents:\n  - {type: sanctions, year: 2014, imposers: [EU], target: RUSS,"
        " intensity: 0.3}\n",
    )
    p = only(validate_file(path))
    assert (p.path, p.line) == ("events[0].target", 3) and "did you mean 'RUS'?" in p.message


# --- all problems ------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_in_file_order(tmp_path):
    path = write(
        tmp_path,
        """
        name: many
        time: {start_year: 1990, end_yer: 2030}
        powers:
          RUS: {exclusivity: 1.5, loan_shar: 0.5}
        states:
          KAZ: {threat: -1}
        events:
          - {type: coup, year: 2010}
          - {type: unrest, year: 2010, state: KGZ}
        """,
    )
    problems = validate_file(path)
    got = [(p.line, p.path) for p in problems]
    assert got == [
        (2, "time.start_year"),
        (2, "time.end_yer"),
        (4, "powers.RUS.exclusivity"),
        (4, "powers.RUS.loan_shar"),
        (6, "states.KAZ.threat"),
        (8, "events[0].type"),
        (9, "events[1].intensity"),
    ]
    for p in problems:
        assert "\n" not in str(p) and str(p).startswith(f"{path}:{p.line}:")
    assert "less than or equal to 1" in problems[2].message
    assert "found the number 1.5" in problems[2].message
    with pytest.raises(InputProblemsError) as err:
        load_scenario(path)
    assert isinstance(err.value, PolarsimInputError)
    assert err.value.problems == problems
    # one message listing them all: a count, then one line per problem
    assert str(err.value).splitlines() == [f"{path}: 7 problems", *(f"  {p}" for p in problems)]
    assert err.value.file == str(path) and err.value.field == "time.start_year"


def test_reference_problems_all_reported(tmp_path):
    path = write(
        tmp_path,
        """
        name: refs
        states: {KAZ: {doctrine: isolationist}}
        relations: {CHN-CHN: 0.5}
        events:
          - {type: unrest, year: 2010, state: AFG, intensity: 0.3}
          - {type: base, year: 2010, power: UK, state: KAZ, action: open}
        """,
    )
    got = [(p.line, p.path) for p in validate_file(path)]
    assert got == [
        (2, "states.KAZ.doctrine"),
        (3, "relations.CHN-CHN"),
        (5, "events[0].state"),
        (6, "events[1].power"),
    ]


def test_validate_files_and_report_lines(tmp_path):
    good = SCENARIOS / "historical.yaml"
    bad = write(tmp_path, "name: x\npowers: {RUS: {exclusivty: 1}}\n")
    problems = validate_files([good, bad])
    assert [p.file for p in problems] == [str(bad)]
    assert report_lines(good, []) == [f"{good}: ok"]
    assert report_lines(bad, problems) == [str(problems[0])]


# --- YAML traps --------------------------------------------------------------------


def test_no_read_as_false_is_explained(tmp_path):
    path = write(
        tmp_path,
        """
        name: x
        states:
          UZB: {doctrine: NO}
        events:
          - {type: unrest, year: 2010, state: off, intensity: 0.2}
        """,
    )
    problems = validate_file(path)
    doctrine = only(problems, "states.UZB.doctrine")
    assert "found the boolean false: YAML reads NO as false; quote it: 'NO'" in doctrine.message
    state = only(problems, "events[0].state")
    assert "YAML reads off as false; quote it: 'off'" in state.message


def test_no_as_actor_code_is_explained(tmp_path):
    path = write(tmp_path, "name: x\npowers: {RUS: {}, NO: {}}\n")
    p = only(validate_file(path))
    assert p.line == 2 and "YAML reads NO as false; quote it: 'NO'" in p.message


def test_exponent_without_dot_is_explained(tmp_path):
    path = write(
        tmp_path,
        """
        name: x
        states:
          KAZ: {initial_trade_usd_m: 1e3}
        time: {end_year: 2e3}
        """,
    )
    problems = validate_file(path)
    trade = only(problems, "states.KAZ.initial_trade_usd_m")
    assert "found the string '1e3': YAML 1.1 reads 1e3 as text" in trade.message
    assert "write 1.0e+3 or 1000" in trade.message
    year = only(problems, "time.end_year")
    assert "write 2000" in year.message
    # and the advice is right: what it suggests is read as a number
    assert yaml.safe_load("1.0e+3") == 1000.0 and yaml.safe_load("1e3") == "1e3"


def test_quoted_number_and_date_are_explained(tmp_path):
    path = write(
        tmp_path,
        "name: x\npowers: {RUS: {exclusivity: '0.5'}}\ntime: {end_year: 2030-01-01}\n",
    )
    problems = validate_file(path)
    assert (
        "in quotes; write the number without quotes: 0.5"
        in only(problems, "powers.RUS.exclusivity").message
    )
    assert "the date 2030-01-01" in only(problems, "time.end_year").message


# --- extends and --set -------------------------------------------------------------


def test_lines_in_a_parent_file_name_that_file(tmp_path):
    write(tmp_path, "name: p\npowers:\n  RUS: {exclusivty: 0.5}\n", "parent.yaml")
    child = write(tmp_path, "extends: parent.yaml\nname: c\n\ntime: {end_yar: 2030}\n")
    problems = validate_file(child)
    own = only(problems, "time.end_yar")
    assert (own.line, own.source) == (4, None)
    inherited = only(problems, "powers.RUS.exclusivty")
    assert inherited.line == 3 and inherited.source.endswith("parent.yaml")
    assert str(inherited).startswith(f"{child}: powers.RUS.exclusivty")
    assert "parent.yaml:3:" in str(inherited)


def test_child_overriding_a_parent_key_gets_the_child_line(tmp_path):
    write(tmp_path, "name: p\ntime: {end_year: 2030}\n", "parent.yaml")
    child = write(tmp_path, "extends: parent.yaml\n\ntime: {end_year: 3000}\n")
    p = only(validate_file(child))
    assert (p.line, p.source, p.path) == (3, None, "time.end_year")


def test_set_values_have_no_line(tmp_path):
    path = write(tmp_path, "name: x\npowers:\n  RUS: {exclusivity: 0.5}\n")
    p = only(validate_file(path, ["powers.RUS.exclusivity=1e3"]))
    assert p.line is None and p.source == "--set"
    assert "1e3" in p.message and str(p).endswith("[from --set]")


def test_set_addresses_list_items():
    s = load_scenario(SCENARIOS / "historical.yaml", ["events[0].capacity=21"])
    assert s.events[0].capacity == 21
    s = load_scenario(SCENARIOS / "historical.yaml", ["events.0.capacity=22"])
    assert s.events[0].capacity == 22
    problems = validate_file(SCENARIOS / "historical.yaml", ["events[999].year=2010"])
    assert "is a list of" in only(problems).message


def test_file_level_problems(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    assert only(validate_file(missing)).message == "file not found"
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert "not a UTF-8 text file" in only(validate_file(binary)).message
    nul = tmp_path / "n.yaml"
    nul.write_bytes(b"name: x\nb: 1\x00\n")
    p = only(validate_file(nul))
    assert "malformed YAML" in p.message and (p.line, p.column) == (2, 5)
    flow = write(tmp_path, "name: x\ntime: {start_year: 2005\nother: 1\n")
    p = only(validate_file(flow))
    assert "malformed YAML" in p.message and p.line == 3
    assert "opened on line 2" in p.message
    top = write(tmp_path, "- a\n- b\n")
    assert "top level" in only(validate_file(top)).message
    assert only(validate_file(tmp_path)).message.startswith("is a directory")


def test_extends_cycle_and_missing_parent_lines(tmp_path):
    write(tmp_path, "name: a\nextends: b.yaml\n", "a.yaml")
    write(tmp_path, "name: b\n\nextends: a.yaml\n", "b.yaml")
    p = only(validate_file(tmp_path / "a.yaml"))
    assert "extends cycle: a.yaml -> b.yaml -> a.yaml" in p.message
    assert p.line == 3 and p.source.endswith("b.yaml")
    c = write(tmp_path, "name: c\nextends: nowhere.yaml\n", "c.yaml")
    p = only(validate_file(c))
    assert (p.path, p.line) == ("extends", 2) and "parent file not found" in p.message


def test_problem_str_forms():
    assert str(Problem("f.yaml", "a.b", "bad", 3, 4)) == "f.yaml:3:4: a.b: bad"
    assert str(Problem("f.yaml", None, "file not found")) == "f.yaml: file not found"
    assert str(Problem("f.yaml", "x", "m\nn", 1, 1, "p.yaml")) == (
        "f.yaml: x: m n [written in p.yaml:1:1, which f.yaml extends]"
    )


# --- strict YAML (issue 11) -------------------------------------------------------


def _strict(text):
    from polarsim.inputs.yaml_lines import StrictYAMLError

    with pytest.raises(StrictYAMLError) as info:
        load_with_positions(textwrap.dedent(text).lstrip("\n"), "f.yaml")
    return [(keys, mark.line + 1, message) for keys, mark, message in info.value.problems]


def test_duplicate_keys_are_reported_with_path_and_both_lines():
    problems = _strict(
        """
        time: {end_year: 2030}
        powers:
          RUS: {exclusivity: 0.5, exclusivity: 0.6}
          RUS: {}
        time: {end_year: 2031}
        """
    )
    assert [(k, line) for k, line, _ in problems] == [
        (("powers", "RUS", "exclusivity"), 3),
        (("powers", "RUS"), 4),
        (("time",), 5),
    ]
    assert "first written on line 1" in problems[2][2]


def test_keys_equal_once_built_are_duplicates():
    # `"RUS"` and `RUS`, `1` and `0x1`... : one key once YAML has built them
    problems = _strict("RUS: 1\n'RUS': 2\n")
    assert problems[0][0] == ("RUS",) and "duplicate key" in problems[0][2]


def test_merge_keys_may_be_overridden():
    data, _ = load_with_positions("a: &d {x: 1, y: 2}\nb:\n  <<: *d\n  x: 3\n", "f")
    assert data["b"] == {"x": 3, "y": 2}


@pytest.mark.parametrize(
    ("written", "value"),
    [("010", 8), ("-07", -7), ("00", 0), ("0_10", 8), ("0x1F", 31), ("0b101", 5),
     ("1:30", 90), ("1:30.5", 90.5), ("190:20:30", 685230)],
)  # fmt: skip
def test_yaml_1_1_numbers_are_refused_with_what_they_would_read_as(written, value):
    ((keys, line, message),) = _strict(f"a:\n  - 1\n  - {written}\n")
    assert keys == ("a", 1) and line == 3
    assert f"({value})" in message and f"'{written}'" in message


@pytest.mark.parametrize("text", ["0", "-0", "+0", "10", "1_000", "0.5", "010.5", "'010'",
                                  '"1:30"', "1e3", "yes", ".inf", "2030-01-01"])  # fmt: skip
def test_what_reads_as_written_is_accepted(text):
    data, _ = load_with_positions(f"a: {text}\n", "f")
    assert data == yaml.safe_load(f"a: {text}\n")


def test_strict_problems_of_a_scenario_are_all_listed(tmp_path):
    path = write(
        tmp_path,
        """
        name: x
        parameters:
          coercion: {rate: 010}
        time: {end_year: 2030}
        time: {end_year: 2031}
        """,
    )
    problems = validate_file(path)
    assert [(p.path, p.line) for p in problems] == [
        ("parameters.coercion.rate", 3),
        ("time", 5),
    ]
    assert str(problems[0]).startswith(f"{path}:3:")


def test_set_values_are_strict_too(tmp_path):
    problems = validate_file(SCENARIOS / "baseline.yaml", ["parameters.coercion.rate=1:30"])
    assert "base-60" in only(problems).message


def test_number_advice_offers_only_forms_yaml_reads_as_that_number():
    import re

    from polarsim.inputs.problems import number_hint

    for text in ["1e-300", "1e300", "1e3", "2e-1", "3E5", "1e+16", "5e-324", "1.5e7", "7e22"]:
        hint = number_hint(text, quoted=False, whole=False)
        forms = re.split(r" or ", hint.split("write ", 1)[1])
        assert forms, hint
        for form in forms:
            assert yaml.safe_load(form) == pytest.approx(float(text), rel=1e-12), (text, form)


# --- input files (issue 11) -------------------------------------------------------


def test_input_files_must_be_regular_and_small(tmp_path):
    import os

    from polarsim.inputs.files import InputFileError, read_input_bytes

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cases = [
        (fifo, "a named pipe"),
        ("/dev/zero", "a character device"),
        (tmp_path, "a directory"),
        (tmp_path / "none", "none"),
    ]
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    cases.append((big, "0 KiB"))
    for path, found in cases:
        with pytest.raises(InputFileError) as info:
            read_input_bytes(path, "scenario file", 10)
        assert info.value.found == found and info.value.file == str(path)
    assert read_input_bytes(big, "scenario file", 11) == b"x" * 11


def test_read_yaml_names_file_line_and_kind(tmp_path):
    from polarsim.inputs.reader import read_yaml

    cases = {
        "empty.yaml": ("", "empty.yaml: the file is empty: an experiment file is a YAML mapping"),
        "list.yaml": ("- secret\n", "found a list"),
        "text.yaml": ("root:x:0:0:secret\n", "found text"),
        "dup.yaml": ("a: 1\na: 2\n", "dup.yaml:2:1: a: duplicate key"),
        "oct.yaml": ("seed: 010\n", "oct.yaml:1:7: seed: 010 has a leading zero"),
        "bad.yaml": ("a: [1,\n", "malformed YAML"),
    }
    for name, (text, needle) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(PolarsimInputError) as info:
            read_yaml(path, "experiment file")
        assert needle in str(info.value) and "secret" not in str(info.value), str(info.value)
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    doc = read_yaml(tmp_path / "ok.yaml", "experiment file")
    assert doc.data == {"a": 1} and doc.marks[("a",)].line == 1


def test_a_problem_in_add_events_names_the_file_line_and_item_as_written(tmp_path):
    """Issue 15: an error in a file's add_events was reported in the parent file with
    an index into the merged timeline."""
    child = tmp_path / "child.yaml"
    child.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\n"
        "name: child\n"
        "add_events:\n"
        "  - {type: posture, year: 2026, power: RUS, exclusivity: 0.5}\n"
        "  - {type: posture, year: 2027, power: RUS, exclusivity: 1.5}\n"
    )
    (problem,) = validate_file(child)
    assert problem.path == "add_events[1].exclusivity"
    assert (problem.file, problem.line, problem.source) == (str(child), 5, None)


def test_every_source_that_names_no_value_is_reported_at_its_line(tmp_path):
    from polarsim.scenario.load import load_checked
    from tests.conftest import SCENARIOS

    path = tmp_path / "x.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'baseline.yaml'}\nsources:\n"
        "  parameters.trade.persistence: ok\n"
        "  parameters.coercion.rat: typo\n"
        "  powers.RUS.exclusivty: typo\n"
    )
    scenario, problems = load_checked(path)
    assert scenario is None
    assert [(p.path, p.line) for p in problems] == [
        ("sources['parameters.coercion.rat']", 4),
        ("sources['powers.RUS.exclusivty']", 5),
    ]
    assert all("does not name a value" in p.message for p in problems)
