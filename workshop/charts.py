"""The page's time-series charts: one arm, or two arms overlaid (compare mode), years on the x axis.

A chart with nothing to draw says so in words: "not yet" while its series have not started, or
"not applicable under this regime" when none of them exists under the arms' settings (co-funding
when residents pay no share). Every builder is a pure function of ``RenovationModel.timeseries()``
rows and a language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workshop.labels import t
from workshop.style import FONT, font_sizes, plain_figure

WEEKS_PER_YEAR = 52

SERIES_CHARTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # chart key: (timeseries columns, y-axis label key, y scale)
    # y scale: "share" = 0-100 %, "unit" = 0-1, "count" = from 0, growing with the data
    "participation": (("participation", "willingness"), "axis.share", "share"),
    "collection": (("cofunding_collection", "fee_collection"), "axis.share", "share"),
    "maintenance": (("maintenance",), "axis.level", "unit"),
    "complaints": (("complaints",), "axis.count", "count"),
}
"""The time-series charts of the page, in display order."""

SERIES_COLOURS = {
    "participation": "#2e9e4f",
    "willingness": "#f4a640",
    "cofunding_collection": "#2166ac",
    "fee_collection": "#8c6bb1",
    "maintenance": "#1b7837",
    "complaints": "#c0151c",
}
ARM_DASH = ("solid", "dash")
"""Arm A is drawn with solid lines, arm B with dashed lines of the same colours."""


def _arm_x(ts: pd.DataFrame) -> np.ndarray:
    # The model records week t (0-based) when that week is over; plotted at t + 1 (weeks done), in years.
    week = ts["week"].to_numpy(dtype=float) + 1 if "week" in ts else np.arange(1.0, len(ts) + 1)
    return week / WEEKS_PER_YEAR


def timeseries_figure(
    arms: Sequence[pd.DataFrame],
    chart: str,
    lang: str,
    *,
    not_applicable: Sequence[frozenset[str]] | None = None,
    years: float | None = None,
    big: bool = False,
    size: tuple[int, int] | None = None,
) -> go.Figure:
    """Build one chart, overlaying every arm.

    Parameters
    ----------
    arms : sequence of pandas.DataFrame
        One ``timeseries()`` frame of one compound per arm (one in the ordinary page, two in compare
        mode): ``week`` and the chart's columns (missing columns are empty series).
    chart : str
        A key of :data:`SERIES_CHARTS`.
    lang : str
    not_applicable : sequence of frozenset, optional
        Per arm, the columns that do not exist under its settings.
    years : float, optional
        Run length: the x axis grows a year at a time up to it.
    big : bool, default False
        Presentation mode: every text at least 18 px.
    size : (int, int), optional
        Width and height in pixels (the page passes its box's size); by default Plotly's.

    Returns
    -------
    plotly.graph_objects.Figure
        ``len(arms) * len(columns)`` line traces, arm by arm.
    """
    columns, y_label, scale = SERIES_CHARTS[chart]
    na = list(not_applicable or [frozenset()] * len(arms))
    two = len(arms) > 1
    data, done, drawn = [], 0.0, 0
    for arm, (ts, skip) in enumerate(zip(arms, na, strict=True)):
        x = _arm_x(ts)
        done = max(done, float(x.max(initial=0.0)))
        for col in columns:
            y = ts[col].to_numpy(dtype=float) if col in ts and col not in skip else np.full(len(ts), np.nan)
            drawn += int(np.isfinite(y).any())
            name = t("series." + col, lang) + (f" ({t('arm.b', lang)})" if two and arm else "")
            if col in skip:  # say so in the legend rather than draw an empty line without comment
                name += f" ({t('not_applicable', lang)})"
            # The legend names each series once (arm A); the line style tells the arms apart.
            data.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": y,
                    "mode": "lines+markers" if len(x) < 26 else "lines",
                    "marker": {"size": 5},
                    "name": name,
                    "line": {"color": SERIES_COLOURS[col], "width": 3, "dash": ARM_DASH[arm % 2]},
                    "connectgaps": False,
                    "showlegend": arm == 0,
                }
            )
    sizes = font_sizes(big)
    x_max = max(1, math.ceil(done - 1e-9))
    if years:
        x_max = min(x_max, years)
    yaxis: dict = {"title": {"text": t(y_label, lang), "font": {"size": sizes["label"]}}, "rangemode": "tozero"}
    if scale == "share":
        yaxis.update(range=[0, 1.02], tickformat=".0%")
    elif scale == "unit":
        yaxis.update(range=[0, 1.02])
    annotations = []
    if drawn == 0:
        every_na = all(set(columns) <= set(skip) for skip in na)
        annotations.append(
            {
                "text": t("not_applicable" if every_na else "not_yet", lang),
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": sizes["title"], "color": "#6b7785"},
            }
        )
    legend = len(columns) > 1
    layout = {
        **({"width": size[0], "height": size[1]} if size else {}),
        "margin": {"l": 64 if big else 56, "r": 10, "t": 8, "b": 44 if big else 38},
        "font": {"family": FONT, "size": sizes["tick"]},
        "showlegend": legend,
        # Legend in a row above the plot (the chart's title is HTML above the figure): it never
        # covers the lines; Plotly widens the top margin to fit it.
        "legend": {"font": {"size": sizes["legend"]}, "orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "xaxis": {
            "title": {"text": t("axis.year", lang), "font": {"size": sizes["label"]}, "standoff": 4},
            "range": [0, x_max],
            "dtick": 1,
        },
        "yaxis": yaxis,
        "annotations": annotations,
        "uirevision": chart,
    }
    return plain_figure(data, layout)


def timeseries_figures(
    arms: Sequence[pd.DataFrame],
    lang: str,
    *,
    not_applicable: Sequence[frozenset[str]] | None = None,
    years: float | None = None,
    big: bool = False,
    sizes: dict[str, tuple[int, int]] | None = None,
) -> dict[str, go.Figure]:
    """Build every chart of :data:`SERIES_CHARTS` (``sizes``: chart key -> size); returns key -> figure."""
    sizes = sizes or {}
    return {
        c: timeseries_figure(arms, c, lang, not_applicable=not_applicable, years=years, big=big, size=sizes.get(c))
        for c in SERIES_CHARTS
    }
