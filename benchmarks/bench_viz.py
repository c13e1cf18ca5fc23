"""How long one step of the workshop page takes, on the server and in the browser.

The budget (DESIGN, issue 4) is half a second for a step of a 150-household compound: the model
step plus rebuilding the network and the four charts, and, in the browser, from the click on Step
until every figure has been redrawn.

Usage::

    python benchmarks/bench_viz.py                 # server side only
    python benchmarks/bench_viz.py --browser       # also in Debian's chromium (Playwright)
    python benchmarks/bench_viz.py --households 300 --steps 100 --regime pilot

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


def _summary(name: str, seconds: list[float]) -> str:
    ms = sorted(1000 * s for s in seconds)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return f"{name:<34} median {statistics.median(ms):7.1f}  p90 {p90:7.1f}  max {ms[-1]:7.1f}"


def bench_server(regime: str, households: int, steps: int, warmup: int) -> float:
    """Time what the page does for one step, without a browser; returns the median total (s)."""
    from plotly.graph_objs import FigureWidget

    from workshop import figures
    from workshop.levers import regime_values
    from workshop.plotly_widget import update_in_place
    from workshop.session import Session
    from workshop.status import status_lines

    start = time.perf_counter()
    session = Session(regime, households, 0, regime_values(regime))
    if session.error:
        raise SystemExit(f"bench_viz: cannot build the model: {session.error}")
    build = time.perf_counter() - start
    widgets = [FigureWidget() for _ in range(1 + len(figures.SERIES_CHARTS))]

    parts: dict[str, list[float]] = {k: [] for k in ("model step", "read views", "figures", "widget update", "total")}
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        session.step(1)
        t1 = time.perf_counter()
        snap = session.snapshot()
        t2 = time.perf_counter()
        lines = status_lines(snap.status, "zh", snap.timeseries.iloc[-1].to_dict())
        figs = [figures.network_figure(snap.nodes, snap.edges, "zh")]
        figs += figures.timeseries_figures(snap.timeseries, "zh", years=session.years).values()
        t3 = time.perf_counter()
        for widget, fig in zip(widgets, figs, strict=True):
            update_in_place(widget, fig)
        t4 = time.perf_counter()
        if i >= warmup:
            for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=True):
                parts[key].append(value)
    assert lines
    print(
        f"server side: regime={regime} households={households} steps={steps} "
        f"(after {warmup} warm-up weeks; model built in {1000 * build:.0f} ms)"
    )
    for key, values in parts.items():
        print("  " + _summary(key, values))
    return statistics.median(parts["total"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Records, in the page, the time from the click on Step to the last redraw of each figure.
_INSTALL_PROBE = """() => {
  window.__bench = {t0: null, done: {}};
  const graphs = [...document.querySelectorAll('.js-plotly-plot')];
  graphs.forEach((g, i) => g.on('plotly_afterplot', () => {
    if (window.__bench.t0 !== null) window.__bench.done[i] = performance.now();
  }));
  document.addEventListener('click', (e) => {
    if (e.target.closest('.renosim-step')) { window.__bench.t0 = performance.now(); window.__bench.done = {}; }
  }, true);
  return graphs.length;
}"""


def bench_browser(regime: str, steps: int, start_week: int = 0) -> float | None:
    """Time click-to-redrawn in chromium; returns the median (s), or None if it cannot run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: skipped (pip install playwright)")
        return None
    if not os.access(CHROMIUM, os.X_OK):
        print(f"browser: skipped ({CHROMIUM} missing; apt-get install chromium)")
        return None
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from experiments.cli import main; main(sys.argv[1:])",
            "viz",
            "--port",
            str(port),
            "--lang",
            "en",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            page = browser.new_context(viewport={"width": 1500, "height": 1100}).new_page()
            page.goto(url)
            page.wait_for_selector("[data-testid=chart-complaints] .js-plotly-plot .main-svg", timeout=90_000)
            if regime != "three_integrations":
                from workshop.labels import t

                page.click("[data-testid=regime] .v-select__slot")
                page.click(f".v-menu__content .v-list-item:has-text('{t('regime.' + regime, 'en')}')")
                page.wait_for_timeout(1500)
            if start_week >= 52:
                # Jump ahead a year at a time: later weeks have many more ties to draw.
                page.locator(".renosim-weeks button").nth(3).click()  # 52 weeks
                for year in range(1, start_week // 52 + 1):
                    page.click(".renosim-step")
                    page.wait_for_function(
                        f"+document.querySelector('[data-testid=week]').dataset.week === {52 * year}",
                        timeout=60_000,
                    )
                page.locator(".renosim-weeks button").nth(0).click()  # 1 week
            page.wait_for_timeout(1000)
            base = int(page.get_attribute("[data-testid=week]", "data-week"))
            if page.evaluate(_INSTALL_PROBE) != 5:
                raise SystemExit("bench_viz: expected the network and four charts on the page")
            times = []
            for i in range(steps):
                page.click(".renosim-step")
                # The charts redraw every week; the network only when somebody changed state.
                page.wait_for_function(
                    "(n) => { const w = +document.querySelector('[data-testid=week]').dataset.week;"
                    " const d = window.__bench.done;"
                    " return w === n && [1, 2, 3, 4].every(i => i in d); }",
                    arg=base + i + 1,
                    polling=10,
                    timeout=30_000,
                )
                page.wait_for_timeout(150)  # a late network redraw counts too
                times.append(
                    page.evaluate("() => (Math.max(...Object.values(window.__bench.done)) - window.__bench.t0) / 1000")
                )
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    print(
        f"browser (chromium, headless, software rendering): regime={regime} households=150 "
        f"steps={steps} from week {base}"
    )
    print("  " + _summary("click on Step -> all figures redrawn", times))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regime", default="three_integrations")
    parser.add_argument("--households", type=int, default=150)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=20, help="weeks run before timing (in the browser: whole years)")
    parser.add_argument("--browser", action="store_true", help="also measure in chromium")
    args = parser.parse_args()

    server = bench_server(args.regime, args.households, args.steps, args.warmup)
    browser = bench_browser(args.regime, min(args.steps, 20), args.warmup) if args.browser else None
    verdict = [f"server median {1000 * server:.0f} ms"]
    if browser is not None:
        verdict.append(f"browser median {1000 * browser:.0f} ms")
    ok = server * 1000 < BUDGET_MS and (browser is None or browser * 1000 < BUDGET_MS)
    print(f"budget {BUDGET_MS:.0f} ms per step: {'met' if ok else 'NOT met'} ({', '.join(verdict)})")


if __name__ == "__main__":
    main()
