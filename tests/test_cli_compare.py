"""``renosim compare``: paired seeds, tables, JSON, the offline report, knock-outs from YAML."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml
from clirun import exit_code

from experiments.compare import KNOCKOUTS_FILE, compare_points, load_knockouts, run_compare
from experiments.stats import mean_ci, welch_diff

SMALL = ["--households", "20", "--years", "2", "--no-progress"]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "out"
    assert exit_code(["compare", "--seeds", 6, "--knockouts", "--out", out, "--workers", 2, *SMALL]) == 0
    return out


def test_compare_writes_parquet_and_report(report_dir):
    summary = pd.read_parquet(report_dir / "summary.parquet")
    arms = list(dict.fromkeys(summary["arm"]))
    assert arms[:3] == ["top_down", "pilot", "three_integrations"]
    assert len(arms) == 3 + 7
    assert len(summary) == 10 * 6
    # Common random numbers: every arm runs on exactly the same seeds.
    assert summary.groupby("arm")["seed"].apply(lambda s: tuple(sorted(s))).nunique() == 1
    ts = pd.read_parquet(report_dir / "timeseries.parquet")
    assert len(ts) == 10 * 6 * 2 * 52
    assert {"arm", "seed", "week", "participation", "maintenance"} <= set(ts.columns)


def test_report_is_self_contained(report_dir):
    text = (report_dir / "report.html").read_text()
    assert len(text) > 1_000_000  # plotly.js is inlined ...
    tags = re.findall(r"<(?:script|link)\b[^>]*>", text, flags=re.I)
    remote = [t for t in tags if re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", t, re.I)]
    assert remote == []  # ... and nothing is fetched from a CDN
    assert text.count("Plotly.newPlot") >= 6
    for section in (
        "Participation over time",
        "Co-funding and fee collection",
        "Maintenance after completion",
        "Time to consensus",
        "Knock-out effects",
    ):
        assert section in text


def test_json_output_has_paired_differences(capsys):
    assert (
        exit_code(
            [
                "compare",
                "--seeds",
                5,
                "--regimes",
                "pilot,three_integrations",
                "--json",
                "--workers",
                1,
                "--set",
                "sigma_theta=0.15",
                *SMALL,
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["settings"]["regimes"] == ["pilot", "three_integrations"]
    assert doc["settings"]["overrides"] == {"sigma_theta": 0.15}
    rows = {(r["outcome"], r["arm"]): r for r in doc["outcomes"]}
    pr = rows[("participation_rate", "three_integrations")]
    assert pr["n"] == 5 and pr["n_pairs"] == 5
    assert pr["diff_low"] <= pr["diff"] <= pr["diff_high"]
    assert rows[("participation_rate", "pilot")]["diff"] is None  # the reference arm
    assert doc["knockouts"] is None


def test_tables_are_printed(capsys):
    assert exit_code(["compare", "--seeds", 3, "--regimes", "top_down,three_integrations", "--workers", 1, *SMALL]) == 0
    out = capsys.readouterr().out
    assert "Participation rate" in out and "Δ vs top_down" in out


def test_knockouts_come_from_the_yaml_file():
    doc = yaml.safe_load(KNOCKOUTS_FILE.read_text())
    kos = load_knockouts()
    assert [k.name for k in kos] == [s["name"] for s in doc["scenarios"]]
    assert len(kos) == 7
    points = compare_points(["three_integrations"], {"sigma_theta": 0.2}, kos)
    by_arm = {p.label: p for p in points}
    assert by_arm["no_party_rule"].overrides == {"sigma_theta": 0.2, "party_rule": False, "mu_party": 1}
    assert by_arm["no_party_rule"].regime == "three_integrations"
    assert by_arm["no_platform"].overrides["transparency"] == 0


def test_knockouts_file_is_used(tmp_path, capsys):
    f = tmp_path / "ko.yaml"
    f.write_text("name: ko\ndesign: scenarios\nscenarios:\n  - {name: only_training, set: {tau_train: 0}}\n")
    assert (
        exit_code(
            [
                "compare",
                "--seeds",
                3,
                "--regimes",
                "three_integrations",
                "--knockouts",
                "--knockouts-file",
                f,
                "--json",
                "--workers",
                1,
                *SMALL,
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert {r["arm"] for r in doc["knockouts"]} == {"three_integrations", "no_only_training"}


def test_paired_seeds_give_narrower_difference_ci_than_independent_seeds():
    """Common random numbers: the same seed in both regimes is the same compound and dice."""
    kw = dict(households=30, years=3, workers=2, progress=False, timeseries=False)
    n = 24
    paired = run_compare(["pilot", "three_integrations"], seeds=n, **kw).summary
    shifted = run_compare(["three_integrations"], seeds=n, seed_start=10_000, **kw).summary
    a = paired.loc[paired["arm"] == "pilot"].sort_values("seed")
    b = paired.loc[paired["arm"] == "three_integrations"].sort_values("seed")
    c = shifted.sort_values("seed")
    paired_w = offset_w = welch_w = 0.0
    for outcome in ("participation_rate", "fee_collection", "social_capital_end"):
        x, y, z = (f[outcome].to_numpy(float) for f in (a, b, c))
        _, lo, hi, _ = mean_ci(y - x)  # paired on the same seeds
        _, olo, ohi, _ = mean_ci(z - x)  # "paired" with seeds offset by 10,000: independent
        _, wlo, whi = welch_diff(x, z)
        paired_w += hi - lo
        offset_w += ohi - olo
        welch_w += whi - wlo
    # Summed over three outcomes, so one outcome's chance does not decide the test.
    assert np.isfinite([paired_w, offset_w, welch_w]).all()
    assert paired_w < offset_w and paired_w < welch_w, (paired_w, offset_w, welch_w)


def test_png_figures_when_kaleido_and_chromium_exist(report_dir):
    import importlib.util

    from experiments.report import browser_path

    pngs = sorted((report_dir / "figures").glob("*.png")) if (report_dir / "figures").is_dir() else []
    if browser_path() and importlib.util.find_spec("kaleido"):
        assert len(pngs) >= 6
        assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    else:
        assert pngs == []  # skipped quietly; the HTML report has every figure


def test_outputs_record_provenance_per_arm(report_dir):
    from experiments import provenance

    rec = provenance.read(report_dir)
    assert len(rec["arms"]) == 10 and rec["seeds"] == list(range(6))
    assert rec["arms"]["no_party_rule"]["parameters"]["party_rule"] is False
    assert rec["arms"]["three_integrations"]["parameters"]["party_rule"] is True
    assert provenance.read(report_dir / "report.html") == rec == provenance.read(report_dir / "summary.parquet")
    saved = yaml.safe_load((report_dir / "params" / "no_party_rule.yaml").read_text())
    assert saved["regime"] == "three_integrations" and saved["parameters"]["party_rule"] is False


def test_tables_explain_empty_differences_and_state_the_variance_reduction_per_outcome(capsys):
    argv = ["compare", "--seeds", 4, "--regimes", "top_down,pilot", "--workers", 1, *SMALL]
    assert exit_code(argv) == 0
    out = capsys.readouterr().out
    cofunding = out[out.index("Co-funding collection") : out.index("Fee collection")]
    assert "n/a (n = 0)" in cofunding and "n/a: top_down has no values (n = 0)" in cofunding  # no co-funding there
    assert exit_code([*argv, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    vr = {r["outcome"]: r["variance_reduction"] for r in doc["outcomes"] if r["arm"] == "pilot"}
    part = out[out.index("Participation rate") : out.index("Co-funding collection")]
    from experiments.formatting import sig3

    # each outcome's own value, not one median (participation exists in both arms of every seed)
    assert f"×{sig3(vr['participation_rate'])}" in part
    assert "median" not in out


def test_a_saved_arm_reruns_exactly_with_run_config(report_dir, tmp_path):
    again = tmp_path / "again"
    assert exit_code(["run", "--config", report_dir / "params" / "no_party_rule.yaml", "--out", again]) == 0
    rerun = pd.read_parquet(again / "summary.parquet")
    saved = pd.read_parquet(report_dir / "summary.parquet")
    saved = saved[saved["arm"] == "no_party_rule"].reset_index(drop=True)[rerun.columns]
    assert len(rerun) == 6
    pd.testing.assert_frame_equal(rerun, saved, check_dtype=False)


def test_a_second_writer_into_a_compare_folder_is_refused(tmp_path, capsys):
    from experiments.store import folder_lock

    out = tmp_path / "cmp"
    with folder_lock(out):  # another run holds the folder
        code = exit_code(["compare", "--seeds", 2, "--regimes", "top_down,pilot", "--workers", 1, *SMALL, "--out", out])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "in use by another renosim run" in err[0]
    assert not (out / "summary.parquet").exists()
    assert (
        exit_code(["compare", "--seeds", 2, "--regimes", "top_down,pilot", "--workers", 1, *SMALL, "--out", out]) == 0
    )
    assert (out / "summary.parquet").exists()
