"""The workshop page in a real browser: Debian's chromium driven by Playwright.

Starts ``renosim viz`` on a free localhost port and checks, with numbers, what a room sees: at
1280x800 the network, the status lines and the participation and fee charts inside the viewport;
at 1920x1080 all four charts in one row; presentation mode with no text under 18 px; compare mode
with both arms' weeks advancing; the saved session opening with the network switched off; the
shipped CJK face rendering every Chinese label in a browser whose fontconfig has no fonts at all;
no request leaving 127.0.0.1. Screenshots go to ``out/screenshots/`` (git-ignored).

Never a downloaded browser: the tests drive ``/usr/bin/chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workshop import charts, levers, network
from workshop.labels import LANG_NAMES, t
from workshop.offline import CHROMIUM, CHROMIUM_FLAGS
from workshop.style import FONT_FAMILY, PRESENTATION_MIN_PX

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "out" / "screenshots"
LOAD_TIMEOUT_MS = 90_000  # first load imports plotly and builds the first model
CJK = re.compile(r"[\u4e00-\u9fff]")
LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "blob:http://127.0.0.1:", "data:")


def _require_browser():
    problems = []
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is missing (pip install playwright)")
    if problems:
        if os.environ.get("CI"):
            pytest.fail("; ".join(problems))  # CI must not pass by skipping the browser
        pytest.skip("; ".join(problems))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(tmp_path_factory, *args: str):
    """Start ``renosim viz ARGS`` on a free port; returns (process, base URL)."""
    _require_browser()
    port = _free_port()
    log = tmp_path_factory.mktemp("viz-server") / "server.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-c", "import sys; from experiments.cli import main; main(sys.argv[1:])", "viz"]
    cmd += ["--port", str(port), *args]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"renosim viz exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(proc)
            pytest.fail(f"renosim viz did not answer within 90 s:\n{log.read_text()}")
        time.sleep(0.3)


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)  # the server and nothing else: its own group
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``renosim viz --lang en`` on a free port; yields its base URL."""
    proc, url = serve(tmp_path_factory, "--lang", "en")
    yield url
    stop(proc)


@pytest.fixture(scope="module")
def playwright():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    """Debian's chromium through Playwright; each visitor gets a separate browser context."""
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    yield b
    b.close()


