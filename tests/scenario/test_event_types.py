"""Contract tests every registered event type passes (polarsim.scenario.event_types),
as the doctrines pass theirs: it has documented fields and a valid example, reports a
code it names that the scenario lacks with a clear message, compiles into the yearly
conditions, applies in its year to a small model, and its log entries read as text."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from polarsim import load_scenario
from polarsim.model.conditions import compile_conditions
from polarsim.model.model import CompetitionModel
from polarsim.model.setup import prepare
from polarsim.scenario import events
from polarsim.scenario.event_types import EVENT_TYPES, REGISTRY, log_text
from polarsim.scenario.events import LastingEvent, ScenarioEvent
from polarsim.scenario.references import event_codes, reference_problems
from polarsim.viz.data import event_text
from tests.conftest import SCENARIOS

#: the examples' year; the small scenario runs 2005-2008
EXAMPLE_YEAR = 2006
BAD_CODE = "XQZ"


@pytest.fixture(scope="module")
def small():
    """historical_2005 to 2008, without its own events."""
    s = load_scenario(SCENARIOS / "historical_2005.yaml", ["time.end_year=2008"])
    return s.model_copy(update={"events": []})


@pytest.fixture(params=sorted(REGISTRY))
def event_type(request) -> type[ScenarioEvent]:
    return REGISTRY[request.param]


def _with(scenario, ev: ScenarioEvent):
    return scenario.model_copy(update={"events": [ev]})


def test_the_registry_is_what_the_schema_validates():
    # the types of the shipped scenarios; a new module adds to them, nothing else
    shipped = {"sanctions", "war", "retrenchment", "commodity_shock", "unrest", "project"}
    shipped |= {"membership", "base", "summit_format", "posture", "coordination"}
    assert shipped <= set(REGISTRY)
    assert events.EVENT_TYPES == EVENT_TYPES == tuple(REGISTRY)
    assert events.ProjectEvent is REGISTRY["project"]
    for tag, cls in REGISTRY.items():
        assert cls.model_fields["type"].annotation.__args__ == (tag,)


class TestEventTypeContract:
    def test_fields_documented_and_example_valid(self, event_type):
        own = set(event_type.model_fields) - set(ScenarioEvent.model_fields) - {"type"}
        assert own, "an event type without fields of its own"
        assert (event_type.__doc__ or "").strip()
        ev = event_type.model_validate(event_type.example)
        assert ev.year == EXAMPLE_YEAR and ev.type == event_type.example["type"]

    def test_example_has_no_broken_reference(self, event_type, small):
        assert reference_problems(_with(small, event_type.model_validate(event_type.example))) == []

    def test_a_bad_code_is_named_with_what_it_should_be(self, event_type, small):
        ev = event_type.model_validate(event_type.example)
        refs = list(ev.references(event_codes(small)))
        if not refs:
            pytest.skip(f"{event_type.__name__} names no codes")
        for ref in refs:
            raw, keys = _replace_code(event_type.example, ref.keys, ref.code)
            problems = reference_problems(_with(small, event_type.model_validate(raw)))
            mine = [p for p in problems if p.keys == ("events", 0, *keys)]
            assert len(mine) == 1, (ref, problems)
            assert f"unknown {ref.what} {BAD_CODE!r}" in mine[0].message
            assert "expected one of: " in mine[0].message

    def test_compiles(self, event_type, small):
        before = compile_conditions(small)
        after = compile_conditions(_with(small, event_type.model_validate(event_type.example)))
        changed = [
            name
            for name in before.__dataclass_fields__
            if not np.array_equal(getattr(before, name), getattr(after, name))
        ]
        if issubclass(event_type, LastingEvent):
            # in effect over its years only
            assert changed, "a lasting event that changes no condition"
            years = list(small.years)
            for name in changed:
                diff = getattr(before, name) != getattr(after, name)
                rows = [
                    y for y, d in zip(years, diff.reshape(len(years), -1), strict=True) if d.any()
                ]
                assert rows and min(rows) >= EXAMPLE_YEAR
        else:
            assert not changed
        su = prepare(_with(small, event_type.model_validate(event_type.example)))
        assert [type(e) for e in su.timeline.get(EXAMPLE_YEAR, [])] == [event_type]

    def test_applies_in_its_year_and_logs_text(self, event_type, small):
        ev = event_type.model_validate(event_type.example)
        m = CompetitionModel(_with(small, ev), rng=1)
        quiet = CompetitionModel(small, rng=1)
        while m.year < EXAMPLE_YEAR:
            m.step()
            quiet.step()
        new = [e for e in m.events if e[1] == EXAMPLE_YEAR and e not in quiet.events]
        assert new, "the event left no trace in the event log"
        for _, _, kind, actor, target, detail, value in new:
            text = event_text(kind, actor, target, detail, value)
            assert text and "{" not in text
            if kind in event_type.texts:
                assert log_text(kind, actor, target, detail, value) == text
        if event_type.texts:
            kind, *rest = ev.log_entry()
            assert kind in event_type.texts and log_text(kind, *rest)


def _replace_code(example: dict[str, Any], keys: tuple, code: str) -> tuple[dict, tuple]:
    """The example with the code at `keys` replaced by BAD_CODE (a mapping key that is
    the code itself is renamed), and the keys of the replaced code."""
    raw = copy.deepcopy(example)
    node = raw
    for k in keys[:-1]:
        node = node[k]
    last = keys[-1]
    if isinstance(node, dict) and last == code and node.get(last) != code:
        node[BAD_CODE] = node.pop(last)
        return raw, (*keys[:-1], BAD_CODE)
    node[last] = BAD_CODE
    return raw, keys
