"""Pinned numbers: small seeded runs compared exactly with stored outputs, so no drift is silent.

A deliberate change of behaviour re-pins them, with a reason that is kept beside the files:

    python tests/test_pinned.py --repin "why the numbers changed"
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent / "data" / "pinned"
CASES = {
    "top_down": {"regime": "top_down"},
    "pilot": {"regime": "pilot"},
    "three_integrations": {"regime": "three_integrations"},
    "three_integrations_agents": {"regime": "three_integrations", "executor": "agents"},
}


def run(case: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sim.model import RenovationModel

    kw = {"n_households": 60, "years": 3, "seeds": [11, 12], **CASES[case]}
    m = RenovationModel(**kw).run()
    return m.summary(), m.timeseries()


@pytest.mark.parametrize("case", list(CASES))
def test_outputs_match_the_pinned_numbers(case):
    summary, ts = run(case)
    pd.testing.assert_frame_equal(summary, pd.read_parquet(HERE / f"{case}-summary.parquet"), check_exact=True)
    pd.testing.assert_frame_equal(ts, pd.read_parquet(HERE / f"{case}-timeseries.parquet"), check_exact=True)


def repin(reason: str) -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        summary, ts = run(case)
        summary.to_parquet(HERE / f"{case}-summary.parquet")
        ts.to_parquet(HERE / f"{case}-timeseries.parquet")
    with open(HERE / "REASONS.md", "a", encoding="utf-8") as f:
        f.write(f"- {date.today().isoformat()}: {reason}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--repin" or not sys.argv[2].strip():
        sys.exit('usage: python tests/test_pinned.py --repin "why the numbers changed"')
    repin(sys.argv[2])
