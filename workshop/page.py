"""The workshop page: one compound, or two arms of it side by side, with their levers and charts.

``Page`` is the component ``solara run app.py`` shows. It keeps every piece of state (language,
settings, the models) in hooks, so each browser session has its own models; nothing here is shared
between visitors.

Compare mode (one click, ``data-testid=compare``) adds arm B: the same compound and seed (common
random numbers) under another regime or lever set, stepped together with arm A. A new or changed
arm B catches up with arm A's week (about 1 ms a week); a change to
arm A, the compound or the seed restarts both arms.
"""

from __future__ import annotations

import os
import time

import solara

from sim.params import REGIMES
from workshop.controls import ArmSettings, LeverSlider, RunButtons, WeekCounters, testid
from workshop.labels import DEFAULT_LANG, LANG_NAMES, LANGS, t
from workshop.levers import DEFAULT_HOUSEHOLDS, DEFAULT_REGIME, HOUSEHOLD_RANGE, regime_values
from workshop.panels import PAGE_CSS, PRESENT_CSS, Dashboard
from workshop.saving import SaveButton
from workshop.session import Session

WEEKS_PER_STEP: tuple[int, ...] = (1, 4, 13, 52)
"""Choices for how far one Step (or one frame of Play) moves: a week, month, quarter, year."""

DEFAULT_PLAY_INTERVAL_MS = 400
"""Pause between frames while playing: a browser needs about 0.3 s to redraw the figures of a week
(headless chromium without a GPU, sharing two cores with the server)."""
MIN_PLAY_INTERVAL_MS = 100


