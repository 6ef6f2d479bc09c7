"""Loading a scenario: YAML (safe loading only) -> extends -> catalogue -> --set -> schema.

Precedence, lowest first: schema defaults < actor catalogue < `extends` parents (the
nearest parent last) < the file itself < `--set` overrides. Maps merge key by key;
lists (events, poles' members) replace; `add_events:` appends events to the inherited
timeline instead.

Every stage reports all the problems it finds (`Problem`: file, line, field, expected,
found), not only the first: `load_scenario` raises them as one `InputProblemsError` (a
`PolarsimInputError`), `polarsim.scenario.check.validate_file` returns them. Files are
read by the reader every input file shares (`polarsim.inputs.reader`).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from polarsim.codes import DEFAULT_POWERS, DEFAULT_STATES
from polarsim.errors import PolarsimInputError
from polarsim.inputs.problems import (
    SET_SOURCE,
    InputProblemsError,
    Keys,
    Problem,
    RawProblem,
    TaggedItems,
    as_problems,
    bool_hint,
    describe,
    place,
    problem,
    render_path,
    schema_problems,
)
from polarsim.inputs.reader import read_yaml
from polarsim.inputs.yaml_lines import Mark, StrictYAMLError, load_with_positions
from polarsim.scenario.dating import (
    EventEnds,
    added_ends,
    added_marks,
    late_event_problems,
    own_event_ends,
    set_event_ends,
    start_state_problems,
)
from polarsim.scenario.relations import canonical_mapping, canonical_set_keys
from polarsim.scenario.schema import Scenario

Marks = dict[Keys, Mark]

#: How messages name a scenario's events (the items of its tagged union).
EVENTS = TaggedItems("event", "a mapping with a type and a year ({type: ..., year: ...})")


def refused(problems: list[Problem]) -> InputProblemsError:
    """The error listing every problem of a scenario; beyond those it lists, `polarsim
    validate` shows the rest."""
    return InputProblemsError(problems, f"`polarsim validate {problems[0].file}` lists all")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    text = resources.files("polarsim.scenario").joinpath("catalogue.yaml").read_text()
    return yaml.safe_load(text)


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Maps merge key by key; anything else in `over` replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _overridden(keys: Keys, over: Any) -> bool:
    """Does `deep_merge(base, over)` take the value at `keys` from `over`?"""
    node = over
    for k in keys:
        if not isinstance(node, dict):
            return True  # `over` replaced a list or a value above this key
        if k not in node:
            return False
        node = node[k]
    return True


def _read_yaml_marked(path: Path, top: str, name: str) -> tuple[dict[str, Any], Marks]:
    """Read one YAML file strictly, with the position of every key. Problems are
    reported for `top`, the file being loaded (which may extend this one, `name`)."""
    what = "scenario file" if name == top else "parent scenario file"
    doc = read_yaml(
        path,
        what,
        shape="name: ..., time: ..., powers: ..., ...",
        doc="docs/scenarios.md",
        report_as=top,
    )
    return doc.data, doc.marks


def _read_yaml(path: Path) -> dict[str, Any]:
    return _read_yaml_marked(path, str(path), str(path))[0]


def _resolve_marked(
    path: Path, top: str, chain: tuple[Path, ...] = (), via: Mark | None = None
) -> tuple[dict[str, Any], Marks, EventEnds]:
    """The file merged over its `extends` parents, with the position of every key in the
    file where it was written, and for every event the end year of the file that wrote
    it (`dating`). `top` is the file being loaded, as the user named it."""
    name = top if not chain else str(path)
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: reading it fails below
        real = Path(os.path.abspath(path))
    if real in chain:
        cycle = " -> ".join(p.name for p in (*chain, real))
        raise problem(top, f"extends cycle: {cycle}", path="extends", mark=via)
    data, marks = _read_yaml_marked(path, top, name)
    data, marks = _relations_canonical(data, marks)
    added = data.pop("add_events", None)
    parent = data.pop("extends", None)
    here = marks.get(("extends",))
    marks = {k: v for k, v in marks.items() if k[:1] != ("extends",)}
    if added is not None and not isinstance(added, list):
        raise problem(
            top,
            f"expected a list of events, found {describe(added)}",
            path="add_events",
            mark=marks.get(("add_events",)),
        )
    if parent is None:
        merged, merged_marks, ends = data, marks, {}
    else:
        parent_path = _parent_path(parent, name, top, here)
        base, base_marks, ends = _resolve_marked(parent_path, top, (*chain, real), here)
        merged_marks = {k: v for k, v in base_marks.items() if not _overridden(k, data)}
        merged_marks.update(marks)
        merged = deep_merge(base, data)
        if "name" not in data:  # the name is the file's own: its stem unless it sets one
            merged.pop("name", None)
            merged_marks = {k: v for k, v in merged_marks.items() if k[:1] != ("name",)}
    ends = own_event_ends(data, merged, ends)
    if added:  # events appended to the inherited timeline (lists otherwise replace)
        events = merged.get("events") or []
        events = events if isinstance(events, list) else []
        merged["events"] = [*events, *added]
        merged_marks = added_marks(merged_marks, len(events))
        ends.update(added_ends(merged, len(events), len(added)))
    return merged, merged_marks, ends


def _relations_canonical(data: dict[str, Any], marks: Marks) -> tuple[dict[str, Any], Marks]:
    """One file's `relations` keys as the pair's canonical key (`relations`), so that
    a later layer overrides the pair whichever order each writes it in; the positions
    follow the keys."""
    if "relations" not in data:
        return data, marks
    given, renamed = canonical_mapping(data["relations"])
    if not renamed:
        return data, marks
    data = {**data, "relations": given}
    moved: Marks = {}
    for k, v in marks.items():
        if len(k) >= 2 and k[0] == "relations" and k[1] in renamed:
            k = ("relations", renamed[k[1]], *k[2:])
        moved[k] = v
    return data, moved


def _parent_path(parent: Any, name: str, top: str, here: Mark | None) -> Path:
    """The file an `extends:` value names (relative to the file `name` it is written
    in), which must exist."""
    if not isinstance(parent, str) or not parent.strip():
        raise problem(
            top,
            f"expected a file path relative to this file, found {describe(parent)}",
            path="extends",
            mark=here,
        )
    parent_path = Path(os.path.normpath(Path(name).parent / parent))
    if not parent_path.exists():
        raise problem(top, f"parent file not found: {parent_path}", path="extends", mark=here)
    return parent_path


def resolve_extends(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    return _resolve_marked(path, str(path), chain)[0]


_SET_KEY = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")


def split_set(item: str) -> tuple[list[Any], str, str]:
    """`a.b[3]=text` -> (['a', 'b', 3], 'a.b[3]', 'text'): the keys, the path as written
    and the value's text, not parsed yet."""
    if "=" not in item:
        raise PolarsimInputError(f"--set expects dotted.path=value, found {item!r}")
    key, _, raw = item.partition("=")
    keys: list[Any] = []
    for part in key.strip().split("."):
        for name, index in _SET_KEY.findall(part):
            keys.append(int(index) if index else name)
    if not keys:
        raise PolarsimInputError(f"--set expects dotted.path=value, found {item!r}")
    return keys, key, raw


