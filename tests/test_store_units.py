"""The results store and its verifier, one rule at a time, with the exact verdicts they give.

Each test damages a small finished folder in one way and checks the whole answer — the set of
good chunks, every fault and its reason, or the full one-line message — so that a change to any
rule of experiments/store.py, verify.py, manifest.py or files.py shows (``make mutation``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

from experiments import files
from experiments.manifest import Header, chunk_pieces, listed_parts, parse_header, part_id, part_name, record_problem
from experiments.spec import parse_experiment
from experiments.store import LOCK, MANIFEST, ResultsStore, folder_lock, read_results
from experiments.sweep import run_sweep
from experiments.verify import check_parts, verify_folder
from sim.errors import InputError

SPEC = {
    "name": "units",
    "design": "grid",
    "households": 20,
    "years": 1,
    "seeds": 3,
    "timeseries": True,
    "factors": {"tau_train": [0.0, 0.4]},
}
S0, S1, T0, T2 = (part_name(k, c) for k, c in (("summary", 0), ("summary", 1), ("timeseries", 0), ("timeseries", 2)))
STRAY = "not in the manifest (unfinished, or not written by renosim)"


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished folder: 2 points x 3 seeds, 2 runs per chunk (3 chunks), with timeseries."""
    out = tmp_path_factory.mktemp("units") / "out"
    run_sweep(parse_experiment(SPEC), out, workers=1, chunk_runs=2, progress=False)
    return out


@pytest.fixture
def out(finished, tmp_path):
    dst = tmp_path / "out"
    shutil.copytree(finished, dst)
    return dst


def manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST).read_text())


def started_with(old: dict) -> dict:
    """What a run hands ``ResultsStore.start``: the manifest without what the store adds itself."""
    return {k: v for k, v in old.items() if k not in ("parts", "files", "created")}


def edit(out: Path, change) -> None:
    m = manifest(out)
    change(m)
    (out / MANIFEST).write_text(json.dumps(m))


# -- check_parts ----------------------------------------------------------------------------------


def test_an_intact_folder_has_every_chunk_good_and_no_fault(out):
    assert check_parts(out, manifest(out)) == ({0, 1, 2}, {})


def test_a_missing_summary_part_spoils_its_chunk_only(out):
    (out / S1).unlink()
    good, problems = check_parts(out, manifest(out))
    assert good == {0, 2}
    assert problems == {S1: "missing", part_name("timeseries", 1): "the other part of its chunk is missing or bad"}


