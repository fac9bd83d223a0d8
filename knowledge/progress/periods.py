"""Reporting periods as offices name them: "tháng 11", "quý 3/2026", "6 tháng đầu năm", "năm 2026".

Pure date arithmetic: :func:`parse_period` reads the words of ``/baocao``; :func:`current`
and :func:`previous` give the period around a day (a subscription sends the one that just
ended).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.text import fold

__all__ = [
    "HALF",
    "KINDS",
    "MONTH",
    "QUARTER",
    "RANGE",
    "YEAR",
    "Period",
    "current",
    "parse_kind",
    "parse_period",
    "previous",
]

MONTH = "thang"
QUARTER = "quy"
HALF = "6thang"
YEAR = "nam"
RANGE = "khoang"
KINDS = (MONTH, QUARTER, HALF, YEAR)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}
_YEAR = r"((?:19|20)\d\d)"
_SEP = r"\s*(?:/|-|\s|nam\s)\s*"


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends included.

    Attributes:
        kind: ``thang``, ``quy``, ``6thang``, ``nam`` or ``khoang`` (any range).
        start: First day.
        end: Last day.

    """

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        """Vietnamese name: "Tháng 11/2026", "Quý IV/2026", "6 tháng đầu năm 2026", "Năm 2026"."""
        y = self.start.year
        if self.kind == MONTH:
            return f"Tháng {self.start.month}/{y}"
        if self.kind == QUARTER:
            return f"Quý {_ROMAN_OUT[(self.start.month - 1) // 3 + 1]}/{y}"
        if self.kind == HALF:
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {y}"
        if self.kind == YEAR:
            return f"Năm {y}"
        return f"Từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    def key(self) -> str:
        """A stable id of the period: "2026-Q4", "2026-11", "2026-H1", "2026"."""
        y = self.start.year
        return {
            MONTH: f"{y}-{self.start.month:02d}",
            QUARTER: f"{y}-Q{(self.start.month - 1) // 3 + 1}",
            HALF: f"{y}-H{1 if self.start.month == 1 else 2}",
            YEAR: f"{y}",
        }.get(self.kind, f"{self.start}..{self.end}")


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """The ``number``-th month, quarter or half of ``year`` (the year itself for ``nam``).

    >>> period_of(QUARTER, 2026, 3).label, period_of(HALF, 2026, 2).end
    ('Quý III/2026', datetime.date(2026, 12, 31))
    """
    months = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}[kind]
    first = (number - 1) * months + 1
    return Period(kind, date(year, first, 1), _month_end(year, first + months - 1))


def current(kind: str, today: date) -> Period:
    """The month, quarter, half or year ``today`` is in."""
    months = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}[kind]
    return period_of(kind, today.year, (today.month - 1) // months + 1)


def previous(kind: str, today: date) -> Period:
    """The period of ``kind`` that ended before the one ``today`` is in."""
    return current(kind, current(kind, today).start - timedelta(days=1))


def parse_kind(text: str) -> str | None:
    """``thang``/``quy``/``6thang``/``nam`` from "tháng", "quý", "6 tháng", "năm" (or None)."""
    folded = re.sub(r"\s+", "", fold(text))
    return {
        "thang": MONTH,
        "quy": QUARTER,
        "6thang": HALF,
        "sauthang": HALF,
        "nam": YEAR,
    }.get(folded)


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        HALF,
        re.compile(
            rf"^(?:6|sau)\s*thang(?:\s+(dau|cuoi)(?:\s+nam)?|\s+(1|2)(?=/|-))?"
            rf"(?:{_SEP}{_YEAR})?\b"
        ),
    ),
    (QUARTER, re.compile(rf"^quy(?:\s*(iv|iii|ii|i|[1-4])\b)?(?:{_SEP}{_YEAR})?\b")),
    (MONTH, re.compile(rf"^thang(?:\s*(1[0-2]|0?[1-9])\b)?(?:{_SEP}{_YEAR})?\b")),
    (YEAR, re.compile(rf"^nam(?:\s+{_YEAR})?\b")),
)


def parse_period(text: str, today: date) -> tuple[Period, str] | str:
    """Read the period at the start of ``text``; the rest (a body's name) comes back folded.

    No period words means the current quarter. A number out of range is an error.

    Returns:
        ``(period, rest)``, or a Vietnamese error line.

    >>> p, rest = parse_period("quý 3/2026 Ban Dân vận", date(2026, 12, 1))
    >>> p.label, rest
    ('Quý III/2026', 'ban dan van')

    """
    folded = re.sub(r"\s+", " ", fold(text)).strip()
    for kind, pattern in _PATTERNS:
        m = pattern.match(folded)
        if m is None:
            continue
        rest = folded[m.end() :].strip(" ,.")
        if rest[:1].isdigit():
            return f"Không hiểu kỳ báo cáo “{text.strip()}”."
        return _resolve(kind, m.groups(), today), rest
    if re.match(rf"^{_YEAR}\b", folded):
        return current(YEAR, date(int(folded[:4]), 1, 1)), folded[4:].strip(" ,.")
    return current(QUARTER, today), folded


def _resolve(kind: str, groups: tuple[str | None, ...], today: date) -> Period:
    *numbers, year_text = groups
    year = int(year_text) if year_text else today.year
    raw = next((n for n in numbers if n), None)
    if raw is None:
        return current(kind, today if year == today.year else date(year, today.month, 1))
    if kind == HALF:
        number = 1 if raw in ("dau", "1") else 2
    elif kind == QUARTER:
        number = _ROMAN.get(raw) or int(raw)
    else:
        number = int(raw)
    return period_of(kind, year, number)
