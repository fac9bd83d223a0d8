"""Vietnamese number and date formatting through babel.

Values from the programme are always shown as written; these helpers format
what ctbot computes itself (counts, percentages, dates).
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

__all__ = ["LOCALE", "count", "day", "number"]

LOCALE = "vi"


def number(value: float) -> str:
    """Format a number the Vietnamese way: ``5685`` → ``"5.685"``, ``46.5`` → ``"46,5"``."""
    return format_decimal(value, format="#,##0.##", locale=LOCALE)


def count(n: int, noun: str) -> str:
    """``count(21, "nhiệm vụ")`` → ``"21 nhiệm vụ"`` (Vietnamese nouns do not inflect)."""
    return f"{number(n)} {noun}"


def day(value: date) -> str:
    """Format a date as ``dd/MM/yyyy`` (babel's short format has a 2-digit year)."""
    return format_date(value, format="dd/MM/yyyy", locale=LOCALE)
