"""The page's data without a browser: levers, the model it steps, the tables behind its
plots and event log, and the figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from polarsim import load_scenario, run
from polarsim.errors import PolarsimInputError
from polarsim.scenario.actors import PowerSpec
from polarsim.viz import data, figures
from tests.conftest import SCENARIOS

BASELINE = SCENARIOS / "baseline.yaml"
START = load_scenario(BASELINE).time.start_year
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


@pytest.fixture(scope="module")
def stepped():
    """The baseline stepped ten years with seed 3."""
    m = data.ExplorerModel(BASELINE, seed=3)
    for _ in range(10):
        m.step()
    return m


def test_levers_cover_powers_states_and_mechanisms_at_scenario_values(baseline):
    levers = {lv.key: lv for lv in data.levers(baseline)}
    for code, p in baseline.powers.items():
        assert levers[f"exclusivity_{code}"].value == p.exclusivity
        assert levers[f"budget_{code}"].value == p.budget_pct_gdp
        assert levers[f"exclusivity_{code}"].path == f"powers.{code}.exclusivity"
    for code in baseline.states:
        assert 0 <= levers[f"autonomy_{code}"].value <= 1
    assert levers["coordination"].path == "parameters.responses.coordination"
    # ranges from the schema; every scenario value sits inside its slider
    assert (levers["exclusivity_RUS"].min, levers["exclusivity_RUS"].max) == (0.0, 1.0)
    assert levers["decisiveness"].min == 0.1
    for lv in levers.values():
        assert lv.min <= lv.value <= lv.max and lv.step > 0
    # budgets are small: the slider is finer than the smallest catalogue budget
    assert levers["budget_EU"].step < levers["budget_EU"].value
    schema_max = [getattr(m, "le", None) for m in PowerSpec.model_fields["budget_pct_gdp"].metadata]
    assert levers["budget_CHN"].max <= max(x for x in schema_max if x is not None)


def test_autonomy_lever_uses_the_doctrine_value_when_the_file_leaves_it_open(baseline):
    from polarsim.model.doctrines import STATE_DOCTRINES

    levers = {lv.key: lv for lv in data.levers(baseline)}
    for code, st in baseline.states.items():
        want = st.autonomy_preference
        if want is None:
            want = STATE_DOCTRINES[st.doctrine].autonomy_preference
        assert levers[f"autonomy_{code}"].value == want


def test_overrides_only_for_moved_levers(baseline):
    same = {lv.key: lv.value for lv in data.levers(baseline)}
    assert data.lever_overrides(baseline, same) == []
    moved = {**same, "exclusivity_RUS": 0.9, "coordination": 0.25}
    assert sorted(data.lever_overrides(baseline, moved)) == [
        "parameters.responses.coordination=0.25",
        "powers.RUS.exclusivity=0.9",
    ]
    # a slider's float noise is not a change
    assert data.lever_overrides(baseline, {"exclusivity_RUS": 0.6 + 1e-9}) == []


def test_bad_levers_and_seeds_are_clear_errors(baseline):
    with pytest.raises(PolarsimInputError, match="unknown lever.*exclusivity_XXX"):
        data.lever_overrides(baseline, {"exclusivity_XXX": 0.5})
    with pytest.raises(PolarsimInputError, match="exclusivity_RUS: expected a number"):
        data.lever_overrides(baseline, {"exclusivity_RUS": "high"})
    for bad in ("-1", "1.5", "abc", ""):
        with pytest.raises(PolarsimInputError, match="seed: expected a whole number"):
            data.parse_seed(bad)
    assert data.parse_seed(" 42 ") == 42


def test_explorer_model_reproduces_polarsim_run(baseline):
    """Seed S on the page gives the numbers of `polarsim run FILE --seed S`."""
    m = data.ExplorerModel(BASELINE, seed=7)
    while m.running:
        m.step()
    ours = m.recorder.tables(m.events)["states"]
    theirs = run(BASELINE, seed=7, replicates=1).states
    pd.testing.assert_frame_equal(ours, theirs)
    assert m.command() == f"polarsim run {BASELINE} --seed 7"


def test_explorer_model_applies_levers_as_set_overrides():
    m = data.ExplorerModel(BASELINE, seed="2", exclusivity_RUS=0.9, coordination=0.5)
    assert sorted(m.overrides) == [
        "parameters.responses.coordination=0.5",
        "powers.RUS.exclusivity=0.9",
    ]
    assert m.exclusivity[m.setup.powers.index("RUS")] == 0.9
    assert m.coordination == 0.5
    for _ in range(5):
        m.step()
    ref = run(BASELINE, seed=2, overrides=m.overrides).states
    got = m.recorder.states_table()
    np.testing.assert_array_equal(
        got["autonomy_index"], ref[ref["year"] <= m.year]["autonomy_index"]
    )
    assert "--set powers.RUS.exclusivity=0.9" in m.command()


def test_mesa_reset_path_rebuilds_the_model():
    """SolaraViz's Reset: the parameter card's values through Mesa's own kwargs
    builder (it adds an experimental Scenario object, which the model ignores)."""
    pytest.importorskip("solara")
    from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params

    from polarsim.viz.app import model_params

    m = data.ExplorerModel(BASELINE, seed=0)
    params = model_params(m)
    _check_model_params(m, params)
    values = {k: (v["value"] if isinstance(v, dict) else v) for k, v in params.items()} | {
        "exclusivity_CHN": 0.5,
        "seed": "11",
    }
    kwargs = _build_model_init_kwargs(
        m, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    fresh = type(m)(**kwargs)
    assert fresh.seed == 11
    assert fresh.overrides == ["powers.CHN.exclusivity=0.5"]
    assert fresh.t == 0 and fresh.year == fresh.setup.years[0] == START


def test_mesa_reset_after_picking_a_scenario_rebuilds_that_scenario():
    """After the scenario picker changed the file, Mesa's Reset rebuilt the model from a
    parameter card that held nothing: ExplorerModel() without its file raised a
    TypeError and the page showed a traceback. The page's model class carries its file."""
    pytest.importorskip("solara")
    from mesa.visualization.solara_viz import _build_model_init_kwargs

    other = SCENARIOS / "open_competition.yaml"
    m = data.explorer_for(other)()
    assert m.scenario_file == str(other) and m.seed == 0 and m.problems == []
    kwargs = _build_model_init_kwargs(
        m, {}, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    fresh = type(m)(**kwargs)
    assert fresh.scenario_file == str(other) and fresh.command() == m.command()
    assert isinstance(fresh, data.ExplorerModel)
    moved = type(m)(**{**kwargs, "seed": "x"})  # a bad seed is still a message
    assert moved.seed == 0 and "using seed 0" in moved.problems[0]


def test_autonomy_frame_matches_the_states_table(stepped):
    frame = data.autonomy_frame(stepped)
    assert list(frame.index) == list(range(START, START + 11))
    assert list(frame.columns) == list(stepped.setup.states)
    table = stepped.recorder.states_table()
    want = table.pivot(index="year", columns="state", values="autonomy_index")
    pd.testing.assert_frame_equal(
        frame, want[frame.columns].rename_axis(index="year", columns="state"), check_dtype=False
    )


def test_ties_tables_agree_with_the_states_table(stepped):
    ties = data.ties_frame(stepped)
    np.testing.assert_allclose(ties.sum(axis=1), 1.0)
    assert list(ties.index.get_level_values("arena").unique()) == ["trade", "infra", "security"]
    table = stepped.recorder.states_table()
    now = table[table["year"] == stepped.year].set_index("state")
    for arena in ("trade", "infra", "security"):
        for p in [*stepped.setup.powers, "other"]:
            np.testing.assert_allclose(
                ties.loc[arena][p].to_numpy(), now[f"{arena}_share_{p}"].to_numpy()
            )
    hist = data.ties_history(stepped, "KGZ")
    assert len(hist) == stepped.t + 1
    np.testing.assert_allclose(
        hist.iloc[-1]["security"].to_numpy(), ties.loc[("security", "KGZ")].to_numpy()
    )
    with pytest.raises(PolarsimInputError, match="unknown state 'XXX'"):
        data.ties_history(stepped, "XXX")


def test_network_edges_use_the_metrics_arena_weights(stepped):
    edges = data.network_edges(stepped)
    w = stepped.setup.arena_weights  # order of polarsim.model.ties.ARENAS: infra, trade, security
    row = edges[(edges["power"] == "RUS") & (edges["state"] == "TJK")].iloc[0]
    want = w[0] * row["infra"] + w[1] * row["trade"] + w[2] * row["security"]
    assert row["composite"] == pytest.approx(want)
    assert (edges["composite"] > 0).all()


def test_event_log_newest_first_in_words(stepped):
    log = data.event_log(stepped)
    assert len(log) == len(stepped.events)
    assert list(log["year"]) == sorted(log["year"], reverse=True)
    assert log["year"].iloc[0] <= stepped.year
    assert log["text"].str.len().min() > 0
    assert len(data.event_log(stepped, limit=3)) == 3
    assert data.event_log(stepped, limit=3)["text"].tolist() == log["text"].head(3).tolist()


@pytest.mark.parametrize(
    ("event", "text"),
    [
        (("membership_join", "KGZ", "EAEU", "", 1.0), "KGZ joins EAEU"),
        (("membership_leave", "UZB", "CSTO", "left 2012", 1.0), "UZB leaves CSTO: left 2012"),
        (("coercion", "RUS", "TJK", "remittances", 1.0), "RUS coerces TJK (remittances)"),
        (("base_close", "USA", "UZB", "", 1.0), "USA closes its base in UZB"),
        (("sanctions", "EU+USA", "RUS", "", 0.5), "EU+USA sanction RUS (intensity 0.5)"),
        (("retrenchment", "USA", "", "", -0.3), "USA retrenches (budget -30%)"),
        (("project_stalled", "CHN", "KGZ", "rail", 1.0), "project stalled: CHN -> KGZ (rail)"),
        (("something_new", "", "", "", 0.0), "something new"),
    ],
)
def test_event_text(event, text):
    assert data.event_text(*event) == text


def test_summary_and_scenario_files(stepped, tmp_path):
    s = data.summary(stepped)
    assert (s["year"], s["step"], s["steps"]) == (START + 10, 10, 2050 - START)
    assert s["mean_autonomy"] == pytest.approx(stepped.mean_autonomy())
    names = [p.name for p in data.scenario_files(SCENARIOS)]
    assert "baseline.yaml" in names and names == sorted(names)
    with pytest.raises(PolarsimInputError, match="no scenario files"):
        data.scenario_files(tmp_path)
    with pytest.raises(PolarsimInputError, match="not a folder"):
        data.scenario_files(tmp_path / "missing")


def test_figures_render_and_follow_the_data(stepped):
    years = (START, 2050)
    first = data.ExplorerModel(BASELINE, seed=3)
    pngs = []
    for m in (first, stepped):
        autonomy = data.autonomy_frame(m)
        pngs.append(
            [
                figures.png(figures.autonomy_figure(autonomy, years, "autonomy index")),
                figures.png(figures.ties_figure(data.ties_frame(m), m.year)),
                figures.png(figures.ties_history_figure(data.ties_history(m, "KAZ"), "KAZ", years)),
                figures.png(
                    figures.network_figure(
                        data.network_edges(m), list(m.setup.powers), autonomy.iloc[-1], m.year
                    )
                ),
            ]
        )
    for before, after in zip(*pngs, strict=True):
        assert before.startswith(PNG_MAGIC) and after.startswith(PNG_MAGIC)
        assert before != after


def test_map_places_powers_the_table_does_not_know(stepped):
    autonomy = data.autonomy_frame(stepped).iloc[-1]
    edges = data.network_edges(stepped)
    fig = figures.network_figure(edges, [*stepped.setup.powers, "XYZ"], autonomy, START + 10)
    assert figures.png(fig).startswith(PNG_MAGIC)


def test_event_log_html_escapes_and_marks_this_year(stepped):
    pytest.importorskip("solara")
    from polarsim.viz.app import event_log_html, status_html

    m = data.ExplorerModel(BASELINE, seed=0)
    assert "No events yet" in event_log_html(m)
    m.step()
    m.log_event("unrest", "", "KGZ", "<script>alert(1)</script>", 0.5)
    text = event_log_html(m)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert f"{len(m.events)} events up to {START + 1}" in text
    assert text.count("polarsim-now") == sum(1 for e in m.events if e[1] == START + 1)
    assert "polarsim run" in status_html(stepped)


def test_page_mode_reports_bad_input_instead_of_raising():
    m = data.ExplorerModel(BASELINE, seed="abc", report_problems=True, exclusivity_RUS=0.9)
    assert m.seed == 0 and m.problems == [
        "seed: expected a whole number >= 0, found 'abc'; using seed 0"
    ]
    assert m.overrides == ["powers.RUS.exclusivity=0.9"]
    m = data.ExplorerModel(BASELINE, report_problems=True, exclusivity_XXX=0.9)
    assert m.overrides == [] and "unknown lever(s) exclusivity_XXX" in m.problems[0]
    with pytest.raises(PolarsimInputError):
        data.ExplorerModel(BASELINE, seed="abc")


def _chart_rows(spec: dict) -> list[dict]:
    """The rows of a chart's data (Altair puts them in the spec's datasets)."""
    (rows,) = spec["datasets"].values()
    return rows


def _encoding(spec: dict) -> dict:
    """The encodings of a chart's (first) unit, through facets and layers."""
    unit = spec.get("spec", spec)
    return unit["layer"][0]["encoding"] if "layer" in unit else unit["encoding"]


def test_charts_carry_the_tables_with_the_figures_names_order_and_colours(stepped):
    pytest.importorskip("altair")
    from polarsim.plots.style import colour, label
    from polarsim.viz import charts
    from polarsim.viz.figures import partner_label

    years = (START, 2050)
    arenas = list(data.ARENA_ORDER)
    states = list(stepped.setup.states)
    partners = [*stepped.setup.powers, "other"]
    frame = data.autonomy_frame(stepped)
    # validate: Altair's schema check, which the page skips for speed
    template = charts.spec(charts.autonomy_chart(states, years), validate=True)
    autonomy = charts.with_rows(template, charts.autonomy_rows(frame))
    assert template["datasets"] == {charts.ROWS: []}  # filling leaves the template empty
    assert {(r["year"], r["state"]): r["value"] for r in _chart_rows(autonomy)} == {
        (y, label(s)): frame.loc[y, s] for y in frame.index for s in states
    }
    color = _encoding(autonomy)["color"]
    assert color["scale"]["domain"] == [label(s) for s in states]
    assert color["scale"]["range"] == [colour(s) for s in states]
    tips = [t.get("title", t["field"]) for t in _encoding(autonomy)["tooltip"]]
    assert tips == ["year", "state", "autonomy index"]

    ties = data.ties_frame(stepped)
    template = charts.spec(charts.ties_chart(arenas, states, partners), validate=True)
    spec = charts.with_rows(template, charts.ties_rows(ties, stepped.year), title="T")
    assert spec["title"] == "T" and template["title"] == "Ties by arena"
    rows = _chart_rows(spec)
    assert {r["year"] for r in rows} == {stepped.year}
    got = {(r["arena"], r["state"], r["partner"]): r["share"] for r in rows}
    assert got == {
        (data.ARENA_LABELS[a], s, partner_label(p)): ties.loc[(a, s), p]
        for a in arenas
        for s in states
        for p in partners
    }
    assert _encoding(spec)["color"]["scale"]["domain"] == [partner_label(p) for p in partners]
    assert _encoding(spec)["y"]["sort"] == states
    assert spec["facet"]["column"]["sort"] == [data.ARENA_LABELS[a] for a in arenas]

    history = data.ties_history(stepped, "KGZ")
    template = charts.ties_history_chart(arenas, partners, "KGZ", years)
    spec = charts.with_rows(
        charts.spec(template, validate=True), charts.ties_history_rows(history, "KGZ")
    )
    rows = _chart_rows(spec)
    assert len(rows) == history.size and {r["state"] for r in rows} == {label("KGZ")}
    last = {(r["arena"], r["partner"]): r["share"] for r in rows if r["year"] == stepped.year}
    assert last == {
        (data.ARENA_LABELS[a], partner_label(p)): history.iloc[-1][(a, p)]
        for a, p in history.columns
    }
    # what the browser draws with: the bundled Vega-Lite 5, SVG, no online actions
    assert spec["$schema"] == charts.VEGA_LITE_SCHEMA
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    assert spec["usermeta"]["embedOptions"]["actions"]["editor"] is False


def test_chart_rows_follow_the_data(stepped):
    pytest.importorskip("altair")
    from polarsim.viz import charts

    first = data.ExplorerModel(BASELINE, seed=3)
    for rows in (
        lambda m: charts.autonomy_rows(data.autonomy_frame(m)),
        lambda m: charts.ties_rows(data.ties_frame(m), m.year),
        lambda m: charts.ties_history_rows(data.ties_history(m, "KAZ"), "KAZ"),
    ):
        assert rows(first) != rows(stepped)


def test_line_dashes_follow_the_figures_line_styles():
    pytest.importorskip("altair")
    from polarsim.plots.style import linestyle
    from polarsim.viz.charts import dash

    assert dash("-") == [1.0, 0.0] and dash("--") == [6.0, 3.0] and dash(":") == [1.5, 2.5]
    assert dash(linestyle("TKM")) == [6.0, 2.0, 2.0, 2.0, 2.0, 2.0]  # a (offset, dashes) style


def test_vega_widget_loads_the_bundled_vega():
    """Solara's Vega-Lite widget asks its CDN proxy for vega@5/…; the page's asks for the
    versions solara-assets ships, which the server holds (offline machines, CI)."""
    pytest.importorskip("solara")
    import re

    import solara.server.settings

    from polarsim.viz.app import VegaLite, bundled_vega_template

    cdn = Path(solara.server.settings.assets.proxy_cache_dir)
    text = bundled_vega_template()
    files = re.findall(r"getCdn\(\)}/((?:vega|vega-lite|vega-embed)@[^`]+)`", text)
    assert len(files) == 3
    for f in files:
        assert re.match(r"[a-z-]+@\d+\.\d+\.\d+/", f), f  # a pinned version, not vega@5
        assert (cdn / f).is_file(), f
    assert VegaLite(spec={}).template == text


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_lever_starts_on_a_position_of_its_slider(path):
    """A slider snaps to min + k * step: a scenario value between two positions (the
    dependence weight 0.45 on a slider of steps 0.1) was shown as 0.5 while the model
    ran with 0.45, and moving it one step (to 0.4 or 0.5) was within half a step of
    0.45, so no override was made and the lever did nothing."""
    for lv in data.levers(load_scenario(path)):
        k = (lv.value - lv.min) / lv.step
        assert k == pytest.approx(round(k), abs=1e-6), (lv.key, lv.value, lv.step)


def test_one_slider_step_is_an_override(baseline):
    for lv in data.levers(baseline):
        up = min(lv.value + lv.step, lv.max)
        down = max(lv.value - lv.step, lv.min)
        for moved in {up, down} - {lv.value}:
            assert data.lever_overrides(baseline, {lv.key: moved}) == [lv.override(moved)], lv.key
    assert data.lever_overrides(baseline, {"dependence_weight": 0.5}) == [
        "parameters.responses.dependence_weight=0.5"
    ]


def test_charts_saved_from_the_page_say_where_their_numbers_come_from():
    """The "…" menu saves a chart as SVG or PNG: the saved figure names the command
    (scenario file, seed, overrides), the release and the year, and the file name
    the scenario and seed. Before, a saved chart carried none of them."""
    solara = pytest.importorskip("solara")
    from polarsim.viz import app

    m = data.ExplorerModel(BASELINE, seed=3, exclusivity_RUS=0.9, coordination=0.5)
    for _ in range(2):
        m.step()
    for component, chart in (
        (app.AutonomyPlot, "autonomy"),
        (app.TiesByArena, "ties"),
        (app.TiesOverTime, "ties-KAZ"),
    ):
        _, rc = solara.render(component(m), handle_error=False)
        spec = rc.find(app.VegaLite).widget.spec
        title = spec["title"]
        assert title["text"], chart
        lines = title["subtitle"]
        assert " ".join(x.strip() for x in lines[:-1]) == m.command()
        assert lines[-1].startswith("polarsim ") and lines[-1].endswith(f"year {START + 2}")
        assert spec["usermeta"]["embedOptions"]["downloadFileName"] == (
            f"polarsim-baseline-seed3-set-{chart}-{START + 2}"
        )
        assert _chart_rows(spec)  # the rows are still there


def test_moved_sliders_keep_the_autonomy_chart_legend_in_its_card():
    """Each moved slider added a subtitle line (an override) above the chart, and the
    chart kept its height, so with four overrides the legend below it slid under the
    next card: no key to the states' colours and nothing to click. The overrides now
    share lines, and lines beyond the two the card has room for come out of the
    plotting area."""
    solara = pytest.importorskip("solara")
    from polarsim.viz import app, charts

    def autonomy(m):
        _, rc = solara.render(app.AutonomyPlot(m), handle_error=False)
        return rc.find(app.VegaLite).widget.spec

    plain = autonomy(data.ExplorerModel(BASELINE, seed=0))
    levers = {"exclusivity_RUS": 1.0, "budget_CHN": 1.0, "rate": 50.0,
              "decisiveness": 5.0, "coordination": 0.9, "exclusivity_CHN": 0.9}  # fmt: skip
    m = data.ExplorerModel(BASELINE, seed=0, **levers)
    moved = autonomy(m)
    lines = moved["title"]["subtitle"]
    assert " ".join(x.strip() for x in lines[:-1]) == m.command()
    assert len(lines) < 2 + len(levers)  # overrides share lines
    assert all(len(x) <= app.SOURCE_LINE_CHARS for x in lines[1:-1])

    def used(spec):  # subtitle lines and plotting area: the legend sits below both
        return charts.SUBTITLE_LINE * len(spec["title"]["subtitle"]) + spec["height"]

    assert used(moved) == used(plain) and plain["height"] == charts.CHART_HEIGHT


def test_odd_seeds_and_lever_values_are_messages_not_tracebacks(baseline):
    """ "²" passed str.isdigit() and then failed int() with a ValueError, which the page
    mode did not catch (a traceback on Reset); a NaN lever was silently dropped."""
    for bad in ("²", "١٢"):
        with pytest.raises(PolarsimInputError, match="seed: expected a whole number"):
            data.parse_seed(bad)
    m = data.ExplorerModel(BASELINE, seed="²", report_problems=True)
    assert m.seed == 0 and "using seed 0" in m.problems[0]
    with pytest.raises(PolarsimInputError, match="exclusivity_RUS: expected a finite number"):
        data.lever_overrides(baseline, {"exclusivity_RUS": float("nan")})
    m = data.ExplorerModel(BASELINE, report_problems=True, exclusivity_RUS=float("nan"))
    assert m.overrides == [] and "expected a finite number" in m.problems[0]


def test_the_command_shown_runs_in_a_shell(tmp_path):
    """The status card's command was pasted unquoted: a scenario in a folder with a
    space split into two arguments, and the command did not run."""
    import shlex

    folder = tmp_path / "my scenarios"
    folder.mkdir()
    for scenario in SCENARIOS.glob("*.yaml"):  # the baseline extends another file
        (folder / scenario.name).write_text(scenario.read_text())
    path = folder / "baseline.yaml"
    m = data.ExplorerModel(path, seed=5, exclusivity_RUS=0.9)
    args = shlex.split(m.command())
    assert args == [
        "polarsim",
        "run",
        str(path),
        "--seed",
        "5",
        "--set",
        "powers.RUS.exclusivity=0.9",
    ]
    assert data.ExplorerModel(BASELINE, seed=7).command() == f"polarsim run {BASELINE} --seed 7"


def test_picking_a_scenario_puts_every_slider_at_the_new_files_value(monkeypatch):
    """A slider moved (and a seed typed) before another scenario was picked kept its
    position on the page, while the new file's model and the command shown used the
    file's value: SolaraViz puts its sliders in the sidebar through Solara's portal,
    which reused the old widgets, state and all, for the new SolaraViz. After a pick,
    every slider and the seed show the new file's values, Reset runs those (no --set),
    and a slider moved then is what the next Reset runs."""
    solara = pytest.importorskip("solara")
    import html
    import re

    import ipyvuetify as v

    from polarsim.viz import app
    from polarsim.viz.serve import ENV_SCENARIO

    other = SCENARIOS / "open_competition.yaml"
    monkeypatch.setenv(ENV_SCENARIO, str(BASELINE))
    # the AppLayout holds the sidebar: without it Solara drops the sidebar's content
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)

    def slider(label: str):
        return rc.find(v.Slider, label=label).widget

    def seed_field():
        return rc.find(v.TextField, label="Seed").widget

    def command() -> str:
        status = [
            w.unsafe_innerHTML
            for w in rc.find(solara.widgets.HTML).widgets
            if "polarsim-command" in w.unsafe_innerHTML
        ]
        assert len(status) == 1
        return html.unescape(re.search(r"polarsim-command'>(.*?)</code>", status[0]).group(1))

    def reset() -> None:
        rc.find(v.Btn, children=["Reset"]).widget.click()

    def pick(path: Path) -> None:
        rc.find(v.Select, label="Scenario file").widget.v_model = path.name

    def shown_levers(path: Path) -> None:
        """Every lever's slider at the file's value, and no slider of another file."""
        levers = data.levers(load_scenario(path))
        for lv in levers:
            assert slider(lv.label).v_model == pytest.approx(lv.value, abs=1e-9), lv.label
        mesa = {"Play Interval (ms)", "Render Interval (steps)"}
        shown = {w.label for w in rc.find(v.Slider).widgets} - mesa
        assert shown == {lv.label for lv in levers}

    # a slider moved and a seed typed on the baseline reach the model on Reset
    shown_levers(BASELINE)
    slider("RUS exclusivity").v_model = 1.0
    seed_field().v_model = "12"
    seed_field().fire_event("keyup.enter", None)
    reset()
    assert command() == f"polarsim run {BASELINE} --seed 12 --set powers.RUS.exclusivity=1.0"

    # the other file has Russia's exclusivity of the baseline: a reused slider, given
    # the same value again, did not move back
    def rus(path: Path) -> float:
        return {lv.key: lv.value for lv in data.levers(load_scenario(path))}["exclusivity_RUS"]

    assert rus(other) == rus(BASELINE) != 1.0

    # another file: the page shows what it runs, the file's values
    pick(other)
    assert command() == f"polarsim run {other} --seed 0"
    shown_levers(other)
    assert seed_field().v_model == "0"
    reset()
    assert command() == f"polarsim run {other} --seed 0"
    shown_levers(other)

    # a slider moved now is the new file's override; back to the baseline, none is left
    slider("IRN exclusivity").v_model = 0.5
    reset()
    assert command() == f"polarsim run {other} --seed 0 --set powers.IRN.exclusivity=0.5"
    pick(BASELINE)
    shown_levers(BASELINE)
    reset()
    assert command() == f"polarsim run {BASELINE} --seed 0"
