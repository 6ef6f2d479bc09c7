"""Actor specifications: great powers, regional states, institutions.

Attributes of the known actors come from `catalogue.yaml` (with their sources); a
scenario's entry for an actor overrides them field by field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from polarsim.inputs.strict import StrictModel
from polarsim.scenario.fields import param


def _shares_at_most_one(v: dict[str, float]) -> dict[str, float]:
    if any(x < 0 or x > 1 for x in v.values()):
        raise ValueError("each share must be between 0 and 1")
    if sum(v.values()) > 1 + 1e-9:
        raise ValueError(f"shares sum to {sum(v.values()):.3f}, more than 1")
    return v


class GdpPath(StrictModel):
    """GDP given in the scenario, for an actor the bundled data do not cover (or to
    replace them): values at some years, interpolated in logs between them."""

    usd_bn: dict[int, float] = Field(
        min_length=1,
        description="GDP in current USD bn by calendar year",
        json_schema_extra={"unit": "USD bn (current)", "source": "scenario (state it)"},
    )

    @field_validator("usd_bn")
    @classmethod
    def _positive(cls, v: dict[int, float]) -> dict[int, float]:
        bad = [y for y, x in v.items() if x <= 0 or not 1990 <= y <= 2100]
        if bad:
            raise ValueError(f"years 1990-2100 with GDP > 0 expected; check {bad}")
        return v


class InitialTie(StrictModel):
    """A power's ties with one state in the start year, for pairs the bundled data do
    not cover. Shares are taken out of the state's "other partners"."""

    trade_share: float = param(
        0.0,
        unit="1",
        ge=0,
        le=1,
        source="scenario (state it)",
        description="share of the state's trade in the start year",
    )
    security_share: float = param(
        0.0,
        unit="1",
        ge=0,
        le=1,
        source="scenario (state it)",
        description="share of the state's security-tie stock in the start year",
    )
    infra_usd_bn: float = param(
        0.0,
        unit="USD bn",
        ge=0,
        le=500,
        source="scenario (state it)",
        description="operating infrastructure the power sponsored in the state",
    )


class ActorSpec(StrictModel):
    """What every actor has: a name, its place in the bundled data, and a GDP path
    (observed, or given in the scenario for an actor the data do not cover)."""

    name: str = Field(
        min_length=1,
        description="full name, used in figures and tables",
        json_schema_extra={"unit": "text", "source": "catalogue or scenario"},
    )
    data_name: str | None = Field(
        None,
        description="name of the actor in the bundled data (none: not covered)",
        json_schema_extra={"unit": "text", "source": "bundled data (codes.py)"},
    )
    growth_pct: float | None = param(
        None,
        unit="% per year (nominal USD)",
        ge=-20,
        le=30,
        source="assumption",
        description="GDP growth after the last observed year; none = the observed trend",
    )
    gdp: GdpPath | None = Field(
        None,
        description="GDP path for an actor the bundled data do not cover",
        json_schema_extra={"unit": "USD bn (current) by year", "source": "scenario (state it)"},
    )

    @model_validator(mode="after")
    def _gdp_has_a_trend(self) -> ActorSpec:
        # the years after the last one given continue its trend (model/drivers.py): one
        # year has none, and every later GDP came out NaN
        if self.gdp is not None and len(self.gdp.usd_bn) == 1 and self.growth_pct is None:
            raise ValueError(
                "gdp.usd_bn gives one year, so there is no trend to continue it with: "
                "give a second year or growth_pct"
            )
        return self


def _actor_year(description: str):
    """An optional calendar year a scenario states for an actor (none by default)."""
    return Field(
        None,
        ge=1990,
        le=2100,
        description=description,
        json_schema_extra={"unit": "calendar year", "source": "scenario (state it)"},
    )


class PowerSpec(ActorSpec):
    doctrine: str = Field(
        description="power doctrine (see docs/model.md, Doctrines)",
        json_schema_extra={"unit": "doctrine name", "source": "catalogue (with reference)"},
    )
    budget_pct_gdp: float = param(
        0.05,
        unit="% of GDP per year",
        ge=0,
        le=5,
        source="assumption (catalogue)",
        description="regional engagement budget: aid, loans, arms, diplomacy in Central Asia",
    )
    exclusivity: float = param(
        0.2,
        unit="1",
        ge=0,
        le=1,
        source="assumption (catalogue)",
        description="how strongly the power punishes a state's ties with its rivals",
    )
    loan_share: float = param(
        0.5,
        unit="1",
        ge=0,
        le=1,
        source="assumption (catalogue)",
        description="share of the power's projects financed by loans to the host",
    )
    initial_ties: dict[str, InitialTie] = Field(
        default_factory=dict,
        description="ties with states in the start year where the data have none, by state",
        json_schema_extra={"unit": "by state code", "source": "scenario (state it)"},
    )
    enters: int | None = _actor_year(
        "year the power enters the region: before it, it does not exist for the model "
        "(its ties count among the other partners, as for a power not listed; the run "
        "equals the one without it), from it, it is a partner with its part of the "
        "other partners' ties and engages; none: from the start"
    )
    leaves: int | None = _actor_year(
        "year the power withdraws from the region: from it, its budget and exclusivity "
        "are zero and later postures are ignored (its ties decay as the model lets "
        "them); none: it stays"
    )

    @model_validator(mode="after")
    def _enters_before_leaving(self) -> PowerSpec:
        if self.enters is not None and self.leaves is not None and self.leaves <= self.enters:
            raise ValueError(f"leaves ({self.leaves}) must come after enters ({self.enters})")
        return self


