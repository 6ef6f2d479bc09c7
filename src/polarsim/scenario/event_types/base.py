"""A foreign military base opens or closes: each open base adds to the host's security
tie with the power every year."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from polarsim.scenario.events import Codes, Reference, ScenarioEvent

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel


class BaseEvent(ScenarioEvent):
    """A foreign military base opens or closes."""

    type: Literal["base"]
    power: str = Field(description="power code of the base")
    state: str = Field(description="host state code")
    action: Literal["open", "close"] = Field(description="open or close")

    texts = {
        "base_open": "{actor} opens a base in {target}",
        "base_close": "{actor} closes its base in {target}",
    }
    example = {"type": "base", "year": 2006, "power": "USA", "state": "UZB", "action": "open"}

    def references(self, codes: Codes) -> Iterator[Reference]:
        yield Reference(("power",), self.power, codes.powers, "power")
        yield Reference(("state",), self.state, codes.states, "state")

    def apply(self, model: CompetitionModel) -> None:
        model.set_base(self.state, self.power, is_open=self.action == "open")
        model.log_event(*self.log_entry())

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return (f"base_{self.action}", self.power, self.state, self.note, 1.0)
