"""Events dated after the end of a scenario: an error, since they would never apply.

An event is checked against the end year of the file that wrote it (that file's own
`time.end_year`, or the one it inherits, or the schema default) and against the end
year of the run: it is an error only when it is after both. So a scenario that shortens
a longer timeline on purpose (`--set time.end_year=2010`, an experiment's overrides, a
file extending `historical.yaml` with an earlier end) keeps the later events without
complaint, while an event written after its own file's end (a typo such as 2099 for
2019) is reported with its line.

Events before `time.start_year` are allowed: they describe the history a run starts
from (projects already operating, sanctions still in force, postures), and the model
uses them (`model/setup.py`, `model/conditions.py`). Memberships, bases and summit
formats in force at the start are those of the bundled data (memberships.csv), not the
events': such an event dated in or before the start year that disagrees with the data
would do nothing, and is an error (`start_state_problems`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from polarsim.inputs.problems import RawProblem
from polarsim.inputs.yaml_lines import Mark
from polarsim.scenario.schema import Scenario, TimeSpan

#: Final index of an event -> end year of the file that wrote it (None: given by
#: `--set`, checked against the run's end year only).
EventEnds = dict[int, int | None]

Marks = dict[tuple[Any, ...], Mark]


def end_year(data: dict[str, Any]) -> int:
    """The end year a (partly merged) scenario mapping says, else the schema default."""
    t = data.get("time")
    year = t.get("end_year") if isinstance(t, dict) else None
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    return TimeSpan.model_fields["end_year"].default


def _events(data: dict[str, Any]) -> list:
    events = data.get("events")
    return events if isinstance(events, list) else []


def own_event_ends(data: dict[str, Any], merged: dict[str, Any], inherited: EventEnds) -> EventEnds:
    """After merging one file (`data`, its own keys) over its parents (`merged`): its own
    `events:` list replaces the inherited timeline, else the parents' ends stay."""
    if "events" not in data:
        return dict(inherited)
    end = end_year(merged)
    return {i: end for i in range(len(_events(data)))}


def added_ends(merged: dict[str, Any], offset: int, n: int) -> EventEnds:
    """`add_events:` of the file just merged: events offset.. of the timeline."""
    end = end_year(merged)
    return {offset + j: end for j in range(n)}


def added_marks(marks: Marks, offset: int) -> Marks:
    """Positions written under `add_events[j]` are those of `events[offset + j]`."""
    out: Marks = {}
    for keys, mark in marks.items():
        if keys[:1] == ("add_events",) and len(keys) > 1 and isinstance(keys[1], int):
            out[("events", offset + keys[1], *keys[2:])] = mark._replace(written_as=keys)
        elif keys[:1] != ("add_events",):
            out[keys] = mark
    return out


def set_event_ends(ends: EventEnds, applied: tuple[Any, ...], data: dict[str, Any]) -> EventEnds:
    """A `--set` at `applied` moves the events it touches to the run's end year alone."""
    if applied[:1] != ("events",):
        return ends
    out = dict(ends)
    if len(applied) == 1:
        return {i: None for i in range(len(_events(data)))}
    if isinstance(applied[1], int):
        out[applied[1]] = None
    return out


def late_event_problems(data: dict[str, Any], ends: EventEnds) -> list[RawProblem]:
    """Every event dated after both its own file's end year and the run's end year."""
    run_end = end_year(data)
    out = []
    for i, ev in enumerate(_events(data)):
        year = ev.get("year") if isinstance(ev, dict) else None
        if not isinstance(year, int) or isinstance(year, bool) or i not in ends:
            continue
        written_end = ends[i] if ends[i] is not None else run_end
        limit = max(written_end, run_end)
        if year > limit:
            out.append(
                RawProblem(
                    ("events", i, "year"),
                    f"the event is dated {year}, after the scenario's end year ({limit}): it "
                    "would never apply; correct the year or extend time.end_year",
                )
            )
    return out


@lru_cache(maxsize=32)
def _data_at_start(year: int) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """(state, institution) memberships and (state, power) bases in force in `year` in
    the bundled memberships.csv, as model.setup reads them for the start year."""
    import pandas as pd

    from polarsim import data

    def active(start: Any, end: Any) -> bool:
        return (pd.isna(start) or int(start) <= year) and (pd.isna(end) or int(end) > year)

    member: set[tuple[str, str]] = set()
    bases: set[tuple[str, str]] = set()
    for row in data.load_memberships().itertuples(index=False):
        # a summit format persists after its meeting (model.setup)
        end = None if row.status == "forum" else row.end_year
        if not active(row.start_year, end):
            continue
        if row.status == "base":
            bases.add((row.state, row.power))
        elif row.status in ("member", "forum"):
            member.add((row.state, row.institution))
    return frozenset(member), frozenset(bases)


def start_state_problems(s: Scenario) -> list[RawProblem]:
    """Membership, base and summit-format events dated in or before the start year are
    not applied (their `timeline_year` is None): the run starts from the memberships
    and bases of the bundled data. Each such event that leaves a state's membership or a
    base other than the data hold it at the start would do nothing: an error."""
    t0 = s.time.start_year
    wanted: dict[tuple[str, str, str], tuple[int, bool]] = {}
    for i, ev in sorted(enumerate(s.events), key=lambda item: item[1].year):
        if ev.year > t0:
            continue
        if ev.type == "membership":
            wanted[("member", ev.state, ev.institution)] = (i, ev.action == "join")
        elif ev.type == "base":
            wanted[("base", ev.state, ev.power)] = (i, ev.action == "open")
        elif ev.type == "summit_format":
            for m in ev.members:
                wanted[("member", m, ev.name)] = (i, True)
    if not wanted:
        return []
    member, bases = _data_at_start(t0)
    out: list[RawProblem] = []
    seen: set[int] = set()
    for (kind, state, other), (i, on) in wanted.items():
        held = (state, other) in (member if kind == "member" else bases)
        if held == on or i in seen:
            continue
        seen.add(i)
        if kind == "member":
            fact = f"{state} is {'' if held else 'not '}a member of {other} in {t0}"
        else:
            fact = f"{other} has {'a' if held else 'no'} base in {state} in {t0}"
        out.append(
            RawProblem(
                ("events", i),
                f"dated {s.events[i].year}, in or before time.start_year {t0}: the run starts "
                f"from the memberships and bases of the bundled data (memberships.csv), "
                f"where {fact}, so this event would change nothing; date it after {t0}",
            )
        )
    return sorted(out, key=lambda p: p.keys)
