"""What the page shows for the current week: networks, key, status lines, differences, charts.

Layout (CSS grid, sized from the viewport so a projector at 1280x800 shows the network, the status
lines and the participation and fee charts without scrolling; at 1920x1080 the four charts share one
row): the network(s) and the status column on top, the charts below. Every figure fills its box
(``autosize``), so the boxes alone decide the sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import solara

from workshop import charts, network
from workshop.compare import arm_outcomes, difference_items
from workshop.controls import testid
from workshop.fonts import FONT_FACE_CSS
from workshop.labels import t
from workshop.plotly_widget import PlotlyFigure
from workshop.session import Session, Snapshot
from workshop.status import status_lines
from workshop.style import FONT, PRESENTATION_MIN_PX, plain_figure

CHART_HEIGHT = "max(230px, 33vh)"
TOP_HEIGHT = "max(300px, calc(100vh - 64px - 33vh - 56px))"
"""Heights of the chart row and of the network row: both fit in one screen above 720 px."""

PAGE_CSS = (
    FONT_FACE_CSS
    + f"""
.v-application, .v-application .text-h6, .v-application .title, .plotly text {{ font-family: {FONT} !important; }}
.renosim-top {{ display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 8px; }}
.renosim-top.two {{ grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(0, 0.9fr); }}
.renosim-box {{ background: #fff; border: 1px solid #dde3ea; border-radius: 6px; padding: 4px 8px; min-width: 0; }}
.renosim-net {{ height: {TOP_HEIGHT}; display: flex; flex-direction: column; }}
.renosim-net .renosim-fig {{ flex: 1 1 auto; min-height: 0; }}
.renosim-side {{ height: {TOP_HEIGHT}; overflow-y: auto; font-size: 15px; }}
.renosim-side p {{ margin: 0 0 4px 0; }}
.renosim-charts {{ display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; margin-top: 8px; }}
.renosim-chart {{ height: {CHART_HEIGHT}; display: flex; flex-direction: column; }}
.renosim-chart .renosim-fig {{ flex: 1 1 auto; min-height: 0; }}
.renosim-fig {{ overflow: hidden; }}
.renosim-h {{ font-weight: 600; font-size: 16px; margin: 2px 0; }}
.renosim-key {{ display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 14px; margin: 4px 0 8px 0; }}
.renosim-key span.sw {{ display: inline-block; width: 14px; height: 14px; border-radius: 7px; margin-right: 4px;
  vertical-align: -2px; }}
.renosim-week {{ font-size: 17px; font-weight: 600; margin: 4px 0; }}
.renosim-diff {{ font-size: 16px; font-weight: 600; margin: 6px 0; color: #1d3557; }}
.renosim-ends {{ font-size: 12px; color: #555; margin: -4px 0 6px 0; }}
.renosim-note {{ font-size: 13px; color: #555; }}
@media (min-width: 1700px) {{ .renosim-charts {{ grid-template-columns: repeat(4, minmax(0, 1fr)); }} }}
"""
)
PRESENT_CSS = f"""
body *:not(svg):not(svg *) {{ font-size: max({PRESENTATION_MIN_PX}px, 1em) !important; }}
.renosim-h, .renosim-week, .renosim-diff {{ font-size: 24px !important; }}
"""
"""Presentation mode: no text on the page under 18 px (the figures get their own large sizes)."""


@solara.component_vue("fit_figures.vue")
def FitFigures(event_measure: Callable[[dict], None]):
    """Reports the size of every figure's box (``data-fig``) when one changes (``fit_figures.vue``)."""


DEFAULT_SIZES = {"network": (480, 400), "chart": (420, 220)}
"""Figure sizes (px) until the browser has measured the boxes."""


def fig_size(sizes: dict, key: str, kind: str) -> tuple[int, int]:
    """Width and height of a figure: its box as measured in the browser, or a default."""
    w, h = sizes.get(key) or DEFAULT_SIZES[kind]
    return max(160, int(w)), max(120, int(h))


@dataclass
class ArmView:
    """One arm as the dashboard draws it: its session, a snapshot, and its not-applicable series."""

    name: str
    session: Session
    snap: Snapshot

    @property
    def latest(self) -> dict | None:
        ts = self.snap.timeseries
        return ts.iloc[-1].to_dict() if len(ts) else None

    @property
    def cofunding(self) -> bool:
        return float(self.session.values.get("s_res", 0.0)) > 0


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
                solara.v.Html(tag="span", children=[item["text"]])


@solara.component
def NetworkBox(arm: ArmView | None, name: str, lang: str, big: bool, two: bool, selected, on_select, size):
    """One arm's network, with its name in compare mode; a tap on a household shows all its ties.

    Arm B's box stays on the page, hidden and empty, outside compare mode: a Plotly widget that is
    torn down sends a last message to its closed channel (an uncaught "no comm channel defined" in
    the browser), so the widget is kept and reused.
    """
    if arm is None:
        fig, deps = plain_figure([], {}), [None]
    else:
        fig = network.network_figure(arm.snap.nodes, arm.snap.edges, lang, selected=selected, big=big, size=size)
        deps = [arm.session.serial, arm.snap.week, lang, big, selected, size]
    hidden = {"style_": "display: none"} if arm is None else {}
    with solara.v.Html(tag="div", class_="renosim-box renosim-net", attributes=testid("network", arm=name), **hidden):
        title = t("compound", lang) + (f" · {t('arm.' + name, lang)}" if two else "")
        solara.v.Html(tag="div", class_="renosim-h", children=[title])
        with solara.v.Html(tag="div", class_="renosim-fig", attributes={"data-fig": "network-" + name}):
            PlotlyFigure(fig, dependencies=deps, on_click=lambda hid: on_select(None if hid == selected else hid))


@solara.component
def SideColumn(arms: Sequence[ArmView], lang: str, years: int):
    """The key, the line of differences (compare mode) and each arm's status lines."""
    with solara.v.Html(tag="div", class_="renosim-box renosim-side", attributes=testid("status")):
        Key(lang)
        if len(arms) > 1:
            solara.v.Html(tag="div", class_="renosim-note", children=[t("arms_key", lang)])
            outcomes = [arm_outcomes(a.snap.status, a.latest, lang, cofunding=a.cofunding) for a in arms]
            solara.v.Html(tag="div", class_="renosim-h", children=[t("differences", lang)])
            solara.v.Html(
                tag="div",
                class_="renosim-diff",
                attributes=testid("differences"),
                children=[" · ".join(difference_items(outcomes[0], outcomes[1], lang))],
            )
        for arm in arms:
            lines = status_lines(
                arm.snap.status, lang, arm.latest, finished=not arm.snap.running, years=years, cofunding=arm.cofunding
            )
            heading = t("status", lang) + (f" · {t('arm.' + arm.name, lang)}" if len(arms) > 1 else "")
            solara.v.Html(tag="div", class_="renosim-h", children=[heading])
            with solara.v.Html(tag="div", attributes=testid("status-lines", arm=arm.name)):
                for line in lines:
                    solara.v.Html(tag="p", children=[line])


@solara.component
def Charts(arms: Sequence[ArmView], lang: str, big: bool, years: int, sizes: dict):
    """Every chart, overlaying the arms (arm B dashed)."""
    figs = charts.timeseries_figures(
        [a.snap.timeseries for a in arms],
        lang,
        not_applicable=[a.session.not_applicable() for a in arms],
        years=years,
        big=big,
        sizes={c: fig_size(sizes, "chart-" + c, "chart") for c in charts.SERIES_CHARTS},
    )
    deps = [tuple((a.session.serial, a.snap.week) for a in arms), lang, big]
    with solara.v.Html(tag="div", class_="renosim-charts", attributes=testid("charts")):
        for key, fig in figs.items():
            with solara.v.Html(tag="div", class_="renosim-box renosim-chart", attributes=testid("chart-" + key)):
                solara.v.Html(tag="div", class_="renosim-h", children=[t("chart." + key, lang)])
                with solara.v.Html(tag="div", class_="renosim-fig", attributes={"data-fig": "chart-" + key}):
                    PlotlyFigure(fig, dependencies=[*deps, fig_size(sizes, "chart-" + key, "chart")])


@solara.component
def Dashboard(sessions: Sequence[Session], tick: solara.Reactive[int], lang: str, big: bool):
    """Networks, key, status lines, differences and charts at the current week."""
    tick.value  # noqa: B018 -- subscribe: re-render when the models step
    selected = solara.use_reactive(None)
    sizes = solara.use_reactive({})
    for session in sessions:
        if session.error:
            solara.Error(t("error", lang, message=session.error))
            return
    arms = [ArmView(name, s, s.snapshot()) for name, s in zip("ab", sessions, strict=False)]
    if any(a.snap is None for a in arms):
        return
    years = sessions[0].years
    FitFigures(event_measure=lambda measured: sizes.set({k: tuple(v) for k, v in measured.items()}))
    with solara.v.Html(tag="div", class_="renosim-top" + (" two" if len(arms) > 1 else "")):
        for i, name in enumerate("ab"):
            size = fig_size(sizes.value, "network-" + name, "network")
            arm = arms[i] if i < len(arms) else None
            NetworkBox(arm, name, lang, big, len(arms) > 1, selected.value, selected.set, size)
        SideColumn(arms, lang, years)
    Charts(arms, lang, big, years, sizes.value)
