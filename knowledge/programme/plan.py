"""Parse a UBND implementation plan (kế hoạch thực hiện ..., số .../KH-UBND).

The genre: a header block (ỦY BAN NHÂN DÂN TỈNH ... / Số: .../KH-UBND / dated
line), Roman-numbered parts (I. MỤC ĐÍCH, YÊU CẦU; II. CHỈ TIÊU ...; III. NHIỆM
VỤ, GIẢI PHÁP; IV. TỔ CHỨC THỰC HIỆN), targets in a table whose columns are
years, responsibilities as numbered paragraphs ("1. Sở Tài chính: ..."), a
signature block, then a task appendix.
"""

from __future__ import annotations

import re

from knowledge.errors import ProgrammeFormatError
from knowledge.programme.agencies import (
    AgencyIndex,
    build_agencies,
    responsibility_subjects,
    split_names,
    with_mentioned_bodies,
)
from knowledge.programme.appendix import parse_appendix
from knowledge.programme.header import read_header, signature
from knowledge.programme.model import Indicator, Passage, Programme, Responsibility, Section
from knowledge.programme.outline import Block, missing_appendix, outline, split_appendix
from knowledge.programme.target_table import parse_target_table
from knowledge.text import clean, fold

__all__ = ["parse_plan"]

# "Sở Tài chính: chủ trì ...": the bodies before a colon in the first words.
_COLON_SUBJECT = re.compile(r"^([^:;.]{3,160}):\s")


def _is_implementation(block: Block) -> bool:
    return any(fold(h.title).startswith("to chuc thuc hien") for h in block.headings)


def _targets_part(body: str) -> tuple[str, list[str], str]:
    """Split the body into its text and the table lines, with the part the table sits in."""
    text_lines: list[str] = []
    table: list[str] = []
    part = ""
    for line in body.splitlines():
        if "\t" in line:
            table.append(line)
            continue
        m = re.match(r"^([IVXL]+)\.\s+(.+)$", line.strip())
        if m and "chi tieu" in fold(m.group(2)) and not table:
            part = m.group(1)
        text_lines.append(line)
    return "\n".join(text_lines), table, part


def _responsibility(block: Block, n: int) -> Responsibility:
    colon = _COLON_SUBJECT.match(block.text)
    subjects = [colon.group(1).strip()] if colon else responsibility_subjects(block.text)
    bodies = [b for subject in subjects for b in split_names(subject)]
    return Responsibility(block.label or str(n), subjects[0], tuple(bodies), block.text, block.ref)


def _title(preamble: list[str]) -> tuple[str, str]:
    """The title "Kế hoạch" and the line after it ("Thực hiện Chương trình hành động số ...")."""
    lines = [line for line in preamble if len(line) > 3]
    i = next((i for i, x in enumerate(lines) if fold(x) == "ke hoach"), None)
    if i is None:
        return "Kế hoạch", ""
    return "Kế hoạch", lines[i + 1] if i + 1 < len(lines) else ""


def _body_records(
    blocks: list[Block],
) -> tuple[list[Passage], list[Responsibility]]:
    passages: list[Passage] = []
    responsibilities: list[Responsibility] = []
    for block in blocks:
        if _is_implementation(block) and block.kind == "item":
            responsibilities.append(_responsibility(block, len(responsibilities) + 1))
            continue
        heading = block.headings[-1].title if block.headings else "Mở đầu"
        passages.append(Passage(len(passages) + 1, block.path, block.ref, heading, block.text))
    return passages, responsibilities


def _check(indicators: list[Indicator], responsibilities: list[Responsibility]) -> None:
    if not indicators:
        raise ProgrammeFormatError(
            'no targets table found: expected under "II. CHỈ TIÊU ..." a tab-separated table '
            'with columns such as "STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2026"',
            vi='không thấy bảng chỉ tiêu: cần dưới mục "II. CHỈ TIÊU ..." một bảng có các cột '
            'như "STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2026"',
        )
    if not responsibilities:
        raise ProgrammeFormatError(
            'no implementation part found: expected "IV. TỔ CHỨC THỰC HIỆN" followed by '
            'numbered paragraphs such as "1. Sở Tài chính: ..."',
            vi='không thấy phần "IV. TỔ CHỨC THỰC HIỆN" với các đoạn đánh số như '
            '"1. Sở Tài chính: ..."',
        )


def parse_plan(text: str) -> Programme:
    """Parse a UBND implementation plan into the records a programme has.

    Args:
        text: The whole plan as text.

    Returns:
        The plan as a :class:`~knowledge.programme.model.Programme` of kind ``"plan"``.

    Raises:
        ProgrammeFormatError: A part of the genre is missing; the message says which.

    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body, appendix = split_appendix(text)
    body_text, table, part = _targets_part(body)
    preamble, blocks, headings = outline(body_text, roman_parts=True)
    if not blocks:
        raise ProgrammeFormatError(
            'no Roman-numbered parts found: expected headings such as "I. MỤC ĐÍCH, YÊU CẦU" '
            'and "II. CHỈ TIÊU ..." at the start of a line',
            vi='không thấy các phần I, II, III…: cần các đề mục như "I. MỤC ĐÍCH, YÊU CẦU", '
            '"II. CHỈ TIÊU ..." ở đầu dòng',
        )
    if not appendix:
        raise missing_appendix()
    tasks = parse_appendix(appendix)
    indicators = parse_target_table(table, part)
    passages, responsibilities = _body_records(blocks)
    _check(indicators, responsibilities)
    rows = [Passage(0, f"{part} > Chỉ tiêu", i.ref, i.area, i.sentence) for i in indicators]
    opening = [Passage(0, "Mở đầu", "Mở đầu", "Mở đầu", x) for x in preamble if len(x) > 80]
    passages = [
        Passage(n, p.path, p.ref, p.heading, p.text)
        for n, p in enumerate([*opening, *passages, *rows], start=1)
    ]
    agencies = build_agencies(tasks, [b for r in responsibilities for b in r.bodies])
    header = read_header(text)
    title, subtitle = _title(preamble)
    signer, signer_title = signature(body)
    return Programme(
        title=f"{title} số {header.number}" + (f", ngày {header.issued}" if header.issued else ""),
        subtitle=clean(subtitle),
        indicators=indicators,
        tasks=tasks,
        responsibilities=with_mentioned_bodies(responsibilities, AgencyIndex(agencies)),
        passages=passages,
        agencies=agencies,
        sections=[Section(h.ref, h.path, h.text) for h in headings if not _is_implementation(h)],
        issued=header.issued,
        signer=signer,
        signer_title=signer_title,
        kind="plan",
        number=header.number,
        issuer=header.issuer,
        implements=header.implements,
    )
