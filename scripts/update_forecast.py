"""Rewrite the published forecast as of 2015 (docs/forecast-2015.csv) that
tests/validation/test_forecast.py compares against.

The file is the forecast of `scenarios/historical.yaml` from 2015 to 2024 with its
bands (`polarsim forecast historical --replicates 10 --seed 1`: the model band from the
errors of the origins 2005-2014, each made with the parameters estimated from the data
up to it, the default `--refit auto`), written before the outcomes of 2016-2024 are
known to the project, so that whoever holds them scores this file (docs/validation.md,
"The forecast as of 2015, published"). Run it only after a change meant to alter the
model's numbers (the golden baseline moves too), and say in CHANGELOG.md ("Changes to
outputs") that the published forecast moved:

    PYTHONPATH=src python scripts/update_forecast.py
"""

from __future__ import annotations

from pathlib import Path

from polarsim.validation.forecast import (
    PUBLISHED_FILE,
    PUBLISHED_SETTINGS,
    forecast,
    write_forecast_csv,
)

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    f = forecast(ROOT / "scenarios" / "historical.yaml", **PUBLISHED_SETTINGS)
    path = ROOT / PUBLISHED_FILE
    write_forecast_csv(f.points, path)
    print(f"wrote {PUBLISHED_FILE} ({len(f.points)} rows, origin {f.origin})")


if __name__ == "__main__":
    main()
