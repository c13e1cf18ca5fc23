"""Plain-language status lines for the workshop page.

Turns ``RenovationModel.status()`` (and the latest row of ``timeseries()``) into short sentences
in the page's language, e.g. "The Laoyou council has formed, with 7 representatives."
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from workshop.labels import LABELS, pct, stage_name, t
from workshop.labels import missing as _missing


def week_and_year(week: float) -> tuple[int, int]:
    """Return (weeks done, the year they fall in), years counted from 1 as people do.

    Weeks 1-52 are year 1, so the last week of a ten-year run is week 520 of year 10; before the
    first step (week 0) the run is in year 1.
    """
    w = int(week)
    return w, max(1, math.ceil(w / 52))


def status_lines(
    status: Mapping[str, object],
    lang: str,
    latest: Mapping[str, object] | None = None,
    *,
    finished: bool = False,
    years: float | None = None,
    cofunding: bool = True,
) -> list[str]:
    """Describe where the compound stands, one sentence per line.

    Parameters
    ----------
    status : Mapping
        ``RenovationModel.status(c)``: ``stage``, ``week``, ``council_formed``,
        ``representatives``, ``last_vote`` (None, or a mapping with ``turnout``, ``yes_share``,
        ``passed``, ``round``), ``cofunding_collection`` (NaN or None where the regime has no
        co-funding), ``fee_collection`` (None before fees are billed), ``maintenance`` (condition
        of facilities, 0-1), ``complaints`` (so far), and optionally ``management`` ("none", "OC",
        ...).
    lang : str
        Language of the sentences.
    latest : Mapping, optional
        The latest ``timeseries()`` row; adds a line on participation and willingness.
    finished : bool, default False
        Add a closing line saying the run is over.
    years : float, optional
        Run length, for the closing line.
    cofunding : bool, default True
        Whether residents pay a share of the works (``s_res > 0``); without it the co-funding
        line says so, with it a missing value means collection has not started.

    Returns
    -------
    list of str
        Stage, participation, council, last vote, collections, maintenance, complaints and the
        long-term management body, in that order; a line is left out when its value is not known
        (the management line while there is no management body).
    """
    week, year = week_and_year(status.get("week", 0) or 0)
    stage = stage_name(status.get("stage"), lang)
    lines = [t("line.week", lang, week=week, year=year, stage=stage)]

    if latest is not None and not _missing(latest.get("participation")):
        lines.append(
            t(
                "line.participation",
                lang,
                participation=pct(latest["participation"]),
                willingness=pct(latest.get("willingness", float("nan"))),
            )
        )

    if status.get("council_formed"):
        lines.append(t("line.council_yes", lang, n=int(status.get("representatives") or 0)))
    else:
        lines.append(t("line.council_no", lang))

    vote = status.get("last_vote")
    if not vote:
        lines.append(t("line.vote_none", lang))
    else:
        lines.append(
            t(
                "line.vote",
                lang,
                round=int(vote.get("round", 1)),
                turnout=pct(vote["turnout"]),
                yes=pct(vote["yes_share"]),
                outcome=t("vote.passed" if vote.get("passed") else "vote.failed", lang),
            )
        )

    cof = status.get("cofunding_collection")
    if not cofunding:
        lines.append(t("line.cofunding_none", lang))
    elif _missing(cof):
        lines.append(t("line.cofunding_later", lang))
    else:
        lines.append(t("line.cofunding", lang, share=pct(cof)))

    fee = status.get("fee_collection")
    if _missing(fee):
        lines.append(t("line.fees_none", lang))
    else:
        lines.append(t("line.fees", lang, share=pct(fee)))

    maint = status.get("maintenance")
    if not _missing(maint):
        lines.append(t("line.maintenance", lang, level=f"{float(maint):.2f}"))

    comp = status.get("complaints")
    if not _missing(comp):
        n = float(comp)
        lines.append(t("line.complaints", lang, n=int(n) if n.is_integer() else f"{n:.1f}"))

    body = status.get("management")
    if body and str(body).lower() not in ("none", "null"):
        key = "mgmt." + str(body).lower()
        name = t(key, lang) if key in LABELS else str(body)
        lines.append(t("line.management", lang, body=name))

    if finished:
        lines.append(t("line.finished", lang, years=f"{years:g}" if years else "?"))
    return lines
