"""How every report prints a number: the one rounding rule, and what stands for a missing value.

Only the standard library, so a command's table code (and ``renosim --help``, which imports every
command) does not load the statistics stack to round a number.
"""

from __future__ import annotations

import math

NOT_APPLICABLE = "n/a"


def sig3(x, na: str = NOT_APPLICABLE) -> str:
    """The one rounding rule of every report: 3 significant figures, thousands separated.

    ``0.63 -> "0.630"``, ``1123.4 -> "1,120"``, ``67100 -> "67,100"``; NaN or None -> ``na``
    ("n/a": the outcome does not exist in that run, e.g. co-funding under top_down — never 0).
    """
    if x is None or isinstance(x, bool | str):
        return na if x is None else str(x)
    v = float(x)
    if not math.isfinite(v):
        return na
    if v == 0:
        return "0"
    digits = 2 - math.floor(math.log10(abs(v)))
    r = round(v, digits)
    if r != 0 and math.floor(math.log10(abs(r))) > math.floor(math.log10(abs(v))):
        digits -= 1  # 9.996 rounds up to 10.0: still three figures
        r = round(v, digits)
    return f"{r:,.{max(digits, 0)}f}"
