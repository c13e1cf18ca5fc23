"""How long one step of the workshop page takes, on the server and in the browser.

Four cases: one arm or compare mode (two arms), each at week 0 and from week 416 on (late weeks
have many more ties). Server side: the model step(s), reading the views, building the figures and
updating the widgets. Browser side: from the click on Step until all four charts have been redrawn
(and a network redraw that follows within 150 ms). The budget is half a second (issue 4); the aim
for p90 is 400 ms at 150 households (issue 12).

Usage::

    python benchmarks/bench_viz.py                 # server side only
    python benchmarks/bench_viz.py --browser       # also in Debian's chromium (Playwright)
    python benchmarks/bench_viz.py --households 300 --steps 30 --regime pilot

Prints medians, 90th percentiles and maxima in milliseconds. A benchmark, never a timed test.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workshop.offline import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402 (after the path insert)

BUDGET_MS = 500.0
AIM_P90_MS = 400.0


def _summary(name: str, seconds: list[float]) -> str:
    ms = sorted(1000 * s for s in seconds)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return f"{name:<34} median {statistics.median(ms):7.1f}  p90 {p90:7.1f}  max {ms[-1]:7.1f}"


LATE_WEEK = 416
"""The late cases start here: eight years of 52 weeks."""


def bench_server(regime: str, households: int, steps: int, start_week: int, compare: bool) -> list[float]:
    """Time what the page does for one step, without a browser; returns the totals (s)."""
    from plotly.graph_objs import FigureWidget

    from workshop import charts, network
    from workshop.levers import regime_values
    from workshop.page import other_regime
    from workshop.plotly_widget import update_in_place
    from workshop.session import Session
    from workshop.status import status_lines

    regimes = [regime, other_regime(regime)] if compare else [regime]
    sessions = [Session(r, households, 0, regime_values(r)) for r in regimes]
    for s in sessions:
        if s.error:
            raise SystemExit(f"bench_viz: cannot build the model: {s.error}")
        s.step_to(start_week)
    widgets = [FigureWidget() for _ in range(len(sessions) + len(charts.SERIES_CHARTS))]
    parts: dict[str, list[float]] = {k: [] for k in ("model step", "read views", "figures", "widget update", "total")}
    for _ in range(steps):
        t0 = time.perf_counter()
        for s in sessions:
            s.step(1)
        t1 = time.perf_counter()
        snaps = [s.snapshot() for s in sessions]
        t2 = time.perf_counter()
        for snap in snaps:
            status_lines(snap.status, "zh", snap.timeseries.iloc[-1].to_dict())
        figs = [network.network_figure(snap.nodes, snap.edges, "zh", size=(480, 400)) for snap in snaps]
        figs += charts.timeseries_figures(
            [snap.timeseries for snap in snaps], "zh", not_applicable=[s.not_applicable() for s in sessions]
        ).values()
        t3 = time.perf_counter()
        for widget, fig in zip(widgets, figs, strict=True):
            update_in_place(widget, fig)
        t4 = time.perf_counter()
        for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=True):
            parts[key].append(value)
    print(f"server: {'compare (2 arms)' if compare else 'one arm'}, from week {start_week}, {steps} steps")
    for key, values in parts.items():
        print("  " + _summary(key, values))
    return parts["total"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Records, in the page, the time from the click on Step to the last redraw of each chart / network.
_INSTALL_PROBE = """() => {
  window.__bench = {t0: null, charts: {}, nets: {}};
  const charts = [...document.querySelectorAll('[data-testid=charts] .js-plotly-plot')];
  const nets = [...document.querySelectorAll('[data-testid=network] .js-plotly-plot')];
  charts.forEach((g, i) => g.on('plotly_afterplot', () => {
    if (window.__bench.t0 !== null) window.__bench.charts[i] = performance.now(); }));
  nets.forEach((g, i) => g.on('plotly_afterplot', () => {
    if (window.__bench.t0 !== null) window.__bench.nets[i] = performance.now(); }));
  document.addEventListener('click', (e) => {
    if (e.target.closest('[data-testid=step]')) {
      window.__bench.t0 = performance.now(); window.__bench.charts = {}; window.__bench.nets = {}; }
  }, true);
  return charts.length;
}"""


def _start_server(households: int):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-c", "import sys; from experiments.cli import main; main(sys.argv[1:])"]
    server = subprocess.Popen(
        [*cmd, "viz", "--port", str(port), "--lang", "en"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            time.sleep(0.3)
    return server, url


def _wait_week(page, week: int) -> None:
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('[data-testid=week]')].every(e => +e.dataset.week === n)",
        arg=week,
        timeout=120_000,
        polling=10,
    )


def bench_browser_case(browser, url: str, regime: str, steps: int, start_week: int, compare: bool) -> list[float]:
    """One fresh visitor: set up the case, then time ``steps`` clicks on Step."""
    from workshop.labels import t

    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid=chart-complaints] .js-plotly-plot .main-svg", timeout=90_000)
    if regime != "three_integrations":
        page.click("[data-testid=regime][data-arm=a] .v-select__slot")
        page.click(f".v-menu__content .v-list-item:has-text('{t('regime.' + regime, 'en')}')")
        page.wait_for_timeout(1500)
    if compare:
        page.click("[data-testid=compare]")
        page.wait_for_selector("[data-testid=week][data-arm=b]")
    if start_week >= 52:
        page.click(".renosim-weeks button:has-text('52')")
        for year in range(1, start_week // 52 + 1):
            page.click("[data-testid=step]")
            _wait_week(page, 52 * year)
        page.click(".renosim-weeks button:has-text('1')")
    page.wait_for_timeout(1500)
    base = int(page.get_attribute("[data-testid=week]", "data-week"))
    if page.evaluate(_INSTALL_PROBE) != 4:
        raise SystemExit("bench_viz: expected four charts on the page")
    times = []
    for i in range(steps):
        page.click("[data-testid=step]")
        page.wait_for_function(
            "(n) => [...document.querySelectorAll('[data-testid=week]')].every(e => +e.dataset.week === n)"
            " && [0, 1, 2, 3].every(i => i in window.__bench.charts)",
            arg=base + i + 1,
            polling=10,
            timeout=30_000,
        )
        page.wait_for_timeout(150)  # a late network redraw counts too
        times.append(
            page.evaluate(
                "() => (Math.max(...Object.values(window.__bench.charts), ...Object.values(window.__bench.nets))"
                " - window.__bench.t0) / 1000"
            )
        )
    page.context.close()
    print(f"browser: {'compare (2 arms)' if compare else 'one arm'}, from week {base}, {steps} steps")
    print("  " + _summary("click on Step -> all charts redrawn", times))
    return times


def bench_browser(regime: str, households: int, steps: int, cases) -> dict | None:
    """Time click-to-redrawn in chromium for each case; None if it cannot run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: skipped (pip install playwright)")
        return None
    if not os.access(CHROMIUM, os.X_OK):
        print(f"browser: skipped ({CHROMIUM} missing; apt-get install chromium)")
        return None
    server, url = _start_server(households)
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            for compare, week in cases:
                results[(compare, week)] = bench_browser_case(browser, url, regime, steps, week, compare)
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regime", default="three_integrations")
    parser.add_argument("--households", type=int, default=150)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--browser", action="store_true", help="also measure in chromium")
    args = parser.parse_args()
    if args.households != 150 and args.browser:
        print("note: the browser cases use the page's default of 150 households")

    cases = [(False, 0), (False, LATE_WEEK), (True, 0), (True, LATE_WEEK)]
    server = {c: bench_server(args.regime, args.households, args.steps, c[1], c[0]) for c in cases}
    browser = bench_browser(args.regime, args.households, args.steps, cases) if args.browser else None
    print(f"\nsummary (ms; budget {BUDGET_MS:.0f} per step, aim p90 < {AIM_P90_MS:.0f} in the browser):")
    for compare, week in cases:
        name = f"{'compare' if compare else 'one arm'}, week {week}+"
        print("  server  " + _summary(name, server[(compare, week)]))
        if browser is not None:
            print("  browser " + _summary(name, browser[(compare, week)]))


if __name__ == "__main__":
    main()
