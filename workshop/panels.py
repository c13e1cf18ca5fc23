"""What the page shows: the compound view (each side's network and tiles, the differences) and the charts view.

Layout (CSS grid, sized from the viewport): the settings panel on the left (hidden in presentation
mode until asked for), and the main area with the run bar and one of two views, chosen by a
visible tab: "the compound" (each side titled by its approach, its network and its big-number
tiles, and in compare mode the line of differences) and "over time" (six charts, each side's line
over the band where most runs fall). At 1280x800 in presentation mode both networks, the tiles and
the whole line of differences fit without scrolling. Figures fill their boxes; equal boxes draw the
two networks at the same scale.
"""

from __future__ import annotations

import solara

from workshop import network
from workshop.board import Board
from workshop.charts import SIDE_COLOURS, SIDE_DASH
from workshop.compare import difference_lines, tiles
from workshop.controls import html, testid
from workshop.fonts import FONT_FACE_CSS
from workshop.labels import stage_name, t
from workshop.liveplot import LivePlot
from workshop.measures import CHARTS
from workshop.status import status_lines
from workshop.style import FONT, PRESENTATION_MIN_PX

BAR = "64px"  # the app bar
PAGE_CSS = (
    FONT_FACE_CSS
    + f"""
.v-application, .v-application .text-h6, .v-application .title, .plotly text {{ font-family: {FONT} !important; }}
.v-main__wrap > .container, .v-main__wrap > div > .container {{ padding: 8px !important; max-width: none; }}
.renosim-layout {{ display: grid; grid-template-columns: 340px minmax(0, 1fr); gap: 10px;
  position: fixed; top: calc({BAR} + 8px); left: 8px; right: 8px; bottom: 8px; }}
.renosim-panel {{ overflow-y: auto; background: #fff; border: 1px solid #dde3ea; border-radius: 6px;
  padding: 6px 12px; }}
.renosim-main {{ display: flex; flex-direction: column; min-width: 0; min-height: 0; }}
.renosim-bar {{ display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin-bottom: 6px; }}
.renosim-bar .spacer {{ flex: 1 1 0; }}
.renosim-buttons {{ display: flex; gap: 6px; }}
.v-application .v-btn {{ text-transform: none; letter-spacing: normal; }}
.renosim-week {{ font-size: 18px; font-weight: 600; white-space: nowrap; }}
.renosim-view {{ flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; gap: 6px; }}
.renosim-view.hidden, .renosim-side.hidden {{ display: none; }}
.renosim-sides {{ flex: 1 1 auto; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr);
  grid-template-rows: minmax(0, 1fr); gap: 8px; }}
.renosim-sides.two {{ grid-template-columns: repeat(2, minmax(0, 1fr)); }}
.renosim-side {{ display: flex; flex-direction: column; min-height: 0; min-width: 0; background: #fff;
  border: 1px solid #dde3ea; border-radius: 6px; padding: 4px 8px; container-type: inline-size; }}
.renosim-side-title {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 12px; margin-bottom: 2px; }}
.renosim-name {{ font-size: 20px; font-weight: 700; }}
.renosim-stage {{ font-size: 15px; color: #3e4c59; }}
.renosim-side-body {{ flex: 1 1 auto; min-height: 0; display: grid; gap: 8px;
  grid-template-columns: minmax(0, 1fr) 190px; grid-template-rows: minmax(0, 1fr); }}
.renosim-side-body.single {{ grid-template-columns: minmax(0, 1fr) 190px minmax(220px, 300px); }}
@container (max-width: 520px) {{
  .renosim-side-body {{ grid-template-columns: minmax(0, 1fr); grid-template-rows: minmax(0, 1fr) auto; }}
  .renosim-tiles {{ display: grid !important; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 4px; }}
  .renosim-tile-label, .renosim-tile-range {{ font-size: 12px; }}
  .renosim-tile-value {{ font-size: 20px; }}
  .renosim-tiles .renosim-tile-value.word {{ font-size: 13px !important; }}
}}
.renosim-net, .renosim-fig {{ position: relative; min-height: 0; min-width: 0; }}
.renosim-fig {{ flex: 1 1 auto; height: 100%; }}
.renosim-fig .renosim-live {{ position: absolute; inset: 0; }}
.renosim-tiles {{ display: flex; flex-direction: column; gap: 4px; min-height: 0; }}
.renosim-tile {{ border-left: 6px solid; background: #f5f7fa; border-radius: 4px; padding: 1px 8px; line-height: 1.2; }}
.renosim-tile > div {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}  /* one line each */
.renosim-tile-label {{ font-size: 14px; color: #3e4c59; }}
.renosim-tile-value {{ font-size: 26px; font-weight: 700; line-height: 1.1; }}
.renosim-tile-range {{ font-size: 13px; color: #52606d; }}
.renosim-tile-value.word {{ font-size: 18px !important; font-weight: 600; }}
.renosim-status {{ overflow-y: auto; font-size: 15px; min-height: 0; }}
.renosim-status p {{ margin: 0 0 4px 0; }}
.renosim-h {{ font-weight: 600; font-size: 16px; margin: 2px 0; }}
.renosim-key, .renosim-chart-key {{ display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 14px;
  margin: 2px 0 6px 0; }}
.renosim-key span.sw {{ display: inline-block; width: 14px; height: 14px; border-radius: 7px; margin-right: 4px;
  vertical-align: -2px; }}
.renosim-key-item .line {{ display: inline-block; width: 30px; margin-right: 6px; vertical-align: middle; }}
.renosim-diff {{ background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 4px 10px; color: #1d3557; }}
.renosim-diff-head {{ font-size: 17px; font-weight: 700; }}
.renosim-diff-items {{ display: flex; flex-wrap: wrap; gap: 2px 22px; font-size: 16px; font-weight: 600; }}
.renosim-charts {{ flex: 1 1 auto; min-height: 0; display: grid; gap: 8px;
  grid-template-columns: repeat(3, minmax(0, 1fr)); grid-template-rows: repeat(2, minmax(0, 1fr)); }}
.renosim-chart {{ display: flex; flex-direction: column; min-height: 0; background: #fff; border: 1px solid #dde3ea;
  border-radius: 6px; padding: 2px 6px; }}
.renosim-lever {{ margin: 4px 0 10px 0; }}
.renosim-lever-label {{ font-size: 14px; line-height: 1.3; }}
.renosim-track {{ width: 100%; margin: 0; }}
.renosim-ends {{ display: flex; justify-content: space-between; gap: 8px; font-size: 12px; color: #52606d; }}
.renosim-ends span:last-child {{ text-align: right; }}
.renosim-note {{ font-size: 13px; color: #52606d; margin: 4px 0; }}
.renosim-card {{ border-top: 1px solid #dde3ea; margin-top: 6px; padding-top: 4px; }}
.renosim-panel-actions .v-btn {{ margin: 3px 0; }}
"""
)
PRESENT_CSS = f"""
.renosim-layout {{ grid-template-columns: minmax(0, 1fr); }}
.renosim-panel {{ display: none; }}
.renosim-layout.settings-open .renosim-panel {{ display: block; position: fixed; z-index: 6; left: 8px;
  top: calc({BAR} + 64px); width: 400px; max-height: calc(100vh - {BAR} - 72px);
  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.25); }}
body *:not(svg):not(svg *) {{ font-size: max({PRESENTATION_MIN_PX}px, 1em) !important; }}
body * {{ transition: none !important; }}  /* a label's size eases in otherwise: text under 18 px */
.renosim-week, .renosim-name {{ font-size: 24px !important; }}
.renosim-tile-value {{ font-size: 30px !important; }}
.renosim-diff-head, .renosim-diff-items {{ font-size: 20px !important; }}
.renosim-side-body {{ grid-template-columns: minmax(0, 1fr) 210px; }}
"""
"""Presentation mode: the settings panel folds away (a button opens it over the page) and no text is under 18 px."""


