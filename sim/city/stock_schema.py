"""The stock file's schema as a pydantic model, one row per compound (§7.13; docs/STOCK.md).

:class:`StockRow` declares every column — type, range, meaning — in one place; the docs table,
``renosim stock template`` and the validation all follow it. :func:`validate_rows` checks the header
and then every row at once (pydantic's list validation), and turns the first problem into one line
that names the row, the column, the value and what is allowed, with the count of further problems.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from annotated_types import Ge, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from sim import limits
from sim.errors import InputError

MANAGEMENT = ("none", "owners_committee", "company", "street_office")
MAX_TEXT = 200  # characters in a name or id
HH_LOW, HH_HIGH = limits.HOUSEHOLDS


_DIGITS = re.compile(r"^[+-]?[0-9]{1,18}$")


def _integer(value):
    """Digits only (a sign allowed): ``12.0``, ``1e3`` or ``1_000`` are not integers in a stock file."""
    if isinstance(value, str) and not _DIGITS.match(value):
        raise ValueError("not an integer")
    return value


Int = Annotated[int, BeforeValidator(_integer)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


class StockRow(BaseModel):
    """One compound of a stock file."""

    model_config = ConfigDict(extra="forbid")
    city: Text = Field("", description="city the compound belongs to; each city runs under its own bureau")
    compound_id: Text = Field(min_length=1, description="the compound's id, unique within its city")
    households: Int = Field(ge=HH_LOW, le=HH_HIGH, description="households (户) living in the compound")
    year_built: Int = Field(ge=1900, le=2030, description="year the compound was completed")
    buildings: Int = Field(ge=1, le=HH_HIGH, description="residential buildings (栋), at most one per household")
    party_members: Int | None = Field(None, ge=0, le=HH_HIGH, description="households with a CPC member")
    party_share: float | None = Field(
        None, ge=0, le=1, allow_inf_nan=False, description="share of households with a CPC member"
    )
    management: Literal[MANAGEMENT] = Field(description="management at the start")
    street_office: Text = Field("", description="street office (街道)")
    community: Text = Field("", description="community (社区) whose street-office hours the compound shares")
    district: Text = Field("", description="district (区), for grouping results")
    province: Text = Field("", description="province, for grouping results")

    @model_validator(mode="after")
    def _within(self):
        for name in ("buildings", "party_members"):
            value = getattr(self, name)
            if value is not None and value > self.households:
                raise ValueError(f"column {name}: {value} is more than its {self.households} households")
        return self


COLUMNS: tuple[str, ...] = tuple(StockRow.model_fields)
PARTY = ("party_members", "party_share")
REQUIRED = tuple(n for n, f in StockRow.model_fields.items() if f.is_required())
_ROWS = TypeAdapter(list[StockRow])


def allowed(name: str) -> str:
    """What a column takes, from the model: "an integer from 20 to 10000", "one of ..."."""
    f = StockRow.model_fields[name]
    low = next((m.ge for m in f.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in f.metadata if isinstance(m, Le)), None)
    if name == "management":
        return "one of " + ", ".join(MANAGEMENT)
    if name == "party_share":
        return f"a number from {low:g} to {high:g}"
    if low is not None:
        return f"an integer from {low:g} to {high:g}"
    return f"text of {'1' if f.is_required() else '0'} to {MAX_TEXT} characters"


def check_header(header: list[str], source: str) -> None:
    """Known columns, each once, the required ones present, exactly one party column."""
    seen: set[str] = set()
    for name in header:
        if name not in StockRow.model_fields:
            raise InputError(f"{source}: unknown column {name[:60]!r}; allowed: {', '.join(COLUMNS)}")
        if name in seen:
            raise InputError(f"{source}: column {name!r} is given twice")
        seen.add(name)
    missing = [n for n in REQUIRED if n not in seen]
    if missing:
        need = ", ".join([*REQUIRED, "party_members or party_share"])
        raise InputError(f"{source}: missing column {missing[0]!r}; required: {need}")
    party = [c for c in PARTY if c in seen]
    if len(party) != 1:
        raise InputError(f"{source}: give exactly one of the columns party_members or party_share, not {len(party)}")


def validate_rows(header: list[str], rows: list[list[str]], source: str, default_city: str) -> pd.DataFrame:
    """Every row through :class:`StockRow`, then ids unique within each city; the rows as a frame.

    The header must have passed :func:`check_header`.
    """
    try:
        valid = _ROWS.validate_python([dict(zip(header, r, strict=True)) for r in rows])
    except ValidationError as exc:
        raise InputError(_first(exc, rows, header, source)) from None
    frame = pd.DataFrame([r.model_dump() for r in valid], columns=list(COLUMNS))
    frame["city"] = frame.city.where(frame.city != "", default_city)
    _unique_ids(frame, source)
    if "party_members" in header:  # the stated conversion: a count of households becomes their share
        frame["party_share"] = frame.party_members / frame.households
    frame["party_share"] = frame.party_share.astype(float)
    return frame.drop(columns=["party_members"])


def _first(exc: ValidationError, rows: list[list[str]], header: list[str], source: str) -> str:
    """The first problem, as one line naming row and column."""
    errors = sorted(exc.errors(), key=lambda e: (e["loc"][0], COLUMNS.index(e["loc"][1]) if len(e["loc"]) > 1 else 99))
    err = errors[0]
    row = err["loc"][0]
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    if len(err["loc"]) == 1:  # a rule between columns
        return f"{source}: row {row + 1}, {str(err['msg']).removeprefix('Value error, ')}{more}"
    name = err["loc"][1]
    cell = rows[row][header.index(name)]
    return f"{source}: row {row + 1}, column {name}: {shown(cell)} is not {allowed(name)}{more}"


def shown(cell: str) -> str:
    return repr(cell[:40] + ("..." if len(cell) > 40 else ""))


def _unique_ids(frame: pd.DataFrame, source: str) -> None:
    ids = frame[["city", "compound_id"]]
    dup = np.flatnonzero(ids.duplicated().to_numpy())
    if dup.size:
        first = ids.reset_index().groupby(["city", "compound_id"])["index"].transform("min").to_numpy()
        i = int(dup[0])
        more = f" (+{dup.size - 1} more)" if dup.size > 1 else ""
        raise InputError(
            f"{source}: row {i + 1}, column compound_id: {shown(frame.compound_id[i])} repeats row {first[i] + 1} "
            f"of city {frame.city[i]!r}{more}"
        )
