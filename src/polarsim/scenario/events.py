"""Typed events of a scenario timeline.

An event never writes a tie or a metric: each sets a condition that a mechanism reads
(a sanction lowers a budget and a trade factor, a membership changes tariffs and
guarantees, a project becomes an agent). `year` is the first calendar year in effect;
`end_year`, where it applies, is the last (inclusive; none = open-ended).
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field, model_validator

from polarsim.inputs.strict import StrictModel

ProjectKind = Literal[
    "gas_pipeline",
    "oil_pipeline",
    "railway",
    "road",
    "corridor",
    "dry_port",
    "power_line",
    "hydropower",
]
PROJECT_KINDS: tuple[str, ...] = get_args(ProjectKind)
COMMODITIES = ("oil", "gas", "metals", "electricity")

Year = Annotated[int, Field(ge=1990, le=2100, description="calendar year")]


class _Event(StrictModel):
    year: Year
    note: str = Field("", description="free text: what happened, for the reader")
    source: str = Field("", description="where the date and size come from")


class _Lasting(_Event):
    end_year: Year | None = Field(None, description="last year in effect (inclusive)")

    @model_validator(mode="after")
    def _ordered(self):
        if self.end_year is not None and self.end_year < self.year:
            raise ValueError(f"end_year {self.end_year} is before year {self.year}")
        return self


class SanctionsEvent(_Lasting):
    """Sanctions: cut the target's budget and its trade with states exposed to the
    imposers; on a state, an arms embargo and less trade with the imposers."""

    type: Literal["sanctions"]
    imposers: list[str] = Field(min_length=1, description="power codes imposing")
    target: str = Field(description="power or state code sanctioned")
    intensity: float = Field(ge=0, le=1, description="0 = symbolic, 1 = full embargo")


class WarEvent(_Lasting):
    """A power at war elsewhere: less budget and arms-export capacity for the region."""

    type: Literal["war"]
    power: str = Field(description="power code at war (outside the region)")
    capacity_diverted: float = Field(
        ge=0, le=1, description="share of the power's external capacity absorbed by the war"
    )


class RetrenchmentEvent(_Lasting):
    """A change of a power's regional budget (negative: retrenchment, positive: push)."""

    type: Literal["retrenchment"]
    power: str = Field(description="power code")
    budget_change: float = Field(
        ge=-1, le=2, description="relative change of the regional budget (-0.5 = halved)"
    )


class CommodityShockEvent(_Lasting):
    """A price change: moves the value of pipeline and power trade, and exporters' GDP
    in projected years."""

    type: Literal["commodity_shock"]
    commodity: Literal["oil", "gas", "metals", "electricity"]
    price_change: float = Field(gt=-1, le=5, description="relative price change (-0.4 = -40 %)")


class UnrestEvent(_Lasting):
    """Unrest in a state: more security demand, stalled projects, lower projected growth."""

    type: Literal["unrest"]
    state: str = Field(description="state code")
    intensity: float = Field(ge=0, le=1, description="0 = protests, 1 = state collapse")


class ProjectEvent(_Event):
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
    flows: dict[str, float] | None = Field(
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

    @model_validator(mode="after")
    def _dates(self):
        if self.operating_year is not None and self.operating_year < self.year:
            raise ValueError(
                f"operating_year {self.operating_year} is before the agreement year {self.year}"
            )
        return self


class MembershipEvent(_Event):
    """A state joins, leaves or suspends its membership of an institution."""

    type: Literal["membership"]
    state: str = Field(description="state code")
    institution: str = Field(description="institution id (see institutions)")
    action: Literal["join", "leave", "suspend"] = Field(description="join, leave or suspend")


class BaseEvent(_Event):
    """A foreign military base opens or closes."""

    type: Literal["base"]
    power: str = Field(description="power code of the base")
    state: str = Field(description="host state code")
    action: Literal["open", "close"] = Field(description="open or close")


class SummitFormatEvent(_Event):
    """A summit format or forum starts; its members get the sponsors' forum bonus."""

    type: Literal["summit_format"]
    name: str = Field(min_length=1, description="institution id of the format (a forum)")
    sponsors: list[str] = Field(min_length=1, description="power codes convening it")
    members: list[str] = Field(min_length=1, description="state codes taking part")


class PostureEvent(_Event):
    """A power changes its stance from this year: how strongly it demands exclusivity
    and/or how much of its GDP it spends in the region."""

    type: Literal["posture"]
    power: str = Field(description="power code")
    exclusivity: float | None = Field(None, ge=0, le=1, description="new exclusivity")
    budget_pct_gdp: float | None = Field(
        None, ge=0, le=5, description="new regional budget, % of GDP"
    )

    @model_validator(mode="after")
    def _something(self):
        if self.exclusivity is None and self.budget_pct_gdp is None:
            raise ValueError("a posture event needs exclusivity or budget_pct_gdp")
        return self


class CoordinationEvent(_Event):
    """The states change how far they bargain jointly from this year
    (parameters.responses.coordination)."""

    type: Literal["coordination"]
    value: float = Field(ge=0, le=1, description="new coordination, 0 alone - 1 as one bloc")


Event = Annotated[
    SanctionsEvent
    | WarEvent
    | RetrenchmentEvent
    | CommodityShockEvent
    | UnrestEvent
    | ProjectEvent
    | MembershipEvent
    | BaseEvent
    | SummitFormatEvent
    | PostureEvent
    | CoordinationEvent,
    Field(discriminator="type"),
]

EVENT_TYPES = (
    "sanctions",
    "war",
    "retrenchment",
    "commodity_shock",
    "unrest",
    "project",
    "membership",
    "base",
    "summit_format",
    "posture",
    "coordination",
)