@solara.component
def Figure(board: Board, key: str):
    """One of the board's figures (``LivePlot``), attached to its :class:`~workshop.liveplot.LiveFigure`."""
    with solara.v.Html(tag="div", class_="renosim-fig", attributes={"data-fig": key}):
        element = LivePlot.element()

    def attach():
        board.figures[key].attach(solara.get_widget(element))

    solara.use_effect(attach, [board, key])


@solara.component
def Key(lang: str):
    """The fixed key to the network: every state, the party marker, ties, bands, the tap hint."""
    with solara.v.Html(tag="div", class_="renosim-key", attributes=testid("legend")):
        for item in network.legend_items(lang):
            if item["kind"] == "state":
                swatch = f"background: {item['colour']}"
            elif item["kind"] == "party":
                swatch = f"border: 2px solid {item['colour']}; transform: rotate(45deg); border-radius: 0"
            elif item["kind"] == "band":
                swatch = f"background: {item['colour']}; opacity: 0.45; height: 8px; width: 22px; border-radius: 4px"
            else:
                swatch = f"background: {item['colour']}; height: 3px; width: 22px; border-radius: 0"
            with solara.v.Html(tag="div", attributes={"data-kind": item["kind"]}):
                solara.v.Html(tag="span", class_="sw", style_=swatch)
                html("span", item["text"])


