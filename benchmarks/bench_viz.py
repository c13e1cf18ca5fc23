"""How fast the workshop page is, in Debian's chromium and on the server.

Browser (Playwright driving ``/usr/bin/chromium`` at 1280x800, a fresh visitor per case):

- **shell**: from the start of navigation until the run bar (the Step button) is visible;
- **click -> charts**: from the click on Step until every chart on screen has been redrawn (and any
  redraw that follows within 150 ms), one side and compare mode, ``--steps`` clicks each;
- **Play**: weeks drawn per second in the charts while playing (weeks in the first chart's lines).

Server: what one step costs without a browser (the models, the figures and their patches), one side
and compare mode, from week 0 and from week 416.

The issue's targets (on a quiet machine): shell <= 3 s, click -> charts p90 <= 200 ms (one side)
and <= 300 ms (compare), Play >= 10 weeks a second.

Usage::

    python benchmarks/bench_viz.py                    # browser and server
    python benchmarks/bench_viz.py --server-only
    python benchmarks/bench_viz.py --browser-only --root ../other-checkout   # another checkout's page

``--root`` serves the page of another checkout (e.g. an export of an earlier commit) with the same
measures, so a before/after comparison runs in one session on one machine. A benchmark, never a
timed test.
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

TARGETS = {"shell": 3000.0, "one side": 200.0, "compare": 300.0, "play": 10.0}
LATE_WEEK = 416


def _summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return f"{name:<36} median {statistics.median(ms):8.1f}  p90 {p90:8.1f}  max {ms[-1]:8.1f}  (ms, n={len(ms)})"


# ----------------------------------------------------------------------------------------- server
def bench_server(steps: int, compare: bool, start_week: int, view: str) -> list[float]:
    """Milliseconds of ``Board.step(1)`` (models, figures of the view on screen, patches), no browser."""
    from workshop.board import Board

    board = Board("three_integrations", 150, 0, "zh", runs=0)
    if compare:
        board.compare(True)
    for s in board.sessions:
        s.step_to(start_week)
    board.set_view(view)
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        board.step(1)
        times.append(1000 * (time.perf_counter() - start))
    return times


# ---------------------------------------------------------------------------------------- browser
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root: Path):
    """``renosim viz`` of the checkout at ``root`` on a free port; returns (process, url)."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-c", "import sys; from experiments.cli import main; main(sys.argv[1:])"]
    server = subprocess.Popen([*cmd, "viz", "--port", str(port), "--lang", "en"], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return server, url
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench_viz: the server did not answer")


# In the page: the time from a click on Step to the last redraw of each chart on screen.
_PROBE = """() => {
  const box = document.querySelector('[data-testid=charts]');
  const plots = [...box.querySelectorAll('.js-plotly-plot')].filter(g => g.offsetParent !== null);
  window.__bench = {t0: null, done: {}, n: plots.length};
  plots.forEach((g, i) => g.on('plotly_afterplot', () => {
    if (window.__bench.t0 !== null) window.__bench.done[i] = performance.now(); }));
  document.addEventListener('click', (e) => {
    if (e.target.closest('[data-testid=step]')) { window.__bench.t0 = performance.now(); window.__bench.done = {}; }
  }, true);
  return plots.length;
}"""
_WEEK = "() => Math.max(...[...document.querySelectorAll('[data-testid=week]')].map(e => +e.dataset.week))"
_DRAWN = """() => { const g = document.querySelector('[data-testid=charts] .js-plotly-plot');
  return g && g.data ? Math.max(...g.data.map(d => d.x ? d.x.length : 0)) : 0; }"""


def _open(browser, url: str):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("[data-testid=step]", state="visible", timeout=120_000)
    return page, 1000 * (time.perf_counter() - start)


def _charts_on_screen(page) -> None:
    tab = page.query_selector("[data-testid=view][data-value=charts]")
    if tab is not None:  # this page keeps its charts on a second view
        tab.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=charts] .js-plotly-plot')].some(g => g.offsetParent)",
        timeout=120_000,
    )


