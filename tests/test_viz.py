"""Fast tests of the workshop visualisation: labels, status lines, figures, levers, the page.

The page itself is rendered here without a browser (``solara.render``); the browser test is
``tests/test_viz_browser.py``.
"""

from __future__ import annotations

import importlib
import re
import string
import warnings
from pathlib import Path

import ipywidgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from workshop import charts, labels, levers, network, status, style
from workshop.labels import LABELS, LANGS, t
from workshop.plotly_widget import update_in_place

ROOT = Path(__file__).resolve().parents[1]
VIZ_SOURCES = sorted((ROOT / "workshop").glob("*.py")) + [
    ROOT / "app.py",
    ROOT / "experiments" / "commands" / "viz.py",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_has_both_languages_with_same_fields(key):
    entry = LABELS[key]
    assert set(entry) == set(LANGS)
    for lang in LANGS:
        assert entry[lang].strip(), f"{key}: empty {lang}"
    assert _fields(entry["zh"]) == _fields(entry["en"]), key
    assert CJK.search(entry["zh"]), f"{key}: the Chinese text has no Chinese characters"
    assert not CJK.search(entry["en"]), f"{key}: the English text has Chinese characters"


def test_every_literal_label_key_in_the_code_exists():
    used = set()
    for path in VIZ_SOURCES:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']\s*[,)]""", path.read_text("utf-8")))
    assert used, "no t() calls found"
    assert used <= set(LABELS), sorted(used - set(LABELS))


def test_dynamic_label_keys_exist():
    from sim.params import REGIMES

    dynamic = {f"regime.{r}" for r in REGIMES}
    dynamic |= {f"state.{s}" for s in network.STATES}
    dynamic |= {f"chart.{c}" for c in charts.SERIES_CHARTS}
    dynamic |= {f"series.{col}" for cols, _, _ in charts.SERIES_CHARTS.values() for col in cols}
    dynamic |= {axis for _, axis, _ in charts.SERIES_CHARTS.values()}
    dynamic |= {lever.key for lever in levers.levers()}
    dynamic |= {f"end.{lv.key}.{end}" for lv in levers.levers() if lv.kind != "bool" for end in ("low", "high")}
    dynamic |= {f"level.{x}" for x in ("none", "low", "medium", "high")}
    dynamic |= {f"diff.{k}" for k in ("participation", "cofunding", "fees", "council", "complaints", "stage")}
    dynamic |= {f"arm.{a}" for a in "ab"}
    assert dynamic <= set(LABELS), sorted(dynamic - set(LABELS))


def test_t_fills_fields_and_falls_back_to_english():
    assert t("week_counter", "en", week=3, year=1) == "Week 3 (year 1)"
    assert t("week_counter", "zh", week=3, year=1) == "第 3 周（第 1 年）"
    assert t("step", "fr") == "Step"
    with pytest.raises(KeyError):
        t("no.such.label", "en")


@pytest.mark.parametrize("stage", ["CouncilFormation", "council_formation", "Council formation", "FUND-RAISING"])
def test_stage_names_are_matched_loosely(stage):
    assert labels.stage_name(stage, "en") in {"forming the council", "raising residents' co-funding"}
    assert CJK.search(labels.stage_name(stage, "zh"))


def test_unknown_stage_is_shown_as_given():
    assert labels.stage_name("Mystery", "zh") == "Mystery"


# --- status lines ----------------------------------------------------------------------------

STATUS = {
    "stage": "FundRaising",
    "week": 60,
    "council_formed": True,
    "representatives": 7,
    "last_vote": {"turnout": 0.78, "yes_share": 0.71, "passed": True, "round": 2},
    "cofunding_collection": 0.64,
    "fee_collection": 0.5,
    "maintenance": 0.8234,
    "complaints": 3.0,
}


def test_status_lines_english():
    lines = status.status_lines(STATUS, "en", {"participation": 0.34, "willingness": 0.52})
    assert lines == [
        "Week 60 (year 2). Current stage: raising residents' co-funding.",
        "34% of households take part; 52% are willing to renovate.",
        "The Laoyou council has formed, with 7 representatives.",
        "Vote, round 2: turnout 78%, 71% in favour; passed.",
        "Residents' co-funding collected: 64% of what is owed.",
        "Property fees collected: 50%.",
        "Condition of facilities: 0.82 (1 = good repair).",
        "Complaints so far: 3.",
    ]


def test_status_lines_chinese_and_missing_values():
    s = {
        **STATUS,
        "council_formed": False,
        "representatives": 0,
        "last_vote": None,
        "cofunding_collection": float("nan"),
        "fee_collection": None,
        "complaints": 1.5,
    }
    lines = status.status_lines(s, "zh", finished=True, years=10, cofunding=False)
    assert lines[0] == "第 60 周（第 2 年）。当前阶段：筹集居民出资。"
    assert "议事会尚未成立。" in lines
    assert "尚未进行表决。" in lines
    assert "本模式下居民无需出资。" in lines
    assert "尚未开始收取物业费。" in lines
    assert "累计投诉 1.5 件。" in lines
    assert lines[-1] == "模拟已结束（共 10 年）。"
    assert all(CJK.search(line) for line in lines)


def test_management_line():
    assert status.status_lines({**STATUS, "management": "OC"}, "en")[-1] == ("Managed by: an owners' committee.")
    assert status.status_lines({**STATUS, "management": "none"}, "en")[-1].startswith("Complaints")


def test_every_model_stage_has_words():
    from sim.stages import Stage

    for stage in Stage:
        assert labels.stage_key(stage.label) in LABELS, stage


def test_cofunding_not_started_yet():
    s = {**STATUS, "cofunding_collection": None}
    assert "Residents' co-funding has not been collected yet." in status.status_lines(s, "en")


def test_failed_vote_line():
    s = {**STATUS, "last_vote": {"turnout": 0.5, "yes_share": 0.4, "passed": False, "round": 1}}
    assert "not passed" in status.status_lines(s, "en")[2]


# --- figures ---------------------------------------------------------------------------------


def _network(n=150, per_building=24, seed=1):
    rng = np.random.default_rng(seed)
    nodes = pd.DataFrame(
        {
            "id": np.arange(n),
            "building": np.arange(n) // per_building,
            "state": rng.choice(network.STATES, n),
            "party": rng.random(n) < 0.1,
            "role": "none",
        }
    )
    src = rng.integers(0, n, 4 * n)
    dst = rng.integers(0, n, 4 * n)
    keep = src != dst
    edges = pd.DataFrame({"source": src[keep], "target": dst[keep], "weight": rng.random(keep.sum())})
    return nodes, edges


def _validated(fig: go.Figure) -> go.Figure:
    # The builders skip Plotly's validation for speed; validate here instead (raises if invalid).
    go.Figure(fig.to_dict())
    return fig


def _segments(shape) -> int:
    return shape.path.count("M") if shape.path != "M0,0" else 0


@pytest.mark.parametrize("lang", LANGS)
def test_network_figure_draws_strong_ties_and_bands(lang):
    nodes, edges = _network()
    fig = _validated(network.network_figure(nodes, edges, lang, size=(500, 400)))
    assert (fig.layout.width, fig.layout.height) == (500, 400)
    assert [tr.name for tr in fig.data] == [t("state." + s, lang) for s in network.STATES]
    for state, tr in zip(network.STATES, fig.data, strict=True):
        sel = nodes["state"] == state
        assert len(tr.x) == sel.sum() and list(tr.customdata) == nodes.loc[sel, "id"].tolist()
        assert list(tr.marker.symbol).count(network.PARTY_SYMBOL) == nodes.loc[sel, "party"].sum()
    ties = network.tie_table(nodes, edges)
    n_buildings = nodes["building"].nunique()
    rects = [sh for sh in fig.layout.shapes if sh.type == "rect"]
    paths = [sh for sh in fig.layout.shapes if sh.type == "path"]
    assert len(rects) == n_buildings
    bands = network.building_bands(ties, nodes)
    # One band per pair of buildings with ties, then one path of the strong ties inside buildings.
    assert len(paths) == len(bands) + 1
    assert bands["n"].sum() == ties["across"].sum()
    widths = [p.line.width for p in paths[:-1]]
    assert widths[int(bands["n"].idxmax())] == max(widths) == network.BAND_WIDTH[1]
    strong_inside = ((ties["strength"] > network.STRONG_TIE) & ~ties["across"]).sum()
    assert _segments(paths[-1]) == strong_inside < len(edges) / 3
    assert [a.text for a in fig.layout.annotations] == [t("building", lang, n=b + 1) for b in range(n_buildings)]


def test_network_figure_shows_every_tie_of_a_tapped_household():
    nodes, edges = _network()
    fig = network.network_figure(nodes, edges, "en", selected=7)
    mine = ((edges["source"] == 7) | (edges["target"] == 7)).sum()
    assert _segments(fig.layout.shapes[-1]) == mine > 0
    assert fig.layout.shapes[-1].line.color == network.SELECTED_COLOUR
    assert len(fig.data) == len(network.STATES) + 1  # the ring around the household
    plain = network.network_figure(nodes, edges, "en")
    assert len(plain.data) == len(network.STATES)


def test_legend_lists_every_state_even_when_nobody_is_in_it():
    items = network.legend_items("zh")
    assert [i["text"] for i in items if i["kind"] == "state"] == [t("state." + s, "zh") for s in network.STATES]
    nodes, edges = _network(n=30)
    fig = network.network_figure(nodes.assign(state="unwilling"), edges, "en")
    assert len(fig.data) == len(network.STATES) and [len(tr.x) for tr in fig.data] == [30, 0, 0, 0]


def test_building_layout_groups_households_inside_their_block():
    nodes, _ = _network(n=100, per_building=17)
    for aspect in (0.6, 1.0, 2.0):
        x, y, boxes = network.building_layout(nodes, aspect)
        for box in boxes.itertuples():
            inside = (x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)
            assert np.array_equal(inside, (nodes["building"] == box.building).to_numpy())
        assert len(set(zip(x, y, strict=True))) == len(nodes)  # nobody on top of anybody
    narrow, wide = network.building_layout(nodes, 0.5)[2], network.building_layout(nodes, 3.0)[2]
    assert narrow["x0"].nunique() < wide["x0"].nunique()  # fewer blocks per row in a narrow box


def test_network_figure_without_edges():
    nodes, edges = _network(n=10)
    fig = _validated(network.network_figure(nodes, edges.iloc[:0], "en"))
    assert [sh.path for sh in fig.layout.shapes if sh.type == "path"] == ["M0,0"]


def _ts(weeks, **cols):
    base = {
        "week": weeks,
        "participation": weeks / 1000,
        "willingness": weeks / 500,
        "cofunding_collection": np.nan,
        "fee_collection": weeks / 600,
        "maintenance": 1 - weeks / 3000,
        "complaints": weeks % 3,
    }
    return pd.DataFrame({**base, **cols})


@pytest.mark.parametrize("lang", LANGS)
def test_timeseries_figures_in_years(lang):
    ts = _ts(np.arange(30))
    figs = charts.timeseries_figures([ts], lang, years=10, sizes={"participation": (400, 220)})
    assert list(figs) == ["participation", "collection", "maintenance", "complaints"]
    assert (figs["participation"].layout.width, figs["participation"].layout.height) == (400, 220)
    for fig in figs.values():
        fig = _validated(fig)
        assert fig.layout.xaxis.title.text == t("axis.year", lang)
        assert fig.layout.xaxis.range == (0, 1)  # the current year, in full
        for tr in fig.data:
            assert len(tr.x) == len(tr.y) == 30
            assert tr.x[0] == pytest.approx(1 / 52) and tr.x[-1] == pytest.approx(30 / 52)  # weeks done, in years
    assert figs["participation"].layout.yaxis.tickformat == ".0%"
    assert figs["maintenance"].layout.yaxis.range == (0, 1.02)
    late = ts.assign(week=ts["week"] + 400)
    assert charts.timeseries_figure([late], "maintenance", lang, years=10).layout.xaxis.range == (0, 9)
    assert charts.timeseries_figure([late], "maintenance", lang, years=2).layout.xaxis.range == (0, 2)


def test_empty_charts_say_not_yet_or_not_applicable():
    empty = _ts(np.arange(0))
    fig = charts.timeseries_figure([empty], "participation", "en")
    assert [a.text for a in fig.layout.annotations] == [t("not_yet", "en")]
    ts = _ts(np.arange(5), fee_collection=np.nan)
    na = frozenset({"cofunding_collection"})
    fig = charts.timeseries_figure([ts], "collection", "zh", not_applicable=[na])
    assert [a.text for a in fig.layout.annotations] == [t("not_yet", "zh")]  # fees may still come
    assert fig.data[0].name == f"{t('series.cofunding_collection', 'zh')} ({t('not_applicable', 'zh')})"
    fig = charts.timeseries_figure(
        [ts], "collection", "en", not_applicable=[frozenset(charts.SERIES_CHARTS["collection"][0])]
    )
    assert [a.text for a in fig.layout.annotations] == [t("not_applicable", "en")]
    assert charts.timeseries_figure([_ts(np.arange(5))], "participation", "en").layout.annotations == ()


def test_compare_charts_overlay_both_arms():
    a, b = _ts(np.arange(10)), _ts(np.arange(10), participation=np.full(10, 0.5))
    fig = _validated(charts.timeseries_figure([a, b], "participation", "en"))
    assert len(fig.data) == 4
    assert [tr.line.dash for tr in fig.data] == ["solid", "solid", "dash", "dash"]
    assert [tr.showlegend for tr in fig.data] == [True, True, False, False]
    assert list(fig.data[2].y) == [0.5] * 10 and fig.data[2].name.endswith(f"({t('arm.b', 'en')})")


def test_font_sizes_in_presentation_mode():
    nodes, edges = _network(n=40)
    big = [
        network.network_figure(nodes, edges, "en", big=True),
        *charts.timeseries_figures([_ts(np.arange(3))], "en", big=True).values(),
    ]
    for fig in big:
        sizes = [fig.layout.font.size] + [a.font.size for a in fig.layout.annotations if a.font.size]
        sizes += [ax.title.font.size for ax in (fig.layout.xaxis, fig.layout.yaxis) if ax.title.text]
        if fig.layout.showlegend is not False and fig.layout.legend.font.size:
            sizes.append(fig.layout.legend.font.size)
        assert min(sizes) >= style.PRESENTATION_MIN_PX, sizes


def test_update_in_place_sends_data_and_handles_new_structure():
    nodes, edges = _network(n=40)
    widget = go.FigureWidget()
    first = network.network_figure(nodes, edges, "en")
    update_in_place(widget, first)
    assert len(widget.data) == len(first.data)
    nodes2 = nodes.assign(state="active")
    update_in_place(widget, network.network_figure(nodes2, edges, "zh"))
    assert len(widget.data[2].x) == 40  # everyone moved to the "active" trace
    assert widget.data[0].name == t("state.unwilling", "zh")
    ts = pd.DataFrame({"week": [0, 1], "maintenance": [1.0, 0.9]})
    update_in_place(widget, charts.timeseries_figure([ts], "maintenance", "en"))
    assert len(widget.data) == 1 and list(widget.data[0].y) == [1.0, 0.9]


# --- the shipped font ------------------------------------------------------------------------


def test_shipped_font_covers_every_character_of_every_label():
    from workshop import fonts

    assert fonts.FONT_FILE.is_file() and (fonts.ASSETS / "OFL.txt").is_file()
    assert 20_000 < fonts.FONT_FILE.stat().st_size < 1_000_000  # a subset, not the 16 MB face
    covered = fonts.covered_characters()
    missing = sorted((fonts.label_characters() | fonts.parameter_doc_characters()) - covered)
    assert missing == [], f"rebuild the font subset (python -m workshop.fonts ...): missing {''.join(missing)}"
    assert {"老", "友", "议", "事", "会", "%", "A"} <= covered


def test_font_is_declared_and_served_from_the_package():
    from workshop import fonts, offline, panels

    assert "@font-face" in panels.PAGE_CSS and fonts.FONT_URL in panels.PAGE_CSS
    assert style.FONT.startswith(f"'{style.FONT_FAMILY}'")
    import solara.server.settings as settings

    offline.configure_offline()
    assert str(fonts.ASSETS) in settings.assets.extra_locations
    assert settings.theme.show_banner is False


# --- levers ----------------------------------------------------------------------------------


def test_lever_labels_say_what_each_end_means():
    integration = next(lv for lv in levers.levers() if lv.key == "integration")
    assert levers.end_texts(integration, "en") == (
        "0 = each department signs off in turn",
        "1 = all sign off together",
    )
    for lever in levers.levers():
        if lever.kind != "bool":
            for lang in LANGS:
                low, high = levers.end_texts(lever, lang)
                assert low.startswith(levers.format_value(lever, lever.low) + " = ")
                assert high.startswith(levers.format_value(lever, lever.high) + " = ")
    platform = next(lv for lv in levers.levers() if lv.key == "platform")
    assert levers.shown_value(platform, 0.4, "en") == "high (0.40)"
    assert levers.shown_value(platform, 0.0, "en") == "none (0)"
    assert levers.shown_value(platform, 0.1, "zh") == "弱 (0.10)"


@pytest.mark.parametrize("regime", ["top_down", "pilot", "three_integrations"])
def test_regime_values_cover_every_lever(regime):
    values = levers.regime_values(regime)
    assert set(values) == set(levers.model_keys())
    for lever in levers.levers():
        shown = levers.lever_value(values, lever)
        if lever.kind != "bool":
            assert lever.low <= shown <= lever.high, (lever, shown)


def test_unknown_regime_is_an_input_error():
    from sim.errors import InputError

    with pytest.raises(InputError):
        levers.regime_values("anarchy")


def test_platform_lever_sets_its_three_parts():
    values = levers.regime_values("top_down")
    platform = next(lv for lv in levers.levers() if lv.key == "platform")
    new = levers.set_lever(values, platform, 0.3)
    assert all(new[k] == 0.3 for k in levers.PLATFORM_PARTS)
    assert levers.lever_value(new, platform) == 0.3
    assert values != new  # the original is not changed


def test_regimes_differ_on_the_page():
    assert levers.regime_values("top_down") != levers.regime_values("three_integrations")


# --- the model behind the page ---------------------------------------------------------------


def test_session_builds_steps_and_reads_the_real_model():
    from workshop.session import Session

    s = Session("three_integrations", 60, 3, levers.regime_values("three_integrations"))
    assert s.error is None, s.error
    assert Session("pilot", 20, 0, {}).serial != s.serial
    s.step(2)
    snap = s.snapshot()
    assert snap.week == 2
    assert len(snap.nodes) == 60
    assert set(snap.nodes["state"]) <= set(network.STATES)
    assert {"source", "target", "weight"} <= set(snap.edges.columns)
    assert {"stage", "week", "council_formed", "last_vote"} <= set(snap.status)
    assert len(snap.timeseries) >= 2
    for lang in LANGS:
        network.network_figure(snap.nodes, snap.edges, lang)
        charts.timeseries_figures([snap.timeseries], lang, years=s.years)
        status.status_lines(snap.status, lang, snap.timeseries.iloc[-1].to_dict())


def test_session_reports_a_bad_setting_instead_of_crashing():
    from workshop.session import Session

    s = Session("three_integrations", 60, 0, {"integration": 7.0})
    assert s.model is None and s.error
    assert s.snapshot() is None
    s.step()  # harmless


# --- the page, rendered without a browser ----------------------------------------------------


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, ipywidgets.Widget):
            yield from _walk(child)


