"""What the page's tiles and charts measure, chosen in one place and read from the model week by week.

The participation measure the page shows is chosen here and nowhere else, on the model's participation
ladder (ODD §7.3, sim/ladder.py):

- :data:`PARTICIPATION_SERIES` — the weekly series of the participation chart and its band: the share of
  households that gave an opinion or did more (the ladder's *consulted* rung or higher) in the last 13 weeks;
- :func:`took_part` — the participation tile: the headline ``participation_rate`` as it stands at the
  current week (households that reached at least *consulted* in the project phase, movers included), the
  same figure ``renosim compare`` reports at the end of a run.
"""

from __future__ import annotations

import numpy as np

from sim import ladder
from sim.outputs import ladder_columns

PARTICIPATION_SERIES = f"ladder_{ladder.HEADLINE.label}"
"""The weekly series the participation chart and its band show (see the module docstring)."""


def took_part(model) -> np.ndarray:
    """The participation tile for every compound of ``model`` at its current week (``participation_rate`` so far)."""
    h, book = model.hh, model.ladder
    return np.array(
        [ladder_columns(book.counts(h, k, c.lo, c.hi))["participation_rate"] for k, c in enumerate(model.compounds)]
    )


CHARTS: dict[str, tuple[str, str, str]] = {
    # chart key: (measure, y-axis label key, y scale: "share" 0-100 %, "unit" 0-1, "count" from 0)
    "participation": (PARTICIPATION_SERIES, "axis.share", "share"),
    "willingness": ("willingness", "axis.share", "share"),
    "cofunding": ("cofunding_collection", "axis.paid", "share"),
    "fees": ("fee_collection", "axis.paid", "share"),
    "maintenance": ("maintenance", "axis.level", "unit"),
    "complaints": ("complaints", "axis.count", "count"),
}
"""The charts of the page's "over time" view, in display order; one measure each, one line per side."""

TILES: dict[str, str] = {
    # tile key: measure (a key of Track's weekly arrays)
    "participation": "took_part",
    "cofunding": "cofunding_collection",
    "fees": "fee_collection",
    "maintenance": "maintenance",
    "complaints": "complaints",
}
"""The big-number tiles of each side, in display order."""

MEASURES: tuple[str, ...] = tuple(dict.fromkeys([m for m, _, _ in CHARTS.values()] + list(TILES.values())))
"""Every measure a :class:`Track` keeps (the recorder's series the page shows, and ``took_part``)."""


class Track:
    """Every measure the page shows for each compound of a model, one row per week run.

    The recorder's series are read from its arrays; ``took_part`` is not a weekly series of the
    model, so :meth:`record` keeps it after every week (call it after each ``model.step()``).
    """

    def __init__(self, model):
        self.model = model
        self._took_part: list[np.ndarray] = []

    def record(self) -> None:
        """Keep this week's ``took_part`` (after a step)."""
        while len(self._took_part) < self.model.recorder.weeks:
            self._took_part.append(took_part(self.model))

    @property
    def weeks(self) -> int:
        return len(self._took_part)

    def measure(self, name: str, start: int = 0) -> np.ndarray:
        """One measure from week ``start`` on: weeks × compounds (float; NaN where it does not exist)."""
        if name == "took_part":
            rows = self._took_part[start:]
            return np.array(rows, dtype=float).reshape(len(rows), len(self.model.compounds))
        return self.model.recorder.series(name, start, self.weeks)
