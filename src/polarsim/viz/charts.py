"""The page's interactive charts: Vega-Lite specifications built with Altair, filled
with rows from the tables of polarsim.viz.data (no Solara needed, so tests build them
too).

A chart is built once per model (and state) as a template, its data a named dataset
left empty; a step only puts the year's rows in (`with_rows`). Building the Altair
chart with its data each step took most of the time (Altair copies a layered or
faceted chart, data included, several times while composing it).

The browser draws them with vega-embed: hovering a point or bar shows its year, state,
partner and value; clicking a legend entry highlights that actor; the line charts zoom
on the years with the mouse wheel and pan by dragging (double-click resets). Colours,
line dashes, display names and the order of states and partners are those of the
static figures (polarsim.plots.style, polarsim.viz.figures.partner_label).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from polarsim.plots.style import LineStyle, colour, label, linestyle
from polarsim.viz.data import ARENA_LABELS
from polarsim.viz.figures import partner_label

#: Size of a one-panel chart (pixels): the plotting area of a card of SolaraViz's
#: default width in a 1500 px window, legend below.
CHART_WIDTH = 400
CHART_HEIGHT = 200
#: Size of one arena's panel in the three-panel charts (pixels), so three sit side by
#: side in a card of the default width and stay readable.
PANEL_WIDTH = 110
PANEL_HEIGHT = 110
#: Height of one state's bar in the ties-by-arena chart (pixels).
BAR_STEP = 13
#: Text sizes (px): the charts sit in cards beside body text of about 14 px.
FONT = {"labelFontSize": 11, "titleFontSize": 12}
#: Vega-Lite of the front end that draws the charts (solara-assets ships vega-lite 5.2;
#: polarsim.viz.app loads it). The specs use nothing newer, and naming this schema
#: keeps vega-embed from warning about the version of Altair's own (v6).
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: Height of one subtitle line (9 px text) and the number of lines a chart's card has
#: room for (the command and the release): each line more takes its height from the
#: plotting area, down to MIN_CHART_HEIGHT, so the legend below stays in the card.
SUBTITLE_LINE = 11
SUBTITLE_LINES_FITTED = 2
MIN_CHART_HEIGHT = 100
#: Name of the dataset a template leaves for with_rows to fill.
ROWS = "rows"
#: vega-embed's options: SVG (sharp at any zoom; every mark an element with its data
#: in an ARIA label, which the browser test reads), and in the "…" menu export as SVG
#: or PNG only, nothing that needs the internet (the Vega editor) or shows the JSON.
EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


def dash(style: LineStyle) -> list[float]:
    """A matplotlib line style as an SVG dash array (lines about 2 px wide), so a line
    reads as in the static figures in grey scale too."""
    if isinstance(style, tuple):
        return [2.0 * x for x in style[1]]
    return {"--": [6.0, 3.0], "-.": [6.0, 2.0, 1.5, 2.0], ":": [1.5, 2.5]}.get(style, [1.0, 0.0])


def _actor_scales(codes: list[str], names: list[str]) -> tuple[alt.Scale, alt.Scale]:
    """Colour and dash scales keyed by display name, in the given order."""
    return (
        alt.Scale(domain=names, range=[colour(c) for c in codes]),
        alt.Scale(domain=names, range=[dash(linestyle(c)) for c in codes]),
    )


def _year_axis(title: str | None = "year") -> alt.Axis:
    # "d": 2020, not 2,020
    return alt.Axis(format="d", title=title, tickMinStep=1)


def _legend(columns: int, lines: bool = True) -> alt.Legend:
    # a line's legend entry is a short stretch of it, with its dashes
    symbol = {"symbolType": "stroke", "symbolStrokeWidth": 2} if lines else {}
    return alt.Legend(orient="bottom", title=None, columns=columns, **symbol)


def _decades(years: tuple[int, int]) -> list[int]:
    """Year ticks of the narrow panels: the decades of the scenario."""
    return list(range(-(-years[0] // 10) * 10, years[1] + 1, 10))


def _lines(
    base: alt.Chart, dashes: alt.StrokeDash, pick: alt.Parameter, width: float, point: float
) -> alt.LayerChart:
    """Lines with a point at every year to hover. The legend selection sits on the
    lines, whose colour and dash make the legend (on the points, Vega-Lite 5.2 leaves
    the legend inert); a line's own point overlay would define it twice ("Duplicate
    signal name")."""
    return alt.layer(
        base.mark_line(strokeWidth=width).encode(strokeDash=dashes).add_params(pick),
        base.mark_point(size=point, filled=True),
    )


