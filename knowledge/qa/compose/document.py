"""Questions about the document itself: its parts, a named part, its term, the appendix columns.

"Chương trình hành động này gồm những phần nào?", "văn bản này nhằm những mục đích nào?",
"áp dụng cho nhiệm kỳ nào?", "phụ lục theo dõi mỗi nhiệm vụ theo những cột nào?". Each answer
is read from the parsed document (its headings, passages and subtitle), never written here.
"""

from __future__ import annotations

import re

from knowledge.programme.model import Programme
from knowledge.qa.answer import Answer
from knowledge.qa.understand import Question
from knowledge.render import Markup
from knowledge.text import fold

__all__ = ["document_answer"]

INTENT = "document"
# The question is about this document, not a task or a target.
_SELF = re.compile(r"\b(?:chuong trinh hanh dong|van ban|chuong trinh (?:nay|\d+))\b")
_STRUCTURE = re.compile(
    r"\b(?:(?:gom|co|chia (?:lam|thanh)) (?:nhung|may|bao nhieu|cac) phan(?: lon| chinh)?|"
    r"bo cuc|cau truc)\b"
)
_TERM = re.compile(r"\bnhiem k[yi] nao\b")
_COLUMNS = re.compile(r"\b(?:nhung|cac|may) cot\b|\bcot nao\b")
_DRAFTED = re.compile(r"\b(?:ai|nao|khoa nao) xay dung\b|\bxay dung boi\b")
# The appendix's columns, as the model reads every appendix (see knowledge.programme.model.Task).
_APPENDIX_COLUMNS = (
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì tham mưu",
    "Cấp trình cho ý kiến",
    "Cơ quan ban hành",
    "Thời gian trình",
    "Thời gian thực hiện",
)


def document_answer(q: Question, programme: Programme, m: Markup) -> Answer | None:
    """The answer to a question about the document itself, or None when it is not one."""
    folded = q.folded
    if _COLUMNS.search(folded) and "phu luc" in folded:
        return _answer(q, m, "Các cột của Phụ lục", [", ".join(_APPENDIX_COLUMNS)], "Phụ lục")
    if not _SELF.search(folded) or "phu luc" in folded:
        return None
    if _STRUCTURE.search(folded):
        return _structure(q, programme, m)
    if _TERM.search(folded) and programme.subtitle:
        return _answer(q, m, programme.title, [programme.subtitle], "phần đầu của văn bản")
    if _DRAFTED.search(folded):
        opening = [p.text for p in programme.passages if not re.match(r"[A-Z]\b", p.ref)]
        return _answer(q, m, programme.title, opening[:1], "mục Mở đầu") if opening else None
    return _named_part(q, programme, m)


def _answer(q: Question, m: Markup, head: str, lines: list[str], source: str) -> Answer:
    text = [m.bold(head + ":"), *(m.text(line) for line in lines), m.italic(f"Nguồn: {source}")]
    return Answer(q.raw, INTENT, True, "\n".join(text))


def _structure(q: Question, programme: Programme, m: Markup) -> Answer:
    """The top-level parts: the body's headings, the implementation part, the appendix."""
    parts = [f"{s.ref}. {s.title}" for s in programme.sections if "." not in s.ref]
    letters = {r.ref.split(".")[0] for r in programme.responsibilities}
    parts.extend(f"{letter}. Tổ chức thực hiện" for letter in sorted(letters) if letter)
    if programme.tasks:
        parts.append(f"Phụ lục: {len(programme.tasks)} nhiệm vụ")
    head = f"{programme.title} gồm {len(parts)} phần"
    return _answer(q, m, head, [f"• {p}" for p in parts], "các đề mục của văn bản")


def _asks_for(title: str, folded: str) -> bool:
    """Whether the question asks for the things a heading names: "những mục đích nào"."""
    t = re.escape(title)
    return bool(
        re.search(rf"\b(?:(?:nhung|cac|may) {t}(?: nao| gi)?|{t} (?:nao|gi|la gi))\b", folded)
    )


def _named_part(q: Question, programme: Programme, m: Markup) -> Answer | None:
    """A short part asked by its heading ("những mục đích nào", "yêu cầu gì"): its passages."""
    for s in programme.sections:
        title = fold(s.title)
        if s.ref.count(".") != 1 or len(title.split()) > 2 or not _asks_for(title, q.folded):
            continue
        texts = [p.text for p in programme.passages if p.ref.startswith(s.ref + ".")]
        texts = texts or [p.text for p in programme.passages if p.ref == s.ref]
        if texts:
            return _answer(q, m, f"{s.title} (mục {s.ref})", texts, f"mục {s.ref}")
    return None
