"""Unit tests of the smaller rule modules against hand-computed values (ODD §7.3–§7.7, §7.10–§7.12)."""

from types import SimpleNamespace

import numpy as np
import pytest

from sim.rules import approval, attitude, complaints, construction, council, maintenance, participation


def test_approval_delay_and_office():
    d = np.array([4.0, 2.0, 6.0, 3.0, 5.0])
    assert approval.approval_delay(d, 0.0) == pytest.approx(20.0)
    assert approval.approval_delay(d, 1.0) == pytest.approx(6.0)
    assert approval.approval_delay(d, 0.8) == pytest.approx(0.2 * 20 + 0.8 * 6)
    # several projects at once: one row each, departments along the last axis
    rows = np.array([[4.0, 2.0, 6.0, 3.0, 5.0], [1.0, 1.0, 1.0, 1.0, 2.0]])
    assert approval.approval_delay(rows, 0.8).tolist() == pytest.approx([0.2 * 20 + 0.8 * 6, 0.2 * 6 + 0.8 * 2])
    assert approval.project_hours(True, False) == 4.0 and approval.project_hours(False, False) == 8.0
    assert approval.project_hours(False, True) == 2.0
    assert approval.progress_factor(20, 10) == 1.0 and approval.progress_factor(10, 20) == 0.5
    # an office with no hours and no projects scales nothing (and divides by nothing)
    assert approval.progress_factor(0.0, 0.0) == 1.0


def test_attitude_trust_satisfaction():
    p = SimpleNamespace(eta_c=0.03, eta_e=0.05, eta_x=0.05)
    a = attitude.update_attitude(0.5, True, True, False, False, 0.9, p)
    assert a == pytest.approx(0.5 + 0.03 * 0.5 + 0.05 * 0.5)
    a = attitude.update_attitude(0.5, False, False, True, True, 0.9, p)
    assert a == pytest.approx(0.475 + 0.1 * (0.9 - 0.475))
    assert attitude.update_trust(0.5, True, 0) == pytest.approx(0.525)
    assert attitude.update_trust(0.5, False, 2) == pytest.approx(0.5 * 0.95**2)
    assert attitude.satisfaction(0.8, 3.0, 4.0) == pytest.approx(0.6)
    assert attitude.satisfaction(0.8, 5.0, 4.0) == pytest.approx(0.8)


def test_satisfaction_is_the_quality_where_nothing_was_demanded():
    # over arrays, as the executors call it: a household that demanded nothing is judged by quality
    # alone, whatever the 'delivered' column holds, with no division by zero on the way; demands
    # below one unit of value are ratios like any other
    q = np.array([0.8, 0.8, 0.6, 0.9])
    delivered = np.array([0.3, 0.0, 0.25, 2.0])
    demanded = np.array([0.0, 0.0, 0.5, 4.0])
    with np.errstate(all="raise"):
        sat = attitude.satisfaction(q, delivered, demanded)
    assert sat.dtype == np.float64
    assert sat.tolist() == pytest.approx([0.8, 0.8, 0.3, 0.45])


def test_complaints():
    pc = complaints.complaint_probability(0.5, 1.0, 0.0, 0.3, 0.5)
    assert pc == pytest.approx(0.001 + 0.002 + 0.01 + 0.0008 + 0.0015)
    assert complaints.resolve_probability(0.5) == pytest.approx(0.3)


def test_construction():
    assert construction.duration_weeks(4) == 14.0
    mon = construction.monitoring(0.5, True, 0.4)
    assert mon == pytest.approx(1 - 0.7 * 0.6 * 0.7)
    assert construction.monitoring(0.5, False, 0.0) == pytest.approx(0.3)
    assert construction.effort(0.6, 0.5) == pytest.approx(0.8)
    assert construction.quality(0.8, 2) == pytest.approx(0.74)
    assert construction.quality(1.2, 0) == 1.0 and construction.quality(0.05, 3) == 0.0  # clipped to [0, 1]


def test_council():
    assert council.seats(150) == 7 and council.seats(20) == 3 and council.seats(1000) == 15
    assert council.candidacy_probability(0.8, True, 0.3) == pytest.approx(0.52)  # κ = 0.5, free at any time
    assert council.candidacy_probability(0.8, True, 0.3, 0.5) == pytest.approx(0.26)
    assert council.candidacy_probability(0.8, True, 0.3, 1.0, 0.0) == 0.0
    assert council.candidacy_probability(1.0, True, 1.0, 1.0, 0.9) == 1.0  # 1.8 capped: a probability
    assert council.forms(5, 7, 0.3) and not council.forms(4, 7, 0.3) and not council.forms(5, 7, 0.29)
    assert council.legitimacy(0.25, 0.14) == pytest.approx(0.2 + 0.15 + 0.3)
    assert council.legitimacy(1.0, 1.0) == 1.0
    # an uncertified election (certified = 0.5) keeps half the certification's weight
    assert council.legitimacy(0.25, 0.14, 0.5) == pytest.approx(0.2 + 0.15 + 0.15)
    w = council.ballot_weights(0.5, 1.0, 0.2, 0.1)
    assert w == pytest.approx(np.exp(2 * 0.8))


