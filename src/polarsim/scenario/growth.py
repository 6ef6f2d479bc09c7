"""GDP growth that compounds beyond what the model is built for: a schema error.

A power's GDP drives its regional budget, and the budget the number of infrastructure
projects it proposes each year; a state's GDP drives its trade. A growth rate that is
reasonable for a decade (30 % a year) multiplies GDP by a billion over a century, and
the run then holds millions of projects and events and exhausts memory. So the growth a
scenario sets (`growth_pct` of a power or a state) may compound to at most
`MAX_GDP_GROWTH_FACTOR` between the actor's last observed GDP and `time.end_year`.
Growth left to the observed trend (no `growth_pct`) is not limited here: the bundled
trends stay far below it up to 2100. The model bounds what is left
(`polarsim.model.flows`: projects proposed a year, commissioned projects).
"""

from __future__ import annotations

import math
from functools import lru_cache

from polarsim.inputs.problems import RawProblem
from polarsim.scenario.schema import Scenario

#: Largest factor by which a scenario's own growth rate may multiply an actor's GDP
#: between its last observed year and the end of the run: three orders of magnitude
#: (10 % a year for 72 years; China's nominal GDP grew about 15-fold from 2000 to 2023).
#: 30 % a year from the 2023 data reaches it in 2049, 20 % in 2060. Within it, a run at
#: the default infrastructure parameters stays below the model's bound on proposals
#: (polarsim.model.flows.MAX_PROPOSALS_PER_YEAR).
MAX_GDP_GROWTH_FACTOR = 1_000.0


@lru_cache(maxsize=1)
def _last_observed() -> dict[str, int]:
    """Last year of bundled GDP data by actor code."""
    from polarsim import data

    macro = data.load_macro()
    gdp = macro[macro["indicator"] == "gdp_current_usd"].dropna(subset=["value"])
    return {str(a): int(y) for a, y in gdp.groupby("actor")["year"].max().items()}


@lru_cache(maxsize=32)
def _trade_states(year: int) -> frozenset[str]:
    """States the bundled trade shares cover in `year` (what model.setup starts from)."""
    from polarsim import data

    t = data.load_trade_shares("recommended")
    return frozenset(str(c) for c in t.loc[t["year"] == year, "state"].unique())


def data_problems(s: Scenario) -> list[RawProblem]:
    """An actor the bundled data do not cover must give what the run starts from: its
    GDP (every actor) and its trade in the start year (a state); model.drivers and
    model.setup refuse it at run time otherwise."""
    out: list[RawProblem] = []
    observed = _last_observed()
    for group, actors in (("powers", s.powers), ("states", s.states)):
        for code, spec in actors.items():
            if spec.gdp is None and code not in observed:
                out.append(
                    RawProblem(
                        (group, code, "gdp"),
                        f"no GDP for {code} in the bundled data: expected "
                        "gdp: {usd_bn: {YEAR: VALUE}} (docs/scenarios.md, Actors the "
                        "catalogue does not know)",
                    )
                )
    start = s.time.start_year
    covered = None
    for code, st in s.states.items():
        if st.initial_trade_usd_m is not None:
            continue
        covered = _trade_states(start) if covered is None else covered
        if code not in covered:
            out.append(
                RawProblem(
                    ("states", code, "initial_trade_usd_m"),
                    f"no trade of {code} in the bundled data for {start} (time.start_year): "
                    "expected initial_trade_usd_m and initial_trade_shares",
                )
            )
    return out


def growth_problems(s: Scenario) -> list[RawProblem]:
    """Every `growth_pct` that compounds beyond MAX_GDP_GROWTH_FACTOR by the end year, and
    every actor without the data a run needs (`data_problems`)."""
    out: list[RawProblem] = data_problems(s)
    observed = None
    end = s.time.end_year
    for group, actors in (("powers", s.powers), ("states", s.states)):
        for code, spec in actors.items():
            g = spec.growth_pct
            if g is None or g <= 0:
                continue
            if observed is None:
                observed = _last_observed()
            last = max(
                observed.get(code, s.time.start_year - 1),
                max(spec.gdp.usd_bn) if spec.gdp is not None else s.time.start_year - 1,
            )
            years = end - max(last, s.time.start_year - 1)
            step = math.log1p(g / 100)
            if years <= 0 or years * step <= math.log(MAX_GDP_GROWTH_FACTOR):
                continue
            allowed = last + int(math.log(MAX_GDP_GROWTH_FACTOR) / step)
            out.append(
                RawProblem(
                    (group, code, "growth_pct"),
                    f"{g:g} % a year from the last observed GDP ({last}) to time.end_year "
                    f"{end} multiplies GDP by {math.exp(years * step):.1e}; at most "
                    f"{MAX_GDP_GROWTH_FACTOR:,.0f}-fold is allowed (projects and tables "
                    f"grow with GDP): lower growth_pct, or end the run by {allowed}",
                )
            )
    return out