def parse_set(item: str) -> tuple[list[Any], Any]:
    """`a.b.c=value` -> (['a','b','c'], value parsed as YAML scalar). List items are
    addressed as `events[3].year` or `events.3.year`."""
    keys, key, raw = split_set(item)
    try:
        value = load_with_positions(raw, SET_SOURCE)[0] if raw.strip() else ""
    except StrictYAMLError as exc:
        raise PolarsimInputError(
            f"--set {key.strip()}={raw.strip()}: {exc.problems[0][2]}"
        ) from None
    except yaml.YAMLError:
        value = raw
    return keys, value


def _apply_set(data: dict[str, Any], keys: list[Any], value: Any) -> list[Any]:
    """Set `value` at `keys`; returns the keys as applied (list indices as ints). A
    relation is set under its pair's canonical key (`relations`)."""
    keys = canonical_set_keys(keys)
    if keys == ["relations"]:
        value = canonical_mapping(value)[0]
    node: Any = data
    applied: list[Any] = []
    for n, k in enumerate(keys):
        last = n == len(keys) - 1
        if isinstance(node, list):
            if isinstance(k, str) and re.fullmatch(r"-?\d+", k):
                k = int(k)
            if not isinstance(k, int) or not -len(node) <= k < len(node):
                where = render_path(tuple(applied))
                raise PolarsimInputError(
                    f"--set {render_path(tuple(keys))}: {where} is a list of {len(node)} "
                    f"items; expected an index 0-{len(node) - 1}, found {k!r}"
                )
            k = k % len(node)
        applied.append(k)
        if last:
            node[k] = value
            break
        nxt = node[k] if isinstance(node, list) else node.get(k)
        if isinstance(keys[n + 1], int) and not isinstance(nxt, list):
            raise PolarsimInputError(
                f"--set {render_path(tuple(keys))}: expected a list at "
                f"{render_path(tuple(applied))}, found {describe(nxt)}"
            )
        if not isinstance(nxt, dict | list):
            nxt = {}
            node[k] = nxt
        node = nxt
    return applied


