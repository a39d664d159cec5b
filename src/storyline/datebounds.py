"""The years a date may have: outside [dates] min_year..max_year it is a typo or a placeholder
("0001-01-01", "9999-12-31"), never a date of a news article, and date arithmetic on it
overflows (a deictic "gestern" anchored on 9999-12-31). Such a value is ignored as a date;
the article is kept."""

from __future__ import annotations

import re

from storyline.settings import default

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def year_bounds() -> tuple[int, int]:
    cfg = default().section("dates")
    return int(cfg.get("min_year", 1000)), int(cfg.get("max_year", 2200))


def year_ok(year: int) -> bool:
    lo, hi = year_bounds()
    return lo <= year <= hi


def valid_month(value: str | None) -> str | None:
    """'YYYY-MM' with a real month and a year inside the bounds, else None."""
    m = _MONTH.match(value or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or not year_ok(int(m.group(1))):
        return None
    return value
