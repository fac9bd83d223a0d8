"""Parse a document's text into records: the entry point of the parser.

A UBND implementation plan (a "KH-UBND" number in its header) is parsed by
:mod:`knowledge.programme.plan`; everything else as a Party action programme.

The parser knows the genre, not the document: lettered parts, a section whose
title names the targets ("chỉ tiêu"), a section on implementation ("tổ chức
thực hiện") with numbered items, and an appendix table. Another province's or
another term's programme loads without code changes.
"""

from __future__ import annotations

import re

from knowledge.errors import ProgrammeFormatError
from knowledge.programme.agencies import (
    AgencyIndex,
    _subject_bodies,
    build_agencies,
    responsibility_subjects,
    with_mentioned_bodies,
)
from knowledge.programme.appendix import parse_appendix
from knowledge.programme.closing import closing_passages
from knowledge.programme.header import is_plan, read_header, signature
from knowledge.programme.indicators import extract_targets
from knowledge.programme.model import Indicator, Passage, Programme, Responsibility, Section
from knowledge.programme.outline import Block, Heading, missing_appendix, outline, split_appendix
from knowledge.programme.plan import parse_plan
from knowledge.text import clean, fold

__all__ = ["parse_programme"]

_AREA_PREFIX = re.compile(r"^(?:(?:các\s+)?chỉ tiêu\s+)?(?:về\s+)?", re.I)
_NUMBER = re.compile(r"số\s*:?\s*(\d+)\s*-\s*CTr/TU", re.I)
# "Số 08-CTr/TU, ngày 21/12/2020": the date right after the number, not a stamp's.
_NUMBER_DATE = re.compile(r"\s*,?\s*ngày\s+(\d{1,2}/\d{1,2}/\d{4})", re.I)
# "Khánh Hòa, ngày 21 tháng 12 năm 2020": the document's own date line.
_LONG_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_YEAR = re.compile(r"(?:đến |năm )(?:năm )?((?:19|20)\d\d)\b", re.I)


def _is_targets(h: Heading) -> bool:
    return "chi tieu" in fold(h.title)


def _is_implementation(h: Heading) -> bool:
    return fold(h.title).startswith("to chuc thuc hien")


def _area(block: Block) -> str:
    """The area of a target bullet: the deepest heading below the outermost targets heading."""
    headings = list(block.headings)
    first = next(i for i, h in enumerate(headings) if _is_targets(h))
    below = headings[first + 1 :]
    title = below[-1].title if below else headings[first].title
    return _AREA_PREFIX.sub("", title).strip() or title


def _year(text: str, fallback: int | None) -> int | None:
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else fallback


def _issued(text: str) -> str:
    """The document's date: after its number, else its dated line, as dd/mm/yyyy."""
    for number in _NUMBER.finditer(text):
        date = _NUMBER_DATE.match(text, number.end())
        if date:
            return date.group(1)
    long = _LONG_DATE.search(text)
    if long:
        return f"{int(long.group(1)):02d}/{int(long.group(2)):02d}/{long.group(3)}"
    return ""


def _title(preamble: list[str], text: str) -> tuple[str, str]:
    number = _NUMBER.search(text)
    lines = [line for line in preamble if len(line) > 3]
    heading = next((line for line in lines if "chuong trinh" in fold(line)), "")
    title = heading.capitalize() if heading.isupper() else heading
    if number:
        title = f"Chương trình hành động số {number.group(1).zfill(2)}-CTr/TU"
        date = _issued(text)
        if date:
            title += f", ngày {date}"
    subtitle = ""
    if heading in lines:
        after = lines[lines.index(heading) + 1 :]
        subtitle = after[0] if after else ""
    return title or "Chương trình hành động", subtitle


