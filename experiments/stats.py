"""Means, confidence intervals and paired differences over replication seeds.

Intervals are Student-t intervals over seeds (each seed is one independent compound). Regime
differences are *paired*: because every regime runs on the same seeds with the same random numbers
(common random numbers, DESIGN.md §4), the difference is taken seed by seed and its interval is
the t interval of those differences. Its width is compared with the Welch interval that
independent seeds would give; the ratio of the two squared widths is the variance reduction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats


def mean_ci(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean and two-sided t confidence interval of the finite values.

    Returns
    -------
    (mean, low, high, n) : NaNs when there are no finite values; ``low == high == mean`` for one.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    m = float(x.mean())
    if n == 1:
        return m, m, m, 1
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return m, m - half, m + half, n


def paired_diff(a, b, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean of ``b - a`` over pairs where both are finite, with its paired t interval."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return mean_ci(b - a, level)


def welch_diff(a, b, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``b`` minus mean of ``a`` with a Welch interval (independent samples)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        return math.nan, math.nan, math.nan
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    d = float(b.mean() - a.mean())
    if se == 0:
        return d, d, d
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df) * se)
    return d, d - half, d + half


def compare_arms(
    summary: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    arm: str = "arm",
    reference: str,
    arms: Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """One row per (outcome, arm): mean with CI, and the paired difference to ``reference``.

    Pairs are matched on ``seed`` (and ``compound``). Columns: ``outcome``, ``arm``, ``n``,
    ``mean``, ``ci_low``, ``ci_high``, ``diff``, ``diff_low``, ``diff_high``, ``n_pairs``,
    ``indep_low``, ``indep_high`` (the Welch interval independent seeds would give) and
    ``variance_reduction`` (squared ratio of the independent to the paired interval width).
    """
    arms = list(arms) if arms is not None else list(dict.fromkeys(summary[arm]))
    keyed = summary.set_index([arm, "seed", "compound"])
    rows = []
    for outcome in outcomes:
        if outcome not in summary.columns:
            continue
        col = keyed[outcome].astype(float)
        ref = col.xs(reference, level=arm) if reference in arms else None
        for name in arms:
            x = col.xs(name, level=arm)
            m, lo, hi, n = mean_ci(x.to_numpy(), level)
            row = dict(outcome=outcome, arm=name, n=n, mean=m, ci_low=lo, ci_high=hi)
            if ref is not None and name != reference:
                a, b = ref.align(x, join="inner")
                d, dlo, dhi, npairs = paired_diff(a.to_numpy(), b.to_numpy(), level)
                _, ilo, ihi = welch_diff(ref.to_numpy(), x.to_numpy(), level)
                paired_w, indep_w = dhi - dlo, ihi - ilo
                # Undefined when the paired differences do not vary (e.g. a lever without effect).
                tiny = 1e-9 * max(abs(d), 1.0)
                vr = (indep_w / paired_w) ** 2 if paired_w > tiny else math.nan
                row.update(
                    diff=d,
                    diff_low=dlo,
                    diff_high=dhi,
                    n_pairs=npairs,
                    indep_low=ilo,
                    indep_high=ihi,
                    variance_reduction=vr,
                )
            rows.append(row)
    cols = [
        "outcome",
        "arm",
        "n",
        "mean",
        "ci_low",
        "ci_high",
        "diff",
        "diff_low",
        "diff_high",
        "n_pairs",
        "indep_low",
        "indep_high",
        "variance_reduction",
    ]
    return pd.DataFrame(rows).reindex(columns=cols)
