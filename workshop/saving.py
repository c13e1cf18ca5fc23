"""Save the record: one self-contained HTML file for the workshop's minutes, and the data beside it as CSV.

The HTML file holds each side's name, settings and changes during the run, its tiles with their
ranges, its status lines and network, the line of differences (compare mode), and every chart with
its key (solid / dashed side names, the band), with Plotly's JavaScript and the CJK font inside, so
it opens offline on any machine. The CSV file holds the numbers the page shows: one row per side
per week run, each measure of the charts and tiles with the band's 10th and 90th percentile; the
tiles are the last week's row.
"""

from __future__ import annotations

import html
import io
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import solara

from workshop import charts, network
from workshop.board import Board
from workshop.compare import difference_lines, side_names, tiles
from workshop.controls import testid
from workshop.fonts import font_data_url
from workshop.labels import pct, t
from workshop.levers import format_value, lever_value, levers
from workshop.measures import CHARTS, MEASURES
from workshop.session import Session
from workshop.status import status_lines, week_and_year
from workshop.style import FONT, FONT_FAMILY


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _settings_rows(session: Session, lang: str) -> list[tuple[str, str]]:
    rows = [(t("regime", lang), t("regime." + session.regime, lang))]
    for lever in levers():
        value = lever_value(session.start_values, lever)
        shown = t("yes" if value else "no", lang) if lever.kind == "bool" else format_value(lever, value)
        rows.append((t(lever.key, lang), shown))
    rows += [(t("n_households", lang), str(session.n_households)), (t("seed", lang), str(session.seed))]
    return rows


def _change_text(changes: dict, lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(t("labelled", lang, name=t(k, lang), value=_value(k, v, lang)) for k, v in changes.items())


def _value(key: str, value, lang: str) -> str:
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    return pct(value) if key == "s_res" else f"{value:g}"


def _figure_html(fig: dict, width: int, height: int) -> str:
    figure = go.Figure(data=fig["data"], layout={**fig["layout"], "width": width, "height": height})
    return figure.to_html(full_html=False, include_plotlyjs=False)


def _side_html(board: Board, i: int, name: str, lang: str) -> str:
    session, side = board.sessions[i], board.sides[i]
    snap = session.snapshot()
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in _settings_rows(session, lang)
    )
    changes = "".join(
        f"<li>{html.escape(t('saved.change', lang, week=w, what=_change_text(c, lang)))}</li>"
        for w, c in session.changes
    )
    tile_rows = "".join(
        f'<tr data-tile="{x.key}"><th>{html.escape(x.label)}</th><td>{html.escape(x.text)}</td>'
        f"<td>{html.escape(x.range_text)}</td></tr>"
        for x in tiles(session, side.band, lang)
    )
    latest = {k: (v[-1] if len(v) else None) for k, v in session.measures(["participation", "willingness"]).items()}
    lines = status_lines(
        snap.status,
        lang,
        latest if session.week else None,
        finished=not snap.running,
        years=session.years,
        cofunding=session.cofunding_applies(),
    )
    fig = network.network_figure(snap.nodes, snap.edges, lang, selected=board.selected)
    return (
        f'<section class="side" data-side="{"ab"[i]}">'
        f'<h2 style="color: {charts.SIDE_COLOURS[i]}">{html.escape(name)}</h2>'
        f"<h3>{html.escape(t('saved.settings', lang))}</h3><table>{rows}</table>"
        + (f"<h3>{html.escape(t('saved.changes', lang))}</h3><ul>{changes}</ul>" if changes else "")
        + f'<table class="tiles">{tile_rows}</table>'
        + f"<h3>{html.escape(t('status', lang))}</h3>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        + _figure_html(fig, 560, 460)
        + "</section>"
    )


def session_html(board: Board) -> str:
    """The whole page as one offline HTML document."""
    lang = board.lang
    names = side_names(board.sessions, lang)
    week, year = week_and_year(board.week)
    parts = [
        f"<h1>{html.escape(t('title', lang))}</h1>",
        f"<p>{html.escape(t('saved.when', lang, week=week, year=year))}</p>",
    ]
    if board.comparing:
        heading, items = difference_lines(board.sessions, lang)
        parts.append(f'<h2 data-testid="differences">{html.escape(heading)}</h2>')
        parts.append('<ul class="diff">' + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
    parts.append('<div class="sides">' + "".join(_side_html(board, i, n, lang) for i, n in enumerate(names)) + "</div>")
    parts.append(f"<h2>{html.escape(t('view_charts', lang))}</h2>")
    key = [t("key.dashed" if i else "key.solid", lang, name=n) for i, n in enumerate(names)]
    key += [t("band.key", lang, n=board.runs)] if board.runs else []
    parts.append('<p class="key">' + " · ".join(html.escape(k) for k in key) + "</p>")
    for chart in CHARTS:
        fig = charts.chart_figure(chart, board.chart_lines(chart), lang, years=board.sessions[0].years)
        parts.append(
            f'<div class="chart" data-chart="{chart}"><h3>{html.escape(t("chart." + chart, lang))}</h3>'
            + _figure_html(fig, 760, 340)
            + "</div>"
        )
    style = (
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{font_data_url()}') format('woff2'); }}\n"
        f"body {{ font-family: {FONT}; margin: 24px; color: #1f2933; }}\n"
        ".sides { display: flex; flex-wrap: wrap; gap: 24px; } th { text-align: left; padding-right: 16px; }\n"
        ".tiles td { padding-right: 16px; font-size: 1.2em; } .diff li, .key { font-size: 1.15em; }"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(t('saved.title', lang))}</title><style>{style}</style>"
        f"<script>{_plotly_js()}</script></head><body>{''.join(parts)}</body></html>"
    )


def session_table(board: Board) -> pd.DataFrame:
    """The numbers the page shows: one row per side per week run (see the module docstring)."""
    frames = []
    for i, (name, side) in enumerate(zip(side_names(board.sessions, board.lang), board.sides, strict=True)):
        s = side.session
        values = s.measures(MEASURES)
        n = len(values[MEASURES[0]])
        frame = pd.DataFrame(
            {
                "side": "ab"[i],
                "name": name,
                "regime": s.regime,
                "seed": s.seed,
                "week": np.arange(n),
                "year": np.arange(1, n + 1) / 52,
            }
        )
        for m in MEASURES:
            frame[m] = values[m]
            frame[f"{m}_p10"] = side.band.low[m][:n] if side.band else np.nan
            frame[f"{m}_p90"] = side.band.high[m][:n] if side.band else np.nan
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def session_csv(board: Board) -> str:
    """:func:`session_table` as CSV text (UTF-8, with the side names in the page's language)."""
    buffer = io.StringIO()
    session_table(board).to_csv(buffer, index=False, float_format="%.6g")
    return buffer.getvalue()


@solara.component
def SaveButtons(board: Board, lang: str):
    """Save the record (one HTML file) and, beside it, its data (one CSV file)."""
    with solara.v.Html(tag="div", style_="display: flex; align-items: center"):
        with solara.FileDownload(
            lambda: session_html(board).encode("utf-8"), filename="renosim-record.html", mime_type="text/html"
        ):
            solara.Button(t("save", lang), icon_name="mdi-content-save", text=True, attributes=testid("save"))
        with solara.FileDownload(
            lambda: ("\ufeff" + session_csv(board)).encode("utf-8"), filename="renosim-record.csv", mime_type="text/csv"
        ):
            solara.Button(t("save_csv", lang), icon_name="mdi-table", text=True, attributes=testid("save-csv"))
