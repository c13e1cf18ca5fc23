"""Fast tests of the workshop page: its words, status lines, figures, levers, the page itself and the command.

The page is rendered here without a browser (``solara.render``); the browser tests are
``tests/test_viz_browser.py``; the board, bands, patches and exports are ``tests/test_viz_board.py``.
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
from workshop.labels import GLOSSARY, LABELS, LANGS, t
from workshop.measures import CHARTS

ROOT = Path(__file__).resolve().parents[1]
VIZ_SOURCES = sorted((ROOT / "workshop").glob("*.py")) + [ROOT / "app.py", ROOT / "experiments" / "commands" / "viz.py"]
CJK = re.compile(r"[\u4e00-\u9fff]")
FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_has_both_languages_with_same_fields(key):
    entry = LABELS[key]
    assert set(entry) == set(LANGS)
    for lang in LANGS:
        assert entry[lang].strip(), f"{key}: empty {lang}"
    assert _fields(entry["zh"]) == _fields(entry["en"]), key
    assert CJK.search(entry["zh"]) or FULL_WIDTH.search(entry["zh"]), f"{key}: the Chinese text is not Chinese"
    assert not CJK.search(entry["en"]), f"{key}: the English text has Chinese characters"


def test_chinese_uses_full_width_punctuation_and_the_workshop_register():
    half_width_next_to_chinese = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")
    for key, entry in LABELS.items():
        zh = entry["zh"]
        assert not half_width_next_to_chinese.search(zh), f"{key}: {zh!r} mixes half-width punctuation into Chinese"
        for word in ("杠杆", "前进", "会话", "方案 A", "方案 B", "社区代管"):
            assert word not in zh, f"{key}: {zh!r} uses {word!r}"
    assert t("step", "zh") == "下一步" and t("settings", "zh") == "政策措施"


def test_no_arm_or_jargon_and_one_percent_style():
    for key, entry in LABELS.items():
        words = re.sub(r"\{\w+\}", "", entry["en"])  # the text, not its fields
        assert not re.search(r"\barms?\b|\bregime\b|Three integrations", words, re.I), (key, entry["en"])
        for text in entry.values():
            assert " %" not in text and "％" not in text, f"{key}: one percent style, '77%'"
    assert labels.pct(0.774) == "77%"


def test_regimes_are_named_in_plain_words_and_the_caretaker_alike_in_both_languages():
    from sim.params import REGIMES

    assert [labels.regime_name(r, "zh") for r in REGIMES] == ["政府主导", "居民议事会试点", "居民议事会主导"]
    assert [labels.regime_name(r, "en") for r in REGIMES] == [
        "Government-led",
        "Residents' council pilot",
        "Residents' council-led",
    ]
    assert "街道" in t("mgmt.office", "zh") and "street office" in t("mgmt.office", "en")


def test_the_glossary_doc_is_the_words_table():
    doc = (ROOT / "docs" / "GLOSSARY.md").read_text(encoding="utf-8")
    assert doc == labels.glossary_markdown(), "regenerate: python -m workshop.labels > docs/GLOSSARY.md"
    assert set(GLOSSARY) <= set(LABELS)
    for key, meaning in GLOSSARY.items():
        assert set(meaning) == set(LANGS) and CJK.search(meaning["zh"]) and not CJK.search(meaning["en"]), key
        assert f"| {LABELS[key]['zh'].replace('{v} = ', '')} | {LABELS[key]['en'].replace('{v} = ', '')} |" in doc


def test_every_literal_label_key_in_the_code_exists():
    used = set()
    for path in VIZ_SOURCES:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.0-9]+)["']\s*[,)]""", path.read_text("utf-8")))
    assert len(used) > 60, "no t() calls found"
    assert used <= set(LABELS), sorted(used - set(LABELS))


def test_every_word_in_the_table_is_used():
    """A word nobody shows is a word nobody checks: each key is named in the code, or its family is."""
    code = "".join(path.read_text("utf-8") for path in VIZ_SOURCES)
    unused = []
    for key in LABELS:
        families = [key[: i + 1] for i, ch in enumerate(key) if ch in "._"]  # "end.", "view_" ...
        if not any(q + name in code for q in ('"', "'", 'f"') for name in (key, *families)):
            unused.append(key)
    from sim.params import LEVERS

    assert sorted(set(unused) - set(LEVERS)) == []


