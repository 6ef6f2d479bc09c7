"""`polarsim viz` in a real browser: the command starts the server, headless Chromium
(Debian's package, driven by Playwright) opens the page as a user would, moves a
slider, resets, steps, and checks that the status, the plots and the event log change,
and that the page's numbers are those of the Python API with the same override.

The interactive charts are read through their SVG: vega-embed gives every mark an ARIA
label with its data ("year: 2020; autonomy index: 0.71; state: Kazakhstan"), so the
test compares the values the browser draws with the model's, hovers a point for its
tooltip and clicks a legend entry.

Skipped where Chromium, Playwright or Solara is missing, unless POLARSIM_REQUIRE_BROWSER=1
(set by .ci/run), which turns a missing piece into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from polarsim import load_scenario
from polarsim.codes import OTHER
from polarsim.viz.serve import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
START = load_scenario(SCENARIO).time.start_year
REQUIRED = os.environ.get("POLARSIM_REQUIRE_BROWSER") == "1"
STEPS = 5
#: Server start-up and first render can take a while on a loaded 2-core machine.
STARTUP_S = 90
UI_TIMEOUT_MS = 60_000
#: The interactive charts: card and the kind of mark that carries the data.
CHARTS = {"polarsim-autonomy": "point", "polarsim-ties": "bar", "polarsim-ties-history": "point"}
CDN_PREFIX = "/_solara/cdn/"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not installed (apt-get install chromium)"
    for module in ("playwright", "solara"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} not installed (pip install -e '.[test]')"
    return None


def _require_browser() -> None:
    reason = _missing()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"POLARSIM_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"polarsim viz exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"no page at {url} after {STARTUP_S} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_browser()
    port = _free_port()
    folder = tmp_path_factory.mktemp("viz")
    log = folder / "server.log"
    # the picker offers the files beside the scenario: the shipped ones and a broken one
    scenarios = folder / "scenarios"
    scenarios.mkdir()
    for path in SCENARIO.parent.glob("*.yaml"):
        shutil.copy(path, scenarios / path.name)
    (scenarios / "broken.yaml").write_text(
        "extends: baseline.yaml\npowers: {RUS: {exclusivity: 2}}\n"
    )
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "polarsim",
                "viz",
                str(scenarios / SCENARIO.name),
                "--port",
                str(port),
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, proc, log)
        yield url, log
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, url: str):
    """A new page at `url`, and the list its console errors and page errors go to."""
    problems: list[str] = []
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    page.set_default_timeout(UI_TIMEOUT_MS)
    # expect()'s own default is 5 s: on a loaded machine (load 8 on 2 cores) picking a
    # scenario took longer before its status card showed
    expect.set_options(timeout=UI_TIMEOUT_MS)

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_request(request) -> None:
        # The page works offline: everything it loads comes from the server, and what
        # it asks of Solara's CDN proxy is in the bundled assets (Solara's own Vega-Lite
        # widget asks for vega@5/..., which the server would fetch from jsdelivr).
        parts = urllib.parse.urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            problems.append(f"request off the machine: {request.url}")
        elif parts.path.startswith(CDN_PREFIX):
            if not (_bundled_cdn() / parts.path.removeprefix(CDN_PREFIX)).is_file():
                problems.append(f"not in the bundled assets: {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("request", on_request)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url)
    page.wait_for_selector(".polarsim-event-log")
    return page, problems


def _bundled_cdn() -> Path:
    import solara.server.settings

    return Path(solara.server.settings.assets.proxy_cache_dir)


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text()


def _image(page, card: str) -> bytes:
    """The pixels of the figure in a card (its <img>, rendered by the browser)."""
    img = page.locator(f".{card} img").first
    img.wait_for(state="visible")
    return img.screenshot()


def _wait_for_new_image(page, card: str, old: bytes, timeout_s: float = 30.0) -> None:
    """The new image arrives over the websocket a little after the click."""
    deadline = time.monotonic() + timeout_s
    while _image(page, card) == old:
        if time.monotonic() > deadline:
            pytest.fail(f"{card}: the figure did not change within {timeout_s} s")
        time.sleep(0.25)


def _marks(page, card: str, role: str) -> list[dict[str, str]]:
    """The data of a chart's marks of one kind ("point", "bar"), from the ARIA label
    vega-embed gives each: {"year": "2020", "state": "Kazakhstan", ...}."""
    labels = page.locator(f".{card} svg.marks [aria-roledescription='{role}']").evaluate_all(
        "marks => marks.map(m => m.getAttribute('aria-label'))"
    )
    return [dict(field.split(": ", 1) for field in text.split("; ")) for text in labels]


def _wait_for_marks(page, card: str, role: str, ready, timeout_s: float = 30.0) -> list[dict]:
    """The marks once `ready(marks)` holds: a new chart arrives over the websocket and
    vega-embed draws it a little after the click."""
    deadline = time.monotonic() + timeout_s
    while True:
        marks = _marks(page, card, role)
        if marks and ready(marks):
            return marks
        if time.monotonic() > deadline:
            pytest.fail(f"{card}: the chart's {role} marks did not update within {timeout_s} s")
        time.sleep(0.25)


def _legend(page, card: str) -> list[str]:
    """A chart's legend entries, in order."""
    text = page.locator(f".{card} svg.marks [aria-roledescription='legend']").first
    return text.get_attribute("aria-label").split(" values: ", 1)[1].split(", ")


