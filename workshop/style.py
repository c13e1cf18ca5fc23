"""Type sizes, the font stack and the Plotly template shared by the page's figures and its CSS.

The page ships its own CJK face (:data:`FONT_FAMILY`, see :mod:`workshop.fonts`), so Chinese
renders on a machine without one; it comes first in every font stack.
"""

from __future__ import annotations

from functools import lru_cache

import plotly.io as pio

FONT_FAMILY = "Renosim Sans SC"
"""The name the page gives the shipped Noto Sans CJK SC subset in its ``@font-face`` rule."""

FONT = f"'{FONT_FAMILY}', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', Arial, sans-serif"

PRESENTATION_MIN_PX = 18
"""Presentation mode: the smallest text anywhere on the page, in CSS pixels."""

_SIZES = {
    # text role: (normal, presentation) in px
    "tick": (13, 18),
    "label": (14, 20),
    "title": (16, 22),
    "legend": (13, 18),
}


def font_sizes(big: bool = False) -> dict[str, int]:
    """Pixel size of each text role of a figure: ``tick``, ``label``, ``title``, ``legend``."""
    return {role: sizes[1 if big else 0] for role, sizes in _SIZES.items()}


@lru_cache(maxsize=1)
def template() -> dict:
    """Plotly's "plotly_white" template as plain JSON, one object for every figure (a patch never resends it)."""
    return pio.templates["plotly_white"].to_plotly_json()
