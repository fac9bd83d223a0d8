"""Quarters and deadlines as appendices write them: "Quý II/2021", "Tháng 6/2026", "30/9/2026"."""

from __future__ import annotations

import calendar
import re
from datetime import date

from knowledge.text import fold

__all__ = ["deadline_of", "due_year", "quarter_of", "recurs_yearly"]

_QUARTER = re.compile(r"quy\s*(iv|iii|ii|i|[1-4])\b(?:\s*(?:nam|/|-)?\s*((?:19|20)\d\d))?")
_YEARS = re.compile(r"(?:19|20)\d\d")
_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|-|nam)\s*((?:19|20)\d\d)\b")
_EVERY_YEAR = re.compile(r"\b(?:hang|moi) nam\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def quarter_of(text: str) -> tuple[int, int | None] | None:
    """The quarter (1–4) and year a text names, or None.

    Example:
        >>> quarter_of("Quý III năm 2021"), quarter_of("Quý IV/2026"), quarter_of("2021 - 2025")
        ((3, 2021), (4, 2026), None)

    """
    m = _QUARTER.search(fold(text))
    if not m:
        return None
    return _ROMAN[m.group(1)], int(m.group(2)) if m.group(2) else None


def due_year(text: str) -> int | None:
    """The one year a deadline falls in, or None for a period or "Hằng năm".

    Example:
        >>> due_year("Năm 2027"), due_year("30/9/2026"), due_year("Tháng 6/2026")
        (2027, 2026, 2026)
        >>> due_year("Quý III/2026"), due_year("2021 - 2025"), due_year("Hằng năm")
        (2026, None, None)

    """
    years = set(_YEARS.findall(fold(text)))
    return int(years.pop()) if len(years) == 1 else None


def recurs_yearly(text: str) -> bool:
    """Whether a deadline recurs every year ("Hằng năm", "hàng năm", "mỗi năm")."""
    return bool(_EVERY_YEAR.search(fold(text)))


def _date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(month: int, year: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_of(due: str, on: date | None = None) -> date | None:
    """The last day to submit, from a deadline in any of the forms the documents write.

    - "30/9/2026" (a day): that day.
    - "Tháng 6/2026", "tháng 6 năm 2026" (a month): its last day.
    - "Quý III/2026", "Quý II năm 2021" (a quarter): its last day.
    - "Năm 2027", "2021 - 2025" (a year or a period): 31 December of the last year.
    - "Hằng năm" / "Hàng năm" (every year, no year written): 31 December of the
      year of ``on`` — the deadline that is current on that day — or None
      without ``on``: there is no single deadline.

    Example:
        >>> deadline_of("Quý II năm 2021"), deadline_of("Quý IV/2026"), deadline_of("2021 - 2025")
        (datetime.date(2021, 6, 30), datetime.date(2026, 12, 31), datetime.date(2025, 12, 31))
        >>> deadline_of("30/9/2026"), deadline_of("Tháng 6/2026"), deadline_of("Năm 2027")
        (datetime.date(2026, 9, 30), datetime.date(2026, 6, 30), datetime.date(2027, 12, 31))
        >>> deadline_of("Hằng năm"), deadline_of("Hằng năm", date(2026, 12, 1))
        (None, datetime.date(2026, 12, 31))

    """
    folded = fold(due)
    day = _DAY.search(folded)
    if day:
        return _date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
    month = _MONTH.search(folded)
    if month:
        return _month_end(int(month.group(1)), int(month.group(2)))
    quarter = quarter_of(due)
    if quarter is not None and quarter[1] is not None:
        end_month, end_day = _QUARTER_END[quarter[0]]
        return date(quarter[1], end_month, end_day)
    years = _YEARS.findall(folded)
    if years:
        return date(int(max(years)), 12, 31)
    if _EVERY_YEAR.search(folded) and on is not None:
        return date(on.year, 12, 31)
    return None
