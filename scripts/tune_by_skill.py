"""Choose one parameter by rolling-origin skill, nested: forecasts from origins before
SPLIT, scored on years up to SPLIT, choose the value; forecasts from SPLIT on report it.

    PYTHONPATH=src python scripts/tune_by_skill.py \
        parameters.remittances.source_gdp_elasticity 0 0.5 1 1.25 1.5 1.75 2 2.35 \
        --series remittances --split 2010

Prints one row per value (MAE of the model on the tuning and the reporting sample, and
persistence's for reference) and the value with the lowest tuning error. Uses only the
bundled data (to 2015). The runs re-estimate the parameters estimated from the data to
2015 at each origin, as `polarsim skill` does by default, except PATH itself.

With --by-horizon it also prints, per value, the MAE of the model and of persistence by
horizon over every origin (2005-2014, scored to 2015): the forecast from 2015 is judged
up to nine years ahead, longer than the nested split's horizons.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from polarsim.validation.skill import DEFAULT_ORIGINS, SERIES, nested_errors, skill

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("path", help="dotted parameter path, e.g. parameters.trade.persistence")
    p.add_argument("values", nargs="+", type=float)
    p.add_argument("--series", nargs="+", default=list(SERIES), choices=SERIES)
    p.add_argument("--split", type=int, default=2010)
    p.add_argument("--scenario", default=str(ROOT / "scenarios" / "historical.yaml"))
    p.add_argument("--replicates", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--by-horizon",
        action="store_true",
        help="also the MAE by horizon (1-3, 4-5, 6-7, 8-10) over every origin",
    )
    a = p.parse_args()
    rows, by_h = [], []
    for v in a.values:
        s = skill(
            a.scenario, series=a.series, replicates=a.replicates, seed=a.seed,
            overrides=[f"{a.path}={v:g}"], report_from=min(DEFAULT_ORIGINS),
        )  # fmt: skip
        for series, pts in s.points.groupby("series"):
            rows.append({"value": v, "series": series, **nested_errors(pts, a.split)})
            if a.by_horizon:
                by_h.extend(horizon_errors(pts, v, series))
    t = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(t.round(3).to_string(index=False))
    total = t.groupby("value")["tune_mae_model"].sum()
    print(f"\nlowest tuning error (summed over series): {a.path} = {total.idxmin():g}")
    if by_h:
        print("\nMAE by horizon, every origin scored to 2015 (not nested):")
        print(pd.DataFrame(by_h).round(3).to_string(index=False))


#: Horizon groups of --by-horizon (years ahead, both ends included).
HORIZON_GROUPS = ((1, 3), (4, 5), (6, 7), (8, 10))


def horizon_errors(points: pd.DataFrame, value: float, series: str) -> list[dict]:
    """MAE of the model and of persistence by horizon group over every origin, on the
    rows that have both forecasts."""
    p = points.dropna(subset=["observed", "model", "persistence"])
    out = []
    for lo, hi in HORIZON_GROUPS:
        g = p[p["horizon"].between(lo, hi)]
        if g.empty:
            continue
        m = float((g["model"] - g["observed"]).abs().mean())
        per = float((g["persistence"] - g["observed"]).abs().mean())
        out.append({"value": value, "series": series, "horizon": f"{lo}-{hi}", "n": len(g),
                    "mae_model": m, "mae_persistence": per, "ratio": m / per})  # fmt: skip
    return out


if __name__ == "__main__":
    main()
