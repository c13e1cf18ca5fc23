"""experiments/stats.py against hand-computed values: t intervals, paired and Welch differences; and sig3.

Every number a comparison table prints comes through these functions, so each is checked on
small samples whose mean, standard deviation and degrees of freedom can be worked by hand; the
t quantiles are the textbook ones (t(0.975, 3) = 3.182446, t(0.95, 3) = 2.353363).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.formatting import NOT_APPLICABLE, sig3
from experiments.stats import compare_arms, mean_ci, paired_diff, welch_diff

T975_3 = 3.182446305284263  # two-sided 95 %, 3 degrees of freedom
T95_3 = 2.353363434801823  # two-sided 90 %, 3 degrees of freedom
SD_1234 = math.sqrt(5 / 3)  # sample SD of 1, 2, 3, 4: squares of deviations sum to 5, over n - 1 = 3


# -- mean_ci ----------------------------------------------------------------------------------


def test_mean_ci_of_four_values_is_the_t_interval():
    m, lo, hi, n = mean_ci([1, 2, 3, 4])
    half = T975_3 * SD_1234 / 2
    assert (m, n) == (2.5, 4)
    assert lo == pytest.approx(2.5 - half, rel=1e-12) and hi == pytest.approx(2.5 + half, rel=1e-12)


def test_mean_ci_level_sets_the_quantile():
    _, lo, hi, _ = mean_ci([1, 2, 3, 4], level=0.90)
    assert hi - lo == pytest.approx(2 * T95_3 * SD_1234 / 2, rel=1e-12)


def test_mean_ci_drops_what_is_not_finite():
    assert mean_ci([1, np.nan, 2, np.inf, 3, -np.inf, 4]) == mean_ci([1, 2, 3, 4])


@pytest.mark.parametrize("values", [[], [np.nan], [np.inf, np.nan]])
def test_mean_ci_of_nothing_is_nan_with_n_zero(values):
    m, lo, hi, n = mean_ci(values)
    assert n == 0 and math.isnan(m) and math.isnan(lo) and math.isnan(hi)


def test_mean_ci_of_one_value_is_that_value():
    assert mean_ci([7.5, np.nan]) == (7.5, 7.5, 7.5, 1)


def test_mean_ci_of_constant_values_has_no_width():
    assert mean_ci([2.0, 2.0, 2.0]) == (2.0, 2.0, 2.0, 3)


# -- paired_diff ------------------------------------------------------------------------------


def test_paired_diff_is_b_minus_a_seed_by_seed():
    d, lo, hi, n = paired_diff([1, 2, 3, 4], [2, 4, 6, 8])  # differences 1, 2, 3, 4
    assert (d, n) == (2.5, 4)
    assert hi - lo == pytest.approx(T975_3 * SD_1234, rel=1e-12)


def test_paired_diff_skips_pairs_with_a_missing_side():
    d, _, _, n = paired_diff([1, np.nan, 3, 5], [2, 7, np.nan, 9])  # pairs (1, 2) and (5, 9)
    assert (d, n) == (2.5, 2)


def test_paired_diff_passes_its_level_on():
    _, lo, hi, _ = paired_diff([0, 0, 0, 0], [1, 2, 3, 4], level=0.90)
    assert hi - lo == pytest.approx(T95_3 * SD_1234, rel=1e-12)


# -- welch_diff -------------------------------------------------------------------------------


def test_welch_diff_matches_the_welch_satterthwaite_interval():
    from scipy import stats

    a, b = [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]
    va, vb = (5 / 3) / 4, (20 / 3) / 4  # sample variances over n
    df = (va + vb) ** 2 / (va**2 / 3 + vb**2 / 3)
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    d, lo, hi = welch_diff(a, b)
    assert d == 2.5 and df == pytest.approx(4.411765, rel=1e-6)
    assert lo == pytest.approx(2.5 - half, rel=1e-12) and hi == pytest.approx(2.5 + half, rel=1e-12)
    d90, lo90, hi90 = welch_diff(a, b, level=0.90)
    assert hi90 - lo90 == pytest.approx(2 * stats.t.ppf(0.95, df) * math.sqrt(va + vb), rel=1e-12)


def test_welch_diff_uses_each_sides_own_size():
    from scipy import stats

    a, b = [0.0, 2.0], [1.0, 2.0, 3.0, 4.0, 5.0]
    va, vb = 2.0 / 2, 2.5 / 5
    df = (va + vb) ** 2 / (va**2 / 1 + vb**2 / 4)
    d, lo, hi = welch_diff(a, b)
    assert d == 2.0
    assert hi - lo == pytest.approx(2 * stats.t.ppf(0.975, df) * math.sqrt(va + vb), rel=1e-12)


@pytest.mark.parametrize("a, b", [([1.0], [1.0, 2.0]), ([1.0, 2.0], [np.nan, 3.0]), ([], [])])
def test_welch_diff_needs_two_finite_values_a_side(a, b):
    assert all(math.isnan(v) for v in welch_diff(a, b))


def test_welch_diff_of_constant_samples_has_no_width():
    assert welch_diff([1.0, 1.0, np.nan], [3.0, 3.0]) == (2.0, 2.0, 2.0)


# -- compare_arms -----------------------------------------------------------------------------


def frame(**arms) -> pd.DataFrame:
    rows = [
        {"arm": arm, "seed": s, "compound": 0, "y": v, "z": 1.0}
        for arm, values in arms.items()
        for s, v in enumerate(values)
    ]
    return pd.DataFrame(rows)


def test_compare_arms_tabulates_means_and_paired_differences():
    s = frame(ref=[1, 2, 3, 4], x=[2, 4, 6, 8])
    t = compare_arms(s, ["y"], reference="ref").set_index("arm")
    assert list(t.columns) == [
        "outcome",
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
    assert t.loc["ref", "mean"] == 2.5 and t.loc["x", "mean"] == 5.0 and t.loc["x", "n"] == 4
    assert (t.loc["ref", "ci_low"], t.loc["ref", "ci_high"]) == mean_ci([1, 2, 3, 4])[1:3]
    assert math.isnan(t.loc["ref", "diff"])  # the reference has no difference to itself
    assert t.loc["x", "diff"] == 2.5 and t.loc["x", "n_pairs"] == 4  # x minus the reference
    _, dlo, dhi, _ = paired_diff([1, 2, 3, 4], [2, 4, 6, 8])
    _, ilo, ihi = welch_diff([1, 2, 3, 4], [2, 4, 6, 8])
    assert (t.loc["x", "diff_low"], t.loc["x", "diff_high"]) == (dlo, dhi)
    assert (t.loc["x", "indep_low"], t.loc["x", "indep_high"]) == (ilo, ihi)
    assert t.loc["x", "variance_reduction"] == pytest.approx(((ihi - ilo) / (dhi - dlo)) ** 2, rel=1e-12)


def test_compare_arms_pairs_on_seed_not_on_row_order():
    s = frame(ref=[1, 2, 3], x=[10, 20, 30])
    s = pd.concat([s[s.arm == "ref"], s[s.arm == "x"].iloc[::-1]])  # x's rows reversed
    t = compare_arms(s, ["y"], reference="ref").set_index("arm")
    assert t.loc["x", "diff"] == 18.0 and t.loc["x", "diff_high"] - t.loc["x", "diff_low"] > 0
    assert t.loc["x", "diff_low"] == pytest.approx(paired_diff([1, 2, 3], [10, 20, 30])[1])


def test_compare_arms_variance_reduction_is_undefined_when_differences_do_not_vary():
    t = compare_arms(frame(ref=[1, 2, 3], x=[3, 4, 5]), ["y"], reference="ref").set_index("arm")
    assert t.loc["x", "diff"] == 2.0 and math.isnan(t.loc["x", "variance_reduction"])


def test_compare_arms_keeps_order_skips_unknown_outcomes_and_honours_arms_and_level():
    s = frame(b=[1, 2, 3], a=[2, 3, 5], c=[0, 0, 1])
    t = compare_arms(s, ["nope", "y", "z"], reference="a")
    assert list(t.outcome.unique()) == ["y", "z"] and list(t.arm[:3]) == ["b", "a", "c"]
    two = compare_arms(s, ["y"], reference="a", arms=["a", "c"])
    assert list(two.arm) == ["a", "c"]
    narrow = compare_arms(s, ["y"], reference="a", level=0.5).set_index("arm")
    wide = compare_arms(s, ["y"], reference="a").set_index("arm")
    assert (
        narrow.loc["c", "diff_high"] - narrow.loc["c", "diff_low"]
        < wide.loc["c", "diff_high"] - wide.loc["c", "diff_low"]
    )
    assert narrow.loc["c", "ci_high"] < wide.loc["c", "ci_high"]


def test_compare_arms_without_its_reference_has_no_differences():
    t = compare_arms(frame(ref=[1, 2], x=[2, 3]), ["y"], reference="ref", arms=["x"])
    assert len(t) == 1 and math.isnan(t["diff"].iloc[0]) and math.isnan(t["variance_reduction"].iloc[0])


def test_compare_arms_counts_only_finite_pairs():
    t = compare_arms(frame(ref=[1, 2, np.nan, 4], x=[2, np.nan, 4, 6]), ["y"], reference="ref").set_index("arm")
    assert t.loc["x", "n"] == 3 and t.loc["x", "n_pairs"] == 2 and t.loc["x", "diff"] == 1.5


def test_compare_arms_gives_the_welch_interval_at_its_own_level():
    s = frame(ref=[1, 2, 3, 4], x=[2, 4, 6, 9])
    t = compare_arms(s, ["y"], reference="ref", level=0.9).set_index("arm")
    _, ilo, ihi = welch_diff([1, 2, 3, 4], [2, 4, 6, 9], 0.9)
    assert (t.loc["x", "indep_low"], t.loc["x", "indep_high"]) == (ilo, ihi)


def _paired_width(diffs) -> float:
    _, lo, hi, _ = paired_diff(np.zeros(len(diffs)), diffs)
    return hi - lo


@pytest.mark.parametrize(
    "diffs, defined",
    [
        ([0.0, 0.5, 0.0, 0.5], True),  # a real spread well under 1: defined
        ([1000.0, 1000.0 + 4e-8, 1000.0, 1000.0 + 4e-8], False),  # rounding-level spread of a big difference
        ("1.5e-9 wide", True),  # just above 1e-9 where the difference is near 0
        ("0.5e-9 wide", False),
    ],
)
def test_variance_reduction_is_undefined_only_where_the_paired_interval_is_rounding_wide(diffs, defined):
    # the guard: the paired width must exceed 1e-9 x max(|diff|, 1), the size of rounding in the diff
    if isinstance(diffs, str):
        unit = [0.0, 1.0, 0.0, 1.0]
        diffs = [v * float(diffs.split()[0]) / _paired_width(unit) for v in unit]
    width, d = _paired_width(diffs), float(np.mean(diffs))
    assert (width > 1e-9 * max(abs(d), 1.0)) == defined  # the case is on the side it claims
    t = compare_arms(frame(ref=[0.0] * 4, x=diffs), ["y"], reference="ref").set_index("arm")
    assert math.isnan(t.loc["x", "variance_reduction"]) != defined


@pytest.mark.parametrize("missing", [None, np.nan])
def test_missing_values_given_as_none_or_nan_are_left_out(missing):
    # a summary read back from JSON has None where a run had no value (e.g. co-funding under top_down)
    assert mean_ci([1.0, missing, 3.0])[::3] == (2.0, 2)
    assert paired_diff([1.0, missing, 3.0], [2.0, 5.0, 5.0])[::3] == (1.5, 2)
    assert paired_diff([2.0, 5.0, 5.0], [1.0, missing, 3.0])[::3] == (-1.5, 2)
    assert welch_diff([1.0, missing, 3.0, 5.0], [2.0, 4.0, 6.0])[0] == pytest.approx(1.0)
    assert welch_diff([2.0, 4.0, 6.0], [1.0, missing, 3.0, 5.0])[0] == pytest.approx(-1.0)


# -- sig3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x, text",
    [
        (0.63, "0.630"),
        (1123.4, "1,120"),
        (67100, "67,100"),
        (123456789, "123,000,000"),
        (0.12345, "0.123"),
        (0.9996, "1.00"),  # rounds up to the next power of ten: still three figures
        (0.0009996, "0.00100"),
        (9.996, "10.0"),
        (99.96, "100"),
        (999.6, "1,000"),
        (-0.5, "-0.500"),
        (-1234.5, "-1,230"),
        (5, "5.00"),
        (0, "0"),
        (0.0, "0"),
        (np.float64(2.5), "2.50"),
        (np.int64(12), "12.0"),
    ],
)
def test_sig3_gives_three_significant_figures(x, text):
    assert sig3(x) == text


@pytest.mark.parametrize("x", [None, math.nan, math.inf, -math.inf, np.nan])
def test_sig3_says_not_applicable_for_what_does_not_exist(x):
    assert sig3(x) == NOT_APPLICABLE == "n/a"
    assert sig3(x, na="—") == "—"


@pytest.mark.parametrize("x, text", [(True, "True"), (False, "False"), ("top_down", "top_down")])
def test_sig3_prints_flags_and_names_as_they_are(x, text):
    assert sig3(x) == text
