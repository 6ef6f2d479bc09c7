"""The browser page: Mesa's SolaraViz around the CompetitionModel of a scenario file.

SolaraViz gives the Mesa controls (step, play/pause, reset, play and render interval)
and the parameter card (the levers of polarsim.viz.data, applied on Reset); this module
adds a scenario picker and the model's own components: a status card with the seed,
the autonomy index per state, a map of the current ties, ties by arena (now and over
time for one state) and the event log.

Served by `polarsim viz` (polarsim.viz.serve); `solara run polarsim.viz.app` works too,
with POLARSIM_VIZ_SCENARIO naming the first scenario file.

The autonomy index and the ties are interactive charts (polarsim.viz.charts: Altair's
Vega-Lite drawn by vega-embed, as solara.FigureAltair and Mesa's Altair components do,
with the widget's template pointed at the bundled Vega, see bundled_vega_template).
Mesa's own `make_plot_component(..., backend="altair")` plots DataCollector columns
against the step; this model records into its recorder, by year, per state and arena,
so the page builds its charts from polarsim.viz.data's tables instead. The map stays a
matplotlib image (polarsim.viz.figures): Mesa's Altair backend draws grids and
continuous spaces, not a network of powers and states.

Every component reads `update_counter` (Mesa's signal after a step or reset) and caches
its chart or image on (model, last recorded year), so a step builds each once and a
re-render for any other reason builds nothing. The map is built once per model and
updated in place (polarsim.viz.figures.Painter): a step redraws only the artists that
carry data over a kept bitmap of the rest.
"""

from __future__ import annotations

import functools
import html
import os
import re
from pathlib import Path

import solara
import solara.server.settings
import solara.widgets
import traitlets
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from polarsim.codes import OTHER
from polarsim.errors import PolarsimInputError
from polarsim.plots.style import label
from polarsim.viz import charts, data, figures
from polarsim.viz.serve import DEFAULT_SCENARIO, ENV_SCENARIO

#: The page's own rules over Mesa's SolaraViz: its one-page tab bar ("PAGE 0") hidden,
#: and every slider's value shown beside its thumb at all times (Mesa asks Solara for
#: the default, a value shown only while sliding; Vuetify hides it with an inline
#: display: none that only !important overrides).
PAGE_CSS = """
.v-tabs { display: none !important; }
.v-slider__thumb-label-container { display: block !important; }
.v-slider__thumb-label { transform: translateY(-20%) translateY(-12px) translateX(-50%)
  rotate(45deg) scale(0.85) !important; }
"""

#: Newest events the log shows (a 45-year run logs a few hundred).
EVENT_LOG_ROWS = 400


def initial_scenario() -> Path:
    return Path(os.environ.get(ENV_SCENARIO, DEFAULT_SCENARIO))


def model_params(model: data.ExplorerModel) -> dict:
    """SolaraViz's parameter card: the scenario file (fixed; the picker changes it), the
    seed, and one slider per lever at the scenario's value."""
    params: dict = {
        "scenario_file": model.scenario_file,
        "report_problems": True,
        "seed": {"type": "InputText", "value": str(model.seed), "label": "Seed"},
    }
    for lv in data.levers(model.full_setup.scenario):
        params[lv.key] = {
            "type": "SliderFloat",
            "value": lv.value,
            "min": lv.min,
            "max": lv.max,
            "step": lv.step,
            "label": lv.label,
        }
    return params


def _years(model: data.ExplorerModel) -> tuple[int, int]:
    return int(model.full_setup.years[0]), int(model.full_setup.years[-1])


def status_html(model: data.ExplorerModel) -> str:
    """The status card: scenario, seed, year, headline metrics and the command line."""
    # HTML, not solara.Markdown: Markdown fetches KaTeX from a CDN, which an offline
    # machine cannot reach (a console error and a blank card).
    s = data.summary(model)
    problems = "".join(
        f"<p class='polarsim-problem' style='color:#b00020'><b>{html.escape(p)}</b></p>"
        for p in model.problems
    )
    return problems + (
        f"<p><b>{html.escape(s['scenario'])}</b> · seed <b class='polarsim-seed'>"
        f"{model.seed}</b> · year <b class='polarsim-year'>{s['year']}</b> "
        f"(step {s['step']} of {s['steps']})</p>"
        f"<p>mean autonomy index <b>{s['mean_autonomy']:.3f}</b> · concentration of "
        f"influence CON <b>{s['con']:.3f}</b> · <b>{s['events']}</b> events</p>"
        "<p>The same numbers from the command line:<br>"
        f"<code class='polarsim-command'>{html.escape(model.command())}</code></p>"
    )


@solara.component
def StatusCard(model: data.ExplorerModel):
    update_counter.get()
    with solara.Card("Run", classes=["polarsim-status"]):
        solara.HTML(tag="div", unsafe_innerHTML=status_html(model))


def _partners(model: data.ExplorerModel) -> list[str]:
    return [*model.full_setup.powers, OTHER]