def _by_testid(box, testid):
    found = [w for w in _walk(box) if (getattr(w, "attributes", None) or {}).get("data-testid") == testid]
    assert len(found) == 1, (testid, len(found))
    return found[0]


def _render_page():
    import solara

    from workshop.page import Page

    @solara.component
    def WithLayout():
        # `solara run` wraps the page in AppLayout, which places the app bar and sidebar.
        with solara.AppLayout() as main:
            Page()
        return main

    with warnings.catch_warnings():
        # Solara cannot read the source of a component defined in a function; harmless here.
        warnings.filterwarnings("ignore", "Failed to validate hooks", UserWarning)
        return solara.render(WithLayout(), handle_error=False)


def _week(box, arm="a"):
    found = [
        w
        for w in _walk(box)
        if (getattr(w, "attributes", None) or {}).get("data-testid") == "week" and w.attributes["data-arm"] == arm
    ]
    assert len(found) == 1
    return int(found[0].attributes["data-week"]), found[0].children[0]


def test_page_steps_and_sessions_are_independent(monkeypatch):
    import ipyvuetify as v

    # The language switch sits in the app bar, which only `solara run` draws; the browser test
    # clicks it. Here each session starts in the language of $RENOSIM_VIZ_LANG.
    monkeypatch.setenv("RENOSIM_VIZ_LANG", "zh")
    box1, rc1 = _render_page()
    monkeypatch.setenv("RENOSIM_VIZ_LANG", "en")
    box2, rc2 = _render_page()

    assert _week(box1) == (0, t("week_counter", "zh", week=0, year=1))
    _by_testid(box1, "step").click()
    _by_testid(box1, "step").click()
    assert _week(box1) == (2, t("week_counter", "zh", week=2, year=1))
    lines = [p.children[0] for p in _by_testid(box1, "status-lines").children]
    assert lines[0].startswith("第 2 周（第 1 年）")
    assert all(CJK.search(line) for line in lines)

    # The second session has its own model and its own language.
    assert _week(box2)[0] == 0
    _by_testid(box2, "step").click()
    assert _week(box2) == (1, t("week_counter", "en", week=1, year=1))
    assert _week(box1)[0] == 2
    lines = [p.children[0] for p in _by_testid(box2, "status-lines").children]
    assert lines[0].startswith("Week 1 (year 1)")
    assert not any(CJK.search(line) for line in lines)
    widgets = [w for w in _walk(_by_testid(box2, "charts")) if isinstance(w, go.FigureWidget)]
    assert len(widgets) == len(charts.SERIES_CHARTS)
    assert all(w.data[0].x[-1] == pytest.approx(1 / 52) for w in widgets)  # one week done, in years

    # Reset goes back to week 0.
    rc1.find(v.Btn, children=[t("reset", "zh")]).widget.click()
    assert _week(box1)[0] == 0


