"""Plotly figures of the workshop page: the compound's network and the time series.

Every builder is a pure function of model output (:meth:`RenovationModel.network_view`,
:meth:`RenovationModel.timeseries`) and a language, so it can be tested and timed without a
browser. Text comes from :mod:`workshop.labels`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from workshop.labels import t

STATES: tuple[str, ...] = ("unwilling", "willing", "active", "representative")
"""Resident states in the order of the legend (from least to most engaged)."""

STATE_COLOURS: dict[str, str] = {
    "unwilling": "#b0b0b0",
    "willing": "#f4a640",
    "active": "#2e9e4f",
    "representative": "#2166ac",
}
"""Marker colour of each state; grey to blue so engagement reads as colour intensity."""

EDGE_COLOUR = "#50606f"
PARTY_SYMBOL = "diamond"
PARTY_LINE = "#c0151c"  # party red, as on the compounds' own notice boards

TIE_CLASSES: tuple[tuple[str, float, float, float], ...] = (
    # (label key, upper bound of normalised weight, line width, opacity). Faint thin lines for
    # weak ties: after a few years of meetings and events a compound has 10-20 ties per household,
    # and only the strong ones should stand out.
    ("tie.weak", 1 / 3, 0.5, 0.10),
    ("tie.medium", 2 / 3, 1.0, 0.22),
    ("tie.strong", math.inf, 1.8, 0.45),
)
"""Tie-strength classes: weights are divided by the largest weight (or 1 if that is larger)."""

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, Arial, sans-serif"
# Households of one building sit on a grid, like windows of a block; these are the gaps between
# blocks (the vertical one leaves room for the building's name).
_BUILDING_GAP_X = 1.6
_BUILDING_GAP_Y = 2.4


def building_layout(nodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Place households so that each building is a visible block.

    Buildings are laid out on a near-square grid of blocks; inside a block the households of that
    building fill rows like the windows of a building, so the eye sees buildings as groups and
    the edges between blocks as ties across buildings.

    Parameters
    ----------
    nodes : pandas.DataFrame
        Columns ``id`` and ``building`` (any sortable labels), one row per household.

    Returns
    -------
    x, y : numpy.ndarray
        Coordinates in the order of ``nodes``' rows.
    boxes : pandas.DataFrame
        One row per building: ``building``, ``x0``, ``x1``, ``y0``, ``y1`` (the block's outline).
    """
    buildings = pd.unique(nodes["building"])
    buildings = np.sort(buildings)
    sizes = nodes["building"].value_counts()
    # A common block shape keeps blocks aligned; it fits the largest building.
    biggest = int(sizes.max()) if len(sizes) else 1
    per_row = max(1, math.ceil(math.sqrt(biggest * 1.5)))
    rows_per_block = max(1, math.ceil(biggest / per_row))
    width, height = per_row - 1 + _BUILDING_GAP_X, rows_per_block - 1 + _BUILDING_GAP_Y
    blocks_per_row = max(1, math.ceil(math.sqrt(len(buildings) * height / max(width, 1e-9))))

    x = np.empty(len(nodes))
    y = np.empty(len(nodes))
    boxes = []
    building_col = nodes["building"].to_numpy()
    for b_index, b in enumerate(buildings):
        bx = (b_index % blocks_per_row) * width
        by = -(b_index // blocks_per_row) * height
        members = np.flatnonzero(building_col == b)
        slot = np.arange(len(members))
        x[members] = bx + slot % per_row
        y[members] = by - slot // per_row
        boxes.append(
            {
                "building": b,
                "x0": bx - 0.5,
                "x1": bx + per_row - 0.5,
                "y0": by - max(1, math.ceil(len(members) / per_row)) + 0.5,
                "y1": by + 0.5,
            }
        )
    return x, y, pd.DataFrame(boxes, columns=["building", "x0", "x1", "y0", "y1"])


def _tie_path(xs: np.ndarray, ys: np.ndarray, src: np.ndarray, dst: np.ndarray) -> str:
    """An SVG path of straight segments from ``src`` to ``dst`` households (data coordinates)."""
    if len(src) == 0:
        return "M0,0"  # Plotly needs a path; a single point draws nothing
    return "".join(
        f"M{x0:.2f},{y0:.2f}L{x1:.2f},{y1:.2f}"
        for x0, y0, x1, y1 in zip(xs[src], ys[src], xs[dst], ys[dst], strict=True)
    )


def network_figure(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    lang: str,
    *,
    width: int | None = 560,
    height: int | None = None,
) -> go.Figure:
    """Draw the compound: residents by state, party members marked, ties by strength, buildings.

    Parameters
    ----------
    nodes : pandas.DataFrame
        As returned by ``RenovationModel.network_view``: ``id``, ``building``, ``state`` (one of
        :data:`STATES`), ``party`` (bool), ``role``.
    edges : pandas.DataFrame
        ``source``, ``target`` (household ids as in ``nodes.id``) and ``weight`` (tie strength).
    lang : str
        Language of legend, labels and hover text.
    width : int or None, default 560
        Figure width in pixels; ``None`` lets Plotly fit the container.
    height : int, optional
        Figure height in pixels; by default it follows the blocks' aspect ratio (so the drawing
        fills the figure) plus room for the legend, within 320-640 px.

    Returns
    -------
    plotly.graph_objects.Figure
        Three legend-only traces for the tie classes (weak, medium, strong), one marker trace per
        state and a legend-only trace explaining the party-member marker. Layout shapes hold the
        building outlines (rectangles) and the ties (one path per class, after the rectangles);
        annotations name the buildings.
    """
    nodes = nodes.reset_index(drop=True)
    xs, ys, boxes = building_layout(nodes)
    if height is None:
        span_x = float(boxes["x1"].max() - boxes["x0"].min()) + 0.4 if len(boxes) else 1.0
        span_y = float(boxes["y1"].max() - boxes["y0"].min()) + 0.9 if len(boxes) else 1.0
        height = int(min(640, max(320, (width or 560) * span_y / span_x + 90)))
    position = pd.Series(np.arange(len(nodes)), index=nodes["id"].to_numpy())
    data: list[dict] = []

    # Ties are drawn as one SVG path per strength class (layout shapes), not as line traces:
    # Plotly processes every point of a trace on each redraw, which for the 2,000+ ties of a
    # compound after a few years took about 100 ms of the browser's time per week; a path takes
    # about a quarter of that. Three legend-only traces explain the line styles.
    src = position.reindex(edges["source"].to_numpy()).to_numpy(dtype=float)
    dst = position.reindex(edges["target"].to_numpy()).to_numpy(dtype=float)
    ok = ~(np.isnan(src) | np.isnan(dst))
    src, dst = src[ok].astype(int), dst[ok].astype(int)
    weight = edges["weight"].to_numpy(dtype=float)[ok]
    w = weight / max(float(weight.max(initial=0.0)), 1.0)
    tie_paths = []
    lower = -np.inf
    for key, upper, line_width, opacity in TIE_CLASSES:
        sel = (w > lower) & (w <= upper)
        lower = upper
        tie_paths.append(
            {
                "type": "path",
                "path": _tie_path(xs, ys, src[sel], dst[sel]),
                "line": {"width": line_width, "color": EDGE_COLOUR},
                "opacity": opacity,
                "layer": "below",
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "lines",
                "line": {"width": max(line_width, 1.0), "color": EDGE_COLOUR},
                "opacity": min(1.0, opacity * 2),  # legend swatches are tiny: darker than drawn
                "hoverinfo": "skip",
                "name": t(key, lang),
                "legendgroup": "ties",
            }
        )

    state = nodes["state"].astype(str).to_numpy()
    party = nodes["party"].astype(bool).to_numpy()
    ids = nodes["id"].to_numpy()
    building = nodes["building"].to_numpy()
    for s in STATES:
        sel = np.flatnonzero(state == s)
        # Non-party members first: the legend draws its symbol from the first point, and the
        # state's entry should show a circle (the diamond has its own entry).
        sel = sel[np.argsort(party[sel], kind="stable")]
        hover = [
            f"{t('hover.household', lang, id=i)}<br>{t('building', lang, n=_bname(b))}"
            f"<br>{t('state.' + s, lang)}" + (f"<br>{t('hover.party', lang)}" if p else "")
            for i, b, p in zip(ids[sel], building[sel], party[sel], strict=True)
        ]
        p = party[sel]
        data.append(
            {
                "type": "scatter",
                "x": xs[sel].tolist(),
                "y": ys[sel].tolist(),
                "mode": "markers",
                "name": t("state." + s, lang),
                "marker": {
                    "color": STATE_COLOURS[s],
                    "size": np.where(p, 13, 10).tolist(),
                    "symbol": np.where(p, PARTY_SYMBOL, "circle").tolist(),
                    "line": {
                        "color": np.where(p, PARTY_LINE, "#ffffff").tolist(),
                        "width": np.where(p, 2.0, 0.8).tolist(),
                    },
                },
                "text": hover,
                "hoverinfo": "text",
                "legendgroup": "states",
            }
        )
    # Legend entry only: explains the diamond without adding points.
    data.append(
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": t("party_member", lang),
            "marker": {
                "color": "#ffffff",
                "size": 12,
                "symbol": PARTY_SYMBOL,
                "line": {"color": PARTY_LINE, "width": 2},
            },
            "legendgroup": "party",
        }
    )

    shapes = [
        {
            "type": "rect",
            "x0": r.x0 - 0.2,
            "x1": r.x1 + 0.2,
            "y0": r.y0 - 0.2,
            "y1": r.y1 + 0.2,
            "line": {"color": "#9aa7b8", "width": 1},
            "fillcolor": "rgba(200,214,229,0.18)",
            "layer": "below",
        }
        for r in boxes.itertuples()
    ] + tie_paths
    annotations = [
        {
            "x": (r.x0 + r.x1) / 2,
            "y": r.y1 + 0.25,
            "text": t("building", lang, n=_bname(r.building)),
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 11, "color": "#3e4c59"},
            "bgcolor": "rgba(255,255,255,0.85)",  # legible over the ties
        }
        for r in boxes.itertuples()
    ]
    layout = {
        "width": width,
        "height": height,
        "margin": {"l": 6, "r": 6, "t": 8, "b": 6},
        "template": _template(),
        "font": {"family": FONT},
        "shapes": shapes,
        "annotations": annotations,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0, "font": {"size": 11}},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "hovermode": "closest",
        "uirevision": "network",  # keep the user's zoom while the model steps
    }
    return _figure(data, layout)


