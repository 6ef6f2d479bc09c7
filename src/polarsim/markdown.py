"""GitHub Markdown tables: the one writer behind every .md table polarsim prints or
writes (comparisons, summary tables, hindcast, skill and calibration tables, the study
report)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["frame_markdown", "markdown_table"]


def markdown_table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool] | None = None,
    caption: str | None = None,
) -> str:
    """`| a | b |` lines with a rule under the header (`---:` where ``right`` is true),
    the caption and a blank line above when given; ends with a newline."""
    right = right or [False] * len(head)
    lines = [] if caption is None else [caption, ""]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---:" if r else "---" for r in right) + "|")
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def frame_markdown(
    table: pd.DataFrame,
    digits: int = 2,
    *,
    caption: str | None = None,
    blank_nan: bool = True,
    right_numbers: bool = False,
) -> str:
    """A DataFrame as a Markdown table: floats with `digits` decimals (NaN as an empty
    cell with ``blank_nan``), numeric columns right-aligned with ``right_numbers``."""

    def cell(v) -> str:
        if v is pd.NA:  # an empty cell of a nullable column (Int64)
            return ""
        if isinstance(v, float | np.floating):
            return "" if blank_nan and np.isnan(v) else f"{v:.{digits}f}"
        return str(v)

    cols = list(table.columns)
    right = [right_numbers and table[c].dtype.kind in "fi" for c in cols]
    rows = [[cell(v) for v in row] for row in table.itertuples(index=False)]
    return markdown_table([str(c) for c in cols], rows, right, caption)
