"""Parse a targets table whose columns are years, as UBND plans write them.

STT | Chỉ tiêu | Đơn vị tính | Thực hiện năm 2025 | Kế hoạch năm 2026 | Mục tiêu đến năm 2030

Rows numbered with a Roman numeral and no values are group rows (the area);
each other row is one target with a value per year column. The main value is
the "Mục tiêu" column, else the last year column. Columns are found by header
text, never by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.programme.indicators import parse_vi_number
from knowledge.programme.model import Indicator
from knowledge.text import clean, fold

__all__ = ["TableHeader", "parse_target_table", "table_header"]

_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_ROMAN = re.compile(r"^[IVXL]+\.?$")
_AREA_PREFIX = re.compile(r"^(?:(?:các\s+)?chỉ tiêu\s+)?(?:về\s+)?", re.I)
_NUM = r"\d+(?:[.,]\d+)*"
_CELL = re.compile(
    rf"^(?P<comp>trên|dưới|từ|ít nhất|tối thiểu|khoảng|>=|≥|>|<=|≤|<)?\s*(?P<low>{_NUM})"
    rf"(?:\s*(?:-|–|đến)\s*(?P<high>{_NUM}))?",
    re.I,
)
_COMPARATORS = {
    "tren": "trên",
    ">": "trên",
    "duoi": "dưới",
    "<": "dưới",
    "<=": "dưới",
    "≤": "dưới",
    "it nhat": "ít nhất",
    "toi thieu": "ít nhất",
    ">=": "ít nhất",
    "≥": "ít nhất",
    "tu": "từ-đến",
    "khoang": "đạt",
}


@dataclass(frozen=True)
class TableHeader:
    """Where a targets table keeps what: column indexes and year columns by header."""

    code: int
    name: int
    unit: int | None
    years: dict[int, str]
    main: int


def table_header(cells: list[str]) -> TableHeader | None:
    """Recognise the header row of a targets table, else None.

    Example:
        >>> h = table_header(["STT", "Chỉ tiêu", "Đơn vị", "Năm 2025", "Mục tiêu đến năm 2030"])
        >>> h.name, h.unit, h.years, h.main
        (1, 2, {3: 'Năm 2025', 4: 'Mục tiêu đến năm 2030'}, 4)

    """
    folded = [fold(c) for c in cells]
    name = next((i for i, h in enumerate(folded) if h.startswith("chi tieu")), None)
    code = next((i for i, h in enumerate(folded) if h in {"stt", "tt"}), None)
    years = {i: clean(c) for i, c in enumerate(cells) if _YEAR.search(c)}
    if name is None or code is None or not years:
        return None
    unit = next((i for i, h in enumerate(folded) if "don vi" in h or h == "dvt"), None)
    main = next((i for i in years if "muc tieu" in folded[i]), max(years))
    return TableHeader(code, name, unit, years, main)


def _measure(cell: str, unit: str) -> tuple[str, float | None, float | None]:
    """Comparator and bounds of a cell such as "8,0 - 8,5", "dưới 1", "≥ 60"."""
    m = _CELL.match(cell.strip())
    if not m:
        return "đạt", None, None
    comp = _COMPARATORS.get(fold(m.group("comp") or ""), "đạt")
    low = parse_vi_number(m.group("low"))
    high = parse_vi_number(m.group("high")) if m.group("high") else low
    if m.group("high") and comp == "đạt":
        comp = "từ-đến"
    return comp, low, high


def _with_unit(cell: str, unit: str) -> str:
    if not cell or not unit:
        return cell
    return f"{cell}{unit}" if unit == "%" else f"{cell} {unit}"


def _indicator(cells: list[str], header: TableHeader, area: str, part: str, n: int) -> Indicator:
    name = clean(cells[header.name])
    unit = clean(cells[header.unit]) if header.unit is not None else ""
    values = {label: clean(cells[i]) for i, label in header.years.items() if clean(cells[i])}
    main = clean(cells[header.main])
    comparator, low, high = _measure(main, unit)
    year = _YEAR.search(header.years[header.main])
    spelled = "; ".join(f"{label}: {_with_unit(v, unit)}" for label, v in values.items())
    number = clean(cells[header.code]).rstrip(".")
    return Indicator(
        id=n,
        area=area,
        name=name,
        subject=name,
        value=_with_unit(main, unit),
        comparator=comparator,
        low=low,
        high=high,
        unit=unit,
        year=int(year.group(1)) if year else None,
        detail="",
        sentence=f"{name} ({unit}): {spelled}." if unit else f"{name}: {spelled}.",
        ref=f"{part}.{number}" if part else number,
        values=values,
    )


def parse_target_table(lines: list[str], part: str, start: int = 1) -> list[Indicator]:
    """Parse the tab-separated rows of a targets table into indicators.

    Args:
        lines: The table's lines (tab-separated cells); a repeated header is skipped.
        part: The label of the part the table sits in, for references ("II").
        start: The id of the first indicator.

    Returns:
        One indicator per target row, in order.

    """
    header: TableHeader | None = None
    area = ""
    out: list[Indicator] = []
    for line in lines:
        cells = line.split("\t")
        found = table_header(cells)
        if found is not None:
            header = found
            continue
        if header is None:
            continue
        cells += [""] * (max(header.years) + 1 - len(cells))
        number = clean(cells[header.code])
        values = [clean(cells[i]) for i in header.years]
        if _ROMAN.match(number) or (number and not any(values)):
            title = clean(cells[header.name])
            area = _AREA_PREFIX.sub("", title).strip() or title
            continue
        if not clean(cells[header.name]) or not any(values):
            continue
        out.append(_indicator(cells, header, area, part, start + len(out)))
    return out
