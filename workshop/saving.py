"""Save the session: one self-contained HTML file for the workshop's minutes.

The file holds each arm's settings, status lines, the line of differences (compare mode), the
network and every chart, with Plotly's JavaScript and the CJK font inside it, so it opens offline
on any machine.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache

import solara

from workshop import charts, network
from workshop.compare import arm_outcomes, difference_items
from workshop.controls import testid
from workshop.fonts import font_data_url
from workshop.labels import t
from workshop.levers import format_value, lever_value, levers
from workshop.session import Session
from workshop.status import status_lines
from workshop.style import FONT, FONT_FAMILY


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _settings_rows(session: Session, lang: str) -> list[tuple[str, str]]:
    rows = [(t("regime", lang), t("regime." + session.regime, lang))]
    for lever in levers():
        value = lever_value(session.values, lever)
        shown = ("✓" if value else "✗") if lever.kind == "bool" else format_value(lever, value)
        rows.append((t(lever.key, lang), shown))
    rows += [(t("n_households", lang), str(session.n_households)), (t("seed", lang), str(session.seed))]
    return rows


def session_html(sessions: Sequence[Session], lang: str) -> str:
    """The whole session as one offline HTML document (settings, status, differences, figures)."""
    snaps = [s.snapshot() for s in sessions]
    if any(s is None for s in snaps):
        raise ValueError("an arm has no model to save")
    two = len(sessions) > 1
    names = [t("arm." + a, lang) for a in "ab"][: len(sessions)]
    latest = [s.timeseries.iloc[-1].to_dict() if len(s.timeseries) else None for s in snaps]
    cof = [float(s.values.get("s_res", 0.0)) > 0 for s in sessions]
    week = int(snaps[0].week)
    parts = [f"<h1>{html.escape(t('title', lang))}</h1>", f"<p>{html.escape(t('saved.when', lang, week=week))}</p>"]
    if two:
        outcomes = [arm_outcomes(s.status, la, lang, cofunding=c) for s, la, c in zip(snaps, latest, cof, strict=True)]
        items = difference_items(outcomes[0], outcomes[1], lang)
        parts.append(f"<h2>{html.escape(t('differences', lang))}</h2>")
        parts.append('<ul class="diff">' + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    parts.append('<div class="arms">')
    for name, session, snap, la, c in zip(names, sessions, snaps, latest, cof, strict=True):
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in _settings_rows(session, lang)
        )
        lines = status_lines(snap.status, lang, la, finished=not snap.running, years=session.years, cofunding=c)
        fig = network.network_figure(snap.nodes, snap.edges, lang)
        fig.update_layout(width=560, height=460, autosize=False)
        parts.append(
            '<section class="arm">'
            + (f"<h2>{html.escape(name)}</h2>" if two else "")
            + f"<h3>{html.escape(t('saved.settings', lang))}</h3><table>{rows}</table>"
            + f"<h3>{html.escape(t('status', lang))}</h3>"
            + "".join(f"<p>{html.escape(line)}</p>" for line in lines)
            + f"<h3>{html.escape(t('compound', lang))}</h3>"
            + fig.to_html(full_html=False, include_plotlyjs=False)
            + "</section>"
        )
    parts.append("</div>")
    figs = charts.timeseries_figures(
        [s.timeseries for s in snaps],
        lang,
        not_applicable=[s.not_applicable() for s in sessions],
        years=sessions[0].years,
    )
    parts.append(f"<h2>{html.escape(t('charts', lang))}</h2>")
    for key, fig in figs.items():
        fig.update_layout(width=760, height=360, autosize=False)
        parts.append(
            f'<div class="chart" data-chart="{key}"><h3>{html.escape(t("chart." + key, lang))}</h3>'
            + fig.to_html(full_html=False, include_plotlyjs=False)
            + "</div>"
        )
    style = (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{font_data_url()}') format('woff2'); }}\n"
        f"body {{ font-family: {FONT}; margin: 24px; color: #1f2933; }}\n"
        ".arms { display: flex; flex-wrap: wrap; gap: 24px; } th { text-align: left; padding-right: 16px; }\n"
        ".diff li { font-size: 1.15em; }"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(t('saved.title', lang))}</title><style>{style}</style>"
        f"<script>{_plotly_js()}</script></head><body>{''.join(parts)}</body></html>"
    )


@solara.component
def SaveButton(sessions: Sequence[Session], lang: str):
    """The "save the session" button: downloads :func:`session_html` as one file."""
    with solara.FileDownload(
        lambda: session_html(sessions, lang).encode("utf-8"),
        filename="renosim-session.html",
        mime_type="text/html",
    ):
        solara.Button(t("save", lang), icon_name="mdi-content-save", text=True, attributes=testid("save"))
