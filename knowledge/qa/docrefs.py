"""References to a document in a question: "theo kế hoạch 45 của UBND", "CTr 08", "45/KH-UBND".

A pure parser: :func:`document_refs` reads what a question says about which document it
means; :func:`matches` says whether a stored document is one of them. A reference that
matches no stored document is ignored by the caller (``kế hoạch 2026`` is a year column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.text import fold_keep_punct

__all__ = ["DocRef", "document_refs", "matches", "number_of"]

PLAN, PROGRAMME = "plan", "programme"

# "kế hoạch (số) 45", "KH 45", "kế hoạch số 45/KH-UBND"
_PLAN = re.compile(r"(?<![\w])(?:ke hoach|kh)\s*(?:so\s*)?0*(\d{1,4})(?![\d,.]\d)")
# "chương trình (hành động) (số) 08", "CTr 08", "CTrHĐ 08"
_PROGRAMME = re.compile(
    r"(?<![\w])(?:chuong trinh(?: hanh dong)?|ctr(?:hd)?)\s*(?:so\s*)?0*(\d{1,4})(?![\d,.]\d)"
)
# full numbers as written: "08-CTr/TU", "45/KH-UBND"
_FULL = re.compile(r"(?<![\w])0*(\d{1,4})\s*[-/]\s*(ctr|kh)\b")
# the genre alone, where it can only mean the document: "của kế hoạch", "chương trình hành
# động này" (not "kế hoạch năm 2026", "chương trình chuyển đổi số", "kế hoạch của Tỉnh đoàn")
_END = r"(?=\s*(?:$|[?.,;:!]|la\b|co\b|thi\b|do\b|ten\b|dat\b|de\b|ve\b))"
_PLAN_GENRE = re.compile(
    rf"(?:\b(?:cua|trong|theo|thuc hien) ke hoach(?: nay)?{_END}"
    r"|\bke hoach nay\b|^ke hoach giao\b(?! duc))"
)
_PROGRAMME_GENRE = re.compile(
    rf"(?<!ke hoach )(?<!ke hoach thuc hien )(?<!ke hoach trien khai )"
    rf"(?:\bchuong trinh hanh dong (?:nay|do|cua tinh uy)\b"
    rf"|\b(?:cua|trong|theo|phu luc|thuc hien) chuong trinh(?: hanh dong)?(?: nay)?{_END})"
)
_UBND = re.compile(r"\b(?:ubnd|uy ban(?: nhan dan)?)\b")
_PARTY = re.compile(r"\b(?:tinh uy|ban thuong vu)\b|/tu\b")
_LEADING = re.compile(r"0*(\d+)")


@dataclass(frozen=True)
class DocRef:
    """One document a question names.

    Attributes:
        kind: ``"plan"``, ``"programme"`` or "" (any kind).
        number: The leading number of the document's number (45 for "45/KH-UBND"), or None
            when the question names the genre alone ("của kế hoạch").
        issuer: ``"ubnd"``, ``"party"`` or "" when the question does not say.

    """

    kind: str
    number: int | None
    issuer: str = ""


def _issuer(folded: str) -> str:
    if _UBND.search(folded):
        return "ubnd"
    if _PARTY.search(folded):
        return "party"
    return ""


def document_refs(question: str) -> list[DocRef]:
    """The documents ``question`` names, in the order they first appear (no duplicates).

    >>> document_refs("Theo kế hoạch 45 của UBND, ai chủ trì?")
    [DocRef(kind='plan', number=45, issuer='ubnd')]
    >>> document_refs("chỉ tiêu kế hoạch năm 2026")
    []
    """
    folded = fold_keep_punct(question)
    issuer = _issuer(folded)
    found: list[tuple[int, DocRef]] = []
    for pattern, kind in ((_PLAN, PLAN), (_PROGRAMME, PROGRAMME)):
        for m in pattern.finditer(folded):
            found.append((m.start(), DocRef(kind, int(m[1]), issuer)))
    for m in _FULL.finditer(folded):
        found.append((m.start(), DocRef(PLAN if m[2] == "kh" else PROGRAMME, int(m[1]), issuer)))
    if not found:
        for pattern, kind in ((_PLAN_GENRE, PLAN), (_PROGRAMME_GENRE, PROGRAMME)):
            genre = pattern.search(folded)
            if genre:
                found.append((genre.start(), DocRef(kind, None, issuer)))
    refs: list[DocRef] = []
    for _, ref in sorted(found, key=lambda p: p[0]):
        if ref not in refs:
            refs.append(ref)
    return refs


def number_of(document_number: str) -> int | None:
    """The leading number of a document number: 8 for "08-CTr/TU", None without one."""
    m = _LEADING.match(document_number.strip())
    return int(m[1]) if m else None


def matches(ref: DocRef, *, number: str, kind: str, issuer: str) -> bool:
    """Whether a stored document (its number, kind and issuer) is the one ``ref`` names."""
    if ref.number is not None and number_of(number) != ref.number:
        return False
    if ref.kind and ref.kind != kind:
        return False
    folded = fold_keep_punct(issuer)
    if ref.issuer == "ubnd":
        return "uy ban" in folded or "ubnd" in fold_keep_punct(number)
    if ref.issuer == "party":
        return "uy" in folded and "uy ban" not in folded
    return True