def test_dynamic_label_keys_exist():
    from sim.params import LEVERS, REGIMES
    from workshop.controls import WEEKS_PER_STEP
    from workshop.measures import TILES

    dynamic = {f"regime.{r}" for r in REGIMES} | {f"regime_years.{r}" for r in REGIMES}
    dynamic |= {f"state.{s}" for s in network.STATES}
    dynamic |= {f"chart.{c}" for c in CHARTS} | {axis for _, axis, _ in CHARTS.values()}
    dynamic |= {f"tile.{k}" for k in TILES}
    dynamic |= {lever.key for lever in levers.levers()} | set(LEVERS)
    dynamic |= {f"end.{lv.key}.{end}" for lv in levers.levers() if lv.kind != "bool" for end in ("low", "high")}
    dynamic |= {f"level.{x}" for x in ("none", "low", "medium", "high")}
    dynamic |= {f"weeks.{w}" for w in WEEKS_PER_STEP} | {"view_compound", "view_charts"}
    dynamic |= {"key.solid", "key.dashed", "side.left", "side.right", "side.adjusted", "side.changed"}
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


def test_every_model_stage_has_words():
    from sim.stages import Stage

    for stage in Stage:
        assert labels.stage_key(stage.label) in LABELS, stage


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
        "34% of households are taking part; 52% are willing to renovate.",
        "The Laoyou council has formed, with 7 representatives.",
        "Vote, round 2: turnout 78%, 71% in favour; passed.",
        "Residents' co-funding paid: 64% of what is owed.",
        "Property fees paid: 50%.",
        "Condition of facilities: 0.82 (1 = good repair).",
        "Complaints so far: 3.",
    ]


def test_status_lines_chinese_and_missing_values():
    s = {**STATUS, "council_formed": False, "representatives": 0, "last_vote": None}
    s |= {"cofunding_collection": float("nan"), "fee_collection": None, "complaints": 1.5}
    lines = status.status_lines(s, "zh", finished=True, years=10, cofunding=False)
    assert lines[0] == "第 60 周（第 2 年）。当前阶段：筹集居民出资。"
    assert {
        "议事会尚未成立。",
        "尚未表决。",
        "本模式下居民无需出资。",
        "尚未开始收取物业费。",
        "累计投诉 1.5 件。",
    } <= set(lines)
    assert lines[-1] == "模拟已结束（共 10 年）。"
    assert all(CJK.search(line) for line in lines)


def test_management_line_names_the_caretaker_in_both_languages():
    assert (
        status.status_lines({**STATUS, "management": "office"}, "en")[-1]
        == "Managed by the street office as caretaker."
    )
    assert status.status_lines({**STATUS, "management": "office"}, "zh")[-1] == "长效管理：街道办代管。"
    assert status.status_lines({**STATUS, "management": "none"}, "en")[-1].startswith("Complaints")


def test_failed_vote_and_cofunding_not_started():
    s = {**STATUS, "last_vote": {"turnout": 0.5, "yes_share": 0.4, "passed": False, "round": 1}}
    assert "not passed" in status.status_lines(s, "en")[2]
    s = {**STATUS, "cofunding_collection": None}
    assert "Residents' co-funding has not been collected yet." in status.status_lines(s, "en")


def test_week_and_year():
    assert status.week_and_year(0) == (0, 1)
    assert status.week_and_year(52.0) == (52, 1)
    assert status.week_and_year(53) == (53, 2)
    assert status.week_and_year(520) == (520, 10)


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
    src, dst = rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n)
    keep = src != dst
    edges = pd.DataFrame({"source": src[keep], "target": dst[keep], "weight": rng.random(keep.sum())})
    return nodes, edges


def _validated(fig: dict) -> go.Figure:
    # The builders write plain JSON without Plotly's validation; validate here (raises if invalid).
    return go.Figure(fig)


def _segments(trace) -> int:
    return sum(1 for v in trace["x"] if v is None)


