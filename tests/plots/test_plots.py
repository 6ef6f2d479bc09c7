"""Figures: the numbers they draw, their look, and byte-reproducible files."""

from __future__ import annotations

import math
import os
import stat

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from scipy import stats  # noqa: E402

from polarsim.codes import DEFAULT_POWERS, DEFAULT_STATES, POWERS, STATES  # noqa: E402
from polarsim.plots import (  # noqa: E402
    autonomy_summary,
    paper_style,
    plot_autonomy,
    plot_compare,
    save_figure,
    style,
    timeseries_summary,
)

YEARS = range(2000, 2010)


def make_states(replicates: int = 3, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [
        (r, y, s, rng.uniform(0.1, 0.9), rng.normal())
        for r in range(replicates)
        for y in YEARS
        for s in DEFAULT_STATES
    ]
    return pd.DataFrame(rows, columns=["replicate", "year", "state", "autonomy_index", "x"])


def legend_of(fig):
    """The figure legend of a figure plot_autonomy made, else the axes legend."""
    return fig.legends[0] if fig.legends else fig.axes[0].get_legend()


@pytest.fixture
def states() -> pd.DataFrame:
    return make_states()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- summary


def test_summary_mean_matches_groupby(states):
    s = autonomy_summary(states)
    assert list(s.columns) == ["state", "year", "mean", "lower", "upper", "n"]
    assert len(s) == len(DEFAULT_STATES) * len(YEARS)
    expected = states.groupby(["state", "year"])["autonomy_index"].mean()
    got = s.set_index(["state", "year"])["mean"]
    pd.testing.assert_series_equal(got, expected.loc[got.index], check_names=False)
    assert (s["n"] == 3).all()


def test_summary_band_is_student_t(states):
    s = autonomy_summary(states)
    vals = states.query("state == 'KGZ' and year == 2004")["autonomy_index"].to_numpy()
    assert len(vals) == 3
    m = vals.mean()
    half = stats.t.ppf(0.975, 2) * vals.std(ddof=1) / math.sqrt(3)
    assert half > 0
    row = s.query("state == 'KGZ' and year == 2004").iloc[0]
    assert row["mean"] == pytest.approx(m, rel=1e-12)
    assert row["lower"] == pytest.approx(m - half, rel=1e-12)
    assert row["upper"] == pytest.approx(m + half, rel=1e-12)
    assert (s["lower"] < s["mean"]).all() and (s["mean"] < s["upper"]).all()


def test_summary_single_replicate_has_no_band():
    s = autonomy_summary(make_states(replicates=1))
    assert (s["n"] == 1).all()
    assert (s["lower"] == s["mean"]).all() and (s["upper"] == s["mean"]).all()


def test_summary_ignores_row_order(states):
    shuffled = states.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(autonomy_summary(shuffled), autonomy_summary(states))


def test_summary_other_metric_and_bad_input(states):
    s = autonomy_summary(states, metric="x")
    assert np.isfinite(s[["mean", "lower", "upper"]].to_numpy()).all()
    with pytest.raises(ValueError, match="lacks"):
        autonomy_summary(states, metric="nope")
    with pytest.raises(ValueError, match="more than one row"):
        autonomy_summary(pd.concat([states, states.head(1)]))


# --------------------------------------------------------------------------- figure


def test_plot_one_line_per_state(states):
    fig = plot_autonomy(states)
    (ax,) = fig.axes
    assert len(ax.get_lines()) == len(DEFAULT_STATES)
    legend = legend_of(fig)
    assert [t.get_text() for t in legend.get_texts()] == [STATES[c].name for c in DEFAULT_STATES]
    assert "3 replicates" in legend.get_title().get_text()
    assert "95 % CI" in legend.get_title().get_text()
    assert ax.get_xlabel() == "Year"
    assert ax.get_ylabel() == "Autonomy index (0–1)"
    assert ax.get_ylim() == (0.0, 1.0)
    np.testing.assert_allclose(fig.get_size_inches(), (style.SINGLE_COLUMN, style.DEFAULT_HEIGHT))
    assert len(ax.collections) == len(DEFAULT_STATES)  # one band per state
    summary = autonomy_summary(states)
    kaz = summary[summary["state"] == "KAZ"]
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), kaz["year"].to_numpy())
    np.testing.assert_array_equal(line.get_ydata(), kaz["mean"].to_numpy())
    assert to_rgb(line.get_color()) == to_rgb(style.colour("KAZ"))


def test_plot_order_single_replicate_and_given_axes():
    df = make_states(replicates=1)
    fig, ax = plt.subplots()
    out = plot_autonomy(df, ax=ax, states_order=["TKM", "KAZ"])
    assert out is fig
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Turkmenistan", "Kazakhstan"]
    assert len(ax.collections) == 0  # no band from one replicate
    assert ax.get_legend().get_title().get_text() == "single replicate"
    with pytest.raises(ValueError, match="not in the data"):
        plot_autonomy(df, states_order=["XYZ"])


def test_plot_other_metric_label(states):
    ax = plot_autonomy(states, metric="x").axes[0]
    assert ax.get_ylabel() == "X"
    assert ax.get_ylim() != (0.0, 1.0)


