"""A change of a power's regional budget: the product of the events in force multiplies
its budget."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from polarsim.scenario.events import Codes, LastingEvent, Reference

if TYPE_CHECKING:
    from polarsim.model.conditions import Conditions


class RetrenchmentEvent(LastingEvent):
    """A change of a power's regional budget (negative: retrenchment, positive: push)."""

    type: Literal["retrenchment"]
    power: str = Field(description="power code")
    budget_change: float = Field(
        ge=-1, le=2, description="relative change of the regional budget (-0.5 = halved)"
    )

    texts = {"retrenchment": "{actor} retrenches (budget {value:+.0%})"}
    example = {
        "type": "retrenchment",
        "year": 2006,
        "end_year": 2007,
        "power": "USA",
        "budget_change": -0.5,
    }

    def references(self, codes: Codes) -> Iterator[Reference]:
        yield Reference(("power",), self.power, codes.powers, "power")

    def compile_span(self, conditions: Conditions, span: slice, codes: Codes) -> None:
        conditions.budget_factor[span, codes.power[self.power]] *= 1.0 + self.budget_change

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return ("retrenchment", self.power, "", self.note, self.budget_change)
