"""Extract numeric targets (chỉ tiêu) from the bullets of a targets section.

A bullet may hold one target ("Tỷ lệ che phủ rừng năm 2025 đạt trên 46,5%.") or
several ("... dịch vụ (chiếm 52,6%), công nghiệp, xây dựng (chiếm 31,1%) ...").
Each value expression is found by a small grammar (comparator, number or range,
unit) and named by the words around it, in the source's own wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.numbers import NumberFormatError, parse_decimal

from knowledge.text import fold

__all__ = ["Target", "extract_targets", "parse_vi_number"]

_NUM = r"\d+(?:[.,]\d+)*(?:/\d+)?"
_COMPARATOR = r"(?:(?:đạt|là)\s+)?(?:từ|trên|dưới|ít nhất|tối thiểu|tối đa|gấp|giảm|tăng|khoảng)?"
# Units, longest first so "tỷ USD" wins over "USD".
_UNITS = [
    "nghìn tỷ đồng",
    "ngàn tỷ đồng",
    "triệu tỷ đồng",
    "tỷ đồng",
    "triệu đồng",
    "nghìn đồng",
    "tỷ USD",
    "triệu USD",
    "USD",
    "lần",
    "nghìn người",
    "ngàn người",
    "người",
    "đồng chí",
    "đảng viên",
    "bác sĩ",
    "giường bệnh",
    "giường",
    "tiêu chí",
    "km",
    "ha",
    "MW",
    "doanh nghiệp",
    "hộ",
    "xã",
    "trường",
]
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_VALUE = re.compile(
    rf"(?P<comp>{_COMPARATOR})\s*"
    rf"(?P<low>{_NUM})\s*(?P<pct1>%)?"
    rf"(?:\s*(?:-|–|đến)\s*(?P<high>{_NUM}))?"
    rf"(?:\s*(?P<unit>%(?:\s*/\s*năm)?|(?:{_UNIT})\b))?"
    rf"(?P<plus>\s+trở lên)?",
    re.IGNORECASE,
)
# A number followed by these words is a time, an age or a count of levels,
# not a target value.
_NOT_VALUE_NEXT = re.compile(r"^\s*(?:năm|tuổi|cấp|tháng|ngày|giờ|khóa|nhiệm kỳ)\b", re.I)
# "trên 10.000 dân" after a value is a denominator ("per 10,000 people").
_PER = re.compile(r"^\s*(?:\([^)]*\)\s*)?trên\s+[\d.]+\s+dân", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_LEADING_NOISE = re.compile(
    r"^(?:[\s,;:.)(\-–]|và\b|còn\b|có\b|đạt\b|phấn đấu\b|phân đấu\b|trong đó\b|"
    r"đến năm \d{4}\b|năm \d{4}\b|hàng năm\b|hằng năm\b|mức\b)+",
    re.I,
)
_TRAILING_NOISE = re.compile(
    r"(?:[\s,;:(\-–]|\bvà|\bđạt|\bchiếm|\bcó|\bở mức|\blà|\bít nhất)+$", re.I
)
_COMPARATORS = {
    "tu": "từ-đến",
    "tren": "trên",
    "duoi": "dưới",
    "it nhat": "ít nhất",
    "toi thieu": "ít nhất",
    "toi da": "dưới",
    "gap": "gấp",
    "giam": "giảm",
    "tang": "đạt",
    "khoang": "đạt",
}


@dataclass(frozen=True)
class Target:
    """A value found in a bullet, before it becomes an :class:`Indicator`."""

    name: str
    value: str
    comparator: str
    low: float | None
    high: float | None
    unit: str
    detail: str


def parse_vi_number(text: str) -> float | None:
    """Parse a number written the Vietnamese way ("5.685", "46,5", "1/2").

    Args:
        text: The number as written.

    Returns:
        Its value, or None when it does not parse.

    Example:
        >>> parse_vi_number("5.685"), parse_vi_number("46,5"), parse_vi_number("1/2")
        (5685.0, 46.5, 0.5)

    """
    if "/" in text:
        num, _, den = text.partition("/")
        a, b = parse_vi_number(num), parse_vi_number(den)
        return a / b if a is not None and b else None
    try:
        return float(parse_decimal(text, locale="vi", strict=False))
    except (NumberFormatError, ValueError):
        return None


def _tidy(name: str) -> str:
    name = _LEADING_NOISE.sub("", name)
    name = _TRAILING_NOISE.sub("", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;:.")
    # Balance a parenthesis cut by the value that followed it.
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")].rstrip(" ,;")
    if name.count(")") > name.count("("):
        name = name.replace(")", "", 1).strip()
    return name


def _content_words(text: str) -> int:
    return len(fold(text).split())


def _clauses(sentence: str) -> list[str]:
    """Split a bullet into clauses at ";" and at sentence ends."""
    parts = re.split(r";\s*|\.\s+(?=[A-ZĐÀ-Ỹ])", sentence.strip().rstrip("."))
    return [p for p in (part.strip() for part in parts) if p]


def _in_parentheses(text: str, start: int) -> tuple[bool, str]:
    """Whether position ``start`` is inside parentheses, and the text after "("."""
    opened = text.rfind("(", 0, start)
    closed = text.rfind(")", 0, start)
    if opened > closed:
        return True, text[opened + 1 : start]
    return False, ""


def _is_value(m: re.Match[str], clause: str) -> bool:
    """Whether a grammar match is a target value rather than a year, an age or a count."""
    comp = fold(m.group("comp") or "").replace("dat", "").replace("la", "").strip()
    unit = m.group("unit") or m.group("pct1") or ""
    after = clause[m.end() :]
    if _YEAR.match(m.group("low")) and not unit:
        return False
    if not unit and (not comp or _NOT_VALUE_NEXT.match(after)):
        return False
    # "trên 10.000 dân" is a denominator of the value before it.
    return not (comp == "tren" and not unit and re.match(r"^\s*dân\b", after, re.I))


_NOUN_UNITS = {"bác sĩ", "giường bệnh", "giường", "đồng chí", "đảng viên", "người", "hộ", "xã"}


def extract_targets(sentence: str) -> list[Target]:
    """Find every target value in a bullet and name it.

    A value counts when it has a unit or a comparator and is not a year, an age
    or a denominator. A figure in parentheses qualifies the value before it
    ("12,5 bác sĩ (10 bác sĩ công lập)"), unless the parenthesis introduces a
    share of its own ("(chiếm 52,6%)"). Names come from the words before the
    values ("Tỷ lệ che phủ rừng ... đạt trên 46,5%") or, when a clause puts its
    values first ("80% số xã đạt chuẩn nông thôn mới"), from the words after.

    Args:
        sentence: One bullet of a targets section.

    Returns:
        The targets in order of appearance.

    """
    targets: list[Target] = []
    for clause in _clauses(sentence):
        values: list[re.Match[str]] = []
        details: dict[int, list[str]] = {}
        skip_to: dict[int, int] = {}
        for m in _VALUE.finditer(clause):
            if not _is_value(m, clause):
                continue
            inside, opening = _in_parentheses(clause, m.start())
            if inside and not fold(opening).strip().startswith(("chiem", "dat")) and values:
                close = clause.find(")", m.end())
                close = len(clause) if close < 0 else close
                details.setdefault(len(values) - 1, []).append(clause[m.start() : close].strip())
                skip_to[len(values) - 1] = close + 1
                continue
            values.append(m)
        if not values:
            continue
        # Where each value's own text ends: after its details and its denominator.
        ends: list[int] = []
        for i, m in enumerate(values):
            end = max(m.end(), skip_to.get(i, 0))
            per = _PER.match(clause[end:])
            ends.append(end + per.end() if per else end)
        first_before = _tidy(clause[: values[0].start()])
        value_first = _content_words(first_before) < 2
        head = ""
        for i, m in enumerate(values):
            start_prev = ends[i - 1] if i else 0
            next_start = values[i + 1].start() if i + 1 < len(values) else len(clause)
            before = _tidy(clause[start_prev : m.start()])
            # The words after the value, without its parenthesised details or
            # denominator, up to the next separator or value.
            after_raw = re.sub(r"\([^)]*\)", " ", clause[m.end() : next_start])
            after_raw = _PER.sub("", after_raw)
            after_raw = re.split(r"[,;]\s|\s(?:và|,)\s(?=(?:từ|trên|dưới|ít nhất|\d))", after_raw)[
                0
            ]
            after = _tidy(after_raw)
            unit = (m.group("unit") or m.group("pct1") or "").strip()
            per = _PER.match(clause[max(m.end(), skip_to.get(i, 0)) :])
            if unit in _NOUN_UNITS and _content_words(before) < 2:
                name = unit + (
                    " " + re.sub(r"\([^)]*\)\s*", "", per.group(0)).strip() if per else ""
                )
            elif value_first:
                # The previous value's name ends at a comma; this one starts after it.
                name = after or _tidy(before.rsplit(",", 1)[-1])
            else:
                name = before if _content_words(before) >= 1 else after
            head = head or name
            value = re.sub(r"^(?:đạt|là)\s+", "", clause[m.start() : m.end()].strip(), flags=re.I)
            if per:
                value += " " + re.sub(r"\([^)]*\)\s*", "", per.group(0)).strip()
            comp_key = fold(m.group("comp") or "").replace("dat", "").replace("la", "").strip()
            comparator = _COMPARATORS.get(comp_key, "đạt")
            if m.group("high") and comparator in {"đạt", "từ-đến"}:
                comparator = "từ-đến"
            if m.group("plus"):
                comparator = "ít nhất"
            low_v = parse_vi_number(m.group("low"))
            high_v = parse_vi_number(m.group("high")) if m.group("high") else low_v
            targets.append(
                Target(
                    name=name or head,
                    value=value,
                    comparator=comparator,
                    low=low_v,
                    high=high_v,
                    unit=unit,
                    detail="; ".join(d.strip(" ()") for d in details.get(i, [])),
                )
            )
    return targets
