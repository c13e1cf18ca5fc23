"""The page's state without a browser: patches, bands, sides, mid-run changes, branches and exports."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from sim.model import RenovationModel
from workshop import band as bands
from workshop import charts, liveplot, network
from workshop.board import Board
from workshop.labels import t
from workshop.levers import regime_values
from workshop.measures import CHARTS, MEASURES, PARTICIPATION_SERIES, Track, took_part
from workshop.session import Session

# --- patches: what the browser is sent -------------------------------------------------------


class Recorder:
    """A stand-in for the browser view: keeps every message, applies it as liveplot.js does."""

    def __init__(self):
        self.messages, self.figure = [], None

    def send(self, msg):
        self.messages.append(msg)
        self.figure = liveplot.apply_patch(self.figure, msg)


def _watch(board: Board) -> dict[str, Recorder]:
    views = {}
    for key, fig in board.figures.items():
        views[key] = Recorder()
        fig.widget = views[key]
        if fig.figure is not None:
            views[key].send({"type": "figure", **fig.figure})
    return views


def _without_nulls(fig: dict) -> dict:
    return {"data": [{k: v for k, v in tr.items() if v is not None} for tr in fig["data"]], "layout": fig["layout"]}


def test_a_patch_turns_the_old_figure_into_the_new_and_sends_only_new_points():
    lines = [charts.Line("A", np.arange(10) / 20)]
    old = charts.chart_figure("participation", lines, "en", years=10)
    new = charts.chart_figure("participation", [charts.Line("A", np.arange(12) / 20, changes=(11,))], "en", years=10)
    msg = liveplot.patch(old, new)
    assert msg["type"] == "patch"
    assert [e["index"] for e in msg["extend"]] == [0, 1, 2]
    assert msg["extend"][2]["y"] == [10 / 20, 11 / 20] and msg["restyle"] == []
    assert set(msg["relayout"]) == {"shapes", "annotations"}
    assert liveplot.apply_patch(old, msg) == _without_nulls(new)
    two = charts.chart_figure("participation", [*lines, charts.Line("B", np.arange(10) / 30)], "en", years=10)
    assert liveplot.patch(old, two)["type"] == "figure"  # another side: other traces, drawn whole


def test_after_many_steps_the_patched_figures_equal_figures_built_afresh():
    board = Board("three_integrations", 60, 2, "en", runs=0)
    views = _watch(board)
    for view in ("compound", "charts", "compound"):
        board.set_view(view)
        for weeks in (1, 1, 4, 13, 1):
            board.step(weeks)
    board.select(3)
    board.compare(True)
    board.set_view("charts")
    board.step(2)
    for key, fig in board.figures.items():
        if fig.figure is not None:
            assert views[key].figure == _without_nulls(fig.figure), key
    sent = views["chart-participation"].messages
    assert sum(m["type"] == "patch" for m in sent) > sum(m["type"] == "figure" for m in sent)
    board.set_view("compound")  # the networks were not drawn while the charts were on screen
    snap = board.sessions[1].snapshot()
    fresh = network.network_figure(snap.nodes, snap.edges, "en", selected=3, aspect=board.aspect)
    assert views["network-b"].figure == _without_nulls(fresh) and board.week == 3 * 20 + 2


# --- measures and the band -------------------------------------------------------------------


def test_took_part_is_the_summary_participation_rate_at_the_same_week():
    m = RenovationModel(regime="pilot", n_households=60, years=2, seeds=[3, 4])
    track = Track(m)
    for week in range(104):
        m.step()
        track.record()
        if week in (30, 103):
            assert took_part(m) == pytest.approx(m.summary()["participation_rate"].to_numpy())
    assert track.measure("took_part").shape == (104, 2)
    assert np.array_equal(track.measure("complaints")[:, 1], m.timeseries().query("seed == 4")["complaints"])


def test_the_band_is_the_percentiles_of_the_same_settings_run_seed_by_seed():
    changes = [(20, {"campaigns_per_yr": 12, "tau_train": 0.6})]
    spec = bands.BandSpec.of("pilot", 40, 7, regime_values("pilot"), changes, years=1, runs=5)
    band = bands.spread(spec)
    assert spec.seeds == [7, 8, 9, 10, 11]
    runs = []
    for seed in spec.seeds:  # each run alone, the change at the same week
        m = RenovationModel(regime="pilot", n_households=40, years=1, rng=seed, **regime_values("pilot"))
        track = Track(m)
        for week in range(52):
            if week == 20:
                m.set_levers(**changes[0][1])
            m.step()
            track.record()
        runs.append({name: track.measure(name)[:, 0] for name in MEASURES})
    for name in MEASURES:
        values = np.stack([r[name] for r in runs], axis=1)
        low, high = bands.percentiles(values)
        np.testing.assert_array_equal(band.low[name], low, err_msg=name)
        np.testing.assert_array_equal(band.high[name], high, err_msg=name)
    assert np.all(band.low[PARTICIPATION_SERIES] <= band.high[PARTICIPATION_SERIES])
    assert np.isnan(band.low["cofunding_collection"][0])  # no run raises co-funding in its first week


def test_percentiles_need_half_the_runs():
    values = np.array([[0.1, 0.2, np.nan, np.nan], [0.1, np.nan, np.nan, np.nan], [0.0, 1.0, 2.0, 3.0]])
    low, high = bands.percentiles(values)
    assert low[0] == pytest.approx(0.11) and np.isnan(low[1]) and high[2] == pytest.approx(2.7)


def test_band_jobs_share_a_computation_and_run_in_another_process():
    jobs = bands.Jobs()
    spec = bands.BandSpec.of("top_down", 30, 1, regime_values("top_down"), [], years=1, runs=3)
    first, again = jobs.submit(spec), jobs.submit(spec)
    assert first is again
    band = first.result(timeout=300)
    assert band.spec == spec and len(band.low[PARTICIPATION_SERIES]) == 52


# --- the board: sides, names, tiles, changes, branches ---------------------------------------


def test_a_lever_moved_mid_run_applies_from_that_week_and_is_marked():
    board = Board("three_integrations", 60, 4, "en", runs=0)
    plain = Board("three_integrations", 60, 4, "en", runs=0)
    for b in (board, plain):
        b.step(30)
    session = board.sessions[0]
    board.set_lever(0, "campaigns_per_yr", 12)
    assert board.sessions[0] is session and board.week == 30  # no restart
    assert session.changes == ((30, {"campaigns_per_yr": 12}),)
    board.step(60)
    plain.step(60)
    a, b = board.sessions[0].measures(MEASURES), plain.sessions[0].measures(MEASURES)
    for name in MEASURES:
        np.testing.assert_array_equal(a[name][:30], b[name][:30])
    assert not np.array_equal(a["willingness"], b["willingness"])
    assert board.names() == ["Residents' council-led, changed from week 30"]
    fig = charts.chart_figure("participation", board.chart_lines("participation"), "en", years=10)
    assert [s["x0"] for s in fig["layout"]["shapes"]] == [pytest.approx(30 / 52)]


def test_a_lever_moved_before_the_first_week_restarts_the_run_adjusted():
    board = Board("three_integrations", 60, 4, "zh", runs=0)
    first = board.sessions[0]
    board.set_lever(0, "party_rule", False)
    assert board.sessions[0] is not first and board.sessions[0].changes == ()
    assert board.names() == ["居民议事会主导（调整后）"]


def test_a_branch_shares_the_history_and_then_goes_its_own_way():
    board = Board("pilot", 60, 5, "en", runs=0)
    board.step(40)
    board.branch()
    assert board.comparing and board.names() == ["Residents' council pilot (left)", "Residents' council pilot (right)"]
    board.set_lever(1, "tau_train", 0.6)
    board.step(40)
    a, b = (s.measures(["willingness", "complaints"]) for s in board.sessions)
    np.testing.assert_array_equal(a["willingness"][:40], b["willingness"][:40])
    assert board.names()[1] == "Residents' council pilot, changed from week 40"
    assert board.sessions[0].changes == () and board.sessions[1].branched_at == 40


def test_reset_restarts_every_side_and_clears_the_selection():
    board = Board("pilot", 60, 5, "en", runs=0)
    board.compare(True)
    board.step(10)
    board.select(4)
    assert board.figures["network-a"].figure["data"][3]["x"]  # the ring
    board.reset()
    assert board.week == 0 and board.selected is None and len(board.sides) == 2
    assert board.figures["network-a"].figure["data"][3]["x"] == []


def test_tiles_show_the_value_and_where_most_runs_are_this_week():
    from workshop.compare import tiles

    session = Session("pilot", 40, 7, regime_values("pilot"), years=1)
    spec = session.band_spec(5)
    band = bands.spread(spec)
    session.step(30)
    shown = {tile.key: tile for tile in tiles(session, band, "en")}
    assert list(shown) == ["participation", "cofunding", "fees", "maintenance", "complaints"]
    took = session.measures(["took_part"])["took_part"][-1]
    assert shown["participation"].text == f"{took:.0%}"
    low, high = band.low["took_part"][29], band.high["took_part"][29]
    assert shown["participation"].range_text == f"most runs: {low:.0%}–{high:.0%}"
    assert shown["maintenance"].text == f"{session.measures(['maintenance'])['maintenance'][-1]:.2f}"
    assert tiles(session, None, "zh")[0].range_text == t("tile.range_pending", "zh")


def test_the_difference_line_names_both_sides():
    from workshop.compare import difference_lines

    board = Board("three_integrations", 40, 1, "en", runs=0)
    board.compare(True)
    board.step(60)
    heading, items = difference_lines(board.sessions, "en")
    assert heading == "Residents' council-led compared with Government-led"
    assert items[0].startswith("Took part: ") and " vs " in items[0]
    assert any(i.startswith("Co-funding paid: ") and i.endswith("vs does not apply") for i in items)


# --- the exports -----------------------------------------------------------------------------


def test_the_csv_holds_the_shown_series_and_tiles_with_the_model_numbers():
    from workshop.saving import session_csv

    board = Board("three_integrations", 50, 3, "en", runs=0)
    board.compare(True)
    board.step(70)
    spec = board.sides[0].spec = bands.BandSpec.of(
        "three_integrations", 50, 3, regime_values("three_integrations"), [], 10, 3
    )
    board.set_band(spec, bands.spread(spec))
    text = session_csv(board)
    table = pd.read_csv(io.StringIO(text))
    assert list(table["side"].unique()) == ["a", "b"] and len(table) == 2 * 70
    assert table["name"].unique().tolist() == board.names()
    for side, session in zip("ab", board.sessions, strict=True):
        rows = table[table["side"] == side].reset_index(drop=True)
        ts = session.timeseries()
        for column in (PARTICIPATION_SERIES, "willingness", "cofunding_collection", "fee_collection", "maintenance"):
            np.testing.assert_allclose(rows[column], ts[column], rtol=1e-5, equal_nan=True, err_msg=column)
        np.testing.assert_array_equal(rows["complaints"], ts["complaints"])
        assert rows["took_part"].iloc[-1] == pytest.approx(session.model.summary()["participation_rate"][0], rel=1e-5)
    a = table[table["side"] == "a"]
    np.testing.assert_allclose(a["took_part_p90"], board.sides[0].band.high["took_part"][:70], rtol=1e-5)
    assert table[table["side"] == "b"]["took_part_p90"].isna().all()  # side B's band is not worked out


def test_the_saved_record_names_the_sides_and_keys_the_lines_offline():
    from workshop.saving import session_html

    board = Board("three_integrations", 40, 1, "zh", runs=0)
    board.step(20)
    board.set_lever(0, "tau_train", 0.6)
    board.compare(True)
    board.step(10)
    doc = session_html(board)
    assert doc.startswith("<!DOCTYPE html>") and "data:font/woff2;base64," in doc
    assert not re.search(r"""<script[^>]+src=|<link[^>]+href=|url\(['"]?https?:""", doc)
    assert doc.count('class="chart"') == len(CHARTS)
    names = board.names()
    assert names[0] == "居民议事会主导（第 20 周起调整）"
    assert t("differences", "zh", a=names[0], b=names[1]) in doc
    assert t("key.solid", "zh", name=names[0]) in doc and t("key.dashed", "zh", name=names[1]) in doc
    assert "第 20 周起：议事规则培训：0.6" in doc
    shown = re.sub(r"<script>.*?</script>", "", doc, flags=re.S)  # plotly.js's own code aside
    assert "方案 A" not in shown and not re.search(r"\bArm\b", shown)
