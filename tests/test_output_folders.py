"""Validate, then write; lock, then compute (issue 21, items 4 and 5).

No file is created before every input is valid; ``run --out`` and ``compare --out`` take the
folder's lock before computing, refuse a folder that holds another kind of result, and remove
what their own previous run left that this one did not write.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import captured, exit_code

from experiments import runner
from experiments.store import folder_lock

SMALL = ["--households", 20, "--years", 1, "--workers", 1, "--no-progress"]
SWEEP = "name: tiny\ndesign: grid\nhouseholds: 20\nyears: 1\nseeds: 2\nfactors:\n  tau_train: [0.0, 0.4]\n"


def cli(argv, capsys) -> tuple[int, str]:
    code, _, err = captured(argv)
    return code, err


def one_line(code: int, err: str, *needles: str) -> None:
    assert code == 2 and err.count("\n") == 1 and err.startswith("renosim: error: "), err
    for n in needles:
        assert n in err, err


def listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


@pytest.fixture
def computed(monkeypatch):
    """Counts the chunk batches started: a refusal must come before any."""
    calls = []
    real = runner.run_chunks
    monkeypatch.setattr(runner, "run_chunks", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


# -- item 4: files written before validation ---------------------------------------------------


def test_a_seed_range_beyond_the_model_writes_nothing_and_the_plain_rerun_works(tmp_path, capsys):
    exp = tmp_path / "exp.yaml"
    exp.write_text(SWEEP + "seed_start: 9223372036854775807\n")
    one_line(*cli(["sweep", exp, "--out", tmp_path / "R", "--workers", 1, "--no-progress"], capsys), "seed_start")
    assert not (tmp_path / "R").exists()
    exp.write_text(SWEEP)
    assert cli(["sweep", exp, "--out", tmp_path / "R", "--workers", 1, "--no-progress"], capsys)[0] == 0


def test_compare_with_seeds_beyond_the_model_is_refused_before_running(tmp_path, capsys, computed):
    argv = ["compare", "--seeds", 2, "--seed-start", 2**63 - 1, *SMALL, "--out", tmp_path / "D"]
    one_line(*cli(argv, capsys), "--seed-start")
    assert not computed and not (tmp_path / "D").exists()


def test_a_folder_where_compare_writes_a_file_is_refused_before_computing(tmp_path, capsys, computed):
    (tmp_path / "D" / "timeseries.parquet").mkdir(parents=True)
    code, err = cli(["compare", "--seeds", 2, *SMALL, "--out", tmp_path / "D"], capsys)
    one_line(code, err, "timeseries.parquet", "move it away")
    assert not computed and listing(tmp_path / "D") == {
        "timeseries.parquet": listing(tmp_path / "D")["timeseries.parquet"]
    }


# -- item 5: locks, other kinds of result, stale files ------------------------------------------


def test_a_busy_compare_folder_is_refused_before_computing(tmp_path, capsys, computed):
    out = tmp_path / "D"
    with folder_lock(out):  # the first compare, still running
        one_line(*cli(["compare", "--seeds", 2, *SMALL, "--out", out], capsys), "in use by another renosim run")
    assert not computed and not (out / "summary.parquet").exists()


def test_a_busy_run_folder_is_refused_before_computing(tmp_path, capsys, monkeypatch):
    from sim.model import RenovationModel

    monkeypatch.setattr(RenovationModel, "run", lambda self: pytest.fail("computed before taking the folder"))
    with folder_lock(tmp_path / "D"):
        one_line(*cli(["run", "--households", 20, "--years", 1, "--out", tmp_path / "D"], capsys), "in use")


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    base = tmp_path_factory.mktemp("kinds")
    exp = base / "exp.yaml"
    exp.write_text(SWEEP)
    assert exit_code(["sweep", exp, "--out", base / "R", "--workers", 1, "--no-progress"]) == 0
    return base / "R"


@pytest.mark.parametrize("command", [["compare", "--seeds", 2, *SMALL], ["run", "--households", 20, "--years", 1]])
def test_run_and_compare_refuse_a_sweep_folder_and_leave_it_as_it_was(sweep_folder, tmp_path, capsys, command):
    import shutil

    out = tmp_path / "R"
    shutil.copytree(sweep_folder, out)
    before = listing(out)
    shown = json.loads((out / "provenance.json").read_text())["command"]
    one_line(*cli([*command, "--out", out], capsys), "sweep", "manifest.json")
    assert listing(out) == before
    assert json.loads((out / "provenance.json").read_text())["command"] == shown


def test_run_and_compare_refuse_each_others_folders(tmp_path, capsys):
    assert cli(["run", "--households", 20, "--years", 1, "--out", tmp_path / "r"], capsys)[0] == 0
    one_line(*cli(["compare", "--seeds", 2, *SMALL, "--out", tmp_path / "r"], capsys), "`renosim run`")
    assert cli(["compare", "--seeds", 2, "--regimes", "pilot", *SMALL, "--out", tmp_path / "c"], capsys)[0] == 0
    one_line(*cli(["run", "--households", 20, "--years", 1, "--out", tmp_path / "c"], capsys), "`renosim compare`")


def test_files_of_our_names_without_a_record_are_not_overwritten(tmp_path, capsys):
    out = tmp_path / "D"
    out.mkdir()
    (out / "summary.parquet").write_text("someone's own file")
    one_line(*cli(["run", "--households", 20, "--years", 1, "--out", out], capsys), "summary.parquet")
    assert (out / "summary.parquet").read_text() == "someone's own file"


def test_a_compare_of_fewer_regimes_removes_what_the_last_one_wrote(tmp_path, capsys):
    out = tmp_path / "D"
    assert cli(["compare", "--seeds", 2, *SMALL, "--out", out, "--csv"], capsys)[0] == 0
    assert {p.name for p in (out / "params").iterdir()} == {"top_down.yaml", "pilot.yaml", "three_integrations.yaml"}
    assert (out / "outcomes.csv").exists()
    assert cli(["compare", "--seeds", 2, "--regimes", "pilot", *SMALL, "--out", out], capsys)[0] == 0
    assert not (out / "params").exists() and not (out / "outcomes.csv").exists()
    assert (out / "params.yaml").exists()
    assert json.loads((out / "provenance.json").read_text())["arms"].keys() == {"pilot"}


def test_an_interrupted_computation_leaves_no_folder_behind(tmp_path, capsys, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_chunks", interrupted)
    code, err = cli(["compare", "--seeds", 2, *SMALL, "--out", tmp_path / "new" / "D"], capsys)
    assert code == 130 and err.count("\n") == 1
    assert not (tmp_path / "new").exists()


def test_an_interrupted_rerun_keeps_the_finished_output(tmp_path, capsys, monkeypatch):
    out = tmp_path / "D"
    assert cli(["compare", "--seeds", 2, "--regimes", "pilot", *SMALL, "--out", out], capsys)[0] == 0
    before = listing(out)

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_chunks", interrupted)
    assert cli(["compare", "--seeds", 2, "--regimes", "pilot", *SMALL, "--out", out], capsys)[0] == 130
    assert listing(out) == before
