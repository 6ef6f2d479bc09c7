"""Benchmark: how long a step of `polarsim viz` takes, on the server and with the page
open in headless Chromium. Prints figures; asserts nothing.

    python benchmarks/bench_viz.py                     # server side, then the browser
    python benchmarks/bench_viz.py --no-browser
    python benchmarks/bench_viz.py --screenshot docs/img/viz.png

1. Server side, over a full run of the default scenario (2010-2050): the model step, and
   the drawing of the four figures and the event log, once with the in-place painters
   the page uses and once rebuilding every figure on each step (the naive way).
2. With the page open (needs /usr/bin/chromium and Playwright): the time from a click
   on Step until the page shows the next year, and a full run with ▶ at the smallest
   play interval, from the start year to 2050.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from functools import partial
from pathlib import Path

from polarsim import load_scenario
from polarsim.viz.serve import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
START = load_scenario(SCENARIO).time.start_year


def server_side() -> None:
    from polarsim.codes import OTHER
    from polarsim.viz import data, figures

    def naive(m, years):
        """Every figure built from scratch, as a first version of the page did."""
        autonomy = data.autonomy_frame(m)
        figures.png(figures.autonomy_figure(autonomy, years, "autonomy index"))
        figures.png(figures.ties_figure(data.ties_frame(m), m.year))
        figures.png(figures.ties_history_figure(data.ties_history(m, "KAZ"), "KAZ", years))
        edges = data.network_edges(m)
        figures.png(figures.network_figure(edges, list(m.setup.powers), autonomy.iloc[-1], m.year))

    def painters(m, years):
        partners = [*m.setup.powers, OTHER]
        states = list(m.setup.states)
        p = (
            figures.AutonomyPainter(states, years, "autonomy index"),
            figures.TiesPainter(list(data.ARENA_ORDER), states, partners),
            figures.TiesHistoryPainter(list(data.ARENA_ORDER), partners, years),
            figures.NetworkPainter(list(m.setup.powers), states),
        )

        def draw(m):
            autonomy = data.autonomy_frame(m)
            p[0].update(autonomy).png()
            p[1].update(data.ties_frame(m), m.year).png()
            p[2].update(data.ties_history(m, "KAZ"), "KAZ").png()
            p[3].update(data.network_edges(m), autonomy.iloc[-1], m.year).png()

        return draw

    from polarsim.viz.app import event_log_html, status_html

    for name in ("painters (the page)", "rebuild every figure"):
        m = data.ExplorerModel(SCENARIO, seed=0)
        years = (int(m.setup.years[0]), int(m.setup.years[-1]))
        t0 = time.perf_counter()
        if name.startswith("painters"):
            draw = painters(m, years)
        else:
            draw = partial(naive, years=years)
        draw(m)
        first = time.perf_counter() - t0
        step_s, draw_s, log_s = [], [], []
        while m.running:
            t = time.perf_counter()
            m.step()
            step_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            draw(m)
            draw_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            event_log_html(m)
            status_html(m)
            log_s.append(time.perf_counter() - t)
        n = len(step_s)
        print(
            f"{name:>22}: {n} steps; first drawing {1000 * first:.0f} ms; per step: "
            f"model {1000 * statistics.median(step_s):.1f} ms, figures "
            f"{1000 * statistics.median(draw_s):.0f} ms (max {1000 * max(draw_s):.0f}), "
            f"event log + status {1000 * statistics.median(log_s):.1f} ms; "
            f"whole run {sum(step_s) + sum(draw_s) + sum(log_s):.1f} s"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_browser(screenshot: Path | None) -> None:
    from playwright.sync_api import expect, sync_playwright

    port = _free_port()
    proc = subprocess.Popen(
        # relative to the repository, as a user types it (the page shows the command)
        [sys.executable, "-m", "polarsim", "viz", "scenarios/baseline.yaml", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        t0 = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                if time.perf_counter() - t0 > 90 or proc.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        print(f"server up after {time.perf_counter() - t0:.1f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.set_default_timeout(120_000)
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_selector(".polarsim-map img")
            print(f"page loaded with its figures in {time.perf_counter() - t:.1f} s")
            year = page.locator(".polarsim-year")
            step = page.get_by_role("button", name="Step")
            latencies = []
            for y in range(START + 1, START + 11):
                t = time.perf_counter()
                step.click()
                expect(year).to_have_text(str(y), timeout=60_000)
                latencies.append(time.perf_counter() - t)
            print(
                f"Step -> next year shown: median {1000 * statistics.median(latencies):.0f} ms, "
                f"max {1000 * max(latencies):.0f} ms over {len(latencies)} clicks"
            )
            for interval_label, smallest in (("default play interval 100 ms", False),
                                             ("play interval 1 ms", True)):  # fmt: skip
                page.get_by_role("button", name="Reset").click()
                expect(year).to_have_text(str(START), timeout=60_000)
                if smallest:
                    interval = page.get_by_role("slider", name="Play Interval (ms)")
                    interval.focus()
                    interval.press("Home")
                t = time.perf_counter()
                page.get_by_role("button", name="▶").click()
                expect(year).to_have_text("2050", timeout=300_000)
                run_s = time.perf_counter() - t
                steps = 2050 - START
                print(
                    f"▶ from {START} to 2050 ({steps} steps, {interval_label}): {run_s:.1f} s, "
                    f"{1000 * run_s / steps:.0f} ms per step"
                )
            if screenshot is not None:
                # the cards render one after the other: wait for the last (event log)
                expect(page.locator(".polarsim-event-count")).to_contain_text(
                    "up to 2050", timeout=60_000
                )
                page.screenshot(path=screenshot)
                print(f"wrote {screenshot}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--screenshot", type=Path, default=None, help="save the page at 2050")
    args = ap.parse_args()
    server_side()
    if not args.no_browser:
        with_browser(args.screenshot)


if __name__ == "__main__":
    main()
