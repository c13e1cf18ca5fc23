"""Self-contained HTML reports (plotly) and PNG figures (kaleido, when a browser exists).

The HTML embeds plotly.js (``include_plotlyjs=True``) once and every figure after it, so a report
opens in a room without internet; a CDN script would leave it blank. PNGs (:mod:`experiments.png`)
need kaleido and a Chromium; without them they are skipped quietly and the HTML still has every figure.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from experiments import provenance
from experiments.compare import CompareResult
from experiments.formatting import sig3
from experiments.png import browser_path, export_pngs  # noqa: F401 - part of this module's API
from sim import ladder

_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
)
LABELS = {
    "participation_rate": "Participation rate: took part (gave a view or more)",
    "ladder_informed": "Informed (notice, visit, campaign)",
    "ladder_involved": "Involved in person (meeting, event, supervision)",
    "ladder_co_deciding": "Co-deciding (representative, initiator, adopted proposal)",
    "cofunding_collection": "Co-funding collection",
    "fee_collection": "Fee collection",
    "consensus_weeks": "Weeks to consensus",
    "completed": "Completed",
    "council_formed": "Council formed",
    "legitimacy": "Council legitimacy",
    "maintenance_year5": "Maintenance, year 5",
    "complaints_per_100_households_per_year": "Complaints /100 hh/yr",
    "government_cost_per_household": "Government cost /hh (yuan)",
    "social_capital_end": "Social capital (end)",
    "stalled": "Stalled or abandoned",
}
EFFECT_OUTCOMES = (
    "participation_rate",
    "cofunding_collection",
    "fee_collection",
    "consensus_weeks",
    "maintenance_year5",
)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _colour(i: int) -> str:
    return _COLOURS[i % len(_COLOURS)]


def band_figure(ts: pd.DataFrame, arms: list[str], column: str, title: str) -> go.Figure:
    """Mean of ``column`` over seeds per week, with a 90 % band (5th-95th percentile)."""
    fig = go.Figure()
    for i, arm in enumerate(arms):
        g = ts[ts["arm"] == arm].groupby("week")[column]
        q = pd.DataFrame({"mean": g.mean(), "lo": g.quantile(0.05), "hi": g.quantile(0.95)})
        years = q.index.to_numpy() / 52.0
        c = _colour(i)
        fig.add_trace(
            go.Scatter(x=years, y=q["hi"], line=dict(width=0), showlegend=False, hoverinfo="skip", legendgroup=arm)
        )
        fig.add_trace(
            go.Scatter(
                x=years,
                y=q["lo"],
                line=dict(width=0),
                fill="tonexty",
                fillcolor=_rgba(c, 0.2),
                showlegend=False,
                hoverinfo="skip",
                legendgroup=arm,
            )
        )
        fig.add_trace(go.Scatter(x=years, y=q["mean"], name=arm, line=dict(color=c, width=2), legendgroup=arm))
    fig.update_layout(title=title, xaxis_title="year", yaxis_title=column, template="plotly_white")
    return fig


def collection_figure(summary: pd.DataFrame, arms: list[str]) -> go.Figure:
    """Box plots of co-funding and fee collection per arm."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Co-funding collection (at deadline)", "Fee collection"))
    for j, col in enumerate(("cofunding_collection", "fee_collection"), start=1):
        for i, arm in enumerate(arms):
            y = summary.loc[summary["arm"] == arm, col].astype(float)
            fig.add_trace(
                go.Box(y=y, name=arm, marker_color=_colour(i), boxmean=True, showlegend=j == 1, legendgroup=arm),
                row=1,
                col=j,
            )
    fig.update_layout(
        title="Collection rates across seeds (NaN = no co-funding in the regime)", template="plotly_white"
    )
    return fig


LADDER_PHASES = {"": "up to completion", "mgmt_": "after completion"}


