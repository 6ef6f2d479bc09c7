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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from polarsim.data import load_macro, load_remittances

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
