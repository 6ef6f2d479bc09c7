"""Estimate the elasticity of remittances to the sending power's GDP in USD from the
bundled data (remittances.csv, macro.csv), and show the episodes behind it.

The model carries remittances as their start-year value times (GDP_RUS,t / GDP_RUS,0)^mu
with no trend of their own (model/yearly.py), so mu is the slope of yearly log changes of
remittances received (USD) on those of Russia's GDP in current USD, pooled over the
states where Russia is the main sender (KGZ, TJK, UZB), through the
origin: the migration trend of the 2000s loads onto mu, as it does in the model. Years
2001-2015 only (the outcomes the package holds). The estimator is
polarsim.observations.estimates, which `polarsim skill` and `polarsim forecast` also
run on the data up to each origin by default (`--refit auto`; `--refit none` keeps
this estimate, in sample for the origins before 2015).

    PYTHONPATH=src python scripts/estimate_remittance_elasticity.py
"""

from __future__ import annotations

import numpy as np

from polarsim.observations.estimates import (
    REMITTANCE_FIRST,
    REMITTANCE_STATES,
    pooled_elasticity,
    remittance_series,
)

FIRST, STATES = REMITTANCE_FIRST, REMITTANCE_STATES
LAST = 2015
EPISODES = {
    "2005-2008 boom": (2005, 2008),
    "2008-2009 crisis": (2008, 2009),
    "2010-2013 recovery": (2010, 2013),
    "2013-2015 sanctions and the ruble's fall": (2013, 2015),
}


def main() -> None:
    usd, russia = remittance_series(LAST)
    e = pooled_elasticity(usd, russia, FIRST, LAST)
    print(
        f"pooled {FIRST}-{LAST}, {', '.join(STATES)}: mu = {e.value:.2f} (se {e.se:.2f}, n = {e.n})"
    )
    for name, (a, b) in EPISODES.items():
        dg = np.log(russia[b] / russia[a])
        each = {s: np.log(usd[s][b] / usd[s][a]) / dg for s in STATES}
        shown = ", ".join(f"{s} {v:.2f}" for s, v in each.items() if np.isfinite(v))
        print(f"{name}: Russia's USD GDP {np.expm1(dg):+.0%}; elasticities {shown}")


if __name__ == "__main__":
    main()
