"""Malformed and random YAML documents (issue 11): `polarsim validate` ends with exit 0
or 2 and never a traceback, whatever the bytes; the strict loader either refuses a
document or reads exactly what `yaml.safe_load` reads; `read_yaml` (every input
file) returns a mapping or raises a PolarsimInputError."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polarsim.cli import main
from polarsim.errors import PolarsimInputError
from polarsim.inputs.reader import read_yaml
from polarsim.inputs.yaml_lines import StrictYAMLError, load_with_positions
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.properties

SETTINGS = settings(
    max_examples=int(os.environ.get("POLARSIM_PROPERTY_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LINES = (SCENARIOS / "historical.yaml").read_text().splitlines()

#: Pieces of YAML that trip parsers or YAML 1.1: numbers read as octal or base 60,
#: booleans, tabs, anchors, unclosed flows, document markers, odd characters.
FRAGMENTS = [
    "time: {end_year: 2030}", "time:", "  start_year: 010", "rate: 1:30", "x: 0x1F",
    "RUS: {}", "RUS: {}", "powers: {}", "states: {}", "- a", "  - {type: unrest",
    "events:", "  - {type: unrest, year: 2099, state: KAZ, intensity: 0.2}",
    "a: &x [1, 2]", "b: *x", "<<: {c: 1}", "c: *nowhere", "---", "...", "\t- tab",
    "'unclosed", "{", "]", "name: 0b11", "name: '010'", "yes: no", "? complex", ": x",
    "%YAML 1.1", "!!python/object:os.system {}", "k: !!binary aGVsbG8=", "\x00", "\ufeff",
    "name: x", "extends: historical.yaml", "extends: /dev/zero", "add_events: 3",
]  # fmt: skip

documents = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(LINES), st.text(max_size=20)),
    max_size=25,
).map("\n".join)
raw_bytes = st.one_of(
    st.binary(max_size=300),
    documents.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(documents, st.binary(max_size=20)).map(
        lambda p: p[0].encode("utf-8", "replace") + p[1]
    ),
)


def _validate(data: bytes) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_bytes(data)
        (Path(tmp) / "historical.yaml").write_text("\n".join(LINES) + "\n")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", str(path)])
        return code, out.getvalue() + err.getvalue()


@SETTINGS
@given(raw_bytes)
def test_validate_exits_0_or_2_without_a_traceback(data):
    code, text = _validate(data)  # an exception would fail the test with its traceback
    assert code in (0, 2), text
    assert "Traceback" not in text
    if code == 2:
        assert text.strip(), "a refusal says why"


@SETTINGS
@given(documents)
def test_strict_loading_refuses_or_reads_what_safe_load_reads(text):
    try:
        expected = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return
    try:
        data, _ = load_with_positions(text, "f")
    except StrictYAMLError as exc:
        assert exc.problems and all(mark.line >= 0 for _, mark, _ in exc.problems)
        return
    assert data == expected or repr(data) == repr(expected)  # .nan != .nan


@SETTINGS
@given(raw_bytes)
def test_read_yaml_returns_a_mapping_or_an_input_error(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "e.yaml"
        path.write_bytes(data)
        try:
            out = read_yaml(path, "experiment file")
        except PolarsimInputError as exc:
            assert str(exc).startswith(str(path))
        else:
            assert isinstance(out.data, dict)
