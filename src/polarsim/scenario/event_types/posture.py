"""A power changes its stance: how strongly it demands exclusivity (coercion, the
risk it poses to its rivals' partners) and how much of its GDP it spends in the region."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from polarsim.scenario.events import Codes, Reference, ScenarioEvent

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel


class PostureEvent(ScenarioEvent):
    """A power changes its stance from this year: how strongly it demands exclusivity
    and/or how much of its GDP it spends in the region."""

    type: Literal["posture"]
    power: str = Field(description="power code")
    exclusivity: float | None = Field(None, ge=0, le=1, description="new exclusivity")
    budget_pct_gdp: float | None = Field(
        None, ge=0, le=5, description="new regional budget, % of GDP"
    )

    texts = {"posture": "{actor} changes posture"}
    example = {"type": "posture", "year": 2006, "power": "RUS", "exclusivity": 0.9}

    @model_validator(mode="after")
    def _something(self):
        if self.exclusivity is None and self.budget_pct_gdp is None:
            raise ValueError("a posture event needs exclusivity or budget_pct_gdp")
        return self

    def references(self, codes: Codes) -> Iterator[Reference]:
        yield Reference(("power",), self.power, codes.powers, "power")

    def at_start(self, model: CompetitionModel) -> None:
        if self.year <= model.year:  # in force when the run starts
            self._set(model)

    def apply(self, model: CompetitionModel) -> None:
        self._set(model)
        model.log_event(*self.log_entry())

    def _set(self, model: CompetitionModel) -> None:
        model.set_stance(
            self.power, exclusivity=self.exclusivity, budget_pct_gdp=self.budget_pct_gdp
        )

    def log_entry(self) -> tuple[str, str, str, str, float]:
        value = self.exclusivity if self.exclusivity is not None else self.budget_pct_gdp
        return ("posture", self.power, "", self.note, value)
