"""A dated infrastructure project: from its agreement year a project under
construction, opening in its operating year (an input) or at the model's pace. A project
operating by the start year is part of the initial ties instead (model/setup.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from polarsim.scenario.events import Codes, ProjectKind, Reference, ScenarioEvent, Year

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel

#: sponsor or partner code of multilateral or domestic projects
OTHER_SPONSOR = "other"


class ProjectEvent(ScenarioEvent):
    """A dated infrastructure project; `year` is the agreement year."""

    type: Literal["project"]
    name: str = Field(min_length=1)
    sponsor: str = Field(description="power code, or 'other' for multilateral / domestic")
    hosts: list[str] = Field(min_length=1, description="state codes the project runs through")
    partner: str | None = Field(
        None, description="power at the other end of the corridor (default: the sponsor)"
    )
    kind: ProjectKind
    capacity: float = Field(
        gt=0,
        description="bcm/y (gas), Mt/y (oil, rail, road, corridor, dry port), MW (power)",
    )
    flows: dict[str, Annotated[float, Field(ge=0)]] | None = Field(
        None,
        description="capacity each host trades with the partner (same unit); default: "
        "the first host carries it all (transit hosts earn no trade)",
    )
    cost_usd_bn: float = Field(gt=0, le=200, description="investment cost, USD bn")
    loan_share: float | None = Field(
        None, ge=0, le=1, description="share financed by loans from the sponsor"
    )
    operating_year: Year | None = Field(
        None, description="year it starts operating; none = built at the model's pace"
    )
    route_risk: float = Field(
        0.0,
        ge=0,
        le=1,
        description="extra yearly stall hazard from sections outside the modelled states "
        "(e.g. through Afghanistan), as judged at agreement time",
    )

    # The project pipeline writes the log entries of its life cycle (agreed, operating...).
    example = {
        "type": "project",
        "year": 2006,
        "name": "Example gas line",
        "sponsor": "CHN",
        "hosts": ["TKM", "UZB"],
        "kind": "gas_pipeline",
        "capacity": 30.0,
        "flows": {"TKM": 30.0},
        "cost_usd_bn": 7.0,
        "operating_year": 2007,
    }

    @model_validator(mode="after")
    def _dates(self):
        if len(set(self.hosts)) != len(self.hosts):
            # host_weights would keep one share per code: part of the cost would be lost
            raise ValueError(f"hosts: expected each state once, found {self.hosts}")
        if self.flows and sum(self.flows.values()) > self.capacity * (1 + 1e-9):
            raise ValueError(
                f"flows: expected at most the capacity ({self.capacity:g}) in all, found "
                f"{sum(self.flows.values()):g}"
            )
        if self.operating_year is not None and self.operating_year < self.year:
            raise ValueError(
                f"operating_year {self.operating_year} is before the agreement year {self.year}"
            )
        return self

    @property
    def partner_code(self) -> str:
        """The power at the other end of the trade the project carries."""
        return self.partner or self.sponsor

    def host_flows(self) -> dict[str, float]:
        """Capacity each host trades with the partner: the first host alone by default."""
        return self.flows or {self.hosts[0]: self.capacity}

    def host_weights(self) -> dict[str, float]:
        """How the cost splits over the hosts: by flows when given, else equally."""
        if self.flows:
            total = sum(self.flows.values())
            if total > 0:
                return {h: self.flows.get(h, 0.0) / total for h in self.hosts}
        return {h: 1.0 / len(self.hosts) for h in self.hosts}

    def references(self, codes: Codes) -> Iterator[Reference]:
        sponsors = [*codes.powers, OTHER_SPONSOR]
        yield Reference(("sponsor",), self.sponsor, sponsors, "sponsor")
        for j, h in enumerate(self.hosts):
            yield Reference(("hosts", j), h, codes.states, "state")
        if self.partner is not None:
            yield Reference(("partner",), self.partner, sponsors, "partner")
        for h in self.flows or {}:
            yield Reference(("flows", h), h, self.hosts, "host")

    def timeline_year(self, start: int, end: int) -> int | None:
        # agreed before the start but not yet operating: under construction from the
        # first simulated year
        return max(self.year, start + 1) if self.year <= end else None

    def apply(self, model: CompetitionModel) -> None:
        model.agree_project(
            name=self.name,
            kind=self.kind,
            sponsor=self.sponsor,
            partner=self.partner_code,
            flows=self.host_flows(),
            host_weights=self.host_weights(),
            cost=self.cost_usd_bn,
            loan_share=self.loan_share,
            operating_year=self.operating_year,
            route_risk=self.route_risk,
        )