def _with_catalogue_checked(
    data: dict[str, Any], marks: Marks | None = None
) -> tuple[dict[str, Any], list[RawProblem]]:
    """Fill actors, institutions and relations from the catalogue. Entries that cannot
    be merged are reported and left out, so the schema can check the rest."""
    marks = marks or {}
    cat = catalogue()
    out = dict(data)
    raw: list[RawProblem] = []
    for group, defaults in (("powers", DEFAULT_POWERS), ("states", DEFAULT_STATES)):
        out[group] = _actors_with_catalogue(group, out.get(group), defaults, marks, raw)
    for group in ("institutions", "relations"):
        given = out.get(group)
        if given is None:
            given = {}
        if not isinstance(given, dict):
            raw.append(RawProblem((group,), f"expected a mapping, found {describe(given)}"))
            given = {}
        if group == "relations":  # a mapping built in code: one key per pair as well
            given = canonical_mapping(given)[0]
        out[group] = deep_merge(cat[group], given)
    return out, raw


def _actors_with_catalogue(
    group: str, given: Any, defaults: tuple[str, ...], marks: Marks, raw: list[RawProblem]
) -> dict[str, Any]:
    """One group of actors (powers or states) over their catalogue entries (the
    default actors when the file names none); problems are appended to `raw`."""
    if given is not None and not isinstance(given, dict):
        raw.append(
            RawProblem(
                (group,),
                f"expected a mapping of actor codes (e.g. {{{defaults[0]}: {{}}}}), "
                f"found {describe(given)}",
            )
        )
        given = None
    if given is None:
        given = {code: {} for code in defaults}
    known = catalogue()[group]
    merged = {}
    for code, spec in given.items():
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            raw.append(
                RawProblem(
                    (group, code),
                    f"expected a mapping of attributes (e.g. {{}}), found {describe(spec)}",
                )
            )
            continue
        # a code the catalogue does not know is a new actor if the file defines it
        # (gives its name or its name in the data); otherwise most likely a typo
        if code not in known and not (spec.get("name") or spec.get("data_name")):
            raw.append(_unknown_actor(group, code, known, marks.get((group, code))))
            continue
        merged[code] = deep_merge(known.get(code, {}), spec)
    return merged


