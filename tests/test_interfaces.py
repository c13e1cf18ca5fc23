"""Interfaces users expect (issue 21, items 10 and 11): CSV output, flags shown as flags, and
DataCollector series named for what they measure."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from clirun import captured

SMALL = ["--households", 20, "--years", 1]


def cli(argv, capsys) -> tuple[int, str, str]:
    return captured(argv)


# -- CSV ------------------------------------------------------------------------------------------


def test_run_csv_is_the_json_rows_as_a_table(capsys):
    code, out, err = cli(["run", *SMALL, "--compounds", 3, "--csv"], capsys)
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    code, out, _ = cli(["run", *SMALL, "--compounds", 3, "--json"], capsys)
    rows = pd.DataFrame(json.loads(out)).fillna(np.nan)  # JSON's null is CSV's empty field
    assert list(table.columns) == list(rows.columns) and len(table) == 3
    pd.testing.assert_frame_equal(table, rows.astype(table.dtypes.to_dict()), check_dtype=False)


def test_run_csv_with_out_writes_csv_beside_the_parquet(tmp_path, capsys):
    assert cli(["run", *SMALL, "--csv", "--out", tmp_path / "o"], capsys)[0] == 0
    for name in ("summary", "timeseries"):
        csv = pd.read_csv(tmp_path / "o" / f"{name}.csv")
        parquet = pd.read_parquet(tmp_path / "o" / f"{name}.parquet")
        assert len(csv) == len(parquet) and list(csv.columns) == list(parquet.columns)
        num = parquet.select_dtypes("number").columns
        pd.testing.assert_frame_equal(csv[num], parquet[num], check_dtype=False)


def test_compare_csv_prints_the_tables_and_writes_the_runs(tmp_path, capsys):
    argv = ["compare", "--seeds", 3, "--regimes", "top_down,pilot", *SMALL, "--workers", 1, "--no-progress"]
    code, out, err = cli([*argv, "--csv", "--out", tmp_path / "c"], capsys)
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert {"table", "outcome", "arm", "n", "mean", "ci_low", "diff"} <= set(table.columns)
    assert set(table.arm) == {"top_down", "pilot"} and set(table.table) == {"regimes"}
    _, js, _ = cli([*argv, "--json"], capsys)
    doc = pd.DataFrame(json.loads(js)["outcomes"])
    np.testing.assert_allclose(table["mean"], doc["mean"].astype(float), rtol=1e-9)  # JSON keeps 10 digits
    assert pd.read_csv(tmp_path / "c" / "outcomes.csv").shape == table.shape
    assert len(pd.read_csv(tmp_path / "c" / "summary.csv")) == 6
    assert len(pd.read_csv(tmp_path / "c" / "timeseries.csv")) == 6 * 52


def test_sweep_csv_prints_one_row_per_run(tmp_path, capsys):
    exp = tmp_path / "x.yaml"
    exp.write_text("name: x\ndesign: grid\nhouseholds: 20\nyears: 1\nseeds: 2\nfactors: {tau_train: [0.0, 0.4]}\n")
    code, out, err = cli(["sweep", exp, "--out", tmp_path / "o", "--workers", 1, "--no-progress", "--csv"], capsys)
    assert code == 0, err
    runs = pd.read_csv(io.StringIO(out))
    assert len(runs) == 4 and list(runs.columns[:3]) == ["point", "label", "tau_train"]
    assert runs.label.tolist() == ["tau_train=0", "tau_train=0", "tau_train=0.4", "tau_train=0.4"]
    assert "x: 4 runs" in err  # the rest of the report goes to stderr


@pytest.mark.parametrize("command", [["run", *SMALL], ["compare", "--seeds", 2, *SMALL, "--no-progress"]])
def test_json_and_csv_together_are_one_line(capsys, command):
    code, _, err = cli([*command, "--json", "--csv"], capsys)
    assert code == 2 and err.count("\n") == 1 and "--json and --csv" in err


# -- --help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "sensitivity", "calibrate", "validate", "viz", "show"])
def test_help_shows_flags_as_flags(capsys, command):
    code, out, _ = cli([command, "--help"], capsys)
    assert code == 0 and "<bool>" not in out
    flags = {"run": "--json", "compare": "--json", "viz": "--mesa", "show": "--json"}
    if command in flags:
        line = next(x for x in out.splitlines() if x.strip().startswith(flags[command]))
        assert line.split()[0] == flags[command] and "<" not in line.split()[1], line
    if command in ("compare", "sweep", "sensitivity", "calibrate"):
        assert "--progress / --no-progress" in out


# -- DataCollector names --------------------------------------------------------------------------


def test_datacollector_series_say_what_they_measure():
    from sim.model import REPORTED, RenovationModel

    m = RenovationModel(regime="top_down", n_households=60, years=1, rng=0)
    m.run()
    df = m.datacollector.get_model_vars_dataframe()
    assert {"active_share", "fee_rate_month", "cofunding_share_so_far"} <= set(df.columns) == set(REPORTED)
    assert not {"participation", "fee_collection", "cofunding_collection"} & set(df.columns)  # the summary's names
    ts = m.timeseries()
    assert df.active_share.iloc[1:].tolist() == pytest.approx(ts.participation.tolist())
    assert m.summary().participation_rate.iloc[0] != pytest.approx(df.active_share.iloc[-1])  # two measures
