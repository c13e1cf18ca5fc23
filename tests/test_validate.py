"""Targets files and ``renosim validate``: scoring, exit codes, one-line errors for bad files."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.targets import load_targets
from sim.errors import InputError

NANNING = Path(__file__).resolve().parents[1] / "configs" / "targets" / "nanning.yaml"

SMALL = """
name: small
runs: {seeds: 20, households: 60, years: 5}
patterns:
  - {id: support, kind: hard, scope: compound, regime: top_down, metric: support_t0, target: 0.85, tolerance: 0.1}
  - {id: pe, kind: ordinal, scope: compound, metric: fee_collection, better: three_integrations, worse: top_down}
  - {id: city, kind: hard, scope: city, metric: rollout, target: 514, tolerance: 51, reason: "needs city mode"}
  - {id: gap, kind: hard, scope: compound, regime: pilot, metric: support_t0, target: 0.5, tolerance: 0.01,
     reason: "a known gap"}
  - {id: met, kind: hard, scope: compound, regime: pilot, metric: support_t0, target: 0.85, tolerance: 0.1,
     reason: "thought out of reach"}
  - {id: vague, kind: hard, scope: compound, regime: pilot, metric: support_t0, reason: "no tolerance known"}
  - id: demand
    kind: order
    scope: compound
    regime: pilot
    metrics: [item_support_basic_t0, item_support_improvement_t0, item_support_enhancement_t0]