def _rows() -> alt.NamedData:
    return alt.NamedData(name=ROWS)


def autonomy_chart(
    states: list[str], years: tuple[int, int], metric_label: str = "autonomy index"
) -> alt.LayerChart:
    """Lines per state of a metric over the years so far (rows: autonomy_rows); the x
    axis spans the whole scenario so the run's progress shows."""
    names = [label(s) for s in states]
    colours, dashes = _actor_scales(states, names)
    pick = alt.selection_point(name="pick", fields=["state"], bind="legend")
    base = alt.Chart(_rows()).encode(
        x=alt.X("year:Q", scale=alt.Scale(domain=list(years), nice=False), axis=_year_axis()),
        y=alt.Y("value:Q", scale=alt.Scale(domain=[0.0, 1.0]), title=metric_label),
        color=alt.Color("state:N", scale=colours, sort=names, legend=_legend(3)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("state:N"),
            alt.Tooltip("value:Q", title=metric_label, format=".3f"),
        ],
    )
    dashes_by_state = alt.StrokeDash("state:N", scale=dashes, sort=names, legend=_legend(3))
    zoom = alt.selection_interval(name="zoom", bind="scales", encodings=["x"])
    return (
        _lines(base, dashes_by_state, pick, 2.0, 24)
        .add_params(zoom)
        .properties(
            width=CHART_WIDTH, height=CHART_HEIGHT, title=f"{metric_label.capitalize()} per state"
        )
    )


def autonomy_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of autonomy_chart from data.autonomy_frame: year, state (its name),
    value."""
    names = [label(s) for s in frame.columns]
    values = frame.to_numpy()
    return [
        {"year": int(y), "state": n, "value": float(v)}
        for y, row in zip(frame.index, values, strict=True)
        for n, v in zip(names, row, strict=True)
    ]


def ties_chart(arenas: list[str], states: list[str], partners: list[str]) -> alt.FacetChart:
    """Each state's ties in one year, one panel per arena: a bar per state split by
    partner (rows: ties_rows; the year goes in the title with with_rows)."""
    names = [partner_label(p) for p in partners]
    colours, _ = _actor_scales(partners, names)
    pick = alt.selection_point(name="pick", fields=["partner"], bind="legend")
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y("state:N", sort=states, title=None),
            x=alt.X(
                "share:Q",
                stack="zero",
                scale=alt.Scale(domain=[0.0, 1.0]),
                axis=alt.Axis(format="%", tickCount=4),
                title="share",
            ),
            color=alt.Color("partner:N", scale=colours, sort=names, legend=_legend(4, False)),
            order=alt.Order("rank:Q"),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("state_name:N", title="state"),
                alt.Tooltip("arena:N"),
                alt.Tooltip("partner:N"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .add_params(pick)
        .properties(width=PANEL_WIDTH, height=alt.Step(BAR_STEP))
    )
    return bars.facet(
        data=_rows(),
        column=alt.Column("arena:N", sort=[ARENA_LABELS[a] for a in arenas], title=None),
        title="Ties by arena",
    )


def ties_rows(frame: pd.DataFrame, year: int) -> list[dict[str, Any]]:
    """The rows of ties_chart from data.ties_frame: arena (its name), state (code and
    name), partner (name and rank in the legend's order), share, year."""
    names = [partner_label(p) for p in frame.columns]
    values = frame.to_numpy()
    return [
        {
            "arena": ARENA_LABELS[arena],
            "state": state,
            "state_name": label(state),
            "partner": n,
            "rank": rank,
            "share": float(v),
            "year": int(year),
        }
        for (arena, state), row in zip(frame.index, values, strict=True)
        for rank, (n, v) in enumerate(zip(names, row, strict=True))
    ]


def ties_history_chart(
    arenas: list[str], partners: list[str], state: str, years: tuple[int, int]
) -> alt.FacetChart:
    """One state's shares by partner over the years so far, one panel per arena
    (rows: ties_history_rows)."""
    names = [partner_label(p) for p in partners]
    colours, dashes = _actor_scales(partners, names)
    pick = alt.selection_point(name="pick", fields=["partner"], bind="legend")
    base = alt.Chart().encode(
        x=alt.X(
            "year:Q",
            scale=alt.Scale(domain=list(years), nice=False),
            axis=alt.Axis(format="d", title=None, values=_decades(years)),
        ),
        y=alt.Y("share:Q", scale=alt.Scale(domain=[0.0, 1.0]), axis=alt.Axis(format="%")),
        color=alt.Color("partner:N", scale=colours, sort=names, legend=_legend(4)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.12)),
        tooltip=[
            alt.Tooltip("year:Q", format="d"),
            alt.Tooltip("state:N"),
            alt.Tooltip("arena:N"),
            alt.Tooltip("partner:N"),
            alt.Tooltip("share:Q", format=".1%"),
        ],
    )
    dashes_by_partner = alt.StrokeDash("partner:N", scale=dashes, sort=names, legend=_legend(4))
    lines = _lines(base, dashes_by_partner, pick, 1.8, 14).properties(
        width=PANEL_WIDTH, height=PANEL_HEIGHT
    )
    return lines.facet(
        data=_rows(),
        column=alt.Column("arena:N", sort=[ARENA_LABELS[a] for a in arenas], title=None),
        title=f"{label(state)}: ties by arena",
    )