def _share(text: str) -> float:
    return float(text.removesuffix("%")) / 100


def test_page_steps_with_changed_parameter(server, browser, tmp_path):
    from playwright.sync_api import expect

    from polarsim.viz.data import ExplorerModel, levers, summary

    url, log = server
    page, problems = _open(browser, url)

    # the page opens at the scenario's first year, with seed 0 and no override
    expect(page.locator(".polarsim-year")).to_have_text(str(START))
    expect(page.locator(".polarsim-seed")).to_have_text("0")
    assert _text(page, ".polarsim-command").endswith("--seed 0")
    assert f"0 events up to {START}" in _text(page, ".polarsim-event-count")
    map_before = _image(page, "polarsim-map")
    charts_before = {
        card: _wait_for_marks(page, card, role, lambda m: True) for card, role in CHARTS.items()
    }
    assert {m["year"] for m in charts_before["polarsim-autonomy"]} == {str(START)}

    # no stray one-page tab, no banner over the log, every slider shows its value
    expect(page.get_by_role("tab", name="Page 0")).to_be_hidden()
    expect(page.get_by_text("This website runs on")).to_have_count(0)
    labels = page.locator(".v-slider__thumb-label")
    expect(labels.first).to_be_visible()
    assert labels.count() == page.get_by_role("slider").count()
    # every slider shows the value the model runs with (a value between two positions
    # of a slider was shown at the nearest one)
    for lv in levers(load_scenario(SCENARIO)):
        now = page.get_by_role("slider", name=lv.label, exact=True).get_attribute("aria-valuenow")
        assert float(now) == pytest.approx(lv.value, abs=1e-9), (lv.label, now, lv.value)

    # a lever: Russia's exclusivity to its maximum, applied by Reset
    slider = page.get_by_role("slider", name="RUS exclusivity")
    slider.focus()
    slider.press("End")
    expect(slider).to_have_attribute("aria-valuenow", "1")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".polarsim-command")).to_contain_text("--set powers.RUS.exclusivity=1.0")

    step = page.get_by_role("button", name="Step")
    for year in range(START + 1, START + 1 + STEPS):
        step.click()
        expect(page.locator(".polarsim-year")).to_have_text(str(year))
    final_year = START + STEPS

    # the cards render one after the other: wait for the last one (the event log)
    expect(page.locator(".polarsim-event-count")).to_contain_text(f"up to {final_year}")
    _wait_for_new_image(page, "polarsim-map", map_before)
    final = str(final_year)
    after = {
        card: _wait_for_marks(page, card, role, lambda m: final in {x["year"] for x in m})
        for card, role in CHARTS.items()
    }
    status = _text(page, ".polarsim-status")
    count = _text(page, ".polarsim-event-count")
    log_text = _text(page, ".polarsim-events")
    page.screenshot(path=tmp_path / "viz.png")
    if os.environ.get("POLARSIM_UPDATE_SCREENSHOT") == "1":
        shutil.copy(tmp_path / "viz.png", ROOT / "docs" / "img" / "viz.png")

    assert not problems, "\n".join(problems)
    assert (tmp_path / "viz.png").stat().st_size > 0

    # every plot changed with the steps
    assert _image(page, "polarsim-map") != map_before, f"the map did not change after {STEPS} steps"
    for card, marks in charts_before.items():
        assert after[card] != marks, f"{card} did not change after {STEPS} steps"

    # the page shows the numbers of the Python API with the same override and seed
    expected = ExplorerModel(SCENARIO, seed=0, exclusivity_RUS=1.0)
    default = ExplorerModel(SCENARIO, seed=0)
    for _ in range(STEPS):
        expected.step()
        default.step()
    s, d = summary(expected), summary(default)
    assert f"mean autonomy index {s['mean_autonomy']:.3f}" in status
    assert f"concentration of influence CON {s['con']:.3f}" in status
    # the lever reached the model: the numbers differ (mean autonomy by about -0.008
    # within five years, mostly through the projects the states then refuse;
    # docs/model.md)
    assert s["mean_autonomy"] != d["mean_autonomy"]

    # the event log filled with the events of those years, newest first
    n = int(re.match(r"(\d+) events up to (\d+)", count).group(1))
    assert n == len(expected.events) > 0
    assert f"up to {final_year}" in count
    years = [int(y) for y in re.findall(r"^(\d{4})\b", log_text, flags=re.M)]
    assert years and years[0] == final_year and years == sorted(years, reverse=True)

    _check_charts(page, expected, after)
    assert not problems, "\n".join(problems)