def test_a_part_with_other_bytes_is_caught_by_its_hash(out):
    data = bytearray((out / T0).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (out / T0).write_bytes(bytes(data))
    good, problems = check_parts(out, manifest(out))
    assert good == {1, 2}
    assert problems == {
        T0: "content does not match its hash (corrupt or replaced)",
        S0: "the other part of its chunk is missing or bad",
    }


def test_a_row_count_edited_in_the_manifest_is_caught(out):
    edit(out, lambda m: m["parts"][S0].update(rows=3))
    assert check_parts(out, manifest(out))[1][S0] == "row count does not match the manifest"


def test_a_stray_file_among_the_parts_is_a_fault_and_a_writers_temporary_is_not(out):
    (out / "summary" / "notes.txt").write_text("mine")
    (out / "summary" / ".part-00000.parquet.x1.tmp").write_text("half")
    (out / "summary" / ".DS_Store").write_text("hidden, but no writer's temporary")
    (out / "summary" / "part-00001.parquet.tmp").write_text("a temporary's suffix, but not hidden")
    good, problems = check_parts(out, manifest(out))
    assert good == {0, 1, 2}
    assert problems == {f"summary/{n}": STRAY for n in ("notes.txt", ".DS_Store", "part-00001.parquet.tmp")}


@pytest.mark.parametrize(
    "record, why",
    [
        ("abc", "malformed manifest entry"),
        ({"rows": 2}, "malformed manifest entry"),
        ({"rows": 2, "sha256": "abc"}, "malformed manifest entry (sha256 is not 64 hex digits)"),
        ({"rows": 2, "sha256": "A" * 64}, "malformed manifest entry (sha256 is not 64 hex digits)"),
        ({"rows": True, "sha256": "a" * 64}, "malformed manifest entry (rows is not a count)"),
        ({"rows": -1, "sha256": "a" * 64}, "malformed manifest entry (rows is not a count)"),
        ({"rows": 2.0, "sha256": "a" * 64}, "malformed manifest entry (rows is not a count)"),
    ],
)
def test_a_malformed_record_is_named_and_its_file_reported_unlisted(out, record, why):
    edit(out, lambda m: m["parts"].__setitem__(S1, record))
    good, problems = check_parts(out, manifest(out))
    assert good == {0, 2}
    assert problems[S1] == why
    assert record_problem(record) == why


def test_a_record_without_rows_is_fine_where_no_rows_are_counted():
    assert record_problem({"sha256": "0" * 64}, rows=False) is None
    assert record_problem({"sha256": "0" * 64, "rows": 0}) is None


def test_a_name_outside_the_plan_is_listed_but_never_looked_at(out):
    edit(out, lambda m: m["parts"].__setitem__("summary/part-00007.parquet", m["parts"][S0]))
    assert check_parts(out, manifest(out)) == (
        {0, 1, 2},
        {"summary/part-00007.parquet": "listed but not a part name of the chunk plan"},
    )


def test_a_part_copied_over_another_with_its_record_holds_the_wrong_keys(out):
    shutil.copy(out / S0, out / S1)
    edit(out, lambda m: m["parts"].__setitem__(S1, m["parts"][S0]))
    assert check_parts(out, manifest(out))[1][S1] == "holds keys of another chunk"


def _rewrite(out: Path, name: str, change) -> None:
    """Rewrite a part with ``change`` applied and record its new hash and rows (a consistent lie)."""
    frame = change(pd.read_parquet(out / name))
    record = files.write_parquet_atomic(frame, out / name)
    edit(out, lambda m: m["parts"].__setitem__(name, record))


def test_duplicated_keys_are_counted(out):
    _rewrite(out, S0, lambda f: pd.concat([f, f.iloc[:1]], ignore_index=True))
    assert check_parts(out, manifest(out))[1][S0] == "3 rows, not what the 2 runs of its chunk give"
    _rewrite(out, T0, lambda f: pd.concat([f.iloc[:-1], f.iloc[:1]], ignore_index=True))
    assert check_parts(out, manifest(out))[1][T0] == "1 duplicated point/seed/compound/week keys"


def test_a_week_recorded_twice_with_other_values_is_a_duplicated_key(out):
    def change(f):
        f = f.copy()
        run = f.index[(f.point == f.point.iloc[0]) & (f.seed == f.seed.iloc[0])]
        f.loc[run[-1], "week"] = f.loc[run[0], "week"]  # its last week lost, its first twice (other values)
        return f

    _rewrite(out, T0, change)
    assert check_parts(out, manifest(out))[1][T0] == "1 duplicated point/seed/compound/week keys"


def test_a_run_missing_weeks_is_caught(out):
    _rewrite(out, T0, lambda f: f[~((f.seed == 0) & (f.week == 3))])
    assert check_parts(out, manifest(out))[1][T0] == "103 rows, not what the 2 runs of its chunk give"
    _rewrite(out, T0, lambda f: f[~((f.seed == 0) & f.week.isin([3, 4]))])
    assert check_parts(out, manifest(out))[1][T0] == "runs with different numbers of weeks"


def test_a_summary_part_with_two_rows_for_one_run_is_caught(out):
    _rewrite(out, S0, lambda f: f.assign(seed=f.seed.iloc[0], compound=[0, 1]))
    assert check_parts(out, manifest(out))[1][S0] == "holds keys of another chunk"


def test_a_part_that_is_not_parquet_but_matches_its_record_is_unreadable(out):
    (out / S0).write_bytes(b"not parquet")
    edit(out, lambda m: m["parts"].__setitem__(S0, {"rows": 2, "sha256": files.file_sha256(out / S0)}))
    assert check_parts(out, manifest(out))[1][S0] == "unreadable (ArrowInvalid)"


def test_a_dataset_folder_that_is_a_file_or_holds_a_folder_is_refused(out):
    shutil.rmtree(out / "timeseries")
    (out / "timeseries").write_text("x")
    with pytest.raises(InputError, match=r"timeseries is not a folder; move it away"):
        check_parts(out, manifest(out))
    (out / "timeseries").unlink()
    (out / "summary" / "sub").mkdir()
    with pytest.raises(InputError, match=r"summary/sub is a folder among the part files; move it away"):
        check_parts(out, manifest(out))


# -- verify_folder --------------------------------------------------------------------------------


def test_verify_counts_an_intact_folder(out):
    assert verify_folder(out) == {"chunks": 3, "runs": 6, "summary": 6, "timeseries": 6 * 52}


def test_verify_names_the_first_three_faults_and_how_many_more(out):
    for name in (S0, S1, T2, part_name("summary", 2)):
        (out / name).unlink()
    with pytest.raises(InputError) as exc:
        verify_folder(out)
    assert str(exc.value) == (
        f"{out}: NOT verified — 0 of 3 chunks have good parts; 6 faults: {S0}: missing; {S1}: missing; "
        f"summary/part-00002.parquet: missing (+3 more)"
    )


def test_verify_with_one_fault_names_it_and_no_more(out):
    (out / S1).unlink()
    with pytest.raises(InputError) as exc:
        verify_folder(out)
    assert str(exc.value) == (
        f"{out}: NOT verified — 2 of 3 chunks have good parts; 2 faults: {S1}: missing; "
        f"{part_name('timeseries', 1)}: the other part of its chunk is missing or bad"
    )


def test_verify_of_an_unfinished_folder_counts_its_chunks_without_faults(out):
    for name in (part_name("summary", 2), T2):  # chunk 2 never written: not listed, not on disk
        (out / name).unlink()
        edit(out, lambda m, name=name: m["parts"].pop(name))
    with pytest.raises(InputError) as exc:
        verify_folder(out)
    assert str(exc.value) == f"{out}: NOT verified — 2 of 3 chunks have good parts"


def test_verify_of_a_folder_without_manifest_or_a_file(tmp_path):
    with pytest.raises(InputError) as exc:
        verify_folder(tmp_path)
    assert str(exc.value) == f"verify: {tmp_path} holds no renosim results (no manifest.json)"
    with pytest.raises(InputError) as exc:
        verify_folder(tmp_path / "nowhere")
    assert str(exc.value) == f"verify: {tmp_path / 'nowhere'} is not a folder"


def test_verify_checks_points_and_provenance_records(out):
    edit(out, lambda m: m["files"].pop("provenance.json"))
    with pytest.raises(InputError, match="records no hash of provenance.json"):
        verify_folder(out)


def test_verify_names_a_points_file_that_is_not_a_file(out):
    (out / "points.parquet").unlink()
    (out / "points.parquet").mkdir()
    with pytest.raises(InputError) as exc:
        verify_folder(out)
    assert str(exc.value) == (
        f"{out}: NOT verified — 3 of 3 chunks have good parts; 1 fault: points.parquet: not a regular file"
    )


def test_check_parts_of_a_malformed_manifest_names_the_manifest(out):
    with pytest.raises(InputError, match=rf"^{out / MANIFEST}: .*runs"):
        check_parts(out, {**manifest(out), "runs": "6"})


def test_verify_and_the_reader_name_the_manifest_whose_entries_are_wrong(out):
    edit(out, lambda m: m["spec"].__setitem__("seeds", 5))
    with pytest.raises(InputError, match=rf"^{out / MANIFEST}: hash '\w+' is not the recorded spec's"):
        verify_folder(out)
    edit(out, lambda m: m.update(runs=7))
    with pytest.raises(InputError, match=rf"^{out / MANIFEST}: runs = 7 is not points x seeds"):
        read_results(out)


def test_a_manifest_that_cannot_be_opened_is_one_line(out):
    import socket

    (out / MANIFEST).unlink()
    with socket.socket(socket.AF_UNIX) as sock:  # a socket: there, but opening it fails
        sock.bind(str(out / MANIFEST))
        with pytest.raises(InputError) as exc:
            ResultsStore(out).read_manifest()
    assert str(exc.value) == f"{out / MANIFEST}: cannot read (No such device or address)"


def test_json_files_write_paths_and_dates_as_text(tmp_path):
    from datetime import date

    files.write_json_atomic({"out": tmp_path / "R", "day": date(2026, 1, 2)}, tmp_path / "x.json")
    assert json.loads((tmp_path / "x.json").read_text()) == {"out": str(tmp_path / "R"), "day": "2026-01-02"}


def test_an_empty_summary_part_with_a_consistent_record_is_caught_by_its_rows(out):
    _rewrite(out, S0, lambda f: f.iloc[:0])
    assert check_parts(out, manifest(out))[1][S0] == "0 rows, not what the 2 runs of its chunk give"


def test_verify_refuses_a_points_record_without_its_row_count(out):
    edit(out, lambda m: m["files"]["points.parquet"].pop("rows"))
    with pytest.raises(
        InputError, match=r"; 1 fault: points.parquet: malformed manifest entry \(rows is not a count\)$"
    ):
        verify_folder(out)


def test_start_on_resume_of_a_manifest_without_parts_recomputes_everything(out):
    old = manifest(out)
    del old["parts"]
    info = {k: v for k, v in old.items() if k not in ("files", "created")}
    assert ResultsStore(out).start(info, pd.DataFrame({"point": [0, 1]}), old) == set()
    assert manifest(out)["parts"] == {} and not list((out / "summary").iterdir())


def test_a_new_folder_records_when_it_was_started(out, tmp_path):
    from datetime import UTC, datetime, timedelta

    info = started_with(manifest(out))
    before = datetime.now(UTC).replace(microsecond=0)
    ResultsStore(tmp_path / "new").start(info, pd.read_parquet(out / "points.parquet"), None)
    created = datetime.fromisoformat(manifest(tmp_path / "new")["created"])
    assert timedelta(0) <= created - before < timedelta(minutes=10)


def test_verify_checks_the_points_count_against_the_file(out):
    record = files.write_parquet_atomic(pd.DataFrame({"point": [0, 1, 2]}), out / "points.parquet")
    edit(out, lambda m: m["files"].__setitem__("points.parquet", record))
    with pytest.raises(InputError, match=r"points.parquet: holds 3 points, the manifest 2"):
        verify_folder(out)


def test_verify_max_runs_bounds_what_a_manifest_may_claim(out):
    with pytest.raises(InputError, match=r"runs = 6 is above the limit of 5 runs; pass --max-runs N to raise it"):
        verify_folder(out, max_runs=5)
    assert verify_folder(out, max_runs=6)["runs"] == 6


# -- the manifest header and the plan ----------------------------------------------------------------


def header(**change) -> dict:
    doc = {
        "experiment": "e",
        "hash": "h",
        "runs": 6,
        "points": 2,
        "seeds": [0, 2],
        "chunk_runs": 4,
        "chunks": 2,
        "timeseries": False,
    }
    doc.update(change)
    return doc


@pytest.mark.parametrize(
    "change, message",
    [
        ({"runs": 7}, "M: runs = 7 is not points x seeds = 2 x 3"),
        ({"chunks": 3}, "M: chunks = 3 does not cut 6 runs into chunks of 4"),
        ({"seeds": [2, 0]}, "M: seeds = [2, 0] is not a range of seeds from 0 to 9223372036854775807"),
        ({"seeds": [-1, 1], "points": 2}, "M: seeds = [-1, 1] is not a range of seeds from 0 to 9223372036854775807"),
        ({"chunk_runs": 0}, "M: chunk_runs: Input should be greater than or equal to 1 (got 0)"),
        ({"timeseries": 1}, "M: timeseries: Input should be a valid boolean (got 1)"),
    ],
)
def test_a_header_is_checked_as_a_whole(change, message):
    with pytest.raises(InputError) as exc:
        parse_header(header(**change), "M")
    assert str(exc.value) == message


def test_a_header_that_is_not_an_object_or_claims_too_much():
    with pytest.raises(InputError, match=r"^M: unreadable manifest \(not a JSON object\)$"):
        parse_header([1], "M")
    with pytest.raises(InputError, match=r"^M: runs = 6 is above the limit of 5 runs"):
        parse_header(header(), "M", max_runs=5)
    assert parse_header(header(), "M", max_runs=6).runs == 6


def test_chunk_geometry_from_the_header():
    h = parse_header(header(), "M")
    assert (h.n_seeds, h.kinds) == (3, ("summary",))
    assert [h.chunk_runs_of(c) for c in range(2)] == [4, 2]
    assert h.pieces(0) == [(0, 0, 3), (1, 0, 1)] and h.pieces(1) == [(1, 1, 3)]
    assert chunk_pieces(1, 3, 4, 6) == h.pieces(1)
    assert parse_header(header(timeseries=True), "M").kinds == ("summary", "timeseries")


@pytest.mark.parametrize(
    "name, found",
    [
        ("summary/part-00001.parquet", ("summary", 1)),
        ("summary/part-00002.parquet", None),  # beyond the two chunks
        ("summary/part-1.parquet", None),
        ("summary/part-000001.parquet", None),
        ("timeseries/part-00000.parquet", None),  # no timeseries in this experiment
        ("/summary/part-00000.parquet", None),
        (0, None),
    ],
)
def test_only_the_plans_own_names_are_parts(name, found):
    assert part_id(name, Header.model_validate(header())) == found


def test_the_file_set_keeps_good_entries_and_reports_the_rest():
    rec = {"rows": 4, "sha256": "0" * 64}
    h = Header.model_validate(
        header(parts={"summary/part-00000.parquet": rec, "x": rec, "summary/part-00001.parquet": 1})
    )
    good, bad = listed_parts(h)
    assert good == {"summary/part-00000.parquet": ("summary", 0, rec)}
    assert bad == {
        "x": "listed but not a part name of the chunk plan",
        "summary/part-00001.parquet": "malformed manifest entry",
    }


def test_a_long_name_outside_the_plan_is_reported_cut_to_120_characters():
    rec = {"rows": 4, "sha256": "0" * 64}
    name = "summary/" + "x" * 300
    _, bad = listed_parts(Header.model_validate(header(parts={name: rec})))
    assert bad == {name[:120] + "...": "listed but not a part name of the chunk plan"}


# -- the store ------------------------------------------------------------------------------------


def test_the_reader_reads_the_listed_parts_in_plan_order(out):
    frame = read_results(out)
    assert list(frame.point) == [0, 0, 0, 1, 1, 1] and list(frame.seed) == [0, 1, 2, 0, 1, 2]
    parts = pd.concat([pd.read_parquet(out / part_name("summary", c)) for c in range(3)], ignore_index=True)
    pd.testing.assert_frame_equal(frame, parts)
    pd.testing.assert_frame_equal(ResultsStore(out).read(), frame)  # the summary unless told otherwise
    assert len(read_results(out, "timeseries")) == 6 * 52


def test_the_reader_refuses_a_missing_or_changed_part_and_an_unknown_dataset(out):
    with pytest.raises(InputError, match=r"^unknown dataset 'weekly'; allowed: summary, timeseries$"):
        read_results(out, "weekly")
    (out / S1).unlink()
    with pytest.raises(InputError) as exc:
        read_results(out)
    assert str(exc.value) == f"{out / S1} is missing; `renosim verify` lists every fault"


def test_the_reader_of_an_unstarted_folder(tmp_path):
    with pytest.raises(InputError) as exc:
        read_results(tmp_path)
    assert str(exc.value) == f"{tmp_path} holds no renosim results (no manifest.json)"


def test_points_are_read_through_their_hash(out):
    store = ResultsStore(out)
    assert list(store.read_points().label) == ["tau_train=0", "tau_train=0.4"]
    pd.DataFrame({"point": [0]}).to_parquet(out / "points.parquet")
    with pytest.raises(InputError) as exc:
        store.read_points()
    assert str(exc.value) == (
        f"{out / 'points.parquet'} does not match its hash in the manifest (corrupt or replaced); "
        "--resume recomputes it"
    )
    edit(out, lambda m: m["files"].pop("points.parquet"))
    with pytest.raises(InputError, match="records no hash of points.parquet; --resume adds one"):
        store.read_points()


def test_a_manifest_that_is_not_json_is_one_line(out):
    (out / MANIFEST).write_text("{not json")
    with pytest.raises(InputError, match=r"manifest.json: unreadable manifest \(Expecting property name"):
        ResultsStore(out).read_manifest()
    (out / MANIFEST).write_text("[]")
    with pytest.raises(InputError, match=r"manifest.json: unreadable manifest \(not a JSON object\)$"):
        ResultsStore(out).read_manifest()
    (out / MANIFEST).unlink()
    assert ResultsStore(out).read_manifest() is None


IDENTITY = {"experiment": "units", "runs": 6, "points": 2, "seeds": [0, 2], "timeseries": True}


def test_prepare_refuses_what_it_must_and_writes_nothing(out, tmp_path):
    store = ResultsStore(out)
    ident = {**IDENTITY, "hash": manifest(out)["hash"]}
    with pytest.raises(InputError, match=r"already holds results of 'units'; pass --resume to continue it"):
        store.prepare(ident, resume=False)
    with pytest.raises(InputError, match=rf"'units' \(hash {ident['hash']}\), not this one \('units', hash other\)"):
        store.prepare({**ident, "hash": "other"}, resume=True)
    with pytest.raises(InputError, match=r"runs = 6 contradicts the experiment \(7\)"):
        store.prepare({**ident, "runs": 7}, resume=True)
    assert store.prepare(ident, resume=True)["chunk_runs"] == 2
    empty = ResultsStore(tmp_path / "fresh")
    assert empty.prepare(ident, resume=False) is None and not (tmp_path / "fresh").exists()
    with pytest.raises(InputError, match=r"^--resume: .* holds no renosim results \(no manifest.json\); run without"):
        empty.prepare(ident, resume=True)
    (tmp_path / "fresh").mkdir()
    (tmp_path / "fresh" / ".hidden").write_text("")
    assert empty.prepare(ident, resume=False) is None  # hidden files do not make a folder started
    (tmp_path / "fresh" / "x").write_text("")
    with pytest.raises(InputError, match=r"is not empty and holds no renosim manifest; choose another --out"):
        empty.prepare(ident, resume=False)


def test_prepare_refuses_a_chunk_size_that_is_not_a_count(out):
    ident = {**IDENTITY, "hash": manifest(out)["hash"]}
    edit(out, lambda m: m.update(chunk_runs="2"))
    with pytest.raises(InputError, match=rf"^{out / MANIFEST}: chunk_runs: Input should be a valid integer"):
        ResultsStore(out).prepare(ident, resume=True)


def test_prepare_replans_a_chunk_size_edited_down_to_one_run(out):
    ident = {**IDENTITY, "hash": manifest(out)["hash"]}
    edit(out, lambda m: m.update(chunk_runs=1))  # 6 runs in chunks of 1: six chunks, whatever it recorded
    old = ResultsStore(out).prepare(ident, resume=True)
    assert (old["chunk_runs"], old["chunks"]) == (1, 6)


def test_start_on_resume_drops_bad_parts_and_temporaries_but_nothing_else(out):
    store = ResultsStore(out)
    old = manifest(out) | {"created": "2020-01-02T03:04:05+00:00"}  # not a time this run could write
    (out / S1).unlink()
    (out / "summary" / "part-00001 (copy).parquet").write_text("stray")
    (out / "summary" / ".part-00002.parquet.ab.tmp").write_text("half")
    (out / ".manifest.json.cd.tmp").write_text("half")
    (out / "notes.md").write_text("the user's")
    (out / ".gitignore").write_text("*.parquet")  # hidden, but not a writer's temporary
    (out / "notes").mkdir()
    (out / "notes" / "a.txt").write_text("the user's too")
    old["parts"]["../notes.md"] = old["parts"][S0]
    old["parts"]["notes/a.txt"] = old["parts"][S0]  # a file of the folder, but not among the parts
    info = {k: old[k] for k in ("experiment", "hash", "runs", "points", "seeds", "timeseries", "chunk_runs", "chunks")}
    good = store.start(info, pd.read_parquet(out / "points.parquet"), old)
    assert good == {0, 2}
    assert sorted(p.name for p in (out / "summary").iterdir()) == ["part-00000.parquet", "part-00002.parquet"]
    assert not (out / ".manifest.json.cd.tmp").exists() and (out / "notes.md").read_text() == "the user's"
    assert (out / "notes" / "a.txt").read_text() == "the user's too"
    assert (out / ".gitignore").read_text() == "*.parquet"
    assert sorted(manifest(out)["parts"]) == [S0, part_name("summary", 2), T0, T2]
    assert manifest(out)["created"] == old["created"]  # a resumed folder keeps its start
    assert set(manifest(out)["files"]) == {"points.parquet", "provenance.json"}


def test_start_on_resume_of_a_manifest_whose_files_entry_is_not_a_mapping_keeps_the_provenance(out):
    old = manifest(out)
    first = (out / "provenance.json").read_text()
    old["files"] = ["provenance.json"]  # edited: no record to compare with, so the file's own hash is taken
    info = started_with(old)
    ResultsStore(out).start(info, pd.DataFrame({"point": [0, 1]}), old, {"command": "new"})
    assert (out / "provenance.json").read_text() == first
    assert manifest(out)["files"]["provenance.json"]["sha256"] == files.file_sha256(out / "provenance.json")


def test_start_keeps_the_provenance_of_its_start_unless_it_was_edited(out):
    store = ResultsStore(out)
    old = manifest(out)
    first = (out / "provenance.json").read_text()
    store.start(
        started_with(old),
        pd.DataFrame({"point": [0, 1]}),
        old,
        {"command": "new"},
    )
    assert (out / "provenance.json").read_text() == first
    (out / "provenance.json").write_text('{"command": "edited"}')
    store.start(
        started_with(old),
        pd.DataFrame({"point": [0, 1]}),
        old,
        {"command": "new"},
    )
    assert json.loads((out / "provenance.json").read_text()) == {"command": "new"}
    assert manifest(out)["files"]["provenance.json"]["sha256"] == files.file_sha256(out / "provenance.json")


def test_folder_lock_refuses_a_second_holder_with_one_line(tmp_path):
    with folder_lock(tmp_path / "f"):
        assert (tmp_path / "f" / LOCK).exists()
        with pytest.raises(InputError) as exc, folder_lock(tmp_path / "f"):
            pass
    busy = "is in use by another renosim run; wait for it to finish or choose another --out"
    assert str(exc.value) == f"output folder {tmp_path / 'f'} {busy}"
    with folder_lock(tmp_path / "f"):  # released: free again
        pass


# -- files ----------------------------------------------------------------------------------------


def test_atomic_writes_record_what_they_wrote_at_mode_0644(tmp_path):
    old = os.umask(0o077)
    try:
        rec = files.write_parquet_atomic(pd.DataFrame({"a": [1, 2]}), tmp_path / "d" / "x.parquet", {"command": "c"})
        text = files.write_text_atomic(tmp_path / "t.txt", "héllo")
    finally:
        os.umask(old)
    assert rec == {"rows": 2, "sha256": files.file_sha256(tmp_path / "d" / "x.parquet")}
    assert text == {"sha256": files.file_sha256(tmp_path / "t.txt")} and (tmp_path / "t.txt").read_text() == "héllo"
    for p in (tmp_path / "d" / "x.parquet", tmp_path / "t.txt"):
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
    import pyarrow.parquet as pq

    assert json.loads(pq.read_schema(tmp_path / "d" / "x.parquet").metadata[b"renosim.provenance"]) == {"command": "c"}
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["d", "t.txt", "x.parquet"]  # no temporary left


def test_a_frame_with_a_labelled_index_is_written_without_an_index_column(tmp_path):
    import pyarrow.parquet as pq

    frame = pd.DataFrame({"a": [3, 1]}, index=["pilot", "top_down"])  # as a groupby leaves it
    files.write_parquet_atomic(frame, tmp_path / "x.parquet")
    # what DuckDB, R's arrow or polars see: the data columns only, no pandas index
    assert pq.read_table(tmp_path / "x.parquet").to_pydict() == {"a": [3, 1]}


def test_a_failed_write_leaves_no_temporary(tmp_path, monkeypatch):
    def disk_full(table, where):
        Path(where).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.pq, "write_table", disk_full)
    with pytest.raises(OSError, match="No space left"):
        files.write_parquet_atomic(pd.DataFrame({"a": [1]}), tmp_path / "x.parquet")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "name, ok",
    [
        ("a/b.parquet", True),
        ("missing/x", True),
        ("", False),
        ("/etc/passwd", False),
        ("../x", False),
        ("a/../x", False),
        ("./x", False),
        ("a//b.parquet", False),
        ("a/", False),
        ("a\\b", False),
        ("a\0b", False),
        ("x" * 256, False),
        ("a/" + "x" * 253, True),  # 255 characters in all: the longest name taken
        ("a/" + "x" * 254, False),  # each part short enough, the whole too long
        ("link/x", False),
        ("link", False),
        (None, False),
    ],
)
def test_inside_takes_plain_relative_names_without_links(tmp_path, name, ok):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.parquet").write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert (files.inside(tmp_path, name) is not None) == ok
    if ok:
        assert files.inside(tmp_path, name) == tmp_path / name


