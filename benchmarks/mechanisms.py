# ruff: noqa: E501  (a measurement script: long report lines read better unwrapped)
"""Measure whether the model's mechanisms carry its patterns (issue 10, items 1-8).

Run it before and after a change to the mechanisms, on the same paired seeds, and compare:

    .venv/bin/python benchmarks/mechanisms.py --seeds 100 > /tmp/iss10-after.txt

Each item prints one block. Paired differences come with a 95 % normal CI over seeds
(mean ± 1.96·sd/√n). Parameters the current code does not know are skipped with a note, so the
script runs on the code before and after issue 10.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from sim.errors import InputError
from sim.model import RenovationModel
from sim.params import SPEC_BY_NAME


def run(regime="three_integrations", seeds=range(50), years=10, n=150, **params):
    m = RenovationModel(regime=regime, n_households=n, years=years, seeds=list(seeds), rng=0, **params)
    m.run()
    return m


def ci(x) -> str:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return "n/a (no finite values)"
    half = 1.96 * x.std(ddof=1) / math.sqrt(x.size) if x.size > 1 else math.nan
    return f"{x.mean():+.4f} [{x.mean() - half:+.4f}, {x.mean() + half:+.4f}] (n={x.size})"


def known(*names) -> bool:
    return all(name in SPEC_BY_NAME for name in names)


def item1(seeds):
    print("== 1. does network structure matter? (small_world, rewire 0 vs 1, vis and leadership off)")
    base = {"network": "small_world", "omega_vis": 0.0, "omega_lead": 0.0}
    for label, extra in (("complex m_cc=2", {"m_cc": 2}), ("simple m_cc=1", {"m_cc": 1})):
        a = run(seeds=seeds, ws_rewire=0.0, **base, **extra)
        b = run(seeds=seeds, ws_rewire=1.0, **base, **extra)
        sa, sb = a.summary(), b.summary()
        ta, tb = a.timeseries(), b.timeseries()
        wa = ta.groupby("seed").willingness.mean().to_numpy()
        wb = tb.groupby("seed").willingness.mean().to_numpy()
        pa = ta.groupby("seed").participation.mean().to_numpy()
        pb = tb.groupby("seed").participation.mean().to_numpy()
        print(f"  {label}: mean weekly active share rewire1-0 = {ci(pb - pa)} (rewire 0: {pa.mean():.4f})")
        print(f"  {label}: participation_rate rewire1 - rewire0 = {ci(sb.participation_rate - sa.participation_rate)}")
        print(f"  {label}: completion_week    rewire1 - rewire0 = {ci(sb.completion_week - sa.completion_week)}")
        print(f"  {label}: mean weekly willingness rewire1-0   = {ci(wb - wa)}")
    if known("canvass_ties"):
        a = run(seeds=seeds, ws_rewire=0.0, canvass_ties=False, **base).summary()
        b = run(seeds=seeds, ws_rewire=1.0, canvass_ties=False, **base).summary()
        print(
            f"  canvass_ties=false (complex): completion_week rewire1 - rewire0 = {ci(b.completion_week - a.completion_week)}"
        )
    m = RenovationModel(regime="top_down", n_households=150, years=1, seeds=list(seeds), rng=0)
    w = m.ties.w
    deg = 2 * w.size / m.hh.n
    print(
        f"  default buildings network: mean degree {deg:.2f}; ties >= 0.3: {np.mean(w >= 0.3):.3f}; >= 0.5: {np.mean(w >= 0.5):.3f}"
    )
    if known("mean_degree"):
        for k in (2, 4, 8, 16):
            mm = RenovationModel(
                regime="top_down",
                n_households=150,
                years=1,
                seeds=list(seeds)[:5],
                rng=0,
                network="erdos_renyi",
                mean_degree=k,
            )
            print(f"  erdos_renyi mean_degree={k}: realised {2 * mm.ties.w.size / mm.hh.n:.2f}")
    else:
        print("  mean_degree: not a parameter (Erdős–Rényi degree fixed in code)")
    print(f"  initial_activists parameter: {'yes' if known('initial_activists') else 'no'}")
    td = run("top_down", seeds=seeds, years=10).summary()
    print(
        f"  top_down social capital t0 {td.social_capital_t0.mean():.3f}, year 10 {td.social_capital_end.mean():.3f} (min {td.social_capital_end.min():.3f}, max {td.social_capital_end.max():.3f})"
    )
    ti = run("three_integrations", seeds=seeds, years=10).summary()
    print(f"  three_integrations social capital year 10 {ti.social_capital_end.mean():.3f}")


def item2(seeds):
    print("== 2. graded price response (three_integrations, s_res steps)")
    prev = None
    for s in (0.05, 0.10, 0.15, 0.20, 0.25, 0.30):
        sm = run(seeds=seeds, s_res=s).summary()
        cof = sm.cofunding_collection.to_numpy()
        line = (
            f"  s_res={s:.2f}: co-funding {np.nanmean(cof):.4f} (bill in {np.isfinite(cof).mean():.2f}), "
            f"fees {np.nanmean(sm.fee_collection):.4f}, completed {sm.completed.mean():.2f}, "
            f"stalled {(sm.stage_end == 'stalled').mean():.2f}, participation {sm.participation_rate.mean():.4f}"
        )
        if prev is not None:
            line += f"; Δco-funding vs previous step {ci(cof - prev)}"
        print(line)
        prev = cof


def item3(seeds):
    print("== 3. fee collection: gate or mechanism?")
    for label, reg, extra in (
        ("top_down default", "top_down", {}),
        ("top_down mgmt_cost=0.01 (a company everywhere)", "top_down", {"mgmt_cost": 0.01}),
        ("three_int transparency 0", "three_integrations", {"transparency": 0.0}),
        ("three_int transparency 0.6", "three_integrations", {"transparency": 0.6}),
    ):
        sm = run(reg, seeds=seeds, **extra).summary()
        body = sm.management.isin(["company", "self", "OC"]).mean()
        print(
            f"  {label}: fees {np.nanmean(sm.fee_collection):.4f} (finite {np.isfinite(sm.fee_collection).mean():.2f}), "
            f"maintenance y5 {np.nanmean(sm.maintenance_year5):.3f}, management body share {body:.2f}, "
            f"caretaken by the office {(sm.management == 'office').mean():.2f}"
        )


def item4(seeds):
    print("== 4. participation_rate vs turnover")
    for years in (2, 5, 10):
        on = run(seeds=seeds, years=years).summary()
        off = run(seeds=seeds, years=years, turnover_owner=0.0, turnover_renter=0.0).summary()
        line = (
            f"  {years:2d} y: turnover off {off.participation_rate.mean():.4f}, on {on.participation_rate.mean():.4f}"
        )
        if "engagement_end" in on:
            line += f"; engagement_end on {np.nanmean(on.engagement_end):.4f}"
        print(line)
    for reg in ("pilot", "three_integrations"):
        print(f"  {reg}: participation_rate {run(reg, seeds=seeds).summary().participation_rate.mean():.4f}")


def item5(seeds):
    print("== 5. consensus weeks")
    for reg in ("pilot", "three_integrations"):
        m = run(reg, seeds=seeds, years=4)
        cw = m.summary().consensus_weeks.to_numpy()
        cw = cw[np.isfinite(cw)]
        mins = [c.meetings for c in m.compounds if math.isfinite(c.consensus_week)]
        floor = np.mean([k <= m.p.meetings_before_vote for k in mins]) if mins else math.nan
        print(
            f"  {reg}: mean {cw.mean():.2f} sd {cw.std(ddof=1):.3f} min {cw.min():.0f} max {cw.max():.0f}; vote at the minimum-meeting floor in {floor:.2f}"
        )


def item6(seeds):
    print("== 6. pilot vs three_integrations (paired, three_integrations - pilot)")
    a = run("pilot", seeds=seeds).summary()
    b = run("three_integrations", seeds=seeds).summary()
    for col in (
        "participation_rate",
        "cofunding_collection",
        "fee_collection",
        "consensus_weeks",
        "maintenance_year5",
        "completion_week",
    ):
        print(
            f"  {col}: pilot {np.nanmean(a[col]):.4f}, three_int {np.nanmean(b[col]):.4f}, diff {ci(b[col].to_numpy() - a[col].to_numpy())}"
        )
    if "engagement_end" in a:
        print(f"  engagement_end: diff {ci(b.engagement_end.to_numpy() - a.engagement_end.to_numpy())}")


def item7(n):
    print("== 7. party share of representatives (three_integrations)")
    for years in (2, 10):
        sm = run(seeds=range(n), years=years).summary()
        ps = sm.party_share_of_representatives
        w = sm.representatives
        print(
            f"  {n} compounds x {years} y: mean {np.nanmean(ps):.4f}, seat-weighted {np.nansum(ps * w) / w[ps.notna()].sum():.4f}"
        )


def item8():
    print("== 8. Resident.state vs network_view (seed 3, 3 years, agents executor)")
    m = RenovationModel(regime="three_integrations", n_households=150, years=3, executor="agents", rng=3)
    bad = total = 0
    while m.running:
        m.step()
        nodes, _ = m.network_view(0)
        states = np.array([r.state.value for r in m.residents])
        bad += int((states != nodes.state.to_numpy()).sum())
        total += states.size
    print(f"  disagreements: {bad} of {total} resident-weeks")


KNOCKOUTS = {
    "network influence (omega_net=0, recruit=0)": {"omega_net": 0.0, "recruit": 0.0},
    "canvassing through ties (canvass_ties=false)": {"canvass_ties": False},
    "recruitment through ties (recruit=0)": {"recruit": 0.0},
    "complex contagion (m_cc=1, gamma_cc=1)": {"m_cc": 1, "gamma_cc": 1.0},
    "price in payment (psi_pay=0)": {"psi_pay": 0.0},
    "price in the vote (psi=0)": {"psi": 0.0},
    "legitimacy in payment (transparency=0)": {"transparency": 0.0},
    "deliberation training (tau_train=0)": {"tau_train": 0.0},
    "visibility and cues (omega_vis=0, omega_lead=0)": {"omega_vis": 0.0, "omega_lead": 0.0},
    # issue 17: what takes a household from intention to an act
    "the request in person (prompt=0)": {"prompt": 0.0},
    "time (every household free: avail 0.99)": {"avail_working": 0.99, "avail_elderly": 0.99},
    "places (1,000 seats and places)": {"meeting_seats": 1000, "event_places": 1000},
    "procedural ease (procedural_effort=1)": {"procedural_effort": 1.0},
    "renters' stake (renter_stake=1)": {"renter_stake": 1.0},
}
KO_OUTCOMES = (
    "participation_mean",
    "participation_rate",
    "ladder_involved",
    "ladder_co_deciding",
    "engagement_end",
    "cofunding_collection",
    "fee_collection",
    "consensus_weeks",
    "maintenance_year5",
    "completion_week",
)


def item9(seeds):
    print("== 9. knock-outs (three_integrations, paired, knock-out - default, 6 years)")
    base = run(seeds=seeds, years=6)
    bs, bt = base.summary(), base.timeseries().groupby("seed").participation.mean().to_numpy()
    for label, ko in KNOCKOUTS.items():
        m = run(seeds=seeds, years=6, **ko)
        s, t = m.summary(), m.timeseries().groupby("seed").participation.mean().to_numpy()
        print(f"  {label}:")
        print(f"    mean weekly active share: {ci(t - bt)}")
        for col in KO_OUTCOMES:
            print(f"    {col}: {ci(s[col].to_numpy() - bs[col].to_numpy())}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--items", default="1,2,3,4,5,6,7,8")
    a = ap.parse_args()
    seeds = range(a.seeds)
    t0 = time.time()
    for it in a.items.split(","):
        t = time.time()
        try:
            if it == "7":
                item7(200)
            elif it == "8":
                item8()
            elif it in ("2",):
                item2(range(min(a.seeds, 40)))
            else:
                globals()[f"item{it}"](seeds)
        except InputError as exc:
            print(f"  skipped: {exc}")
        print(f"  ({time.time() - t:.0f} s)", flush=True)
    print(f"total {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