def test_plot_leaves_global_rcparams_alone(states):
    before = dict(matplotlib.rcParams)
    plot_autonomy(states)
    assert dict(matplotlib.rcParams) == before


# --------------------------------------------------------------------------- style


@pytest.mark.parametrize("codes", [DEFAULT_STATES, DEFAULT_POWERS, tuple(POWERS)])
def test_styles_distinct(codes):
    assert len({style.colour(c) for c in codes}) == len(codes)
    assert len({style.marker(c) for c in codes}) == len(codes)
    assert all(style.colour(c) != "#F0E442" for c in codes)  # too light for lines


def test_style_fallback_is_deterministic_and_labels():
    for f in (style.colour, style.linestyle, style.marker):
        assert f("ZZZ") == f("ZZZ")
    to_rgb(style.colour("ZZZ"))  # a valid colour
    assert style.label("KAZ") == "Kazakhstan"
    assert style.label("EU") == "European Union"
    assert style.label("ZZZ") == "ZZZ"


def test_paper_style_rcparams():
    with paper_style():
        rc = matplotlib.rcParams
        assert rc["pdf.fonttype"] == 42 and rc["ps.fonttype"] == 42
        assert rc["svg.fonttype"] == "path"
        assert rc["text.usetex"] is False
        assert rc["font.sans-serif"][0] == "DejaVu Sans"
        assert 8 <= rc["font.size"] <= 9
        assert not rc["axes.spines.top"] and not rc["axes.spines.right"]
    assert style.SINGLE_COLUMN == 3.5 and style.DOUBLE_COLUMN == 7.2


# --------------------------------------------------------------------------- saving


def test_save_figure_writes_and_is_reproducible(states, tmp_path):
    fig = plot_autonomy(states)
    paths = save_figure(fig, tmp_path / "a" / "b" / "autonomy")
    assert paths == [tmp_path / "a" / "b" / "autonomy.png", tmp_path / "a" / "b" / "autonomy.pdf"]
    first = [p.read_bytes() for p in paths]
    assert first[0].startswith(b"\x89PNG") and first[1].startswith(b"%PDF")
    assert b"/FontFile2" in first[1]  # TrueType embedded, not Type 3
    assert b"CreationDate" not in first[1] and b"Matplotlib" not in first[0]
    # the same figure again
    assert [p.read_bytes() for p in save_figure(fig, paths[0].with_suffix(""))] == first
    # a fresh figure from the same data, into another folder
    again = save_figure(plot_autonomy(states), tmp_path / "c" / "autonomy")
    assert [p.read_bytes() for p in again] == first
    assert sorted(os.listdir(tmp_path / "a" / "b")) == ["autonomy.pdf", "autonomy.png"]


def test_save_png_is_300_dpi(states, tmp_path):
    from PIL import Image

    (png,) = save_figure(plot_autonomy(states), tmp_path / "f", formats=("png",))
    with Image.open(png) as im:
        assert im.size == (round(style.SINGLE_COLUMN * 300), round(style.DEFAULT_HEIGHT * 300))
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_save_svg_reproducible(states, tmp_path):
    a = save_figure(plot_autonomy(states), tmp_path / "x" / "f.v1", formats=["svg"])
    b = save_figure(plot_autonomy(states), tmp_path / "y" / "f.v1", formats=["svg"])
    assert a[0].name == "f.v1.svg"
    assert a[0].read_bytes() == b[0].read_bytes()
    assert b"<dc:date>" not in a[0].read_bytes()


def test_save_failure_leaves_nothing(states, tmp_path, monkeypatch):
    fig = plot_autonomy(states)
    (good,) = save_figure(fig, tmp_path / "f", formats=["png"])
    before = good.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(fig, "savefig", boom)
    with pytest.raises(RuntimeError):
        save_figure(fig, tmp_path / "f", formats=["png"])
    assert os.listdir(tmp_path) == ["f.png"]  # no temporary file left
    assert good.read_bytes() == before
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(good.stat().st_mode) == 0o666 & ~umask  # not a private 0600 temp file
    with pytest.raises(ValueError, match="formats"):
        save_figure(fig, tmp_path / "g", formats=["jpg"])


def test_a_column_of_text_is_refused_as_a_metric_not_failed_in_pandas(states):
    text = states.assign(trade_top_partner="RUS")
    for summary in (autonomy_summary, timeseries_summary):
        with pytest.raises(ValueError, match="'trade_top_partner' is not a numeric metric"):
            summary(text, "trade_top_partner")
    with pytest.raises(ValueError, match="not a numeric metric"):
        plot_autonomy(text, metric="trade_top_partner")


def test_a_missing_comparison_year_names_each_year_once():
    table = pd.DataFrame(
        {"scenario": ["a", "b"] * 2, "state": ["KAZ"] * 4, "year": [2030, 2030, 2050, 2050],
         "mean": 0.5, "lower": 0.4, "upper": 0.6, "n": 3, "diff": 0.0, "diff_lower": 0.0,
         "diff_upper": 0.0}
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"it has \[2030, 2050\]$"):
        plot_compare(table, year=2040)