@pytest.mark.parametrize("lang", LANGS)
def test_network_figure_draws_households_strong_ties_and_bands(lang):
    nodes, edges = _network()
    fig = network.network_figure(nodes, edges, lang)
    _validated(fig)
    ties_trace, mine, households, ring = fig["data"]
    assert households["customdata"] == nodes["id"].tolist()
    assert households["marker"]["color"] == [network.STATE_COLOURS[s] for s in nodes["state"]]
    assert households["marker"]["symbol"].count(network.PARTY_SYMBOL) == nodes["party"].sum()
    assert t("state." + nodes["state"][0], lang) in households["text"][0]
    ties = network.tie_table(nodes, edges)
    strong_inside = ((ties["strength"] > network.STRONG_TIE) & ~ties["across"]).sum()
    assert _segments(ties_trace) == strong_inside < len(edges) / 3
    assert mine["x"] == [] and ring["x"] == []
    bands = network.building_bands(ties, nodes)
    assert bands["n"].sum() == ties["across"].sum()
    shapes = fig["layout"]["shapes"]
    rects, paths = [s for s in shapes if s["type"] == "rect"], [s for s in shapes if s["type"] == "path"]
    assert len(rects) == nodes["building"].nunique() and len(paths) == len(bands)
    widths = [p["line"]["width"] for p in paths]
    assert widths[int(bands["n"].idxmax())] == max(widths) == network.BAND_WIDTH[1]
    names = [a["text"] for a in fig["layout"]["annotations"]]
    assert names == [t("building", lang, n=b + 1) for b in range(nodes["building"].nunique())]


def test_a_tapped_household_shows_every_tie_and_a_ring():
    nodes, edges = _network()
    fig = network.network_figure(nodes, edges, "en", selected=7)
    mine = ((edges["source"] == 7) | (edges["target"] == 7)).sum()
    assert _segments(fig["data"][1]) == mine > 0
    assert fig["data"][1]["line"]["color"] == network.SELECTED_COLOUR and len(fig["data"][3]["x"]) == 1


def test_two_compounds_in_boxes_of_one_shape_are_drawn_at_one_scale():
    nodes, edges = _network()
    a = network.network_figure(nodes, edges, "en", aspect=1.2)["layout"]
    b = network.network_figure(nodes.assign(state="active"), edges.iloc[:10], "en", aspect=1.2)["layout"]
    assert a["xaxis"]["range"] == b["xaxis"]["range"] and a["yaxis"]["range"] == b["yaxis"]["range"]
    assert a["yaxis"]["scaleanchor"] == "x"


def test_building_layout_groups_households_inside_their_block():
    nodes, _ = _network(n=100, per_building=17)
    for aspect in (0.6, 1.0, 2.0):
        x, y, boxes = network.building_layout(nodes, aspect)
        for box in boxes.itertuples():
            inside = (x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)
            assert np.array_equal(inside, (nodes["building"] == box.building).to_numpy())
        assert len(set(zip(x, y, strict=True))) == len(nodes)  # nobody on top of anybody
    narrow, wide = network.building_layout(nodes, 0.5)[2], network.building_layout(nodes, 3.0)[2]
    assert narrow["x0"].nunique() < wide["x0"].nunique()


def test_legend_lists_every_state():
    items = network.legend_items("zh")
    assert [i["text"] for i in items if i["kind"] == "state"] == [t("state." + s, "zh") for s in network.STATES]


def _line(name, weeks, value=0.5, **kw):
    return charts.Line(name, np.full(weeks, value), **kw)


@pytest.mark.parametrize("lang", LANGS)
def test_chart_draws_each_side_over_its_band_with_change_marks(lang):
    low, high = np.full(520, 0.2), np.full(520, 0.8)
    lines = [_line("A", 30, low=low, high=high, changes=(12,)), _line("B", 30, 0.1)]
    fig = charts.chart_figure("participation", lines, lang, years=10)
    _validated(fig)
    data = fig["data"]
    assert len(data) == 2 * charts.TRACES_PER_SIDE
    band_low, band_high, line = data[:3]
    assert band_low["y"] == [0.2] * 30 and band_high["y"] == [0.8] * 30 and band_high["fill"] == "tonexty"
    assert line["name"] == "A" and line["line"]["dash"] == "solid" and data[5]["line"]["dash"] == "dash"
    assert data[3]["y"] == [None] * 30  # side B's band is still being worked out
    assert line["x"][0] == pytest.approx(1 / 52) and line["x"][-1] == pytest.approx(30 / 52)
    assert fig["layout"]["xaxis"]["range"] == [0, 1] and fig["layout"]["xaxis"]["title"]["text"] == t("axis.year", lang)
    (mark,) = fig["layout"]["shapes"]
    assert mark["x0"] == pytest.approx(12 / 52) and mark["line"]["dash"] == "dot"
    assert t("change.mark", lang) in [a["text"] for a in fig["layout"]["annotations"]]
    late = charts.chart_figure("complaints", [_line("A", 430)], lang, years=10)
    assert late["layout"]["xaxis"]["range"] == [0, 9]


