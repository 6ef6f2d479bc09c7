"""Unrest in a state: more security demand and strategic value (added to its threat),
stalled projects, lower projected growth."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from polarsim.scenario.events import Codes, LastingEvent, Reference

if TYPE_CHECKING:
    from polarsim.model.conditions import Conditions
    from polarsim.scenario.parameters import DriverParams


class UnrestEvent(LastingEvent):
    """Unrest in a state: more security demand, stalled projects, lower projected growth."""

    type: Literal["unrest"]
    state: str = Field(description="state code")
    intensity: float = Field(ge=0, le=1, description="0 = protests, 1 = state collapse")

    texts = {"unrest": "unrest in {target} (intensity {value:g})"}
    moves_drivers = True
    example = {"type": "unrest", "year": 2006, "end_year": 2006, "state": "KGZ", "intensity": 0.4}

    def references(self, codes: Codes) -> Iterator[Reference]:
        yield Reference(("state",), self.state, codes.states, "state")

    def compile_span(self, conditions: Conditions, span: slice, codes: Codes) -> None:
        s = codes.state[self.state]
        unrest = conditions.unrest
        unrest[span, s] = np.maximum(unrest[span, s], self.intensity)

    def growth_penalty(self, group: str, code: str, prm: DriverParams) -> float | None:
        if group == "states" and self.state == code:
            return self.intensity * prm.unrest_growth_penalty
        return None

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return ("unrest", "", self.state, self.note, self.intensity)