def test_compare_mode_steps_both_arms_and_states_the_differences():
    box, rc = _render_page()
    _by_testid(box, "step").click()
    _by_testid(box, "compare").click()
    # Arm B joins at arm A's week (same compound and seed, top-down against the default regime).
    assert _week(box, "a")[0] == _week(box, "b")[0] == 1
    for _ in range(3):
        _by_testid(box, "step").click()
    assert _week(box, "a")[0] == _week(box, "b")[0] == 4
    line = _by_testid(box, "differences").children[0]
    lang = page_lang()
    assert t("diff.participation", lang) in line and t("diff.fees", lang) in line
    widgets = [w for w in _walk(_by_testid(box, "charts")) if isinstance(w, go.FigureWidget)]
    assert [len(w.data) for w in widgets] == [2 * len(cols) for cols, _, _ in charts.SERIES_CHARTS.values()]
    _by_testid(box, "compare").click()  # one click out again
    assert len([w for w in _walk(box) if (getattr(w, "attributes", None) or {}).get("data-testid") == "week"]) == 1


def page_lang():
    from workshop.page import default_lang

    return default_lang()


def test_compare_arms_use_common_random_numbers():
    from workshop.session import Session

    a = Session("pilot", 60, 5, levers.regime_values("pilot"), executor="agents")
    b = Session("pilot", 60, 5, levers.regime_values("pilot"))
    a.step(30)
    b.step_to(30)
    assert b.snapshot().week == 30
    pd.testing.assert_frame_equal(a.snapshot().timeseries, b.snapshot().timeseries)


