"""The parameter table (tier 1): every calibratable parameter with its type, range, unit and source.

:data:`SPECS` is the single source: :mod:`sim.params` builds the pydantic schema, the model's keyword
arguments, the CLI's ``--set`` parsing and the ranges sweeps and sensitivity analyses may use from
it. Section numbers (§) refer to docs/ODD.md; tags follow the ODD: [P] paper, [D] derived from the
paper, [L] literature, [A] assumption to calibrate. Structural constants (tier 2) are in
:mod:`sim.constants`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParamInfo:
    """One parameter: name, default, allowed range (or choices), unit and documentation."""

    name: str
    default: Any
    low: float | None = None
    high: float | None = None
    kind: str = "float"  # float | int | bool | choice
    unit: str = ""
    doc: str = ""
    choices: tuple[str, ...] = ()
    lever: bool = False

    def describe_allowed(self) -> str:
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return f"{self.kind} from {_fmt(self.low)} to {_fmt(self.high)}"


def _fmt(x: float | None) -> str:
    if x is None:
        return "-inf"
    return f"{x:g}"


def _f(name, default, low, high, unit="", doc="", lever=False):
    return ParamInfo(name, default, low, high, "float", unit, doc, lever=lever)


def _i(name, default, low, high, unit="", doc="", lever=False):
    return ParamInfo(name, default, low, high, "int", unit, doc, lever=lever)


def _b(name, default, doc="", lever=False):
    return ParamInfo(name, default, None, None, "bool", "", doc, lever=lever)


def _c(name, default, choices, doc="", lever=False):
    return ParamInfo(name, default, None, None, "choice", "", doc, tuple(choices), lever=lever)


SPECS: tuple[ParamInfo, ...] = (
    # --- levers (ODD §8); defaults are the three_integrations preset -------------------------
    _f("integration", 0.8, 0, 1, "", "条块整合: 0 = sequential sign-offs, 1 = parallel (§7.6)", True),
    _f("co_decision", 1.0, 0, 1, "", "weight of residents' valuations in the plan; vote iff >= 0.5 (§7.8)", True),
    _b("self_application", True, "residents apply themselves via a 3-owner team (§7.5)", True),
    _b("council_first", True, "先自治、后改造: form a Laoyou council before planning (§7.7)", True),
    _f("s_res", 0.05, 0, 0.3, "share", "residents' share of the works' cost (§7.8, §7.9)", True),
    _b("party_rule", True, "application team must include a CPC member (§7.5) [P]", True),
    _f(
        "mu_party",
        2.0,
        1,
        4,
        "",
        "influence weight of mobilised party members and representatives (§7.2); > 1 means mobilised",
        True,
    ),
    _i("campaigns_per_yr", 6, 0, 12, "1/yr", "老友 culture campaigns (§7.4)", True),
    _f("p_reach", 0.3, 0, 0.6, "prob", "share of households a campaign reaches (§7.4)", True),
    _i("events_per_yr", 4, 0, 12, "1/yr", "garden-building / anti-epidemic events (§7.1, §7.4)", True),
    _f("tau_train", 0.4, 0, 0.6, "", "13 deliberation rules and facilitator training (§7.2, §7.8)", True),
    _f("tau_info", 0.4, 0, 0.6, "", "smart platform: information and online voting (§7.2, §7.8)", True),
    _f("tau_mon", 0.4, 0, 0.6, "", "smart platform: construction monitoring (§7.2, §7.10)", True),
    _f("transparency", 0.4, 0, 0.6, "", "smart platform: published accounts and payments (§7.9)", True),
    _f("p_conv", 0.15, 0, 0.3, "1/yr", "support for converting a council into an owners' committee (§7.11)", True),
    _c("approval_rule", "civil_code", ("civil_code", "majority"), "plan vote threshold (§7.8)", True),
    _c(
        "shortfall_policy",
        "scale_down",
        ("gov_topup", "scale_down"),
        "what happens when co-funding falls short (§7.9)",
        True,
    ),
    _c("menu", "full", ("full", "light"), "item menu: full 12-item menu or the top-down 'light' items (§7.8)", True),
    # --- households (§3, §6) -----------------------------------------------------------------
    _f("p_owner", 0.75, 0, 1, "share", "owner-occupiers [A]"),
    _f("pi_party", 0.08, 0, 0.3, "share", "party members among households [A]"),
    _f("p_elderly", 0.35, 0, 1, "share", "elderly households [A; 庞娟 2021]"),
    _f("renter_stake", 0.5, 0, 1, "", "weight of a renter's attitude in its intention; 1 for owners (§7.2) [A]"),
    ParamInfo(
        "mu_theta",
        None,
        0.0,
        1.0,
        "float",
        "",
        "mean threshold; null = calibrated at start-up to 36 % willingness (E13)",
    ),
    _f("sigma_theta", 0.10, 0.0, 0.3, "", "spread of thresholds (Granovetter 1978) [A]"),
    _f("target_willingness", 0.36, 0.05, 0.95, "share", "survey willingness μθ is calibrated to (E13) [P]"),
    _f("share_free_rider", 0.30, 0, 1, "share", "free riders (Fischbacher, Gächter & Fehr 2001) [L]"),
    _f("share_hump", 0.14, 0, 1, "share", "hump-shaped contributors [L]"),
    _f("share_unconditional", 0.06, 0, 1, "share", "unconditional cooperators [L+A]"),
    # --- intention (§7.2) --------------------------------------------------------------------
    _f("w_A", 0.39, 0, 1, "", "TPB weight of attitude (Armitage & Conner 2001) [L]"),
    _f("w_N", 0.27, 0, 1, "", "TPB weight of the subjective norm [L]"),
    _f("w_P", 0.34, 0, 1, "", "TPB weight of perceived behavioural control [L]"),
    _f("logit_T", 0.05, 0.005, 0.5, "", "temperature of the intention logistic [A]"),
    _f("n0", 0.1, 0, 1, "", "baseline norm [A]"),
    _f("omega_net", 0.5, 0, 1, "", "norm weight of network exposure [A]"),
    _f("omega_vis", 0.2, 0, 1, "", "norm weight of compound-wide visibility [A]"),
    _f("omega_lead", 0.3, 0, 1, "", "norm weight of a leadership cue [A]"),
    _i("m_cc", 2, 1, 10, "ties", "complex contagion: strong active ties needed (Centola & Macy 2007) [L]"),
    _f("gamma_cc", 0.5, 0, 1, "", "exposure damping below m_cc strong active ties [L]"),
    _f("kappa", 0.5, 0, 1, "prob", "intention-behaviour conversion (Sheeran 2002) [L]"),
    _f(
        "procedural_effort",
        0.85,
        0.05,
        1,
        "",
        "bar of a ballot, signature or opinion relative to taking part in person: its threshold is this share "
        "of theta (§7.3; Ajzen 1991, intention is behaviour-specific) [A]",
    ),
    _f(
        "prompt",
        0.8,
        0,
        4,
        "",
        "gain in the intention-behaviour conversion when the act is asked for in person: a ballot or consent "
        "form brought to the door, a representative's notice of a meeting (§7.3; Gerber & Green 2000, "
        "Gollwitzer & Sheeran 2006) [A]",
    ),
    _f(
        "recruit",
        0.6,
        0,
        4,
        "",
        "gain in the conversion when m_cc close active neighbours bring a household along (§7.3; Snow, Zurcher "
        "& Ekland-Olson 1980; Centola & Macy 2007) [A]",
    ),
    _f(
        "avail_working",
        0.35,
        0.01,
        0.99,
        "prob",
        "mean chance a working-age household is free at a scheduled meeting, event or rota (§6, §7.3; Verba, "
        "Schlozman & Brady 1995) [A]",
    ),
    _f(
        "avail_elderly",
        0.6,
        0.01,
        0.99,
        "prob",
        "mean chance an elderly (retired) household is free at a scheduled time (§6, §7.3; Chen et al. 2022) [A]",
    ),
    _i("meeting_seats", 40, 5, 1000, "hh", "places at a plan or management meeting (a community room) (§7.3) [A]"),
    _i("event_places", 30, 5, 1000, "hh", "places at a garden-building or anti-epidemic event (§7.1) [A]"),
    _i("supervision_team", 5, 1, 50, "hh", "residents on the supervision team of the works (居民监督小组) (§7.10) [A]"),
    _f(
        "notice_reach",
        0.5,
        0,
        1,
        "prob",
        "share of households a posted notice (公示) reaches; the platform pushes it to a further tau_info (§9) [A]",
    ),
    # --- attitude, trust, network (§7.1, §7.4) -----------------------------------------------
    _f("eta_c", 0.03, 0, 0.3, "", "attitude gain per campaign reached [A]"),
    _f("eta_e", 0.05, 0, 0.3, "", "attitude gain per event attended [A]"),
    _f("eta_x", 0.05, 0, 0.3, "", "attitude loss per conflict [A]"),
    _f("delta_w", 0.002, 0, 0.05, "1/wk", "tie decay (Burt 2000) [A]"),
    _f("delta_ev", 0.15, 0, 1, "", "tie strengthening per shared event [A]"),
    _f("delta_meet", 0.05, 0, 1, "", "tie strengthening per shared meeting [A]"),
    _f("p_new_tie", 0.05, 0, 1, "prob", "untied co-attendees forming a tie [A]"),
    _f("turnover_owner", 0.03, 0, 0.5, "1/yr", "owners moving out [A; 庞娟 2021]"),
    _f("turnover_renter", 0.15, 0, 0.5, "1/yr", "renters moving out [A; 庞娟 2021]"),
    _c(
        "network",
        "buildings",
        ("buildings", "small_world", "scale_free", "erdos_renyi", "complete"),
        "network generator (§5; X6)",
    ),
    _f(
        "mean_degree",
        4.0,
        0,
        100,
        "ties/hh",
        "expected degree: within-building ring degree (buildings, nearest even k, cross_ties on top), nearest "
        "even k (small_world), n·p (erdos_renyi), 2m (scale_free); ignored by complete (§5) [A]",
    ),
    _f("ws_rewire", 0.1, 0, 1, "prob", "Watts-Strogatz rewiring within buildings (Watts & Strogatz 1998) [A]"),
    _c(
        "rewired_ties",
        "keep",
        ("keep", "buildings"),
        "a rewired tie keeps the strength and contact level of the lattice tie it replaces (topology alone "
        "changes), or takes the contact level of the buildings it now joins (§6; X6)",
    ),
    _f("cross_ties", 0.5, 0, 5, "ties/hh", "mean cross-building ties per household [A]"),
    _c(
        "tie_weights",
        "beta",
        ("beta", "equal"),
        "initial tie strength: Beta(mean, concentration) or all equal to the mean (§5)",
    ),
    _f("tie_mean", 0.2, 0.01, 1, "", "mean initial tie strength (Beta(1, 4) at the default) [A]"),
    _f("tie_concentration", 5.0, 0.5, 200, "", "a + b of the Beta tie strengths (5 = Beta(1, 4)) [A]"),
    _f(
        "cross_contact",
        0.6,
        0,
        1,
        "",
        "everyday contact of a cross-building tie relative to a same-building one; scales the level contact "
        "maintains (§7.1; Feld 1981, Festinger et al. 1950) [A]",
    ),
    _i("initial_activists", 0, 0, 10000, "hh", "households active at t0 in each compound (§5)"),
    _c(
        "initial_activist_targeting",
        "random",
        ("random", "party", "degree"),
        "who the initial activists are: random households, party members first, or the best connected (§5)",
    ),
    _c(
        "theta_dist",
        "normal",
        ("normal", "fixed", "uniform_grid"),
        "thresholds: N(μθ, σθ) truncated, all equal to μθ, or evenly spaced over [0, 1] (Granovetter 1978) (§5)",
    ),
    _b(
        "deterministic",
        False,
        "linear-threshold limit: I = 1 exactly when z >= 0 (step instead of the logistic) and a willing "
        "household acts every week (§7.2; Granovetter 1978, Watts 2002)",
    ),
    _b(
        "activity_lapse", True, "activity lapses 13 weeks after the last act; false = once active, always active (§7.3)"
    ),
    # --- application, council (§7.5, §7.7) ---------------------------------------------------
    _b(
        "canvass_ties",
        True,
        "canvassers reach households through their ties, one introduction a week (chain referral, §7.5); "
        "false = door to door in a shuffled round whatever the network (a knock-out)",
    ),
    _f("q_apply", 2 / 3, 0.3, 1, "share", "owners' signatures needed to apply (Civil Code art. 278) [E]"),
    _f("b_party", 0.3, 0, 1, "", "candidacy boost of mobilised party members [A]"),
    _f(
        "vote_bonus_party",
        0.35,
        0,
        1,
        "",
        "ballot bonus of mobilised party candidates [A; calibrated to E25's party share 0.28 at 2-10 years]",
    ),
    _f("p_fallback", 0.5, 0, 1, "prob", "project goes ahead without a council after formation fails [A]"),
    _f("rep_quit", 0.1, 0, 1, "1/yr", "representatives quitting [A]"),
    _i("council_term", 3, 1, 10, "yr", "years after which the council is re-elected (OCs serve 3-5) (§7.7) [A]"),
    # --- approvals, street office (§7.6) -----------------------------------------------------
    _i("departments", 5, 1, 12, "", "line departments signing off each approval (E19) [P]"),
    _f("signoff_weeks", 4.0, 0.5, 26, "wk", "mean weeks per sign-off, Gamma(shape 2) [A]"),
    _f("office_hours", 40.0, 5, 200, "h/wk", "street-office staff hours per community [A]"),
    _f("office_background_hours", 20.0, 0, 200, "h/wk", "hours taken by the community's other compounds [A]"),
    # --- deliberation (§7.8) -----------------------------------------------------------------
    _f(
        "psi",
        1.0,
        0,
        6,
        "",
        "price sensitivity ψ of the plan vote at middle income; scaled by middle ÷ own income (§7.8) [A]",
    ),
    _f("income_low", 3000.0, 500, 50000, "yuan/month", "household income, low tier (§7.8, §7.9) [A]"),
    _f("income_mid", 5000.0, 500, 50000, "yuan/month", "household income, middle tier [A]"),
    _f("income_high", 9000.0, 500, 50000, "yuan/month", "household income, high tier [A]"),
    _f("elderly_income", 0.8, 0.1, 1, "", "income of an elderly household relative to its tier (pensions) [A]"),
    _f(
        "psi_pay",
        0.25,
        0,
        1,
        "1/month",
        "fall in the probability of paying per month of income the bill takes (§7.9) [A]",
    ),
    _i("meetings_before_vote", 2, 1, 12, "meetings", "plan meetings held before a vote may be called [A]"),
    _f(
        "consensus_spread",
        0.05,
        0.0,
        0.5,
        "",
        "attendees' mean distance from the meeting mean at which a vote is called [A]",
    ),
    _i("max_meetings", 12, 1, 52, "meetings", "meetings after which a vote is called even without convergence [A]"),
    _i("max_vote_rounds", 12, 1, 30, "rounds", "vote rounds before a project stalls [A]"),
    # --- payment (§7.9) ----------------------------------------------------------------------
    _f("fee_per_m2", 0.5, 0, 5, "yuan/m2/month", "property fee [A]"),
    _f("belief0", 0.5, 0, 1, "share", "initial belief about others' payment (Ledyard 1995) [L]"),
    # --- construction, maintenance (§7.10, §7.11) --------------------------------------------
    _f("e0", 0.6, 0, 1, "", "contractor's base effort [A]"),
    _f("delta_M", math.log(2) / 156, 0, 0.05, "1/wk", "facility decay (3-year half-life) [A]"),
    _f("r_M", 0.028, 0, 0.2, "1/wk", "maintenance rate when fees are collected [A]"),
    _f(
        "mgmt_cost",
        20.0,
        0,
        1000,
        "yuan/hh/month",
        "median bidder's cost of managing a compound; a company enters when expected fees cover it (§7.11; E7) [A]",
    ),
    _f(
        "caretaker_fee",
        0.2,
        0,
        5,
        "yuan/m2/month",
        "basic-service fee the street office bills where it caretakes a compound nobody else manages (§7.11) [A]",
    ),
    _f("staff_cost", 60.0, 0, 1000, "yuan/h", "street-office staff cost [A]"),
)

SPEC_BY_NAME: dict[str, ParamInfo] = {s.name: s for s in SPECS}
LEVERS: tuple[str, ...] = tuple(s.name for s in SPECS if s.lever)
