"""The study report claims no more than its tables show: an effect whose 95 % interval
crosses zero is flagged, and the phase diagram's zero contour is called a boundary
between regimes only when cells on both sides have intervals clear of zero."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from polarsim.study.report import _level_text, _phase_text, _scenarios_section

STUDY = SimpleNamespace(
    phase=SimpleNamespace(x="exclusivity", y="rivalry", baseline_year=2024, years=[2050]),
    metric="autonomy_index",
)


def _grid(means, half_width):
    rows = [
        {
            "exclusivity": x,
            "rivalry": y,
            "mean": m,
            "lower": m - half_width,
            "upper": m + half_width,
        }
        for (x, y), m in zip([(0, 0), (0, 1), (1, 0), (1, 1)], means, strict=True)
    ]
    return pd.DataFrame(rows)


def test_an_unresolved_zero_contour_is_not_called_a_regime_boundary():
    text = " ".join(_phase_text(_grid([-0.01, 0.0, 0.005, 0.01], 0.1), STUDY, "autonomy_index"))
    assert "boundary between the regime" not in text
    assert "may follow noise" in text


def test_a_resolved_zero_contour_is_a_regime_boundary():
    text = " ".join(_phase_text(_grid([-0.2, -0.1, 0.1, 0.2], 0.01), STUDY, "autonomy_index"))
    assert "boundary between the regime" in text


def test_a_level_maximum_that_the_intervals_do_not_separate_says_so():
    text = _level_text(_grid([0.70, 0.71, 0.69, 0.705], 0.1), STUDY)
    assert "overlap" in text
    assert "overlap" not in _level_text(_grid([0.5, 0.6, 0.7, 0.8], 0.01), STUDY)


def _pooled(diffs):
    rows = [{"scenario": "base", "year": 2050, "mean": 0.7, "lower": 0.69, "upper": 0.71}]
    rows[0] |= {"diff": 0.0, "diff_lower": 0.0, "diff_upper": 0.0}
    for name, (d, lo, hi) in diffs.items():
        rows.append(
            {"scenario": name, "year": 2050, "mean": 0.7 + d, "lower": 0.69 + d}
            | {"upper": 0.71 + d, "diff": d, "diff_lower": lo, "diff_upper": hi}
        )
    return pd.DataFrame(rows)


def test_scenario_differences_whose_interval_crosses_zero_are_flagged():
    pooled = _pooled({"a": (0.01, -0.01, 0.03), "b": (-0.05, -0.07, -0.03)})
    per_state = pooled.assign(state="KAZ")
    lines = _scenarios_section(
        SimpleNamespace(study=STUDY), pooled, per_state, ["base", "a", "b"], 2050, 3
    )
    row_a = next(line for line in lines if line.startswith("| a |"))
    row_b = next(line for line in lines if line.startswith("| b |"))
    assert "crosses zero" in row_a
    assert "crosses zero" not in row_b
    summary = next(line for line in lines if line.startswith("Relative to"))
    # the largest difference (a) is not distinguishable from zero, the smallest (b) is
    assert summary.count("(crosses zero)") == 1
    assert summary.index("(crosses zero)") < summary.index("`b`")


def test_the_report_names_every_table_the_build_writes():
    import re

    from polarsim.study.build import TABLES
    from polarsim.study.report import _tables_section

    text = "\n".join(_tables_section("autonomy_index"))
    named = set()
    for stem, exts in re.findall(r"`tables/([\w]+)\.\{([\w,]+)\}`", text):
        named |= {f"{stem}.{e}" for e in exts.split(",")}
    named |= set(re.findall(r"`tables/([\w]+\.\w+)`", text))
    assert named == set(TABLES)