def test_read_bytes_is_bounded_and_refuses_what_is_not_a_file(tmp_path):
    (tmp_path / "f").write_bytes(b"12345")
    assert files.read_bytes(tmp_path, "f", 5) == b"12345"
    with pytest.raises(InputError, match=r"f: 5 bytes, above the limit of 4$"):
        files.read_bytes(tmp_path, "f", 4)
    (tmp_path / "d").mkdir()
    with pytest.raises(InputError, match=r"d: not a regular file$"):
        files.read_bytes(tmp_path, "d", 5)
    with pytest.raises(FileNotFoundError):
        files.read_bytes(tmp_path, "none", 5)
    (tmp_path / "l").symlink_to(tmp_path / "f")
    with pytest.raises(InputError, match=r"'l' is not a file inside the folder \(a link, or a path that leaves it\)$"):
        files.read_bytes(tmp_path, "l", 5)


def test_check_writable_creates_nothing_and_names_a_file_in_the_way(tmp_path):
    assert files.check_writable(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "f").write_text("")
    with pytest.raises(InputError) as exc:
        files.check_writable(tmp_path / "f")
    assert str(exc.value) == f"output {tmp_path / 'f'} exists and is not a folder; give a folder path"
    with pytest.raises(InputError, match=r"^cannot write to output folder .*/f/x: Not a directory$"):
        files.check_writable(tmp_path / "f" / "x")


