"""Fuzzed bad stock files (issue 19, "Done when"): one line, exit 2, nothing written, never a traceback.

Each case starts from a valid stock and breaks it: a missing column, a negative or non-integer
count, a repeated id, a wrong type, a bad choice, a field too many, an undecodable or binary file,
a file over the size or row limit. ``RENOSIM_FUZZ_STOCK`` sets the number of cases (default 250).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from experiments.cli import main
from sim.city import stock as stock_module

N = int(os.environ.get("RENOSIM_FUZZ_STOCK", "250"))
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True, derandomize=True)
HEADER = ["city", "compound_id", "households", "year_built", "buildings", "party_members", "management"]
REQUIRED = ["compound_id", "households", "year_built", "buildings", "management"]
#: breaks of one cell, with values that are never valid there
CELLS = {
    "households": ["-5", "0", "19", "10001", "12.5", "abc", "", "1e3", "99999999999999999999"],
    "year_built": ["1899", "2031", "nineteen", "", "1990.0"],
    "buildings": ["0", "-1", "x", ""],
    "party_members": ["-1", "2.5", "many", ""],
    "management": ["council", "", "None", "company "],
    "compound_id": ["", "x" * 201],
}


@st.composite
def rows(draw):
    n = draw(st.integers(1, 12))
    out = []
    for i in range(n):
        hh = draw(st.integers(20, 2000))
        out.append(
            [
                draw(st.sampled_from(["a", "b"])),
                f"C{i:03d}",
                str(hh),
                str(draw(st.integers(1950, 2000))),
                str(draw(st.integers(1, min(hh, 40)))),
                str(draw(st.integers(0, hh // 5))),
                draw(st.sampled_from(["none", "owners_committee", "company", "street_office"])),
            ]
        )
    return out


def render(header, body) -> str:
    return "\n".join(",".join(r) for r in [header, *body]) + "\n"


@st.composite
def bad_stock(draw):
    """(file bytes, kind of break, whether the error names a row and a column, a limit to patch)."""
    body = draw(rows())
    header = list(HEADER)
    kind = draw(
        st.sampled_from(
            ["cell", "missing", "unknown", "duplicate", "over", "both_party", "no_party", "fields", "header_twice"]
            + ["empty", "header_only", "binary", "latin1", "too_big", "too_many_rows"]
        )
    )
    cellish = kind in ("cell", "duplicate", "over")
    patch = None
    if kind == "cell":
        col = draw(st.sampled_from(sorted(CELLS)))
        r = draw(st.integers(0, len(body) - 1))
        body[r][HEADER.index(col)] = draw(st.sampled_from(CELLS[col]))
    elif kind == "missing":
        col = HEADER.index(draw(st.sampled_from(REQUIRED)))
        header.pop(col)
        body = [row[:col] + row[col + 1 :] for row in body]
    elif kind == "unknown":
        header.append(draw(st.sampled_from(["colour", "Households", "party", " ", "年份"])))
        body = [[*row, "1"] for row in body]
    elif kind == "duplicate":
        body.append(list(body[draw(st.integers(0, len(body) - 1))]))
    elif kind == "over":
        r = draw(st.integers(0, len(body) - 1))
        col = draw(st.sampled_from(["buildings", "party_members"]))
        body[r][HEADER.index(col)] = str(int(body[r][2]) + draw(st.integers(1, 50)))
    elif kind == "both_party":
        header.append("party_share")
        body = [[*row, "0.1"] for row in body]
    elif kind == "no_party":
        header.remove("party_members")
        body = [row[:5] + row[6:] for row in body]
    elif kind == "fields":
        body[draw(st.integers(0, len(body) - 1))].append("extra")
    elif kind == "header_twice":
        header.append("households")
        body = [[*row, row[2]] for row in body]
    text = render(header, body)
    if kind == "empty":
        text = draw(st.sampled_from(["", "\n\n", " , ,\n"]))
    elif kind == "header_only":
        text = render(header, [])
    data = text.encode("utf-8")
    if kind == "binary":
        data = data[: len(data) // 2] + b"\0" + data[len(data) // 2 :]
    elif kind == "latin1":
        data = data.replace(b"C000", "Ç000".encode("latin-1"), 1) if b"C000" in data else b"\xff" + data
    elif kind == "too_big":
        patch = ("MAX_STOCK_BYTES", len(data) - 1)
    elif kind == "too_many_rows":
        patch = ("MAX_STOCK_ROWS", len(body) - 1) if len(body) > 1 else ("MAX_STOCK_BYTES", 1)
    return data, kind, cellish, patch


def run_city(stock: Path, out: Path) -> tuple[int, str]:
    err, sink = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(sink):
        try:
            main(["city", "--stock", str(stock), "--out", str(out)])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, err.getvalue()


@pytest.mark.slow
@settings(FUZZ, max_examples=N)
@given(case=bad_stock())
def test_a_bad_stock_file_gives_one_line_exit_2_and_writes_nothing(case):
    data, kind, cellish, patch = case
    event(kind)
    with tempfile.TemporaryDirectory() as tmp:
        f, out = Path(tmp) / "stock.csv", Path(tmp) / "out"
        f.write_bytes(data)
        limit = mock.patch.object(stock_module, *patch) if patch else contextlib.nullcontext()
        with limit:
            code, message = run_city(f, out)
        assert code == 2, message
        assert message.count("\n") == 1 and message.startswith("renosim: error: "), message
        assert not out.exists() and sorted(Path(tmp).iterdir()) == [f]
        if cellish:
            assert re.search(r"row \d+, column \w+", message), message


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    f = tmp_path / "huge.csv"
    with open(f, "wb") as fh:
        fh.truncate(stock_module.MAX_STOCK_BYTES + 1)  # sparse: no disk used, nothing to read
    code, message = run_city(f, tmp_path / "out")
    assert code == 2 and "the limit is" in message and message.count("\n") == 1, message


@pytest.mark.parametrize("what", ["folder", "missing"])
def test_a_stock_path_that_is_no_file_is_refused(tmp_path, what):
    f = tmp_path / "d"
    if what == "folder":
        f.mkdir()
    code, message = run_city(f, tmp_path / "out")
    assert code == 2 and message.count("\n") == 1 and "stock file" in message, message
