"""Housing stock files (issue 19): the schema, Nanning's draw written out and read back, several cities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from clirun import captured

from sim.city import CityModel, Scenario, city_scenarios, city_stock, load_scenario, read_stock, split_quota
from sim.city.stock import COLUMNS, to_csv_frame
from sim.errors import InputError
from sim.params import resolve

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "configs" / "stocks" / "demo_cities.csv"


def cli(*argv) -> tuple[int, str, str]:
    return captured(argv)


def short_nanning(**kw) -> Scenario:
    """Nanning's scenario in 2019 only, its pilot year (quota 19)."""
    doc = load_scenario().model_dump()
    doc.update({"start_year": 2019, "end_year": 2019, "schedule": [doc["schedule"][1]], **kw})
    return Scenario(**doc)


def write_nanning(path: Path, sc: Scenario, seed: int = 0) -> pd.DataFrame:
    frame = to_csv_frame(city_stock(sc, seed), resolve("pilot", {}).pi_party)
    frame.to_csv(path, index=False)
    return frame


def test_the_written_out_nanning_stock_reproduces_the_synthetic_run_to_the_bit(tmp_path):
    sc = short_nanning()
    write_nanning(tmp_path / "n.csv", sc)
    stock = read_stock(tmp_path / "n.csv")
    assert len(stock) == 911 and stock.households.sum() == 113_900
    a, b = CityModel(sc, rng=0), CityModel(sc, rng=0, stock=stock)
    for m in (a, b):
        m.run()
    pd.testing.assert_frame_equal(a.rollout(), b.rollout(), check_exact=True)
    pd.testing.assert_frame_equal(a.summary(), b.summary(), check_exact=True)
    assert a.rollout().cumulative_renovated.iloc[-1] == 19  # the run did something worth comparing


def test_a_stock_file_feeds_each_compound_its_own_numbers(tmp_path):
    rows = pd.read_csv(DEMO).query("city == 'demo_a'").head(12).copy()
    rows["party_share"] = [0.0] * 6 + [0.5] * 6
    rows["management"] = ["owners_committee"] * 3 + ["none"] * 9
    rows["buildings"] = 1
    rows.to_csv(tmp_path / "s.csv", index=False)
    sc = short_nanning(name="demo_a")
    m = CityModel(sc, rng=3, stock=read_stock(tmp_path / "s.csv"))
    assert [c.n for c in m.compounds] == rows.households.tolist()
    party = np.array([m.hh.party[c.lo : c.hi].mean() for c in m.compounds])
    assert (party[:6] == 0).all() and 0.35 < party[6:].mean() < 0.65
    assert [c.existing_oc for c in m.compounds] == [True] * 3 + [False] * 9
    assert all(np.unique(m.hh.building[c.lo : c.hi]).size == 1 for c in m.compounds)
    offices = {c.office for c in m.compounds}
    assert len(offices) == rows.community.nunique()  # compounds of a community share its office


