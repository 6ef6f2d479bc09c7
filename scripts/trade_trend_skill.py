"""The residual trade trend's table of docs/validation.md ("How the forecast is set up",
item 2): forecasts of trade shares from origins 2005-2007, scored on every year after
the origin to 2010, with the trend as shipped and with its settings changed one at a
time.

    PYTHONPATH=src python scripts/trade_trend_skill.py     # 10 replicates, seed 1

Each row is `polarsim skill scenarios/historical.yaml --origins 2005:2007 --last 2010
--report-from 2005 --series trade_shares --replicates 10 --seed 1 --set PATH=VALUE`
(with its default refit: the stall hazard and remittance elasticity estimated from the
data up to each origin);
the columns are that table's MAE over horizons 1-5 (300 observations) and over
horizons 4-5 (75), the model's and persistence's (the value of the origin year). Uses
only the bundled data up to 2010.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from polarsim.validation.skill import skill

ROOT = Path(__file__).resolve().parents[1]
TRADE = "parameters.trade"

# (label, overrides): the shipped trend is weight 1, half-life 3 years, window 5 years
VARIANTS: list[tuple[str, list[str]]] = [
    ("off (`trend_weight 0`)", [f"{TRADE}.trend_weight=0"]),
    ("weight 0.5", [f"{TRADE}.trend_weight=0.5"]),
    ("**weight 1 (shipped)**, half-life 3 years, window 5 years", []),
    ("weight 1, half-life 5 years", [f"{TRADE}.trend_halflife_years=5"]),
    ("weight 1, window 4 years", [f"{TRADE}.trend_window_years=4"]),
]


def errors(points: pd.DataFrame, horizons: tuple[int, int]) -> tuple[int, float, float]:
    """n, MAE of the model's mean and of persistence over the horizons (inclusive)."""
    g = points[points["horizon"].between(*horizons)]
    g = g.dropna(subset=["observed", "model", "persistence"])
    model = (g["model"] - g["observed"]).abs().mean()
    persistence = (g["persistence"] - g["observed"]).abs().mean()
    return len(g), float(model), float(persistence)


def table(
    variants: Sequence[tuple[str, list[str]]] = VARIANTS,
    *,
    scenario: str | Path = ROOT / "scenarios" / "historical.yaml",
    origins: Sequence[int] = (2005, 2006, 2007),
    last_year: int = 2010,
    replicates: int = 10,
    seed: int = 1,
) -> pd.DataFrame:
    rows = []
    for label, overrides in variants:
        s = skill(
            scenario, origins=list(origins), last_year=last_year, series=["trade_shares"],
            replicates=replicates, seed=seed, overrides=overrides,
            report_from=min(origins),
        )  # fmt: skip
        n, mae, pers = errors(s.points, (1, 5))
        n45, mae45, pers45 = errors(s.points, (4, 5))
        rows.append({
            "trade trend": label, "n": n, "error": mae, "persistence": pers,
            "n h 4-5": n45, "error h 4-5": mae45, "persistence h 4-5": pers45,
        })  # fmt: skip
    return pd.DataFrame(rows)


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicates", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scenario", default=str(ROOT / "scenarios" / "historical.yaml"))
    a = p.parse_args(argv)
    t = table(scenario=a.scenario, replicates=a.replicates, seed=a.seed)
    cols = list(t.columns)
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for _, r in t.iterrows():
        cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in r]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
