"""Quarters and deadlines as the appendix writes them: "Quý II năm 2021", "Quý IV/2026"."""

from __future__ import annotations

import re
from datetime import date

from knowledge.text import fold

__all__ = ["deadline_of", "quarter_of"]

_QUARTER = re.compile(r"quy\s*(iv|iii|ii|i|[1-4])\b(?:\s*(?:nam|/|-)?\s*((?:19|20)\d\d))?")
_YEARS = re.compile(r"(?:19|20)\d\d")
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


def deadline_of(due: str) -> date | None:
    """The last day to submit: a quarter ends on its last day; a period on 31 December.

    Example:
        >>> deadline_of("Quý II năm 2021"), deadline_of("Quý IV/2026"), deadline_of("2021 - 2025")
        (datetime.date(2021, 6, 30), datetime.date(2026, 12, 31), datetime.date(2025, 12, 31))

    """
    quarter = quarter_of(due)
    if quarter is not None and quarter[1] is not None:
        month, day = _QUARTER_END[quarter[0]]
        return date(quarter[1], month, day)
    years = _YEARS.findall(fold(due))
    return date(int(max(years)), 12, 31) if years else None