def parse_programme(text: str) -> Programme:
    """Parse a programme (or plan) text.

    Args:
        text: The whole document as text (a scan's text extraction is fine).

    Returns:
        The parsed programme.

    Raises:
        ProgrammeFormatError: The text lacks a part of the genre; the message
            names what is missing.

    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_plan(text):
        return parse_plan(text)
    body, appendix = split_appendix(text)
    preamble, blocks, headings = outline(body)
    _require(bool(blocks), bool(appendix))
    tasks = parse_appendix(appendix)
    indicators, passages, responsibilities = _read_blocks(blocks)
    title, subtitle = _title(preamble, text)
    passages = _with_preamble(passages, preamble, subtitle)
    passages += closing_passages(body, appendix, len(passages) + 1)
    _check(indicators, responsibilities)
    agencies = build_agencies(tasks, [b for r in responsibilities for b in r.bodies])
    responsibilities = with_mentioned_bodies(responsibilities, AgencyIndex(agencies))
    signer, signer_title = signature(body)
    header = read_header(text)
    sections = [
        Section(h.ref, h.path, h.text)
        for h in headings
        if not any(_is_implementation(x) for x in h.headings)
    ]
    return Programme(
        title=clean(title),
        subtitle=clean(subtitle),
        indicators=indicators,
        tasks=tasks,
        responsibilities=responsibilities,
        passages=passages,
        agencies=agencies,
        sections=sections,
        issued=_issued(text),
        signer=signer,
        signer_title=signer_title,
        kind="programme",
        number=header.number,
        issuer=header.issuer,
    )


def _check(indicators: list[Indicator], responsibilities: list[Responsibility]) -> None:
    """The records every programme has, or the error naming the ones missing."""
    if not indicators:
        raise ProgrammeFormatError(
            'no targets found: expected a section whose title contains "Chỉ tiêu" with '
            'bullets such as "- Tỷ lệ ... đạt 95%"',
            vi='không thấy chỉ tiêu: cần một mục có tên chứa "Chỉ tiêu" với các gạch đầu dòng '
            'như "- Tỷ lệ ... đạt 95%"',
        )
    if not responsibilities:
        raise ProgrammeFormatError(
            'no implementation section found: expected a heading "TỔ CHỨC THỰC HIỆN" '
            "followed by numbered items",
            vi='không thấy phần "TỔ CHỨC THỰC HIỆN" với các mục đánh số',
        )


def _require(has_parts: bool, has_appendix: bool) -> None:
    """The parts every programme has, or the error naming the one missing."""
    if not has_parts:
        raise ProgrammeFormatError(
            'no lettered parts found: expected headings such as "A. MỤC ĐÍCH, YÊU CẦU" '
            'and "B. MỤC TIÊU VÀ CHỈ TIÊU ..." at the start of a line',
            vi='không thấy các phần A, B, C…: cần các đề mục như "A. MỤC ĐÍCH, YÊU CẦU", '
            '"B. MỤC TIÊU VÀ CHỈ TIÊU ..." ở đầu dòng',
        )
    if not has_appendix:
        raise missing_appendix()


def _read_blocks(
    blocks: list[Block],
) -> tuple[list[Indicator], list[Passage], list[Responsibility]]:
    """Targets, passages and duties from the outline's blocks, in document order."""
    indicators: list[Indicator] = []
    passages: list[Passage] = []
    responsibilities: list[Responsibility] = []
    for block in blocks:
        if any(_is_implementation(h) for h in block.headings):
            number = block.label or str(len(responsibilities) + 1)
            subjects = responsibility_subjects(block.text)
            bodies = [b for subject in subjects for b in _subject_bodies(subject)]
            responsibilities.append(
                Responsibility(number, subjects[0], tuple(bodies), block.text, block.ref)
            )
            continue
        heading = block.headings[-1].title if block.headings else "Mở đầu"
        passages.append(Passage(len(passages) + 1, block.path, block.ref, heading, block.text))
        if block.kind == "bullet" and any(_is_targets(h) for h in block.headings):
            indicators.extend(_block_targets(block, first_id=len(indicators) + 1))
    return indicators, passages, responsibilities


def _block_targets(block: Block, first_id: int) -> list[Indicator]:
    """The targets one bullet of the targets section states."""
    section_year = _year(" ".join(h.title for h in block.headings), None)
    targets = extract_targets(block.text)
    return [
        Indicator(
            id=first_id + i,
            area=_area(block),
            name=target.name,
            subject=targets[0].name,
            value=target.value,
            comparator=target.comparator,
            low=target.low,
            high=target.high,
            unit=target.unit,
            year=_year(block.text, section_year),
            detail=target.detail,
            sentence=block.text,
            ref=block.ref,
        )
        for i, target in enumerate(targets)
    ]


def _with_preamble(passages: list[Passage], preamble: list[str], subtitle: str) -> list[Passage]:
    """The preamble's own paragraphs (not its title lines or the stamp) first, renumbered."""
    own = [line for line in preamble if len(line) > 80 and line != subtitle]
    every = [Passage(0, "Mở đầu", "Mở đầu", "Mở đầu", line) for line in own] + passages
    return [Passage(i, p.path, p.ref, p.heading, p.text) for i, p in enumerate(every, start=1)]
