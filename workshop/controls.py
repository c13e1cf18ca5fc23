"""The page's controls: run buttons, week counters, and one arm's regime and levers.

The run controls follow Mesa's ``SolaraViz`` ``ModelController`` (Step, Play/Pause, Reset), but
every label comes from :mod:`workshop.labels`, and the stable hooks the tests use are
``data-testid`` attributes: ``step``, ``week`` (one per arm, with ``data-week`` and ``data-arm``)
and ``compare``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import solara

from sim.params import REGIMES
from workshop.labels import t
from workshop.levers import end_texts, lever_value, levers, regime_values, set_lever, shown_value
from workshop.session import Session
from workshop.status import week_and_year


def testid(name: str, **extra: str) -> dict[str, str]:
    """Attributes for a stable test hook, independent of the language shown."""
    return {"data-testid": name, **{f"data-{k}": v for k, v in extra.items()}}


@solara.component
def LeverSlider(label: str, value: float, on_value, min: float, max: float, step: float):  # noqa: A002
    """A slider that reports its value when released, not while it is dragged.

    Every change of a setting rebuilds the model; Solara's sliders report every position of a
    drag, which would queue a rebuild for each. The slider's own ``change`` event fires once.
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
def WeekCounters(sessions: Sequence[Session], tick: solara.Reactive[int], lang: str):
    """The current week and year of each arm (``data-testid=week``, ``data-week``, ``data-arm``)."""
    tick.value  # noqa: B018 -- subscribe: re-render when the model steps
    for arm, session in zip("ab", sessions, strict=False):
        week = float(session.model.time) if session.model is not None else 0.0
        w, y = week_and_year(week)
        text = t("week_counter", lang, week=w, year=y)
        if len(sessions) > 1:
            text = f"{t('arm.' + arm, lang)}: {text}"
        if session.model is not None and not session.running:
            text += " · " + t("finished", lang)
        solara.v.Html(
            tag="div",
            children=[text],
            attributes=testid("week", week=str(w), arm=arm),
            class_="renosim-week",
        )


@solara.component
def RunButtons(running: bool, playing: bool, lang: str, on_step, on_play_pause, on_reset):
    """Step, Play/Pause and Reset; Step and Play are disabled once the run is over."""
    with solara.Row(justify="space-between", style={"flex-wrap": "wrap", "gap": "4px"}):
        solara.Button(
            t("step", lang),
            on_click=on_step,
            color="primary",
            disabled=playing or not running,
            classes=["renosim-step"],
            attributes=testid("step"),
        )
        solara.Button(
            t("pause", lang) if playing else t("play", lang),
            on_click=on_play_pause,
            color="primary",
            disabled=not running,
            classes=["renosim-play"],
            attributes=testid("play"),
        )
        solara.Button(t("reset", lang), on_click=on_reset, classes=["renosim-reset"], attributes=testid("reset"))


@solara.component
def ArmSettings(arm: str, config: solara.Reactive[dict], lang: str, on_change: Callable[[], None]):
    """One arm's regime and levers; choosing a regime sets every lever to its preset."""
    cfg = config.value

    def configure(**changes):
        on_change()
        config.value = {**config.value, **changes}

    with solara.v.Html(tag="div", attributes=testid("regime", arm=arm)):
        solara.v.Select(
            label=t("regime", lang),
            items=[{"text": t("regime." + r, lang), "value": r} for r in REGIMES],
            v_model=cfg["regime"],
            on_v_model=lambda name: configure(regime=name, values=regime_values(name)),
        )
    for lever in levers():
        current = lever_value(cfg["values"], lever)

        def on_lever(value, lever=lever):
            configure(values=set_lever(config.value["values"], lever, value))

        if lever.kind == "bool":
            solara.Switch(label=t(lever.key, lang), value=current, on_value=on_lever)
            continue
        LeverSlider(
            f"{t(lever.key, lang)}: {shown_value(lever, current, lang)}",
            value=current,
            on_value=on_lever,
            min=lever.low,
            max=lever.high,
            step=lever.step,
        )
        low, high = end_texts(lever, lang)
        with solara.Row(justify="space-between", classes=["renosim-ends"]):
            solara.Text(low)
            solara.Text(high)
