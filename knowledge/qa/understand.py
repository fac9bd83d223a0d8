"""Understand a question: what is asked, the filters it sets, its topic words.

The result is an immutable :class:`Question`; later stages read it and never change it. The
lower-level parse (intent phrases, topic syllables, typo correction) is
:func:`knowledge.qa.query.parse_query`; this stage adds what the pipeline answers on its own:
counts, reverse look-ups (tasks by body and role, submission year, period, part), progress,
yes/no checks of a guessed figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from knowledge.qa.lexicon import expand
from knowledge.qa.normalise import decode_telex
from knowledge.qa.topics import asks_topics
from knowledge.text import clean, fold

__all__ = ["Ask", "Filters", "Question", "strip_progress", "understand"]


class Ask:
    """What a question asks for, beyond the record look-ups of ``knowledge.qa.query.Intent``."""

    RECORD = "record"
    COUNT = "count"
    LIST = "list"
    PROGRESS = "progress"
    CHECK = "check"
    BUSIEST = "busiest"
    BODIES = "bodies"


# Roles a body plays in the appendix, by the column that names it.
ROLES = ("lead", "issuer", "approval", "coordinating")


@dataclass(frozen=True)
class Filters:
    """Conditions on appendix tasks that a question names.

    Attributes:
        body: The body, as the question names it (folded), or "".
        role: The column the body stands in: ``lead``, ``issuer``, ``approval`` or
            ``coordinating``.
        only: The body is the column's only name ("chỉ có mỗi ...").
        quarter: A submission quarter (1..4).
        year: A submission year.
        period: An implementation period, folded ("2021 2022").
        whole_term: The submission time is the whole term, not a quarter.
        part: An appendix part ("I", "II").
        status: A progress status word: ``overdue``, ``done``, ``no_report``, ``due_soon``.
        group: A group of part I (1..5, the first number of its tasks' codes), or 0.
        kind: The kind of document the tasks are, folded ("de an", "nghi quyet"), or "".
        exclude: The body is excluded ("ngoài Ban X", "không cần trình X"), not required.
        also: More ``(body, role)`` conditions, when the question names more bodies
            ("Ban cán sự đảng UBND tỉnh chủ trì nhưng Tỉnh ủy ban hành").
        blank: An appendix column the tasks leave empty ("chưa ghi thời gian thực hiện"):
            ``period``, ``due``, ``issuer``, ``approval`` or ``lead``; or "".

    """

    body: str = ""
    role: str = ""
    only: bool = False
    quarter: int | None = None
    year: int | None = None
    period: str = ""
    whole_term: bool = False
    part: str = ""
    status: str = ""
    group: int = 0
    kind: str = ""
    exclude: bool = False
    also: tuple[tuple[str, str], ...] = ()
    yearly: bool = False
    blank: str = ""

    def any_task_filter(self) -> bool:
        """Whether any condition on tasks is set."""
        return bool(
            self.body
            or self.quarter
            or self.year
            or self.period
            or self.part
            or self.whole_term
            or self.group
            or self.kind
            or self.yearly
            or self.blank
        )


@dataclass(frozen=True)
class Question:
    """One question, understood.

    Attributes:
        raw: The message as received.
        text: The text the pipeline reads (NFC, Telex decoded, reduced to the question).
        folded: ``text`` folded and with abbreviations expanded.
        ask: What is asked (see :class:`Ask`).
        filters: Conditions on tasks.
        guess: For a yes/no check, the folded guess ("80%", "uy ban nhan dan tinh").
        corrected: ``folded`` with misspelt syllables corrected ("chi tiu" → "chi tieu").
        topic: The sectors whose targets are asked together (``("y te",)``), or ().
        kind: The kind of record the words point to: "task", "indicator" or "".

    """

    raw: str
    text: str
    folded: str
    ask: str
    filters: Filters
    guess: str = ""
    corrected: str = ""
    topic: tuple[str, ...] = ()
    kind: str = ""


_TASKS = r"(?:nhiem vu|de an|nghi quyet|chuong trinh|ke hoach|van ban|viec|cong viec|nv|quy dinh)"
_COUNT = re.compile(
    rf"\b(?:bao nhieu|may|bn|tong (?:cong|so)(?: co)?(?: bao nhieu| bn)?) ({_TASKS})"
)
# Kinds of document a task's title starts with, when a count names one ("mấy nghị quyết").
# "đề án" and "chương trình" often mean any task, so they filter only when the question says
# the title starts with them.
_KINDS = ("nghi quyet", "ke hoach", "quy dinh")
_LOOSE_KINDS = ("de an", "chuong trinh")
_BY_TITLE = re.compile(r"\b(?:bat dau (?:bang|voi)|mo dau bang|ten (?:la|co chu))\b")
# "nhóm 5", "nhóm thứ hai", "nhóm (nhiệm vụ) đầu tiên" of part I.
_ORDINALS = {"dau tien": 1, "thu nhat": 1, "thu hai": 2, "thu ba": 3, "thu tu": 4, "thu nam": 5}
_GROUP = re.compile(
    r"\bnhom (?:nhiem vu |nv )?(?:thu )?([1-5]|dau tien|thu nhat|thu hai|thu ba|thu tu|thu nam)\b"
)
_EXCLUDE = re.compile(r"\b(?:ngoai|tru|khong (?:can |phai )?trinh|co quan khac)\b")
_LIST = re.compile(
    rf"\b(?:{_TASKS} nao|(?:nhung|cac) {_TASKS}(?: nao| gi)?|{_TASKS} (?:gi|j)\b|"
    r"liet ke|danh sach)"
)
_TASK_WORD = re.compile(r"\b(?:nhiem vu|de an|nghi quyet|ke hoach|quy dinh|phu luc)\b")
_TARGET = re.compile(r"\b(?:chi tieu|muc tieu|ty le|ty trong|bao nhieu phan tram)\b")
_PART = re.compile(r"\bphan (i{1,3}|iv|1|2|3)\b")
_ROMAN = {"1": "I", "2": "II", "3": "III", "i": "I", "ii": "II", "iii": "III", "iv": "IV"}
_PERIOD = re.compile(r"\b((?:19|20)\d\d) (?:den |toi )?((?:19|20)\d\d)\b")
_ROLE_WORDS = (
    ("issuer", re.compile(r"\bban hanh\b")),
    ("approval", re.compile(r"\b(?:cho y kien|cap trinh)\b")),
    ("lead", re.compile(r"\b(?:chu tri|tham muu)\b")),
    ("coordinating", re.compile(r"\bphoi hop\b")),
)
# A question asking a task's column is not a topic's targets ("ai phối hợp kiểm tra chỉ tiêu X").
_COLUMN = re.compile(r"\b(?:phoi hop|chu tri|san pham (?:cua|la|gi))\b")
_DUE = re.compile(
    r"\b(?:thoi gian trinh|trinh (?:trong|vao|nam|quy)|phai trinh|han trinh|"
    r"(?:phai |thoi gian |han )hoan thanh|hoan thanh (?:trong|vao|nam|quy|thang))\b"
)
# Tasks due every year ("các nhiệm vụ thực hiện hằng năm").
_YEARLY = re.compile(r"\b(?:hang|moi) nam\b")
_PERIOD_WORDS = re.compile(
    r"\b(?:thoi gian thuc hien|thuc hien (?:trong|tu|giai doan|den)|giai doan thuc hien|"
    r"trien khai (?:trong )?giai doan)"
)
_QUARTER = re.compile(r"\b(?:quy|qui) (iv|iii|ii|i|[1-4])\b")
_STATUS = (
    ("overdue", re.compile(r"\b(?:qua han|tre han|cham tien do|bi tre|cham tre)\b")),
    ("no_report", re.compile(r"\bchua (?:co )?bao cao\b")),
    ("due_soon", re.compile(r"\bsap (?:den|toi) han\b")),
    ("done", re.compile(r"\b(?:da (?:xong|hoan thanh)|hoan thanh roi)\b(?! chua)")),
)
_PROGRESS = re.compile(
    r"\b(?:den dau roi|toi dau roi|den dau|toi dau|tien do(?! trinh)|tinh hinh thuc hien|"
    r"(?:da )?(?:xong|hoan thanh) chua|lam toi dau|trien khai (?:den|toi) dau|tinh trang|"
    r"(?:da )?(?:co )?(?:ai )?bao cao (?:gi |ket qua |tien do )?chua|"
    r"dang o (?:buoc|giai doan|khau) nao|tien trien)\b"
)
# The same phrases on unfolded text, removed to find the task a progress question is about.
_PROGRESS_TEXT = re.compile(
    r"(?:đến đâu rồi|tới đâu rồi|đến đâu|tới đâu|tiến độ|tình hình thực hiện|"
    r"(?:đã )?(?:xong|hoàn thành) chưa|làm tới đâu|triển khai (?:đến|tới) đâu|tình trạng|"
    r"(?:đã )?(?:có )?(?:ai )?báo cáo (?:gì |kết quả |tiến độ )?chưa|"
    r"đang ở (?:bước|giai đoạn|khâu) nào|(?:đang )?tiến triển(?: thế nào| ra sao)?|"
    r"den dau roi|toi dau roi|den dau|toi dau|tien do|tinh hinh thuc hien|"
    r"(?:da )?(?:co )?(?:ai )?bao cao (?:gi |ket qua |tien do )?chua|"
    r"dang o (?:buoc|giai doan|khau) nao|(?:dang )?tien trien(?: the nao| ra sao)?|"
    r"(?:da )?(?:xong|hoan thanh) chua|tinh trang)",
    re.IGNORECASE,
)


def strip_progress(text: str) -> str:
    """The question without its progress phrase ("5.3 đến đâu rồi" → "5.3")."""
    return re.sub(r"\s+", " ", _PROGRESS_TEXT.sub(" ", text)).strip()


_CHECK = re.compile(
    r"(?:\b(?:phai|dung) (?:khong|ko|k|hong|ha|chua)\b|\bco phai\b|"
    r"\bha(?: ad| ban| bot)?\s*[?.!]*$|"
    r"\bdung (?:vay|the) (?:khong|ko)\b|\bdung ko\b)"
)
_GUESS_NUMBER = re.compile(r"(?:tren |duoi |dat |la )?(\d+(?:[.,]\d+)*)\s*(%|phan tram|usd)?")


# A column left empty: "chưa ghi thời gian thực hiện", "không có cơ quan ban hành".
_BLANK = re.compile(
    r"\b(?:chua|khong|ko) (?:duoc )?(?:ghi|co|neu|xac dinh|de)(?: ro)? (?:cot )?"
    r"(thoi gian thuc hien|thoi gian trinh|han trinh|co quan ban hanh|cap trinh|"
    r"co quan chu tri)\b"
)
_BLANK_FIELDS = {
    "thoi gian thuc hien": "period",
    "thoi gian trinh": "due",
    "han trinh": "due",
    "co quan ban hanh": "issuer",
    "cap trinh": "approval",
    "co quan chu tri": "lead",
}


def _blank(folded: str) -> str:
    found = _BLANK.search(folded)
    return _BLANK_FIELDS[found.group(1)] if found else ""


def _filters(folded: str, body: str, role_of: Callable[[str], str]) -> Filters:
    part = _PART.search(folded)
    quarter = _QUARTER.search(folded)
    period = _PERIOD.search(folded)
    years = re.findall(r"\b((?:19|20)\d\d)\b", folded)
    status = next((name for name, p in _STATUS if p.search(folded)), "")
    due = bool(_DUE.search(folded)) or quarter is not None
    in_period = bool(_PERIOD_WORDS.search(folded))
    whole = due and period is not None and "khong ghi quy" in folded
    return Filters(
        body=body,
        role=role_of(folded) if body else "",
        only=bool(re.search(r"\bchi (?:co )?(?:moi )?\b", folded)) and bool(body),
        quarter=(
            {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(quarter.group(1)) or int(quarter.group(1))
        )
        if quarter
        else None,
        year=int(years[-1]) if years and due and not period else None,
        period=f"{period.group(1)} {period.group(2)}" if period and (in_period or whole) else "",
        whole_term=whole,
        part=_ROMAN[part.group(1)] if part else "",
        status=status,
        group=_group(folded),
        kind=_kind(folded),
        exclude=bool(body) and bool(_EXCLUDE.search(folded)),
        yearly=bool(_YEARLY.search(folded) and _TASK_WORD.search(folded)),
        blank=_blank(folded),
    )


def body_roles(folded: str, spans: Spans) -> list[tuple[str, str]]:
    """Each body a question names with the role its own words give it, in order.

    The role is the first role word after the body (before the next body), else "trình"
    right before it (approval): "trình Tỉnh ủy nhưng do UBND tỉnh ban hành" gives
    ``[("Tỉnh ủy", "approval"), ("UBND tỉnh", "issuer")]``. A body without a role is left out.
    """
    found = spans(folded)
    pairs: list[tuple[str, str]] = []
    role = ""
    for i, (start, end, name) in enumerate(found):
        after = folded[end : found[i + 1][0] if i + 1 < len(found) else len(folded)]
        before = folded[found[i - 1][1] if i else 0 : start]
        if not (i and _AND.fullmatch(before)):  # "Thường trực và Ban Thường vụ": same role
            role = _role(_ROLE_OF_NEXT.sub("", after)) or _role_before(before)
        if role and (name, role) not in pairs:
            pairs.append((name, role))
    return pairs


def _role_before(before: str) -> str:
    found = _ROLE_BEFORE.search(before)
    return _ROLE_WORD.get(found.group(1), "") if found else ""


_AND = re.compile(r"\s*(?:,|va|vs|voi|hoac)?\s*")
# A role phrase right before a body names its role: "cơ quan ban hành là X", "trình X".
_ROLE_BEFORE = re.compile(
    r"\b(ban hanh|chu tri|tham muu|cho y kien|trinh)(?: (?:la|chi|o|len|hoi nghi|cho|do))*\s*$"
)
_ROLE_OF_NEXT = re.compile(
    r"(?:co quan |cap )?(?:ban hanh|chu tri|tham muu|cho y kien)(?: la)+\s*$"
)
_ROLE_WORD = {
    "ban hanh": "issuer",
    "chu tri": "lead",
    "tham muu": "lead",
    "cho y kien": "approval",
    "trinh": "approval",
}
Spans = Callable[[str], list[tuple[int, int, str]]]


def _group(folded: str) -> int:
    found = _GROUP.search(folded)
    if found is None:
        return 0
    word = found.group(1)
    return int(word) if word.isdigit() else _ORDINALS.get(word, 0) or _ORDINALS[f"thu {word}"]


# "bao nhiêu nhiệm vụ là đề án": the kind named after the count, as what the tasks are.
_IS_KIND = re.compile(
    r"\b(?:nhiem vu|nv|viec) (?:la|thuoc loai|o dang) (de an|chuong trinh|"
    r"nghi quyet|ke hoach|quy dinh)\b"
)


def _kind(folded: str) -> str:
    """The kind of document a count asks about ("có mấy nghị quyết"), or ""."""
    named = _IS_KIND.search(folded)
    if named is not None and _COUNT.search(folded):
        return named.group(1)
    found = _COUNT.search(folded)
    if found is None:
        return ""
    kind = found.group(1)
    if kind in _KINDS or (kind in _LOOSE_KINDS and _BY_TITLE.search(folded)):
        return kind
    return ""


def _role(folded: str) -> str:
    """The role a body plays in a reverse question, or "" when no role word says it."""
    for role, pattern in _ROLE_WORDS:
        if pattern.search(folded):
            return role
    return ""


def _asks_status(folded: str) -> bool:
    return any(p.search(folded) for _, p in _STATUS)


def _lead_role(folded: str) -> str:
    """In a status question a body without a role word is the lead body."""
    return _role(folded) or "lead"


# "đa số nhiệm vụ do ai chủ trì", "cơ quan nào chủ trì nhiều nhiệm vụ nhất".
_BUSIEST = re.compile(r"\b(?:da so|phan lon|hau het|nhieu (?:nhiem vu |de an |viec )?nhat)\b")
_WHO = re.compile(r"\b(?:ai|co quan nao|ban nao|don vi nao|cq nao)\b")


# "có mấy cơ quan ban hành khác nhau", "bao nhiêu cơ quan chủ trì".
_HOW_MANY_BODIES = re.compile(
    r"\b(?:bao nhieu|may|bn) (?:co quan|don vi|cap)(?: duoc)? (?:chu tri|ban hanh|cho y kien|"
    r"tham muu|phoi hop)\b|"
    r"\b(?:co quan|don vi) (?:chu tri|ban hanh|cho y kien|phoi hop) khac nhau\b"
)


def _ask(folded: str, filters: Filters) -> str:
    if _BUSIEST.search(folded) and _WHO.search(folded) and not filters.body:
        return Ask.BUSIEST
    if _HOW_MANY_BODIES.search(folded) and not filters.body:
        return Ask.BODIES
    if _CHECK.search(folded):
        return Ask.CHECK
    if _PROGRESS.search(folded) or filters.status:
        return Ask.PROGRESS
    if _COUNT.search(folded):
        return Ask.COUNT
    if _LIST.search(folded) and filters.any_task_filter():
        return Ask.LIST
    return Ask.RECORD


def normalised(raw: str) -> str:
    """The text the pipeline reads: cleaned, Telex lines decoded."""
    return clean("\n".join(decode_telex(line) for line in raw.splitlines()))


def understand(
    text: str,
    bodies: Callable[[str], str],
    raw: str | None = None,
    fix: Callable[[list[str]], list[str]] | None = None,
    spans: Spans | None = None,
) -> Question:
    """Understand one question.

    Args:
        text: The question (one part of a message), already normalised.
        bodies: Finds the first body a folded text names, or "".
        raw: The message as received (``text`` when None).
        fix: Corrects misspelt folded syllables.
        spans: Finds every body a folded text names, for questions naming two.

    Returns:
        The question.

    """
    folded = _expanded(text)
    corrected = " ".join(fix(folded.split())) if fix else folded
    if not _COUNT.search(folded) and _COUNT.search(corrected):
        folded = corrected  # "bao nhiu chương trình" is a count
    # What depends on the document (its bodies), then the rest, shared by every document.
    body = bodies(folded) if _asks_status(folded) or _role(folded) else ""
    pairs = tuple(body_roles(folded, spans)) if spans and body else ()
    return _understood(raw if raw is not None else text, text, folded, corrected, body, pairs)


@lru_cache(maxsize=64)
def _expanded(text: str) -> str:
    return expand(fold(text))


@lru_cache(maxsize=64)
def _understood(
    raw: str, text: str, folded: str, corrected: str, body: str, pairs: tuple[tuple[str, str], ...]
) -> Question:
    """The question from its texts and the bodies it names (kept for the last few questions).

    A library asks every document the same question: this part is the same for all of them.
    """
    # "Ban X có nhiệm vụ nào quá hạn": the tasks X leads.
    role_of = _lead_role if _asks_status(folded) else _role
    filters = _filters(folded, body, role_of)
    if len(pairs) > 1 and not filters.exclude:
        filters = replace(filters, body=pairs[0][0], role=pairs[0][1], also=tuple(pairs[1:]))
    ask = _ask(folded, filters)
    if ask in (Ask.BUSIEST, Ask.BODIES):
        filters = replace(filters, role=_lead_role(folded))
    guess = ""
    if ask == Ask.CHECK:
        numbers = [m for m in _GUESS_NUMBER.finditer(folded) if m.group(2) or "." in m.group(1)]
        guess = numbers[-1].group(1) if numbers else ""
    kind = "task" if _TASK_WORD.search(folded) else "indicator" if _TARGET.search(folded) else ""
    topic = () if _COLUMN.search(folded) else asks_topics(corrected)
    return Question(raw, text, folded, ask, filters, guess, corrected, topic, kind)
