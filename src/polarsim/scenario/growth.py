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

from polarsim.inputs.problems import RawProblem
from polarsim.scenario.schema import Scenario

#: Largest factor by which a scenario's own growth rate may multiply an actor's GDP
#: between its last observed year and the end of the run: three orders of magnitude
#: (10 % a year for 72 years; China's nominal GDP grew about 15-fold from 2000 to 2023).
#: 30 % a year from the 2023 data reaches it in 2049, 20 % in 2060. Within it, a run at
#: the default infrastructure parameters stays below the model's bound on proposals
#: (polarsim.model.flows.MAX_PROPOSALS_PER_YEAR).
MAX_GDP_GROWTH_FACTOR = 1_000.0


def _last_observed() -> dict[str, int]:
    """Last year of bundled GDP data by actor code."""
    from polarsim import data

    macro = data.load_macro()
    gdp = macro[macro["indicator"] == "gdp_current_usd"].dropna(subset=["value"])
    return {str(a): int(y) for a, y in gdp.groupby("actor")["year"].max().items()}


def growth_problems(s: Scenario) -> list[RawProblem]:
    """Every `growth_pct` that compounds beyond MAX_GDP_GROWTH_FACTOR by the end year."""
    out: list[RawProblem] = []
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