def test_check_writable_names_at_most_200_characters_of_a_long_folder(tmp_path):
    (tmp_path / "f").write_text("")
    folder = tmp_path / "f" / ("x" * 250)
    with pytest.raises(InputError) as exc:
        files.check_writable(folder)
    assert str(exc.value) == f"cannot write to output folder {str(folder)[:200]}: Not a directory"
    assert list(tmp_path.iterdir()) == [tmp_path / "f"]


def test_check_writable_probes_the_folder_itself():
    # /proc refuses new files even to root, for whom a read-only mode bit means nothing
    with pytest.raises(InputError, match=r"^cannot write to output folder /proc/self: "):
        files.check_writable("/proc/self")


def test_the_header_holds_a_folder_to_the_runs_bound_it_is_given(out):
    # 2 points x 3 seeds = 6 runs: within a bound of 6, refused under 5 before anything is listed
    assert ResultsStore(out).header(max_runs=6).runs == 6
    with pytest.raises(InputError, match=r"runs = 6 is above the limit of 5 runs; pass --max-runs N to raise it$"):
        ResultsStore(out).header(max_runs=5)


def test_a_folder_of_another_experiment_is_refused_naming_both_in_bounded_length(out):
    edit(out, lambda m: m.update(experiment="e" * 150, hash="h" * 80))
    ident = {**IDENTITY, "hash": "f" * 16}
    with pytest.raises(InputError) as exc:
        ResultsStore(out).prepare(ident, resume=True)
    assert str(exc.value) == (
        f"output folder {out} holds results of experiment {'e' * 100!r} (hash {'h' * 64}), "
        f"not this one ('units', hash {'f' * 16}); choose another --out"
    )


