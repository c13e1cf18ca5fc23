"""A city's housing stock: one row per old compound, from a CSV file or drawn from a scenario's totals (§7.13).

The file schema is :data:`COLUMNS` (documented in docs/STOCK.md). :func:`read_stock` validates a
file completely before anything runs: an error names the row and the column, what is wrong and what
is allowed, as one :class:`InputError` line (with the count of further errors). A validated stock is
a DataFrame of the file's columns plus ``key``, the number that keys every random draw of the
compound and its households (its 0-based row in the file, or its index in a synthetic draw), so a
compound's residents do not depend on which other compounds run beside it.

Unit conversions: ``households`` counts households (户), not residents (E24: 2.66 persons a
household); ``party_members`` (a count of households with a CPC member) becomes
``party_share = party_members / households``, each household's chance of being one.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim import limits, rng
from sim.errors import InputError
from sim.network import n_buildings
from sim.rng import Purpose

MANAGEMENT = ("none", "owners_committee", "company", "street_office")
MAX_STOCK_BYTES = 128 << 20  # 128 MiB: a national stock of 340,000 compounds is about 25 MiB
MAX_STOCK_ROWS = 1_000_000
MAX_TEXT = 200  # characters in a name or id
YEARS_BUILT = (1900, 2030)
#: the synthetic draw's construction years [A]: the 2000 cut-off of 国办发〔2020〕23号
SYNTHETIC_YEARS = (1980, 2000)


@dataclass(frozen=True)
class Column:
    """One column of the stock file: its name, type, range and meaning."""

    name: str
    kind: str  # text, int, share or choice
    meaning: str
    required: bool = True
    low: float | None = None
    high: float | None = None


COLUMNS: tuple[Column, ...] = (
    Column("city", "text", "city the compound belongs to; each city runs under its own bureau", False),
    Column("compound_id", "text", "the compound's id, unique within its city"),
    Column("households", "int", "households (户) living in the compound", True, *limits.HOUSEHOLDS),
    Column("year_built", "int", "year the compound was completed", True, *YEARS_BUILT),
    Column("buildings", "int", "residential buildings (栋), at most one per household", True, 1, limits.HOUSEHOLDS[1]),
    Column("party_members", "int", "households with a CPC member (or party_share)", False, 0, limits.HOUSEHOLDS[1]),
    Column("party_share", "share", "share of households with a CPC member (or give party_members)", False, 0, 1),
    Column("management", "choice", "management at the start: " + ", ".join(MANAGEMENT)),
    Column("street_office", "text", "street office (街道); compounds of a community share its hours", False),
    Column("community", "text", "community (社区) whose street-office hours the compound shares", False),
    Column("district", "text", "district (区), for grouping results", False),
    Column("province", "text", "province, for grouping results", False),
)
BY_NAME = {c.name: c for c in COLUMNS}
PARTY = ("party_members", "party_share")
_INT = re.compile(r"^[+-]?\d{1,18}$")


def read_stock(path: str | Path, default_city: str = "city") -> pd.DataFrame:
    """Read and validate a stock CSV file (UTF-8, a header row, comma-separated)."""
    return parse_stock(_read_bounded(Path(path)), str(path), default_city)


def _read_bounded(path: Path) -> str:
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode) or not stat.S_ISREG(st.st_mode):
            raise InputError(f"stock file {path} is not a regular file; give a CSV file")
        if st.st_size > MAX_STOCK_BYTES:
            raise InputError(f"stock file {path} is {st.st_size:,} bytes; the limit is {MAX_STOCK_BYTES:,} bytes")
        with open(path, "rb") as fh:
            data = fh.read(MAX_STOCK_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read stock file {str(path)[:200]}: {exc.strerror or exc}") from None
    if len(data) > MAX_STOCK_BYTES:
        raise InputError(f"stock file {path} is larger than the limit of {MAX_STOCK_BYTES:,} bytes")
    if b"\0" in data:
        raise InputError(f"stock file {path} is a binary file, not CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"stock file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None


def parse_stock(text: str, source: str, default_city: str = "city") -> pd.DataFrame:
    """Validate CSV text as a stock; see the module docstring for what comes back."""
    header, rows = _split(text, source)
    _check_header(header, source)
    if not rows:
        raise InputError(f"{source}: no compounds (a header row and no data rows)")
    if len(rows) > MAX_STOCK_ROWS:
        raise InputError(f"{source}: {len(rows):,} compounds; the limit is {MAX_STOCK_ROWS:,} rows")
    raw = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    frame, errors = _columns(raw, default_city)
    if not errors:
        errors = _cross_checks(frame)
    if errors:
        row, order, _ = min(errors)
        message = next((m for r, o, m in errors if (r, o) == (row, order) and m), "invalid value")
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"{source}: row {row + 1}, {message}{more}")
    if "party_members" in raw:  # the stated conversion: a count of households becomes their share
        frame["party_share"] = frame["party_members"] / frame["households"]
    frame = frame.drop(columns=["party_members"])
    frame["key"] = np.arange(len(frame), dtype=np.int64)
    return frame


def _split(text: str, source: str) -> tuple[list[str], list[list[str]]]:
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InputError(f"{source}: malformed CSV ({exc})") from None
    lines = [row for row in lines if any(cell.strip() for cell in row)]  # blank lines carry nothing
    if not lines:
        raise InputError(f"{source}: empty file; expected a header row: {', '.join(c.name for c in COLUMNS)}")
    header = [h.strip() for h in lines[0]]
    for n, row in enumerate(lines[1:], start=1):
        if len(row) != len(header):
            raise InputError(f"{source}: row {n} has {len(row)} fields, the header {len(header)}")
    return header, [[cell.strip() for cell in row] for row in lines[1:]]


def _check_header(header: list[str], source: str) -> None:
    seen = set()
    for name in header:
        if name not in BY_NAME:
            raise InputError(f"{source}: unknown column {name[:60]!r}; allowed: {', '.join(BY_NAME)}")
        if name in seen:
            raise InputError(f"{source}: column {name!r} is given twice")
        seen.add(name)
    missing = [c.name for c in COLUMNS if c.required and c.name not in seen]
    if missing:
        raise InputError(f"{source}: missing column {missing[0]!r}; required: {', '.join(_required())}")
    party = [c for c in PARTY if c in seen]
    if len(party) != 1:
        raise InputError(f"{source}: give exactly one of the columns party_members or party_share, not {len(party)}")


def _required() -> list[str]:
    return [c.name for c in COLUMNS if c.required] + ["party_members or party_share"]


def _columns(raw: dict[str, list[str]], default_city: str) -> tuple[pd.DataFrame, list]:
    n = len(next(iter(raw.values())))
    out: dict[str, object] = {}
    errors: list[tuple[int, int, str]] = []
    for order, col in enumerate(COLUMNS):
        cells = np.array(raw[col.name], dtype=object) if col.name in raw else None
        values, bad, why = _parse(col, cells, n, default_city)
        out[col.name] = values
        errors += [(int(i), order, f"column {col.name}: {_shown(cells[i])} {why}") for i in np.flatnonzero(bad)[:1]]
        errors += [(int(i), order, "") for i in np.flatnonzero(bad)[1:]]  # counted, not shown
    return pd.DataFrame(out), errors


def _parse(col: Column, cells, n: int, default_city: str):
    """(values, bad mask, why) for one column; absent optional columns are filled."""
    if cells is None:
        fill = {"city": default_city, "party_share": np.nan, "party_members": -1}.get(col.name, "")
        kind = np.float64 if col.kind == "share" else np.int64 if col.kind == "int" else object
        return np.full(n, fill, dtype=kind), np.zeros(n, bool), ""
    if col.kind == "text":
        long = np.array([len(c) > MAX_TEXT for c in cells])
        empty = np.array([c == "" for c in cells]) if col.required else np.zeros(n, bool)
        values = np.where(empty | long, "", cells) if col.name != "city" else np.where(cells == "", default_city, cells)
        return values, empty | long, f"is empty or longer than {MAX_TEXT} characters"
    if col.kind == "choice":
        ok = np.isin(cells, MANAGEMENT)
        return cells, ~ok, f"is not one of {', '.join(MANAGEMENT)}"
    if col.kind == "int":
        ok = np.array([bool(_INT.match(c)) for c in cells])
        values = np.array([int(c) if good else 0 for c, good in zip(cells, ok, strict=True)], dtype=np.int64)
        bad = ~ok | (values < col.low) | (values > col.high)
        return values, bad, f"is not an integer from {col.low:g} to {col.high:g}"
    values = np.array([_float(c) for c in cells], dtype=np.float64)
    bad = ~np.isfinite(values) | (values < col.low) | (values > col.high)
    return values, bad, f"is not a number from {col.low:g} to {col.high:g}"


def _float(cell: str) -> float:
    try:
        return float(cell) if len(cell) <= 40 else np.nan
    except ValueError:
        return np.nan


def _shown(cell: str) -> str:
    return repr(cell[:40] + ("..." if len(cell) > 40 else ""))


def _cross_checks(frame: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Rows that break a rule between columns: an id repeated in its city, more buildings or more
    party households than households."""
    errors = []
    ids = frame[["city", "compound_id"]]
    dup = np.flatnonzero(ids.duplicated().to_numpy())
    if dup.size:
        first = ids.reset_index().groupby(["city", "compound_id"])["index"].transform("min").to_numpy()
        i = int(dup[0])
        msg = f"column compound_id: {_shown(frame.compound_id[i])} repeats row {first[i] + 1} of city {frame.city[i]!r}"
        errors += [(i, 1, msg)] + [(int(j), 1, "") for j in dup[1:]]
    n = frame.households.to_numpy()
    for order, name in ((4, "buildings"), (5, "party_members")):
        over = np.flatnonzero(frame[name].to_numpy() > n)
        errors += [(int(i), order, f"column {name}: {frame[name][i]} is more than its {n[i]} households") for i in over]
    return errors