class Endowments(StrictModel):
    """Natural endowments, each 0-1 relative to the best endowed state of the region."""

    hydrocarbons: float = param(
        0.0,
        unit="1",
        ge=0,
        le=1,
        source="assumption (catalogue)",
        description="oil and gas",
    )
    minerals: float = param(
        0.0,
        unit="1",
        ge=0,
        le=1,
        source="assumption (catalogue)",
        description="metals and uranium",
    )
    hydro: float = param(
        0.0,
        unit="1",
        ge=0,
        le=1,
        source="assumption (catalogue)",
        description="hydropower potential",
    )


class StateSpec(ActorSpec):
    doctrine: str = Field(
        description="foreign-policy doctrine (see docs/model.md, Doctrines)",
        json_schema_extra={"unit": "doctrine name", "source": "catalogue (with reference)"},
    )
    autonomy_preference: float | None = param(
        None,
        unit="1",
        ge=0,
        le=1,
        source="assumption (doctrine default when none)",
        description="value of autonomy against immediate gains",
    )
    endowments: Endowments = Field(
        description="hydrocarbons, minerals, hydro, each 0-1",
        json_schema_extra={"unit": "1", "source": "assumption (catalogue)"},
    )
    transit: float = param(
        0.5,
        unit="1",
        ge=0,
        le=1,
        source="assumption (catalogue)",
        description="position on transit corridors, 0-1",
    )
    threat: float = param(
        0.3,
        unit="1",
        ge=0,
        le=1,
        source="assumption (catalogue)",
        description="external and internal threat level (borders, Afghanistan, unrest)",
    )
    legacy_infra_usd_bn: float = param(
        5.0,
        unit="USD bn",
        ge=0,
        le=500,
        source="assumption (catalogue)",
        description="stock of cross-border infrastructure at the start (Soviet-era pipelines, "
        "rail, power grid)",
    )
    legacy_infra_shares: dict[str, float] = Field(
        default_factory=dict,
        description="share of the legacy stock oriented to each power (rest: other)",
        json_schema_extra={"unit": "1 per power", "source": "assumption (catalogue)"},
    )
    remittance_shares: dict[str, float] = Field(
        default_factory=dict,
        description="share of remittances received from each power (rest: other)",
        json_schema_extra={
            "unit": "1 per power",
            "source": "data for UZB (2010 transfers from Russia); assumption elsewhere (catalogue)",
        },
    )
    milex_fallback_pct_gdp: float = param(
        1.5,
        unit="% of GDP",
        ge=0,
        le=20,
        source="assumption (catalogue)",
        description="military spending where SIPRI has no figure for any year",
    )

    initial_trade_usd_m: float | None = param(
        None,
        unit="USD m per year",
        gt=0,
        le=1e7,
        source="scenario (state it)",
        description="total trade in the start year, for a state the data do not cover",
    )
    initial_trade_shares: dict[str, float] = Field(
        default_factory=dict,
        description="shares of that trade by power (rest: other partners)",
        json_schema_extra={"unit": "1 per power", "source": "scenario (state it)"},
    )
    initial_security_tiv_musd: float | None = param(
        None,
        unit="USD m TIV-equivalent",
        ge=0,
        le=1e6,
        source="scenario (state it)",
        description="security-tie stock in the start year, for a state the data do not cover",
    )
    initial_security_shares: dict[str, float] = Field(
        default_factory=dict,
        description="shares of that stock by power (rest: other suppliers)",
        json_schema_extra={"unit": "1 per power", "source": "scenario (state it)"},
    )
    remittances_pct_gdp: float | None = param(
        None,
        unit="% of GDP",
        ge=0,
        le=100,
        source="scenario (state it)",
        description="remittances received in the start year, where the data have none",
    )

    @field_validator(
        "legacy_infra_shares",
        "remittance_shares",
        "initial_trade_shares",
        "initial_security_shares",
    )
    @classmethod
    def _shares(cls, v: dict[str, float]) -> dict[str, float]:
        return _shares_at_most_one(v)


class InstitutionSpec(StrictModel):
    kind: Literal["alliance", "customs_union", "forum", "trade_regime"] = Field(
        description="alliance (guarantee, arms advantage), customs_union (tariff wall), "
        "forum (easier engagement for its sponsors), trade_regime (recorded only)"
    )
    sponsors: list[str] = Field(
        default_factory=list,
        description="power codes that lead the institution",
        json_schema_extra={"unit": "power codes", "source": "catalogue or scenario"},
    )
    description: str = Field("", description="what it is, for the reader")