def test_maintenance():
    p = SimpleNamespace(delta_M=0.01, r_M=0.028)
    m = maintenance.maintenance_step(0.5, 0.2, 0.8, 1.0, p)
    assert m == pytest.approx(0.5 - 0.01 * 1.4 * 0.5 + 0.028 * 0.8 * 0.5)
    assert maintenance.conversion_probability(0.15, 0.8, 0.6, 0.6) == pytest.approx(0.12)
    assert maintenance.conversion_probability(0.15, 0.8, 0.59, 0.9) == 0.0


def test_participation():
    p = SimpleNamespace(kappa=0.5, prompt=0.8, recruit=0.6, activity_lapse=True, deterministic=False)
    # κ·I·avail, with the conversion raised by an asking representative or close neighbours
    assert participation.attend_probability(0.6, 1.0, False, False, p) == pytest.approx(0.3)
    assert participation.attend_probability(0.6, 0.5, False, True, p) == pytest.approx(0.5 * 1.6 * 0.6 * 0.5)
    assert participation.attend_probability(0.6, 0.5, True, False, p) == pytest.approx(0.9 * 0.6 * 0.5)
    assert participation.vote_probability(0.6, False, False, 0.4, p) == pytest.approx(0.7 * 0.6)
    # a canvassed household votes more readily, but no more than its intention allows
    assert participation.vote_probability(0.2, True, False, 0.0, p) == pytest.approx(0.18)
    assert participation.opinion_probability(0.5, False, 0.0, p) == pytest.approx(0.25)
    assert participation.volunteer_probability(1.0, 0.2, False, p) == pytest.approx(0.1)
    # a recruited neighbour volunteers more readily (κ·(1 + ρ))
    assert participation.volunteer_probability(1.0, 0.2, True, p) == pytest.approx(0.5 * 1.6 * 0.2)
    assert participation.is_active(0, 12) and not participation.is_active(0, 13)
    assert not participation.stays_active(5, 6, p)
    assert participation.stays_active(5, 6, SimpleNamespace(activity_lapse=False))
    codes = participation.resident_state(
        np.array([True, False, False, False]), np.array([-99, 10, -99, -99]), np.array([0.1, 0.1, 0.6, 0.4]), 12
    )
    assert list(codes) == [3, 2, 1, 0]
    # willing means I > 0.5: a household at exactly one half is not yet willing
    assert participation.resident_state(np.array([False]), np.array([-99]), np.array([0.5]), 12).tolist() == [0]


def test_manager_legitimacy_comes_from_trust_and_upkeep():
    assert maintenance.manager_legitimacy(0.5, 0.8) == pytest.approx(0.4)
    assert maintenance.manager_legitimacy(0.5, 0.2) < maintenance.manager_legitimacy(0.5, 0.8)


def test_transparency_enters_beliefs_and_the_collectors_legitimacy():
    from sim.rules import payment

    assert payment.observed_share_weight(0.0, 1.0) == pytest.approx(0.5)
    assert payment.observed_share_weight(0.4, 1.0) == pytest.approx(0.7)
    assert payment.observed_share_weight(0.4, 0.0) == pytest.approx(0.4)
    assert payment.collector_legitimacy(0.6, 0.4) == pytest.approx(0.6 + 0.4 * 0.5 * 0.4)


def test_a_company_enters_as_the_fees_it_expects_cover_its_cost():
    # Φ((ln R − ln C) / 0.5): even odds at break-even, one σ either side at R = C·e^{±0.5}
    enter = maintenance.company_entry_probability
    assert enter(20.0, 20.0) == pytest.approx(0.5)
    assert enter(20.0 * np.exp(0.5), 20.0) == pytest.approx(0.8413447, abs=1e-6)
    assert enter(20.0 * np.exp(-0.5), 20.0) == pytest.approx(0.1586553, abs=1e-6)
    assert enter(0.0, 20.0) == 0.0  # nothing to collect (no fee): no company
    assert enter(5.0, 0.0) == 1.0  # managing costs nothing: any company takes it
    assert enter(0.5, 0.0) == 1.0  # ... however little it collects
    # small figures (fees in yuan per household-month below one) follow the same curve
    assert enter(0.5, 0.5) == pytest.approx(0.5)
    assert enter(0.5 * np.exp(-0.5), 0.5) == pytest.approx(0.1586553, abs=1e-6)
    grid = [enter(r, 20.0) for r in (5.0, 10.0, 15.0, 20.0, 30.0, 60.0)]
    assert all(a < b for a, b in zip(grid, grid[1:], strict=False))