def _painted(model: data.ExplorerModel, make, paint, *keys) -> bytes:
    """A figure built once per model by `make` and repainted by `paint(painter)` when
    the recorded year (or one of `keys`) changes: hooks, so call it from a component."""
    painter = solara.use_memo(make, dependencies=[model])
    return solara.use_memo(
        lambda: paint(painter).png(), dependencies=[model, data.recorded(model), *keys]
    )


def bundled_vega_template() -> str:
    """Solara's Vega-Lite widget template, loading vega, vega-lite and vega-embed at the
    versions solara-assets bundles. Solara asks for `vega@5/…`, which its server does
    not hold (it has `vega@5.21.0/…`) and fetches from jsdelivr: offline, the charts
    would not draw (a 404), online the server would write into its install folder."""
    text = Path(solara.widgets.VegaLite.template_file).read_text()
    cdn = Path(solara.server.settings.assets.proxy_cache_dir)
    for package, major in (("vega", "5"), ("vega-lite", "5"), ("vega-embed", "6")):
        bundled = sorted(
            cdn.glob(f"{package}@{major}.*"),
            key=lambda p: [int(x) for x in re.findall(r"\d+", p.name.split("@")[1])],
        )
        if bundled:  # without solara-assets the server proxies the CDN as before
            text = text.replace(f"/{package}@{major}/", f"/{bundled[-1].name}/")
    return text


@functools.cache
def _vega_template() -> str:
    return bundled_vega_template()


class VegaLite(solara.widgets.VegaLite):
    """Solara's Vega-Lite widget (what solara.FigureAltair and Mesa's Altair components
    draw with) with the template of bundled_vega_template."""

    template_file = None

    @traitlets.default("template")
    def _default_template(self) -> str:
        return _vega_template()


def provenance(model: data.ExplorerModel) -> list[str]:
    """Where a chart's numbers come from, as lines under its title: the command that
    gives them (scenario file, seed, overrides) and the polarsim release and commit."""
    from polarsim import __version__
    from polarsim.provenance import git_commit

    run, *sets = model.command().split(" --set ")  # an override holds no " --set "
    commit = git_commit()
    if commit:  # short, keeping the "-dirty" of a tree that differs from it
        commit = commit[:12] + ("-dirty" if commit.endswith("-dirty") else "")
    made = f"polarsim {__version__}" + (f", commit {commit}" if commit else "")
    return [
        run,
        *_packed([f"--set {s}" for s in sets]),
        f"{made}, year {data.recorded_year(model)}",
    ]


#: Characters of one subtitle line under a chart's title (9 px text across a card of
#: the default width): overrides share a line up to this length.
SOURCE_LINE_CHARS = 80


def _packed(words: list[str], width: int = SOURCE_LINE_CHARS) -> list[str]:
    """`words` joined by spaces into lines of at most `width` characters (a longer word
    has a line of its own), each indented by two spaces. One line per override made the
    subtitle grow with every moved slider and pushed the chart's legend out of its card."""
    lines: list[str] = []
    for w in words:
        if lines and len(lines[-1]) + 1 + len(w) <= width:
            lines[-1] += " " + w
        else:
            lines.append("  " + w)
    return lines


def download_name(model: data.ExplorerModel, chart: str) -> str:
    """File name (without suffix) of a chart saved from the page."""
    name = model.full_setup.scenario.name
    sets = "-set" if model.overrides else ""
    return f"polarsim-{name}-seed{model.seed}{sets}-{chart}-{data.recorded_year(model)}"


def _chart(model: data.ExplorerModel, make, fill, *keys) -> dict:
    """A chart's template built once per model (and `keys`) by `make`, filled by
    `fill(template)` when the recorded year changes: hooks, so call it from a component."""
    template = solara.use_memo(lambda: charts.spec(make()), dependencies=[model, *keys])
    return solara.use_memo(
        lambda: fill(template), dependencies=[model, data.recorded(model), *keys]
    )


@solara.component
def AutonomyPlot(model: data.ExplorerModel):
    update_counter.get()
    spec = _chart(
        model,
        lambda: charts.autonomy_chart(list(model.full_setup.states), _years(model)),
        lambda t: charts.with_rows(
            t,
            charts.autonomy_rows(data.autonomy_frame(model)),
            source=provenance(model),
            filename=download_name(model, "autonomy"),
        ),
    )
    with solara.Card("Autonomy index per state", classes=["polarsim-autonomy"]):
        VegaLite.element(spec=spec)


@solara.component
def TiesMap(model: data.ExplorerModel):
    update_counter.get()

    def paint(painter: figures.NetworkPainter) -> figures.NetworkPainter:
        autonomy = data.autonomy_frame(model).iloc[-1]
        return painter.update(data.network_edges(model), autonomy, data.recorded_year(model))

    image = _painted(
        model,
        lambda: figures.NetworkPainter(
            list(model.full_setup.powers), list(model.full_setup.states)
        ),
        paint,
    )
    with solara.Card("Ties of the current year", classes=["polarsim-map"]):
        solara.Image(image, width="100%")


