"""The model's calendar: a tick is a week, a year 52 ticks, months and scheduled events within it."""

from __future__ import annotations

WEEKS_PER_YEAR = 52


def month(t: int) -> int:
    """The month (from 0) that week ``t`` falls in."""
    return (t * 12) // WEEKS_PER_YEAR


def scheduled(t: int, per_year: int, offset: float = 0.0) -> bool:
    """Whether week ``t`` holds one of ``per_year`` events spread evenly over each year."""
    if per_year <= 0:
        return False
    w = t % WEEKS_PER_YEAR
    return any(int(offset + j * WEEKS_PER_YEAR / per_year) % WEEKS_PER_YEAR == w for j in range(per_year))