def test_difference_line_reads_like_the_issue():
    from workshop.compare import arm_outcomes, difference_items

    a = arm_outcomes({"fee_collection": 0.76, "stage": "LongTerm"}, {"participation": 0.4}, "en")
    b = arm_outcomes({"fee_collection": 0.08, "stage": "LongTerm"}, {"participation": 0.1}, "en", cofunding=False)
    items = difference_items(a, b, "en")
    assert "fees collected: 76 % vs 8 %" in items
    assert "co-funding collected: not yet vs none" in items
    assert not any(i.startswith("stage") for i in items)  # the same stage is not a difference


def test_saved_session_is_one_offline_file():
    from workshop.saving import session_html
    from workshop.session import Session

    arms = [Session(r, 40, 1, levers.regime_values(r)) for r in ("three_integrations", "top_down")]
    for s in arms:
        s.step(3)
    doc = session_html(arms, "zh")
    assert doc.startswith("<!DOCTYPE html>") and "data:font/woff2;base64," in doc
    # Nothing is loaded from elsewhere (plotly.js is inlined; the links inside its code are not loads).
    assert not re.search(r"""<script[^>]+src=|<link[^>]+href=|url\(['"]?https?:""", doc)
    assert "plotly.com/" not in re.sub(r"<script>.*?</script>", "", doc, flags=re.S)
    assert doc.count('class="chart"') == len(charts.SERIES_CHARTS)
    assert t("differences", "zh") in doc and t("regime.top_down", "zh") in doc


