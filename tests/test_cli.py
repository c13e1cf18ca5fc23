"""The ``renosim run`` command: output, files, and one-line errors with exit status 2."""

import json
import subprocess
import sys

import pandas as pd
import pytest

RENOSIM = [sys.executable, "-m", "experiments"]


def renosim(*args, cwd=None):
    return subprocess.run([*RENOSIM, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_run_json_has_one_summary_per_compound():
    r = renosim("run", "--compounds", "3", "--years", "2", "--households", "60", "--json", "--seed", "4")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["compound"] for row in rows] == [0, 1, 2]
    for key in (
        "support_t0",
        "willingness_t0",
        "participation_rate",
        "cofunding_collection",
        "fee_collection",
        "consensus_weeks",
        "completed",
        "completion_week",
        "council_formed",
        "representatives",
        "party_share_of_representatives",
        "maintenance_year5",
        "complaints_per_100_households_per_year",
        "government_cost_per_household",
    ):
        assert key in rows[0]


def test_run_out_writes_parquet(tmp_path):
    out = tmp_path / "res"
    r = renosim("run", "--years", "2", "--households", "50", "--out", str(out), "--set", "events_per_yr=2")
    assert r.returncode == 0, r.stderr
    s = pd.read_parquet(out / "summary.parquet")
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(s) == 1 and len(ts) == 104
    assert sorted(p.name for p in out.iterdir()) == [
        ".renosim.lock",  # held while the run writes (one writer per folder), left in place
        "params.yaml",
        "provenance.json",
        "summary.parquet",
        "timeseries.parquet",
    ]


def test_executor_choice_gives_the_same_json():
    args = ("run", "--years", "1", "--households", "30", "--json", "--regime", "pilot", "--seed", "8")
    a = renosim(*args, "--executor", "vector")
    b = renosim(*args, "--executor", "agents")
    assert a.returncode == b.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--regime", "bottom_up"], "unknown regime 'bottom_up'"),
        (["--set", "levr=1"], "unknown parameter 'levr'"),
        (["--set", "integration=1.5"], "'integration' = 1.5"),
        (["--set", "integration"], "lever=value"),
        (["--households", "5"], "households = 5"),
        (["--executor", "gpu"], "executor 'gpu'"),
        (["--config", "/no/such/file.yaml"], "file not found"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, args, fragment):
    out = tmp_path / "never"
    r = renosim("run", "--years", "1", "--out", str(out), *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], r.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("regime: pilot\nparameters: [1, 2\n", "malformed YAML"),
        ("parameters:\n  nonsense: 1\n", "unknown parameter 'nonsense'"),
        ("paramters:\n  s_res: 0.1\n", "unknown key 'paramters'"),
        ("parameters:\n  s_res: high\n", "'s_res'"),
    ],
)
def test_bad_config_exits_2(tmp_path, text, fragment):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(text)
    r = renosim("run", "--config", str(cfg), "--years", "1")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and fragment in r.stderr, r.stderr


def test_unwritable_out_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = renosim("run", "--years", "1", "--out", str(blocker))
    assert r.returncode == 2 and "not a folder" in r.stderr


#: What listing the commands and printing their help must not load: a command imports these when it
#: runs. (When the command modules imported them at the top, `renosim --help` took 2.4 s.)
HEAVY = (
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "numba",
    "mesa",
    "networkx",
    "plotly",
    "agents",
    "sim.model",
    "sim.city",
    "experiments.compare",
    "experiments.provenance",
    "experiments.store",
)

#: `renosim --help`, then `renosim CMD --help` for every command and sub-command, in one process;
#: prints the commands it saw and every module loaded.
HELP_ALL = """
import contextlib, io, json, sys
import typer
from experiments import cli

def commands(group, path=()):
    for name, cmd in group.commands.items():
        yield [*path, name]
        if hasattr(cmd, "commands"):
            yield from commands(cmd, [*path, name])

with contextlib.redirect_stdout(io.StringIO()):
    cli.main(["--help"])
    seen = list(commands(typer.main.get_command(cli.app)))
    for argv in seen:
        cli.main([*argv, "--help"])
print(json.dumps({"commands": seen, "modules": sorted(sys.modules)}))
"""


def test_help_loads_no_heavy_module():
    r = subprocess.run([sys.executable, "-c", HELP_ALL], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert {"run", "compare", "national", "sweep", "calibrate"} <= {c[0] for c in doc["commands"]}
    assert ["stock", "template"] in doc["commands"]
    heavy = [h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in doc["modules"])]
    assert not heavy, f"import these inside the command function, not at the top of its module: {heavy}"
