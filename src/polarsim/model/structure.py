"""A scenario's structure: everything in it but its `parameters` (time span, actors,
institutions, relations, events, ...), which the design points of a sweep share.

`structure(s)` gives it a token, so that the parts of the preparation that read the
structure and a few parameter values are found by (token, those values) without
serialising the actors again for every point (model.setup), and the canonical JSON of
each of its fields, from which `scenario_key` builds the scenario's SHA-256 with only
the parameters serialised anew. A scenario is matched to a structure seen before by
equality of its fields: cheap when the objects are the same ones, as they are for
points set on one base scenario (scenario.points), exact in any case.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from polarsim.scenario import Scenario
from polarsim.scenario.load import applied_events

#: The field the structure leaves out.
PARAMETERS = "parameters"
#: The field scenario_hash leaves out (it only documents values).
SOURCES = "sources"
#: The field whose items after the end year scenario_hash leaves out.
EVENTS = "events"
#: Structures remembered: a sweep has one; a structural design a few at a time.
_SIZE = 8


@dataclass(frozen=True)
class Structure:
    token: str  # SHA-256 of the fields' JSON texts
    texts: dict[str, str]  # canonical JSON of each field but the parameters


_SEEN: list[tuple[tuple, Structure]] = []
#: The last scenario asked about and its structure: one preparation asks many times.
_LAST: list = [None, None]


def _canonical(value) -> str:
    """The JSON text scenario_hash writes for a value (load.scenario_hash)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def structure(s: Scenario) -> Structure:
    """The structure of `s` (see the module's docstring)."""
    if _LAST[0] is s:
        return _LAST[1]
    names = [name for name in type(s).model_fields if name != PARAMETERS]
    fields = tuple(getattr(s, name) for name in names)
    at = next((i for i, (seen, _) in enumerate(_SEEN) if seen == fields), None)
    if at is not None:
        # kept with this scenario's objects, which the next points share: they then
        # compare by identity, not field by field
        found = _SEEN.pop(at)[1]
    else:
        dumped = s.model_dump(mode="json", exclude={PARAMETERS})
        dumped[EVENTS] = applied_events(dumped[EVENTS], s.time.end_year)  # as scenario_hash
        texts = {name: _canonical(dumped[name]) for name in names}
        whole = "\n".join(f"{name}={texts[name]}" for name in names)
        found = Structure(hashlib.sha256(whole.encode()).hexdigest(), texts)
    _SEEN.insert(0, (fields, found))
    del _SEEN[_SIZE:]
    _LAST[:] = [s, found]
    return found


def forget_structures() -> None:
    """Forget the structures seen (model.setup.forget)."""
    _SEEN.clear()
    _LAST[:] = [None, None]


def scenario_key(s: Scenario) -> str:
    """`load.scenario_hash(s)`, the same text hashed, with only the parameters
    serialised: the canonical JSON of a mapping is its items' texts in key order."""
    texts = dict(structure(s).texts)
    texts[PARAMETERS] = _canonical(s.model_dump(mode="json", include={PARAMETERS})[PARAMETERS])
    texts.pop(SOURCES, None)
    body = ",".join(f"{json.dumps(name)}:{texts[name]}" for name in sorted(texts))
    return hashlib.sha256(("{" + body + "}").encode()).hexdigest()