def test_empty_charts_say_not_yet_or_does_not_apply():
    fig = charts.chart_figure("participation", [_line("A", 0)], "en", years=10)
    assert [a["text"] for a in fig["layout"]["annotations"]] == [t("not_yet", "en")]
    fig = charts.chart_figure("cofunding", [_line("A", 5, np.nan)], "zh", years=10)
    assert [a["text"] for a in fig["layout"]["annotations"]] == [t("not_yet", "zh")]
    fig = charts.chart_figure("cofunding", [_line("A", 5, applicable=False)], "en", years=10)
    assert [a["text"] for a in fig["layout"]["annotations"]] == [t("not_applicable", "en")]
    assert fig["data"][2]["y"] == [None] * 5


def test_font_sizes_in_presentation_mode():
    nodes, edges = _network(n=40)
    figs = [network.network_figure(nodes, edges, "en", big=True)]
    figs += [charts.chart_figure(c, [_line("A", 5)], "en", years=10, big=True) for c in CHARTS]
    for fig in figs:
        layout = fig["layout"]
        sizes = [layout["font"]["size"]] + [a["font"]["size"] for a in layout["annotations"] if "font" in a]
        sizes += [layout[ax]["title"]["font"]["size"] for ax in ("xaxis", "yaxis") if "title" in layout[ax]]
        assert min(sizes) >= style.PRESENTATION_MIN_PX, sizes


# --- the shipped font ------------------------------------------------------------------------


def test_shipped_font_covers_every_character_of_every_label():
    from workshop import fonts

    assert fonts.FONT_FILE.is_file() and (fonts.ASSETS / "OFL.txt").is_file()
    assert 20_000 < fonts.FONT_FILE.stat().st_size < 1_000_000  # a subset, not the 16 MB face
    covered = fonts.covered_characters()
    missing = sorted((fonts.label_characters() | fonts.parameter_doc_characters()) - covered)
    assert missing == [], f"rebuild the font subset (python -m workshop.fonts ...): missing {''.join(missing)}"


def test_font_and_plotly_are_served_from_the_packages():
    from workshop import fonts, offline, panels

    assert "@font-face" in panels.PAGE_CSS and fonts.FONT_URL in panels.PAGE_CSS
    assert style.FONT.startswith(f"'{style.FONT_FAMILY}'")
    import plotly
    import solara.server.settings as settings

    offline.configure_offline()
    assert str(fonts.ASSETS) in settings.assets.extra_locations
    served = [Path(p) for p in settings.assets.extra_locations]
    assert any((p / "plotly.min.js").is_file() for p in served), "plotly.min.js is not served"
    assert Path(plotly.__file__).parent / "package_data" in served
    assert settings.theme.show_banner is False


# --- levers ----------------------------------------------------------------------------------


def test_lever_labels_say_what_each_end_means():
    integration = next(lv for lv in levers.levers() if lv.key == "integration")
    assert levers.end_texts(integration, "en") == ("0 = one department after another", "1 = all departments at once")
    for lever in levers.levers():
        if lever.kind != "bool":
            for lang in LANGS:
                low, high = levers.end_texts(lever, lang)
                assert low.startswith(levers.format_value(lever, lever.low) + " = ")
    platform = next(lv for lv in levers.levers() if lv.key == "platform")
    assert levers.shown_value(platform, 0.4, "en") == "high (0.40)"
    assert levers.shown_value(platform, 0.1, "zh") == "弱（0.10）"
    assert levers.shown_value(integration, 0.8, "en") == "0.80"  # explained by its two ends, not "high"


@pytest.mark.parametrize("regime", ["top_down", "pilot", "three_integrations"])
def test_regime_values_cover_every_lever(regime):
    values = levers.regime_values(regime)
    assert set(values) == set(levers.model_keys())
    for lever in levers.levers():
        if lever.kind != "bool":
            assert lever.low <= levers.lever_value(values, lever) <= lever.high
    values["s_res"] = 99
    assert levers.regime_values(regime)["s_res"] != 99  # each call gets its own copy


def test_moving_the_platform_changes_its_three_parts_only():
    values = levers.regime_values("top_down")
    platform = next(lv for lv in levers.levers() if lv.key == "platform")
    assert levers.lever_changes(values, platform, 0.3) == {k: 0.3 for k in levers.PLATFORM_PARTS}
    assert levers.lever_changes(values, platform, 0.0) == {}


def test_unknown_regime_is_an_input_error():
    from sim.errors import InputError

    with pytest.raises(InputError):
        levers.regime_values("anarchy")


# --- the page, rendered without a browser ----------------------------------------------------


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, ipywidgets.Widget):
            yield from _walk(child)


