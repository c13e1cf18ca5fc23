"""The compound's network as a Plotly figure that a room can read at any week.

Households sit in blocks, one block per building (:func:`building_layout`). By default only strong
ties inside a building are drawn as lines; the ties between two buildings are bundled into one band
whose width says how many there are, so a late-run compound with 10-20 ties per household does not
become a hairball. Tapping a household (``selected``) draws all of its ties. The key to colours and
lines is HTML beside the figure (:func:`legend_items`), so it is fixed: every state is always listed.

Every builder is a pure function of ``RenovationModel.network_view`` output and a language, and
returns a plain-JSON figure for :class:`workshop.liveplot.LiveFigure`: a step sends the households'
new colours and the new ties, not a new figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workshop.blocks import building_layout, frame
from workshop.labels import t
from workshop.style import FONT, font_sizes, template

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


def _tie_arrays(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ties as row positions of ``nodes`` (src, dst) and their strength relative to the largest (or 1)."""
    ids = nodes["id"].to_numpy()
    source, target = edges["source"].to_numpy(), edges["target"].to_numpy()
    weight = edges["weight"].to_numpy(dtype=float)
    if np.array_equal(ids, np.arange(len(ids))):  # the model's view: ids are row positions
        ok = (source >= 0) & (source < len(ids)) & (target >= 0) & (target < len(ids))
        src, dst = source[ok].astype(np.int64), target[ok].astype(np.int64)
    else:
        position = pd.Series(np.arange(len(nodes)), index=ids)
        src_f = position.reindex(source).to_numpy(dtype=float)
        dst_f = position.reindex(target).to_numpy(dtype=float)
        ok = ~(np.isnan(src_f) | np.isnan(dst_f))
        src, dst = src_f[ok].astype(np.int64), dst_f[ok].astype(np.int64)
    weight = weight[ok]
    return src, dst, weight / max(float(weight.max(initial=0.0)), 1.0)


