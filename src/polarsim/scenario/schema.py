"""The scenario schema: everything a scenario file can say, typed and documented."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from polarsim.inputs.strict import StrictModel
from polarsim.scenario.actors import InstitutionSpec, PowerSpec, StateSpec
from polarsim.scenario.events import Event
from polarsim.scenario.fields import param
from polarsim.scenario.parameters import Parameters

SCHEMA_VERSION = 1


class TimeSpan(StrictModel):
    start_year: int = param(
        2005,
        unit="year",
        ge=2000,
        le=2015,
        source="data: the bundled outcome series cover 2000-2015",
        description="first simulated year; ties start from the data of this year",
    )
    end_year: int = param(
        2024,
        unit="year",
        ge=2001,
        le=2100,
        source="scenario choice",
        description="last simulated year (inclusive); with start_year at least 2000, a run "
        "covers at most 100 years",
    )

    @model_validator(mode="after")
    def _order(self):
        if self.end_year <= self.start_year:
            raise ValueError(
                f"end_year ({self.end_year}) must be after start_year ({self.start_year})"
            )
        return self


class Outputs(StrictModel):
    """What `polarsim run` writes besides the tables and the manifest."""

    figures: bool = Field(True, description="write figures/autonomy.png and .pdf")
    figure_metric: str = Field(
        "autonomy_index", min_length=1, description="states column drawn in the figure"
    )


class Scenario(StrictModel):
    """A resolved scenario: catalogue defaults, `extends` parents, the file and `--set`
    overrides merged, validated, ready to run."""

    schema_version: Literal[1] = Field(SCHEMA_VERSION, description="version of this schema")
    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$",
        description="short name, used for output folder and file names (letters, digits, "
        "_ . -; no path separators, so a scenario cannot direct output elsewhere)",
    )
    description: str = Field("", description="what the scenario represents")
    time: TimeSpan = Field(default_factory=TimeSpan)
    powers: dict[str, PowerSpec] = Field(
        min_length=1, description="great powers by code (at least one)"
    )
    states: dict[str, StateSpec] = Field(
        min_length=1, description="regional states by ISO3 code (at least one)"
    )
    institutions: dict[str, InstitutionSpec] = Field(description="institutions by id")
    relations: dict[str, float] = Field(
        description="rivalry between powers, keys 'A-B' (powers of the scenario or the "
        "catalogue; one key per pair, either order), values in [-1, 1] "
        "(1 = zero-sum rivals, negative = aligned)"
    )
    parameters: Parameters = Field(default_factory=Parameters)
    events: list[Event] = Field(default_factory=list, description="dated timeline")
    outputs: Outputs = Field(default_factory=Outputs, description="extra outputs of a run")
    sources: dict[str, str] = Field(
        default_factory=dict,
        description="where values set by this file come from, by dotted path (e.g. "
        "parameters.trade.persistence: 'calibrated: experiment calibrate_historical.yaml "
        "...'); `polarsim calibrate` writes it; every key must name a value of the scenario",
    )

    @property
    def power_codes(self) -> list[str]:
        return list(self.powers)

    @property
    def state_codes(self) -> list[str]:
        return list(self.states)

    @property
    def years(self) -> range:
        return range(self.time.start_year, self.time.end_year + 1)
