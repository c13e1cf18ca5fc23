"""The model is a first-class Mesa model: agents by type, a network grid that follows the ties, a
DataCollector from t = 0, Mesa's ``scenario`` keyword, compounds stepped through an AgentSet."""

import numpy as np
import pytest
from mesa.experimental.scenarios import Scenario

from agents.council import Council
from agents.resident import PartyMember, Resident
from agents.street_office import StreetOffice
from sim.compound import Compound
from sim.model import REPORTED, RenovationModel
from sim.stages import Stage
from sim.views import ResidentState, resident_states


@pytest.mark.parametrize("executor", ["vector", "agents"])
def test_agents_by_type_holds_every_household_under_both_executors(executor):
    m = RenovationModel(regime="three_integrations", n_households=150, years=1, rng=3, executor=executor)
    m.step()
    residents = m.agents_by_type[Resident]
    party = m.agents_by_type[PartyMember]
    assert len(residents) + len(party) == 150
    assert len(party) == int(m.hh.party.sum()) > 0
    assert all(a.is_party for a in party) and not any(a.is_party for a in residents)
    assert len(m.agents_by_type[Compound]) == 1
    assert len(m.agents_by_type[StreetOffice]) == 1


def test_vector_runs_create_no_resident_until_asked():
    m = RenovationModel(n_households=60, years=1, rng=1)
    m.step()
    assert m.residents == [] and Resident not in m.agent_types
    assert m.grid is not None and len(m.residents) == 60


def test_grid_edges_follow_the_current_ties():
    m = RenovationModel(regime="three_integrations", n_households=150, years=2, rng=4, executor="agents")
    for _ in range(60):
        m.step()
    live = m.ties.w > 0
    ties = {(min(a, b), max(a, b)) for a, b in zip(m.ties.src[live].tolist(), m.ties.dst[live].tolist(), strict=True)}
    edges = {(min(a, b), max(a, b)) for a, b in m.grid.G.edges}
    assert edges == ties
    cell = m.residents[5].cell
    assert {n.coordinate for n in cell.neighborhood} == {b for a, b in ties if a == 5} | {a for a, b in ties if b == 5}


def test_node_positions_group_households_by_building():
    m = RenovationModel(n_households=150, years=1, rng=2, with_agents=True)
    pos = np.array([m.grid._cells[i].position for i in range(150)])
    bld = m.hh.building[:150]
    centres = {b: pos[bld == b].mean(axis=0) for b in np.unique(bld)}
    within = np.mean([np.linalg.norm(pos[i] - centres[bld[i]]) for i in range(150)])
    between = np.mean([np.linalg.norm(centres[a] - centres[b]) for a in centres for b in centres if a != b])
    assert within < between / 2


def test_datacollector_starts_at_t0_with_the_weekly_series():
    m = RenovationModel(regime="pilot", n_households=40, years=1, rng=1)
    for _ in range(3):
        m.step()
    df = m.datacollector.get_model_vars_dataframe()
    assert len(df) == 4 and set(REPORTED) <= set(df.columns)
    for name in ("active_share", "willingness", "cofunding_share_so_far", "fee_rate_month"):
        assert name in df
    assert df.active_share.iloc[0] == 0.0  # nobody has acted before the first week
    # the weekly series reads every household; willingness_t0 is the survey's, of owners (E10, E13)
    m0 = RenovationModel(regime="pilot", n_households=40, years=1, rng=1)
    assert df.willingness.iloc[0] == pytest.approx((m0.hh.I > 0.5).mean())
    owners = m0.hh.owner
    assert m.willingness_t0[0] == pytest.approx((m0.hh.I[owners] > 0.5).mean())
    ts = m.timeseries()
    assert np.allclose(df.active_share.iloc[1:].to_numpy(), ts.participation.to_numpy())
    # the ladder's rungs, nested: whoever reached a rung in the last 13 weeks reached those below it
    rungs = df[["ladder_informed", "ladder_consulted", "ladder_involved", "ladder_co_deciding"]].iloc[1:]
    assert (rungs.diff(axis=1).iloc[:, 1:] <= 0).all().all() and rungs.ladder_informed.iloc[-1] > 0
    assert np.allclose(rungs.ladder_consulted.to_numpy(), ts.ladder_consulted.to_numpy())


def test_each_reported_series_is_the_nanmean_over_the_batchs_compounds_each_week():
    from sim.outputs import REPORTED

    m = RenovationModel(regime="three_integrations", n_households=60, n_compounds=5, years=3, rng=2).run()
    df = m.datacollector.get_model_vars_dataframe().iloc[1:]
    for column, measure in REPORTED.items():
        data = m.recorder.series(measure)
        # np.nanmean of each week's compounds, NaN where no compound has the measure yet
        expected = np.array([np.nanmean(row) if np.isfinite(row).any() else np.nan for row in data])
        got = df[column].to_numpy(dtype=float)
        assert np.array_equal(got, expected, equal_nan=True), column
    assert df.fee_rate_month.isna().any() and df.fee_rate_month.notna().any()  # both kinds of week met


def test_mesa_scenario_keyword_is_accepted():
    m = RenovationModel(scenario=Scenario(rng=7, n_households=40, years=1, regime="pilot"))
    assert m.seed == 7 and m.n_households == 40 and m.regime == "pilot"
    a = RenovationModel(scenario=Scenario(rng=None), n_households=40, years=1, rng=5, kappa=0.4).run().summary()
    b = RenovationModel(n_households=40, years=1, rng=5, kappa=0.4).run().summary()
    assert a.equals(b)


def test_collective_agents_are_mesa_agents_stepped_through_an_agentset():
    m = RenovationModel(regime="three_integrations", n_households=150, years=2, rng=0)
    assert list(m.compound_set) == m.compounds
    m.run()
    assert m.compounds[0].stage == Stage.LONG_TERM
    assert len(m.agents_by_type[Council]) == 1


def test_resident_state_agrees_with_network_view_and_outputs_every_week():
    m = RenovationModel(regime="three_integrations", n_households=150, years=3, rng=3, executor="agents")
    for _ in range(m.n_weeks):
        m.step()
        nodes, _ = m.network_view(0)
        agent_states = [r.state.value for r in m.residents]
        assert agent_states == nodes.state.tolist()
        active = np.isin(resident_states(m.hh, m.week, slice(0, 150)), [ResidentState.ACTIVE.value])
        rep = m.hh.role[:150] == 2
        # outputs count a representative who acted as a participant too
        counted = round(m.timeseries().participation.iloc[-1] * 150)
        from sim.rules.participation import is_active

        assert counted == is_active(m.hh.last_act[:150], m.week - 1).sum()
        assert (active | rep).sum() <= counted + rep.sum()
