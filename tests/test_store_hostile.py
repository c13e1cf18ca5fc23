"""A results store that cannot be turned against its user (issue 21, items 1-3).

Each case starts from the issue's folder R (a 3 x 4 grid, 40 households, 1 year, two runs per
chunk), damages it as a careless hand or a hostile manifest would, and checks the three things
that read the folder — the reader, ``renosim verify`` and ``--resume`` — agree on its file set,
never touch a path outside it, and answer with correct data or one line and exit 2.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from clirun import captured

from experiments.cli import main
from experiments.manifest import chunk_pieces, chunk_plan
from experiments.spec import parse_experiment
from experiments.store import MANIFEST, read_results
from experiments.sweep import run_sweep
from sim.errors import InputError

SPEC = {
    "name": "small",
    "design": "grid",
    "households": 40,
    "years": 1,
    "seeds": 4,
    "factors": {"tau_train": [0.0, 0.2, 0.4]},
}


# -- watching what is opened, listed or deleted outside the folder ------------------------------

_WATCHED: list[str] = []
SEEN: list[tuple[str, str]] = []
_EVENTS = {"open", "os.remove", "os.unlink", "os.rmdir", "os.rename", "os.replace", "os.listdir", "os.scandir"}


def _audit(event: str, args: tuple) -> None:
    if not _WATCHED or event not in _EVENTS or not args or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = os.fsdecode(args[0])
    flags = args[2] if event == "open" and len(args) > 2 and isinstance(args[2], int) else 0
    if event.startswith("os.r") or event == "os.unlink" or flags & os.O_NOFOLLOW:
        # these act on a link itself, not on what it points to: resolve the folder it sits in
        path = os.path.join(os.path.realpath(os.path.dirname(path) or "."), os.path.basename(path))
    else:
        path = os.path.realpath(path)
    if any(path == w or path.startswith(w + os.sep) for w in _WATCHED):
        SEEN.append((event, path))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one is idle unless a test watches


class watching:
    """Record every open, listing and removal of a path under ``victim`` (symbolic links resolved)."""

    def __init__(self, victim: Path):
        self.victim = os.path.realpath(victim)

    def __enter__(self):
        SEEN.clear()
        _WATCHED.append(self.victim)
        return SEEN

    def __exit__(self, *exc):
        _WATCHED.remove(self.victim)


# -- the folder R and its damaged copies ------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    out = base / "R"
    run_sweep(parse_experiment(SPEC), out, workers=1, chunk_runs=2, progress=False)
    exp = base / "small.yaml"
    exp.write_text(json.dumps(SPEC))
    return out, exp, read_results(out)


@pytest.fixture
def R(reference, tmp_path):
    out = tmp_path / "R"
    shutil.copytree(reference[0], out)
    return out


@pytest.fixture
def victim(tmp_path):
    """Files outside the results folder that nothing may read or delete."""
    v = tmp_path / "victim"
    v.mkdir()
    (v / "thesis.txt").write_text("four years of work\n")
    return v


def cli(argv, capsys) -> tuple[int, str]:
    code, _, err = captured(argv)
    return code, err


def resume(reference, out, capsys) -> tuple[int, str]:
    return cli(["sweep", reference[1], "--out", out, "--resume", "--workers", 1, "--no-progress"], capsys)


def edit(out: Path, change) -> None:
    m = json.loads((out / MANIFEST).read_text())
    change(m)
    (out / MANIFEST).write_text(json.dumps(m))


def one_line(code: int, err: str, *needles: str) -> None:
    assert code == 2 and err.count("\n") == 1 and err.startswith("renosim: error: "), err
    for n in needles:
        assert n in err, err


# -- item 1: --resume deletes any file the manifest names --------------------------------------


@pytest.mark.parametrize("name", ["{victim}/thesis.txt", "../victim/thesis.txt", "summary/../../victim/thesis.txt"])
def test_resume_never_deletes_a_path_a_manifest_names(reference, R, victim, capsys, name):
    name = name.format(victim=victim)
    edit(R, lambda m: m["parts"].__setitem__(name, m["parts"]["summary/part-00000.parquet"]))
    with watching(victim) as seen:
        assert cli(["verify", R], capsys)[0] == 2
        assert resume(reference, R, capsys)[0] == 0
    assert (victim / "thesis.txt").read_text() == "four years of work\n" and not seen
    assert name not in json.loads((R / MANIFEST).read_text())["parts"]  # dropped from the file set
    pd.testing.assert_frame_equal(read_results(R), reference[2])
    assert cli(["verify", R], capsys)[0] == 0


def test_a_summary_folder_that_links_elsewhere_is_refused_untouched(reference, R, victim, capsys):
    for part in (R / "summary").iterdir():
        shutil.copy(part, victim / part.name)
    shutil.rmtree(R / "summary")
    (R / "summary").symlink_to(victim)
    (victim / "part-00009.parquet").write_text("not a part")  # would be removed as unlisted
    before = sorted(p.name for p in victim.iterdir())
    with watching(victim) as seen:
        one_line(*resume(reference, R, capsys), "symbolic link")
        one_line(*cli(["verify", R], capsys), "symbolic link")
        with pytest.raises(InputError):
            read_results(R)
    assert sorted(p.name for p in victim.iterdir()) == before and not seen


def test_a_part_that_is_a_link_outside_is_never_read_and_is_recomputed(reference, R, victim, capsys):
    part = R / "summary" / "part-00001.parquet"
    shutil.copy(part, victim / "thesis.parquet")
    part.unlink()
    part.symlink_to(victim / "thesis.parquet")  # same bytes: the hash would match if it were read
    with watching(victim) as seen:
        code, err = cli(["verify", R], capsys)
        one_line(code, err, "summary/part-00001.parquet")
        with pytest.raises(InputError):
            read_results(R)
        assert resume(reference, R, capsys)[0] == 0
    assert not seen and (victim / "thesis.parquet").exists() and not part.is_symlink()
    pd.testing.assert_frame_equal(read_results(R), reference[2])


# -- item 2: stray part files join the results --------------------------------------------------


@pytest.mark.parametrize("stray", ["part-00000 (copy).parquet", "part-0.parquet", "part-000000.parquet"])
def test_a_stray_copy_among_the_parts_joins_nothing(reference, R, capsys, stray):
    shutil.copy(R / "summary" / "part-00000.parquet", R / "summary" / stray)
    assert len(read_results(R)) == 12  # the reader reads the manifest's parts, not a glob
    one_line(*cli(["verify", R], capsys), f"summary/{stray}: not in the manifest")
    assert resume(reference, R, capsys)[0] == 0
    assert not (R / "summary" / stray).exists()  # the folder holds exactly its manifest's parts again
    assert cli(["verify", R], capsys)[0] == 0
    pd.testing.assert_frame_equal(read_results(R), reference[2])


def test_a_part_changed_after_its_hash_was_recorded_is_not_read(R):
    p = R / "summary" / "part-00002.parquet"
    frame = pd.read_parquet(p)
    frame["participation_rate"] = 1.0
    frame.to_parquet(p)
    with pytest.raises(InputError, match="does not match its hash"):
        read_results(R)


# -- item 3: verify says "verified" on a wrong manifest -----------------------------------------


def _set(key, value):
    return lambda m: m.__setitem__(key, value)


WRONG = {
    "runs 13 over 12 rows": (_set("runs", 13), "runs = 13"),
    "no runs": (lambda m: m.pop("runs"), "runs"),
    "edited spec": (lambda m: m["spec"].__setitem__("seeds", 5), "spec"),
    "spec of another experiment": (lambda m: m["spec"].__setitem__("name", "other"), "spec"),
    "no spec": (lambda m: m.pop("spec"), "no experiment"),
    "a billion points": (_set("points", 1_000_000_000), "points"),
    "a billion points, consistent": (
        lambda m: m.update(points=10**9, runs=4 * 10**9, chunks=2 * 10**9),
        "--max-runs",
    ),
    "true as chunk size": (_set("chunk_runs", True), "chunk_runs"),
    "seeds as text": (_set("seeds", "0-3"), "seeds"),
    "parts as a list": (_set("parts", []), "parts"),
}


@pytest.mark.parametrize("case", sorted(WRONG))
def test_verify_refuses_a_manifest_that_contradicts_its_folder(R, capsys, case):
    change, needle = WRONG[case]
    edit(R, change)
    one_line(*cli(["verify", R], capsys), needle)


@pytest.mark.parametrize(
    "damage, needle",
    [
        (lambda R: (R / "points.parquet").write_bytes((R / "points.parquet").read_bytes()[:100]), "points.parquet"),
        (lambda R: (R / "provenance.json").write_text('{"command": "renosim run"}'), "provenance.json"),
        (lambda R: (R / "points.parquet").unlink(), "points.parquet: missing"),
    ],
    ids=["truncated points", "edited provenance", "no points"],
)
def test_points_and_provenance_are_in_the_hash_set(R, capsys, damage, needle):
    damage(R)
    one_line(*cli(["verify", R], capsys), needle)


def test_a_failing_verify_says_so_and_counts_what_is_good(R, capsys):
    (R / "summary" / "part-00004.parquet").unlink()
    code, err = cli(["verify", R], capsys)
    one_line(code, err, "NOT verified", "5 of 6 chunks have good parts", "summary/part-00004.parquet: missing")


def test_verify_reports_counts_of_an_intact_folder(R, capsys):
    try:
        main(["verify", str(R)])
    except SystemExit as exc:
        pytest.fail(f"exit {exc.code}")
    assert "verified — 6 chunks, 12 runs, 12 summary rows" in capsys.readouterr().out


def test_the_lazy_chunk_geometry_is_the_plan():
    for points, seeds, size in [(3, 4, 2), (5, 3, 4), (1, 7, 3), (4, 1, 10), (2, 5, 1)]:
        plan = chunk_plan(points, seeds, size)
        assert [chunk_pieces(c, seeds, size, points * seeds) for c in range(len(plan))] == plan
        assert [r for c in plan for p, a, b in c for r in range(p * seeds + a, p * seeds + b)] == list(
            range(points * seeds)
        )