class Visitor:
    """One browser tab on the page, recording console errors and every request it makes."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 800):
        self.url = url
        self.width, self.height = width, height
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def open(self):
        self.page.goto(self.url)
        self.page.wait_for_selector("[data-testid=week]", timeout=LOAD_TIMEOUT_MS)
        for key in ["network", *(f"chart-{c}" for c in charts.SERIES_CHARTS)]:
            self.page.wait_for_selector(f"[data-testid={key}] .js-plotly-plot .main-svg", timeout=LOAD_TIMEOUT_MS)
        self.wait_fitted()

    def wait_fitted(self, timeout_ms: int = 30_000):
        """Wait until every figure has been drawn at the size of its box."""
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.renosim-fig[data-fig]')].filter(b => b.clientWidth).every(b => {"
            " const g = b.querySelector('.js-plotly-plot'); return g && g.layout"
            " && Math.abs(g.layout.width - Math.floor(b.clientWidth / 8) * 8) < 1"
            " && Math.abs(g.layout.height - Math.floor(b.clientHeight / 8) * 8) < 1; })",
            timeout=timeout_ms,
            polling=100,
        )

    def weeks(self) -> dict[str, int]:
        return self.page.eval_on_selector_all(
            "[data-testid=week]", "els => Object.fromEntries(els.map(e => [e.dataset.arm, +e.dataset.week]))"
        )

    def wait_week(self, predicate: str, timeout_ms: int = 30_000):
        """Wait until ``predicate`` holds for every arm's week ``w``."""
        self.page.wait_for_function(
            f"() => [...document.querySelectorAll('[data-testid=week]')].every(e => {{ const w = +e.dataset.week;"
            f" return {predicate}; }})",
            timeout=timeout_ms,
            polling=10,
        )

    def wait_until_still(self, quiet_s: float = 1.0, timeout_s: float = 30.0) -> int:
        """Wait until arm A's week has not changed for ``quiet_s``; returns it."""
        deadline = time.monotonic() + timeout_s
        last, since = self.weeks()["a"], time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.weeks()["a"]
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                return now
        raise AssertionError(f"the week kept changing for {timeout_s} s")

    def wait_chart_points(self, n: int, traces: int = 1, timeout_ms: int = 30_000):
        """Wait until every chart's first ``traces`` traces show ``n`` weeks."""
        self.page.wait_for_function(
            "([n, k]) => { const gs = [...document.querySelectorAll('[data-testid=charts] .js-plotly-plot')];"
            " return gs.length === 4 && gs.every(g => g.data && g.data.length >= Math.min(k, 2)"
            " && g.data.slice(0, k).every(d => d.x.length === n)); }",
            arg=[n, traces],
            timeout=timeout_ms,
            polling=10,
        )

    def box(self, testid: str) -> dict:
        return self.page.locator(f"[data-testid={testid}]").first.bounding_box()

    def inside_viewport(self, testid: str) -> bool:
        b = self.box(testid)
        return b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= self.width and b["y"] + b["height"] <= self.height

    def smallest_text_px(self) -> tuple[float, str]:
        """The smallest computed font size of any visible text on the page, and that text."""
        return tuple(
            self.page.evaluate(
                """() => { let min = [1e9, '']; const walker = document.createTreeWalker(document.body,
                  NodeFilter.SHOW_TEXT); while (walker.nextNode()) { const n = walker.currentNode;
                  const el = n.parentElement; if (!n.textContent.trim() || !el) continue;
                  if (el.closest('script,style,.v-tooltip__content,.v-menu__content,.hoverlayer')) continue;
                  const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
                  if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden' || cs.display === 'none') continue;
                  const px = parseFloat(cs.fontSize); if (px < min[0]) min = [px, n.textContent.trim().slice(0, 40)]; }
                  return min; }"""
            )
        )

    def screenshot(self, name: str):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SHOTS / name)

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL)]

    def close(self):
        self.context.close()


