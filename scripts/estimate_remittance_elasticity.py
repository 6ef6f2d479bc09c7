"""Estimate the elasticity of remittances to the sending power's GDP in USD from the
bundled data (remittances.csv, macro.csv), and show the episodes behind it.

The model carries remittances as their start-year value times (GDP_RUS,t / GDP_RUS,0)^mu
with no trend of their own (model/yearly.py), so mu is the slope of yearly log changes of
remittances received (USD) on those of Russia's GDP in current USD, pooled over the
states where Russia is the main sender (KGZ, TJK, UZB), through the
origin: the migration trend of the 2000s loads onto mu, as it does in the model. Years
2001-2015 only (the outcomes the package holds).

    PYTHONPATH=src python scripts/estimate_remittance_elasticity.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from polarsim.data import load_macro, load_remittances

STATES = ("KGZ", "TJK", "UZB")
FIRST, LAST = 2001, 2015
EPISODES = {
    "2005-2008 boom": (2005, 2008),
    "2008-2009 crisis": (2008, 2009),
    "2010-2013 recovery": (2010, 2013),
    "2013-2015 sanctions and the ruble's fall": (2013, 2015),
}


def series() -> tuple[pd.DataFrame, pd.Series]:
    rem = load_remittances()
    rem = rem[rem["indicator"] == "remittances_received_pct_gdp"]
    rem = rem.pivot(index="year", columns="state", values="value")
    macro = load_macro()
    gdp = macro[macro["indicator"] == "gdp_current_usd"]
    gdp = gdp.pivot(index="year", columns="actor", values="value")
    usd = rem[list(STATES)] / 100.0 * gdp[list(STATES)]
    return usd.loc[:LAST], gdp["RUS"].loc[:LAST]


def pooled_elasticity(usd: pd.DataFrame, russia: pd.Series) -> tuple[float, float, int]:
    """(slope through the origin, its standard error, observations)."""
    g = np.log(russia).diff()
    xs, ys = [], []
    for state in STATES:
        d = pd.concat([np.log(usd[state]).diff(), g], axis=1).dropna().loc[FIRST:LAST]
        ys += d.iloc[:, 0].tolist()
        xs += d.iloc[:, 1].tolist()
    x, y = np.array(xs), np.array(ys)
    slope = float(x @ y / (x @ x))
    resid = y - slope * x
    se = float(np.sqrt(resid @ resid / (len(x) - 1) / (x @ x)))
    return slope, se, len(x)


def main() -> None:
    usd, russia = series()
    slope, se, n = pooled_elasticity(usd, russia)
    print(f"pooled {FIRST}-{LAST}, {', '.join(STATES)}: mu = {slope:.2f} (se {se:.2f}, n = {n})")
    for name, (a, b) in EPISODES.items():
        dg = np.log(russia[b] / russia[a])
        each = {s: np.log(usd[s][b] / usd[s][a]) / dg for s in STATES}
        shown = ", ".join(f"{s} {v:.2f}" for s, v in each.items() if np.isfinite(v))
        print(f"{name}: Russia's USD GDP {np.expm1(dg):+.0%}; elasticities {shown}")


if __name__ == "__main__":
    main()