def bench_clicks(browser, url: str, steps: int, compare: bool, start_week: int) -> list[float]:
    page, _ = _open(browser, url)
    _charts_on_screen(page)
    if compare:
        page.click("[data-testid=compare]")
        page.wait_for_selector("[data-arm=b], [data-side=b][data-testid=side-title]", state="attached", timeout=60_000)
    if start_week:
        page.click(".renosim-weeks button:has-text('52'), [data-testid=weeks][data-value='52']")
        for year in range(1, start_week // 52 + 1):
            page.click("[data-testid=step]")
            page.wait_for_function(f"() => ({_WEEK})() >= {52 * year}", timeout=120_000, polling=20)
        page.click(".renosim-weeks button:has-text('1'), [data-testid=weeks][data-value='1']")
    page.wait_for_timeout(2000)
    n_plots = page.evaluate(_PROBE)
    base = page.evaluate(_WEEK)
    times = []
    for i in range(steps):
        page.click("[data-testid=step]")
        page.wait_for_function(
            f"() => ({_WEEK})() === {base + i + 1} && Object.keys(window.__bench.done).length === window.__bench.n",
            timeout=60_000,
            polling=5,
        )
        page.wait_for_timeout(150)  # a late redraw counts too
        times.append(page.evaluate("() => Math.max(...Object.values(window.__bench.done)) - window.__bench.t0"))
    page.context.close()
    assert n_plots >= 4, n_plots
    return times


def bench_play(browser, url: str, seconds: float = 10.0) -> float:
    """Weeks drawn per second in the charts while playing (after a 2 s start)."""
    page, _ = _open(browser, url)
    _charts_on_screen(page)
    page.wait_for_timeout(1500)
    page.click("[data-testid=play]")
    page.wait_for_timeout(2000)
    w0, t0 = page.evaluate(_DRAWN), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    w1, t1 = page.evaluate(_DRAWN), time.perf_counter()
    page.context.close()
    return (w1 - w0) / (t1 - t0)


def bench_browser(root: Path, steps: int, repeats: int) -> dict:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"bench_viz: {CHROMIUM} is missing (apt-get install chromium)")
    server, url = start_server(root)
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            _open(browser, url)[0].context.close()  # the server's first page imports and builds everything
            out["shell"] = []
            for _ in range(repeats):
                page, ms = _open(browser, url)
                out["shell"].append(ms)
                page.context.close()
            for compare in (False, True):
                for week in (0, LATE_WEEK):
                    out[("compare" if compare else "one side", week)] = bench_clicks(browser, url, steps, compare, week)
            out["play"] = [bench_play(browser, url) for _ in range(repeats)]
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="clicks on Step per case")
    parser.add_argument("--repeats", type=int, default=3, help="page loads and Play runs")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose page is served")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--server-only", action="store_true")
    only.add_argument("--browser-only", action="store_true")
    args = parser.parse_args()

    if not args.browser_only:
        print("server: one Board.step(1), 150 households")
        for compare in (False, True):
            for week in (0, LATE_WEEK):
                for view in ("compound", "charts"):
                    name = f"{'compare' if compare else 'one side'}, week {week}+, {view}"
                    print("  " + _summary(name, bench_server(args.steps, compare, week, view)))
    if not args.server_only:
        res = bench_browser(args.root.resolve(), args.steps, args.repeats)
        print(f"browser: {args.root.resolve().name}, 1280x800")
        print("  " + _summary("shell visible after load", res["shell"]))
        for key, times in res.items():
            if isinstance(key, tuple):
                print("  " + _summary(f"click -> charts, {key[0]}, week {key[1]}+", times))
        rates = sorted(res["play"])
        print(f"  {'Play, weeks drawn a second':<36} median {statistics.median(rates):8.1f}  min {rates[0]:8.1f}")
        print(f"targets: {TARGETS}")


if __name__ == "__main__":
    main()