@solara.component
def SideTitle(board: Board, side: int, name: str, tick: solara.Reactive[int], lang: str):
    """The side's approach in plain words, and its current stage."""
    tick.value  # noqa: B018 -- the stage moves on with the weeks
    if side >= len(board.sides):
        return
    status = board.sessions[side].status()
    stage = stage_name(status["stage"], lang) if status else ""
    with solara.v.Html(tag="div", class_="renosim-side-title", attributes=testid("side-title", side="ab"[side])):
        solara.v.Html(tag="span", children=[name], class_="renosim-name", style_=f"color: {SIDE_COLOURS[side]}")
        html("span", stage, "renosim-stage")


@solara.component
def Tiles(board: Board, side: int, tick: solara.Reactive[int], lang: str):
    """The side's big numbers, each with the range where most runs are at this week."""
    tick.value  # noqa: B018 -- subscribe: the numbers change every step
    if side >= len(board.sides):
        return
    with solara.v.Html(tag="div", class_="renosim-tiles", attributes=testid("tiles", side="ab"[side])):
        for tile in tiles(board.sessions[side], board.sides[side].band, lang):
            with solara.v.Html(
                tag="div",
                class_="renosim-tile",
                style_=f"border-left-color: {SIDE_COLOURS[side]}",
                attributes=testid("tile", key=tile.key, side="ab"[side]),
            ):
                html("div", tile.label, "renosim-tile-label")
                html("div", tile.text, "renosim-tile-value" + ("" if tile.number else " word"))
                if tile.range_text:
                    html("div", tile.range_text, "renosim-tile-range")


@solara.component
def StatusLines(board: Board, tick: solara.Reactive[int], lang: str):
    """Where things stand, in sentences (one side only: compare mode has the differences instead)."""
    tick.value  # noqa: B018
    session = board.sessions[0]
    status = session.status()
    latest = {k: (v[-1] if len(v) else None) for k, v in session.measures(["participation", "willingness"]).items()}
    lines = status_lines(
        status,
        lang,
        latest if session.week else None,
        finished=not session.running,
        years=session.years,
        cofunding=session.cofunding_applies(),
    )
    with solara.v.Html(tag="div", class_="renosim-status", attributes=testid("status")):
        Key(lang)
        html("div", t("status", lang), "renosim-h")
        with solara.v.Html(tag="div", attributes=testid("status-lines")):
            for line in lines:
                html("p", line)


@solara.component
def Differences(board: Board, tick: solara.Reactive[int], lang: str):
    """Compare mode: the two sides by name, then one item per outcome."""
    tick.value  # noqa: B018
    if not board.comparing:
        return
    heading, items = difference_lines(board.sessions, lang)
    with solara.v.Html(tag="div", class_="renosim-diff", attributes=testid("differences")):
        html("div", heading, "renosim-diff-head")
        with solara.v.Html(tag="div", class_="renosim-diff-items"):
            for item in items:
                html("span", item, "renosim-diff-item")


