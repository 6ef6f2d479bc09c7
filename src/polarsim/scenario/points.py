"""Design points: a validated scenario with a few numbers set, without validating the
whole scenario again.

A sweep's design point sets a handful of numbers (`parameters.contest.decisiveness=1.7`)
on a base scenario that is validated once. `set_numbers` puts each number into the
validated objects and validates again only the models on its path, each over the
objects below it as they are (pydantic takes a model instance of the field's class
without validating it again). The result equals what `--set` on the merged mapping
followed by validation of the whole scenario gives (`load.ScenarioSource.checked`),
field values and fields set alike, at a small fraction of the cost.

It takes only the cases where that holds, and returns None for any other, which the
caller then loads the general way (which also words every problem of a bad value as
usual): a number or boolean written the way JSON writes it (how a sweep writes its
points), set on a scalar field of a model that the file, or the schema's defaults for
a section the file leaves out, already holds. Not under `time` (which events fall after
the end is checked on the mapping, load.late_event_problems) and not into a list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from polarsim.scenario.schema import Scenario

#: Number texts whose YAML 1.1 reading is plain Python `int()` / `float()` of the text:
#: a decimal integer without leading zero (`010` is octal in YAML), a float with a
#: point and a signed exponent if any (`1e-05` without a point is text in YAML 1.1).
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+][0-9]+)?")
_BOOLS = {"true": True, "false": False}

#: Top-level sections a number may not be set in here (see the module's docstring).
_GENERAL_ONLY = frozenset({"time"})

#: The section whose numbers no check beyond the schema reads (reference_problems reads
#: only `parameters.metrics.poles`, lists that are never set here; growth_problems reads
#: the actors and the time span).
_SCHEMA_ONLY = "parameters"


def quick_value(text: str) -> tuple[bool, Any]:
    """(True, value) for a number or boolean written as JSON writes it, read exactly as
    the `--set` reader (load.parse_set) reads it; (False, None) for anything else."""
    text = text.strip()
    if _INT.fullmatch(text):
        return True, int(text)
    if _FLOAT.fullmatch(text):
        return True, float(text)
    if text in _BOOLS:
        return True, _BOOLS[text]
    return False, None


def quick_item(keys: Sequence[Any], text: str) -> bool:
    """Whether `set_numbers` may take the override `keys`=`text` at all: a number or
    boolean (`quick_value`) outside the sections it never sets. A sweep's own overrides
    before its points' numbers (`time.start_year=2004`) are numbers too, but under
    `time`: the caller applies them the general way, once for all points."""
    return bool(keys) and keys[0] not in _GENERAL_ONLY and quick_value(text)[0]


def _path(base: Scenario, raw: dict[str, Any], keys: Sequence[Any]) -> list[Any] | None:
    """The objects from the scenario down to the model holding the field `keys` name,
    or None where setting it would not be a plain replacement of that field. `raw` is
    the merged mapping the base was validated from: an entry of a mapping of actors (or
    institutions) must be written there, since `--set` on an absent one would create it
    (and leave out the catalogue's other actors); a section of defaults may be absent."""
    if not keys or keys[0] in _GENERAL_ONLY or not all(isinstance(k, str) for k in keys):
        return None
    chain: list[Any] = [base]
    node: Any = base
    written: Any = raw
    for key in keys[:-1]:
        if isinstance(node, BaseModel):
            if key not in type(node).model_fields:
                return None
            node = getattr(node, key)
            if written is not None and not isinstance(written, dict):
                return None
            written = written.get(key) if written is not None else None
        elif isinstance(node, dict):
            if not isinstance(written, dict) or not isinstance(written.get(key), dict):
                return None
            node, written = node.get(key), written[key]
        else:
            return None
        if not isinstance(node, BaseModel | dict):
            return None
        chain.append(node)
    last = chain[-1]
    if not isinstance(last, BaseModel) or keys[-1] not in type(last).model_fields:
        return None
    if isinstance(getattr(last, keys[-1]), BaseModel | dict | list | tuple):
        return None
    return chain


def _rebuilt(node: Any, changes: dict[str, Any]) -> Any:
    """`node` with `changes` (field or key -> a value, or a `_Changes` below it): each
    model validated again from the fields it had set plus those replaced (its other
    fields take their defaults, as validation of the mapping gives them), bottom up.
    Raises ValidationError."""
    new = {
        key: _rebuilt(getattr(node, key) if isinstance(node, BaseModel) else node[key], sub)
        if isinstance(sub, _Changes)
        else sub
        for key, sub in changes.items()
    }
    if isinstance(node, dict):
        return {**node, **new}
    fields = {name: getattr(node, name) for name in node.model_fields_set}
    fields.update(new)
    return type(node).model_validate(fields)


def _with_parameters(base: Scenario, changes: _Changes) -> Scenario:
    """`base` with only its parameters changed (`_rebuilt` below them). The scenario's
    own checks (the events', its fields'; `references._source_problems`) read no
    parameter value (the paths a source names are the same in a model of the same
    fields), so validating it again over the same objects could only repeat their
    verdict: the copy is what `_rebuilt` gives, fields set alike, without going over
    every event again. Its actors, events and institutions are the base's objects,
    which `model.structure` then matches by identity."""
    parameters = _rebuilt(base.parameters, changes)
    return base.model_copy(update={_SCHEMA_ONLY: parameters})


class _Changes(dict):
    """The changes below one object of the scenario (`_rebuilt`)."""


def set_numbers(
    base: Scenario, raw: dict[str, Any], items: Sequence[tuple[list[Any], str]]
) -> Scenario | None:
    """`base` (validated from the merged mapping `raw`) with each (keys, value text) of
    `items` set, as `--set` in their order then validation give it; None if any item is
    not one this module takes, or if the result is not valid (the general path then
    says why). Every model on the items' paths is validated once, after all are set:
    validation of the mapping, too, sees only the end result."""
    from polarsim.scenario.growth import growth_problems
    from polarsim.scenario.references import reference_problems

    changes = _Changes()
    for keys, text in items:
        ok, value = quick_value(text)
        if not ok or _path(base, raw, keys) is None:
            return None
        node = changes
        for key in keys[:-1]:
            if not isinstance(node.get(key), _Changes):
                node[key] = _Changes()
            node = node[key]
        node[keys[-1]] = value  # a later item on the same field wins, as with --set
    try:
        scenario = (
            _with_parameters(base, changes[_SCHEMA_ONLY])
            if set(changes) == {_SCHEMA_ONLY}
            else _rebuilt(base, changes)
        )
    except ValidationError:
        return None
    if set(changes) - {_SCHEMA_ONLY} and (
        reference_problems(scenario) or growth_problems(scenario)
    ):
        return None
    return scenario
