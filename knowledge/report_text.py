"""Read a progress report typed in a chat: "/capnhat 5.3 60% đã ban hành kế hoạch".

Forgiving Vietnamese: percent as "60%", "60 %" or "60 phần trăm"; status words
("chưa thực hiện", "đang thực hiện", "hoàn thành", "tạm dừng", and "xong");
a task code or words naming the task; for targets (chỉ tiêu) a value with the
Vietnamese decimal comma and an optional year. Nothing here decides which task
is meant: that is the engine's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import clean, fold, fold_keep_punct

__all__ = ["STATUSES", "ParsedReport", "command_body", "parse_report", "read_number"]

# Status vocabulary, as stored and shown.
NOT_STARTED = "chưa thực hiện"
IN_PROGRESS = "đang thực hiện"
DONE = "hoàn thành"
PAUSED = "tạm dừng"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, PAUSED)

_STATUS_WORDS = [
    (re.compile(r"\b(?:chua thuc hien|chua trien khai|chua lam|chua bat dau)\b"), NOT_STARTED),
    (re.compile(r"\b(?:tam dung|tam ngung|dung lai)\b"), PAUSED),
    (re.compile(r"\b(?:da hoan thanh|hoan thanh|hoan tat|xong|da xong)\b"), DONE),
    (re.compile(r"\b(?:dang thuc hien|dang trien khai|dang lam)\b"), IN_PROGRESS),
]
_CODE = re.compile(r"^\s*((?:i{1,3}|iv|v)\.\s?\d{1,2}|\d{1,2}\.\d{1,2})(?=\s|$|[,:;])", re.I)
_PERCENT = re.compile(
    r"(?<![\d.,])(-?\d{1,4}(?:[.,]\d+)?)\s*(?:%|phan tram\b|phần trăm\b|pt\b)", re.IGNORECASE
)
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?![\w])")
_YEAR = re.compile(r"\b(?:nam|năm)\s*((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\b", re.IGNORECASE)
_INDICATOR = re.compile(r"^\s*(?:chi tieu|ct)\b")


@dataclass
class ParsedReport:
    """What a report line says.

    Attributes:
        text: The line as received (cleaned).
        code: A task code at the start ("5.3", "II.8"), upper-cased.
        percent: Progress in percent (0..100), when given.
        percent_raw: The percent as typed, for messages.
        bad_percent: A percent was typed but is outside 0–100.
        status: One of :data:`STATUSES`, when a status word is present.
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
    percents: tuple[float, ...] = ()


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
    raw = raw.strip()
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
    """Parse a report line (without the command).

    Args:
        text: What follows "/capnhat", or a reply to a task card.
        indicator: Force (or forbid) reading it as a target check-in.

    Returns:
        The parsed report; fields not present stay empty.

    """
    line = clean(text)[:4096]
    report = ParsedReport(text=line)
    folded = fold_keep_punct(line)
    report.indicator = bool(_INDICATOR.match(fold(line))) if indicator is None else indicator
    rest = line
    code = _CODE.match(folded)
    if code and not report.indicator:
        report.code = re.sub(r"\s", "", code.group(1)).upper()
        rest = rest[code.end() :]
    if report.indicator:
        rest = re.sub(r"^\s*(?:chỉ tiêu|chi tieu|ct)\b\s*", "", rest, flags=re.IGNORECASE)
        year = _YEAR.search(rest)
        if year:
            report.year = int(year.group(1) or year.group(2))
            rest = rest[: year.start()] + " " + rest[year.end() :]
        numbers = [m for m in _NUMBER.finditer(rest)]
        if numbers:
            value = numbers[-1]
            report.value = value.group(1)
            report.topic = clean(rest[: value.start()]).strip(" :,-–")
            report.note = clean(rest[value.end() :]).lstrip("%").strip(" :,-–")
            return report
        report.topic = clean(rest)
        return report
    percent = _PERCENT.search(rest)
    if percent:
        report.percent_raw = percent.group(0).strip()
        amount, _ = read_number(percent.group(1))
        if amount is None or not 0 <= amount <= 100:
            report.bad_percent = True
        else:
            report.percent = amount
    folded_rest = fold(rest)
    for pattern, status in _STATUS_WORDS:
        if pattern.search(folded_rest):
            report.status = status
            break
    # The topic is what precedes the first figure or status word; the note
    # is what follows it.
    cut = len(rest)
    if percent:
        cut = min(cut, percent.start())
    status_at = _status_position(rest)
    if status_at is not None:
        cut = min(cut, status_at)
    head, tail = rest[:cut], rest[cut:]
    if percent and percent.start() >= cut:
        tail = tail.replace(percent.group(0), " ", 1)
    if status_at is not None:
        tail = _drop_status_words(tail)
    report.topic = "" if report.code else clean(head).strip(" :,-–")
    report.note = clean(tail).strip(" :,-–")
    if report.code and head.strip(" :,-–"):
        report.note = clean(f"{head} {report.note}").strip(" :,-–")
    if report.percent == 100 and not report.status:
        report.status = DONE
    elif report.status == DONE and report.percent is None:
        report.percent = 100.0
    return report


def _status_position(text: str) -> int | None:
    """Character index where the first status word starts, in the original text."""
    words = text.split(" ")
    pos = 0
    for i, _ in enumerate(words):
        tail = fold(" ".join(words[i : i + 3]))
        if any(p.match(tail) for p, _ in _STATUS_WORDS):
            return pos
        pos += len(words[i]) + 1
    return None


def _drop_status_words(text: str) -> str:
    words = text.split(" ")
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            chunk = fold(" ".join(words[i : i + n]))
            if any(p.fullmatch(chunk) for p, _ in _STATUS_WORDS):
                return " ".join(words[:i] + words[i + n :])
    return text
