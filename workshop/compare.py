"""Compare mode's line of differences: arm A against arm B in plain words.

"fees collected: 76 % vs 8 %" — one item per outcome a workshop asks about, read from each arm's
``RenovationModel.status()`` and latest time-series row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from workshop.labels import stage_name, t


def _share(value: object, applicable: bool, lang: str) -> str:
    if not applicable:
        return t("diff.none", lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("not_yet", lang)
    return f"{float(value):.0%}".replace("%", " %")


def arm_outcomes(status: Mapping, latest: Mapping | None, lang: str, *, cofunding: bool = True) -> dict[str, str]:
    """One arm's outcomes as display text, keyed by the ``diff.*`` label of each outcome."""
    latest = latest or {}
    complaints = status.get("complaints")
    return {
        "participation": _share(latest.get("participation"), True, lang),
        "cofunding": _share(status.get("cofunding_collection"), cofunding, lang),
        "fees": _share(status.get("fee_collection"), True, lang),
        "council": str(int(status.get("representatives") or 0))
        if status.get("council_formed")
        else t("diff.none", lang),
        "complaints": "0" if complaints is None else f"{float(complaints):g}",
        "stage": stage_name(status.get("stage"), lang),
    }


def difference_items(a: Mapping[str, str], b: Mapping[str, str], lang: str) -> list[str]:
    """Each outcome as "name: A vs B", in a fixed order (the stage only when the arms differ)."""
    items = []
    for key in ("participation", "cofunding", "fees", "council", "complaints", "stage"):
        if key == "stage" and a[key] == b[key]:
            continue
        items.append(t("diff.line", lang, name=t("diff." + key, lang), a=a[key], b=b[key]))
    return items