def default_lang() -> str:
    """The language a new session starts in: ``$RENOSIM_VIZ_LANG`` if valid, else Chinese."""
    lang = os.environ.get("RENOSIM_VIZ_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def other_regime(regime: str) -> str:
    """Arm B's starting regime: top-down against a council-led arm A, else the newest regime."""
    return "top_down" if regime != "top_down" else REGIMES[-1]


def step_text(weeks: int, lang: str) -> str:
    """How far one step goes, in words ("one week", "13 weeks", "one year (52 weeks)")."""
    if weeks == 1:
        return t("weeks.one", lang)
    return t("weeks.year", lang) if weeks == 52 else t("weeks.many", lang, n=weeks)


def _arm_config(regime: str) -> dict:
    return {"regime": regime, "values": regime_values(regime)}


@solara.component
def Page():
    """The renosim workshop page (the ``Page`` that ``solara run`` looks for)."""
    initial_lang = solara.use_memo(default_lang, [])
    initial = solara.use_memo(lambda: _arm_config(DEFAULT_REGIME), [])
    lang = solara.use_reactive(initial_lang)
    arm_a = solara.use_reactive(initial)
    arm_b = solara.use_reactive(solara.use_memo(lambda: _arm_config(other_regime(DEFAULT_REGIME)), []))
    compound = solara.use_reactive({"n_households": DEFAULT_HOUSEHOLDS, "seed": 0})
    comparing = solara.use_reactive(False)
    present = solara.use_reactive(False)
    resets = solara.use_reactive(0)
    weeks_per_step = solara.use_reactive(1)
    play_interval = solara.use_reactive(DEFAULT_PLAY_INTERVAL_MS)
    playing = solara.use_reactive(False)
    tick = solara.use_reactive(0)
    L = lang.value
    n, seed = int(compound.value["n_households"]), int(compound.value["seed"])

    def build(cfg: dict) -> Session:
        return Session(cfg["regime"], n, seed, dict(cfg["values"]))

    key_a = (repr(arm_a.value), n, seed, resets.value)
    session_a = solara.use_memo(lambda: build(arm_a.value), dependencies=[key_a])

    def build_b():
        if not comparing.value:
            return None
        week = float(session_a.model.time) if session_a.model is not None else 0.0
        b = build(arm_b.value)
        b.step_to(week)
        return b

    session_b = solara.use_memo(build_b, dependencies=[repr(arm_b.value), session_a.serial, comparing.value])
    sessions = [s for s in (session_a, session_b) if s is not None]

    def step_all(weeks: int) -> None:
        for s in sessions:
            s.step(weeks)
        tick.value += 1

    def play_loop():
        # Restarted by use_task whenever playing or a session changes; exits when paused.
        while playing.value and any(s.running for s in sessions):
            time.sleep(play_interval.value / 1000)
            if not playing.value:
                break
            step_all(weeks_per_step.value)
        if playing.value:
            playing.value = False

    serials = tuple(s.serial for s in sessions)
    solara.lab.use_task(play_loop, dependencies=[playing.value, serials], prefer_threaded=True)

    def stop():
        playing.value = False

    def on_reset():
        playing.value = False
        resets.value += 1

    solara.Title(t("title", L))
    solara.Style(PAGE_CSS + (PRESENT_CSS if present.value else ""))
    with solara.AppBar():
        solara.AppBarTitle(t("title", L))
        with solara.v.Html(tag="div", attributes=testid("present"), style_="margin: 0 12px"):
            solara.Switch(label=t("present", L), value=present)
        SaveButton(sessions, L)
        with solara.v.Html(tag="div", attributes=testid("language")):
            solara.ToggleButtonsSingle(
                value=LANG_NAMES[L],
                values=[LANG_NAMES[code] for code in LANGS],
                on_value=lambda name: lang.set(next(c for c in LANGS if LANG_NAMES[c] == name)),
                dense=True,
            )

    with solara.Sidebar():
        with solara.Card(t("controls", L)):
            solara.Text(t("subtitle", L, weeks=step_text(weeks_per_step.value, L)), classes=["renosim-note"])
            WeekCounters(sessions, tick, L)
            RunButtons(
                any(s.running for s in sessions),
                playing.value,
                L,
                lambda: step_all(weeks_per_step.value),
                lambda: playing.set(not playing.value),
                on_reset,
            )
            solara.Button(
                t("compare", L),
                on_click=lambda: (stop(), comparing.set(not comparing.value)),
                color="amber" if comparing.value else None,
                outlined=not comparing.value,
                block=True,
                attributes=testid("compare", on=str(comparing.value).lower()),
                style={"margin": "6px 0"},
            )
            solara.Text(t("weeks_per_step", L))
            solara.ToggleButtonsSingle(
                value=weeks_per_step.value,
                values=list(WEEKS_PER_STEP),
                on_value=weeks_per_step.set,
                dense=True,
                classes=["renosim-weeks"],
            )
        with solara.Card(t("settings", L) + (f" · {t('arm.a', L)}" if comparing.value else "")):
            ArmSettings("a", arm_a, L, stop)
            solara.Text(t("settings_note", L), classes=["renosim-note"])
        if comparing.value:
            with solara.Card(f"{t('settings', L)} · {t('arm.b', L)}"):
                solara.Text(t("compare_note", L), classes=["renosim-note"])
                ArmSettings("b", arm_b, L, stop)
        with solara.Details(t("advanced", L)):
            with solara.v.Html(tag="div", attributes=testid("advanced")):
                # An integer box: Mesa's own seed input passes text, and the model wants an int.
                solara.InputInt(
                    t("seed", L),
                    value=seed,
                    on_value=lambda v: v is not None and (stop(), compound.set({**compound.value, "seed": int(v)})),
                )
                LeverSlider(
                    f"{t('n_households', L)}: {n}",
                    value=n,
                    on_value=lambda v: (stop(), compound.set({**compound.value, "n_households": int(v)})),
                    min=HOUSEHOLD_RANGE[0],
                    max=HOUSEHOLD_RANGE[1],
                    step=10,
                )
                solara.SliderInt(
                    f"{t('speed', L)}: {play_interval.value}",
                    value=play_interval.value,
                    on_value=play_interval.set,
                    min=MIN_PLAY_INTERVAL_MS,
                    max=2000,
                    step=50,
                )

    Dashboard(sessions, tick, L, present.value)
