"""Extract numeric targets (chỉ tiêu) from the bullets of a targets section.

A bullet may hold one target ("Tỷ lệ che phủ rừng năm 2025 đạt trên 46,5%.") or
several ("... dịch vụ (chiếm 52,6%), công nghiệp, xây dựng (chiếm 31,1%) ...").
Each value expression is found by a small grammar (comparator, number or range,
unit) and named by the words around it, in the source's own wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
        found = _clause_values(clause)
        if found.values:
            targets.extend(_clause_targets(clause, found))
    return targets


@dataclass
class _Values:
    """The values of one clause, with the parenthesised details that qualify them.

    Attributes:
        values: The value matches, in order.
        details: Per value index, the parenthesised figures that qualify it.
        skip_to: Per value index, where its details end.

    """

    values: list[re.Match[str]] = field(default_factory=list)
    details: dict[int, list[str]] = field(default_factory=dict)
    skip_to: dict[int, int] = field(default_factory=dict)


def _clause_values(clause: str) -> _Values:
    """The target values of a clause; a figure in parentheses is a detail of the one before."""
    found = _Values()
    for m in _VALUE.finditer(clause):
        if not _is_value(m, clause):
            continue
        inside, opening = _in_parentheses(clause, m.start())
        own_share = fold(opening).strip().startswith(("chiem", "dat"))
        if inside and not own_share and found.values:
            close = clause.find(")", m.end())
            close = len(clause) if close < 0 else close
            last = len(found.values) - 1
            found.details.setdefault(last, []).append(clause[m.start() : close].strip())
            found.skip_to[last] = close + 1
            continue
        found.values.append(m)
    return found


def _clause_targets(clause: str, found: _Values) -> list[Target]:
    """Name and read each value of a clause."""
    values = found.values
    # Where each value's own text ends: after its details and its denominator.
    ends: list[int] = []
    for i, m in enumerate(values):
        end = max(m.end(), found.skip_to.get(i, 0))
        per = _PER.match(clause[end:])
        ends.append(end + per.end() if per else end)
    value_first = _content_words(_tidy(clause[: values[0].start()])) < 2
    head = ""
    targets: list[Target] = []
    for i, m in enumerate(values):
        next_start = values[i + 1].start() if i + 1 < len(values) else len(clause)
        before = _tidy(clause[(ends[i - 1] if i else 0) : m.start()])
        per = _PER.match(clause[max(m.end(), found.skip_to.get(i, 0)) :])
        name = _value_name(m, before, _words_after(clause[m.end() : next_start]), per, value_first)
        head = head or name
        detail = "; ".join(d.strip(" ()") for d in found.details.get(i, []))
        targets.append(_target(m, name or head, per, detail))
    return targets


def _words_after(text: str) -> str:
    """The words after a value up to the next separator or value (no details, no denominator)."""
    text = _PER.sub("", re.sub(r"\([^)]*\)", " ", text))
    return _tidy(re.split(r"[,;]\s|\s(?:và|,)\s(?=(?:từ|trên|dưới|ít nhất|\d))", text)[0])


def _value_name(
    m: re.Match[str], before: str, after: str, per: re.Match[str] | None, value_first: bool
) -> str:
    """The name of one value, from the words before it or, when values come first, after."""
    unit = (m.group("unit") or m.group("pct1") or "").strip()
    if unit in _NOUN_UNITS and _content_words(before) < 2:
        return unit + (" " + re.sub(r"\([^)]*\)\s*", "", per.group(0)).strip() if per else "")
    if value_first:
        # The previous value's name ends at a comma; this one starts after it.
        return after or _tidy(before.rsplit(",", 1)[-1])
    return before if _content_words(before) >= 1 else after


def _target(m: re.Match[str], name: str, per: re.Match[str] | None, detail: str) -> Target:
    """One value read: its text as written, comparator, bounds and unit."""
    unit = (m.group("unit") or m.group("pct1") or "").strip()
    value = re.sub(r"^(?:đạt|là)\s+", "", m.group(0).strip(), flags=re.I)
    if per:
        value += " " + re.sub(r"\([^)]*\)\s*", "", per.group(0)).strip()
    comp_key = fold(m.group("comp") or "").replace("dat", "").replace("la", "").strip()
    comparator = _COMPARATORS.get(comp_key, "đạt")
    if m.group("high") and comparator in {"đạt", "từ-đến"}:
        comparator = "từ-đến"
    if m.group("plus"):
        comparator = "ít nhất"
    low = parse_vi_number(m.group("low"))
    high = parse_vi_number(m.group("high")) if m.group("high") else low
    return Target(
        name=name,
        value=value,
        comparator=comparator,
        low=low,
        high=high,
        unit=unit,
        detail=detail,
    )