def test_an_edited_identity_entry_is_quoted_in_at_most_100_characters(out):
    edit(out, lambda m: m.update(timeseries="t" * 150))
    ident = {**IDENTITY, "hash": manifest(out)["hash"]}
    with pytest.raises(InputError) as exc:
        ResultsStore(out).prepare(ident, resume=True)
    assert str(exc.value) == (
        f"{out / MANIFEST}: timeseries = {'t' * 100} contradicts the experiment (True); "
        "the manifest was edited or damaged — choose another --out"
    )


@pytest.mark.parametrize("lost", [None, "summary"])
def test_start_removes_every_temporary_of_a_killed_writer_in_each_folder(out, lost):
    old = manifest(out)
    names = [".a.tmp", ".b.tmp", ".c.tmp", ".d.tmp"]
    subs = [s for s in ("", "summary", "timeseries") if s != lost]
    if lost:
        shutil.rmtree(out / lost)  # a dataset folder gone: the others are still cleaned
    for sub in subs:
        for n in names:
            (out / sub / n).write_text("half")
    # other entries, wherever the folder lists them, must not end the sweep (written last: some file
    # systems list the newest first)
    (out / "notes.md").write_text("the user's")
    info = started_with(old)
    ResultsStore(out).start(info, pd.read_parquet(out / "points.parquet"), old)
    for sub in subs:
        assert not [n for n in names if (out / sub / n).exists()], sub
    assert (out / "notes.md").read_text() == "the user's"


