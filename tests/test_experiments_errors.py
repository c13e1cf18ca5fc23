"""Bad experiment files and bad output folders: exit 2, one line on stderr, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import exit_code

GOOD = """\
name: tiny
design: grid
households: 20
years: 1
seeds: 2
factors:
  tau_train: [0.0, 0.4]
"""


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


BAD = {
    "unknown parameter": GOOD.replace("tau_train:", "tau_trainn:"),
    "unknown key": GOOD + "replications: 3\n",
    "empty list": GOOD.replace("[0.0, 0.4]", "[]"),
    "empty linspace": GOOD.replace("[0.0, 0.4]", "{low: 0.5, high: 0.1, num: 3}"),
    "out of range value": GOOD.replace("[0.0, 0.4]", "[0.0, 0.9]"),
    "wrong type": GOOD.replace("[0.0, 0.4]", "[0.0, lots]"),
    "unknown design": GOOD.replace("design: grid", "design: latin_hypercube"),
    "unknown regime": GOOD + "regime: bottom_up\n",
    "malformed yaml": GOOD.replace("factors:\n", "factors: [\n"),
    "not a mapping": "- just\n- a list\n",
    "design without factors": "name: x\ndesign: oat\n",
    "zero seeds": GOOD.replace("seeds: 2", "seeds: 0"),
    "overlapping factorial": "name: f\ndesign: factorial\nscenarios:\n"
    "  - {name: a, set: {tau_train: 0}}\n  - {name: b, set: {tau_train: 0.1}}\n",
    "missing scenarios_from": "name: f\ndesign: factorial\nscenarios_from: nowhere.yaml\n",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_experiment_file_exits_2_with_one_line_and_writes_nothing(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exp = tmp_path / "exp.yaml"
    exp.write_text(BAD[case])
    before = listing(tmp_path)
    code = exit_code(["sweep", exp, "--out", tmp_path / "out", "--workers", 1, "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("renosim: error:")
    assert listing(tmp_path) == before  # no results folder, no part file, no manifest


def test_error_names_the_offending_field(tmp_path, capsys):
    exp = tmp_path / "exp.yaml"
    exp.write_text(BAD["unknown parameter"])
    assert exit_code(["sweep", exp, "--out", tmp_path / "o", "--no-progress"]) == 2
    assert "tau_trainn" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_unwritable_output_exits_2_and_writes_nothing(command, tmp_path, capsys):
    exp = tmp_path / "exp.yaml"
    if command == "sweep":
        exp.write_text(GOOD)
        argv = ["sweep", exp]
    else:
        exp.write_text(
            "name: s\ndesign: sensitivity\nhouseholds: 20\nyears: 1\nseeds: 1\n"
            "ranges: {tau_train: [0, 0.6], mu_party: [1, 4]}\n"
            "morris: {trajectories: 2}\n"
        )
        argv = ["sensitivity", "morris", exp]
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    before = listing(tmp_path)
    # A folder below a regular file cannot be created, even by root (os.access would say yes).
    code = exit_code([*argv, "--out", blocker / "out", "--workers", 1, "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "cannot write" in err
    assert listing(tmp_path) == before


def test_compare_unwritable_out_fails_before_running(tmp_path, capsys):
    blocker = tmp_path / "f"
    blocker.write_text("")
    code = exit_code(
        ["compare", "--seeds", 1, "--households", 20, "--years", 1, "--out", blocker / "x", "--no-progress"]
    )
    assert code == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "--regimes", "top_down,bottom_up"],
        ["compare", "--set", "party_rule=maybe"],
        ["compare", "--set", "no_such_lever=1"],
        ["compare", "--scheduler", "localhost:8786"],
        ["sensitivity", "fast99", "configs/experiments/x4_morris.yaml"],
    ],
)
def test_bad_cli_arguments_exit_2(argv, capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    assert exit_code([*argv, "--no-progress"] if argv[0] == "compare" else argv) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_results_folder_of_another_experiment_is_refused(tmp_path, capsys):
    exp = tmp_path / "exp.yaml"
    exp.write_text(GOOD)
    out = tmp_path / "out"
    assert exit_code(["sweep", exp, "--out", out, "--workers", 1, "--no-progress"]) == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    other = tmp_path / "other.yaml"
    other.write_text(GOOD.replace("[0.0, 0.4]", "[0.0, 0.2]"))
    capsys.readouterr()
    for extra in ([], ["--resume"]):
        assert exit_code(["sweep", other, "--out", out, "--no-progress", *extra]) == 2
        err = capsys.readouterr().err
        assert "not this one" in err and len(err.strip().splitlines()) == 1
    # The same experiment without --resume is refused too (no silent mixing or overwriting).
    assert exit_code(["sweep", exp, "--out", out, "--no-progress"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