def test_party_members_convert_to_a_share_and_built_before_limits_the_programme(tmp_path):
    rows = pd.read_csv(DEMO).query("city == 'demo_b'").copy()
    rows["party_members"] = (rows.households // 10).astype(int)
    rows.drop(columns=["party_share"]).to_csv(tmp_path / "s.csv", index=False)
    stock = read_stock(tmp_path / "s.csv")
    np.testing.assert_allclose(stock.party_share, rows.party_members / rows.households)
    sc = short_nanning(name="demo_b", built_before=1990)
    m = CityModel(sc, rng=1, stock=stock)
    m.run()
    late = [c for c in m.compounds if c.cid in set(np.flatnonzero(rows.year_built >= 1990))]
    assert late and all(c.started_year is None and not c.aware for c in late)


def test_quotas_are_shared_among_cities_by_largest_remainders():
    assert split_quota(19, [911, 40, 28]).tolist() == [18, 1, 0]
    assert split_quota(240, [911, 40, 28]).sum() == 240
    assert split_quota(5, [1, 1, 1]).tolist() == [2, 2, 1]
    assert split_quota(0, [3, 4]).tolist() == [0, 0]


def test_three_cities_run_with_city_stock_each_under_its_own_bureau(tmp_path):
    sc = short_nanning()
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sc.model_dump(exclude_none=True)))
    nanning = write_nanning(tmp_path / "n.csv", sc)
    three = pd.concat([nanning, pd.read_csv(DEMO)], ignore_index=True)
    three.to_csv(tmp_path / "three.csv", index=False)
    code, out, err = cli("city", "--scenario", tmp_path / "s.yaml", "--stock", tmp_path / "three.csv", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["cities"] == ["nanning", "demo_a", "demo_b"]
    rollout = pd.DataFrame(doc["rollout"]).set_index("city")
    assert rollout.admitted.to_dict() == {"nanning": 18, "demo_a": 1, "demo_b": 0}  # 19 shared by compounds
    parts = city_scenarios(sc, read_stock(tmp_path / "three.csv"))
    assert [s.schedule[0].quota for _, s, _ in parts] == [18, 1, 0]
    # keyed by file row: Nanning's households are those of Nanning alone
    alone = CityModel(sc, rng=0, stock=parts[0][2])
    together = CityModel(parts[0][1], rng=0, stock=parts[0][2])
    np.testing.assert_array_equal(alone.willingness_t0, together.willingness_t0)
    np.testing.assert_array_equal(alone.hh.theta, CityModel(sc, rng=0).hh.theta)


def test_every_column_of_the_schema_is_documented():
    doc = (ROOT / "docs" / "STOCK.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in doc for name in COLUMNS)


def test_stock_commands_write_a_template_and_nanning_and_check_them(tmp_path):
    code, _, err = cli("stock", "template", tmp_path / "t.csv")
    assert code == 0, err
    frame = read_stock(tmp_path / "t.csv")
    assert set(COLUMNS) - {"party_members"} <= set(frame.columns)
    code, _, err = cli("stock", "template", tmp_path / "t.csv")
    assert code == 2 and "exists" in err and err.count("\n") == 1
    code, out, err = cli("stock", "write", tmp_path / "n.csv", "--seed", 4)
    assert code == 0, err
    assert read_stock(tmp_path / "n.csv").households.tolist() == city_stock(load_scenario(), 4).households.tolist()
    code, out, _ = cli("stock", "check", tmp_path / "n.csv")
    assert code == 0 and out.strip() == "nanning: 911 compounds, 113,900 households"


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (lambda f: f.drop(columns=["households"]), "missing column 'households'"),
        (lambda f: f.assign(colour="red"), "unknown column 'colour'"),
        (lambda f: f.assign(households=[-5] + f.households.tolist()[1:]), "row 1, column households: '-5'"),
        (lambda f: f.assign(year_built=["1990"] * 2 + ["ninety"]), "row 3, column year_built: 'ninety'"),
        (lambda f: f.assign(compound_id=["A", "B", "A"]), "row 3, column compound_id: 'A' repeats row 1"),
        (lambda f: f.assign(buildings=[8, 400, 15]), "row 2, column buildings: 400 is more than its 96 households"),
        (lambda f: f.assign(management=["none", "council", "none"]), "row 2, column management"),
        (lambda f: f.assign(party_share=0.1), "exactly one of the columns party_members or party_share"),
        (lambda f: f.iloc[:0], "no compounds"),
    ],
)
def test_a_bad_stock_file_is_refused_in_one_line_naming_row_and_column(tmp_path, edit, fragment):
    from sim.city.stock import template

    edit(template()).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(InputError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        read_stock(tmp_path / "bad.csv")
    code, _, err = cli("city", "--stock", tmp_path / "bad.csv", "--out", tmp_path / "out")
    assert code == 2 and err.count("\n") == 1 and fragment in err, err
    assert not (tmp_path / "out").exists()


def test_a_household_quota_admits_until_the_years_households_reach_it():
    sc = short_nanning(schedule=[{"from_year": 2019, "regime": "pilot", "quota_households": 3000}])
    m = CityModel(sc, rng=0)
    m.run()
    sizes = [c.n for c in m.compounds if c.admitted_year == 2019]
    # the bureau stops once the year's households reach the quota: only the last one may pass it
    assert sum(sizes) >= 3000 and sum(sizes) - max(sizes) < 3000 and len(sizes) < 911
    with pytest.raises(ValueError, match="either 'quota'"):
        short_nanning(schedule=[{"from_year": 2019, "regime": "pilot", "quota": 5, "quota_households": 10}])
