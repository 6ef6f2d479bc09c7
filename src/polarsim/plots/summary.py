"""Replicate means with Student-t 95 % intervals, for any grouping.

Every figure and table that shows a mean with a band gets its numbers here, so what a
figure draws can be tested and reported without reading pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["CONFIDENCE", "interval_summary", "t_halfwidth"]

CONFIDENCE = 0.95


def t_halfwidth(sd: np.ndarray, n: np.ndarray, confidence: float = CONFIDENCE) -> np.ndarray:
    """Half-width of the t interval of a mean; 0 where n < 2 (no spread to estimate)."""
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=np.int64)
    has_band = n >= 2
    t = np.zeros(len(n))
    t[has_band] = stats.t.ppf(0.5 + confidence / 2, n[has_band] - 1)
    return np.where(has_band, t * np.nan_to_num(sd) / np.sqrt(np.maximum(n, 1)), 0.0)


def interval_summary(
    data: pd.DataFrame, value: str, by: Sequence[str], sort_extra: Sequence[str] = ()
) -> pd.DataFrame:
    """Columns ``*by, mean, lower, upper, n`` with one row per group, sorted by ``by``.

    n counts the non-missing values of the group. The input's row order does not change
    the result: rows are sorted by ``by`` and ``sort_extra`` (e.g. the replicate) first,
    so the float sums are always taken in the same order.
    """
    by = list(by)
    keys = by + [c for c in sort_extra if c in data.columns and c not in by]
    d = data[[*keys, value]].sort_values(keys, kind="mergesort")
    g = d.groupby(by, sort=True)[value]
    out = g.agg(mean="mean", sd="std", n="count").reset_index()
    n = out["n"].to_numpy(dtype=np.int64)
    half = t_halfwidth(out["sd"].to_numpy(dtype=float), n)
    out["lower"] = out["mean"] - half
    out["upper"] = out["mean"] + half
    out["n"] = n
    return out[[*by, "mean", "lower", "upper", "n"]].reset_index(drop=True)
