"""Where households sit in the network figure: one block per building, fixed from week to week.

Buildings are laid out on a near-square grid of blocks (fewer per row in a narrow box); inside a
block the households of that building fill rows like the windows of a building. What does not change
from week to week (positions, outlines, building names, axis ranges) is computed once per compound,
language and box shape (:func:`frame`).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from workshop.labels import t
from workshop.style import font_sizes

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


@lru_cache(maxsize=32)
def frame(building_key: bytes, aspect: float, lang: str, big: bool) -> dict:
    """What does not change from week to week: positions, building outlines and names, axis ranges."""
    building = np.frombuffer(building_key, dtype=np.int64)
    xs, ys, boxes = building_layout(pd.DataFrame({"building": building}), aspect)
    sizes = font_sizes(big)
    rects, annotations, centre = [], [], {}
    for r in boxes.itertuples():
        centre[r.building] = ((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)
        rects.append(
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
        )
        annotations.append(
            {
                "x": (r.x0 + r.x1) / 2,
                "y": r.y1 + 0.3,
                "text": t("building", lang, n=bname(r.building)),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": sizes["label"], "color": "#3e4c59"},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    ranges = (
        (
            [float(boxes["x0"].min()) - 0.8, float(boxes["x1"].max()) + 0.8],
            [float(boxes["y0"].min()) - 0.8, float(boxes["y1"].max()) + 1.6],
        )
        if len(boxes)
        else ([0, 1], [0, 1])
    )
    where = [t("building", lang, n=bname(b)) for b in building.tolist()]
    return {
        "xs": xs,
        "ys": ys,
        "rects": rects,
        "annotations": annotations,
        "centre": centre,
        "ranges": ranges,
        "where": where,
    }


def bname(building: object) -> object:
    # Buildings are 0-based in the model; residents count them from 1 (一号楼).
    if isinstance(building, int | np.integer):
        return int(building) + 1
    return building