def synthetic_stock(sc, seed: int, first_key: int = 0, sizes=None) -> pd.DataFrame:
    """A scenario's stock drawn from its totals (lognormal sizes, E8): what city mode ran before files.

    Buildings follow N / 23.2 (E8), the party share is the parameter ``pi_party`` (NaN here), an
    existing owners' committee is drawn at ``existing_oc_share`` from each compound's own key, and
    compound ``k`` belongs to community ``k * communities // compounds`` (E24). Keys run from
    ``first_key``, so a national slice's compounds do not repeat another slice's.
    """
    from sim.city.scenario import city_sizes

    if sizes is None:
        sizes = city_sizes(int(seed), sc.compounds, sc.households, sc.size_sigma_log)
    k = np.arange(len(sizes))
    keys = first_key + k
    existing = np.array([_existing_oc(seed, int(c)) < sc.existing_oc_share for c in keys])
    lo, hi = SYNTHETIC_YEARS
    year_keys = rng.slot_keys(rng.compound_key(seed, (1 << 30) + 1), keys)
    years = lo + np.floor(rng.uniform(year_keys, 0, Purpose.AREA) * (hi - lo + 1)).astype(np.int64)
    return pd.DataFrame(
        {
            "city": sc.name,
            "compound_id": [f"{sc.name}-{c:06d}" for c in keys],
            "households": np.asarray(sizes, dtype=np.int64),
            "year_built": years,
            "buildings": np.array([n_buildings(int(n)) for n in sizes], dtype=np.int64),
            "party_share": np.nan,
            "management": np.where(existing, "owners_committee", "none"),
            "street_office": "",
            "community": [f"{sc.name}-c{j:05d}" for j in k * sc.communities // len(k)],
            "district": "",
            "province": "",
            "key": keys.astype(np.int64),
        }
    )


def _existing_oc(seed: int, key: int) -> float:
    """The die :class:`sim.city.CityModel` rolled for an existing owners' committee (E25)."""
    slot = int(rng.slot_keys(rng.compound_key(seed, key), rng.COMPOUND_SLOT + 100 + 6))
    return rng.uniform_int(slot, 0, Purpose.EXISTING_OC)


def to_csv_frame(stock: pd.DataFrame, pi_party: float) -> pd.DataFrame:
    """The stock as a file writes it: the schema's columns, the party share filled in."""
    out = stock.drop(columns=["key"]).copy()
    out["party_share"] = out.party_share.fillna(pi_party)
    return out[[c.name for c in COLUMNS if c.name in out.columns]]


def template() -> pd.DataFrame:
    """Three example rows showing every column (``renosim stock template``)."""
    return pd.DataFrame(
        {
            "city": ["mycity", "mycity", "mycity"],
            "compound_id": ["A001", "A002", "B001"],
            "households": [240, 96, 410],
            "year_built": [1988, 1995, 1999],
            "buildings": [8, 4, 15],
            "party_members": [22, 6, 30],
            "management": ["none", "owners_committee", "street_office"],
            "street_office": ["Xinzhu", "Xinzhu", "Nanhu"],
            "community": ["Xinzhu-1", "Xinzhu-1", "Nanhu-3"],
            "district": ["Qingxiu", "Qingxiu", "Qingxiu"],
            "province": ["Guangxi", "Guangxi", "Guangxi"],
        }
    )