def tie_table(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Ties as row positions of ``nodes``: ``src``, ``dst``, ``strength`` (0-1), ``across`` (bool)."""
    src, dst, strength = _tie_arrays(nodes, edges)
    building = nodes["building"].to_numpy()
    return pd.DataFrame({"src": src, "dst": dst, "strength": strength, "across": building[src] != building[dst]})


def _band_counts(building: np.ndarray, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of buildings (a < b) with ties between them, and how many."""
    a, b = building[src], building[dst]
    across = a != b
    lo, hi = np.minimum(a, b)[across], np.maximum(a, b)[across]
    if lo.size == 0:
        return lo, hi, np.zeros(0, dtype=np.int64)
    pairs, counts = np.unique(np.stack([lo, hi], axis=1), axis=0, return_counts=True)
    return pairs[:, 0], pairs[:, 1], counts


def building_bands(ties: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Ties between buildings counted per pair of buildings: ``a``, ``b`` (a < b), ``n``."""
    building = nodes["building"].to_numpy()
    a, b, n = _band_counts(building, ties["src"].to_numpy(), ties["dst"].to_numpy())
    return pd.DataFrame({"a": a, "b": b, "n": n})


def _band_shapes(a: np.ndarray, b: np.ndarray, n: np.ndarray, centre: dict) -> list[dict]:
    """One gently curved band per pair of buildings, centre to centre, width by number of ties."""
    if n.size == 0:
        return []
    top = float(n.max())
    shapes = []
    for ba, bb, count in zip(a.tolist(), b.tolist(), n.tolist(), strict=True):
        (x0, y0), (x1, y1) = centre[ba], centre[bb]
        # Bend each band a little to one side, so bands between blocks in one row do not overlap.
        mx, my = (x0 + x1) / 2 - 0.12 * (y1 - y0), (y0 + y1) / 2 + 0.12 * (x1 - x0)
        width = BAND_WIDTH[0] + (BAND_WIDTH[1] - BAND_WIDTH[0]) * count / top
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
    aspect: float = 1.0,
) -> dict:
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
        Presentation mode: every text at least 18 px, larger markers.
    aspect : float, default 1
        Width / height of the figure's box (the blocks of buildings fill it).

    Returns
    -------
    dict
        A plain-JSON figure with four traces, always: the strong ties inside buildings, the selected
        household's ties, the households (one marker each, coloured by state) and the ring around the
        selected household. Layout shapes hold the building outlines and the bands between
        buildings; the axes' ranges are fixed by the layout, so two compounds drawn in boxes of the
        same size are drawn at the same scale.
    """
    nodes = nodes.reset_index(drop=True)
    building = nodes["building"].to_numpy(dtype=np.int64)
    fixed = frame(building.tobytes(), round(float(aspect), 1), lang, bool(big))
    xs, ys = fixed["xs"], fixed["ys"]
    src, dst, strength = _tie_arrays(nodes, edges)
    inside = building[src] == building[dst]
    strong = (strength > STRONG_TIE) & inside
    shapes = fixed["rects"] + _band_shapes(*_band_counts(building, src, dst), fixed["centre"])
    ids = nodes["id"].to_numpy()
    chosen = np.flatnonzero(ids == selected) if selected is not None else np.array([], dtype=int)
    mine = np.zeros(len(src), dtype=bool)
    if len(chosen):
        mine = (src == chosen[0]) | (dst == chosen[0])
    ring = [int(chosen[0])] if len(chosen) else []
    data = [
        _tie_trace(xs, ys, src[strong], dst[strong], EDGE_COLOUR, 1.6, 0.5),
        _tie_trace(xs, ys, src[mine], dst[mine], SELECTED_COLOUR, 2.2, 0.85),
        _node_trace(nodes, xs, ys, fixed["where"], lang, big),
        {
            "type": "scatter",
            "x": [float(xs[i]) for i in ring],
            "y": [float(ys[i]) for i in ring],
            "mode": "markers",
            "marker": {
                "size": 24 if big else 18,
                "color": "rgba(0,0,0,0)",
                "line": {"color": SELECTED_COLOUR, "width": 3},
            },
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    sizes = font_sizes(big)
    x_range, y_range = fixed["ranges"]
    layout = {
        "template": template(),
        "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "font": {"family": FONT, "size": sizes["tick"]},
        "hoverlabel": {"font": {"size": sizes["label"], "family": FONT}},
        "shapes": shapes,
        "annotations": fixed["annotations"],
        "showlegend": False,
        # "domain": keep equal scales by shrinking the plot area, never by widening the ranges given here
        # (Plotly writes a widened range back into the layout, and the next resize widens it again).
        "xaxis": {"visible": False, "range": x_range, "fixedrange": True, "constrain": "domain"},
        "yaxis": {"visible": False, "range": y_range, "scaleanchor": "x", "fixedrange": True, "constrain": "domain"},
        "hovermode": "closest",
        "clickmode": "event",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
    return {"data": data, "layout": layout}


def _tie_trace(xs, ys, src: np.ndarray, dst: np.ndarray, colour: str, width: float, opacity: float) -> dict:
    """Ties as one line trace of segments separated by gaps (one redraw, whatever their number)."""
    x = np.full(3 * len(src), np.nan)
    y = np.full(3 * len(src), np.nan)
    x[0::3], x[1::3], y[0::3], y[1::3] = xs[src], xs[dst], ys[src], ys[dst]
    return {
        "type": "scatter",
        "mode": "lines",
        "x": _gaps(x),
        "y": _gaps(y),
        "line": {"color": colour, "width": width},
        "opacity": opacity,
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _gaps(values: np.ndarray) -> list:
    return [None if v != v else round(v, 2) for v in values.tolist()]


def _node_trace(nodes: pd.DataFrame, xs, ys, where: list[str], lang: str, big: bool) -> dict:
    state = nodes["state"].astype(str).tolist()
    party = nodes["party"].to_numpy(dtype=bool)
    scale = 1.3 if big else 1.0
    names = {s: t("state." + s, lang) for s in STATES}
    party_word = "<br>" + t("hover.party", lang)
    hover = [
        f"{t('hover.household', lang, id=i)}<br>{w}<br>{names.get(s, s)}" + (party_word if q else "")
        for i, w, s, q in zip(nodes["id"].tolist(), where, state, party.tolist(), strict=True)
    ]
    return {
        "type": "scatter",
        "x": xs.tolist(),
        "y": ys.tolist(),
        "customdata": nodes["id"].tolist(),
        "mode": "markers",
        "marker": {
            "color": [STATE_COLOURS.get(s, "#b0b0b0") for s in state],
            "size": (np.where(party, 13, 10) * scale).tolist(),
            "symbol": np.where(party, PARTY_SYMBOL, "circle").tolist(),
            "line": {
                "color": np.where(party, PARTY_LINE, "#ffffff").tolist(),
                "width": np.where(party, 2.0, 0.8).tolist(),
            },
        },
        "text": hover,
        "hoverinfo": "text",
        "showlegend": False,
    }


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


__all__ = ["building_layout", "building_bands", "legend_items", "network_figure", "tie_table"]
