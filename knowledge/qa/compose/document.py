"""Questions about the document itself: its parts, a named part, its term, the appendix columns.

"Chương trình hành động này gồm những phần nào?", "văn bản này nhằm những mục đích nào?",
"áp dụng cho nhiệm kỳ nào?", "phụ lục theo dõi mỗi nhiệm vụ theo những cột nào?". Each answer
is read from the parsed document (its headings, passages and subtitle), never written here.
"""

from __future__ import annotations

import re

from knowledge.programme.model import Programme
from knowledge.qa.answer import Answer
from knowledge.qa.query import PART_LETTER
from knowledge.qa.understand import Question
from knowledge.render import Markup, header_lines
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


# The facts a document states about itself, as questions ask them.
_FACTS = re.compile(
    r"\b(?:ai ky|nguoi ky|do ai ky|ky boi|ky ten|ky (?:van ban|chuong trinh|ke hoach)|"
    r"ngay (?:ban hanh|ky)|(?:ban hanh|ky|ra doi) (?:vao )?(?:ngay|khi|nam|luc|thang) nao|"
    r"ngay nao|khi nao|nam nao|so (?:may|bao nhieu|hieu|van ban|ky hieu)|ky hieu|"
    r"(?:co quan|cap|don vi) nao ban hanh|do (?:ai|co quan nao|cap nao) ban hanh|ai ban hanh|"
    r"cua (?:co quan|cap) nao|noi ban hanh|thuc hien nghi quyet(?: dai hoi)?(?: nao| gi)?|"
    r"nghi quyet (?:dai hoi )?nao|cu the hoa nghi quyet(?: nao| gi)?|trien khai nghi quyet nao)\b"
)
# The document named as such ("chương trình hành động này", "văn bản", "kế hoạch này").
_ITSELF = re.compile(
    r"\b(?:chuong trinh hanh dong|chuong trinh|van ban|ke hoach)(?: nay| do| tren)?\b"
)
# Words that leave a question about the document itself ("… này do ai ký vậy").
_PLAIN = frozenset(
    [
        "nay",
        "la",
        "cua",
        "do",
        "duoc",
        "boi",
        "vao",
        "co",
        "gom",
        "ra",
        "the",
        "vay",
        "a",
        "ad",
        "oi",
        "nhi",
        "ha",
        "em",
        "anh",
        "chi",
        "minh",
        "cho",
        "hoi",
        "xin",
        "biet",
        "ban",
        "bot",
        "tinh",
        "uy",
        "khong",
        "ai",
        "gi",
        "ten",
        "nguoi",
        "dong",
        "chi",
        "bi",
        "thu",
        "chu",
        "tich",
    ]
)


def _about_itself(folded: str) -> bool:
    """Whether the question asks a fact of the document and names nothing else."""
    if not _FACTS.search(folded) or not _ITSELF.search(folded):
        return False
    rest = _ITSELF.sub(" ", _FACTS.sub(" ", folded))
    return all(w in _PLAIN for w in rest.split())


def _facts(q: Question, p: Programme, m: Markup) -> Answer:
    """Its number, issuer, date and signer, and what it implements, from its header."""
    lines = header_lines(p, m)
    return Answer(q.raw, INTENT, bool(p.issued or p.signer or p.number), "\n".join(lines))


# A lettered part asked by its letter: "phần B tên là gì", "phần D nói về nội dung gì".
_WHAT_PART = re.compile(
    r"\b(?:ten(?: day du)?(?: la)? gi|ten la|noi (?:ve )?(?:noi dung )?gi|noi ve|"
    r"noi dung (?:la )?gi|de cap (?:den |toi )?(?:noi dung )?gi|la phan gi|gom (?:nhung )?gi|"
    r"la gi|gom nhung noi dung nao|noi dung nao)\b"
)
_PART_WORDS = frozenset(
    ["phan", "muc", "cuoi", "cung", "dau", "tien", "thu", "hai", "ba", "tu", "cac"]
)


def _lettered_part(q: Question, programme: Programme, m: Markup) -> Answer | None:
    """A part named by its letter, when the question asks only what it is."""
    named = PART_LETTER.search(q.folded)
    if named is None or not _WHAT_PART.search(q.folded):
        return None
    rest = _ITSELF.sub(" ", _WHAT_PART.sub(" ", PART_LETTER.sub(" ", q.folded)))
    if not all(w in _PLAIN or w in _PART_WORDS for w in rest.split()):
        return None
    letter = named.group(1).upper()
    top = next((s for s in programme.sections if s.ref == letter), None)
    if top is not None:
        children = [
            f"• {s.ref}. {s.title}"
            for s in programme.sections
            if s.ref.count(".") == 1 and s.ref.startswith(letter + ".")
        ]
        return _answer(q, m, f"Phần {letter}: {top.title}", children, f"phần {letter}")
    duties = [r for r in programme.responsibilities if r.ref.startswith(letter + ".")]
    if not duties:
        return None
    lines = [f"• {r.ref}. {r.subject}" for r in duties]
    return _answer(q, m, f"Phần {letter}: Tổ chức thực hiện", lines, f"phần {letter}")


# "phần I của phụ lục có mấy nhóm nhiệm vụ", "các nhóm nhiệm vụ gồm những nhóm nào".
_GROUPS = re.compile(
    r"\b(?:bao nhieu|may|nhung|cac) nhom(?! chi tieu| muc tieu| doi tuong)(?: nhiem vu| nv)?\b"
)
_APPENDIX_PART = re.compile(r"\bphan (i|ii|iii|iv|1|2)\b")
_ROMAN = {"1": "I", "2": "II"}


def _groups(q: Question, programme: Programme, m: Markup) -> Answer | None:
    """The groups of tasks the appendix (or one of its parts) has, in order, with counts."""
    if not _GROUPS.search(q.folded):
        return None
    named = _APPENDIX_PART.search(q.folded)
    part = _ROMAN.get(named.group(1), named.group(1).upper()) if named else ""
    tasks = [t for t in programme.tasks if t.group and (not part or t.part == part)]
    groups = list(dict.fromkeys(t.group for t in tasks))
    if not groups:
        return None
    where = f"Phần {part} của Phụ lục" if part else "Phụ lục"
    lines = [
        f"{i}. {g} ({sum(t.group == g for t in tasks)} nhiệm vụ)"
        for i, g in enumerate(groups, start=1)
    ]
    return _answer(q, m, f"{where} có {len(groups)} nhóm nhiệm vụ", lines, "Phụ lục")


def document_answer(q: Question, programme: Programme, m: Markup) -> Answer | None:
    """The answer to a question about the document itself, or None when it is not one."""
    folded = q.folded
    if _about_itself(folded):
        return _facts(q, programme, m)
    groups = _groups(q, programme, m)
    if groups is not None:
        return groups
    part = _lettered_part(q, programme, m)
    if part is not None:
        return part
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
