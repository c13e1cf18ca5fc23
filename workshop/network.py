"""The compound's network as a Plotly figure that a room can read at any week.

Households sit in blocks, one block per building (:func:`building_layout`). By default only strong
ties inside a building are drawn as lines; the ties between two buildings are bundled into one band
whose width says how many there are, so a late-run compound with 10-20 ties per household does not
become a hairball. Tapping a household (``selected``) draws all of its ties. The key to colours and
lines is HTML beside the figure (:func:`legend_items`), so it is fixed: every state is always listed.

Every builder is a pure function of ``RenovationModel.network_view`` output and a language.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workshop.labels import t
from workshop.style import FONT, font_sizes, plain_figure

STATES: tuple[str, ...] = ("unwilling", "willing", "active", "representative")
"""Resident states in the order of the key (from least to most engaged)."""

STATE_COLOURS: dict[str, str] = {
    "unwilling": "#b0b0b0",
    "willing": "#f4a640",
    "active": "#2e9e4f",
    "representative": "#2166ac",
}
"""Marker colour of each state; grey to blue so engagement reads as colour intensity."""

EDGE_COLOUR = "#50606f"
BAND_COLOUR = "#5b7fa6"
SELECTED_COLOUR = "#c0151c"
PARTY_SYMBOL = "diamond"
PARTY_LINE = "#c0151c"  # party red, as on the compounds' own notice boards
STRONG_TIE = 2 / 3
"""A tie is strong when its weight is above this share of the largest weight (or of 1)."""
BAND_WIDTH = (1.5, 14.0)
"""Line width of the thinnest and the widest band between two buildings."""

_BUILDING_GAP_X = 1.8
_BUILDING_GAP_Y = 2.4


def building_layout(nodes: pd.DataFrame, aspect: float = 1.0) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Place households so that each building is a visible block.

    Buildings are laid out on a near-square grid of blocks; inside a block the households of that
    building fill rows like the windows of a building.

    Parameters
    ----------
    nodes : pandas.DataFrame
        Columns ``id`` and ``building`` (any sortable labels), one row per household.
    aspect : float, default 1
        Width / height of the space to fill: a narrow box gets fewer blocks per row.

    Returns
    -------
    x, y : numpy.ndarray
        Coordinates in the order of ``nodes``' rows.
    boxes : pandas.DataFrame
        One row per building: ``building``, ``x0``, ``x1``, ``y0``, ``y1`` (the block's outline).
    """
    buildings = np.sort(pd.unique(nodes["building"]))
    sizes = nodes["building"].value_counts()
    biggest = int(sizes.max()) if len(sizes) else 1
    per_row = max(1, math.ceil(math.sqrt(biggest * 1.5)))
    rows_per_block = max(1, math.ceil(biggest / per_row))
    width, height = per_row - 1 + _BUILDING_GAP_X, rows_per_block - 1 + _BUILDING_GAP_Y
    blocks_per_row = max(1, round(math.sqrt(len(buildings) * aspect * height / max(width, 1e-9))))
    x, y = np.empty(len(nodes)), np.empty(len(nodes))
    boxes = []
    building_col = nodes["building"].to_numpy()
    for b_index, b in enumerate(buildings):
        bx = (b_index % blocks_per_row) * width
        by = -(b_index // blocks_per_row) * height
        members = np.flatnonzero(building_col == b)
        slot = np.arange(len(members))
        x[members] = bx + slot % per_row
        y[members] = by - slot // per_row
        rows = max(1, math.ceil(len(members) / per_row))
        boxes.append({"building": b, "x0": bx - 0.5, "x1": bx + per_row - 0.5, "y0": by - rows + 0.5, "y1": by + 0.5})
    return x, y, pd.DataFrame(boxes, columns=["building", "x0", "x1", "y0", "y1"])


def _segments(xs, ys, src, dst) -> str:
    """An SVG path of straight segments (data coordinates); Plotly needs a path, ``M0,0`` draws nothing."""
    if len(src) == 0:
        return "M0,0"
    return "".join(
        f"M{x0:.2f},{y0:.2f}L{x1:.2f},{y1:.2f}"
        for x0, y0, x1, y1 in zip(xs[src], ys[src], xs[dst], ys[dst], strict=True)
    )


def tie_table(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Ties as row positions of ``nodes``: ``src``, ``dst``, ``strength`` (0-1), ``across`` (bool)."""
    position = pd.Series(np.arange(len(nodes)), index=nodes["id"].to_numpy())
    src = position.reindex(edges["source"].to_numpy()).to_numpy(dtype=float)
    dst = position.reindex(edges["target"].to_numpy()).to_numpy(dtype=float)
    ok = ~(np.isnan(src) | np.isnan(dst))
    src, dst = src[ok].astype(int), dst[ok].astype(int)
    weight = edges["weight"].to_numpy(dtype=float)[ok]
    building = nodes["building"].to_numpy()
    return pd.DataFrame(
        {
            "src": src,
            "dst": dst,
            "strength": weight / max(float(weight.max(initial=0.0)), 1.0),
            "across": building[src] != building[dst],
        }
    )


def building_bands(ties: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Ties between buildings counted per pair of buildings: ``a``, ``b`` (a < b), ``n``."""
    across = ties[ties["across"]]
    building = nodes["building"].to_numpy()
    a, b = building[across["src"].to_numpy()], building[across["dst"].to_numpy()]
    pairs = pd.DataFrame({"a": np.minimum(a, b), "b": np.maximum(a, b)})
    return pairs.value_counts().rename("n").reset_index().sort_values(["a", "b"], ignore_index=True)


def _band_shapes(bands: pd.DataFrame, boxes: pd.DataFrame) -> list[dict]:
    """One gently curved band per pair of buildings, centre to centre, width by number of ties."""
    if bands.empty:
        return []
    centre = {r.building: ((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2) for r in boxes.itertuples()}
    top = float(bands["n"].max())
    shapes = []
    for r in bands.itertuples():
        (x0, y0), (x1, y1) = centre[r.a], centre[r.b]
        # Bend each band a little to one side, so bands between blocks in one row do not overlap.
        mx, my = (x0 + x1) / 2 - 0.12 * (y1 - y0), (y0 + y1) / 2 + 0.12 * (x1 - x0)
        width = BAND_WIDTH[0] + (BAND_WIDTH[1] - BAND_WIDTH[0]) * r.n / top
        shapes.append(
            {
                "type": "path",
                "path": f"M{x0:.2f},{y0:.2f}Q{mx:.2f},{my:.2f} {x1:.2f},{y1:.2f}",
                "line": {"width": round(width, 1), "color": BAND_COLOUR},
                "opacity": 0.28,
                "layer": "below",
            }
        )
    return shapes


def network_figure(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    lang: str,
    *,
    selected: object = None,
    big: bool = False,
    size: tuple[int, int] | None = None,
) -> go.Figure:
    """Draw the compound: households by state, party members, strong ties, bands between buildings.

    Parameters
    ----------
    nodes : pandas.DataFrame
        ``RenovationModel.network_view``: ``id``, ``building``, ``state`` (one of :data:`STATES`),
        ``party`` (bool).
    edges : pandas.DataFrame
        ``source``, ``target`` (ids as in ``nodes.id``) and ``weight``.
    lang : str
    selected : household id, optional
        Draw every tie of this household (a tap on the page) and ring it.
    big : bool, default False
        Presentation mode: every text at least 18 px.
    size : (int, int), optional
        Width and height in pixels (the page passes its box's size); by default Plotly's.

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace per state (always, even when empty), in :data:`STATES` order. Layout
        shapes hold the building outlines, the bands between buildings, the strong ties inside
        buildings and the selected household's ties.
    """
    nodes = nodes.reset_index(drop=True)
    xs, ys, boxes = building_layout(nodes, size[0] / size[1] if size else 1.0)
    ties = tie_table(nodes, edges)
    strong = ties[(ties["strength"] > STRONG_TIE) & ~ties["across"]]
    shapes = [
        {
            "type": "rect",
            "x0": r.x0 - 0.25,
            "x1": r.x1 + 0.25,
            "y0": r.y0 - 0.25,
            "y1": r.y1 + 0.25,
            "line": {"color": "#9aa7b8", "width": 1},
            "fillcolor": "rgba(200,214,229,0.22)",
            "layer": "below",
        }
        for r in boxes.itertuples()
    ]
    shapes += _band_shapes(building_bands(ties, nodes), boxes)
    shapes.append(
        _path_shape(_segments(xs, ys, strong["src"].to_numpy(), strong["dst"].to_numpy()), EDGE_COLOUR, 1.6, 0.5)
    )
    ids = nodes["id"].to_numpy()
    chosen = np.flatnonzero(ids == selected) if selected is not None else np.array([], dtype=int)
    if len(chosen):
        mine = ties[(ties["src"] == chosen[0]) | (ties["dst"] == chosen[0])]
        shapes.append(
            _path_shape(_segments(xs, ys, mine["src"].to_numpy(), mine["dst"].to_numpy()), SELECTED_COLOUR, 2.2, 0.85)
        )
    sizes = font_sizes(big)
    data = _node_traces(nodes, xs, ys, lang, big)
    if len(chosen):
        data.append(
            {
                "type": "scatter",
                "x": [float(xs[chosen[0]])],
                "y": [float(ys[chosen[0]])],
                "mode": "markers",
                "marker": {
                    "size": 22 if big else 18,
                    "color": "rgba(0,0,0,0)",
                    "line": {"color": SELECTED_COLOUR, "width": 3},
                },
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    annotations = [
        {
            "x": (r.x0 + r.x1) / 2,
            "y": r.y1 + 0.3,
            "text": t("building", lang, n=_bname(r.building)),
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": sizes["label"], "color": "#3e4c59"},
            "bgcolor": "rgba(255,255,255,0.85)",
        }
        for r in boxes.itertuples()
    ]
    layout = {
        **({"width": size[0], "height": size[1]} if size else {}),
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "font": {"family": FONT, "size": sizes["tick"]},
        "hoverlabel": {"font": {"size": sizes["label"], "family": FONT}},
        "shapes": shapes,
        "annotations": annotations,
        "showlegend": False,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "hovermode": "closest",
        "clickmode": "event",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "uirevision": "network",  # keep the user's zoom while the model steps
    }
    return plain_figure(data, layout)


def _path_shape(path: str, colour: str, width: float, opacity: float) -> dict:
    return {
        "type": "path",
        "path": path,
        "line": {"width": width, "color": colour},
        "opacity": opacity,
        "layer": "below",
    }


def _node_traces(nodes: pd.DataFrame, xs, ys, lang: str, big: bool) -> list[dict]:
    state = nodes["state"].astype(str).to_numpy()
    party = nodes["party"].astype(bool).to_numpy()
    ids = nodes["id"].to_numpy()
    building = nodes["building"].to_numpy()
    scale = 1.3 if big else 1.0
    data = []
    for s in STATES:
        sel = np.flatnonzero(state == s)
        p = party[sel]
        hover = [
            f"{t('hover.household', lang, id=i)}<br>{t('building', lang, n=_bname(b))}"
            f"<br>{t('state.' + s, lang)}" + (f"<br>{t('hover.party', lang)}" if q else "")
            for i, b, q in zip(ids[sel], building[sel], p, strict=True)
        ]
        data.append(
            {
                "type": "scatter",
                "x": xs[sel].tolist(),
                "y": ys[sel].tolist(),
                "customdata": ids[sel].tolist(),
                "mode": "markers",
                "name": t("state." + s, lang),
                "marker": {
                    "color": STATE_COLOURS[s],
                    "size": (np.where(p, 13, 10) * scale).tolist(),
                    "symbol": np.where(p, PARTY_SYMBOL, "circle").tolist(),
                    "line": {
                        "color": np.where(p, PARTY_LINE, "#ffffff").tolist(),
                        "width": np.where(p, 2.0, 0.8).tolist(),
                    },
                },
                "text": hover,
                "hoverinfo": "text",
                "showlegend": False,
            }
        )
    return data


def legend_items(lang: str) -> list[dict[str, str]]:
    """The fixed key beside the network: every state, the party marker, ties and bands.

    Returns
    -------
    list of dict
        ``kind`` ("state", "party", "tie", "band", "selected"), ``colour`` and ``text``.
    """
    items = [{"kind": "state", "colour": STATE_COLOURS[s], "text": t("state." + s, lang)} for s in STATES]
    items.append({"kind": "party", "colour": PARTY_LINE, "text": t("party_member", lang)})
    items.append({"kind": "tie", "colour": EDGE_COLOUR, "text": t("tie.strong", lang)})
    items.append({"kind": "band", "colour": BAND_COLOUR, "text": t("legend.band", lang)})
    items.append({"kind": "selected", "colour": SELECTED_COLOUR, "text": t("legend.tap", lang)})
    return items


def _bname(building: object) -> object:
    # Buildings are 0-based in the model; residents count them from 1 (一号楼).
    if isinstance(building, int | np.integer):
        return int(building) + 1
    return building