@lru_cache(maxsize=1)
def _template() -> dict:
    return pio.templates["plotly_white"].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> go.Figure:
    # The builders write plain dicts of known-good properties (the tests validate them); skipping
    # Plotly's per-property validation here more than halves the time to draw a week.
    return go.Figure(data=data, layout=layout, _validate=False)


def _bname(building: object) -> object:
    # Buildings are 0-based in the model; residents count them from 1 (一号楼).
    if isinstance(building, int | np.integer):
        return int(building) + 1
    return building


SERIES_CHARTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # chart key: (timeseries columns, y-axis label key, y scale)
    # y scale: "share" = 0-100 %, "unit" = 0-1, "count" = from 0, growing with the data
    "participation": (("participation", "willingness"), "axis.share", "share"),
    "collection": (("cofunding_collection", "fee_collection"), "axis.share", "share"),
    "maintenance": (("maintenance",), "axis.level", "unit"),
    "complaints": (("complaints",), "axis.count", "count"),
}
"""The time-series charts of the page, in display order."""

_SERIES_COLOURS = {
    "participation": "#2e9e4f",
    "willingness": "#f4a640",
    "cofunding_collection": "#2166ac",
    "fee_collection": "#8c6bb1",
    "maintenance": "#1b7837",
    "complaints": "#c0151c",
}