def _unknown_actor(group: str, code: Any, known: dict[str, Any], mark: Mark | None) -> RawProblem:
    if isinstance(code, bool):
        hint = f" ({bool_hint(code, mark.key_text if mark else None)})"
    else:
        close = difflib.get_close_matches(str(code), list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        hint += " (a code is text: quote it)" if not isinstance(code, str) else ""
    return RawProblem(
        (group, code),
        f"unknown actor {code!r}{hint}; known {group}: {', '.join(known)}; "
        "a new actor needs its attributes (docs/scenarios.md, Actors the "
        "catalogue does not know)",
    )


def _with_catalogue(data: dict[str, Any], file: str) -> dict[str, Any]:
    out, raw = _with_catalogue_checked(data)
    if raw:
        raise refused(place(raw, file, data, {}))
    return out


def check_data(
    data: dict[str, Any],
    file: str = "<scenario>",
    marks: Marks | None = None,
    extra: list[RawProblem] | None = None,
) -> tuple[Scenario | None, list[Problem]]:
    """Validate a scenario mapping (after extends/--set): catalogue, schema, then
    cross-references, plus `extra` problems found while loading (events dated after the
    end). Returns (scenario, []) or (None, every problem found)."""
    marks = marks or {}
    out, raw = _with_catalogue_checked(data, marks)
    scenario = None
    try:
        scenario = Scenario.model_validate(out)
    except ValidationError as exc:
        # an actor left out above would also leave its group empty: report the actor only
        skipped = {p.keys[0] for p in raw if len(p.keys) > 1}
        raw += [
            p
            for p in schema_problems(exc, out, Scenario, marks.get, EVENTS)
            if not (len(p.keys) == 1 and p.keys[0] in skipped)
        ]
    if scenario is not None and not raw:
        from polarsim.scenario.growth import growth_problems
        from polarsim.scenario.references import non_finite_problems, reference_problems

        raw += reference_problems(scenario) + growth_problems(scenario)
        if not raw:  # the codes the events name are the scenario's
            raw += start_state_problems(scenario)
        seen = {p.keys for p in raw}
        raw += [p for p in non_finite_problems(out) if p.keys not in seen]
    seen = {p.keys for p in raw}
    raw += [p for p in extra or () if p.keys not in seen]
    if raw:
        return None, place(raw, file, out, marks)
    return scenario, []


def build_scenario(data: dict[str, Any], file: str = "<scenario>") -> Scenario:
    """Validate a scenario mapping (after extends/--set) against the schema.
    Raises InputProblemsError (a PolarsimInputError) listing every problem."""
    scenario, problems = check_data(data, file)
    if problems:
        raise refused(problems)
    return scenario


def check_path(path: Any, field: str = "path") -> None:
    """Refuse a scenario path that is not a str or os.PathLike (a number, None, a
    Scenario object) with a PolarsimInputError naming `field`."""
    if not isinstance(path, str | os.PathLike):
        raise PolarsimInputError(
            f"expected a scenario file (str or Path), found {path!r}", field=field
        )


def check_overrides(overrides: Any, field: str = "overrides") -> tuple[str, ...]:
    """`--set` items as a tuple of strings, or a PolarsimInputError naming `field`: one
    string alone is refused (iterating it would take each letter for an item), and so
    are None and items that are not strings."""
    if isinstance(overrides, str | bytes) or not isinstance(overrides, Sequence):
        hint = f" (write [{overrides!r}] for one)" if isinstance(overrides, str) else ""
        raise PolarsimInputError(
            f"expected a list of PATH=VALUE strings, found {overrides!r}{hint}", field=field
        )
    for i, item in enumerate(overrides):
        if not isinstance(item, str):
            raise PolarsimInputError(
                f"expected a PATH=VALUE string, found {item!r}", field=f"{field}[{i}]"
            )
    return tuple(overrides)


def load_checked(
    path: str | Path, overrides: list[str] | tuple[str, ...] = ()
) -> tuple[Scenario | None, list[Problem]]:
    """Read, merge and validate a scenario file: (scenario, []) or (None, problems).
    A path or overrides of the wrong type raise PolarsimInputError (check_path,
    check_overrides): they are the caller's mistake, not the file's problems."""
    check_path(path)
    overrides = check_overrides(overrides)
    return ScenarioSource(path).checked(overrides)


def _marks_under(marks: Marks) -> dict[Keys, list[Keys]]:
    """Every path that has positions at or below it -> the keys of those positions."""
    out: dict[Keys, list[Keys]] = {}
    for keys in marks:
        for n in range(1, len(keys) + 1):
            out.setdefault(keys[:n], []).append(keys)
    return out


class ScenarioSource:
    """A scenario file read and merged over its `extends` parents once, to which each
    call applies its own `--set` overrides and the schema: what a sweep needs for its
    thousands of design points, whose file reading (the strict YAML reader with the
    position of every key) costs twenty times the validation.

    `checked(overrides)` returns exactly what `load_checked(path, overrides)` returns
    (the same precedence, problems and positions): that function is this one with a
    new source. The files are read at the first call and not again, so a source lives
    as long as the files are known not to change (a sweep)."""

    def __init__(self, path: str | Path):
        self.top = str(path)
        self.path = Path(path)
        self._resolved: tuple[dict[str, Any], Marks, EventEnds] | None = None
        self._under: dict[Keys, list[Keys]] = {}
        # the overrides a point's numbers are set after, their scenario (None: not
        # valid) and merged mapping (points.set_numbers)
        self._base: tuple[tuple[str, ...], Scenario | None, dict[str, Any]] | None = None
        self._used = False

    def checked(
        self, overrides: list[str] | tuple[str, ...] = ()
    ) -> tuple[Scenario | None, list[Problem]]:
        """The file with `overrides` applied, validated: (scenario, []) or (None, problems).
        From the second call on, numbers at the end of `overrides` are set the quick way
        (`_quick`); a source used once, as `load_scenario` uses it, would only pay for the
        base scenario's validation on top."""
        if self._used:
            quick = self._quick(tuple(overrides))
            if quick is not None:
                return quick, []
        self._used = True
        try:
            data, marks, ends = self._merged(overrides)
        except PolarsimInputError as exc:
            return None, as_problems(exc, self.top)
        return check_data(data, self.top, marks, late_event_problems(data, ends))

    def _merged(
        self, overrides: list[str] | tuple[str, ...]
    ) -> tuple[dict[str, Any], Marks, EventEnds]:
        """The merged mapping with `overrides` applied, before the catalogue and the
        schema; the position of every key, the events' end years. Raises
        PolarsimInputError for an override that cannot be applied."""
        if self._resolved is None:
            self._resolved = _resolve_marked(self.path, self.top)
            self._under = _marks_under(self._resolved[1])
        # the overrides write into the merged mapping: each call works on its own copy
        base, file_marks, ends = self._resolved
        data, ends = copy.deepcopy(base), dict(ends)
        # An override replaces the positions of every key at or below the path it
        # sets (their values now come from --set): the file's are looked up in the
        # index, not by a pass over all of them per override.
        gone: set[Keys] = set()
        own: Marks = {}
        for item in overrides:
            keys, value = parse_set(item)
            applied = tuple(_apply_set(data, keys, value))
            gone.update(self._under.get(applied, ()))
            own = {k: v for k, v in own.items() if k[: len(applied)] != applied}
            raw = item.partition("=")[2].strip()
            own[applied] = Mark(SET_SOURCE, value_text=raw, value_plain=True)
            ends = set_event_ends(ends, applied, data)
        marks = {k: v for k, v in file_marks.items() if k not in gone} if gone else dict(file_marks)
        marks.update(own)
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", self.path.stem).lstrip("._-")[:100]
        data.setdefault("name", safe or "scenario")
        return data, marks, ends

    def _quick(self, overrides: tuple[str, ...]) -> Scenario | None:
        """The scenario when its last overrides are numbers `points.set_numbers` can set
        on the scenario of the overrides before them (validated once, kept for the next
        call: a sweep's points share them); None when the general path must be taken."""
        from polarsim.scenario.points import quick_item, set_numbers

        try:
            items = [split_set(item) for item in overrides]
        except PolarsimInputError:
            return None
        first = len(items)
        while first > 0 and quick_item(items[first - 1][0], items[first - 1][2]):
            first -= 1
        if first == len(items):
            return None
        common = overrides[:first]
        if self._base is None or self._base[0] != common:
            try:
                data, marks, ends = self._merged(common)
                scenario, _ = check_data(data, self.top, marks, late_event_problems(data, ends))
            except PolarsimInputError:
                data, scenario = {}, None
            self._base = (common, scenario, data)
        _, scenario, data = self._base
        if scenario is None:
            return None
        return set_numbers(scenario, data, [(keys, raw) for keys, _, raw in items[first:]])

    def load(self, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
        """As `load_scenario(path, overrides)`: raises PolarsimInputError on bad input."""
        scenario, problems = self.checked(overrides)
        if problems:
            raise refused(problems)
        return scenario


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read, merge and validate a scenario file. Raises PolarsimInputError on bad input
    (an InputProblemsError whose `.problems` lists every problem found)."""
    scenario, problems = load_checked(path, overrides)
    if problems:
        raise refused(problems)
    return scenario


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    """The resolved scenario as plain data, without the events dated after its end year
    (`applied_events`)."""
    data = scenario.model_dump(mode="json")
    data["events"] = applied_events(data["events"], scenario.time.end_year)
    return data


def applied_events(events: list[dict[str, Any]], end_year: int) -> list[dict[str, Any]]:
    """The events a run applies: those dated up to its end year. A parent's events after
    a child's shorter span never apply, so the numbers do not depend on them; a file
    that wrote them itself is refused (scenario.dating), so a resolved copy that kept
    them could not be run again."""
    return [ev for ev in events if ev["year"] <= end_year]


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario (canonical JSON): what the numbers depend on
    (`sources`, which only documents values, and the events after the end year are
    left out)."""
    data = {k: v for k, v in scenario_dict(scenario).items() if k != "sources"}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def resolved_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML that loads back to the same scenario
    (`scenario_dict`)."""
    return yaml.safe_dump(scenario_dict(scenario), sort_keys=False, allow_unicode=True)
