"""A city's housing stock: one row per old compound, from a CSV file or drawn from a scenario's totals (§7.13).

The file schema is :class:`sim.city.stock_schema.StockRow` (documented in docs/STOCK.md). :func:`read_stock` validates a
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
from pathlib import Path

import numpy as np
import pandas as pd

from sim import rng
from sim.city.stock_schema import COLUMNS, check_header, validate_rows
from sim.errors import InputError
from sim.inputs import read_text
from sim.rng import Purpose
from sim.topology import n_buildings

MAX_STOCK_BYTES = 128 << 20  # 128 MiB: a national stock of 340,000 compounds is about 25 MiB
MAX_STOCK_ROWS = 1_000_000
#: the synthetic draw's construction years [A]: the 2000 cut-off of 国办发〔2020〕23号
SYNTHETIC_YEARS = (1980, 2000)


def read_stock(path: str | Path, default_city: str = "city") -> pd.DataFrame:
    """Read and validate a stock CSV file (UTF-8, a header row, comma-separated)."""
    text = read_text(path, "stock file", limit=MAX_STOCK_BYTES, expect="a CSV file")
    return parse_stock(text.removeprefix("\ufeff"), str(path), default_city)  # spreadsheets write a BOM


def parse_stock(text: str, source: str, default_city: str = "city") -> pd.DataFrame:
    """Validate CSV text as a stock; see the module docstring for what comes back."""
    header, rows = _split(text, source)
    check_header(header, source)
    if not rows:
        raise InputError(f"{source}: no compounds (a header row and no data rows)")
    if len(rows) > MAX_STOCK_ROWS:
        raise InputError(f"{source}: {len(rows):,} compounds; the limit is {MAX_STOCK_ROWS:,} rows")
    frame = validate_rows(header, rows, source, default_city)
    frame["key"] = np.arange(len(frame), dtype=np.int64)
    return frame


def _split(text: str, source: str) -> tuple[list[str], list[list[str]]]:
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InputError(f"{source}: malformed CSV ({exc})") from None
    lines = [row for row in lines if any(cell.strip() for cell in row)]  # blank lines carry nothing
    if not lines:
        raise InputError(f"{source}: empty file; expected a header row: {', '.join(COLUMNS)}")
    header = [h.strip() for h in lines[0]]
    for n, row in enumerate(lines[1:], start=1):
        if len(row) != len(header):
            raise InputError(f"{source}: row {n} has {len(row)} fields, the header {len(header)}")
    return header, [[cell.strip() for cell in row] for row in lines[1:]]


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
    return out[[c for c in COLUMNS if c in out.columns]]


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