def timeseries_figure(
    ts: pd.DataFrame,
    chart: str,
    lang: str,
    *,
    years: float | None = None,
    width: int | None = 440,
    height: int | None = None,
) -> go.Figure:
    """Build one time-series chart of the page.

    Parameters
    ----------
    ts : pandas.DataFrame
        ``RenovationModel.timeseries()`` rows of one compound: ``week`` (0-based, recorded when the
        week is over; drawn at ``week + 1``, the weeks done) and the columns the chart needs (see
        :data:`SERIES_CHARTS`). Missing columns are drawn as empty series.
    chart : str
        A key of :data:`SERIES_CHARTS`.
    lang : str
        Language of title, legend and axes.
    years : float, optional
        Run length in years: the x axis, which shows whole years up to the latest week, never
        goes past it.
    width : int or None, default 440
        Figure width in pixels (two charts side by side fit a 1366-pixel laptop screen next to
        the sidebar); ``None`` lets Plotly fit the container.
    height : int, optional
        Figure height in pixels; by default 250, plus room for a legend under the axis.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    columns, y_label, scale = SERIES_CHARTS[chart]
    # The model records week t (0-based) when that week is over; plotting it at t + 1, the number
    # of weeks done, lines the last point up with the page's week counter and status lines.
    week = ts["week"].to_numpy(dtype=float) + 1 if "week" in ts else np.arange(1.0, len(ts) + 1)
    data = []
    for col in columns:
        values = ts[col].to_numpy(dtype=float) if col in ts else np.full(len(ts), np.nan)
        data.append(
            {
                "type": "scatter",
                "x": week,
                "y": values,
                # Markers while the line is short: a single week is otherwise invisible.
                "mode": "lines+markers" if len(week) < 26 else "lines",
                "marker": {"size": 4},
                "name": t("series." + col, lang),
                "line": {"color": _SERIES_COLOURS[col], "width": 2},
                "connectgaps": False,
            }
        )
    # The axis shows the current year in full and grows a year at a time (to the run's end), so
    # early weeks are not squeezed into the corner of a ten-year axis.
    done = float(week.max(initial=0.0))
    x_max = 52.0 * max(1, math.ceil(done / 52))
    if years:
        x_max = min(x_max, 52.0 * years)
    yaxis: dict = {"title": {"text": t(y_label, lang)}, "rangemode": "tozero"}
    if scale == "share":
        yaxis.update(range=[0, 1.02], tickformat=".0%")
    elif scale == "unit":
        yaxis.update(range=[0, 1.02])
    if height is None:
        height = 250 + (24 if len(columns) > 1 else 0)
    layout = {
        "title": {"text": t("chart." + chart, lang), "font": {"size": 14}, "x": 0.02},
        "width": width,
        "height": height,
        "margin": {"l": 52, "r": 10, "t": 34, "b": 40 + (24 if len(columns) > 1 else 0)},
        "template": _template(),
        "font": {"family": FONT},
        "showlegend": len(columns) > 1,
        # Legend under the axis: above the plot it collides with the title, inside it hides lines.
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0, "font": {"size": 11}},
        "xaxis": {"title": {"text": t("axis.week", lang)}, "range": [0, x_max]},
        "yaxis": yaxis,
        "uirevision": chart,
    }
    return _figure(data, layout)


def timeseries_figures(ts: pd.DataFrame, lang: str, *, years: float | None = None) -> dict[str, go.Figure]:
    """Build every chart of :data:`SERIES_CHARTS`; returns chart key -> figure."""
    return {c: timeseries_figure(ts, c, lang, years=years) for c in SERIES_CHARTS}
