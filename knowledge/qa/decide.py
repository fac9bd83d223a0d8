"""Decide whether the document answers: refuse near-misses instead of answering a neighbour.

Three near-misses share words with the document but are not in it:

- a year it does not give a target for ("GRDP bình quân đầu người năm 2030"): said so, with
  the year it does give, and ``found`` False;
- a body it does not name as lead or issuer ("Công an tỉnh chủ trì nhiệm vụ nào");
- a figure an appendix row does not hold (the budget of a task).
"""

from __future__ import annotations

import re

from knowledge.programme.model import Indicator
from knowledge.qa.answer import Answer
from knowledge.qa.understand import Question
from knowledge.render import Markup
from knowledge.text import fold

__all__ = ["missing_year", "unknown_body", "unstated_figure"]

_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# Heads of the names of state bodies: a role verb after one of them names a body.
_BODY_HEAD = re.compile(
    r"(?:^|\bdo )(?:so|cong an|bo chi huy|bo|cuc|chi cuc|phong|truong|vien|toa an|"
    r"vien kiem sat|kho bac|ngan hang|thanh tra)\b(?: (?!ai\b|nao\b|gi\b)[a-z]+){0,5} "
    r"(?:chu tri|ban hanh|tham muu|phu trach)\b"
)
_MONEY = re.compile(r"\b(?:kinh phi|ty dong|trieu dong|bao nhieu tien|tong muc dau tu|von)\b")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def missing_year(q: Question, ind: Indicator, m: Markup) -> Answer | None:
    """A refusal when the question asks a target for a year the document does not give it."""
    asked = {int(y) for y in _YEAR.findall(q.folded)}
    given = {int(y) for y in _YEAR.findall(fold(ind.sentence))} | {ind.year or 0}
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


def unknown_body(q: Question, m: Markup) -> Answer | None:
    """A refusal when a role verb follows a body the programme does not name."""
    if q.filters.body:
        return None
    found = _BODY_HEAD.search(q.folded)
    if found is None:
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
