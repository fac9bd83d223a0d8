"""Document numbers in a report's note or caption: "Quyết định số 123/QĐ-UBND ngày 15/3/2024".

Vietnamese administrative documents are numbered ``<số>/<năm>/<loại>-<cơ quan>``
(Nghị định 30/2020/NĐ-CP): "123/QĐ-UBND", "42/2014/QĐ-TTg", "45/KH-UBND"; a công văn
carries only the issuer and unit ("1234/UBND-KT"); Party documents are numbered
``<số>-<loại>/<cơ quan>`` ("09-NQ/TU", "12-KH/TU"). This module finds such numbers, the
kind of document (the word before it, else the kind code inside it) and the date after
it. Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["DocRef", "find_refs", "refs_text"]

# Kind codes inside a number → the kind's name.
KIND_CODES = {
    "QĐ": "Quyết định",
    "KH": "Kế hoạch",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "CTr": "Chương trình",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "HD": "Hướng dẫn",
    "KL": "Kết luận",
    "ĐA": "Đề án",
    "QC": "Quy chế",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "CV": "Công văn",
}
KINDS = (
    "Quyết định",
    "Kế hoạch",
    "Công văn",
    "Nghị quyết",
    "Chỉ thị",
    "Chương trình",
    "Thông báo",
    "Báo cáo",
    "Tờ trình",
    "Hướng dẫn",
    "Kết luận",
    "Đề án",
    "Quy chế",
    "Nghị định",
    "Thông tư",
)
# A code segment: an upper-case letter (Đ included) then letters ("TTg", "VPCP", "UBND").
_SEG = r"[A-ZĐ][A-Za-zĐđ]*"
# State bodies: 123/QĐ-UBND, 42/2014/QĐ-TTg; Party bodies: 09-NQ/TU, 12-KH/TU.
_STATE = rf"\d{{1,5}}[a-z]?/(?:\d{{4}}/)?{_SEG}(?:-{_SEG}){{0,3}}"
_PARTY = rf"\d{{1,5}}-{_SEG}/{_SEG}(?:-{_SEG}){{0,2}}"
_NUMBER = rf"(?<![\w/-])(?P<number>{_STATE}|{_PARTY})(?![\w/])"
_KIND = "|".join(KINDS)
_DAY = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
_DATE = rf"(?:\s*,?\s*(?i:ngày)\s+(?P<date>{_DAY}))?"
# Words in any case ("quyết định số"); the number itself is case-sensitive (codes are upper).
_REF = re.compile(rf"(?:(?P<kind>(?i:{_KIND}))\s+(?:(?i:số)\s+)?)?{_NUMBER}{_DATE}")


@dataclass(frozen=True)
class DocRef:
    """A document a note names.

    Attributes:
        kind: "Quyết định", "Kế hoạch" ... or "Văn bản" when neither a word nor a code says.
        number: The number as written ("123/QĐ-UBND").
        date: The date as written ("15/3/2024"), or "".

    """

    kind: str
    number: str
    date: str = ""

    def text(self) -> str:
        """'Quyết định số 123/QĐ-UBND ngày 15/3/2024'."""
        when = f" ngày {self.date}" if self.date else ""
        return f"{self.kind} số {self.number}{when}"


def _kind(word: str | None, number: str) -> str:
    if word:
        return next(k for k in KINDS if k.casefold() == word.casefold())
    head, _, tail = number.partition("/")
    if "-" in head:  # Party numbering: the kind code follows the number
        return KIND_CODES.get(head.split("-", 1)[1], "Văn bản")
    codes = tail.split("/")[-1].split("-")
    return KIND_CODES.get(codes[0], "Văn bản") if len(codes) > 1 else "Văn bản"


def find_refs(text: str) -> list[DocRef]:
    """Every document number in ``text``, in order, without repeats.

    >>> [r.text() for r in find_refs("đã ban hành Quyết định số 123/QĐ-UBND ngày 15/3/2024")]
    ['Quyết định số 123/QĐ-UBND ngày 15/3/2024']
    >>> [r.text() for r in find_refs("theo KH 45/KH-UBND")]
    ['Kế hoạch số 45/KH-UBND']
    >>> find_refs("tiến độ 60%, còn 3/4 hạng mục")
    []
    """
    text = unicodedata.normalize("NFC", text)
    found: dict[str, DocRef] = {}
    for match in _REF.finditer(text):
        number = match.group("number")
        date = re.sub(r"\s+", " ", match.group("date") or "")
        date = re.sub(r"\s*([/.-])\s*", r"\1", date)
        found.setdefault(number, DocRef(_kind(match.group("kind"), number), number, date))
    return list(found.values())


def refs_text(refs: list[DocRef]) -> str:
    """The references as one stored line ("; " between them)."""
    return "; ".join(r.text() for r in refs)