def test_provenance_in_a_parquet_file_writes_paths_and_dates_as_text(tmp_path):
    from datetime import date

    import pyarrow.parquet as pq

    record = {"out": tmp_path, "on": date(2026, 1, 2)}
    files.write_parquet_atomic(pd.DataFrame({"x": [1]}), tmp_path / "p.parquet", record)
    meta = pq.read_schema(tmp_path / "p.parquet").metadata[files.PROVENANCE_KEY.encode()]
    assert json.loads(meta) == {"out": str(tmp_path), "on": "2026-01-02"}


def test_a_frame_written_with_provenance_reads_back_with_its_pandas_types(tmp_path):
    frame = pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "regime": pd.Categorical(["pilot", "top_down"])})
    files.write_parquet_atomic(frame, tmp_path / "p.parquet", {"command": "run"})
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "p.parquet"), frame)


def test_verify_names_the_manifest_whose_header_is_malformed(out):
    edit(out, lambda m: m.update(runs="six"))
    with pytest.raises(InputError, match=rf"^{re.escape(str(out / MANIFEST))}: runs"):
        verify_folder(out)


def test_verify_bounds_a_spec_edited_together_with_its_hash_before_listing_it(out):
    # 1,000 seeds x 2 points recorded, the header's counts left as they were: the spec's size is
    # refused at the caller's bound, not listed
    def bigger(m):
        spec = {**m["spec"], "seeds": 1000}
        m.update(spec=spec, hash=parse_experiment(spec).digest())

    edit(out, bigger)
    with pytest.raises(InputError, match=r"spec: points x seeds would run 2 x 1,000 = 2,000 runs; the limit is 1,000"):
        verify_folder(out, max_runs=1000)


