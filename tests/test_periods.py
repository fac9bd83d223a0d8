"""Reporting periods: parsing the words of /baocao, current and previous periods."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.progress.periods import (
    HALF,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    current,
    parse_period,
    previous,
)

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "rest"),
    [
        ("", "Quý IV/2026", date(2026, 10, 1), date(2026, 12, 31), ""),
        ("quý", "Quý IV/2026", date(2026, 10, 1), date(2026, 12, 31), ""),
        ("quý 3/2026", "Quý III/2026", date(2026, 7, 1), date(2026, 9, 30), ""),
        ("Quý III năm 2025", "Quý III/2025", date(2025, 7, 1), date(2025, 9, 30), ""),
        ("quy 2", "Quý II/2026", date(2026, 4, 1), date(2026, 6, 30), ""),
        ("tháng 11", "Tháng 11/2026", date(2026, 11, 1), date(2026, 11, 30), ""),
        ("thang 2/2028", "Tháng 2/2028", date(2028, 2, 1), date(2028, 2, 29), ""),
        ("tháng", "Tháng 12/2026", date(2026, 12, 1), date(2026, 12, 31), ""),
        ("6 tháng", "6 tháng cuối năm 2026", date(2026, 7, 1), date(2026, 12, 31), ""),
        ("6 tháng đầu năm 2026", "6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30), ""),
        ("sáu tháng cuối năm", "6 tháng cuối năm 2026", date(2026, 7, 1), date(2026, 12, 31), ""),
        ("năm 2025", "Năm 2025", date(2025, 1, 1), date(2025, 12, 31), ""),
        ("năm", "Năm 2026", date(2026, 1, 1), date(2026, 12, 31), ""),
        ("2024", "Năm 2024", date(2024, 1, 1), date(2024, 12, 31), ""),
        (
            "quý 3/2026 Ban Dân vận",
            "Quý III/2026",
            date(2026, 7, 1),
            date(2026, 9, 30),
            "ban dan van",
        ),
        ("Sở Y tế", "Quý IV/2026", date(2026, 10, 1), date(2026, 12, 31), "so y te"),
    ],
)
def test_parse_period(text, label, start, end, rest):
    period, left = parse_period(text, TODAY)
    assert (period.label, period.start, period.end, left) == (label, start, end, rest)


def test_bad_numbers_are_refused():
    assert parse_period("tháng 13", TODAY) == "Không hiểu kỳ báo cáo “tháng 13”."
    assert isinstance(parse_period("quý 5", TODAY), str)


def test_current_previous_and_keys():
    assert previous(MONTH, date(2027, 1, 4)) == Period(
        MONTH, date(2026, 12, 1), date(2026, 12, 31)
    )
    assert previous(QUARTER, date(2027, 1, 4)).key() == "2026-Q4"
    assert previous(HALF, date(2026, 7, 1)).key() == "2026-H1"
    assert previous(YEAR, date(2027, 1, 4)).label == "Năm 2026"
    assert current(QUARTER, TODAY).key() == "2026-Q4"
    assert current(MONTH, date(2026, 2, 14)).end == date(2026, 2, 28)
