"""Estimate `parameters.forecast.trade_share_error_sd_log` from data up to 2010 only.

Forecasts are started in 2004, 2005, 2006 and 2007 from the observed ties of that year
and run to 2010; for each observed share of the five powers (both simulated and observed
at least 0.5 %), the log error log(observed / median of the replicates) is divided by
the square root of the years ahead. The parameter is the 90 % quantile of its absolute
value over 1.645, so a normal predictive band with sd = sigma * sqrt(years ahead) covers
90 % of these forecasts' errors.

    PYTHONPATH=src python scripts/estimate_forecast_error.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from polarsim import load_scenario, run
from polarsim.data.tables import load_trade_shares

ROOT = Path(__file__).resolve().parents[1]
STARTS = (2004, 2005, 2006, 2007)
POWERS = ("CHN", "RUS", "EU", "TUR", "USA")
MIN_SHARE = 0.005
Z90 = 1.6448536269514722  # two-sided 90 % normal quantile


def forecast_errors(replicates: int = 10, seed: int = 1) -> pd.DataFrame:
    obs = load_trade_shares()
    obs = obs[obs["partner"].isin(POWERS)]
    parts = []
    for start in STARTS:
        scenario = load_scenario(
            ROOT / "scenarios" / "historical.yaml",
            [f"time.start_year={start}", "time.end_year=2010"],
        )
        states = run(scenario, seed=seed, replicates=replicates).states
        columns = [f"trade_share_{p}" for p in POWERS]
        sim = states.groupby(["year", "state"])[columns].median()
        sim.columns = list(POWERS)
        sim = sim.stack().rename("simulated").reset_index().rename(columns={"level_2": "partner"})
        both = obs.merge(sim, on=["year", "state", "partner"])
        both = both[(both["year"] > start) & (both["share"] >= MIN_SHARE)]
        both = both[both["simulated"] >= MIN_SHARE]
        parts.append(both.assign(start=start, ahead=both["year"] - start))
    out = pd.concat(parts, ignore_index=True)
    out["log_error"] = np.log(out["share"] / out["simulated"])
    return out


def main() -> None:
    errors = forecast_errors()
    scaled = errors["log_error"].abs() / np.sqrt(errors["ahead"])
    q90 = float(np.quantile(scaled, 0.9))
    by_ahead = errors.groupby("ahead")["log_error"].apply(lambda e: np.quantile(e.abs(), 0.9))
    print(f"{len(errors)} forecast errors from starts {STARTS}")
    print("90 % quantile of |log error| by years ahead:", by_ahead.round(2).to_dict())
    print(f"90 % quantile of |log error| / sqrt(years ahead): {q90:.3f}")
    print(f"trade_share_error_sd_log = {q90 / Z90:.3f}")


if __name__ == "__main__":
    main()
