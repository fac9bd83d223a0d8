"""Read a progress report typed in a chat: "/capnhat 5.3 60% đã ban hành kế hoạch".

How a report line is read (the same rules the README quotes):

1. **Text.** The line is NFC-composed; full-width digits and signs ("４５％")
   become ASCII; NFD input, upper case and missing diacritics read the same.
2. **Task code.** A code at the start: "5.3", "II.8", "ii.8", "II 8", "II-8",
   optionally after "nhiệm vụ"/"NV"/"mục" and followed by ".", ":" or ")".
   Without a code, the words before the first figure or status word name the
   task (``topic``). A line starting with "chỉ tiêu" is a target check-in:
   a value ("46,2") and an optional year, read as before.
3. **Percent.** Only a number followed by "%", "phần trăm"/"phan tram" or "pt"
   is a percent; a bare number, a date ("15/3/2024"), a document number
   ("123/QĐ-UBND", "KH 45/KH-UBND"), "quý 3" or "năm 2024" never is, and stays
   in the note. Decimal comma or point ("45,5%", "45.5%"), "hơn/khoảng/gần/~
   60%" (read as 60) and a range "50-60%" (two candidates) are accepted.
   Anything else before "%" ("1e2%", "-10%", "1.000%", "3/4%") or a value
   outside 0–100 ("120%") sets ``bad_percent``: the caller answers with a
   usage line quoting ``percent_raw``. Two *different* percents in one line
   ("đạt 100% kế hoạch quý, tiến độ chung 40%") are not guessed: ``percent``
   stays empty, ``percents`` lists them, ``ambiguous_percent`` is set and the
   caller asks which one (:func:`pick_percent` finishes the reading). The same
   percent twice is one percent.
4. **Status** (see :mod:`knowledge.progress.report_status` for the word lists; chat
   shorthand "ht", "xong r", "dc", "k"/"ko", "dg" and Telex typed with the
   keyboard off, "hoanf thanhf", are read too). A negated completion ("chưa
   hoàn thành", "chua xong", "k xong dc", "không hoàn thành", "xong chưa",
   "việc B chưa") is never done: in progress, or not started with 0%.
   "chưa thực hiện/triển khai/làm/bắt đầu" is not started unless work is
   reported. "sắp/gần/cơ bản hoàn thành", "dự kiến hoàn thành", "làm lại",
   "đang …", "xong bước 1/giai đoạn 1/dự thảo" are in progress. Milestones
   ("đã trình", "đã ban hành", "đã phê duyệt" …) are in progress, unless a
   completion word or 100% says done. "tạm dừng/tạm ngưng/dừng lại/tạm hoãn"
   is paused and wins over everything. A completion word with a percent below
   100 ("hoàn thành 70% khối lượng") is in progress.
5. **Percent without status word.** Below 100 → in progress (so a later "50%"
   takes a task out of "hoàn thành"); 100 → done; 0 → not started. A
   completion word without percent gives 100%.
6. **Note.** What remains after the code, the percents (with "đạt/khoảng/hơn"
   before them) and a bare status phrase that states the chosen status
   ("hoàn thành", "tạm dừng", "đang thực hiện"). Negated, prospective, partial
   and milestone phrases stay in the note: they are what the reporter said.

Limits, on purpose: numbers in words ("sáu mươi phần trăm") and bare numbers
("5.3 60") are not percents; a negation reaches three words without
punctuation, so "k vướng xong r" reads as not done (the safe side: a wrong
reading is never "hoàn thành"). Nothing here decides which task is meant: that
is the engine's job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from knowledge.progress.report_status import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    PAUSED,
    Phrase,
    decide_status,
    read_phrases,
)
from knowledge.text import clean, fold, fold_keep_punct

__all__ = [
    "DONE",
    "IN_PROGRESS",
    "NOT_STARTED",
    "PAUSED",
    "STATUSES",
    "ParsedReport",
    "command_body",
    "parse_report",
    "pick_percent",
    "read_number",
]

STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, PAUSED)

# ---- Patterns, all matched on the folded line (same length as the line) ----
_CODE = re.compile(
    r"^\s*(?:(?:nhiem vu|nv|muc)\s*)?"
    r"((?:i{1,3}|iv|v)[.\- ]\s?\d{1,2}|\d{1,2}\.\d{1,2})"
    r"[.):]?(?=\s|$|[,:;])(?!\s*(?:%|phan\s*tram|pt\b))",
    re.I,
)
_PERCENT = re.compile(
    r"(?<!\S)(?P<lead>(?:(?:tien do|td|dat|duoc|dc|khoang|tam|hon|tren|gan|xap xi"
    r"|uoc)\s+)*[~≈]?\s*)"
    r"(?P<tok>[^\s%]*+)\s*(?P<unit>%|phan\s*tram\b|pt\b)"
)
_PERCENT_NUMBER = re.compile(r"(?P<lead>\D*?)(?P<num>[-−+]?\d[\d.,eE+\-−–]*?)[.,]?")
_PLAIN_NUMBER = r"\d{1,3}(?:[.,]\d+)?"
_RANGE = re.compile(rf"({_PLAIN_NUMBER})[-–]({_PLAIN_NUMBER})")
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?![\w])")
_YEAR = re.compile(r"\b(?:nam|năm)\s*((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\b", re.IGNORECASE)
_INDICATOR = re.compile(r"^\s*(?:chi tieu|ct)\b")
_NUMBER_SIGNS = frozenset("％﹪，．～－﹣＋")
_TRIM = " :,-–.;…%()"


@dataclass
class ParsedReport:
    """What a report line says.

    Attributes:
        text: The line as received (cleaned, digits made ASCII).
        code: A task code at the start ("5.3", "II.8"), upper-cased.
        percent: Progress in percent (0..100), when exactly one was given.
        percent_raw: The (first bad, else first) percent as typed, for messages.
        bad_percent: A percent was typed but is unreadable ("1e2%", "-5%") or
            outside 0–100; ``percent`` and ``percents`` are then empty.
        percents: Every distinct percent in the line, in order of appearance.
        ambiguous_percent: ``percents`` holds more than one value; ``percent``
            is empty and the status is not "hoàn thành" until the caller picks
            one with :func:`pick_percent`.
        status: One of :data:`STATUSES`, or "" when neither a status word nor a
            percent says anything.
        note: The free text after the figures and status words.
        topic: Words that name the task or target when no code is given.
        indicator: The line starts with "chỉ tiêu": a target check-in.
        value: Raw number of a target check-in (e.g. "46,2").
        year: The year of a target check-in.

    """

    text: str
    code: str = ""
    percent: float | None = None
    percent_raw: str = ""
    bad_percent: bool = False
    status: str = ""
    note: str = ""
    topic: str = ""
    indicator: bool = False
    value: str = ""
    year: int | None = None
    percents: tuple[float, ...] = field(default=())
    ambiguous_percent: bool = False


@dataclass(frozen=True)
class _Percent:
    start: int  # where its leading "đạt/khoảng/~" begins
    end: int
    raw: str  # number and unit as typed
    values: tuple[float, ...] | None  # None: unreadable or out of range


def command_body(text: str) -> str:
    """The text after a leading "/command", or the text itself."""
    return text.split(maxsplit=1)[1] if text.startswith("/") and " " in text else text


def read_number(raw: str, target: float | None = None) -> tuple[float | None, bool]:
    """Read a number typed by a Vietnamese user.

    "46,2" is 46.2 and "5.685" is 5,685, as in the programme. A dot followed by
    other than three digits ("46.2") can only be a decimal point. A dot before
    exactly three digits ("1.700") is a thousands separator in Vietnamese but
    a decimal point for many phones; the target decides when one reading is
    plausible (within a factor of 10) and the other not.

    Args:
        raw: The number as typed.
        target: The value it will be compared with, if known.

    Returns:
        ``(value, ambiguous)``; ``value`` is None when ambiguous or unreadable.

    """
    raw = _ascii_digits(raw.strip())
    if re.fullmatch(r"\d+", raw):
        return float(raw), False
    if re.fullmatch(r"\d+,\d+", raw):
        return float(raw.replace(",", ".")), False
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", raw):
        return float(raw.replace(".", "").replace(",", ".")), False
    if re.fullmatch(r"\d+\.\d{1,2}|\d+\.\d{4,}", raw):
        return float(raw), False
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        thousands = float(raw.replace(".", ""))
        decimal = float(raw) if raw.count(".") == 1 else None
        if decimal is None:
            return thousands, False
        if target:
            near = [v for v in (thousands, decimal) if target / 10 <= v <= target * 10]
            if len(near) == 1:
                return near[0], False
        return None, True
    return None, False


def parse_report(text: str, *, indicator: bool | None = None) -> ParsedReport:
    """Parse a report line (without the command), by the rules in the module docstring.

    Args:
        text: What follows "/capnhat", or a reply to a task card.
        indicator: Force (or forbid) reading it as a target check-in.

    Returns:
        The parsed report; fields not present stay empty.

    Example:
        >>> r = parse_report("4.1 chưa hoàn thành")
        >>> (r.code, r.percent, r.status)
        ('4.1', None, 'đang thực hiện')
        >>> parse_report("5.3 1e2%").bad_percent
        True

    """
    return _parse(text, indicator, None)


def pick_percent(report: ParsedReport, value: float) -> ParsedReport:
    """Finish reading an ambiguous report once the reporter picked ``value``.

    Args:
        report: A task report with ``ambiguous_percent``.
        value: One of ``report.percents``.

    Returns:
        The report read again with ``value`` as its percent (status re-derived).

    Raises:
        ValueError: ``value`` is not one of the candidates.

    Example:
        >>> r = parse_report("II.7 đạt 100% kế hoạch quý, tiến độ chung 40%")
        >>> r.percents, r.ambiguous_percent, r.percent, r.status
        ((100.0, 40.0), True, None, '')
        >>> (lambda p: (p.percent, p.status))(pick_percent(r, 40))
        (40.0, 'đang thực hiện')

    """
    if float(value) not in report.percents:
        raise ValueError(f"{value} is not one of {report.percents}")
    return _parse(report.text, False, float(value))


def _parse(text: str, indicator: bool | None, chosen: float | None) -> ParsedReport:
    line = _ascii_digits(clean(text)[:4096])
    report = ParsedReport(text=line)
    folded = _fold_same_length(line)
    report.indicator = bool(_INDICATOR.match(fold(line))) if indicator is None else indicator
    if report.indicator:
        return _parse_indicator(report, line)
    start = 0
    code = _CODE.match(folded)
    if code:
        report.code = re.sub(r"[\s\-]", ".", code.group(1)).replace("..", ".").upper()
        start = code.end()
    return _parse_task(report, line, folded, start, chosen)


def _parse_task(
    report: ParsedReport, line: str, folded: str, start: int, chosen: float | None
) -> ParsedReport:
    """Fill percent, status, topic and note of a task report."""
    found = _percents(folded, start, line)
    bad = [p for p in found if p.values is None]
    values = tuple(dict.fromkeys(v for p in found for v in p.values or ()))
    if found:
        report.percent_raw = (bad or found)[0].raw
    report.bad_percent = bool(bad)
    report.percents = () if bad else values
    report.ambiguous_percent = len(report.percents) > 1
    if chosen is not None:
        report.percent = chosen
    elif len(report.percents) == 1:
        report.percent = report.percents[0]
    phrases = [_shift(p, start) for p in read_phrases(line[start:])]
    status = decide_status({p.kind for p in phrases}, report.percent)
    undecided = report.bad_percent or (report.ambiguous_percent and chosen is None)
    report.status = "" if undecided and status == DONE else status
    if report.status == DONE and report.percent is None:
        report.percent = 100.0
    spans = [(p.start, p.end) for p in found]
    spans += [(p.start, p.end) for p in phrases if p.plain and p.status == report.status]
    cut = min([s for s, _ in spans] + [p.start for p in phrases] + [len(line)])
    if not report.code:
        report.topic = clean(line[start:cut]).strip(_TRIM)
        start = cut
    report.note = _without(line, start, spans)
    return report


def _percents(folded: str, start: int, line: str) -> list[_Percent]:
    """Every "N%" / "N phần trăm" after ``start``, read or flagged bad."""
    out = []
    for m in _PERCENT.finditer(folded, start):
        if not any(ch.isdigit() for ch in m.group("tok")):
            continue
        digit = re.search(r"[-−+]?\d", m.group("tok"))
        raw = line[m.start("tok") + (digit.start() if digit else 0) : m.end("unit")]
        out.append(_Percent(m.start(), m.end(), raw, _percent_values(m.group("tok"))))
    return out


def _percent_values(token: str) -> tuple[float, ...] | None:
    """The percent(s) a token before "%" stands for; None if bad."""
    m = _PERCENT_NUMBER.fullmatch(token)
    if m is None:
        return None
    num = m.group("num")
    pair = _RANGE.fullmatch(num)
    raws = pair.groups() if pair else (num,) if re.fullmatch(_PLAIN_NUMBER, num) else ()
    values = [read_number(raw)[0] for raw in raws]
    if not values or any(v is None or not 0 <= v <= 100 for v in values):
        return None
    return tuple(v for v in values if v is not None)


def _shift(phrase: Phrase, offset: int) -> Phrase:
    return replace(phrase, start=phrase.start + offset, end=phrase.end + offset)


def _without(line: str, start: int, spans: list[tuple[int, int]]) -> str:
    """``line[start:]`` with ``spans`` cut out, tidied as a note."""
    keep, at = [], start
    for s, e in sorted(spans):
        if e <= at:
            continue
        keep.append(line[at : max(s, at)])
        at = e
    keep.append(line[at:])
    note = clean(" ".join(keep))
    note = re.sub(r"\(\s*\)", "", note)
    note = re.sub(r"\s+([,;.:!?)])", r"\1", note)
    note = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", note)
    return note.strip(_TRIM)


def _ascii_digits(text: str) -> str:
    """Full-width and other Unicode digits and number signs as ASCII (length kept)."""
    out = []
    for ch in text:
        if ch.isdigit() and not ch.isascii() and unicodedata.category(ch) == "Nd":
            ch = str(unicodedata.digit(ch))
        elif ch in _NUMBER_SIGNS:
            ch = unicodedata.normalize("NFKC", ch)
        out.append(ch)
    return "".join(out)


def _fold_same_length(text: str) -> str:
    """Fold diacritics and case character by character, keeping every offset."""
    out = []
    for ch in text:
        base = fold_keep_punct(ch) if not ch.isspace() else " "
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def _parse_indicator(report: ParsedReport, line: str) -> ParsedReport:
    """Fill topic, value, year and note of a target check-in."""
    rest = re.sub(r"^\s*(?:chỉ tiêu|chi tieu|ct)\b\s*", "", line, flags=re.IGNORECASE)
    year = _YEAR.search(rest)
    if year:
        report.year = int(year.group(1) or year.group(2))
        rest = rest[: year.start()] + " " + rest[year.end() :]
    numbers = list(_NUMBER.finditer(rest))
    if not numbers:
        report.topic = clean(rest)
        return report
    value = numbers[-1]
    report.value = value.group(1)
    report.topic = clean(rest[: value.start()]).strip(" :,-–")
    report.note = clean(rest[value.end() :]).lstrip("%").strip(" :,-–")
    return report
