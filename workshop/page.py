"""The workshop page: one compound, its levers, its network, status lines and charts.

``Page`` is the component ``solara run app.py`` shows. It keeps every piece of state (language,
settings, the model) in hooks, so each browser session has its own model; nothing here is shared
between visitors.

The run controls follow Mesa's ``SolaraViz`` ``ModelController`` (Step, Play/Pause, Reset, a play
loop in a worker thread that re-renders after each step), but every label comes from
:mod:`workshop.labels`: SolaraViz hard-codes English button and card titles, and its inputs
cannot follow a regime preset or keep their values when the labels change language.
"""

from __future__ import annotations

import os
import time

import solara

from sim.params import REGIMES
from workshop import figures
from workshop.labels import DEFAULT_LANG, LANG_NAMES, LANGS, t
from workshop.levers import (
    DEFAULT_HOUSEHOLDS,
    DEFAULT_REGIME,
    HOUSEHOLD_RANGE,
    format_value,
    lever_value,
    levers,
    regime_values,
    set_lever,
)
from workshop.plotly_widget import PlotlyFigure
from workshop.session import Session
from workshop.status import status_lines, week_and_year

WEEKS_PER_STEP: tuple[int, ...] = (1, 4, 13, 52)
"""Choices for how far one Step (or one frame of Play) moves: a week, month, quarter, year."""

DEFAULT_PLAY_INTERVAL_MS = 400
"""Pause between weeks while playing. A browser needs about 0.3 s to redraw the five figures of a
week (headless chromium without a GPU, sharing two cores with the server); a shorter pause lets
updates queue up, and the page then lags behind the model and reacts late to Pause."""
MIN_PLAY_INTERVAL_MS = 100


