"""Score the bands of a `polarsim skill` folder under two quantile rules, on the same
forecasts: the shipped rule (interpolated quantiles of the error sample) and the
finite-sample rule of split conformal prediction (validation.skill.
finite_sample_quantiles). Both bands, model and naive, are rebuilt from what each
origin knew; nothing is rerun.

    PYTHONPATH=src python scripts/band_rules.py runs/skill --split 2011

Prints, per series, the coverage (with its bootstrap interval over state-partner pairs,
as `polarsim skill` gives it) and interval score of the 90 % bands over horizons 1-5
for the reported origins, for the origins before SPLIT (where a rule would be chosen)
and from SPLIT on (where it would be reported). Uses the bundled observations, as a
skill run without --observed does; a folder made with --observed or --posterior is
refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from polarsim import load_scenario
from polarsim.markdown import frame_markdown
from polarsim.validation import skill as sk

ROOT = Path(__file__).resolve().parents[1]
RULES = {"shipped": sk._quantiles, "finite-sample": sk.finite_sample_quantiles}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folder", type=Path, help="a `polarsim skill --out` folder")
    p.add_argument("--split", type=int, default=2011)
    args = p.parse_args()
    manifest = json.loads((args.folder / "manifest.json").read_text())
    if manifest.get("observed_files") or manifest.get("posterior"):
        sys.exit("band_rules.py: expected a skill folder made without --observed/--posterior")
    scenario = Path(manifest["scenario"])
    scenario = scenario if scenario.exists() else ROOT / scenario
    base = load_scenario(scenario, manifest["overrides"])
    observed = sk.observed_outcomes(base, manifest["series"], None, None)
    observed = observed[observed["year"] <= manifest["last_year"]]
    points = pd.read_parquet(args.folder / "points.parquet")
    reported = points["reported"].to_numpy()
    bare = points.drop(
        columns=["model_lower", "model_upper", "naive_lower", "naive_upper", "reported"]
    )
    first, last = sk.SUMMARY_HORIZONS
    rows = []
    for name, rule in RULES.items():
        banded = sk.add_bands(bare, observed, manifest["level"], quantiles=rule)
        banded = banded[reported & banded["horizon"].between(first, last).to_numpy()]
        spans = {
            f"{int(banded['origin'].min())}-{int(banded['origin'].max())}": banded,
            f"before {args.split}": banded[banded["origin"] < args.split],
            f"{args.split} on": banded[banded["origin"] >= args.split],
        }
        for span, g in spans.items():
            for series, gs in g.groupby("series", sort=False):
                s = sk._scores(gs, manifest["level"])
                _, ok = sk._compared_rows(gs)  # as polarsim skill's reliability table
                gb = gs[ok]
                hit = (gb["model_lower"] <= gb["observed"]) & (gb["observed"] <= gb["model_upper"])
                pairs = (gb["state"] + "/" + gb["partner"]).to_numpy(dtype=str)
                low, high = sk.coverage_interval(hit.to_numpy(), pairs, manifest["seed"])
                rows.append(
                    {
                        "rule": name,
                        "origins": span,
                        "series": series,
                        "n": s["n_band_model"],
                        "coverage_model": s["coverage_model"],
                        "bootstrap_90": f"{low:.2f}-{high:.2f}",
                        "interval_score_model": s["interval_score_model"],
                        "coverage_naive": s["coverage_naive"],
                        "interval_score_naive": s["interval_score_naive"],
                    }
                )
    print(frame_markdown(pd.DataFrame(rows), digits=3))


if __name__ == "__main__":
    main()
