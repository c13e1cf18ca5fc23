"""Mesa's own SolaraViz page on the renosim model: ``renosim viz --mesa``.

For researchers who know Mesa's page and want to add their own components: this is Mesa's stock
``SolaraViz`` (its controls and its parameter card), with the page's words in both languages.

- A language switch (中文 / English) in the app bar: every input label, chart title and the model
  card come from :mod:`workshop.labels`, as on the workshop page (Mesa's own Controls card keeps
  Mesa's English).
- ``model_params``: the approach (regime), the number of households, the seed and every policy
  measure of the parameter table (:data:`sim.params.LEVERS`), each a slider, checkbox or select of its
  kind and range, labelled in plain words. The behavioural parameters keep their defaults here; add
  any of :data:`sim.params.SPECS` with :func:`input_for`. Mesa passes every input on Reset, which
  would pin the levers a regime presets; so the model class here, :class:`MesaPageModel`, takes one
  more input, ``levers_follow_regime`` (ticked by default): while ticked, the regime's preset sets
  those levers and their sliders are ignored, so choosing another regime and pressing Reset gives
  that regime.
- Every slider's label sits above its track, and the track has the card's full width (CSS below).
- The space is the model's ``grid`` (a Mesa ``Network`` whose edges are the current ties), drawn by
  Mesa's ``draw_network`` at the model's own node positions (grouped by building), with
  :func:`agent_portrayal`: colour by resident state, a diamond for a party member.
- Six charts of the model's ``DataCollector`` (:data:`sim.outputs.REPORTED`), one measure each, titled
  in the page's language. The titles are HTML: matplotlib draws only numbers, so the charts need no
  Chinese font on the server.
- One model per browser session (``solara.use_memo`` inside :func:`Page`); offline, because the
  components draw with matplotlib on the server and send PNGs.
"""

from __future__ import annotations

import os

import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from mesa.visualization import SolaraViz
from mesa.visualization.components import AgentPortrayalStyle
from mesa.visualization.mpl_space_drawing import draw_network
from mesa.visualization.utils import update_counter

from agents.resident import Resident
from sim.model import RenovationModel
from sim.params import LEVERS, REGIMES, SPEC_BY_NAME, load_regime
from workshop.fonts import FONT_FACE_CSS
from workshop.labels import DEFAULT_LANG, LANG_NAMES, LANGS, regime_name, t
from workshop.levers import DEFAULT_HOUSEHOLDS, DEFAULT_REGIME, HOUSEHOLD_RANGE
from workshop.measures import PARTICIPATION_SERIES
from workshop.network import PARTY_LINE, STATE_COLOURS
from workshop.offline import configure_offline
from workshop.style import FONT

configure_offline()

EXECUTOR = "agents"
"""Each Mesa resident decides in turn (``Resident.decide``), as a Mesa user expects; same numbers."""
SLIDER_STEPS = 20
"""A float slider moves in twentieths of its range."""
CHARTS: dict[str, tuple[str, str, bool]] = {
    # chart key (its title in workshop.labels): DataCollector measure, colour, share (0-100 %)
    "participation": (PARTICIPATION_SERIES, STATE_COLOURS["active"], True),
    "willingness": ("willingness", STATE_COLOURS["willing"], True),
    "cofunding": ("cofunding_share_so_far", "#2166ac", True),
    "fees": ("fee_rate_month", "#8c6bb1", True),
    "maintenance": ("maintenance", "#1b7837", False),
    "complaints": ("complaints", "#c0151c", False),
}
"""The page's charts: one DataCollector measure each."""

LANG = solara.reactive(os.environ.get("RENOSIM_VIZ_LANG", DEFAULT_LANG))
"""The page's language; a module-level reactive is one value per browser session in Solara."""