def ladder_figure(summary: pd.DataFrame, arms: list[str]) -> go.Figure:
    """The participation ladder per arm: mean share of households reaching at least each rung."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=tuple(f"Project {v}" for v in LADDER_PHASES.values()))
    for j, prefix in enumerate(LADDER_PHASES, start=1):
        for i, arm in enumerate(arms):
            rows = summary.loc[summary["arm"] == arm]
            y = [rows[f"ladder_{prefix}{rung}"].astype(float).mean() for rung in ladder.NAMES]
            fig.add_trace(
                go.Bar(
                    x=[r.replace("_", "-") for r in ladder.NAMES],
                    y=y,
                    name=arm,
                    marker_color=_colour(i),
                    showlegend=j == 1,
                    legendgroup=arm,
                ),
                row=1,
                col=j,
            )
    fig.update_yaxes(range=[0, 1], title_text="share of households, at least this rung", row=1, col=1)
    fig.update_layout(
        title="Participation ladder (Arnstein 1969): informed, consulted, involved in person, co-deciding",
        barmode="group",
        template="plotly_white",
    )
    return fig


def maintenance_by_year(summary: pd.DataFrame, ts: pd.DataFrame) -> pd.DataFrame:
    """Maintenance per compound by year after completion (mean over that year's weeks)."""
    done = summary.loc[summary["completed"].astype(bool), ["arm", "seed", "compound", "completion_week"]]
    m = ts[["arm", "seed", "compound", "week", "maintenance"]].merge(done, on=["arm", "seed", "compound"])
    m = m[m["week"] > m["completion_week"]]
    m["year_after"] = np.ceil((m["week"] - m["completion_week"]) / 52.0).astype(int)
    return m.groupby(["arm", "seed", "compound", "year_after"], as_index=False)["maintenance"].mean()


def maintenance_figure(summary: pd.DataFrame, ts: pd.DataFrame, arms: list[str]) -> go.Figure:
    """M(y): maintenance by year after completion, mean and 90 % band over completed compounds."""
    by_year = maintenance_by_year(summary, ts)
    fig = go.Figure()
    for i, arm in enumerate(arms):
        g = by_year[by_year["arm"] == arm].groupby("year_after")["maintenance"]
        if g.ngroups == 0:
            continue
        mean, lo, hi = g.mean(), g.quantile(0.05), g.quantile(0.95)
        fig.add_trace(
            go.Scatter(
                x=mean.index,
                y=mean,
                name=arm,
                mode="lines+markers",
                line=dict(color=_colour(i)),
                error_y=dict(type="data", symmetric=False, array=hi - mean, arrayminus=mean - lo),
            )
        )
    fig.update_layout(
        title="Maintenance M(y) by year after completion (mean, 90 % band)",
        xaxis_title="years after completion",
        yaxis_title="maintenance",
        template="plotly_white",
    )
    return fig


def consensus_figure(summary: pd.DataFrame, arms: list[str]) -> go.Figure:
    """Histogram of weeks to consensus per arm (compounds that never agree are counted apart)."""
    fig = go.Figure()
    for i, arm in enumerate(arms):
        x = summary.loc[summary["arm"] == arm, "consensus_weeks"].astype(float)
        never = int(x.isna().sum())
        fig.add_trace(
            go.Histogram(x=x.dropna(), name=f"{arm} (never: {never})", marker_color=_colour(i), opacity=0.6, nbinsx=30)
        )
    fig.update_layout(
        barmode="overlay",
        title="Time to consensus",
        xaxis_title="weeks",
        yaxis_title="compounds",
        template="plotly_white",
    )
    return fig


def effects_figure(table: pd.DataFrame, title: str, outcomes=EFFECT_OUTCOMES) -> go.Figure:
    """Forest plot: paired difference with 95 % CI per arm, one panel per outcome."""
    t = table.dropna(subset=["diff"])
    outcomes = [o for o in outcomes if o in set(t["outcome"])]
    fig = make_subplots(
        rows=1, cols=max(len(outcomes), 1), shared_yaxes=True, subplot_titles=[LABELS.get(o, o) for o in outcomes]
    )
    for j, o in enumerate(outcomes, start=1):
        d = t[t["outcome"] == o]
        fig.add_trace(
            go.Scatter(
                x=d["diff"],
                y=d["arm"],
                mode="markers",
                marker=dict(size=9, color=_colour(j - 1)),
                error_x=dict(
                    type="data", symmetric=False, array=d["diff_high"] - d["diff"], arrayminus=d["diff"] - d["diff_low"]
                ),
                showlegend=False,
                hovertemplate="%{y}: %{x:.3g}<extra></extra>",
            ),
            row=1,
            col=j,
        )
        fig.add_vline(x=0, line=dict(color="grey", dash="dot"), row=1, col=j)
    fig.update_yaxes(autorange="reversed")  # arms top-down in table order
    fig.update_layout(title=title, template="plotly_white", height=max(300, 60 * t["arm"].nunique() + 150))
    return fig


def _fmt(x) -> str:
    """The reports' one rounding rule (:func:`experiments.formatting.sig3`); NaN is "n/a"."""
    return sig3(x)


def table_html(table: pd.DataFrame) -> str:
    """An HTML table of means with CIs and paired differences with CIs."""
    rows = []
    for _, r in table.iterrows():
        if pd.notna(r["diff"]):
            diff = f"{_fmt(r['diff'])} [{_fmt(r['diff_low'])}, {_fmt(r['diff_high'])}]"
        elif int(r["n"]) == 0:
            diff = "n/a (n = 0)"
        else:
            diff = "reference" if pd.isna(r["n_pairs"]) else "n/a"
        rows.append(
            f"<tr><td>{html.escape(LABELS.get(r['outcome'], r['outcome']))}</td>"
            f"<td>{html.escape(str(r['arm']))}</td><td>{int(r['n'])}</td>"
            f"<td>{_fmt(r['mean'])}</td><td>{'' if int(r['n']) == 0 else f'[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]'}</td>"
            f"<td>{diff}</td><td>{_fmt(r['variance_reduction'])}</td></tr>"
        )
    return (
        "<table><thead><tr><th>outcome</th><th>arm</th><th>n</th><th>mean</th><th>95% CI</th>"
        "<th>paired Δ [95% CI]</th><th>variance reduction</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;font-size:0.85em;margin:1em 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
td:first-child,td:nth-child(2),th{text-align:left}
tr:nth-child(even){background:#f6f6f6}
.note{color:#555;font-size:0.9em}
"""


def html_page(title: str, intro: str, sections: list[tuple[str, str]]) -> str:
    """Assemble an offline HTML page; ``sections`` are (heading, HTML body) pairs."""
    body = "".join(f"<h2>{html.escape(h)}</h2>{b}" for h, b in sections)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{intro}{body}</body></html>"
    )


def figures_html(figs: Mapping[str, go.Figure]) -> list[tuple[str, str]]:
    """Each figure as an HTML fragment; plotly.js is inlined with the first one only."""
    out = []
    for i, (title, fig) in enumerate(figs.items()):
        frag = fig.to_html(full_html=False, include_plotlyjs=i == 0, config={"displaylogo": False})
        out.append((title, frag))
    return out


def compare_figures(res: CompareResult) -> dict[str, go.Figure]:
    """The figures of a comparison report, keyed by section title."""
    regimes = res.settings["regimes"]
    s = res.summary
    figs: dict[str, go.Figure] = {}
    ts = res.timeseries
    if ts is not None and not ts.empty:
        figs["Participation over time"] = band_figure(
            ts, regimes, "participation", "Taking part PR(t), acted in the last 13 weeks: mean and 90 % band"
        )
        figs["Willingness over time"] = band_figure(
            ts, regimes, "willingness", "Stated willingness W(t): mean and 90 % band over seeds"
        )
        figs["Maintenance over time"] = band_figure(
            ts, regimes, "maintenance", "Maintenance M(t): mean and 90 % band over seeds"
        )
        figs["Maintenance after completion"] = maintenance_figure(s, ts, regimes)
    figs["Participation ladder"] = ladder_figure(s, regimes)
    figs["Co-funding and fee collection"] = collection_figure(s, regimes)
    figs["Time to consensus"] = consensus_figure(s, regimes)
    if len(regimes) > 1:
        figs[f"Regime differences vs {regimes[0]}"] = effects_figure(
            res.table, f"Paired differences vs {regimes[0]} (95 % CI)"
        )
    if res.knockouts is not None:
        figs["Knock-out effects"] = effects_figure(
            res.knockouts, "Knock-out effects: Δ vs full three_integrations (paired 95 % CI)"
        )
    return figs


def compare_report(res: CompareResult, path: str | Path, figs: Mapping[str, go.Figure] | None = None) -> Path:
    """Write the self-contained comparison report to ``path``."""
    figs = compare_figures(res) if figs is None else figs
    st = res.settings
    intro = (
        f"<p class='note'>{st['seeds']} paired seeds per arm (seeds {st['seed_start']}–"
        f"{st['seed_start'] + st['seeds'] - 1}), {st['households']} households, {st['years']} "
        f"years; overrides: {html.escape(str(st['overrides']) or '{}')}. Every arm runs on the "
        "same seeds with the same random numbers, so differences are paired; "
        "'variance reduction' is the squared ratio of the CI width independent seeds would give "
        "to the paired CI width. n/a: the outcome does not exist in that arm's runs (e.g. no "
        "co-funding under top_down), never 0. Numbers have 3 significant figures.</p>"
    )
    sections = [("Outcomes by regime", table_html(res.table))]
    if res.knockouts is not None:
        docs = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in res.knockout_docs.items())
        sections.append(("Knock-outs (ODD X2)", f"<ul>{docs}</ul>" + table_html(res.knockouts)))
    sections += figures_html(figs)
    if res.provenance:
        sections.append(("Provenance", provenance.html_block(res.provenance)))
    return provenance.write_text(Path(path), html_page("renosim: regime comparison", intro, sections))
