"""The workshop page: one compound, or two approaches to it side by side, with their levers and charts.

``Page`` is the component ``solara run app.py`` shows. The visitor's models, bands and figures live
in a :class:`~workshop.board.Board` made inside the page (``solara.use_memo``), so every browser
session has its own; nothing here is shared between visitors except the band computations, which
are keyed by their settings.

Two reactive counters tell the components what changed: ``tick`` after a step (only the text that
shows numbers re-renders; the figures are patched by the board), ``shape`` after a change of
settings, sides, language or mode (the layout re-renders).
"""

from __future__ import annotations

import os
import threading
import time

import solara

from workshop.board import Board
from workshop.controls import PLAY_SPEEDS, WEEKS_PER_STEP, Choice, RunButtons, SettingsPanel, WeekCounter, testid
from workshop.labels import DEFAULT_LANG, LANG_NAMES, LANGS, t
from workshop.levers import DEFAULT_HOUSEHOLDS, DEFAULT_REGIME
from workshop.panels import PAGE_CSS, PRESENT_CSS, BandWaiter, ChartsView, CompoundView
from workshop.saving import SaveButtons

DEFAULT_SPEED = 13
"""Play speed in weeks a second: a quarter a second, ten years in 40 s."""
FRAME_SECONDS = 0.25
"""Play draws about four frames a second, each as many weeks as the speed asks for."""


def default_lang() -> str:
    """The language a new session starts in: ``$RENOSIM_VIZ_LANG`` if valid, else Chinese."""
    lang = os.environ.get("RENOSIM_VIZ_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


class Player:
    """Play's loops, one at a time.

    Pause cannot stop a frame that is being computed: the loop finishes it, draws it, and stops. A
    loop started meanwhile (Pause then Play again) waits for that frame, and a loop that a newer one
    has replaced stops after its frame, so quick presses never leave two loops stepping the board.
    """

    def __init__(self):
        self.lock = threading.Lock()  # held by the loop that is stepping
        self.generation = 0
        self._counting = threading.Lock()

    def start(self) -> int:
        """A new loop's number; any older loop stops after its frame."""
        with self._counting:
            self.generation += 1
            return self.generation

    def current(self, loop: int) -> bool:
        return self.generation == loop


def weeks_per_frame(speed: int) -> int:
    """Weeks one frame of Play moves at ``speed`` weeks a second."""
    return max(1, round(speed * FRAME_SECONDS))


@solara.component
def Page():
    """The renosim workshop page (the ``Page`` that ``solara run`` looks for)."""
    board = solara.use_memo(lambda: Board(DEFAULT_REGIME, DEFAULT_HOUSEHOLDS, 0, default_lang()), [])
    tick = solara.use_reactive(0)
    shape = solara.use_reactive(0)
    settings_open = solara.use_reactive(False)
    weeks = solara.use_reactive(1)
    speed = solara.use_reactive(DEFAULT_SPEED)
    playing = solara.use_reactive(False)
    stepping = solara.use_reactive(False)  # a Play loop is running (after Pause, until its frame is drawn)
    player = solara.use_memo(Player, [])

    def changed(structural: bool) -> None:
        if structural:  # the layout first: components of a side that has gone are gone before the tick
            shape.value += 1
        tick.value += 1

    board.on_change = changed
    # Reacton re-renders a child only when its arguments change: the layout's children get this.
    version = shape.value
    lang = board.lang

    def play_loop():
        # Restarted by use_task whenever Play or Pause is pressed; exits when paused, replaced or at the end.
        if not playing.value:
            return
        loop = player.start()
        with player.lock:
            stepping.value = True
            try:
                while playing.value and board.running and player.current(loop):
                    start = time.perf_counter()
                    n = weeks_per_frame(speed.value)
                    board.step(n)
                    time.sleep(max(0.0, n / speed.value - (time.perf_counter() - start)))
            finally:
                stepping.value = False
        if playing.value and player.current(loop):  # the run is over
            playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def stop():
        playing.value = False

    solara.Title(t("title", lang))
    solara.Style(PAGE_CSS + (PRESENT_CSS if board.big else ""))
    with solara.AppBar():
        solara.AppBarTitle(t("title", lang))
        with solara.v.Html(tag="div", attributes=testid("present"), style_="margin: 0 12px"):
            solara.Switch(label=t("present", lang), value=board.big, on_value=board.set_big)
        SaveButtons(board, lang)
        with solara.v.Html(tag="div", attributes=testid("language")):
            solara.ToggleButtonsSingle(
                value=LANG_NAMES[lang],
                values=[LANG_NAMES[code] for code in LANGS],
                on_value=lambda name: board.set_lang(next(c for c in LANGS if LANG_NAMES[c] == name)),
                dense=True,
            )
    BandWaiter(board, tuple(side.spec for side in board.sides))
    if board.error:
        solara.Error(t("error", lang, message=board.error))
    layout = "renosim-layout" + (" settings-open" if settings_open.value else "")
    with solara.v.Html(tag="div", class_=layout):
        with solara.v.Html(tag="div", class_="renosim-panel", attributes=testid("settings")):
            SettingsPanel(board, lang, stop, speed, version)
        with solara.v.Html(tag="div", class_="renosim-main"):
            with solara.v.Html(tag="div", class_="renosim-bar", attributes=testid("run-bar")):
                if board.big:
                    solara.Button(
                        t("settings_close" if settings_open.value else "settings_open", lang),
                        icon_name="mdi-tune",
                        outlined=True,
                        on_click=lambda: settings_open.set(not settings_open.value),
                        attributes=testid("settings-toggle"),
                    )
                RunButtons(board, tick, lang, playing, stepping.value, weeks.value)
                Choice(list(WEEKS_PER_STEP), weeks.value, weeks.set, lambda w: t(f"weeks.{w}", lang), "weeks")
                WeekCounter(board, tick, lang)
                solara.v.Html(tag="div", class_="spacer")
                Choice(["compound", "charts"], board.view, board.set_view, lambda v: t("view_" + v, lang), "view")
            if not board.error:
                CompoundView(board, tick, lang, board.view == "compound", version)
                ChartsView(board, tick, lang, board.view == "charts", version)


__all__ = ["PLAY_SPEEDS", "Page", "default_lang", "weeks_per_frame"]
