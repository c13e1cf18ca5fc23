"""The numbers a room reads: each side's name, its big-number tiles and the line of differences.

Everything here is a pure function of a side's session (and its band): "Residents' council-led",
"Households that took part: 77%, most runs: 61%-83%", "Households that took part: 77% vs 23%".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workshop.band import Band
from workshop.labels import missing, pct, regime_name, t
from workshop.levers import regime_values
from workshop.measures import TILES
from workshop.session import Session


def side_names(sessions: Sequence[Session], lang: str) -> list[str]:
    """Each side's name: its approach in plain words, and whether its levers were adjusted or changed.

    Two sides that would read the same (a branch before its first change) are told apart by where
    they sit on the screen (left, right).
    """
    names = []
    for s in sessions:
        name = regime_name(s.regime, lang)
        if s.changes:
            name = t("side.changed", lang, name=name, week=s.changes[-1][0])
        elif s.start_values != regime_values(s.regime):
            name = t("side.adjusted", lang, name=name)
        names.append(name)
    if len(names) == 2 and names[0] == names[1]:
        names = [t("side.left", lang, name=names[0]), t("side.right", lang, name=names[1])]
    return names


@dataclass
class Tile:
    """One big number: what it is, its value now, and where most runs are at this week."""

    key: str
    label: str
    value: float | None
    text: str
    range_text: str

    @property
    def number(self) -> bool:
        """Whether the tile shows a number (not "not yet" or "does not apply")."""
        return any(ch.isdigit() for ch in self.text)


def _shown(key: str, value: float | None, lang: str, applies: bool = True) -> str:
    if not applies:
        return t("not_applicable", lang)
    if missing(value):
        return t("not_yet", lang)
    if key == "maintenance":
        return f"{value:.2f}"
    if key == "complaints":
        return t("count", lang, n=int(round(value)))
    return pct(value)


def tiles(session: Session, band: Band | None, lang: str) -> list[Tile]:
    """The side's tiles at its current week, with the band's range at the same week."""
    latest = session.measures(TILES.values())
    week = session.week
    applies = session.cofunding_applies()
    out = []
    for key, measure in TILES.items():
        values = latest[measure]
        value = float(values[-1]) if len(values) else None
        ok = applies or key != "cofunding"
        if band is None:
            range_text = t("tile.range_pending", lang)
        else:
            low = float(band.low[measure][week - 1]) if week else np.nan
            high = float(band.high[measure][week - 1]) if week else np.nan
            if missing(low):
                range_text = t("tile.range_none", lang)
            else:
                range_text = t("tile.range", lang, low=_shown(key, low, lang), high=_shown(key, high, lang))
                if key == "complaints":  # the unit once: "7–12 件"
                    range_text = t("tile.range", lang, low=round(low), high=t("count", lang, n=round(high)))
        if not ok:
            range_text = ""
        out.append(Tile(key, t("tile." + key, lang), value, _shown(key, value, lang, ok), range_text))
    return out


def difference_lines(sessions: Sequence[Session], lang: str) -> tuple[str, list[str]]:
    """The heading ("{A} compared with {B}") and one item per outcome ("Fees paid: 76% vs 8%").

    The stage is not among them: each side's title says it."""
    a, b = sessions
    names = side_names(sessions, lang)
    heading = t("differences", lang, a=names[0], b=names[1])
    ta, tb = tiles(a, None, lang), tiles(b, None, lang)
    items = [t("diff.item", lang, name=x.label, a=x.text, b=y.text) for x, y in zip(ta, tb, strict=True)]
    sa, sb = a.status(), b.status()
    reps = [str(s["representatives"]) if s.get("council_formed") else t("diff.no_council", lang) for s in (sa, sb)]
    items.append(t("diff.item", lang, name=t("diff.council", lang), a=reps[0], b=reps[1]))
    return heading, items
