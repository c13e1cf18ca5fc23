"""The page's charts over time: one measure each, one line per side, the band where most runs fall.

Each chart (:data:`workshop.measures.CHARTS`) draws, for each side of the page, the followed run's
line over a shaded band (10th-90th percentile over the band's runs, :mod:`workshop.band`), with years
on the x axis and a dotted upright line at each week a lever changed. Side A is solid blue, side B
dashed orange; the key above the charts names the sides. A chart with nothing to draw says so in
words ("not yet", "does not apply"). Builders are pure functions that return plain-JSON figures
(lists, ``None`` for a gap) for :class:`workshop.liveplot.LiveFigure`, which sends a step as new
points (Plotly's ``extendTraces``), not as a new figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workshop.labels import t
from workshop.measures import CHARTS
from workshop.style import FONT, font_sizes, template

WEEKS_PER_YEAR = 52
SIDE_COLOURS = ("#1f6fb2", "#d9620b")
"""Side A blue, side B orange (told apart by the dash too, for colour-blind viewers)."""
BAND_FILLS = ("rgba(31,111,178,0.16)", "rgba(217,98,11,0.16)")
SIDE_DASH = ("solid", "dash")
TRACES_PER_SIDE = 3
"""Per side, in order: the band's lower edge, its upper edge (filled down to the lower), the line."""


@dataclass
class Line:
    """One side in a chart.

    Attributes
    ----------
    name : str
        The side's name (the approach in plain words).
    values : numpy.ndarray
        The measure at the end of each week run (week 0 first); NaN where it does not exist yet.
    low, high : numpy.ndarray or None
        The band at the same weeks; None while it is being worked out.
    changes : tuple of int
        Weeks from which a lever changed.
    applicable : bool
        False when the measure cannot exist under the side's settings (co-funding without a share).
    """

    name: str
    values: np.ndarray
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    changes: tuple[int, ...] = ()
    applicable: bool = True


def plain(values) -> list:
    """A numeric array as JSON: floats, ``None`` for NaN (a gap in the line)."""
    arr = np.asarray(values, dtype=float)
    return [None if math.isnan(v) else v for v in arr.tolist()]


def years_done(n_weeks: int) -> list[float]:
    """x of the first ``n_weeks`` weeks: week t is drawn when it is over, at (t + 1) / 52 years."""
    return (np.arange(1, n_weeks + 1) / WEEKS_PER_YEAR).tolist()


def chart_figure(chart: str, lines: Sequence[Line], lang: str, *, years: float, big: bool = False) -> dict:
    """Build one chart as a plain-JSON figure.

    Parameters
    ----------
    chart : str
        A key of :data:`workshop.measures.CHARTS`.
    lines : sequence of Line
        One per side (one or two).
    lang : str
    years : float
        Run length: the x axis grows a year at a time up to it.
    big : bool, default False
        Presentation mode: every text at least 18 px.

    Returns
    -------
    dict
        ``data``: :data:`TRACES_PER_SIDE` traces per side; ``layout``.
    """
    _, y_label, scale = CHARTS[chart]
    data, shapes, annotations = [], [], []
    weeks = max((len(line.values) for line in lines), default=0)
    sizes = font_sizes(big)
    for i, line in enumerate(lines):
        x = years_done(len(line.values))
        none = [None] * len(x)
        low = plain(line.low[: len(x)]) if line.low is not None else none
        high = plain(line.high[: len(x)]) if line.high is not None else none
        edge = {"type": "scatter", "mode": "lines", "x": x, "line": {"width": 0}, "hoverinfo": "skip"}
        data.append({**edge, "y": low, "showlegend": False, "name": t("band.name", lang, name=line.name)})
        data.append(
            {
                **edge,
                "y": high,
                "fill": "tonexty",
                "fillcolor": BAND_FILLS[i % 2],
                "showlegend": False,
                "name": t("band.name", lang, name=line.name),
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x,
                "y": plain(line.values) if line.applicable else none,
                "name": line.name,
                "line": {"color": SIDE_COLOURS[i % 2], "width": 3.5 if big else 3, "dash": SIDE_DASH[i % 2]},
                "connectgaps": False,
                "showlegend": False,
                "hovertemplate": "%{y:.0%}<extra>%{fullData.name}</extra>" if scale == "share" else None,
            }
        )
        for week in line.changes:
            shapes.append(_change_mark(week, SIDE_COLOURS[i % 2]))
            annotations.append(_change_label(week, lang, sizes["label"], SIDE_COLOURS[i % 2]))
    data = [{k: v for k, v in tr.items() if v is not None} for tr in data]
    if not any(line.applicable and np.isfinite(line.values).any() for line in lines):
        every_na = all(not line.applicable for line in lines)
        annotations.append(_note(t("not_applicable" if every_na else "not_yet", lang), sizes["title"]))
    x_max = max(1, math.ceil(weeks / WEEKS_PER_YEAR - 1e-9))
    yaxis: dict = {"title": {"text": t(y_label, lang), "font": {"size": sizes["label"]}}, "rangemode": "tozero"}
    if scale == "share":
        yaxis.update(range=[0, 1.04], tickvals=[0, 0.25, 0.5, 0.75, 1], tickformat=".0%")
    elif scale == "unit":
        yaxis.update(range=[0, 1.04], tickvals=[0, 0.25, 0.5, 0.75, 1])
    layout = {
        "template": template(),
        "margin": {"l": 70 if big else 60, "r": 12, "t": 10, "b": 48 if big else 40},
        "font": {"family": FONT, "size": sizes["tick"]},
        "showlegend": False,
        "xaxis": {
            "title": {"text": t("axis.year", lang), "font": {"size": sizes["label"]}, "standoff": 4},
            "range": [0, min(x_max, years)],
            "dtick": 1,
        },
        "yaxis": yaxis,
        "shapes": shapes,
        "annotations": annotations,
        "hovermode": "closest",
        "uirevision": chart,
    }
    return {"data": data, "layout": layout}


def _change_mark(week: int, colour: str) -> dict:
    x = week / WEEKS_PER_YEAR
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 2, "dash": "dot"},
    }


def _change_label(week: int, lang: str, size: int, colour: str) -> dict:
    return {
        "text": t("change.mark", lang),
        "x": week / WEEKS_PER_YEAR,
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": size, "color": colour},
    }


def _note(text: str, size: int) -> dict:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": size, "color": "#6b7785"},
    }
