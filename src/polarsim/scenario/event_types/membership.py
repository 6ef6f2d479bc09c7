"""A state joins, leaves or suspends its membership of an institution: tariffs,
guarantees and forum bonuses follow the memberships in force."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from polarsim.scenario.events import Codes, Reference, ScenarioEvent

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel


class MembershipEvent(ScenarioEvent):
    """A state joins, leaves or suspends its membership of an institution."""

    type: Literal["membership"]
    state: str = Field(description="state code")
    institution: str = Field(description="institution id (see institutions)")
    action: Literal["join", "leave", "suspend"] = Field(description="join, leave or suspend")

    # the state is the entry's actor, the institution its target
    texts = {
        "membership_join": "{actor} joins {target}",
        "membership_leave": "{actor} leaves {target}",
        "membership_suspend": "{actor} suspends its membership of {target}",
    }
    example = {
        "type": "membership",
        "year": 2006,
        "state": "UZB",
        "institution": "EAEU",
        "action": "join",
    }

    def references(self, codes: Codes) -> Iterator[Reference]:
        yield Reference(("state",), self.state, codes.states, "state")
        yield Reference(("institution",), self.institution, codes.institutions, "institution")

    def apply(self, model: CompetitionModel) -> None:
        model.set_membership([self.state], self.institution, member=self.action == "join")
        model.log_event(*self.log_entry())

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return (f"membership_{self.action}", self.state, self.institution, self.note, 1.0)
