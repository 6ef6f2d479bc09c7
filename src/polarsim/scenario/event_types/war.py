"""A power at war outside the region: less budget and arms-export capacity for the
region, project stalls and lower projected growth."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from polarsim.scenario.events import Codes, LastingEvent, Reference

if TYPE_CHECKING:
    from polarsim.model.conditions import Conditions
    from polarsim.scenario.parameters import DriverParams


class WarEvent(LastingEvent):
    """A power at war elsewhere: less budget and arms-export capacity for the region."""

    type: Literal["war"]
    power: str = Field(description="power code at war (outside the region)")
    capacity_diverted: float = Field(
        ge=0, le=1, description="share of the power's external capacity absorbed by the war"
    )

    texts = {"war": "{actor} at war ({value:.0%} of capacity diverted)"}
    moves_drivers = True
    example = {
        "type": "war",
        "year": 2006,
        "end_year": 2007,
        "power": "RUS",
        "capacity_diverted": 0.3,
    }

    def references(self, codes: Codes) -> Iterator[Reference]:
        yield Reference(("power",), self.power, codes.powers, "power")

    def compile_span(self, conditions: Conditions, span: slice, codes: Codes) -> None:
        p = codes.power[self.power]
        war = conditions.war
        war[span, p] = np.maximum(war[span, p], self.capacity_diverted)

    def growth_penalty(self, group: str, code: str, prm: DriverParams) -> float | None:
        if group == "powers" and self.power == code:
            return self.capacity_diverted * prm.war_growth_penalty
        return None

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return ("war", self.power, "", self.note, self.capacity_diverted)
