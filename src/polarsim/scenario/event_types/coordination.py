"""The states change how far they bargain jointly (parameters.responses.coordination):
coordination pools their dependence and shields them from a power's leverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from polarsim.scenario.events import ScenarioEvent

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel


class CoordinationEvent(ScenarioEvent):
    """The states change how far they bargain jointly from this year
    (parameters.responses.coordination)."""

    type: Literal["coordination"]
    value: float = Field(ge=0, le=1, description="new coordination, 0 alone - 1 as one bloc")

    texts = {"coordination": "states set coordination to {value:g}"}
    example = {"type": "coordination", "year": 2006, "value": 0.5}

    def at_start(self, model: CompetitionModel) -> None:
        if self.year <= model.year:  # in force when the run starts
            model.set_coordination(self.value)

    def apply(self, model: CompetitionModel) -> None:
        model.set_coordination(self.value)
        model.log_event(*self.log_entry())

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return ("coordination", "states", "", self.note, self.value)