def _check_charts(page, model, marks: dict[str, list[dict[str, str]]]) -> None:
    """The charts draw the model's values under the static figures' names and order,
    hovering shows a tooltip and a legend click highlights one actor."""
    from playwright.sync_api import expect

    from polarsim.plots.style import label
    from polarsim.viz import data
    from polarsim.viz.figures import partner_label

    states = list(model.setup.states)
    partners = [*model.setup.powers, OTHER]
    year = data.recorded_year(model)

    # autonomy index: one point per state and year so far, at the model's value
    frame = data.autonomy_frame(model)
    want = {(y, label(s)): frame.loc[y, s] for y in frame.index for s in states}
    got = {
        (int(m["year"]), m["state"]): float(m["autonomy index"]) for m in marks["polarsim-autonomy"]
    }
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-9), key
    assert _legend(page, "polarsim-autonomy") == [label(s) for s in states]

    # ties by arena: this year's share of every state, arena and partner
    ties = data.ties_frame(model)
    bars = marks["polarsim-ties"]
    assert {m["year"] for m in bars} == {str(year)}
    got = {(m["arena"], m["state"], m["partner"]): _share(m["share"]) for m in bars}
    want = {
        (data.ARENA_LABELS[a], s, partner_label(p)): ties.loc[(a, s), p]
        for a in data.ARENA_ORDER
        for s in states
        for p in partners
    }
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-6), key
    assert _legend(page, "polarsim-ties") == [partner_label(p) for p in partners]

    # ties of the first state over time
    history = data.ties_history(model, states[0])
    got = {
        (int(m["year"]), m["arena"], m["partner"]): _share(m["share"])
        for m in marks["polarsim-ties-history"]
    }
    assert {m["state"] for m in marks["polarsim-ties-history"]} == {label(states[0])}
    assert len(got) == history.size
    for (a, p), column in history.items():
        for y, value in column.items():
            key = (y, data.ARENA_LABELS[a], partner_label(p))
            assert got[key] == pytest.approx(value, abs=1e-6), key

    # hovering this year's point of a state shows its tooltip: year, state, value
    name = label(states[1])
    point = page.locator(
        f".polarsim-autonomy svg.marks [aria-roledescription='point']"
        f"[aria-label^='year: {year};'][aria-label$='state: {name}']"
    )
    expect(point).to_have_count(1)
    # force: Vega finds the mark under the pointer itself; Playwright's check would
    # see the SVG root take the pointer
    point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(str(year))
    expect(tooltip).to_contain_text(name)
    expect(tooltip).to_contain_text(f"{frame.loc[year, states[1]]:.3f}")

    # a click on a legend entry highlights that state: the others fade
    legend = page.locator(".polarsim-autonomy svg.marks [aria-roledescription='legend']")
    legend.get_by_text(name, exact=True).click(force=True)  # Vega's own pointer handling
    faded = page.locator(
        ".polarsim-autonomy svg.marks [aria-roledescription='point'][opacity='0.15']"
    )
    expect(faded).to_have_count((len(states) - 1) * len(frame))