def test_projector_layout_run_controls_and_presentation_mode(server, browser):
    v = Visitor(browser, server, 1280, 800)
    v.open()
    assert v.weeks() == {"a": 0}
    for testid in ("network", "status", "chart-participation", "chart-collection"):
        assert v.inside_viewport(testid), (testid, v.box(testid))
    assert v.box("network")["width"] >= 400 and v.box("chart-participation")["height"] >= 220
    assert v.page.inner_text("[data-testid=status-lines]").startswith("Week 0 (year 1)")
    key = v.page.inner_text("[data-testid=legend]")
    assert all(t("state." + s, "en") in key for s in network.STATES)  # every state, before anyone is in it
    assert t("not_yet", "en") in v.page.eval_on_selector_all(
        "[data-testid=chart-collection] .annotation-text", "els => els.map(e => e.textContent).join()"
    )
    assert "runs on Solara" not in v.page.inner_text("body")
    v.screenshot("01-loaded-1280x800-en.png")

    # Step: the week and every chart advance.
    timings = []
    for i in range(1, 4):
        start = time.perf_counter()
        v.page.click("[data-testid=step]")
        v.wait_chart_points(i)
        timings.append(time.perf_counter() - start)
        assert v.weeks() == {"a": i}
    print(f"browser step (click -> charts redrawn): {', '.join(f'{s:.3f}' for s in timings)} s")

    # 52 weeks per step: the subtitle follows the setting, and a step moves a year.
    v.page.click(".renosim-weeks button:has-text('52')")
    v.page.wait_for_selector(f"text={t('subtitle', 'en', weeks=t('weeks.year', 'en'))}")
    v.page.click("[data-testid=step]")
    v.wait_week("w === 55")
    v.wait_chart_points(55)

    # Play runs on its own until paused; after Pause the week stays put.
    v.page.click(".renosim-weeks button:has-text('1')")
    v.page.click("[data-testid=play]")
    v.wait_week("w >= 58")
    v.page.click("[data-testid=play]")
    paused_at = v.wait_until_still()
    time.sleep(1.0)
    assert v.weeks()["a"] == paused_at >= 58

    # Presentation mode: no text on the page under 18 px, and the layout still fits the screen.
    v.page.click("[data-testid=present] .v-input--selection-controls__ripple")
    v.page.wait_for_function("() => getComputedStyle(document.querySelector('.renosim-week')).fontSize === '24px'")
    v.wait_fitted()
    v.page.wait_for_timeout(300)
    px, text = v.smallest_text_px()
    assert px >= PRESENTATION_MIN_PX, (px, text)
    for testid in ("network", "chart-participation", "chart-collection"):
        assert v.inside_viewport(testid), (testid, v.box(testid))
    v.screenshot("02-presentation-1280x800-en.png")
    v.page.click("[data-testid=present] .v-input--selection-controls__ripple")

    # Regime: top-down restarts the compound with the top-down levers, shown in plain words.
    v.page.click("[data-testid=regime] .v-select__slot")
    v.page.click(f".v-menu__content .v-list-item:has-text('{t('regime.top_down', 'en')}')")
    v.wait_week("w === 0")
    top_down = levers.regime_values("top_down")
    sidebar = ".v-navigation-drawer"
    for lever in levers.levers():
        if lever.kind != "bool":
            shown = levers.shown_value(lever, levers.lever_value(top_down, lever), "en")
            v.page.wait_for_function(
                "([sel, s]) => document.querySelector(sel).innerText.includes(s)",
                arg=[sidebar, f"{t(lever.key, 'en')}: {shown}"],
            )
    assert levers.end_texts(levers.levers()[0], "en")[0] in v.page.inner_text(sidebar)

    # Language: every label, status line and chart title switches to Chinese.
    v.page.click(f"[data-testid=language] button:has-text('{LANG_NAMES['zh']}')")
    v.page.wait_for_selector(f"text={t('title', 'zh')}")
    v.page.wait_for_function(
        "(s) => document.querySelector('[data-testid=status-lines]').innerText.startsWith(s)",
        arg=t("line.week", "zh", week=0, year=1, stage="")[:8],
    )
    assert v.page.inner_text("[data-testid=step]").strip() == t("step", "zh")
    lines = v.page.inner_text("[data-testid=status-lines]").splitlines()
    assert lines and all(CJK.search(line) for line in lines if line.strip())
    titles = v.page.eval_on_selector_all("[data-testid=charts] .renosim-h", "els => els.map(e => e.innerText)")
    assert titles == [t(f"chart.{c}", "zh") for c in charts.SERIES_CHARTS]
    v.page.wait_for_timeout(500)
    v.screenshot("03-top-down-zh.png")

    assert v.external_requests() == [], "the page must work offline"
    assert v.errors == []
    v.close()


