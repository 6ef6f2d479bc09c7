"""`polarsim viz` in a real browser: the command starts the server, headless Chromium
(Debian's package, driven by Playwright) opens the page as a user would, moves a
slider, resets, steps, and checks that the status, the plots and the event log change,
and that the page's numbers are those of the Python API with the same override.

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
import urllib.request
from pathlib import Path

import pytest

from polarsim import load_scenario
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
    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    page.set_default_timeout(UI_TIMEOUT_MS)

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.goto(url)
    page.wait_for_selector(".polarsim-event-log")
    return page, problems


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


def test_page_steps_with_changed_parameter(server, browser, tmp_path):
    from playwright.sync_api import expect

    from polarsim.viz.data import ExplorerModel, summary

    url, log = server
    page, problems = _open(browser, url)

    # the page opens at the scenario's first year, with seed 0 and no override
    expect(page.locator(".polarsim-year")).to_have_text(str(START))
    expect(page.locator(".polarsim-seed")).to_have_text("0")
    assert _text(page, ".polarsim-command").endswith("--seed 0")
    assert f"0 events up to {START}" in _text(page, ".polarsim-event-count")
    before = {c: _image(page, c) for c in ("polarsim-autonomy", "polarsim-map", "polarsim-ties")}
    before["polarsim-ties-history"] = _image(page, "polarsim-ties-history")

    # no stray one-page tab, no banner over the log, every slider shows its value
    expect(page.get_by_role("tab", name="Page 0")).to_be_hidden()
    expect(page.get_by_text("This website runs on")).to_have_count(0)
    labels = page.locator(".v-slider__thumb-label")
    expect(labels.first).to_be_visible()
    assert labels.count() == page.get_by_role("slider").count()

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
    for card, image in before.items():
        _wait_for_new_image(page, card, image)
    status = _text(page, ".polarsim-status")
    count = _text(page, ".polarsim-event-count")
    log_text = _text(page, ".polarsim-events")
    after = {c: _image(page, c) for c in before}
    page.screenshot(path=tmp_path / "viz.png")
    if os.environ.get("POLARSIM_UPDATE_SCREENSHOT") == "1":
        shutil.copy(tmp_path / "viz.png", ROOT / "docs" / "img" / "viz.png")

    assert not problems, "\n".join(problems)
    assert (tmp_path / "viz.png").stat().st_size > 0

    # every plot changed with the steps
    for card, image in before.items():
        assert after[card] != image, f"{card} did not change after {STEPS} steps"

    # the page shows the numbers of the Python API with the same override and seed
    expected = ExplorerModel(SCENARIO, seed=0, exclusivity_RUS=1.0)
    default = ExplorerModel(SCENARIO, seed=0)
    for _ in range(STEPS):
        expected.step()
        default.step()
    s, d = summary(expected), summary(default)
    assert f"mean autonomy index {s['mean_autonomy']:.3f}" in status
    assert f"concentration of influence CON {s['con']:.3f}" in status
    # the lever reached the model: the numbers differ (since the arms contest is anchored
    # on the observed suppliers, a lever set from the start moves them by less than the
    # page's third decimal within five years; docs/model.md)
    assert s["mean_autonomy"] != d["mean_autonomy"]

    # the event log filled with the events of those years, newest first
    n = int(re.match(r"(\d+) events up to (\d+)", count).group(1))
    assert n == len(expected.events) > 0
    assert f"up to {final_year}" in count
    years = [int(y) for y in re.findall(r"^(\d{4})\b", log_text, flags=re.M)]
    assert years and years[0] == final_year and years == sorted(years, reverse=True)


def test_seed_and_scenario_picker(server, browser):
    from playwright.sync_api import expect

    from polarsim.viz.data import ExplorerModel, summary

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
    history = _image(page, "polarsim-ties-history")
    page.locator(".polarsim-ties-history .v-select").click()
    page.get_by_role("option", name="TJK", exact=True).click()
    expect(page.locator(".polarsim-ties-history .v-select__selection")).to_have_text("TJK")
    _wait_for_new_image(page, "polarsim-ties-history", history)

    # a broken file in the folder shows its problem, and the picker still works
    page.locator(".polarsim-scenario .v-select").click()
    page.get_by_role("option", name="broken.yaml").click()
    expect(page.locator(".polarsim-problem")).to_contain_text(
        "broken.yaml:2:16: powers.RUS.exclusivity: out of range"
    )

    # the picker loads another file at once, with sliders for its own powers
    assert page.get_by_role("slider", name="IRN exclusivity").count() == 0
    page.locator(".polarsim-scenario .v-select").click()
    page.get_by_role("option", name="open_competition.yaml").click()
    expect(page.locator(".polarsim-status")).to_contain_text("open_competition")
    expect(page.locator(".polarsim-year")).to_have_text(str(START))
    expect(page.get_by_role("slider", name="IRN exclusivity")).to_have_count(1)
    assert "open_competition.yaml --seed 0" in _text(page, ".polarsim-command")
    assert not problems, "\n".join(problems)
