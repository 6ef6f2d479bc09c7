"""The registry of event types: every module of this package defines one, a subclass of
`polarsim.scenario.events.ScenarioEvent` whose `type` names it in scenario files. The
modules are found, not listed, so a new event type is a new module here and nothing
else (tests/scenario/test_event_types.py runs the contract over every one).

The order is the modules' names: docs/parameters.md lists the types in it, and error
messages name them in it.
"""

from __future__ import annotations

import importlib
import operator
import pkgutil
from functools import reduce
from typing import Annotated, get_args

from pydantic import Field

from polarsim.scenario.events import ScenarioEvent


def _discover() -> dict[str, type[ScenarioEvent]]:
    found: dict[str, type[ScenarioEvent]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, ScenarioEvent)
                and obj.__module__ == module.__name__
                and "type" in obj.model_fields
            ):
                (tag,) = get_args(obj.model_fields["type"].annotation)
                if tag in found:
                    raise TypeError(f"event type {tag!r} defined twice: {found[tag]}, {obj}")
                found[tag] = obj
    return found


REGISTRY: dict[str, type[ScenarioEvent]] = _discover()
EVENT_TYPES: tuple[str, ...] = tuple(REGISTRY)
#: The tagged union a scenario's `events:` list is validated against.
Event = Annotated[reduce(operator.or_, REGISTRY.values()), Field(discriminator="type")]


def log_text(kind: str, actor: str, target: str, detail: str, value: float) -> str | None:
    """One line of the event log in words, for the kinds of entry the event types
    write (None for the model's own kinds: coercion, project decisions)."""
    for cls in REGISTRY.values():
        template = cls.texts.get(kind)
        if template is not None:
            text = template.format(actor=actor, target=target, detail=detail, value=value)
            return f"{text}: {detail}" if cls.text_adds_detail and detail else text
    return None