def test_full_hd_compare_mode_and_saved_session(server, browser, tmp_path):
    v = Visitor(browser, server, 1920, 1080)
    v.open()
    boxes = [v.box(f"chart-{c}") for c in charts.SERIES_CHARTS]
    assert len({round(b["y"]) for b in boxes}) == 1, boxes  # all four charts in one row
    assert all(v.inside_viewport(f"chart-{c}") for c in charts.SERIES_CHARTS)
    assert v.box("network")["height"] >= 500  # the screen is used

    # A tap on a household draws all of its ties (red), over the strong ties shown by default.
    net = "[data-testid=network][data-arm=a] .js-plotly-plot"
    x, y, shapes, _household = v.page.evaluate(
        """(sel) => { const g = document.querySelector(sel); const d = g._fullData.find(t => t.x.length > 0);
        const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis, r = g.getBoundingClientRect();
        return [r.left + xa._offset + xa.l2p(d.x[0]), r.top + ya._offset + ya.l2p(d.y[0]),
                g.layout.shapes.length, d.customdata[0]]; }""",
        net,
    )
    v.page.mouse.move(x, y)
    v.page.mouse.click(x, y)
    v.page.wait_for_function(
        "([sel, n, colour]) => { const g = document.querySelector(sel); const s = g.layout.shapes;"
        " return s.length === n + 1 && s[n].line.color === colour && s[n].path.length > 8; }",
        arg=[net, shapes, network.SELECTED_COLOUR],
    )

    # One click into compare mode: arm B (top-down) joins at arm A's week, and they step together.
    v.page.click("[data-testid=step]")
    v.wait_week("w === 1")
    v.page.click("[data-testid=compare]")
    v.page.wait_for_selector("[data-testid=week][data-arm=b]")
    assert v.weeks() == {"a": 1, "b": 1}
    v.page.click(".renosim-weeks button:has-text('13')")
    for target in (14, 27):
        v.page.click("[data-testid=step]")
        v.wait_week(f"w === {target}")
        v.wait_chart_points(target, traces=4)
    assert v.weeks() == {"a": 27, "b": 27}
    assert v.page.locator("[data-testid=network]:visible .js-plotly-plot").count() == 2
    diff = v.page.inner_text("[data-testid=differences]")
    assert re.search(rf"{t('diff.participation', 'en')}: \d+ % vs \d+ %", diff), diff
    dashes = v.page.evaluate(
        "() => document.querySelector('[data-testid=chart-participation] .js-plotly-plot').data.map(d => d.line.dash)"
    )
    assert dashes == ["solid", "solid", "dash", "dash"]
    v.wait_fitted()
    v.screenshot("04-compare-1920x1080-en.png")

    # Save the session: one HTML file that opens with every request outside the file refused.
    with v.page.expect_download() as download:
        v.page.click("[data-testid=save]")
    saved = tmp_path / "session.html"
    download.value.save_as(saved)
    offline = browser.new_context(offline=True)
    page = offline.new_page()
    refused: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (refused.append(route.request.url), route.abort())
        ),
    )
    page.goto(saved.as_uri())
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6")
    assert page.locator(".chart").count() == len(charts.SERIES_CHARTS)
    assert t("differences", "en") in page.inner_text("body")
    assert refused == []
    offline.close()

    v.page.click("[data-testid=compare]")  # and one click out again
    v.page.wait_for_function("() => document.querySelectorAll('[data-testid=week]').length === 1")
    assert v.external_requests() == [] and v.errors == []
    v.close()


def test_two_visitors_do_not_share_a_model(server, browser):
    a, b = Visitor(browser, server), Visitor(browser, server)
    try:
        a.open()
        b.open()
        for i in range(1, 4):
            a.page.click("[data-testid=step]")
            a.wait_week(f"w === {i}")
        b.page.wait_for_timeout(500)
        assert b.weeks() == {"a": 0}
        b.page.click("[data-testid=step]")
        b.wait_week("w === 1")
        assert a.weeks() == {"a": 3}
        assert a.errors == [] and b.errors == []
    finally:
        a.close()
        b.close()


def _one_latin_font() -> Path | None:
    for pattern in ("dejavu/DejaVuSans.ttf", "liberation/LiberationSans-Regular.ttf", "*/*.ttf"):
        found = sorted(Path("/usr/share/fonts/truetype").glob(pattern))
        if found:
            return found[0]
    return None