def ties_history_rows(history: pd.DataFrame, state: str) -> list[dict[str, Any]]:
    """The rows of ties_history_chart from data.ties_history: year, state (its name),
    arena and partner (names), share."""
    name = label(state)
    columns = [(ARENA_LABELS[a], partner_label(p)) for a, p in history.columns]
    values = history.to_numpy()
    return [
        {"year": int(y), "state": name, "arena": a, "partner": p, "share": float(v)}
        for y, row in zip(history.index, values, strict=True)
        for (a, p), v in zip(columns, row, strict=True)
    ]


def spec(chart: alt.TopLevelMixin, validate: bool = False) -> dict[str, Any]:
    """The chart as the Vega-Lite dictionary the page sends to the browser, with the
    page's fonts and embed options, and no rows yet (with_rows). Altair's schema check
    takes longer than building the chart; the tests run it."""
    chart = chart.configure_axis(**FONT).configure_legend(**FONT).configure_header(**FONT)
    chart = chart.configure_title(fontSize=13)
    out = chart.to_dict(validate=validate)
    out["$schema"] = VEGA_LITE_SCHEMA
    out["usermeta"] = {"embedOptions": EMBED_OPTIONS}
    out["datasets"] = {ROWS: []}
    return out


def with_rows(
    template: dict[str, Any],
    rows: list[dict[str, Any]],
    title: str | None = None,
    source: list[str] | None = None,
    filename: str | None = None,
) -> dict[str, Any]:
    """A template of `spec` with its rows (and a new title): a new dictionary, so the
    widget sees the change; the template is left as it is.

    `source` (lines of text: the command that gives these numbers) goes under the
    title, so a chart saved through the "…" menu says where its numbers come from;
    `filename` names the saved file (without suffix)."""
    out = {**template, "datasets": {ROWS: rows}}
    text = title if title is not None else template.get("title")
    if source:
        out["title"] = {
            "text": text or "",
            "subtitle": list(source),
            "subtitleFontSize": 9,
            "subtitleColor": "#555",
            "anchor": "start",
        }
        extra = len(source) - SUBTITLE_LINES_FITTED
        if extra > 0 and isinstance(template.get("height"), int | float):
            out["height"] = max(MIN_CHART_HEIGHT, template["height"] - SUBTITLE_LINE * extra)
    elif title is not None:
        out["title"] = title
    if filename is not None:
        out["usermeta"] = {
            **template.get("usermeta", {}),
            "embedOptions": {
                **template.get("usermeta", {}).get("embedOptions", {}),
                "downloadFileName": filename,
            },
        }
    return out
