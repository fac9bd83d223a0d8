"""A document's identity from its header and signature: issuer, number, date, signer.

Both genres open with a header block: the issuing body ("TỈNH ỦY ..." or
"ỦY BAN NHÂN DÂN / TỈNH ..."), the number ("Số 08-CTr/TU", "Số: 45/KH-UBND")
and the dated line ("Hải Bình, ngày 15 tháng 01 năm 2026"), and close with a
signature block ("T/M TỈNH ỦY / BÍ THƯ / name", "TM. ỦY BAN NHÂN DÂN / CHỦ
TỊCH / name").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from knowledge.text import clean, fold

__all__ = ["Header", "is_plan", "read_header", "signature"]

# "Số: 45/KH-UBND", "Số 08-CTr/TU", "số 08 -CTr/TU": digits, then the genre's letters.
_NUMBER = re.compile(r"\bsố\s*:?\s*(\d+)\s*([-/])\s*((?:CTr|KH)[-/][A-ZĐa-z]+)", re.I)
_PLAN_NUMBER = re.compile(r"\d+\s*/\s*KH-UBND", re.I)
_DATED_LINE = re.compile(
    r"^([A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3}), ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})"
    r"\s+năm\s+(\d{4})",
    re.M,
)
_SHORT_DATE = re.compile(r"\s*,?\s*ngày\s+(\d{1,2}/\d{1,2}/\d{4})", re.I)
_IMPLEMENTS = re.compile(r"chương trình hành động\s+số\s*(\d+)\s*-\s*CTr/TU", re.I)
_PROVINCE = re.compile(r"\btỉnh ((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]* ?){1,3})")
_HEAD_LINES = 40


@dataclass(frozen=True)
class Header:
    """What the header block says.

    Attributes:
        kind: ``"plan"`` for a UBND plan (KH-UBND), else ``"programme"``.
        number: Normalised number, e.g. ``"08-CTr/TU"``, ``"45/KH-UBND"``.
        issuer: The issuing body with its province.
        issued: Date ``dd/mm/yyyy``, or "".
        implements: For a plan, the programme number it implements, else "".

    """

    kind: str
    number: str
    issuer: str
    issued: str
    implements: str


def is_plan(text: str) -> bool:
    r"""Whether the text is a UBND implementation plan (its header has a KH-UBND number).

    Example:
        >>> is_plan("ỦY BAN NHÂN DÂN\nSố: 45/KH-UBND\nKẾ HOẠCH"), is_plan("Số 08-CTr/TU")
        (True, False)

    """
    head = "\n".join(text.splitlines()[:_HEAD_LINES])
    return bool(_PLAN_NUMBER.search(head))


def _province(text: str) -> str:
    dated = _DATED_LINE.search(text)
    if dated:
        return dated.group(1)
    names = Counter(m.group(1).strip() for m in _PROVINCE.finditer(text))
    return names.most_common(1)[0][0] if names else ""


def _number(text: str, kind: str) -> tuple[str, str]:
    """The document's own number and the date written right after it."""
    for m in _NUMBER.finditer(text):
        letters = m.group(3).upper().replace("CTR", "CTr")
        if (kind == "plan") != letters.startswith("KH"):
            continue
        sep = "/" if letters.startswith("KH") else "-"
        date = _SHORT_DATE.match(text, m.end())
        return f"{int(m.group(1)):02d}{sep}{letters}", date.group(1) if date else ""
    return "", ""


def read_header(text: str) -> Header:
    r"""Read the identity of a document from its text.

    A plan's date is its dated line (the number it cites is the programme's);
    a programme's is the date after its number, else its dated line.

    Example:
        >>> h = read_header("ỦY BAN NHÂN DÂN\nTỈNH HẢI BÌNH\nSố: 45/KH-UBND\n"
        ...     "Hải Bình, ngày 15 tháng 01 năm 2026\nThực hiện Chương trình hành động "
        ...     "số 12-CTr/TU ngày 20/11/2025")
        >>> h.number, h.issuer, h.issued, h.implements
        ('45/KH-UBND', 'Ủy ban nhân dân tỉnh Hải Bình', '15/01/2026', '12-CTr/TU')

    """
    kind = "plan" if is_plan(text) else "programme"
    number, after_number = _number(text, kind)
    dated = _DATED_LINE.search(text)
    long = f"{int(dated.group(2)):02d}/{int(dated.group(3)):02d}/{dated.group(4)}" if dated else ""
    province = _province(text)
    if kind == "plan":
        implements = _IMPLEMENTS.search(text)
        return Header(
            kind=kind,
            number=number,
            issuer=f"Ủy ban nhân dân tỉnh {province}".strip(),
            issued=long,
            implements=f"{int(implements.group(1)):02d}-CTr/TU" if implements else "",
        )
    return Header(kind, number, f"Tỉnh ủy {province}".strip(), after_number or long, "")


def _title_case(line: str) -> str:
    """Title-case a title line: "T/M TỈNH ỦY" → "T/M Tỉnh ủy", "CHỦ TỊCH" → "Chủ tịch"."""
    for prefix in ("T/M ", "TM. ", "KT. "):
        if line.startswith(prefix):
            return prefix + line[len(prefix) :].capitalize()
    return line.capitalize()


def signature(body: str) -> tuple[str, str]:
    r"""The signer and the signature block's titles, read after "Nơi nhận".

    Example:
        >>> signature("Nơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Minh Quang")
        ('Trần Minh Quang', 'TM. Ủy ban nhân dân, Chủ tịch')

    """
    lines = [clean(x) for x in body.splitlines()]
    start = next((i for i, x in enumerate(lines) if fold(x).startswith("noi nhan")), None)
    if start is None:
        return "", ""
    block = [x for x in lines[start + 1 :] if x and not x.startswith(("-", "–", "•"))]
    if not block:
        return "", ""
    name = block[-1]
    titles = [x for x in block[:-1] if x.isupper()]
    if not (2 <= len(name.split()) <= 5) or name.isupper():
        return "", ""
    return name, ", ".join(_title_case(t) for t in titles)
