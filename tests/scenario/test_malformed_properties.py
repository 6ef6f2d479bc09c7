"""Malformed scenarios: whatever a file holds, loading either succeeds or raises a
PolarsimInputError, and `validate_file` returns problems (never raises); both agree."""

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from polarsim.errors import PolarsimInputError
from polarsim.inputs.problems import MAX_LISTED
from polarsim.scenario import load_scenario
from polarsim.scenario.check import validate_file
from polarsim.scenario.events import EVENT_TYPES
from polarsim.scenario.schema import Scenario
from tests.conftest import SCENARIOS

pytestmark = pytest.mark.properties

SETTINGS = settings(
    max_examples=35,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HISTORICAL_TEXT = (SCENARIOS / "historical.yaml").read_text()
HISTORICAL = yaml.safe_load(HISTORICAL_TEXT)


def _field_names(model: type[BaseModel], seen: set) -> set[str]:
    """Every field name of the schema, nested models and event types included."""
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                names |= _field_names(tp, seen)
            stack.extend(getattr(tp, "__args__", ()))
            origin = getattr(tp, "__origin__", None)
            if origin is not None and origin is not tp:
                stack.append(origin)
    return names


KNOWN = sorted(
    _field_names(Scenario, set())
    | {"extends", "CHN", "RUS", "USA", "EU", "TUR", "IRN", "KAZ", "UZB", "KGZ", "TJK", "TKM"}
    | {"CSTO", "EAEU", "SCO", "CHN-RUS", "RUS-USA", "gas_pipeline", "join", *EVENT_TYPES}
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.sampled_from(["NO", "off", "1e3", "2010", "0.5", "CHN", "KAZ", "forum", "A-B", "-"]),
)
keys = st.one_of(
    st.sampled_from(KNOWN),
    st.text(min_size=1, max_size=8),
    st.integers(-5, 2100),
    st.booleans(),
)
junk = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=10,
)
out_of_range = st.sampled_from([-1e9, -2, -1, -0.5, 0, 1.5, 2, 6, 101, 1989, 2101, 1e7, 1e12])
events = st.builds(
    lambda t, year, extra: {"type": t, "year": year, **extra},
    st.one_of(st.sampled_from(EVENT_TYPES), scalars),
    st.one_of(st.integers(1980, 2110), scalars),
    st.dictionaries(st.sampled_from(KNOWN), st.one_of(junk, out_of_range), max_size=6),
)


def _paths(node, prefix=()):
    """Every (path, container) where something can be deleted, replaced or inserted."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _get(node, path):
    for k in path:
        node = node[k]
    return node


def _check(text: str, overrides=()):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        problems = validate_file(path, overrides)
        for p in problems:
            line = str(p)
            assert line.startswith(str(path)) and "\n" not in line, line
        try:
            load_scenario(path, overrides)
        except PolarsimInputError as exc:
            assert problems, f"load_scenario failed but validate_file found nothing: {exc}"
            # one line per problem, under a count when there are several
            lines = str(exc).splitlines()
            if len(problems) == 1:
                assert lines == [str(problems[0])]
            else:
                assert lines[0] == f"{path}: {len(problems)} problems"
                listed = lines[1 : 1 + MAX_LISTED]
                assert all(x.startswith(f"  {path}") for x in listed), lines
                if len(problems) > MAX_LISTED:  # the rest is counted, not listed
                    assert lines[1 + MAX_LISTED :] == [
                        f"  ... and {len(problems) - MAX_LISTED} more (`polarsim validate "
                        f"{path}` lists all)"
                    ], lines
                else:
                    assert len(lines) == 1 + len(problems), lines
        else:
            assert not problems, [str(p) for p in problems]


def _dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@SETTINGS
@given(st.dictionaries(keys, junk, max_size=6), st.dictionaries(st.sampled_from(KNOWN), junk))
def test_random_documents(top, nested):
    for group in ("powers", "states", "parameters", "time", "institutions"):
        if group in nested:
            top[group] = {"RUS": nested} if group == "powers" else nested
    _check(_dump(top))


@SETTINGS
@given(st.data())
def test_mutated_historical_scenario(data):
    doc = yaml.safe_load(HISTORICAL_TEXT)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths), label="path")
        parent, key = _get(doc, path[:-1]), path[-1]
        op = data.draw(st.sampled_from(["delete", "junk", "range", "insert", "event"]))
        if op == "delete":
            del parent[key]
        elif op == "junk":
            parent[key] = data.draw(junk, label="junk")
        elif op == "range":
            parent[key] = data.draw(out_of_range, label="number")
        elif op == "insert" and isinstance(parent, dict):
            parent[data.draw(keys, label="key")] = data.draw(junk, label="value")
        elif op == "event":
            doc.setdefault("events", [])
            if isinstance(doc["events"], list):
                doc["events"].append(data.draw(events, label="event"))
    overrides = data.draw(
        st.lists(
            st.builds(
                lambda k, v: f"{k}={v}",
                st.sampled_from(["powers.RUS.exclusivity", "time.end_year", "events[0].year"])
                | st.text(max_size=12),
                st.sampled_from(["0.5", "1e3", "NO", "[1, 2]", "{a: 1}", "", "2030"]),
            ),
            max_size=2,
        ),
        label="overrides",
    )
    _check(_dump(doc), overrides)


@SETTINGS
@given(st.data())
def test_damaged_yaml_text(data):
    text = HISTORICAL_TEXT
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        i = data.draw(st.integers(0, len(text)), label="at")
        j = data.draw(st.integers(i, min(len(text), i + 40)), label="to")
        insert = data.draw(
            st.text(max_size=6) | st.sampled_from(["{", "]", ": ", "\n  - ", "&a", "*a", "\t"]),
            label="insert",
        )
        text = text[:i] + insert + text[j:]
    _check(text)


def test_historical_is_valid():
    assert HISTORICAL["name"] == "historical"
    assert validate_file(SCENARIOS / "historical.yaml") == []