def _find(box, testid, **data):
    return [
        w
        for w in _walk(box)
        if (getattr(w, "attributes", None) or {}).get("data-testid") == testid
        and all(w.attributes.get(f"data-{k}") == v for k, v in data.items())
    ]


def _text(widget) -> str:
    return "".join(c if isinstance(c, str) else _text(c) for c in (getattr(widget, "children", None) or []))


def _render_page(monkeypatch, lang="zh"):
    import solara

    from workshop import band
    from workshop.page import Page

    monkeypatch.setenv("RENOSIM_VIZ_LANG", lang)
    monkeypatch.setattr(band, "RUNS", 0)  # no background bands in the fast tests (tests/test_viz_board.py has them)

    with warnings.catch_warnings():
        # Solara cannot read the source of a component defined in a function; harmless here.
        warnings.filterwarnings("ignore", "Failed to validate hooks", UserWarning)

        @solara.component
        def WithLayout():
            with solara.AppLayout() as main:  # `solara run` wraps the page in AppLayout
                Page()
            return main

        return solara.render(WithLayout(), handle_error=False)


def _week(box) -> int:
    (counter,) = _find(box, "week")
    return int(counter.attributes["data-week"])


def test_page_steps_and_sessions_are_independent(monkeypatch):
    box1, _ = _render_page(monkeypatch, "zh")
    box2, _ = _render_page(monkeypatch, "en")
    (step1,) = _find(box1, "step")
    step1.click()
    step1.click()
    assert _week(box1) == 2 and _text(_find(box1, "week")[0]) == t("week_counter", "zh", week=2, year=1)
    lines = [_text(p) for p in _find(box1, "status-lines")[0].children]
    assert lines[0].startswith("第 2 周（第 1 年）") and all(CJK.search(line) for line in lines)
    assert _week(box2) == 0
    _find(box2, "step")[0].click()
    assert _week(box2) == 1 and _week(box1) == 2
    assert _text(_find(box2, "side-title", side="a")[0]).startswith("Residents' council-led")
    (reset,) = _find(box1, "reset")
    reset.click()
    assert _week(box1) == 0


def test_compare_mode_names_both_sides_and_states_the_differences(monkeypatch):
    box, _ = _render_page(monkeypatch, "zh")
    _find(box, "step")[0].click()
    _find(box, "compare")[0].click()
    assert _week(box) == 1
    for _ in range(3):
        _find(box, "step")[0].click()
    assert _week(box) == 4
    titles = [_text(_find(box, "side-title", side=s)[0]) for s in "ab"]
    assert titles[0].startswith("居民议事会主导") and titles[1].startswith("政府主导")
    diff = _text(_find(box, "differences")[0])
    assert diff.startswith("居民议事会主导 与 政府主导 对比")
    assert "参与过的住户：" in diff and not re.search(r"方案\s*[AB]", diff)  # 方案 is the renovation plan only
    assert len(_find(box, "tile", side="b")) == 5
    _find(box, "compare")[0].click()  # one click out again
    assert not _find(box, "side-title", side="b")


def test_app_module_holds_no_model():
    import importlib.util

    from sim.model import RenovationModel

    spec = importlib.util.spec_from_file_location("renosim_app", ROOT / "app.py")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    page = importlib.import_module("workshop.page")
    for module in (app, page):
        assert not any(isinstance(v, RenovationModel) for v in vars(module).values())
    assert app.Page is page.Page


# --- Mesa's page -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_mesa_page_inputs_are_every_lever_in_plain_words(lang):
    from sim.params import LEVERS
    from workshop import mesa_page

    params = mesa_page.model_params(lang)
    assert set(LEVERS) <= set(params)
    inputs = {k: v for k, v in params.items() if isinstance(v, dict)}
    for name, spec in inputs.items():
        assert "§" not in spec["label"] and name not in spec["label"], (name, spec["label"])
        assert bool(CJK.search(spec["label"])) == (lang == "zh"), spec["label"]
    assert inputs["regime"]["label"] == t("regime", lang)
    model = mesa_page.new_model()
    assert model.regime == "three_integrations" and model.executor == "agents"


def test_mesa_page_charts_are_the_data_collectors():
    from sim.model import REPORTED
    from workshop import mesa_page

    assert {m for m, _, _ in mesa_page.CHARTS.values()} <= set(REPORTED)
    assert set(mesa_page.CHARTS) <= {k.removeprefix("chart.") for k in LABELS}


# --- offline and the command -----------------------------------------------------------------


def test_front_end_assets_are_installed_locally():
    from workshop.offline import asset_problems

    assert asset_problems() == []


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
