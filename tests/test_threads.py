"""The household passes cut in pieces on threads (sim.parallel.over) give the bits of one piece.

The household rule (sim/kernels/household.py, neighbour sums included) and the week's snapshot
(sim/kernels/weekly.py) split their households over threads when there are enough of them; each
household writes only its own entries, so a run must not move by a bit whatever the number of
threads. The split sizes are lowered here so that a small model splits every week.
"""

import numpy as np
import pandas as pd
import pytest

from sim import parallel
from sim.kernels import household as hh_kernel
from sim.kernels import weekly
from sim.model import RenovationModel

OVER = parallel.over


def _run(monkeypatch, threads: int, regime: str) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    pieces = []

    def counted(n, piece, min_split=parallel.MIN_SPLIT):
        pieces.append(min(parallel.threads(), n // min_split))
        return OVER(n, piece, min_split)

    monkeypatch.setattr(parallel, "_threads", threads)
    monkeypatch.setattr(parallel, "over", counted)
    monkeypatch.setattr(hh_kernel, "MIN_SPLIT", 97)
    monkeypatch.setattr(weekly, "MIN_SPLIT", 131)
    m = RenovationModel(regime=regime, n_households=120, n_compounds=6, years=2, rng=4).run()
    return m.timeseries(), m.summary(), pieces


@pytest.mark.parametrize("regime", ["top_down", "three_integrations"])
def test_a_run_on_three_threads_is_the_run_on_one_to_the_bit(monkeypatch, regime):
    one, one_summary, pieces_one = _run(monkeypatch, 1, regime)
    three, three_summary, pieces_three = _run(monkeypatch, 3, regime)
    assert max(pieces_one) < 2 and min(pieces_three) == 3  # one piece each time, then three every time
    pd.testing.assert_frame_equal(one, three, check_exact=True)
    pd.testing.assert_frame_equal(one_summary, three_summary, check_exact=True)
    assert np.isfinite(one["participation"]).all()


def test_pieces_cover_the_range_once_and_do_not_split_again(monkeypatch):
    monkeypatch.setattr(parallel, "_threads", 3)
    seen, inner = [], []

    def piece(lo, hi):
        seen.append((lo, hi))
        inner.append(parallel.threads())

    parallel.over(10_000, piece, 1_000)
    assert sorted(seen) == [(0, 3_333), (3_333, 6_666), (6_666, 10_000)]
    assert inner == [1, 1, 1]  # inside a piece, nothing splits again
    seen.clear()
    parallel.over(1_999, piece, 1_000)
    assert seen == [(0, 1_999)]
