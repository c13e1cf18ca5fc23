"""The page's controls: the run bar (Step, Play, Reset, the week, the two views) and the settings panel.

The run controls follow Mesa's ``SolaraViz`` ``ModelController`` (Step, Play/Pause, Reset); every
label comes from :mod:`workshop.labels`, and the stable hooks the tests use are ``data-testid``
attributes (``step``, ``play``, ``reset``, ``week`` with ``data-week``, ``compare``, ``branch``,
``lever`` with ``data-side`` and ``data-lever``, ...), independent of the language shown.
"""

from __future__ import annotations

from collections.abc import Callable

import solara

from sim.params import REGIMES
from workshop.board import Board
from workshop.labels import t
from workshop.levers import HOUSEHOLD_RANGE, end_texts, lever_value, levers, shown_value
from workshop.status import week_and_year

WEEKS_PER_STEP: tuple[int, ...] = (1, 4, 13, 52)
"""Choices for how far one Step moves: a week, four weeks, a quarter, a year."""
PLAY_SPEEDS: tuple[int, ...] = (4, 13, 26, 52)
"""Play speeds in weeks a second (the default, 13, is a quarter a second: ten years in 40 s)."""


def testid(name: str, **extra: str) -> dict[str, str]:
    """Attributes for a stable test hook, independent of the language shown."""
    return {"data-testid": name, **{f"data-{k}": v for k, v in extra.items()}}


def html(tag: str, text: str = "", cls: str = "", **attributes: str):
    """A plain element with text (Solara's ``v.Html``)."""
    return solara.v.Html(tag=tag, children=[text] if text else [], class_=cls, attributes=attributes)


@solara.component
def Slider(label: str, value: float, on_value: Callable, low: float, high: float, step: float, hook: dict, ends=None):
    """A slider with its label above the track, full width, reporting its value once when released.

    Every change of a lever costs a model change and a new band; Vuetify's slider reports every
    position of a drag, its ``change`` event only the last.
    """

    # The thumb follows the drag (reacton puts a controlled v_model back unless it is told the new value).
    shown, set_shown = solara.use_state(value)
    solara.use_effect(lambda: set_shown(value), [value])

    def on_change(_widget, _event, data):
        if data is not None and data != value:
            on_value(data)

    with solara.v.Html(tag="div", class_="renosim-lever", attributes=hook):
        html("div", label, "renosim-lever-label")
        slider = solara.v.Slider(
            v_model=shown,
            on_v_model=set_shown,
            min=low,
            max=high,
            step=step,
            thumb_label=True,
            hide_details=True,
            class_="renosim-track",
        )
        solara.v.use_event(slider, "change", on_change)
        if ends:
            with solara.v.Html(tag="div", class_="renosim-ends"):
                html("span", ends[0])
                html("span", ends[1])


@solara.component
def WeekCounter(board: Board, tick: solara.Reactive[int], lang: str):
    """The current week and year (``data-testid=week``, ``data-week``)."""
    tick.value  # noqa: B018 -- subscribe: re-render when the model steps
    week, year = week_and_year(board.week)
    text = t("week_counter", lang, week=week, year=year)
    if not board.running and board.sessions[0].model is not None:
        text += " · " + t("finished", lang)
    html("div", text, "renosim-week", **testid("week", week=str(week)))


@solara.component
def RunButtons(
    board: Board, tick: solara.Reactive[int], lang: str, playing: solara.Reactive[bool], stepping: bool, weeks: int
):
    """Step, Play/Pause and Reset; Step and Play are disabled once the run is over.

    Step waits while Play's loop is still drawing its last frame after Pause (``stepping``); the Play
    button's ``data-state`` says ``playing``, ``stopping`` (that last frame) or ``idle``.
    """
    tick.value  # noqa: B018 -- subscribe: a finished run disables Step and Play
    running = board.running

    def reset():
        playing.set(False)
        board.reset()

    with solara.v.Html(tag="div", class_="renosim-buttons"):
        solara.Button(
            t("step", lang),
            on_click=lambda: board.step(weeks),
            color="primary",
            disabled=playing.value or stepping or not running,
            attributes=testid("step"),
        )
        solara.Button(
            t("pause", lang) if playing.value else t("play", lang),
            on_click=lambda: playing.set(not playing.value),
            color="primary",
            disabled=not running,
            attributes=testid("play", state="playing" if playing.value else "stopping" if stepping else "idle"),
        )
        solara.Button(t("reset", lang), on_click=reset, outlined=True, attributes=testid("reset"))