@solara.component
def CompoundView(board: Board, tick: solara.Reactive[int], lang: str, shown: bool, version: int):
    """Each side: its title, network and tiles; one side also has its status; two have the differences.

    ``version`` changes with the board's settings (reacton re-renders a component when its arguments change).
    """
    names, two = board.names(), board.comparing
    with solara.v.Html(
        tag="div", class_="renosim-view" + ("" if shown else " hidden"), attributes=testid("view-compound")
    ):
        with solara.v.Html(tag="div", class_="renosim-sides" + (" two" if two else "")):
            for side, key in enumerate("ab"):
                here = side < len(board.sides)
                # Side B's box stays on the page, hidden, outside compare mode: its plot keeps its view.
                with solara.v.Html(
                    tag="div", class_="renosim-side" + ("" if here else " hidden"), attributes=testid("side", side=key)
                ):
                    if here:
                        SideTitle(board, side, names[side], tick, lang)
                    with solara.v.Html(tag="div", class_="renosim-side-body" + ("" if two else " single")):
                        with solara.v.Html(tag="div", class_="renosim-net", attributes=testid("network", side=key)):
                            Figure(board, f"network-{key}")
                        if here:
                            Tiles(board, side, tick, lang)
                        if here and not two:
                            StatusLines(board, tick, lang)
        if two:
            Differences(board, tick, lang)
            with solara.v.Html(tag="div", class_="renosim-key-line"):
                Key(lang)


@solara.component
def ChartKey(board: Board, tick: solara.Reactive[int], lang: str):
    """The charts' legend: which line is which side, the band and its runs, the change mark."""
    tick.value  # noqa: B018 -- the band's state changes when it has been worked out
    names = board.names()
    with solara.v.Html(tag="div", class_="renosim-chart-key", attributes=testid("chart-key")):
        for side, name in enumerate(names):
            style = f"border-top: 4px {'dashed' if SIDE_DASH[side] == 'dash' else 'solid'} {SIDE_COLOURS[side]}"
            with solara.v.Html(
                tag="span", class_="renosim-key-item", attributes=testid("chart-key-side", side="ab"[side])
            ):
                solara.v.Html(tag="span", class_="line", style_=style)
                html("span", t("key.dashed" if side else "key.solid", lang, name=name))
        html("span", t("change.key", lang), "renosim-key-item")
        runs = board.runs
        ready = all(side.band is not None for side in board.sides)
        seeds = board.sides[0].spec.seeds if board.sides[0].spec else [board.seed]
        html("span", t("band.key", lang, n=runs), "renosim-key-item")
        status = (
            t("band.ready", lang, n=runs, first=seeds[0], last=seeds[-1])
            if ready
            else t("band.computing", lang, n=runs)
        )
        html(
            "span",
            status,
            "renosim-key-item",
            **testid("band", state="ready" if ready else "computing", runs=str(runs)),
        )


@solara.component
def ChartsView(board: Board, tick: solara.Reactive[int], lang: str, shown: bool, version: int):
    """Six charts over time, with their key."""
    with solara.v.Html(
        tag="div", class_="renosim-view" + ("" if shown else " hidden"), attributes=testid("view-charts")
    ):
        if board.runs:
            ChartKey(board, tick, lang)
        with solara.v.Html(tag="div", class_="renosim-charts", attributes=testid("charts")):
            for chart in CHARTS:
                with solara.v.Html(tag="div", class_="renosim-chart", attributes=testid("chart-" + chart)):
                    html("div", t("chart." + chart, lang), "renosim-h")
                    Figure(board, f"chart-{chart}")


@solara.component
def BandWaiter(board: Board, key: tuple):
    """Waits (in a thread) for the bands being worked out and hands each to the board when done."""

    def wait():
        for spec, future in board.band_futures():
            try:
                board.set_band(spec, future.result())
            except Exception:  # noqa: BLE001 -- a band that fails leaves the page without one, not broken
                pass

    solara.use_thread(wait, dependencies=[key])
