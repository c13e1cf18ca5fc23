"""Print mutmut's killed share per place (``make mutation``); exit 1 if a gated place is below its bar.

mutmut 3 leaves one ``mutants/<file>.meta`` per mutated file, holding each mutant's exit status.
A mutant counts as killed when a test failed on it (or it ran into mutmut's timeout or was killed for it: it changed
behaviour enough to hang a test); every other status — survived, no tests, not checked,
suspicious — counts against the score. Places are the folders and files named in ``PLACES``.

Survivors judged equivalent (no test can tell them apart from the original: the behaviour is the
same whatever the mutation) are listed in ``EQUIVALENT`` with the reason. They are counted as
neither killed nor against: they leave the score's denominator, and ``--list`` prints them apart.

Run from the project root after ``mutmut run``; ``--list`` also prints the surviving mutants.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Each place, and the share of its mutants the fast test tier must kill (None: reported only).
PLACES: dict[str, float | None] = {
    "sim/rules/": 0.85,
    "sim/compound/": 0.85,
    "experiments/store.py": 0.85,
    "experiments/verify.py": 0.85,
    "experiments/stats.py": 0.85,
    # the store's helpers, split out of store.py and verify.py: held to the same bar
    "experiments/files.py": 0.85,
    "experiments/manifest.py": 0.85,
    "experiments/verify_spec.py": 0.85,
}
# mutmut's exit codes for killed and timed out; -9 is SIGKILL (mutmut's CPU limit after SIGXCPU, or the
# kernel's for a mutated loop that grows without end): the mutant hung its tests, which mutmut calls
# "segfault"
KILLED = {1, 3, 36, 24, -24, 152, 255, -9}

_UNIFORM_TIE = "<= for < against a continuous uniform: ties have measure 0"
_BOOL_NONE = "= None for = False: a bool array stores None as False"
_INT64 = "np.array of Python ints is int64 with or without dtype"
_SORT_KIND = "another sort kind for argsort of distinct uniform draws: every kind gives the one order"
_BOOL_COLUMN_NONE = "= None for = False: a bool column stores None as False"
_DEFENCE = "redundant guard: a name that passes it resolves to a folder, which the is_dir() check never deletes"
#: Surviving mutants that behave exactly as the original, and why (``mutmut show NAME`` prints each).
EQUIVALENT: dict[str, str] = {
    "experiments.store.xǁResultsStoreǁ_remove_part_file__mutmut_3": (
        "rpartition for partition: a name with two '/' is refused either way (kind not a dataset, or '/' in entry)"
    ),
    "experiments.store.xǁResultsStoreǁ_remove_part_file__mutmut_13": _DEFENCE + " ('summary/' is the folder itself)",
    "experiments.store.xǁResultsStoreǁ_remove_part_file__mutmut_14": _DEFENCE + " ('summary/.')",
    "experiments.store.xǁResultsStoreǁ_remove_part_file__mutmut_15": _DEFENCE + " ('summary/..' is the results folder)",
    **{
        f"experiments.files.x_check_writable__mutmut_{n}": "the name of the probe file, which is removed at once"
        for n in (13, 15, 17, 18)
    },
    **{
        f"experiments.files.x_write_json_atomic__mutmut_{n}": "the JSON's indentation: readers parse it, unhashed"
        for n in (6, 10, 13)
    },
    **{
        f"experiments.files.x_write_json_atomic__mutmut_{n}": "the JSON's key order: readers parse it, unhashed"
        for n in (7, 11, 14)
    },
    "experiments.files.x_write_text_atomic__mutmut_4": "'UTF-8' for 'utf-8': the same codec",
    "experiments.store.xǁResultsStoreǁ__init____mutmut_3": "manifest None, not {}, until start() sets it before use",
    **{
        f"experiments.store.xǁResultsStoreǁprepare__mutmut_{n}": (
            "the parts are checked too, not just the dataset folders: slower, the same refusals (the result is unused)"
        )
        for n in (69, 70, 71)
    },
    "experiments.verify.x__keys_problem__mutmut_55": (
        "unreachable message: part_problem already requires one row per run, so a doubled key leaves one missing"
    ),
    **{
        f"experiments.files.x_read_bytes__mutmut_{n}": "the text of a FileNotFoundError, which every caller rewords"
        for n in (17, 22, 23)
    },
    **{
        f"experiments.files.x_read_bytes__mutmut_{n}": (
            "the read after fstat's size check: differs only for a file that grows while it is read, "
            "which needs a concurrent writer no test can time"
        )
        for n in (41, 43, 45)
    },
    "experiments.files.x_read_bytes__mutmut_14": (
        "O_NOFOLLOW dropped: inside() has refused links already; it guards a link swapped in between the two, "
        "a race no test can time"
    ),
    "experiments.files.x_inside__mutmut_22": (
        "the '.' part test: PurePosixPath drops '.' parts, so such a name differs from its normal form, refused before"
    ),
    "experiments.verify.x_part_problem__mutmut_39": "summary bound: part_problem already requires rows == runs",
    "experiments.store.xǁResultsStoreǁread_manifest__mutmut_12": "'UTF-8' for 'utf-8': the same codec",
    "experiments.store.xǁResultsStoreǁread_manifest__mutmut_16": (
        "a cut at 201 for 200: the first line of a JSON or UTF-8 decoding error is far shorter"
    ),
    **{
        f"experiments.manifest.x_max_part_rows__mutmut_{n}": "summary bound: part_problem already requires rows == runs"
        for n in (3, 6, 7)
    },
    **{
        f"experiments.files.x_write_parquet_atomic__mutmut_{n}": "ASCII-escaped provenance JSON: the same once parsed"
        for n in (13, 16, 18)
    },
    **{
        f"experiments.verify.x__keys_problem__mutmut_{n}": "the expected keys' index names: Index.equals ignores names"
        for n in (27, 29, 35, 36, 37, 38)
    },
    **{
        f"experiments.store.xǁResultsStoreǁstart__mutmut_{n}": "mkdir without parents: the caller's lock made it"
        for n in (1, 3, 5)
    },
    **{
        f"experiments.verify.x_verify_folder__mutmut_{n}": (
            "unreachable message: every chunk good means summary rows == runs (each holds one row per run)"
        )
        for n in (77, 78, 79)
    },
    "experiments.files.x_file_sha256__mutmut_12": "'SHA256' for 'sha256': hashlib takes either spelling",
    "sim.compound.management.x_reform_due__mutmut_11": "since > 1 for since > 0: 1 is no multiple of 52 either",
    "sim.compound.canvassing.x__visit_cold__mutmut_2": (
        "n >= 0 for n > 0: at n = 0 one more pass takes an empty slice and breaks; canvass_pos is reset next call"
    ),
    "sim.compound.canvassing.x__visit_cold__mutmut_16": (
        "return for break on an empty take: unreachable, visit() returns before an empty order and the"
        " position wraps to 0 before it reaches the end"
    ),
    "sim.compound.construction.x_form_supervision_team__mutmut_37": (_UNIFORM_TIE),
    **{f"sim.compound.construction.x_form_supervision_team__mutmut_{n}": (_SORT_KIND) for n in (41, 43, 53)},
    "sim.compound.deliberation.x_propose__mutmut_18": _UNIFORM_TIE,
    **{f"sim.compound.deliberation.x_propose__mutmut_{n}": (_SORT_KIND) for n in (22, 24, 26)},
    "sim.compound.deliberation.x_consensus__mutmut_32": "approval(None) for approval(t): sign-offs ignore the week",
    "sim.compound.management.x_renew__mutmut_41": (
        "stream 4 for 3 of the CONVERSION purpose: another independent uniform, the same law"
    ),
    "sim.compound.management.x_renew__mutmut_42": _UNIFORM_TIE,
    **{
        f"sim.compound.followup.x_visit_unpaid__mutmut_{n}": "np.array of one Python int is int64 with or without dtype"
        for n in (10, 12)
    },
    "sim.compound.management.x_company_enters__mutmut_13": (
        "stream 3 for 2 of the MGMT_BODY purpose: another independent uniform, the same law (no other draw"
        " uses that purpose); only a pinned number could tell, and no pinned run has a company enter"
    ),
    "sim.compound.management.x_company_enters__mutmut_14": _UNIFORM_TIE,
    "sim.compound.management.x_renew__mutmut_16": (
        "since >= 0 for since > 0: management runs from the week after LONG_TERM begins (since >= 1)"
    ),
    "sim.compound.management.x_renew__mutmut_17": "since > 1 for since > 0: 1 is no multiple of 52 either",
    "sim.compound.core.xǁCompoundǁstep__mutmut_6": "delivered = None for False: a bool column stores None as False",
    "sim.compound.showing.x_context__mutmut_36": (
        "since >= 0 for since > 0: LONG_TERM begins in a compound's own step, so its first context is at since 1"
    ),
    "sim.compound.showing.x_context__mutmut_37": "since > 1 for since > 0: 1 is no multiple of QUARTER either",
    "sim.compound.showing.x_context__mutmut_56": "notice_due = None for False: a bool column stores None as False",
    **{
        f"sim.compound.followup.x_follow_up__mutmut_{n}": (
            "visit counts as float64: whole numbers of visits compare the same against the count done"
        )
        for n in (3, 5)
    },
    **{f"sim.compound.followup.x_follow_up__mutmut_{n}": _INT64 for n in (40, 42)},
    "sim.compound.followup.x_follow_up__mutmut_44": (
        "reshape(-2, 2) for (-1, 2): numpy takes any negative size as the rest"
    ),
    "sim.compound.followup.x__flat__mutmut_9": "copy=True for copy=False: the flat array is only read",
    **{f"sim.compound.followup.x__flat__mutmut_{n}": _INT64 for n in (11, 13)},
    **{f"sim.compound.management.x_bill_month__mutmut_{n}": _INT64 for n in (4, 6)},
    "sim.compound.management.x_expected_fee_revenue__mutmut_37": "met / 1.0 for met * 1.0: the same floats",
    "sim.compound.deliberation.x_vote__mutmut_16": (
        "votes_yes on no voters for the empty default: an empty sum is an empty yes either way"
    ),
    "sim.compound.deliberation.x_vote__mutmut_21": "an empty float yes for an empty bool one: both sum to 0",
    "sim.compound.deliberation.x_vote__mutmut_24": (
        "one False for no yes with no voters: both sum to 0 and the yes share is 0.0 without voters"
    ),
    **{
        name: _BOOL_NONE
        for name in (
            "sim.compound.deliberation.x_act__mutmut_51",
            "sim.compound.deliberation.x_act__mutmut_66",
            "sim.compound.cofunding.x_fundraise__mutmut_47",
            "sim.compound.construction.x_complete__mutmut_26",
        )
    },
    "sim.compound.construction.x_complete__mutmut_7": "completed(None) for completed(t): both hooks ignore the week",
    "sim.compound.core.xǁCompoundǁapplication_ready__mutmut_1": (
        "approval(None) for approval(t): sign-offs ignore the week"
    ),
    "sim.compound.application.x_start_project__mutmut_12": (
        "CANVASS − 1 for CANVASS + 1: another independent shuffle (sub-draw 255 of QUIT, which takes"
        " no sub-draws), the same law; only a pinned number could tell"
    ),
    "sim.compound.application.x_consent_drive__mutmut_24": (_UNIFORM_TIE),
    "sim.compound.canvassing.x__frontier__mutmut_20": _BOOL_NONE,
    "sim.compound.application.x_try_team__mutmut_27": "> for >= against a continuous uniform: ties have measure 0",
    **{
        name: _BOOL_NONE
        for name in ("sim.compound.canvassing.x_new_round__mutmut_6", "sim.compound.canvassing.x_visit__mutmut_34")
    },
    "sim.compound.canvassing.x_new_round__mutmut_7": (
        "a round starting all reached for none: the first visit finds no frontier and starts the round"
        " afresh (reached is read nowhere else)"
    ),
    **{
        f"sim.compound.canvassing.x_visit__mutmut_{n}": (
            "another sort kind for argsort of distinct ranks (a permutation): every kind gives the one order"
        )
        for n in (45, 47, 49)
    },
    **{
        name: _BOOL_NONE
        for name in (
            "sim.compound.application.x_try_team__mutmut_45",
            "sim.compound.cofunding.x_plan_approved__mutmut_16",
        )
    },
    "sim.compound.deliberation.x_record_unmet__mutmut_18": (
        "n_dem >= 0 for n_dem > 0: where nothing is demanded nothing is missing, and 0 / max(0, 1) is the 0.0"
    ),
    **{
        f"sim.compound.followup.x__flat__mutmut_{n}": "another copy flag for astype: the flat array is only read"
        for n in (5, 7, 30, 32, 34)
    },
    # weekly.step_all's masks only skip work: Compound.step, the reference it is tested against in
    # every context case, books the office and runs the stage procedure (management.act: renew and
    # decide_form) every week. A mutant that widens a mask runs more of that reference's calls.
    **{
        f"sim.compound.weekly.x_step_all__mutmut_{n}": (
            "steps the quiet compounds too: a quiet compound's week (no complaint, no team possible before"
            " it is aware, no project to book) changes nothing, which is what makes it quiet"
        )
        for n in (3, 4, 9)
    },
    "sim.compound.weekly.x_step_all__mutmut_19": "delivered = None for False: a bool column stores None as False",
    **{
        f"sim.compound.weekly.x_step_all__mutmut_{n}": (
            "a wider meeting or anniversary mask: more managed compounds renew and decide their form, as"
            " Compound.step does every week (renew and decide_form change nothing where nothing is due)"
        )
        for n in (33, 34, 55, 72, 73, 81, 89)
    },
    **{
        f"sim.compound.weekly.x_step_all__mutmut_{n}": (
            "since >= 0 or > 1 for since > 0: nothing enters LONG_TERM before step_all in its week, and 1"
            " is no multiple of 13 or 52"
        )
        for n in (35, 36, 74, 75)
    },
    **{
        f"sim.compound.weekly.x_step_all__mutmut_{n}": (
            "books every active compound: the office books zero hours for a compound with no project and"
            " no escalation (as Compound.step does), and progress_for reads a zero demand as none"
        )
        for n in (50, 52)
    },
    "sim.compound.weekly.x_step_all__mutmut_62": (
        "fee(None) for fee(all rows): an added axis; flatnonzero finds the same compounds"
    ),
    "sim.compound.weekly.x_step_all__mutmut_87": (
        "more compounds in the loop: those not due only book the office, as the mask books decides"
    ),
    **{
        f"sim.compound.weekly.x_step_all__mutmut_{n}": (
            "a wider ballot_due update: it is read only at a managed council's quarterly meeting, and every"
            " managed council's value is recomputed every week (here, or by renew with the same test)"
        )
        for n in (116, 117, 118, 119)
    },
    "sim.compound.core.xǁCompoundǁbegin__mutmut_14": "delay_total = for += at t = 0: it starts at 0.0",
    "sim.compound.showing.x_columns__mutmut_103": (
        "max(window_len, 2) for max(window_len, 1): a window is at least COFUND_WEEKS = 12 long"
    ),
    **{
        f"sim.compound.showing.x_columns__mutmut_{n}": (
            "since >= 0 or > 1 for since > 0: LONG_TERM begins in a compound's own step, so its first"
            " context is at since 1, and 1 is no multiple of 13 or 52"
        )
        for n in (33, 34, 45, 46)
    },
    "sim.compound.showing.x_columns__mutmut_75": "/ 1.0 for * 1.0: the same floats",
    "sim.compound.showing.x_columns__mutmut_226": (
        "event=None for event=False: the schedule tests it for truth (None is falsy), so the same weeks"
    ),
    **{
        f"sim.compound.showing.x_fill__mutmut_{n}": (
            "fills more rows, or keeps rows from a week earlier or later: a kept row is the compound's"
            " context afresh (test_a_citys_context_rows_kept_for_waiting_compounds_are_their_context_afresh)"
        )
        for n in (2, 3, 7, 8, 11, 33, 34)
    },
    **{
        f"sim.compound.showing.x_fill__mutmut_{n}": (
            "marks other rows ready to keep: quiet_compounds keeps only rows of compounds waiting unaware"
            " in AWARE, and a compound gets there only through become_aware, which clears the mark"
        )
        for n in (35, 37)
    },
    "sim.compound.showing.x_opened__mutmut_2": _BOOL_COLUMN_NONE,
    **{f"sim.compound.showing.x_columns__mutmut_{n}": "/ 1.0 for * 1.0: the same floats" for n in (270, 278, 283)},
    **{
        f"sim.compound.table.xǁCompoundTableǁballot_needed__mutmut_{n}": (
            "formed_week > 0 or >= 1 for >= 0: no council is elected in week 0 (the first attempt is in week 1)"
        )
        for n in (4, 5)
    },
    **{
        name: "initial value overwritten before it is read: " + why
        for name, why in {
            "sim.compound.cofunding.x_init_state__mutmut_1": "plan_approved sets the bill",
            "sim.compound.cofunding.x_init_state__mutmut_4": "plan_approved opens the window",
            "sim.compound.cofunding.x_init_state__mutmut_6": "plan_approved opens the window unextended",
            "sim.compound.cofunding.x_init_state__mutmut_7": "plan_approved opens the window unextended",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_81": "every sign-off's weeks are set by approval()",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_82": "every sign-off's weeks are set by approval()",
            "sim.compound.formation.x_init_state__mutmut_1": "start_project sets when formation starts",
            "sim.compound.formation.x_init_state__mutmut_2": "start_project sets when formation starts",
            "sim.compound.formation.x_init_state__mutmut_4": "start_project sets the first attempt",
        }.items()
    },
    **{
        f"sim.compound.cofunding.x_init_state__mutmut_{n}": (
            "an empty float order for an empty int one: follow_up takes it as int64 (or draws one)"
        )
        for n in (15, 17)
    },
    "sim.compound.construction.x_init_state__mutmut_4": "float('NAN') for float('nan'): the same NaN",
    "sim.compound.core.xǁCompoundǁ__init____mutmut_19": "nine sub-keys for eight: the ninth is never read",
    "sim.compound.core.xǁCompoundǁ__init____mutmut_29": (
        "the model's parameters even when others are given: no caller gives a compound its own"
    ),
    "sim.compound.core.xǁCompoundǁ__init____mutmut_48": (
        "a council object for every compound: one never elected is inactive, and every reader asks"
        " council_active (or the election's status) first"
    ),
    **{
        name: "initial value overwritten before it is read: " + why
        for name, why in {
            "sim.compound.application.x_init_state__mutmut_7": "try_team starts the drive",
            "sim.compound.application.x_init_state__mutmut_8": "try_team starts the drive",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_102": "the household phase sets each week's complaints",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_92": "the model computes social capital at set-up",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_93": "the model computes social capital at set-up",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_98": "begin() enters the first stage at week 0",
            "sim.compound.management.x_init_state__mutmut_13": (
                "ballot_due is read at a managed council's quarterly meeting, recomputed every week before"
            ),
        }.items()
    },
    **{
        name: _BOOL_COLUMN_NONE
        for name in (
            "sim.compound.core.xǁCompoundǁ__init____mutmut_103",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_94",
            "sim.compound.core.xǁCompoundǁ__init____mutmut_99",
            "sim.compound.management.x_init_state__mutmut_12",
        )
    },
    "sim.compound.table.xǁColumnǁ__set_name____mutmut_1": (
        "runs at import (class creation), before mutmut's trampoline selects a mutant: no test can reach it"
    ),
    **{
        f"sim.rules.approval.x_approval_delay__mutmut_{n}": (
            "asarray without dtype=float: integer sign-off weeks sum and max to the same values"
        )
        for n in (3, 5)
    },
    **{
        f"sim.rules.intention.x_efficacy__mutmut_{n}": "asarray without dtype=float: 25.0 / an integer size is a float"
        for n in (10, 12)
    },
    "sim.rules.intention.x_intention__mutmut_1": "(z >= 0) / 1.0 for * 1.0: the same 0.0 and 1.0",
    "sim.rules.attitude.x_satisfaction__mutmut_19": (
        "the inner fallback divisor 2 for 1: it only keeps the division finite where the outer where takes 1"
    ),
    "sim.rules.attitude.x_satisfaction__mutmut_20": "ratio 2 for 1 where nothing is demanded: min(1, ratio) caps both",
    "sim.rules.council.x_legitimacy__mutmut_28": (
        "cap 2 for 1: the terms sum to at most 0.4 + 0.3 + 0.3·certified = 1 for certified in [0, 1]"
    ),
    "experiments.stats.x_compare_arms__mutmut_21": "astype(None) for astype(float): pandas reads None as float64",
    **{
        f"experiments.stats.x_compare_arms__mutmut_{n}": (
            "xs without level= selects on the first index level, which is the arm (set_index([arm, ...]))"
        )
        for n in (26, 28, 32, 34)
    },
    **{
        f"experiments.store.xǁResultsStoreǁread__mutmut_{n}": "concat's index: sort_rows resets it after sorting"
        for n in (15, 17, 22)
    },
    **{
        f"experiments.store.xǁResultsStoreǁstart__mutmut_{n}": (
            "the provenance JSON's layout (indentation, ASCII escapes): the same once parsed, hashed as written"
        )
        for n in (64, 65, 67, 68, 69, 70)
    },
    **{
        f"experiments.store.xǁResultsStoreǁ_kept_provenance__mutmut_{n}": (
            "the default of files.get inside the branch that found 'files' a mapping: never used"
        )
        for n in (16, 18)
    },
    **{
        f"experiments.store.xǁResultsStoreǁ_remove_temporaries__mutmut_{n}": (
            "missing_ok: the file was listed a moment before under the folder's lock; no other remover runs"
        )
        for n in (21, 22)
    },
    "experiments.stats.x_compare_arms__mutmut_101": (
        ">= for >: a computed interval width equal to the rounding bound to the last bit; no data reaches it"
    ),
    "experiments.stats.x_compare_arms__mutmut_66": (
        "an outer join for the inner one: the unmatched seeds pair with NaN, which paired_diff leaves out"
    ),
}


def results(root: Path = Path("mutants")) -> dict[str, dict[str, int | None]]:
    """``{source file: {mutant: exit status}}`` from mutmut's meta files."""
    out = {}
    for meta in sorted(root.rglob("*.py.meta")):
        source = str(meta.relative_to(root)).removesuffix(".meta")
        out[source] = json.loads(meta.read_text())["exit_code_by_key"]
    return out