@solara.component
def Choice(values, current, on_value, label: Callable[[object], str], hook: str):
    """A row of toggle buttons, one per value (``data-testid=HOOK``, ``data-value``)."""
    with solara.v.BtnToggle(
        v_model=values.index(current),
        mandatory=True,
        dense=True,
        class_="renosim-choice",
        on_v_model=lambda i: i is not None and on_value(values[i]),
    ):
        for value in values:
            solara.v.Btn(children=[label(value)], small=True, attributes=testid(hook, value=str(value)))


@solara.component
def SideSettings(board: Board, side: int, lang: str, stop: Callable[[], None], version: int):
    """One side's approach and policy measures (``version``: see :func:`SettingsPanel`)."""
    session = board.sessions[side]
    key = "ab"[side]
    with solara.v.Html(tag="div", attributes=testid("regime", side=key)):
        html("div", t("regime", lang), "renosim-lever-label")
        solara.v.Select(
            items=[
                {
                    "text": t("regime_choice", lang, name=t("regime." + r, lang), years=t("regime_years." + r, lang)),
                    "value": r,
                }
                for r in REGIMES
            ],
            v_model=session.regime,
            on_v_model=lambda name: (stop(), board.set_regime(side, name)),
            hide_details=True,
            class_="renosim-select",
        )
    for lever in levers():
        current = lever_value(session.values, lever)
        hook = testid("lever", side=key, lever=lever.key)

        def on_lever(value, lever=lever):
            board.set_lever(side, lever.key, value)

        if lever.kind == "bool":
            with solara.v.Html(tag="div", class_="renosim-lever", attributes=hook):
                solara.Switch(label=t(lever.key, lang), value=bool(current), on_value=on_lever)
            continue
        label = t("labelled", lang, name=t(lever.key, lang), value=shown_value(lever, current, lang))
        Slider(label, current, on_lever, lever.low, lever.high, lever.step, hook, end_texts(lever, lang))


@solara.component
def SettingsPanel(board: Board, lang: str, stop: Callable[[], None], speed: solara.Reactive[int], version: int):
    """Compare and branch, each side's settings, and the rarely changed settings under "More settings".

    ``version`` changes with the board's settings (reacton re-renders a component when its arguments change).
    """
    names = board.names()
    with solara.v.Html(tag="div", class_="renosim-panel-actions"):
        solara.Button(
            t("compare_off", lang) if board.comparing else t("compare", lang),
            block=True,
            on_click=lambda: (stop(), board.compare(not board.comparing)),
            color="amber" if board.comparing else None,
            outlined=not board.comparing,
            attributes=testid("compare", on=str(board.comparing).lower()),
        )
        solara.Button(
            t("branch", lang),
            block=True,
            outlined=True,
            on_click=lambda: (stop(), board.branch()),
            attributes=testid("branch"),
        )
        if board.comparing:
            html("div", t("compare_note", lang), "renosim-note")
    html("div", t("settings_note", lang), "renosim-note")
    for side in range(len(board.sides)):
        title = t("side_settings", lang, name=names[side]) if board.comparing else t("settings", lang)
        with solara.v.Html(tag="div", class_="renosim-card", attributes=testid("side-settings", side="ab"[side])):
            html("div", title, "renosim-h")
            SideSettings(board, side, lang, stop, version)
    with solara.Details(t("advanced", lang)):
        with solara.v.Html(tag="div", attributes=testid("advanced")):
            # An integer box: Mesa's own seed input passes text, and the model wants an int.
            solara.InputInt(
                t("seed", lang),
                value=board.seed,
                on_value=lambda v: v is not None and (stop(), board.set_compound(seed=int(v))),
            )
            n = board.n_households
            Slider(
                t("labelled", lang, name=t("n_households", lang), value=n),
                n,
                lambda v: (stop(), board.set_compound(n_households=int(v))),
                HOUSEHOLD_RANGE[0],
                HOUSEHOLD_RANGE[1],
                10,
                testid("households"),
            )
            html("div", t("speed", lang), "renosim-lever-label")
            Choice(list(PLAY_SPEEDS), speed.value, speed.set, str, "speed")
