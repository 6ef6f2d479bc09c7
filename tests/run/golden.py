"""The golden baseline: a few numbers per shipped scenario that any change to the model's
arithmetic or random streams moves. Kept small so a diff of the JSON file reads as a
summary of what changed."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_FILE = Path(__file__).with_name("golden_baseline.json")
SCENARIOS = ("historical_2005", "historical", "baseline")
SEED, REPLICATES = 7, 2
METRICS = ("autonomy_index", "trade_share_CHN", "trade_share_RUS", "security_share_RUS")


def golden_summary() -> dict[str, dict[str, float]]:
    from polarsim import run

    out: dict[str, dict[str, float]] = {}
    for name in SCENARIOS:
        res = run(ROOT / "scenarios" / f"{name}.yaml", seed=SEED, replicates=REPLICATES)
        states = res.states
        years = sorted(states["year"].unique())
        picks = [years[0] + 5, years[len(years) // 2], years[-1]]
        cells = states[states["year"].isin(picks)].groupby(["year", "state"])[list(METRICS)]
        for (year, state), row in cells.mean().iterrows():
            for metric, value in row.items():
                out.setdefault(name, {})[f"{year}/{state}/{metric}"] = round(float(value), 10)
        system = res.system
        out[name]["events"] = float(len(res.events))
        out[name]["coercive_acts"] = float(system["coercive_acts"].sum())
    return out
