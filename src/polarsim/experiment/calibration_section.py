"""The `calibration:` section of an experiment file (its schema lives with the
experiment reader; polarsim.calibration fits it): what to fit, to which observed
series, over which years, and how (rejection ABC).

    calibration:
      method: abc_rejection       # or abc_smc (with generations: 3)
      window: [2000, 2007]        # years whose observations the fit uses
      held_out: [2008, 2010]      # years reported next to it, never used in the fit
      accept: 0.1                 # share of design points accepted
      interval: 0.9               # posterior interval reported
      targets:
        trade_shares: {weight: 1}             # file: a CSV of the bundled layout
        arms_shares: {weight: 1}
        remittances: {weight: 1}

The parameters to fit are the experiment's `parameters` with a `range` (uniform prior)
or a `distribution` (normal prior); the design (random or latin_hypercube, `samples`)
draws the prior sample. The section is read with its experiment file
(`polarsim.experiment.spec.load_experiment`): its problems are reported with the
experiment's, each at its line."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from polarsim.inputs.strict import StrictModel, list_as_tuple, raise_problems
from polarsim.scenario.events import Year

#: Series a calibration can fit, with the states-table column family each uses.
SERIES = ("trade_shares", "arms_shares", "remittances")


def _ordered(span: tuple[int, int]) -> tuple[int, int]:
    if span[0] > span[1]:
        raise ValueError(f"expected [first, last] years, found {list(span)}")
    return span


#: First and last calendar year, inclusive, written as a YAML list `[2005, 2007]`;
#: checked on its own, so that a reversed span is reported with the section's other
#: problems.
YearSpan = Annotated[tuple[Year, Year], list_as_tuple(), AfterValidator(_ordered)]


class Target(StrictModel):
    """One observed series. `file` (relative to the experiment file), in the layout of
    trade_shares.csv, arms_imports_annual.csv or remittances.csv: its rows replace the
    bundled rows of the same state, partner and year and add the others
    (polarsim.observations.series)."""

    weight: float = Field(1.0, ge=0)
    file: str | None = None


class Targets(StrictModel):
    trade_shares: Target | None = Field(default_factory=Target)
    arms_shares: Target | None = Field(default_factory=Target)
    remittances: Target | None = Field(default_factory=Target)

    def active(self) -> dict[str, Target]:
        return {s: t for s in SERIES if (t := getattr(self, s)) is not None and t.weight > 0}


class Calibration(StrictModel):
    method: Literal["abc_rejection", "abc_smc"] = "abc_rejection"
    generations: int = Field(3, ge=2, le=20)  # abc_smc: the prior sample and G-1 more
    # calendar years as in a scenario (1990-2100): a window of [0, 10**9] would build a
    # list of a billion years
    window: YearSpan
    held_out: YearSpan | None = None
    accept: float = Field(0.1, gt=0, le=1)
    interval: float = Field(0.9, gt=0, lt=1)
    targets: Targets = Field(default_factory=Targets)

    @model_validator(mode="after")
    def _check(self) -> Calibration:
        problems = []
        h = self.held_out
        if h is not None and h[0] <= self.window[1] and h[1] >= self.window[0]:
            problems.append(
                (
                    ("held_out",),
                    f"must not overlap the window {list(self.window)}, found {list(h)}",
                )
            )
        if not self.targets.active():
            problems.append((("targets",), "give at least one series with a weight above 0"))
        raise_problems(problems)
        return self

    def years(self) -> list[int]:
        spans = [self.window] + ([self.held_out] if self.held_out else [])
        return sorted({y for a, b in spans for y in range(a, b + 1)})
