"""Structural constants: the second tier of the parameter table (``renosim params --all``).

Calibratable parameters live in :data:`sim.params.SPECS` (first tier): they have ranges, are keyword
arguments of the model, and sweeps, sensitivity analysis and calibration may vary them. The numbers
below are *structural*: they fix the shape of a procedure (a team has three initiators, a drive lasts
half a year) rather than a quantity the paper lets us estimate, so they are not swept. Each is
declared once in :data:`STRUCTURAL` with its meaning, unit, ODD section and source; a test fails if a
module of the model defines a numeric constant that is not declared here.

Source tags follow the ODD: [P] paper, [D] derived from the paper, [L] literature, [A] assumption.

The collective procedures' own constants are defined in this module; the behaviour rules keep theirs
beside the formula that uses them (``module`` says where), so a rule and its numbers read together.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

# --- application and consent drive (§7.5) --------------------------------------------------------
CANVASS_PER_PERSON = 10  # households one canvasser visits a week
TEAM_SIZE = 3  # initiators: "three owners, one of them a party member" (E23)
TEAM_RATE = 0.2  # weekly hazard of a team forming per would-be leader, per unit of κ
LEADER_I, LEADER_PBC = 0.7, 0.3  # intention and perceived control of a would-be initiator
DRIVE_WEEKS = 26  # weeks a team has to gather the consent signatures
DRIVE_RETRY_WEEKS = 26  # cool-down before a failed team's compound may try again
# --- consultation (§7.3) ---------------------------------------------------------------------------
COMMENT_WEEKS = 3  # the comment period of a posted plan (公示征求意见), from the week it is posted
# --- deliberation (§7.8) --------------------------------------------------------------------------
SPEAKERS_PER_MEETING = 3  # proposals a two-hour plan meeting has the floor time to hear
# --- construction (§7.10) -------------------------------------------------------------------------
ROTA_WEEKS = 4  # the residents' supervision team inspects the works every fourth week
# --- long-term management (§7.11) ----------------------------------------------------------------
QUARTER = 13  # weeks between management meetings of a council or owners' committee


@dataclass(frozen=True)
class Constant:
    """One structural constant: where it is defined, what it means and where the number comes from."""

    name: str
    module: str
    meaning: str
    unit: str
    odd: str
    source: str

    @property
    def value(self):
        return getattr(importlib.import_module(self.module), self.name)


def _c(name, module, meaning, unit, odd, source):
    return Constant(name, module, meaning, unit, odd, source)


_HERE = "sim.constants"
STRUCTURAL: tuple[Constant, ...] = (
    _c(
        "ACCOUNTS_WEIGHT",
        "sim.rules.payment",
        "share of the distrust published accounts remove from a collector's legitimacy, at full transparency",
        "0–1",
        "§7.9",
        "[A] Ostrom 1990; Fung & Wright 2003",
    ),
    _c(
        "ENGAGEMENT_WEEKS",
        "sim.outputs",
        "window of the long-run engagement outcome: acted in the run's last weeks",
        "weeks",
        "§9",
        "[A]",
    ),
    _c("CANVASS_PER_PERSON", _HERE, "households one canvasser visits a week", "households/week", "§7.5", "[A]"),
    _c("TEAM_SIZE", _HERE, "initiators of an application", "owners", "§7.5", "[P] E23"),
    _c("TEAM_RATE", _HERE, "weekly hazard of a team forming per leader, per unit of κ", "1/week", "§7.5", "[A]"),
    _c("LEADER_I", _HERE, "intention an initiator needs", "0–1", "§7.5", "[A]"),
    _c("LEADER_PBC", _HERE, "perceived control an initiator needs", "0–1", "§7.5", "[A]"),
    _c("DRIVE_WEEKS", _HERE, "length of a consent drive", "weeks", "§7.5", "[A]"),
    _c("DRIVE_RETRY_WEEKS", _HERE, "cool-down after a failed consent drive", "weeks", "§7.5", "[A]"),
    _c("COMMENT_WEEKS", _HERE, "comment period of a posted plan", "weeks", "§7.3", "[A]"),
    _c("QUARTER", _HERE, "weeks between management meetings", "weeks", "§7.11", "[A]"),
    _c("SPEAKERS_PER_MEETING", _HERE, "proposals a plan meeting hears", "proposals", "§7.8", "[A]"),
    _c("ROTA_WEEKS", _HERE, "weeks between the supervision team's inspections", "weeks", "§7.10", "[A]"),
    _c(
        "COUNCIL_PROJECT_HOURS",
        "sim.rules.approval",
        "office hours a council-led project needs",
        "h/week",
        "§7.6",
        "[A]",
    ),
    _c(
        "TOP_DOWN_PROJECT_HOURS",
        "sim.rules.approval",
        "office hours a project it runs itself needs (per unit)",
        "h/week",
        "§7.6",
        "[A]",
    ),
    _c("COMPLAINT_HOURS", "sim.rules.approval", "office hours an escalated complaint costs", "h", "§7.12", "[A]"),
    _c(
        "SAT_DRIFT",
        "sim.rules.attitude",
        "pull of satisfaction on attitude after completion",
        "per week",
        "§7.4",
        "[A]",
    ),
    _c("TRUST_STEP", "sim.rules.attitude", "trust change per delivery or bad experience", "0–1", "§7.4", "[A]"),
    _c("GOV_INSPECTION", "sim.rules.construction", "monitoring by government inspection alone", "0–1", "§7.10", "[A]"),
    _c(
        "DEFECT_RATE",
        "sim.rules.construction",
        "weekly defect rate at zero effort",
        "per week",
        "§7.10",
        "[L] Holmström 1979",
    ),
    _c("DEFECT_COST", "sim.rules.construction", "quality lost per undetected defect", "0–1", "§7.10", "[A]"),
    _c("ELIGIBLE_I", "sim.rules.council", "intention a candidate needs", "0–1", "§7.7", "[A]"),
    _c("ELIGIBLE_PBC", "sim.rules.council", "perceived control a candidate needs", "0–1", "§7.7", "[A]"),
    _c("MIN_TURNOUT", "sim.rules.council", "turnout an election needs", "share", "§7.7", "[A]"),
    _c("MIN_MEMBERS", "sim.rules.council", "representatives a council needs to stand", "members", "§7.7", "[A]"),
    _c("RETRY_WEEKS", "sim.rules.council", "weeks between failed election attempts", "weeks", "§7.7", "[A]"),
    _c("GIVE_UP_WEEKS", "sim.rules.council", "weeks of failed elections before the fallback", "weeks", "§7.7", "[A]"),
    _c(
        "PARTY_SHARE_REF",
        "sim.rules.council",
        "party share of representatives at which legitimacy is neutral",
        "share",
        "§7.7",
        "[P] E16",
    ),
    _c("DISRUPTION", "sim.rules.deliberation", "value lost to disruption per item", "0–1", "§7.8", "[A]"),
    _c(
        "CONFLICT_BASE",
        "sim.rules.deliberation",
        "clash probability at a meeting without training",
        "probability",
        "§7.8",
        "[A]",
    ),
    _c("DEMAND_FLOOR", "sim.rules.deliberation", "net value above which an item is demanded", "0–1", "§7.8", "[A]"),
    _c("LEG_MANAGE", "sim.rules.maintenance", "council legitimacy needed to self-manage", "0–1", "§7.11", "[A]"),
    _c(
        "OC_MIN_FEES",
        "sim.rules.maintenance",
        "fee collection an owners' committee conversion needs",
        "share",
        "§7.11",
        "[A]",
    ),
    _c("OC_MIN_MAINTENANCE", "sim.rules.maintenance", "facility condition a conversion needs", "0–1", "§7.11", "[A]"),
    _c("OC_LEG_GAIN", "sim.rules.maintenance", "legitimacy gained on conversion", "0–1", "§7.11", "[A]"),
    _c(
        "ACTIVE_WINDOW",
        "sim.rules.participation",
        "a household is active if it acted this recently",
        "weeks",
        "§7.3",
        "[A]",
    ),
    _c(
        "SUPPORTS",
        "sim.compound.canvassing",
        "attitude above which a visited household introduces the canvasser to its neighbours",
        "",
        "§7.5",
        "[A]",
    ),
    _c(
        "BID_SIGMA",
        "sim.rules.maintenance",
        "dispersion of property companies' costs across bidders (log scale)",
        "",
        "§7.11",
        "[A]",
    ),
    _c("CUE_WINDOW", "sim.rules.participation", "weeks a canvassing visit counts as a cue", "weeks", "§7.2", "[A]"),
    _c("COFUND_WEEKS", "sim.rules.payment", "length of the co-funding window", "weeks", "§7.9", "[A]"),
    _c("COFUND_EXTENSION", "sim.rules.payment", "extension when the target is missed", "weeks", "§7.9", "[A]"),
    _c("COFUND_TARGET", "sim.rules.payment", "share of the bill the drive aims for", "share", "§7.9", "[A]"),
    _c(
        "REP_VISITS_PER_WEEK",
        "sim.rules.payment",
        "unpaid households a representative visits a week",
        "households/week",
        "§7.9",
        "[A]",
    ),
    _c(
        "MANAGER_VISITS_PER_MONTH",
        "sim.rules.payment",
        "unpaid households a manager visits a month",
        "households/month",
        "§7.9",
        "[A]",
    ),
    _c(
        "PARTY_VISIT_WEIGHT",
        "sim.rules.payment",
        "weight of a mobilised party representative's visit",
        "×",
        "§7.9",
        "[A]",
    ),
    _c(
        "BELIEF_MEMORY",
        "sim.rules.payment",
        "weight of last belief about others' payments",
        "0–1",
        "§7.9",
        "[L] Fischbacher & Gächter 2010",
    ),
    _c(
        "AVAIL_CONCENTRATION",
        "sim.households",
        "a + b of the Beta spread of households' free time around its mean",
        "",
        "§6",
        "[A] Verba, Schlozman & Brady 1995",
    ),
    _c("MEAN_AREA", "sim.households", "mean floor area of a dwelling in the 2019 stock", "m²", "§6", "[P] E8"),
    _c("HOUSEHOLDS_PER_BUILDING", "sim.topology", "households per building", "households", "§7.1", "[P] E8"),
    _c("WS_K", "sim.topology", "neighbours of a small-world ring", "ties", "§7.1", "[A]"),
    _c("STRONG_TIE", "sim.network", "tie weight counted as social capital", "0–1", "§7.1", "[A]"),
    _c(
        "CUE_TIE",
        "sim.network",
        "tie weight that carries complex contagion and cues",
        "0–1",
        "§7.2",
        "[L] Centola & Macy 2007",
    ),
    _c("DROP_TIE", "sim.network", "tie weight below which a tie is dropped", "0–1", "§7.1", "[A]"),
    _c("NEWCOMER_TIES", "sim.network", "ties a newcomer starts with", "ties", "§7.1", "[A]"),
    _c("NEWCOMER_WEIGHT", "sim.network", "weight of a newcomer's first ties", "0–1", "§7.1", "[A]"),
    _c("NEW_TIE_WEIGHT", "sim.network", "weight of a tie formed at an event", "0–1", "§7.1", "[A]"),
    _c("LIGHT_FACTOR", "sim.items", "value of the top-down light plan relative to a full item", "×", "§7.8", "[D] E5"),
    _c("LIGHT_COST_PER_HH", "sim.items", "cost of the light plan per household", "yuan", "§7.8", "[P] E5"),
)


def structural_table() -> list[dict]:
    """The declared constants with their current values (for ``renosim params --all``)."""
    return [
        {
            "name": c.name,
            "value": c.value,
            "unit": c.unit,
            "meaning": c.meaning,
            "odd": c.odd,
            "source": c.source,
            "module": c.module,
        }
        for c in STRUCTURAL
    ]


__all__ = ["STRUCTURAL", "Constant", "structural_table"]
