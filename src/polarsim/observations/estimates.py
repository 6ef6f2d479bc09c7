"""Parameters estimated from the bundled observations, as functions of the last year
they may read: the shipped value reads the data to 2015, and a rolling-origin forecast
from an earlier origin re-estimates it from the data up to that origin
(`polarsim skill --refit`, validation.skill.REFITS), so that its skill is out of sample.

- Remittance elasticity mu: the model carries remittances as their start-year value
  times (GDP_RUS,t / GDP_RUS,0)^mu with no trend of their own (model/yearly.py), so mu
  is the slope, through the origin, of yearly log changes of remittances received (USD)
  on those of Russia's GDP in current USD, pooled over the states where Russia is the
  main sender (KGZ, TJK, UZB) from 2001: the migration trend of the 2000s loads onto mu,
  as it does in the model.
- Stall hazard: the project events of the scenario agreed up to the last year, each
  with its observed opening where it was open by then (a later opening counts as not
  open); a project opens after `build_years[kind]` model-years counted from the year it
  is agreed, so an opening after more of them is a delay, read as one stall. Maximum
  likelihood of a constant yearly hazard: stalls over the construction-years at risk
  (each project's scheduled years up to the last year; a stalled one up to its stall,
  taken as its last scheduled year at risk).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from polarsim.data import load_macro, load_remittances
from polarsim.scenario import Scenario

#: States whose remittances come mostly from Russia (the data README's shares).
REMITTANCE_STATES = ("KGZ", "TJK", "UZB")
#: First year of a yearly change in the estimate (the data start in 2000).
REMITTANCE_FIRST = 2001


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float
    n: int


def remittance_series(last: int) -> tuple[pd.DataFrame, pd.Series]:
    """(remittances received in USD by state, Russia's GDP in current USD) by year, up
    to `last`."""
    rem = load_remittances()
    rem = rem[rem["indicator"] == "remittances_received_pct_gdp"]
    rem = rem.pivot(index="year", columns="state", values="value")
    macro = load_macro()
    gdp = macro[macro["indicator"] == "gdp_current_usd"]
    gdp = gdp.pivot(index="year", columns="actor", values="value")
    states = list(REMITTANCE_STATES)
    usd = rem[states] / 100.0 * gdp[states]
    return usd.loc[:last], gdp["RUS"].loc[:last]


def pooled_elasticity(usd: pd.DataFrame, russia: pd.Series, first: int, last: int) -> Estimate:
    """Slope through the origin of the states' yearly log changes of `usd` on those of
    `russia` over `first`..`last`, its standard error and the number of changes."""
    g = np.log(russia).diff()
    xs: list[float] = []
    ys: list[float] = []
    for state in usd.columns:
        d = pd.concat([np.log(usd[state]).diff(), g], axis=1).dropna().loc[first:last]
        ys += d.iloc[:, 0].tolist()
        xs += d.iloc[:, 1].tolist()
    x, y = np.array(xs), np.array(ys)
    if len(x) < 2 or not (x @ x) > 0:
        return Estimate(np.nan, np.nan, len(x))
    slope = float(x @ y / (x @ x))
    resid = y - slope * x
    se = float(np.sqrt(resid @ resid / (len(x) - 1) / (x @ x)))
    return Estimate(slope, se, len(x))


def remittance_elasticity(last: int) -> Estimate:
    """mu from the data of REMITTANCE_FIRST..`last` (2015: the shipped value)."""
    usd, russia = remittance_series(last)
    return pooled_elasticity(usd, russia, REMITTANCE_FIRST, last)


def stall_episodes(sc: Scenario, last: int) -> list[dict]:
    """One row per project event of `sc` agreed up to `last`: when it was agreed and
    opened (None if not open by `last`), its build years, model-years under
    construction by its opening or by `last`, delay, whether it stalled, its years at
    risk, its stalled years and whether it resumed."""
    build = sc.parameters.infrastructure.build_years
    rows = []
    for ev in sc.events:
        if ev.type != "project" or ev.year > last:
            continue
        due = build[ev.kind]
        opened = ev.operating_year if ev.operating_year and ev.operating_year <= last else None
        years = (opened if opened else last) - ev.year + 1
        # open at the end of its last scheduled year: one not open by `last` after its
        # scheduled years is at least a year late
        delay = years - due if opened else max(0, years - due + 1)
        stalled = delay > 0
        rows.append(
            {
                "project": ev.name,
                "kind": ev.kind,
                "agreed": ev.year,
                "opened": opened,
                "build_years": due,
                "model_years": years,
                "delay": delay,
                "stalled": stalled,
                "at_risk": min(years, due),
                "spell": max(delay, 0),  # a project may open early
                "resumed": stalled and opened is not None,
            }
        )
    return rows


def stall_hazard(sc: Scenario, last: int) -> Estimate:
    """Stalls over construction-years at risk of the projects agreed up to `last`
    (`stall_episodes`); `se` the Poisson standard error, `n` the stalls."""
    rows = [r for r in stall_episodes(sc, last) if r["model_years"] >= 1]
    stalls = sum(r["stalled"] for r in rows)
    at_risk = sum(r["at_risk"] for r in rows)
    if at_risk <= 0:
        return Estimate(np.nan, np.nan, 0)
    return Estimate(stalls / at_risk, float(np.sqrt(stalls)) / at_risk, stalls)
