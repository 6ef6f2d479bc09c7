"""Each figure drawn from the committed fixture tables: the axes, labels, units, series
and legends read back from the matplotlib objects."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from polarsim.codes import DEFAULT_POWERS, DEFAULT_STATES  # noqa: E402
from polarsim.plots import style  # noqa: E402
from polarsim.plots.differences import plot_compare  # noqa: E402
from polarsim.plots.geo import geography, plot_map, power_positions  # noqa: E402
from polarsim.plots.heatmap import heatmap_table, plot_heatmap  # noqa: E402
from polarsim.plots.sensitivity import plot_sensitivity  # noqa: E402
from polarsim.plots.ties import mean_shares, plot_network, plot_tie_shares  # noqa: E402
from polarsim.plots.timeseries import plot_timeseries  # noqa: E402
from polarsim.summaries import comparison_from_states, timeseries_summary  # noqa: E402
from tests.plots.baselines import FIXTURES, runs_states, sweep_tables  # noqa: E402

STATE_NAMES = ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"]


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    return runs_states()


def data_lines(ax) -> list[Line2D]:
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]


def test_timeseries_panels_one_line_per_scenario(states):
    fig = plot_timeseries(states, "autonomy_index")
    visible = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in visible] == STATE_NAMES
    for ax in visible:
        lines = data_lines(ax)
        assert [ln.get_label() for ln in lines] == ["Baseline", "Spheres of influence"]
        assert len(ax.collections) == 2  # one band per scenario
        lo, hi = ax.get_ylim()
        assert 0.0 <= lo < hi <= 1.0
    assert visible[0].get_ylabel() == "Autonomy index (0–1)"
    assert visible[-1].get_xlabel() == "Year"
    legend = [ax for ax in fig.axes if not ax.axison][0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Baseline", "Spheres of influence"]
    assert legend.get_title().get_text() == "mean of n = 3 replicates,\n95 % t interval"
    # the line is the replicate mean
    kaz = visible[0]
    line = data_lines(kaz)[0]
    expected = (
        states.query("scenario == 'baseline' and state == 'KAZ'")
        .groupby("year")["autonomy_index"]
        .mean()
    )
    np.testing.assert_allclose(line.get_ydata(), expected.to_numpy())


def test_timeseries_overlay_uses_state_colours(states):
    one = states[states["scenario"] == "baseline"]
    fig = plot_timeseries(one, "hedging_index", layout="overlay")
    ax = fig.axes[0]
    lines = data_lines(ax)
    assert [ln.get_label() for ln in lines] == STATE_NAMES
    assert [to_hex(ln.get_color()) for ln in lines] == [
        style.colour(s).lower() for s in DEFAULT_STATES
    ]
    with pytest.raises(ValueError, match="overlay shows one scenario"):
        plot_timeseries(states, layout="overlay")


def test_timeseries_summary_n_and_band(states):
    s = timeseries_summary(states, "vulnerability")
    assert (s["n"] == 3).all()
    assert (s["lower"] <= s["mean"]).all() and (s["upper"] >= s["mean"]).all()


def test_compare_levels_and_paired_differences(states):
    table = comparison_from_states(states, "autonomy_index", [2050])
    fig = plot_compare(table, "autonomy_index", 2050)
    level, diff = fig.axes
    assert [t.get_text() for t in level.get_yticklabels()] == STATE_NAMES
    assert level.get_xlabel() == "Autonomy index (0–1) in 2050"
    assert diff.get_xlabel() == "Difference from baseline (0–1 scale)"
    # one errorbar series per scenario on the level axes, the others on the differences
    assert len(level.containers) == 2 and len(diff.containers) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Baseline",
        "Spheres of influence",
    ]
    x = diff.containers[0].lines[0].get_xdata()
    want = table[table["scenario"] == "spheres_of_influence"].set_index("state")["diff"]
    np.testing.assert_allclose(x, want.loc[list(DEFAULT_STATES)].to_numpy())


def test_heatmap_cells_contour_and_labels():
    results, design = sweep_tables()
    t = heatmap_table(results, design, "exclusivity", "rivalry", years=[2050], baseline_year=2024)
    assert len(t) == 16 and (t["n"] == 2).all()
    # the cell mean is the mean over replicates of (2050 - 2024), averaged over states
    r = results[results["run_id"] == 5]
    wide = r.pivot_table(index=["replicate", "state"], columns="year", values="autonomy_index")
    want = (wide[2050] - wide[2024]).groupby("replicate").mean().mean()
    row = design[design["run_id"] == 5].iloc[0]
    got = t[(t["exclusivity"] == row["exclusivity"]) & (t["rivalry"] == row["rivalry"])]
    assert got["mean"].iloc[0] == pytest.approx(want)
    # a table that crosses zero gets the sign-change contour
    crossing = t.assign(mean=t["mean"] - t["mean"].median())
    fig = plot_heatmap(crossing, "exclusivity", "rivalry", years=[2050], baseline_year=2024)
    ax = fig.axes[0]
    assert any(isinstance(c, ContourSet) for c in ax.collections)
    assert "Exclusivity" in ax.get_xlabel() and "Rivalry" in ax.get_ylabel()
    assert fig.axes[1].get_ylabel().startswith("Change in autonomy index (0–1 scale)")
    assert "zero change" in [x.get_text() for x in fig.legends[0].get_texts()]
    # every cell carries its value as text, for grey-scale print
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == 16 and all(c[0] in "+−" for c in cells)


def test_heatmap_without_sign_change_says_so():
    results, design = sweep_tables()
    t = heatmap_table(results, design, "exclusivity", "rivalry", years=[2050], baseline_year=2024)
    assert (t["mean"] > 0).all()  # the fixture's change is positive in every cell
    fig = plot_heatmap(t, "exclusivity", "rivalry", years=[2050], baseline_year=2024)
    ax = fig.axes[0]
    assert not any(isinstance(c, ContourSet) for c in ax.collections)
    texts = [x.get_text() for x in fig.legends[0].get_texts()]
    assert any("no sign change" in x for x in texts)
    # a map of levels has no reference value: colours only, sequential colour map
    level = heatmap_table(results, design, "exclusivity", "rivalry", years=[2050])
    fig = plot_heatmap(level, "exclusivity", "rivalry", years=[2050])
    assert not fig.legends and fig.axes[0].collections[0].get_cmap().name == "cividis"
    assert fig.axes[1].get_ylabel() == "Autonomy index (0–1)\nin 2050"
    with pytest.raises(ValueError, match="was not swept"):
        heatmap_table(results, design, "nope", "rivalry")


def test_heatmap_level_far_from_every_cell_keeps_the_cells_apart():
    # a diverging scale centred far from the data gave every cell one colour
    results, design = sweep_tables()
    level = heatmap_table(results, design, "exclusivity", "rivalry", years=[2050])
    lo, hi = level["mean"].min(), level["mean"].max()
    far = plot_heatmap(level, "exclusivity", "rivalry", years=[2050], level=lo - 10 * (hi - lo))
    mesh = far.axes[0].collections[0]
    assert mesh.get_cmap().name == "cividis"
    assert mesh.norm(lo) == pytest.approx(0.0) and mesh.norm(hi) == pytest.approx(1.0)
    texts = [x.get_text() for x in far.legends[0].get_texts()]
    assert any("every cell mean above" in x for x in texts)
    near = plot_heatmap(level, "exclusivity", "rivalry", years=[2050], level=(lo + hi) / 2)
    assert near.axes[0].collections[0].get_cmap().name == "PuOr_r"
    # just outside the data, within their span: still the diverging scale
    edge = plot_heatmap(level, "exclusivity", "rivalry", years=[2050], level=lo - (hi - lo) / 2)
    assert edge.axes[0].collections[0].get_cmap().name == "PuOr_r"


def test_sensitivity_sobol_and_morris():
    table = pd.read_csv(FIXTURES / "sobol_indices.csv")
    fig = plot_sensitivity(table, "sobol")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Sobol index (share of variance)"
    from matplotlib.container import BarContainer, ErrorbarContainer

    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars) == 2  # S1 and ST
    assert len([c for c in ax.containers if isinstance(c, ErrorbarContainer)]) == 2
    assert all(len(c.patches) == len(table) for c in bars)
    order = table.sort_values("ST", ascending=False)
    np.testing.assert_allclose([p.get_width() for p in bars[1].patches], order["ST"])
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "first order $S_1$",
        "total $S_T$",
    ]
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert ticks[0].endswith(order["parameter"].iloc[0].split(".")[-1].replace("_", " "))
    morris = pd.DataFrame(
        {
            "outcome": "autonomy_index",
            "parameter": ["a", "b"],
            "mu_star": [0.1, 0.3],
            "mu_star_conf": [0.01, 0.02],
            "sigma": [0.05, 0.2],
            "mu": [0.1, -0.3],
        }
    )
    ax = plot_sensitivity(morris, "morris").axes[0]
    assert "$\\mu^*$" in ax.get_xlabel() and "0–1" in ax.get_xlabel()
    assert "$\\sigma$" in ax.get_ylabel()


def test_tie_shares_stack_sums_to_one(states):
    fig = plot_tie_shares(states, scenario="baseline")
    axes = fig.axes
    assert len(axes) == 3 * 5
    assert [ax.get_title() for ax in axes[:5]] == STATE_NAMES
    assert axes[0].get_ylabel().startswith("Infrastructure stock")
    partners = [*DEFAULT_POWERS, "other"]
    assert len(axes[0].collections) == len(partners)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "China",
        "Russia",
        "United States",
        "European Union",
        "Turkey",
        "Other partners",
    ]
    m = mean_shares(states, "trade", "baseline")
    np.testing.assert_allclose(m[partners].sum(axis=1), 1.0, atol=1e-5)
    # one colour per power, the same as in every other figure
    colours = [to_hex(c.get_facecolor()[0]) for c in axes[0].collections]
    assert colours[:5] == [style.colour(p).lower() for p in DEFAULT_POWERS]
    with pytest.raises(ValueError, match="several scenarios"):
        plot_tie_shares(states)


def test_network_draws_ties_above_threshold(states):
    one = states[states["scenario"] == "baseline"]
    fig = plot_network(one, 2050, min_share=0.05)
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == [
        "Infrastructure stock",
        "Trade",
        "Security (arms) stock",
    ]
    m = mean_shares(one, "trade")
    m = m[m["year"] == 2050]
    n_ties = int((m[list(DEFAULT_POWERS)] >= 0.05).to_numpy().sum())
    ties = [ln for ln in axes[1].get_lines() if len(ln.get_xdata()) == 2]
    assert len(ties) == n_ties
    texts = " ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert "China" in texts and "share 0.3" in texts


def test_map_uses_shipped_geography(states):
    geo = geography()
    assert set(geo["states"]) == set(DEFAULT_STATES)
    assert "Natural Earth" in geo["about"]
    pos = power_positions(list(DEFAULT_POWERS))
    assert pos["CHN"][0] > 80 and pos["RUS"][1] > 45  # China east, Russia north
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(pos)  # no overlap
    one = states[states["scenario"] == "baseline"]
    fig = plot_map(one, 2050, arena="trade")
    ax = fig.axes[0]
    assert len(ax.patches) == len(geo["states"]) + len(geo["water"])
    labels = {t.get_text() for t in ax.texts}
    assert {"Kazakhstan", "China", "Russia"} <= labels


def test_heatmap_panels_one_per_state_shared_scale():
    from matplotlib.patches import Rectangle

    from polarsim.plots.heatmap import plot_heatmap_panels

    results, design = sweep_tables()
    tables = {
        s: heatmap_table(
            results,
            design,
            "exclusivity",
            "rivalry",
            years=[2050],
            baseline_year=2024,
            states=[s],
        )
        for s in DEFAULT_STATES
    }
    fig = plot_heatmap_panels(tables, "exclusivity", "rivalry", years=[2050], baseline_year=2024)
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == STATE_NAMES
    meshes = [ax.collections[0] for ax in panels]
    assert len({(m.norm.vmin, m.norm.vmax) for m in meshes}) == 1  # one colour scale
    for ax, code in zip(panels, DEFAULT_STATES, strict=True):
        t = tables[code]
        hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
        assert len(hatched) == int((t["mean"] < 0).sum())
        crosses = t["mean"].min() < 0 < t["mean"].max()
        assert any(isinstance(c, ContourSet) for c in ax.collections) == crosses
    assert "Exclusivity" in fig._supxlabel.get_text()
    assert "Rivalry" in fig._supylabel.get_text()


def test_a_state_the_reference_lacks_keeps_its_level_without_a_difference(states):
    other = states[states["scenario"] == "spheres_of_influence"]
    extra = other[other["state"] == "KAZ"].assign(state="AFG")
    table = comparison_from_states(
        pd.concat([states, extra], ignore_index=True), "autonomy_index", [2050]
    )
    afg = table[table["state"] == "AFG"]
    assert list(afg["scenario"]) == ["spheres_of_influence"]
    assert afg["mean"].notna().all() and afg["diff"].isna().all()
    assert len(table) == 2 * 5 + 1
    fig = plot_compare(table, "autonomy_index", 2050)
    assert len(fig.axes) == 2


def test_a_map_of_levels_with_a_level_labels_its_cells_without_a_sign():
    """`--level 0.7` on a map of levels labelled every cell "+0.703", as a change is
    labelled; a level has no sign to show. A change keeps its sign."""
    results, design = sweep_tables()
    t = heatmap_table(results, design, "exclusivity", "rivalry", years=[2050])
    fig = plot_heatmap(t, "exclusivity", "rivalry", years=[2050], level=float(t["mean"].median()))
    cells = [x.get_text() for x in fig.axes[0].texts]
    assert cells and not any(c[0] in "+−" for c in cells)
    change = heatmap_table(
        results, design, "exclusivity", "rivalry", years=[2050], baseline_year=2024
    )
    fig = plot_heatmap(change, "exclusivity", "rivalry", years=[2050], baseline_year=2024)
    assert all(x.get_text()[0] in "+−" for x in fig.axes[0].texts)