def test_seed_and_scenario_picker(server, browser):
    from playwright.sync_api import expect

    from polarsim.viz import data
    from polarsim.viz.data import ExplorerModel, summary
    from polarsim.viz.figures import partner_label

    url, _ = server
    page, problems = _open(browser, url)
    seed = page.locator(".v-text-field__slot:has(label:text-is('Seed')) input")
    reset = page.get_by_role("button", name="Reset")

    # a bad seed is reported on the page, which keeps working (seed 0)
    seed.fill("abc")
    seed.press("Enter")
    reset.click()
    expect(page.locator(".polarsim-problem")).to_contain_text(
        "seed: expected a whole number >= 0, found 'abc'; using seed 0"
    )
    expect(page.locator(".polarsim-seed")).to_have_text("0")

    # a good one is used, and shown with the command that reproduces the page
    seed.fill("12")
    seed.press("Enter")
    reset.click()
    expect(page.locator(".polarsim-seed")).to_have_text("12")
    expect(page.locator(".polarsim-problem")).to_have_count(0)
    page.get_by_role("button", name="Step").click()
    expect(page.locator(".polarsim-year")).to_have_text(str(START + 1))
    model = ExplorerModel(SCENARIO, seed=12)
    model.step()
    assert f"mean autonomy index {summary(model)['mean_autonomy']:.3f}" in _text(
        page, ".polarsim-status"
    )
    assert _text(page, ".polarsim-command").endswith("--seed 12")

    # the state shown over time is chosen in its card
    page.locator(".polarsim-ties-history .v-select").click()
    page.get_by_role("option", name="TJK", exact=True).click()
    expect(page.locator(".polarsim-ties-history .v-select__selection")).to_have_text("TJK")
    history = data.ties_history(model, "TJK")
    marks = _wait_for_marks(
        page,
        "polarsim-ties-history",
        "point",
        lambda m: {x["state"] for x in m} == {"Tajikistan"},
    )
    security = {
        x["partner"]: _share(x["share"])
        for x in marks
        if x["arena"] == "Security" and x["year"] == str(START + 1)
    }
    assert security == {
        partner_label(p): pytest.approx(v, abs=1e-6)
        for p, v in history.loc[START + 1, "security"].items()
    }

    # the picker loads another file at once, with sliders for its own powers, each at
    # the file's value: a slider moved (and the seed typed) before the pick showed its
    # old position while the new file's model ran with the file's value
    assert page.get_by_role("slider", name="IRN exclusivity").count() == 0
    slider = page.get_by_role("slider", name="RUS exclusivity", exact=True)
    slider.focus()
    slider.press("End")
    expect(slider).to_have_attribute("aria-valuenow", "1")
    other = SCENARIO.parent / "open_competition.yaml"
    page.locator(".polarsim-scenario .v-select").click()
    page.get_by_role("option", name=other.name).click()
    expect(page.locator(".polarsim-status")).to_contain_text("open_competition")
    expect(page.get_by_role("slider", name="IRN exclusivity")).to_have_count(1)
    for lv in data.levers(load_scenario(other)):
        now = page.get_by_role("slider", name=lv.label, exact=True).get_attribute("aria-valuenow")
        assert float(now) == pytest.approx(lv.value, abs=1e-9), (lv.label, now, lv.value)
    expect(seed).to_have_value("0")
    reset.click()
    assert _text(page, ".polarsim-command").endswith("open_competition.yaml --seed 0")

    # a broken file in the folder shows its problem, and the picker still works
    page.locator(".polarsim-scenario .v-select").click()
    page.get_by_role("option", name="broken.yaml").click()
    expect(page.locator(".polarsim-problem")).to_contain_text(
        "broken.yaml:2:16: powers.RUS.exclusivity: out of range"
    )
    page.locator(".polarsim-scenario .v-select").click()
    page.get_by_role("option", name="open_competition.yaml").click()
    expect(page.locator(".polarsim-status")).to_contain_text("open_competition")
    expect(page.locator(".polarsim-year")).to_have_text(str(START))
    expect(page.get_by_role("slider", name="IRN exclusivity")).to_have_count(1)
    assert "open_competition.yaml --seed 0" in _text(page, ".polarsim-command")
    assert not problems, "\n".join(problems)
