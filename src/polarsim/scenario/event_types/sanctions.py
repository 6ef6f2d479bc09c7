"""Sanctions: on a power, a budget cut, less trade with the states exposed to the
imposers, project stalls and lower projected growth; on a state, an arms embargo and
less trade with the imposers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field, model_validator

from polarsim.scenario.events import Codes, LastingEvent, Reference

if TYPE_CHECKING:
    from polarsim.model.conditions import Conditions
    from polarsim.scenario.parameters import DriverParams


class SanctionsEvent(LastingEvent):
    """Sanctions: cut the target's budget and its trade with states exposed to the
    imposers; on a state, an arms embargo and less trade with the imposers."""

    type: Literal["sanctions"]
    imposers: list[str] = Field(min_length=1, description="power codes imposing")
    target: str = Field(description="power or state code sanctioned")
    intensity: float = Field(ge=0, le=1, description="0 = symbolic, 1 = full embargo")

    texts = {"sanctions": "{actor} sanction {target} (intensity {value:g})"}
    moves_drivers = True
    example = {
        "type": "sanctions",
        "year": 2006,
        "end_year": 2007,
        "imposers": ["EU"],
        "target": "RUS",
        "intensity": 0.5,
    }

    @model_validator(mode="after")
    def _not_self(self):
        if self.target in self.imposers:
            raise ValueError(
                f"imposers: expected powers other than the target {self.target}, "
                f"found {self.target} among them"
            )
        return self

    def references(self, codes: Codes) -> Iterator[Reference]:
        for j, imp in enumerate(self.imposers):
            yield Reference(("imposers", j), imp, codes.powers, "power")
        yield Reference(("target",), self.target, codes.powers + codes.states, "actor")

    def compile_span(self, conditions: Conditions, span: slice, codes: Codes) -> None:
        imp = [codes.power[c] for c in self.imposers]
        if self.target in codes.power:
            target = conditions.sanctions_on_power[span, codes.power[self.target]]
        else:
            target = conditions.sanctions_on_state[span, codes.state[self.target]]
        # overlapping sanctions: the strongest counts
        target[:, imp] = np.maximum(target[:, imp], self.intensity)

    def growth_penalty(self, group: str, code: str, prm: DriverParams) -> float | None:
        if group == "powers" and self.target == code:
            return self.intensity * prm.sanctions_growth_penalty
        return None

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return ("sanctions", "+".join(self.imposers), self.target, self.note, self.intensity)
