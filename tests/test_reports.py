"""One rounding rule (3 significant figures, thousands separated); NaN is 'n/a', never 0."""

import math

import pytest

from experiments.formatting import sig3


@pytest.mark.parametrize(
    "value, text",
    [
        (0.63, "0.630"),
        (0.643, "0.643"),
        (1123.4, "1,120"),
        (67100, "67,100"),
        (5.7, "5.70"),
        (-0.0042, "-0.00420"),
        (9.996, "10.0"),
        (0, "0"),
        (math.nan, "n/a"),
        (None, "n/a"),
        (float("inf"), "n/a"),
    ],
)
def test_sig3(value, text):
    assert sig3(value) == text