CSS = (
    FONT_FACE_CSS
    + f"""
.v-application {{ font-family: {FONT} !important; }}
.v-input__slider .v-input__slot {{ flex-wrap: wrap; }}
.v-input__slider .v-input__slot > .v-label {{ flex: 0 0 100%; max-width: 100%; white-space: normal; height: auto;
  line-height: 1.3; margin: 0 0 2px 0 !important; }}
.v-input__slider .v-input__slot > .v-slider {{ flex: 1 1 100%; min-width: 120px; margin-left: 0; }}
.v-input--checkbox .v-label {{ white-space: normal; height: auto; }}
.renosim-mesa-title {{ font-size: 16px; font-weight: 600; margin: 4px 0 0 8px; }}
"""
)
"""The page's CJK face, and every slider's label above a full-width track (Mesa puts it beside)."""


class MesaPageModel(RenovationModel):
    """:class:`~sim.model.RenovationModel` with one switch for Mesa's page: levers follow the regime."""

    def __init__(self, *, levers_follow_regime: bool = True, regime: str = DEFAULT_REGIME, **params):
        if levers_follow_regime:
            presets = preset_parameters()
            params = {k: v for k, v in params.items() if k not in presets}
        self.levers_follow_regime = levers_follow_regime
        super().__init__(regime=regime, **params)


def preset_parameters() -> frozenset[str]:
    """Parameters some regime preset sets: the regime select governs them on Mesa's page."""
    return frozenset(name for regime in REGIMES for name in load_regime(regime))


def input_for(spec, value, label: str) -> dict:
    """Mesa's input for one parameter: checkbox, select or slider, by its kind."""
    if spec.kind == "bool":
        return {"type": "Checkbox", "value": bool(value), "label": label}
    if spec.choices:
        return {"type": "Select", "value": value, "values": list(spec.choices), "label": label}
    if spec.kind == "int":
        return {
            "type": "SliderInt",
            "value": int(value),
            "min": int(spec.low),
            "max": int(spec.high),
            "step": 1,
            "label": label,
        }
    step = (float(spec.high) - float(spec.low)) / SLIDER_STEPS
    return {
        "type": "SliderFloat",
        "value": float(value),
        "min": float(spec.low),
        "max": float(spec.high),
        "step": step,
        "label": label,
    }


def model_params(lang: str = DEFAULT_LANG) -> dict:
    """Mesa ``model_params``: regime, households, seed and every lever, labelled in ``lang``."""
    params: dict = {
        "regime": {"type": "Select", "value": DEFAULT_REGIME, "values": list(REGIMES), "label": t("regime", lang)},
        "levers_follow_regime": {"type": "Checkbox", "value": True, "label": t("mesa.follow", lang)},
        "n_households": {
            "type": "SliderInt",
            "value": DEFAULT_HOUSEHOLDS,
            "min": HOUSEHOLD_RANGE[0],
            "max": HOUSEHOLD_RANGE[1],
            "step": 10,
            "label": t("n_households", lang),
        },
        "rng": {"type": "SliderInt", "value": 0, "min": 0, "max": 999, "step": 1, "label": t("seed", lang)},
        "executor": EXECUTOR,
    }
    defaults = load_regime(DEFAULT_REGIME)
    for name in LEVERS:
        spec = SPEC_BY_NAME[name]
        params[name] = input_for(spec, defaults.get(name, spec.default), t(name, lang))
    return params


def agent_portrayal(agent) -> AgentPortrayalStyle | None:
    """Mesa's default-style portrayal of a resident: colour by state, a red-edged diamond for a party member."""
    if not isinstance(agent, Resident):
        return None
    party = bool(getattr(agent, "is_party", False))
    return AgentPortrayalStyle(
        color=STATE_COLOURS[agent.state.value],
        size=60 if party else 40,
        marker="D" if party else "o",
        edgecolors=PARTY_LINE if party else "white",
        linewidths=1.5 if party else 0.5,
        # Mesa 3.5.1's matplotlib _scatter tests `z_order == zorder & mask_marker`, which only
        # selects agents whose zorder is 0 or 1: any other value draws no agent at all.
        zorder=1,
    )


