"""Actor specifications: great powers, regional states, institutions.

Attributes of the known actors come from `catalogue.yaml` (with their sources); a
scenario's entry for an actor overrides them field by field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from polarsim.scenario.params import StrictModel, param


class PowerSpec(StrictModel):
    name: str
    data_name: str = Field(description="name of the power in the bundled macro and trade data")
    doctrine: str = Field(description="power doctrine (see docs/doctrines.md)")
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
    growth_pct: float | None = param(
        None,
        unit="% per year (nominal USD)",
        ge=-20,
        le=30,
        source="assumption",
        description="GDP growth after the last observed year; none = the observed trend",
    )


class Endowments(StrictModel):
    hydrocarbons: float = Field(ge=0, le=1, description="oil and gas, 0-1 relative to region")
    minerals: float = Field(ge=0, le=1, description="metals and uranium, 0-1")
    hydro: float = Field(ge=0, le=1, description="hydropower potential, 0-1")


class StateSpec(StrictModel):
    name: str
    data_name: str = Field(description="name of the state in the bundled data")
    doctrine: str = Field(description="foreign-policy doctrine (see docs/doctrines.md)")
    autonomy_preference: float | None = param(
        None,
        unit="1",
        ge=0,
        le=1,
        source="assumption (doctrine default when none)",
        description="value of autonomy against immediate gains",
    )
    endowments: Endowments
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
    )
    remittance_shares: dict[str, float] = Field(
        default_factory=dict,
        description="share of remittances received from each power (rest: other)",
    )
    milex_fallback_pct_gdp: float = param(
        1.5,
        unit="% of GDP",
        ge=0,
        le=20,
        source="assumption (catalogue)",
        description="military spending where SIPRI has no figure for any year",
    )
    growth_pct: float | None = param(
        None,
        unit="% per year (nominal USD)",
        ge=-20,
        le=30,
        source="assumption",
        description="GDP growth after the last observed year; none = the observed trend",
    )

    @field_validator("legacy_infra_shares", "remittance_shares")
    @classmethod
    def _shares(cls, v: dict[str, float]) -> dict[str, float]:
        if any(x < 0 or x > 1 for x in v.values()):
            raise ValueError("each share must be between 0 and 1")
        if sum(v.values()) > 1 + 1e-9:
            raise ValueError(f"shares sum to {sum(v.values()):.3f}, more than 1")
        return v


class InstitutionSpec(StrictModel):
    kind: Literal["alliance", "customs_union", "forum", "trade_regime"]
    sponsors: list[str] = Field(
        default_factory=list, description="power codes that lead the institution"
    )
    description: str = ""