def test_shipped_font_renders_chinese_without_a_system_cjk_font(tmp_path_factory, playwright):
    """Chromium whose fontconfig knows one Latin font and no CJK font: Chinese comes from the page's face.

    With no font at all chromium's headless shell aborts ("Could not find any font"), so the font
    set holds exactly one Latin face (DejaVu Sans where installed: chromium's own dependency).
    """
    latin = _one_latin_font()
    if latin is None:
        if os.environ.get("CI"):  # CI must not pass by skipping the font check
            pytest.fail("no TrueType font under /usr/share/fonts/truetype to give chromium")
        pytest.skip("no TrueType font under /usr/share/fonts/truetype to give chromium")
    proc, url = serve(tmp_path_factory, "--lang", "zh")
    conf_dir = tmp_path_factory.mktemp("no-cjk-fonts")
    (conf_dir / "fonts").mkdir()
    (conf_dir / "fonts" / latin.name).write_bytes(latin.read_bytes())
    (conf_dir / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{conf_dir / 'fonts'}</dir><cachedir>{conf_dir / 'cache'}</cachedir></fontconfig>\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf_dir / "fonts.conf"), "FONTCONFIG_PATH": str(conf_dir)}
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True, env=env)
    try:
        v = Visitor(b, url)
        v.open()
        faces = v.page.evaluate(
            "async () => { await document.fonts.ready;"
            " return [...document.fonts].map(f => [f.family.replace(/['\"]/g, ''), f.status]); }"
        )
        assert [FONT_FAMILY, "loaded"] in faces, faces
        # Ask chromium which fonts drew the Chinese text: all glyphs from the web font, none missing.
        cdp = v.context.new_cdp_session(v.page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        checked = 0
        for selector in (".v-app-bar .v-toolbar__title", "[data-testid=status-lines] p", "[data-testid=legend] div"):
            for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                text = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                assert fonts and all(f["isCustomFont"] for f in fonts), (text, fonts)
                checked += 1
        assert checked >= 8
        v.screenshot("05-zh-no-system-fonts.png")
        assert v.external_requests() == [] and v.errors == []
        v.close()
    finally:
        b.close()
        stop(proc)


def test_mesa_page_steps_and_resets_after_a_change_of_regime(tmp_path_factory, browser):
    """``renosim viz --mesa``: Mesa's SolaraViz on the model, offline, one model per visitor."""
    proc, url = serve(tmp_path_factory, "--mesa")
    try:
        v = Visitor(browser, url, 1280, 900)
        v.page.goto(url)
        card = "[data-testid=mesa-model]"
        v.page.wait_for_selector(card, timeout=LOAD_TIMEOUT_MS)
        v.page.wait_for_selector("img", timeout=LOAD_TIMEOUT_MS)  # matplotlib components arrive as PNGs
        assert "regime three_integrations · week 0" in v.page.inner_text(card)
        step = v.page.get_by_role("button", name="Step", exact=True)
        for week in (1, 2, 3):
            step.click()
            v.page.wait_for_selector(f"{card}[data-week='{week}']", timeout=60_000)
        assert v.page.locator("text=Time: 3").count() == 1
        v.screenshot("06-mesa-page.png")
        assert v.page.locator("img").count() >= 5  # the network and four plots

        # Another regime, then Reset: a new top-down model at week 0, its preset levers in force.
        v.page.click(".v-navigation-drawer .v-select:has-text('regime') .v-select__slot")
        v.page.click(".v-menu__content .v-list-item:has-text('top_down')")
        v.page.get_by_role("button", name="Reset", exact=True).click()
        v.page.wait_for_function(
            "(s) => document.querySelector(s).innerText.startsWith('regime top_down · week 0')", arg=card
        )
        assert "integration 0 · party_rule False" in v.page.inner_text(card)
        step.click()
        v.page.wait_for_selector(f"{card}[data-week='1']", timeout=60_000)
        assert v.external_requests() == [], "Mesa's page must work offline"
        assert v.errors == []
        v.close()
    finally:
        stop(proc)