"""


HEAD = "name: x\npatterns:\n  - "


def renosim(*args):
    return subprocess.run([sys.executable, "-m", "experiments", *args], capture_output=True, text=True, timeout=600)


def test_the_nanning_targets_file_is_valid_and_lists_every_pattern_family():
    t = load_targets(NANNING)
    ids = {p.id.split("-")[0] for p in t.patterns}
    # every hard, ordinal and band pattern of ODD §9
    assert {"PA1", "PA2", "PA3", "PB1", "PB2", "PC1", "PC2", "PD1", "PD2", "PD3", "PD4", "PE"} <= ids
    assert {p.id for p in t.patterns if p.scope == "city"} == {
        "PB1",
        "PC1",
        "PC1-no-stalling",
        "PC1-applications-2020",
        "PC2",
        "PD1",
        "PD1-households",
        "PD2-council-share",
        "PD2-representatives-city",
        "PD3",
    }


def test_default_parameters_pass_every_nanning_pattern():
    # the acceptance check: the shipped defaults reproduce ODD §9 (200 paired seeds, one city run)
    r = renosim("validate", str(NANNING), "--json")
    rows = json.loads(r.stdout)
    failed = [(row["id"], row["simulated"], row["target"]) for row in rows if row["status"] == "fail"]
    assert r.returncode == 0 and not failed, failed
    # the patterns the model cannot reach are listed with their reasons, not dropped; where the
    # measure exists its simulated value is shown
    unreachable = {row["id"]: row for row in rows if row["status"] == "not reachable"}
    assert set(unreachable) == {"PE-consensus", "PD2-representatives-city", "PD1-households"}
    assert "no consensus process" in unreachable["PE-consensus"]["note"]
    # the renovated compounds are larger than the stock (PD3 passes) but not as large as Nanning's
    households = unreachable["PD1-households"]
    assert 0.85 * 75317 <= households["simulated"] < 0.9 * 75317
    assert 0 < unreachable["PD2-representatives-city"]["simulated"] < 6.84


def test_validate_scores_patterns_and_exits_0_when_hard_ones_pass(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL)
    r = renosim("validate", str(f), "--json")
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    assert rows["support"]["status"] == "pass"
    assert rows["pe"]["status"] == "pass" and rows["pe"]["simulated"] > 0
    assert rows["city"]["status"] == "not reachable" and rows["city"]["note"] == "needs city mode"
    assert rows["demand"]["status"] == "pass" and rows["demand"]["low"] > 0
    # a pattern with a reason is still scored: a miss is 'not reachable' (exit 0), a hit passes
    assert rows["gap"]["status"] == "not reachable" and rows["gap"]["simulated"] > 0.7
    assert rows["gap"]["note"] == "a known gap"
    assert rows["met"]["status"] == "pass"
    assert rows["vague"]["status"] == "not reachable" and rows["vague"]["simulated"] is None  # listed only


def test_validate_exits_1_when_an_order_is_broken(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(
        SMALL.replace(
            "item_support_basic_t0, item_support_improvement_t0", "item_support_improvement_t0, item_support_basic_t0"
        )
    )
    r = renosim("validate", str(f), "--json")
    assert r.returncode == 1
    assert {row["id"]: row["status"] for row in json.loads(r.stdout)}["demand"] == "fail"


def test_validate_exits_1_when_a_hard_pattern_fails(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL.replace("target: 0.85, tolerance: 0.1", "target: 0.5, tolerance: 0.01"))
    r = renosim("validate", str(f), "--json")
    assert r.returncode == 1
    assert {row["id"]: row["status"] for row in json.loads(r.stdout)}["support"] == "fail"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("name: x\npatterns: [\n", "malformed YAML"),
        ("name: x\npatterns: []\n", "'patterns' is empty"),
        ("name: x\nextra: 1\npatterns: []\n", "extra"),
        (
            HEAD + "{id: a, kind: hard, scope: compound, regime: pilot, metric: nope, target: 1, tolerance: 1}\n",
            "unknown metric 'nope'",
        ),
        (
            HEAD + "{id: a, kind: hard, scope: compound, regime: pilot, metric: support_t0, target: 1}\n",
            "tolerance",
        ),
        ("name: x\npatterns:\n  - {id: a, kind: hard, scope: city, metric: m, target: 1, tolerance: 1}\n", "reason"),
        ("name: x\npatterns:\n  - {id: a, kind: exact, scope: compound, metric: support_t0}\n", "kind"),
        (HEAD + "{id: a, kind: order, scope: compound, regime: pilot, metrics: [support_t0]}\n", "two or more"),
        (HEAD + "{id: a, kind: order, scope: compound, regime: pilot, metrics: [support_t0, nope]}\n", "'nope'"),
        (HEAD + "{id: a, kind: ordinal, scope: city, metric: admitted_2020, better: pilot, worse: top_down}\n", "city"),
    ],
)
def test_bad_targets_exit_2_with_one_line(tmp_path, text, fragment):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(InputError):
        load_targets(f)
    r = renosim("validate", str(f))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and fragment in r.stderr, r.stderr


def test_missing_targets_file_exits_2(tmp_path):
    r = renosim("validate", str(tmp_path / "none.yaml"))
    assert r.returncode == 2 and "file not found" in r.stderr


def test_validate_prints_levels_and_differences_apart_with_a_summary_line(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL)
    r = renosim("validate", str(f))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "simulated level" in r.stdout and "simulated difference" in r.stdout and "unit" in r.stdout
    assert lines[-1] == "4 pass, 3 not reachable, 0 fail"  # SMALL: support, pe, met, demand pass
    pe = next(line for line in lines if line.startswith("│ pe "))
    level, diff = [c.strip() for c in pe.split("│")[5:7]]
    assert " vs " in level and diff.startswith("0.") and "[" in diff  # the difference is not in the level column
    support = next(line for line in lines if line.startswith("│ support "))
    assert support.split("│")[6].strip() == ""  # a level has no difference
    vague = next(line for line in lines if line.startswith("│ vague "))
    assert vague.split("│")[5].strip() == "n/a"  # not measured: n/a, never 0


def test_validate_below_the_sound_seed_count_warns_and_never_exits_0(tmp_path):
    # issue 21, item 11: `validate --seeds 2` failed 2 of 30 patterns by noise without saying why
    f = tmp_path / "t.yaml"
    f.write_text(SMALL.replace("runs: {seeds: 20,", "runs: {seeds: 20, min_seeds: 10,"))
    few = renosim("validate", str(f), "--json", "--seeds", "4")
    assert few.returncode == 1, few.stderr
    warnings = [line for line in few.stderr.splitlines() if line.startswith("renosim: warning:")]
    assert warnings and "4 paired seeds are too few" in warnings[0] and "min_seeds: 10" in warnings[0]
    assert {row["id"]: row["status"] for row in json.loads(few.stdout)}["support"] == "pass"  # the table is kept
    enough = renosim("validate", str(f), "--json", "--seeds", "10")
    assert enough.returncode == 0 and "warning" not in enough.stderr, enough.stderr


def test_the_shipped_targets_name_their_sound_seed_count():
    t = load_targets(NANNING)
    assert t.runs.min_seeds == 136 and t.runs.seeds >= t.runs.min_seeds


def test_min_seeds_above_the_seeds_is_refused(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(SMALL.replace("runs: {seeds: 20,", "runs: {seeds: 20, min_seeds: 30,"))
    r = renosim("validate", str(f))
    assert r.returncode == 2 and "min_seeds" in r.stderr and r.stderr.count("\n") == 1
