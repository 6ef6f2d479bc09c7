"""A summit format or forum starts: its members join it, and its sponsors' effort in
them gains the forum bonus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from polarsim.scenario.events import Codes, Reference, ScenarioEvent

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel


class SummitFormatEvent(ScenarioEvent):
    """A summit format or forum starts; its members get the sponsors' forum bonus."""

    type: Literal["summit_format"]
    name: str = Field(min_length=1, description="institution id of the format (a forum)")
    sponsors: list[str] = Field(min_length=1, description="power codes convening it")
    members: list[str] = Field(min_length=1, description="state codes taking part")

    # the format's name is the entry's detail, already in the text
    texts = {"summit_format": "{detail}: {actor} with {target}"}
    text_adds_detail = False
    example = {
        "type": "summit_format",
        "year": 2006,
        "name": "C+C5",
        "sponsors": ["CHN"],
        "members": ["KAZ", "UZB"],
    }

    def references(self, codes: Codes) -> Iterator[Reference]:
        yield Reference(
            ("name",), self.name, codes.forums, "forum (declare new formats under institutions)"
        )
        for j, sp in enumerate(self.sponsors):
            yield Reference(("sponsors", j), sp, codes.powers, "power")
        for j, m in enumerate(self.members):
            yield Reference(("members", j), m, codes.states, "state")

    def apply(self, model: CompetitionModel) -> None:
        model.set_membership(self.members, self.name, member=True)
        model.log_event(*self.log_entry())

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return ("summit_format", "+".join(self.sponsors), "+".join(self.members), self.name, 1.0)