@solara.component
def TiesByArena(model: data.ExplorerModel):
    update_counter.get()

    def fill(template: dict) -> dict:
        year = data.recorded_year(model)
        rows = charts.ties_rows(data.ties_frame(model), year)
        return charts.with_rows(
            template,
            rows,
            title=f"Ties by arena, {year}",
            source=provenance(model),
            filename=download_name(model, "ties"),
        )

    spec = _chart(
        model,
        lambda: charts.ties_chart(
            list(data.ARENA_ORDER), list(model.full_setup.states), _partners(model)
        ),
        fill,
    )
    with solara.Card("Ties by arena", classes=["polarsim-ties"]):
        VegaLite.element(spec=spec)


@solara.component
def TiesOverTime(model: data.ExplorerModel):
    update_counter.get()
    states = list(model.full_setup.states)
    chosen, set_chosen = solara.use_state(states[0])
    state = chosen if chosen in states else states[0]
    spec = _chart(
        model,
        lambda: charts.ties_history_chart(
            list(data.ARENA_ORDER), _partners(model), state, _years(model)
        ),
        lambda t: charts.with_rows(
            t,
            charts.ties_history_rows(data.ties_history(model, state), state),
            source=provenance(model),
            filename=download_name(model, f"ties-{state}"),
        ),
        state,
    )
    with solara.Card("Ties of one state over time", classes=["polarsim-ties-history"]):
        solara.Select("State", values=states, value=state, on_value=set_chosen)
        VegaLite.element(spec=spec)


def event_log_html(model: data.ExplorerModel, rows: int = EVENT_LOG_ROWS) -> str:
    """The event log as an HTML table, newest first; this year's events in bold."""
    log = data.event_log(model, limit=rows)
    year = data.recorded_year(model)
    head = f"<p class='polarsim-event-count'>{len(model.events)} events up to {year}</p>"
    if log.empty:
        return head + "<p>No events yet: step the model.</p>"
    body = "".join(
        f"<tr{' class=polarsim-now style=font-weight:bold' if y == year else ''}>"
        f"<td style='padding:0 0.8em 0 0;vertical-align:top'>{y}</td>"
        f"<td>{html.escape(t)}</td></tr>"
        for y, t in zip(log["year"], log["text"], strict=True)
    )
    return (
        head + "<div style='max-height:17em;overflow-y:auto'>"
        "<table class='polarsim-events' style='border-collapse:collapse;font-size:0.85em'>"
        f"<tbody>{body}</tbody></table></div>"
    )


@solara.component
def EventLog(model: data.ExplorerModel):
    update_counter.get()
    text = solara.use_memo(
        lambda: event_log_html(model), dependencies=[model, data.recorded(model), len(model.events)]
    )
    with solara.Card("Event log", classes=["polarsim-event-log"]):
        solara.HTML(tag="div", unsafe_innerHTML=text)


COMPONENTS = [StatusCard, AutonomyPlot, TiesMap, TiesByArena, TiesOverTime, EventLog]


@solara.component
def Page():
    first = initial_scenario()
    files = {p.name: p for p in data.scenario_files(first.parent)}
    if first.name not in files:  # a file outside the folder's *.yaml (another suffix)
        files = {first.name: first, **files}
    name, set_name = solara.use_state(first.name)
    # The file whose SolaraViz is on the page: one render behind `name` (see below).
    mounted, set_mounted = solara.use_state(name)
    solara.use_effect(lambda: set_mounted(name), [name])

    def load() -> tuple[data.ExplorerModel | None, str | None]:
        # a broken file in the folder must not take the page down: say what is wrong
        try:
            return data.explorer_for(files[name])(), None
        except PolarsimInputError as exc:
            return None, str(exc)

    model, error = solara.use_memo(load, dependencies=[name])
    params = solara.use_memo(
        lambda: model_params(model) if model is not None else {}, dependencies=[model]
    )
    solara.Title(f"polarsim · {name}")
    solara.Style(PAGE_CSS)
    with solara.Sidebar():
        with solara.Card("Scenario", classes=["polarsim-scenario"]):
            solara.Select("Scenario file", values=list(files), value=name, on_value=set_name)
            solara.Text(
                "Picking a file loads it at once. Move the sliders or the seed below, "
                "then Reset to apply them; Step and ▶ run the years."
            )
    if model is None:
        solara.Error(error, classes=["polarsim-problem"])  # names the file and field
        return
    if mounted != name:
        # Another file was picked: one render without SolaraViz before its new one.
        # SolaraViz puts its controls and sliders in the sidebar through Solara's
        # portal, whose children the AppLayout matches by position: a new SolaraViz
        # (even under another key) got the old one's slider and seed widgets, with
        # their state, so a moved slider kept its position while the new file's
        # model and command used the file's value (and a slider whose file value was
        # the old one's never moved back). Taking SolaraViz off for a render empties
        # that place in the sidebar, so the new one mounts fresh controls, at the
        # file's values, with no moved value left over.
        return
    SolaraViz(
        model,
        components=COMPONENTS,
        model_params=params,
        name="polarsim: " + label(model.full_setup.scenario.name),
    ).key(f"viz-{name}")  # the cards of the main area: fresh for each file
