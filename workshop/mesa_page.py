"""Mesa's own SolaraViz page on the renosim model: ``renosim viz --mesa``.

For researchers who know Mesa's page and want to add their own components: this is Mesa's stock
``SolaraViz`` (its controls, its parameter card, its matplotlib components), not the workshop page.

- ``model_params`` come from the parameter table (:data:`sim.params.SPECS`): every parameter as a
  slider, checkbox or select of its kind and range, plus the regime, the number of households and
  the seed. Mesa passes every input on Reset, which would pin the levers a regime presets; so the
  model class here, :class:`MesaPageModel`, takes one more input, ``levers_follow_regime`` (ticked
  by default): while ticked, the regime's preset sets those levers and their sliders are ignored,
  so choosing another regime and pressing Reset gives that regime.
- The space is the model's ``grid`` (a Mesa ``Network`` whose edges are the current ties), drawn by
  Mesa's ``draw_network`` at the model's own node positions (grouped by building), with
  :func:`agent_portrayal`: colour by resident state, a diamond for a party member.
- The plots read the model's ``DataCollector`` (:data:`sim.model.REPORTED`).
- One model per browser session (``solara.use_memo`` inside :func:`Page`); offline, because the
  components draw with matplotlib on the server and send PNGs.
"""

from __future__ import annotations

import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz, make_plot_component
from mesa.visualization.components import AgentPortrayalStyle
from mesa.visualization.mpl_space_drawing import draw_network
from mesa.visualization.utils import update_counter

from agents.resident import Resident
from sim.model import RenovationModel
from sim.params import LEVERS, REGIMES, SPECS, load_regime
from workshop.fonts import FONT_FACE_CSS
from workshop.levers import DEFAULT_HOUSEHOLDS, DEFAULT_REGIME, HOUSEHOLD_RANGE
from workshop.network import PARTY_LINE, STATE_COLOURS
from workshop.offline import configure_offline
from workshop.style import FONT

configure_offline()

EXECUTOR = "agents"
"""Each Mesa resident decides in turn (``Resident.decide``), as a Mesa user expects; same numbers."""
SLIDER_STEPS = 20
"""A float slider moves in twentieths of its range."""


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


def _input_for(spec, value) -> dict:
    """Mesa's input for one parameter: checkbox, select or slider, by its kind."""
    label = f"{spec.name}: {spec.doc}"
    if spec.kind == "bool":
        return {"type": "Checkbox", "value": bool(value), "label": label}
    if spec.choices:
        return {"type": "Select", "value": value, "values": list(spec.choices), "label": label}
    if spec.kind == "int":
        return {"type": "SliderInt", "value": int(value), "min": int(spec.low), "max": int(spec.high),
                "step": 1, "label": label}  # fmt: skip
    step = (float(spec.high) - float(spec.low)) / SLIDER_STEPS
    return {"type": "SliderFloat", "value": float(value), "min": float(spec.low), "max": float(spec.high),
            "step": step, "label": label}  # fmt: skip


def model_params() -> dict:
    """Mesa ``model_params`` generated from :data:`sim.params.SPECS` (see the module docstring)."""
    params: dict = {
        "regime": {"type": "Select", "value": DEFAULT_REGIME, "values": list(REGIMES), "label": "regime"},
        "levers_follow_regime": {"type": "Checkbox", "value": True, "label": "levers follow the regime's preset"},
        "n_households": {
            "type": "SliderInt",
            "value": DEFAULT_HOUSEHOLDS,
            "min": HOUSEHOLD_RANGE[0],
            "max": HOUSEHOLD_RANGE[1],
            "step": 10,
            "label": "households",
        },  # fmt: skip
        "rng": {"type": "SliderInt", "value": 0, "min": 0, "max": 999, "step": 1, "label": "seed"},
        "executor": EXECUTOR,
    }
    defaults = load_regime(DEFAULT_REGIME)
    for spec in sorted(SPECS, key=lambda s: s.name not in LEVERS):  # levers first, in table order
        value = defaults.get(spec.name, spec.default)
        if value is not None:  # None: fitted when the model starts (mu_theta), not an input
            params[spec.name] = _input_for(spec, value)
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


@solara.component
def NetworkSpace(model: RenovationModel):
    """The model's ``grid`` drawn by Mesa's ``draw_network`` at the node positions grouped by building."""
    update_counter.get()  # redraw after every step (Mesa's components subscribe the same way)
    space = model.grid
    positions = {coordinate: cell.position for coordinate, cell in space._cells.items()}
    fig = Figure(figsize=(7, 6))
    ax = fig.add_subplot()
    draw_network(
        space,
        agent_portrayal,
        ax=ax,
        layout_alg=cell_layout,
        layout_kwargs={"positions": positions},
        draw_grid=True,
    )
    ax.set_title(f"week {model.week}: ties and residents by state")
    solara.FigureMatplotlib(fig, format="png", bbox_inches="tight", dependencies=[model, model.week])


@solara.component
def ModelCard(model: RenovationModel):
    """A one-line summary of the model this session runs: regime, week and the regime's key levers."""
    update_counter.get()
    p = model.p
    text = (
        f"regime {model.regime} · week {model.week} · seed {model.seed} · households {model.n_households}"
        f" · integration {p.integration:g} · party_rule {p.party_rule} · s_res {p.s_res:g}"
    )
    solara.v.Html(tag="div", children=[text], attributes={"data-testid": "mesa-model", "data-week": str(model.week)})


COMPONENTS = [
    (ModelCard, 0),
    (NetworkSpace, 0),
    make_plot_component({"active_share": STATE_COLOURS["active"], "willingness": STATE_COLOURS["willing"]}),
    make_plot_component({"cofunding_share_so_far": "#2166ac", "fee_rate_month": "#8c6bb1"}),
    make_plot_component({"maintenance": "#1b7837"}),
    make_plot_component({"complaints": "#c0151c"}),
]
"""Mesa components: a model summary, the network space and four plots of DataCollector series."""


def new_model() -> MesaPageModel:
    """The model a new browser session starts with (the inputs' initial values)."""
    initial = {k: v["value"] if isinstance(v, dict) else v for k, v in model_params().items()}
    return MesaPageModel(**initial)


@solara.component
def Page():
    """Mesa's SolaraViz on a model of this session's own (with the page's CJK font for the docs)."""
    model = solara.use_memo(new_model, [])
    solara.Style(FONT_FACE_CSS + f".v-application {{ font-family: {FONT} !important; }}")
    SolaraViz(model, components=COMPONENTS, model_params=model_params(), name="renosim — Mesa SolaraViz")