def test_app_module_holds_no_model():
    import importlib
    import importlib.util

    from sim.model import RenovationModel

    # app.py is a script at the project root (`solara run app.py`), not a package module.
    spec = importlib.util.spec_from_file_location("renosim_app", ROOT / "app.py")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    page = importlib.import_module("workshop.page")
    for module in (app, page):
        assert not any(isinstance(v, RenovationModel) for v in vars(module).values())
    assert app.Page is page.Page


# --- offline and the command -----------------------------------------------------------------


def test_front_end_assets_are_installed_locally():
    from workshop.offline import asset_problems

    assert asset_problems() == []


def test_configure_offline_switches_off_calls_home():
    import solara.checks
    import solara.server.settings as settings

    from workshop.offline import configure_offline

    configure_offline()
    assert settings.telemetry.mixpanel_enable is False
    assert solara.checks.should_perform_solara_check() is False


def test_viz_command_binds_localhost_in_production_mode():
    from experiments.commands.viz import APP_PATH, solara_args

    args = solara_args(str(APP_PATH), "127.0.0.1", 8765)
    assert args[:2] == ["run", str(APP_PATH)]
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert {"--production", "--no-open", "--no-check-version"} <= set(args)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["viz", "--port", "70000"], "--port 70000 is out of range"),
        (["viz", "--lang", "fr"], "--lang 'fr' is not allowed"),
    ],
)
def test_viz_command_rejects_bad_input_in_one_line(argv, message, capsys):
    from experiments.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_viz_command_languages_are_the_pages():
    from experiments.commands.viz import MESA_PAGE, PAGE_LANGUAGES

    assert PAGE_LANGUAGES == LANGS
    assert importlib.util.find_spec(MESA_PAGE) is not None


def test_viz_command_default_host_is_localhost():
    import inspect

    from experiments.commands.viz import viz

    assert inspect.signature(viz).parameters["host"].default.default == "127.0.0.1"


def test_week_and_year():
    assert status.week_and_year(0) == (0, 1)
    assert status.week_and_year(51) == (51, 1)
    assert status.week_and_year(52.0) == (52, 1)
    assert status.week_and_year(53) == (53, 2)
    assert status.week_and_year(520) == (520, 10)
