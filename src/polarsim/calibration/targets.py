"""The observed series a calibration fits (polarsim.observations.series, shared with
the skill evaluation) in its window and held-out years, and the model's matching
outputs.

Each target row: series, state, partner, year, observed (in the series' unit), the
states-table `column` holding the model's value and the `factor` turning it into the
observed unit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from polarsim.errors import PolarsimInputError
from polarsim.experiment.calibration_section import Calibration
from polarsim.observations.series import SERIES_BUILDERS, TARGET_COLUMNS, UNITS
from polarsim.scenario import Scenario

__all__ = [
    "SERIES_BUILDERS",
    "TARGET_COLUMNS",
    "UNITS",
    "observed_targets",
    "simulated_matrix",
    "synthetic_targets",
]


def observed_targets(sc: Scenario, cal: Calibration, folder: Path) -> pd.DataFrame:
    """Every observation of the active series in the calibration and held-out years
    that the scenario simulates (TARGET_COLUMNS)."""
    years = [y for y in cal.years() if y in sc.years]
    parts = []
    for series, target in cal.targets.active().items():
        file = (folder / target.file) if target.file else None
        t = SERIES_BUILDERS[series](sc, file)
        parts.append(t[t["year"].isin(years)])
    out = pd.concat(parts, ignore_index=True)
    if not (out["year"] <= cal.window[1]).any() or not (out["year"] >= cal.window[0]).any():
        raise PolarsimInputError(
            f"no observation in the calibration window {cal.window[0]}-{cal.window[1]} "
            f"within the simulated years {sc.time.start_year}-{sc.time.end_year}",
            field="calibration.window",
        )
    return out.reset_index(drop=True)


def simulated_matrix(results: pd.DataFrame, targets: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(run_ids, values): the replicate mean of each design point's output for every
    target row, in the target's unit; values has shape (design points, targets)."""
    cols = sorted(targets["column"].unique())
    means = results.groupby(["run_id", "year", "state"], sort=True)[cols].mean()
    wide = means.unstack(["year", "state"])
    idx = pd.MultiIndex.from_arrays([targets["column"], targets["year"], targets["state"]])
    values = wide.reindex(columns=idx).to_numpy(dtype=float) * targets["factor"].to_numpy()
    return wide.index.to_numpy(dtype=np.int64), values


def synthetic_targets(targets: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """`targets` with `observed` replaced by a model run's replicate mean (a states
    table): synthetic data for checking that a calibration recovers known values."""
    results = states.assign(run_id=0)
    _, values = simulated_matrix(results, targets)
    out = targets.copy()
    out["observed"] = values[0]
    return out[~np.isnan(values[0])].reset_index(drop=True)
