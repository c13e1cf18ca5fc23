"""City mode: sizes, the bureau's schedule and quotas, the rollout, and bad scenario files."""

import json
import subprocess
import sys

import numpy as np
import pytest

from agents.council import CouncilStatus
from sim.city import CityModel, Scenario, city_sizes, load_scenario
from sim.errors import InputError
from sim.limits import HOUSEHOLDS
from sim.stages import Stage


def small(**kw) -> Scenario:
    base = load_scenario().model_dump()
    base.update(
        compounds=60,
        households=6000,
        communities=8,
        start_year=2017,
        end_year=2022,
        schedule=[
            {"from_year": 2017, "regime": "top_down", "quota": 10},
            {"from_year": 2019, "regime": "pilot", "quota": 5},
            {"from_year": 2020, "regime": "three_integrations", "quota": 12},
        ],
    )
    base.update(kw)
    return Scenario(**base)


def test_sizes_total_exactly_and_stay_in_range():
    s = city_sizes(3, 911, 113_900, 0.6)
    assert s.sum() == 113_900 and s.min() >= 20 and s.max() <= 1500
    assert np.std(np.log(s)) > 0.3  # lognormal spread survives the rescaling
    assert np.array_equal(s, city_sizes(3, 911, 113_900, 0.6))


@pytest.fixture(scope="module")
def rollout_run():
    m = CityModel(small(phase1_overlap=True), rng=5)
    m.run()
    return m


def test_schedule_and_quotas_are_respected(rollout_run):
    r = rollout_run.rollout().set_index("year")
    assert list(r.regime) == [
        "top_down",
        "top_down",
        "pilot",
        "three_integrations",
        "three_integrations",
        "three_integrations",
    ]
    assert list(r.phase1_renovated[:2]) == [10, 20]  # the bureau's top-down quota, worst first
    assert (r.admitted.loc[2019] <= 5) and (r.admitted.loc[2020:] <= 12).all()
    assert (r.admitted[:2] == 0).all()  # nobody applies under the top-down regime
    assert (np.diff(r.cumulative_renovated) >= 0).all()
    assert (r.cumulative_with_council <= r.cumulative_renovated).all()


def test_projects_run_under_the_regime_in_force_at_admission(rollout_run):
    for c in rollout_run.compounds:
        if c.admitted_year is not None:
            expected = "pilot" if c.admitted_year == 2019 else "three_integrations"
            assert c.admitted_regime == expected
            assert c.p.tau_train == (0.1 if expected == "pilot" else 0.4)


def test_never_applied_profile_covers_every_compound(rollout_run):
    never = rollout_run.never_applied()
    assert never.compounds.sum() == 60


def test_existing_owners_committees_lead_projects_but_are_not_new_councils():
    m = CityModel(small(existing_oc_share=1.0), rng=5)
    m.run()
    last = m.rollout().iloc[-1]
    started = [c for c in m.compounds if c.admitted_regime is not None]
    led = [c for c in started if c.council_ever]
    assert len(led) >= 10
    # E25 counts newly founded councils and their representatives only
    assert last.cumulative_with_council == 0 and last.representatives == 0
    assert last.cumulative_with_existing_oc == len(started)
    assert all(c.council.status in (CouncilStatus.OC, CouncilStatus.DISSOLVED) for c in led)
    done = [c for c in led if c.stage == Stage.LONG_TERM and c.council_active]
    assert done and all(c.mgmt == "OC" for c in done)


def test_without_existing_committees_every_led_project_is_a_new_council():
    m = CityModel(small(existing_oc_share=0.0), rng=5)
    m.run()
    last = m.rollout().iloc[-1]
    started = [c for c in m.compounds if c.admitted_regime is not None]
    assert last.cumulative_with_existing_oc == 0
    assert last.cumulative_with_council == sum(c.council_ever for c in started) > 0


def test_city_run_matches_between_executors():
    sc = small(compounds=12, households=600, communities=3, end_year=2020)
    a = CityModel(sc, rng=2)
    a.run()
    b = CityModel(sc, rng=2, executor="agents")
    b.run()
    assert a.rollout().equals(b.rollout())
    assert a.summary().equals(b.summary())


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"schedule": []}, "'schedule' is empty"),
        ({"schedule": [{"from_year": 2014, "regime": "laissez_faire", "quota": 1}]}, "unknown regime"),
        ({"compounds": 10, "households": 100}, f"allowed {HOUSEHOLDS[0]} to {HOUSEHOLDS[1]}"),
        ({"end_year": 2013}, "end_year"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_scenarios_exit_2_with_one_line(tmp_path, change, fragment):
    import yaml

    doc = load_scenario().model_dump()
    doc.update(change)
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError):
        load_scenario(f)
    r = subprocess.run(
        [sys.executable, "-m", "experiments", "city", "--scenario", str(f)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and fragment in r.stderr, r.stderr


def test_city_json_has_the_documented_rollout_keys(tmp_path):
    import yaml

    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(small(compounds=20, households=2000, communities=4, end_year=2020).model_dump()))
    r = subprocess.run(
        [sys.executable, "-m", "experiments", "city", "--scenario", str(f), "--json", "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    row = doc["rollout"][-1]
    for key in (
        "year",
        "cumulative_renovated",
        "cumulative_with_council",
        "households_covered",
        "representatives",
        "party_share_of_representatives",
    ):
        assert key in row
    assert (tmp_path / "o" / "rollout.parquet").exists()
    from experiments import provenance

    rec = provenance.read(tmp_path / "o" / "rollout.parquet")
    assert rec == provenance.read(tmp_path / "o") and rec["seeds"] == [0]
    assert rec["run"]["schedule"][0]["regime"] in rec["arms"]


def test_nanning_rollout_reproduces_pd1_and_the_never_applied_profile():
    sc = load_scenario().model_copy(update={"end_year": 2021})
    m = CityModel(sc, rng=0)
    m.run()
    r = m.rollout().set_index("year")
    for year, target in ((2019, 19), (2020, 259), (2021, 514)):  # E26, within ±10 %
        assert abs(r.cumulative_renovated.loc[year] - target) <= 0.1 * target, (year, r.cumulative_renovated.loc[year])
    assert r.phase1_renovated.loc[2018] == 500  # E6
    # E25: 486 new councils for 514 compounds; the rest were led by an existing owners' committee
    assert abs(r.council_share.loc[2021] - 0.946) <= 0.03, r.council_share.loc[2021]
    led = r.cumulative_with_council.loc[2021] + r.cumulative_with_existing_oc.loc[2021]
    assert led >= 0.98 * r.cumulative_renovated.loc[2021]
    never = m.never_applied().set_index("group")
    # X5: compounds left behind are smaller and have fewer party members
    assert never.loc["never applied", "mean_households"] < never.loc["applied", "mean_households"]
    assert never.loc["never applied", "party_share"] < never.loc["applied", "party_share"]
