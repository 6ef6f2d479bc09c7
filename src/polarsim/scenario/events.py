"""Events of a scenario timeline: the base classes and the registry's front door.

Each event type is one class in one module of `polarsim.scenario.event_types`, holding
everything polarsim does with it: its fields (what a scenario file writes), the codes it
names (checked against the scenario's actors and institutions), how it compiles into
the yearly condition arrays and the drivers' growth penalties, what it does to the model
in its year, and its line in the event log. Adding a module there adds an event type;
nothing else changes (docs/parameters.md is generated from the classes).

An event never writes a tie or a metric: each sets a condition that a mechanism reads
(a sanction lowers a budget and a trade factor, a membership changes tariffs and
guarantees, a project becomes an agent). `year` is the first calendar year in effect;
`end_year`, where it applies, is the last (inclusive; none = open-ended).

The event types import the base classes below, so this module cannot import them at
load time; `Event` (the tagged union the schema uses), `EVENT_TYPES` and the classes by
name (`ProjectEvent`, ...) are taken from the registry on first use (PEP 562).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, NamedTuple, get_args

from pydantic import Field, model_validator

from polarsim.inputs.strict import StrictModel

if TYPE_CHECKING:
    from polarsim.model.conditions import Conditions
    from polarsim.model.model import CompetitionModel
    from polarsim.scenario.parameters import DriverParams

ProjectKind = Literal[
    "gas_pipeline",
    "oil_pipeline",
    "railway",
    "road",
    "corridor",
    "dry_port",
    "power_line",
    "hydropower",
]
PROJECT_KINDS: tuple[str, ...] = get_args(ProjectKind)
COMMODITIES = ("oil", "gas", "metals", "electricity")

Year = Annotated[int, Field(ge=1990, le=2100, description="calendar year")]


class Reference(NamedTuple):
    """A code an event names: where it is (keys below the event), the code, the codes
    it may be, and what to call it in a message ("unknown power 'RSU'")."""

    keys: tuple[Any, ...]
    code: str
    valid: list[str]
    what: str


@dataclass(frozen=True)
class Codes:
    """The codes of a scenario's actors and institutions, in file order, with their
    indices: what events name and what the compiled arrays are indexed by."""

    powers: list[str]
    states: list[str]
    institutions: list[str]
    forums: list[str] = field(default_factory=list)

    @cached_property
    def power(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.powers)}

    @cached_property
    def state(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.states)}


class ScenarioEvent(StrictModel):
    """One dated event. A subclass in `polarsim.scenario.event_types` declares `type`
    (a one-value Literal, the tag a file writes) and its fields, and overrides what it
    takes part in; the defaults take part in nothing."""

    year: Year
    note: str = Field("", description="free text: what happened, for the reader")
    source: str = Field("", description="where the date and size come from")

    #: The event log's text for each kind of entry this type writes, a str.format
    #: template over actor, target, detail and value.
    texts: ClassVar[dict[str, str]] = {}
    #: Whether the log text ends with the entry's detail (the event's note).
    text_adds_detail: ClassVar[bool] = True
    #: Whether the event moves the exogenous drivers (GDP paths): the drivers of a
    #: scenario are reused across scenarios whose events of these types agree.
    moves_drivers: ClassVar[bool] = False
    #: A valid event of this type as a file would write it, naming codes of the actor
    #: catalogue and a year after 2005: the docs' example and the contract tests' input.
    example: ClassVar[dict[str, Any]]

    def references(self, codes: Codes) -> Iterator[Reference]:
        """The codes this event names, to be checked against the scenario's."""
        return iter(())

    def last_year(self, final: int) -> int:
        """Last calendar year in effect; a one-shot event's effect lasts to the end."""
        return final

    def compile(self, conditions: Conditions, years: range, codes: Codes) -> None:
        """Write this event's part of the yearly condition arrays (in place)."""

    def growth_penalty(self, group: str, code: str, prm: DriverParams) -> float | None:
        """Percentage points of yearly growth this event takes from an actor's projected
        GDP (group "powers" or "states"), or None if it does not touch that actor."""
        return None

    def timeline_year(self, start: int, end: int) -> int | None:
        """The year after the start year `start` in which the model applies this event
        (None: never, the start year's data already hold it; a year after the last,
        `end`, is never reached)."""
        return self.year if self.year > start else None

    def at_start(self, model: CompetitionModel) -> None:
        """What the event does to a model built after it happened (stances in force)."""

    def apply(self, model: CompetitionModel) -> None:
        """What the event does to the model in its year: by default only its log entry
        (a lasting event acts through the compiled conditions)."""
        model.log_event(*self.log_entry())

    def log_entry(self) -> tuple[str, str, str, str, float]:
        """The event log's (kind, actor, target, detail, value) for this event: by
        default its type and note; types that name actors say which."""
        return (self.type, "", "", self.note, 1.0)


class LastingEvent(ScenarioEvent):
    """An event in effect from `year` to `end_year`: it acts through the yearly
    condition arrays, compiled once per scenario."""

    end_year: Year | None = Field(None, description="last year in effect (inclusive)")

    @model_validator(mode="after")
    def _ordered(self):
        if self.end_year is not None and self.end_year < self.year:
            raise ValueError(f"end_year {self.end_year} is before year {self.year}")
        return self

    def last_year(self, final: int) -> int:
        return self.end_year if self.end_year is not None else final

    def compile(self, conditions: Conditions, years: range, codes: Codes) -> None:
        final = years.stop - 1
        if self.year > final or self.last_year(final) < years.start:
            return
        first = max(self.year, years.start)
        last = min(self.last_year(final), final)
        self.compile_span(conditions, slice(first - years.start, last + 1 - years.start), codes)

    @abstractmethod
    def compile_span(self, conditions: Conditions, span: slice, codes: Codes) -> None:
        """Write the event's effect on the year indices `span` of the condition arrays
        (every lasting type does; pydantic's model metaclass is an ABCMeta, so a type
        without it cannot be instantiated)."""


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # `from ... import X` asks for `__path__` every time
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from polarsim.scenario import event_types

    if name in ("Event", "EVENT_TYPES", "REGISTRY"):
        value = getattr(event_types, name)
    else:
        value = next((c for c in event_types.REGISTRY.values() if c.__name__ == name), None)
        if value is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