def test_verify_names_why_a_points_file_matching_its_hash_is_not_parquet(out):
    import hashlib

    data = b"not a parquet file"
    (out / "points.parquet").write_bytes(data)
    edit(out, lambda m: m["files"]["points.parquet"].update(sha256=hashlib.sha256(data).hexdigest()))
    with pytest.raises(InputError, match=r"points\.parquet: unreadable \(ArrowInvalid\)"):
        verify_folder(out)


def _parquet(frame: pd.DataFrame) -> bytes:
    import io

    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def test_a_summary_part_with_two_compound_rows_for_each_run_is_not_good():
    from experiments.verify import _keys_problem

    # chunk: point 0, seeds 0-1; every run twice (compounds 0 and 1), so the runs agree in size
    rows = pd.DataFrame({"point": [0, 0, 0, 0], "seed": [0, 0, 1, 1], "compound": [0, 1, 0, 1]})
    assert _keys_problem(_parquet(rows), "summary", [(0, 0, 2)], 0) == "a (point, seed) with more than one compound row"
    assert _keys_problem(_parquet(rows.assign(week=0)), "timeseries", [(0, 0, 2)], 0) is None  # weeks may repeat them
    assert _keys_problem(b"not parquet", "summary", [(0, 0, 2)], 0) == "unreadable (ArrowInvalid)"


