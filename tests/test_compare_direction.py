"""Direction of the paired comparison (issue 11): arm = reference + 1 must read as +1, CI above 0.

A sign swap (reference − arm) passed every test before; these fail on it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import compare, runner
from experiments.stats import compare_arms


def synthetic(arms: dict[str, float], n: int = 30) -> pd.DataFrame:
    """Per seed a random reference value; each arm adds its offset plus zero-mean paired noise."""
    rng = np.random.default_rng(7)
    base = rng.normal(0.5, 0.2, n)
    wiggle = np.where(np.arange(n) % 2 == 0, 0.05, -0.05)  # mean exactly 0, so the diff is exact
    frames = [
        pd.DataFrame(
            {"arm": name, "seed": np.arange(n), "compound": 0, "point": i, "participation_rate": base + off + wiggle}
        )
        for i, (name, off) in enumerate(arms.items())
    ]
    frames[0]["participation_rate"] = base  # the reference itself has no wiggle
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("offset", [1.0, -1.0])
def test_compare_arms_reads_arm_minus_reference(offset):
    table = compare_arms(synthetic({"ref": 0.0, "arm": offset}), ["participation_rate"], reference="ref")
    row = table[table.arm == "arm"].iloc[0]
    assert row["diff"] == pytest.approx(offset)
    assert row["n_pairs"] == 30
    if offset > 0:
        assert 0 < row["diff_low"] < offset < row["diff_high"]
    else:
        assert row["diff_low"] < offset < row["diff_high"] < 0


def test_a_constant_plus_one_gives_an_interval_at_one():
    s = synthetic({"ref": 0.0, "arm": 1.0})
    s.loc[s.arm == "arm", "participation_rate"] = s.loc[s.arm == "ref", "participation_rate"].to_numpy() + 1
    row = compare_arms(s, ["participation_rate"], reference="ref").set_index("arm").loc["arm"]
    assert row["diff"] == pytest.approx(1.0) and row["diff_low"] == pytest.approx(1.0) and row["diff_low"] > 0


def test_run_compare_takes_differences_against_the_first_regime(monkeypatch):
    fake = synthetic({"top_down": 0.0, "pilot": 1.0, "three_integrations": 2.0})
    monkeypatch.setattr(runner, "run_chunks", lambda chunks, **kw: [])
    monkeypatch.setattr(runner, "gather", lambda results: (fake, None))
    res = compare.run_compare(["top_down", "pilot", "three_integrations"], seeds=30, progress=False, workers=1)
    t = res.table[res.table.outcome == "participation_rate"].set_index("arm")
    assert t.loc["pilot", "diff"] == pytest.approx(1.0) and t.loc["pilot", "diff_low"] > 0
    assert t.loc["three_integrations", "diff"] == pytest.approx(2.0) and t.loc["three_integrations", "diff_low"] > 1
