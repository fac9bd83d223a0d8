"""Decide whether the document answers: refuse near-misses instead of answering a neighbour.

Three near-misses share words with the document but are not in it:

- a year it does not give a target for ("GRDP bình quân đầu người năm 2030"): said so, with
  the year it does give, and ``found`` False;
- a body it does not name as lead or issuer ("Công an tỉnh chủ trì nhiệm vụ nào");
- a figure an appendix row does not hold (the budget of a task).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from knowledge.programme.model import Indicator
from knowledge.qa.answer import Answer
from knowledge.qa.retrieve import RANKING
from knowledge.qa.understand import Question
from knowledge.render import Markup
from knowledge.text import fold

__all__ = ["missing_year", "unknown_body", "unstated_figure"]

_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_BASELINE = re.compile(r"\bso (?:voi )?(?:cuoi )?(?:nam |giai doan )?(?:19|20)\d\d\b")
# Heads of the names of state bodies: a role verb after one of them names a body.
_BODY_HEAD = re.compile(
    r"(?:^|\bdo )(?:so|cong an|bo chi huy|bo|cuc|chi cuc|phong|truong|vien|toa an|"
    r"vien kiem sat|kho bac|ngan hang|thanh tra)\b(?: (?!ai\b|nao\b|gi\b)[a-z]+){0,5} "
    r"(?:chu tri|ban hanh|tham muu|phu trach)\b"
)
# The head of a body's name right before a known body it would extend: "ban kinh te " + "tinh uy".
_NAME_HEAD = re.compile(r"\bban (?!hanh\b)(?:[a-z]+ ){2,3}$")
_ROLE_VERB = re.compile(r"\b(?:chu tri|ban hanh|tham muu|phu trach|duoc giao)\b")
Spans = Callable[[str], list[tuple[int, int, str]]]
_MONEY = re.compile(r"\b(?:kinh phi|ty dong|trieu dong|bao nhieu tien|tong muc dau tu|von)\b")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def missing_year(q: Question, ind: Indicator, m: Markup) -> Answer | None:
    """A refusal when the question asks a target for a year the document does not give it."""
    asked = {int(y) for y in _YEAR.findall(_BASELINE.sub(" ", q.folded))}
    # "gấp 2,2 lần so với năm 2020": the year compared with is not a year with a target.
    stated = _BASELINE.sub(" ", fold(ind.sentence))
    given = {int(y) for y in _YEAR.findall(stated)} | {ind.year or 0}
    other = sorted(asked - given)
    if not other:
        return None
    name = re.sub(r"\s*(?:(?:đến )?năm|giai đoạn) \d{4}.*$", "", ind.name).strip()
    year = ind.year or max(given)
    text = m.text(
        f"Chương trình không đặt chỉ tiêu {_lower_first(name)} cho năm {other[-1]}; "
        f"chỉ tiêu năm {year} là {ind.value}."
    )
    return Answer(q.raw, "indicator", False, text)


def _longer_name(folded: str, spans: Spans, forms: Sequence[str]) -> bool:
    """A known body is only the tail of a longer, unknown name ("ban kinh te" + "tinh uy").

    A name close to a known spelling ("ban noi chanh tinh uy") is that body misspelt.
    """
    for start, end, _ in spans(folded):
        head = _NAME_HEAD.search(folded[:start])
        if head is None:
            continue
        name = folded[head.start() : end]
        if not any(fuzz.ratio(name, form) >= RANKING.body_near * 100 for form in forms):
            return True
    return False


def unknown_body(
    q: Question, m: Markup, spans: Spans | None = None, forms: Sequence[str] = ()
) -> Answer | None:
    """A refusal when a role verb follows a body the programme does not name.

    Args:
        q: The question.
        m: Markup for the answer.
        spans: Finds the known bodies in folded text; a known body that ends a longer
            unknown name ("Ban Kinh tế Tỉnh ủy", the programme naming only "Tỉnh ủy") is
            another body.
        forms: The known bodies' spellings, folded.

    """
    longer = bool(spans and _ROLE_VERB.search(q.folded) and _longer_name(q.folded, spans, forms))
    if q.filters.body and not longer:
        return None
    if not longer and _BODY_HEAD.search(q.folded) is None:
        return None
    text = m.text(
        "Phụ lục của chương trình không giao nhiệm vụ nào cho cơ quan này. "
        "Thử hỏi theo tên cơ quan trong chương trình, ví dụ: “Ban Tuyên giáo chủ trì "
        "nhiệm vụ nào”."
    )
    return Answer(q.raw, "tasks_by_agency", False, text)


def unstated_figure(q: Question, code: str, m: Markup) -> Answer | None:
    """A refusal when the question asks an amount of money of an appendix task."""
    if not _MONEY.search(q.folded) or "bao nhieu" not in q.folded:
        return None
    text = m.text(
        f"Phụ lục không ghi kinh phí cho nhiệm vụ {code}; "
        "chương trình chỉ nêu cơ quan chủ trì, cấp trình, cơ quan ban hành và thời gian."
    )
    return Answer(q.raw, "task", False, text)


# A question asking an amount ("bao nhiêu MW", "đạt bao nhiêu") or a time ("khi nào khởi công").
_ASKS_AMOUNT = re.compile(r"\bbao nhieu\b|\b(?:co|gom|dat|la|duoc) may\b")
_ASKS_TIME = re.compile(
    r"\b(?:khi nao|bao gio|luc nao|thoi diem nao|thoi gian nao|ngay nao|thang nao)\b"
)
# What is not a figure in a passage: dates, document numbers, years.
_NOT_FIGURES = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d+[-/][a-z]+(?:/[a-z]+)*\b|\b(?:19|20)\d\d\b|"
    r"\bso \d+\b|\b\d+ (?:kl|nq|ct|ctr|qd|kh|tb|hd)\b"
)
_FIGURE = re.compile(r"\d")
_TIME = re.compile(r"\b(?:19|20)\d\d\b|\bquy (?:i|ii|iii|iv)\b|\bthang \d")


def unstated_in_passage(q: Question, passage: str, m: Markup) -> Answer | None:
    """A refusal when a passage is the best match but holds no figure (or time) the question asks.

    "Nhà máy X có công suất bao nhiêu MW?" matched by a passage naming X without a number, or
    "khi nào khởi công dự án Y?" by one naming Y without a year, is a near miss.
    """
    text = fold(passage)
    if _ASKS_AMOUNT.search(q.folded) and not _FIGURE.search(_NOT_FIGURES.sub(" ", text)):
        missing = "con số"
    elif _ASKS_TIME.search(q.folded) and not _TIME.search(text):
        missing = "thời gian"
    else:
        return None
    reply = m.text(
        f"Chương trình không nêu {missing} này; đoạn gần nhất chỉ nhắc đến nội dung liên quan."
    )
    return Answer(q.raw, "passage", False, reply)


# Who holds an office now: the programme names bodies, not office holders (but its signer).
_OFFICE_HOLDER = re.compile(
    r"\b(?:chu tich|pho chu tich|giam doc|pho giam doc|truong ban|pho truong ban|"
    r"pho bi thu|chanh van phong)\b.*\b(?:la ai|ten (?:la )?gi)\b|"
    r"\bai (?:la|dang lam|dang giu chuc) (?:chu tich|pho chu tich|giam doc|truong ban)\b"
)


def office_holder(q: Question, m: Markup) -> Answer | None:
    """A refusal when the question asks who holds an office: the document does not say."""
    if not _OFFICE_HOLDER.search(q.folded):
        return None
    text = m.text(
        "Chương trình không nêu tên người giữ chức vụ này; chương trình chỉ giao nhiệm vụ "
        "cho các cơ quan."
    )
    return Answer(q.raw, "agency", False, text)