@pytest.mark.parametrize("faults, more", [(3, ""), (4, " (+1 more)")])
def test_verify_names_three_faults_and_counts_the_rest(out, faults, more):
    for k in range(faults):  # each stray file in a dataset folder is one fault
        (out / "summary" / f"stray-{k}.parquet").write_bytes(b"x")
    with pytest.raises(InputError) as exc:
        verify_folder(out)
    message = str(exc.value)
    assert message.count("stray-") == 3 and message.endswith(more or "(unfinished, or not written by renosim)")


def test_read_bytes_of_a_missing_file_raises_the_oss_file_not_found(tmp_path):
    import errno

    with pytest.raises(FileNotFoundError) as exc:
        files.read_bytes(tmp_path, "absent.parquet", 10)
    assert (exc.value.errno, exc.value.filename) == (errno.ENOENT, str(tmp_path / "absent.parquet"))


def test_read_bytes_refuses_a_fifo_at_once_instead_of_waiting_for_a_writer(tmp_path):
    import threading

    os.mkfifo(tmp_path / "part-00000.parquet")
    outcome = []

    def read():
        try:
            files.read_bytes(tmp_path, "part-00000.parquet", 10)
        except InputError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=30)  # opened without O_NONBLOCK it would block until a writer came
    assert outcome == [f"{tmp_path / 'part-00000.parquet'}: not a regular file"]


@pytest.mark.parametrize("name", [5, None, b"part.parquet", ["part.parquet"]])
def test_a_name_that_is_not_text_is_never_inside_the_folder(tmp_path, name):
    assert files.inside(tmp_path, name) is None


def test_verify_says_a_part_that_is_a_fifo_is_not_a_regular_file(out):
    (out / S0).unlink()
    os.mkfifo(out / S0)
    with pytest.raises(InputError, match=rf"faults: {re.escape(S0)}: not a regular file;"):
        verify_folder(out)
