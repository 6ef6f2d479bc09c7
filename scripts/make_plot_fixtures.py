"""Write the small result tables the figure tests and image baselines are drawn from.

    PYTHONPATH=src python scripts/make_plot_fixtures.py

Run once and commit tests/fixtures/plots/*.csv. The model's numbers change when it is
recalibrated; these files do not, so the image baselines stay valid. Rerun only to
refresh the fixtures on purpose, then rerun scripts/update_baselines.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import yaml

from polarsim.compare import compare
from polarsim.experiment.analyze import sensitivity_table
from polarsim.experiment.sweep import sweep

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "plots"
#: Years kept in the run fixture: every 5th, to keep the files small.
YEAR_STEP = 5
DIGITS = 6


def _write(df: pd.DataFrame, name: str) -> None:
    df.round(DIGITS).to_csv(OUT / name, index=False, lineterminator="\n")
    print(f"wrote {OUT / name} ({len(df)} rows)")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    c = compare(
        [ROOT / "scenarios/baseline.yaml", ROOT / "scenarios/spheres_of_influence.yaml"],
        seed=11,
        replicates=3,
        years=[2050],
    )
    s = c.states
    s = s[(s["year"] % YEAR_STEP == 0)]
    keep = ["scenario", "replicate", "year", "state", "autonomy_index", "hedging_index"]
    keep += ["vulnerability"] + [c for c in s.columns if "_share_" in c]
    _write(s[keep], "runs_states.csv")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, exp in {
            "grid": {
                "base": str(ROOT / "scenarios/baseline.yaml"),
                "parameters": {
                    "exclusivity": {
                        "paths": [f"powers.{p}.exclusivity" for p in ("CHN", "RUS", "USA")],
                        "range": [0.0, 1.0],
                    },
                    "rivalry": {"paths": ["relations.CHN-RUS"], "range": [0.0, 1.0]},
                },
                "design": {"type": "grid", "levels": 4},
                "replicates": 2,
                "seed": 3,
                "outcomes": {"metrics": ["autonomy_index"], "years": [2024, 2050]},
            },
            "sobol": {
                "base": str(ROOT / "scenarios/baseline.yaml"),
                "parameters": {
                    "parameters.contest.decisiveness": {"range": [0.5, 3.0]},
                    "parameters.trade.persistence": {"range": [0.6, 0.95]},
                    "parameters.coercion.rate": {"range": [0.5, 10.0]},
                },
                "design": {"type": "sobol", "samples": 16},
                "seed": 5,
                "outcomes": {"metrics": ["autonomy_index"], "years": [2040], "aggregate": "mean"},
            },
        }.items():
            path = tmp / f"{name}.yaml"
            path.write_text(yaml.safe_dump(exp))
            folder = sweep(path, out=tmp / name, progress=False)
            if name == "grid":
                _write(pd.read_parquet(folder / "design.parquet"), "sweep_design.csv")
                res = pd.read_parquet(folder / "results")
                res = res.sort_values(["run_id", "replicate", "year", "state"])
                _write(res, "sweep_results.csv")
            else:
                _write(sensitivity_table("sobol", folder), "sobol_indices.csv")


if __name__ == "__main__":
    main()