def default_lang() -> str:
    """The language a new session starts in: ``$RENOSIM_VIZ_LANG`` if valid, else Chinese."""
    lang = os.environ.get("RENOSIM_VIZ_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def _testid(name: str) -> dict[str, str]:
    # Stable hooks for the browser test, independent of the language shown.
    return {"data-testid": name}


@solara.component
def LeverSlider(label: str, value: float, on_value, min: float, max: float, step: float):  # noqa: A002
    """A slider that reports its value when released, not while it is dragged.

    Every change of a setting rebuilds the model (about 0.7 s for 150 households with Mesa
    agents); Solara's sliders report every position of a drag, which would queue a rebuild for
    each. The slider's own ``change`` event fires once, on release.
    """

    def on_change(_widget, _event, data):
        if data is not None and data != value:
            on_value(data)

    slider = solara.v.Slider(
        label=label,
        v_model=value,
        min=min,
        max=max,
        step=step,
        thumb_label=True,
        hide_details=True,
        class_="renosim-slider",
    )
    solara.v.use_event(slider, "change", on_change)
    return slider


@solara.component
def WeekCounter(session: Session, tick: solara.Reactive[int], lang: str):
    """The current week and year, updated after every step."""
    tick.value  # noqa: B018 -- subscribe: re-render when the model steps
    week = float(session.model.time) if session.model is not None else 0.0
    w, y = week_and_year(week)
    text = t("week_counter", lang, week=w, year=y)
    if session.model is not None and not session.running:
        text += " · " + t("finished", lang)
    solara.v.Html(
        tag="div",
        children=[text],
        attributes={**_testid("week"), "data-week": str(w)},
        style_="font-size: 1.15em; font-weight: 600; margin: 4px 0 8px 0;",
    )


@solara.component
def RunButtons(
    session: Session, tick: solara.Reactive[int], playing: bool, lang: str, on_step, on_play_pause, on_reset
):
    """Step, Play/Pause and Reset; Step and Play are disabled once the run is over."""
    tick.value  # noqa: B018 -- subscribe: the run may end on any step
    with solara.Row(justify="space-between"):
        solara.Button(
            t("step", lang),
            on_click=on_step,
            color="primary",
            disabled=playing or not session.running,
            classes=["renosim-step"],
        )
        solara.Button(
            t("pause", lang) if playing else t("play", lang),
            on_click=on_play_pause,
            color="primary",
            disabled=not session.running,
            classes=["renosim-play"],
        )
        solara.Button(t("reset", lang), on_click=on_reset, classes=["renosim-reset"])


@solara.component
def Dashboard(session: Session, tick: solara.Reactive[int], lang: str):
    """Network, status lines and charts of compound 0 at the current week."""
    tick.value  # noqa: B018 -- subscribe: re-render when the model steps
    if session.error:
        solara.Error(t("error", lang, message=session.error))
        return
    snap = session.snapshot()
    if snap is None:
        return
    deps = [session.serial, snap.week, lang]
    latest = snap.timeseries.iloc[-1].to_dict() if len(snap.timeseries) else None
    lines = status_lines(
        snap.status,
        lang,
        latest,
        finished=not snap.running,
        years=session.years,
        cofunding=float(session.values.get("s_res", 0.0)) > 0,
    )
    net = figures.network_figure(snap.nodes, snap.edges, lang)
    charts = figures.timeseries_figures(snap.timeseries, lang, years=session.years)

    # Fixed-size figures in wrapping rows: on a narrow screen a panel moves below instead of
    # being cut off.
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        with solara.Card(t("compound", lang), style={"flex": "0 0 auto"}):
            with solara.v.Html(tag="div", attributes=_testid("network")):
                PlotlyFigure(net, dependencies=deps)
        with solara.Card(t("status", lang), style={"flex": "1 1 280px", "max-width": "520px"}):
            with solara.v.Html(tag="div", attributes=_testid("status")):
                for line in lines:
                    solara.v.Html(tag="p", children=[line], style_="margin: 0 0 6px 0;")
    with solara.Card(t("charts", lang)):
        with solara.v.Html(
            tag="div",
            attributes=_testid("charts"),
            style_="display: flex; flex-wrap: wrap; gap: 8px;",
        ):
            for key, fig in charts.items():
                with solara.v.Html(tag="div", attributes=_testid("chart-" + key)):
                    PlotlyFigure(fig, dependencies=deps)


@solara.component
def Page():
    """The renosim workshop page (the ``Page`` that ``solara run`` looks for)."""
    # use_reactive follows its argument when that changes between renders, so the initial values
    # are computed once per session.
    initial_lang = solara.use_memo(default_lang, [])
    initial_config = solara.use_memo(
        lambda: {
            "regime": DEFAULT_REGIME,
            "values": regime_values(DEFAULT_REGIME),
            "n_households": DEFAULT_HOUSEHOLDS,
            "seed": 0,
        },
        [],
    )
    lang = solara.use_reactive(initial_lang)
    # Everything the model is built from, in one value: a regime change sets the regime and its
    # lever presets together, so the model is rebuilt once, not once per field.
    config = solara.use_reactive(initial_config)
    cfg = config.value
    resets = solara.use_reactive(0)
    weeks_per_step = solara.use_reactive(1)
    play_interval = solara.use_reactive(DEFAULT_PLAY_INTERVAL_MS)
    playing = solara.use_reactive(False)
    tick = solara.use_reactive(0)
    L = lang.value

    settings = (
        cfg["regime"],
        int(cfg["n_households"]),
        int(cfg["seed"]),
        tuple(sorted(cfg["values"].items())),
        resets.value,
    )
    # The model lives in this session's hooks: a new one whenever a setting changes or on Reset.
    session = solara.use_memo(
        lambda: Session(cfg["regime"], int(cfg["n_households"]), int(cfg["seed"]), dict(cfg["values"])),
        dependencies=[settings],
    )

    def play_loop():
        # Restarted by use_task whenever playing or the session changes; exits when paused.
        while playing.value and session.running:
            time.sleep(play_interval.value / 1000)
            if not playing.value:
                break
            session.step(weeks_per_step.value)
            tick.value += 1
        if playing.value and not session.running:
            playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value, session.serial], prefer_threaded=True)

    def configure(**changes):
        # Any change of settings stops play first, so the loop never steps a discarded model.
        playing.value = False
        config.value = {**config.value, **changes}

    def on_regime(name):
        configure(regime=name, values=regime_values(name))

    def on_step():
        session.step(weeks_per_step.value)
        tick.value += 1

    def on_reset():
        playing.value = False
        resets.value += 1

    def on_play_pause():
        playing.value = not playing.value

    solara.Title(t("title", L))
    with solara.AppBar():
        solara.AppBarTitle(t("title", L))
        with solara.v.Html(tag="div", attributes=_testid("language")):
            solara.ToggleButtonsSingle(
                value=LANG_NAMES[L],
                values=[LANG_NAMES[code] for code in LANGS],
                on_value=lambda name: lang.set(next(c for c in LANGS if LANG_NAMES[c] == name)),
                dense=True,
            )

    with solara.Sidebar():
        with solara.Card(t("controls", L)):
            solara.Text(t("subtitle", L), style={"font-size": "0.85em", "color": "#555"})
            WeekCounter(session, tick, L)
            RunButtons(session, tick, playing.value, L, on_step, on_play_pause, on_reset)
            solara.Text(t("weeks_per_step", L))
            solara.ToggleButtonsSingle(
                value=weeks_per_step.value,
                values=list(WEEKS_PER_STEP),
                on_value=weeks_per_step.set,
                dense=True,
                classes=["renosim-weeks"],
            )
            solara.SliderInt(
                f"{t('speed', L)}: {play_interval.value}",
                value=play_interval.value,
                on_value=play_interval.set,
                min=MIN_PLAY_INTERVAL_MS,
                max=2000,
                step=50,
            )
        with solara.Card(t("settings", L)):
            with solara.v.Html(tag="div", attributes=_testid("regime")):
                solara.v.Select(
                    label=t("regime", L),
                    items=[{"text": t("regime." + r, L), "value": r} for r in REGIMES],
                    v_model=cfg["regime"],
                    on_v_model=on_regime,
                )
            # An integer box: Mesa's own seed input passes text, and the model wants an int.
            solara.InputInt(
                t("seed", L),
                value=int(cfg["seed"]),
                on_value=lambda v: v is not None and configure(seed=int(v)),
            )
            LeverSlider(
                f"{t('n_households', L)}: {int(cfg['n_households'])}",
                value=int(cfg["n_households"]),
                on_value=lambda v: configure(n_households=int(v)),
                min=HOUSEHOLD_RANGE[0],
                max=HOUSEHOLD_RANGE[1],
                step=10,
            )
            for lever in levers():
                current = lever_value(cfg["values"], lever)

                def on_lever(value, lever=lever):
                    configure(values=set_lever(config.value["values"], lever, value))

                if lever.kind == "bool":
                    solara.Switch(label=t(lever.key, L), value=current, on_value=on_lever)
                else:
                    LeverSlider(
                        f"{t(lever.key, L)}: {format_value(lever, current)}",
                        value=current,
                        on_value=on_lever,
                        min=lever.low,
                        max=lever.high,
                        step=lever.step,
                    )
            solara.Text(t("settings_note", L), style={"font-size": "0.85em", "color": "#555"})

    Dashboard(session, tick, L)