def cell_layout(graph, positions: dict) -> dict:
    """A ``layout_alg`` for Mesa's ``draw_network``: the model's own node positions, in node order."""
    return {node: positions[node] for node in sorted(graph.nodes)}


def _title(text: str, key: str) -> None:
    solara.v.Html(tag="div", children=[text], class_="renosim-mesa-title", attributes={"data-testid": key})


@solara.component
def NetworkSpace(model: RenovationModel):
    """The model's ``grid`` drawn by Mesa's ``draw_network`` at the node positions grouped by building."""
    update_counter.get()  # redraw after every step (Mesa's components subscribe the same way)
    space = model.grid
    positions = {coordinate: cell.position for coordinate, cell in space._cells.items()}
    fig = Figure(figsize=(7, 6))
    ax = fig.add_subplot()
    draw_network(
        space, agent_portrayal, ax=ax, layout_alg=cell_layout, layout_kwargs={"positions": positions}, draw_grid=True
    )
    _title(t("mesa.network", LANG.value, week=model.week), "mesa-network-title")
    solara.FigureMatplotlib(fig, format="png", bbox_inches="tight", dependencies=[model, model.week])


def chart_component(key: str):
    """A Mesa component: one DataCollector measure over the weeks, titled in the page's language."""
    measure, colour, share = CHARTS[key]

    @solara.component
    def Chart(model: RenovationModel):
        update_counter.get()
        df = model.datacollector.get_model_vars_dataframe()
        fig = Figure(figsize=(5, 3))
        ax = fig.subplots()
        ax.plot(df.index.to_numpy(), df[measure].to_numpy(dtype=float), color=colour, linewidth=2)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if share:
            ax.set_ylim(0, 1.02)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        _title(t("chart." + key, LANG.value), f"mesa-chart-{key}")
        solara.FigureMatplotlib(fig, format="png", bbox_inches="tight", dependencies=[model, model.week])

    Chart.__name__ = f"Chart_{key}"
    return Chart


@solara.component
def ModelCard(model: RenovationModel):
    """A one-line summary of the model this session runs: approach, week, seed and households."""
    update_counter.get()
    text = t(
        "mesa.card",
        LANG.value,
        regime=regime_name(model.regime, LANG.value),
        week=model.week,
        seed=model.seed,
        n=model.n_households,
    )
    attributes = {
        "data-testid": "mesa-model",
        "data-week": str(model.week),
        "data-regime": model.regime,
        "data-integration": f"{model.p.integration:g}",
        "data-party-rule": str(model.p.party_rule).lower(),
    }
    solara.v.Html(tag="div", children=[text], attributes=attributes, class_="renosim-mesa-title")


COMPONENTS = [(ModelCard, 0), (NetworkSpace, 0), *[(chart_component(key), 0) for key in CHARTS]]
"""Mesa components: a model summary, the network space and six titled charts of DataCollector series."""


def new_model() -> MesaPageModel:
    """The model a new browser session starts with (the inputs' initial values)."""
    initial = {k: v["value"] if isinstance(v, dict) else v for k, v in model_params().items()}
    return MesaPageModel(**initial)


@solara.component
def Page():
    """Mesa's SolaraViz on a model of this session's own, with the language switch and the page's words."""
    model = solara.use_memo(new_model, [])
    lang = LANG.value if LANG.value in LANGS else DEFAULT_LANG
    solara.Style(CSS)
    with solara.AppBar():
        with solara.v.Html(tag="div", attributes={"data-testid": "language"}):
            solara.ToggleButtonsSingle(
                value=LANG_NAMES[lang],
                values=[LANG_NAMES[c] for c in LANGS],
                on_value=lambda name: LANG.set(next(c for c in LANGS if LANG_NAMES[c] == name)),
                dense=True,
            )
    SolaraViz(model, components=COMPONENTS, model_params=model_params(lang), name=t("mesa.title", lang))