def main(argv: list[str]) -> int:
    found = results()
    if not found:
        print("no mutmut results in mutants/ (run `make mutation`)", file=sys.stderr)
        return 2
    failed = []
    for place, bar in PLACES.items():
        codes = {k: v for src, byk in found.items() if src == place or src.startswith(place) for k, v in byk.items()}
        if not codes:
            print(f"{place:24s} no mutants")
            continue
        equivalent = sorted(k for k, v in codes.items() if k in EQUIVALENT and v not in KILLED)
        codes = {k: v for k, v in codes.items() if k not in equivalent}
        killed = sum(v in KILLED for v in codes.values())
        share = killed / len(codes) if codes else 1.0
        gate = "" if bar is None else ("  ok" if share >= bar else f"  BELOW {bar:.0%}")
        unrun = sum(v is None for v in codes.values())
        extra = (f", {len(equivalent)} equivalent left out" if equivalent else "") + (
            f", {unrun} not run yet" if unrun else ""
        )
        print(f"{place:24s} {killed:5d} of {len(codes):5d} killed ({share:.1%}{extra}){gate}")
        if bar is not None and share < bar:
            failed.append(place)
        if "--list" in argv:
            for k, v in sorted(codes.items()):
                if v not in KILLED and v is not None:
                    print(f"    survived ({v}): {k}")
            for k in equivalent:
                print(f"    equivalent: {k}: {EQUIVALENT[k]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
