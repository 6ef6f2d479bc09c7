"""The 2014 sanctions on Russia and the ruble's fall as a test of the sanctions
mechanism: run the historical scenario from the observed ties of 2013 to 2015 with
several values of `trade.sanctions_compliance` and compare Russia's simulated trade
share in 2015 with the observed one (bundled data, recommended basis).

Russia's GDP in USD (the ruble's fall) already enters through gravity; the compliance
says how much more the five states' trade with Russia falls for their exposure to the
imposers (EU, USA). If the observed changes are matched as well without it, the
episode gives no evidence for compliance.

    PYTHONPATH=src python scripts/check_sanctions_episode.py [--replicates 10]
"""

from __future__ import annotations

import argparse

import numpy as np

from polarsim import load_scenario, run
from polarsim.data import load_trade_shares

SCENARIO = "scenarios/historical.yaml"
START, END = 2013, 2015
VALUES = (0.0, 0.5, 1.0, 2.0, 5.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t = load_trade_shares("recommended")
    rus = t[t["partner"] == "RUS"].pivot(index="year", columns="state", values="share") * 100
    states = list(rus.columns)
    observed = rus.loc[END, states]
    change = (rus.loc[END, states] - rus.loc[START, states]).round(1)
    print(f"observed change of Russia's trade share {START}-{END} (pp): {change.to_dict()}")
    print("| sanctions_compliance | " + " | ".join(states) + " | MAE (pp) |")
    print("|---:|" + "---:|" * (len(states) + 1))
    for value in VALUES:
        sc = load_scenario(
            SCENARIO,
            [
                f"time.start_year={START}",
                f"time.end_year={END}",
                f"parameters.trade.sanctions_compliance={value}",
            ],
        )
        s = run(sc, seed=args.seed, replicates=args.replicates).states
        sim = s[s["year"] == END].groupby("state")["trade_share_RUS"].mean() * 100
        sim = sim.reindex(states)
        mae = float(np.mean(np.abs(sim - observed)))
        cells = " | ".join(f"{v:.1f}" for v in sim)
        print(f"| {value:g} | {cells} | {mae:.2f} |")
    print(f"| observed {END} | " + " | ".join(f"{v:.1f}" for v in observed) + " | |")


if __name__ == "__main__":
    main()
