"""A page's tables and lines of text into the parser's text form (text PDFs and scans alike).

A reader gives, per page, its tables (each with its top and its rows, tab-separated) and its
lines of text outside them (``text``, ``top``, ``bottom``, ``x1``, in page units). Lines become
paragraphs — a line continues the paragraph above unless a larger gap, a list mark or a
heading number starts a new one — and pages are joined: a table's header row repeated after a
page break is dropped, and a paragraph cut by the page break is joined again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from knowledge.text import clean

__all__ = ["PAGE_NUMBER", "PARAGRAPH_GAP", "Page", "assemble", "page_items"]

PAGE_NUMBER = re.compile(r"^(?:trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*/\s*\d{1,3})?$", re.I)
_STARTS_BLOCK = re.compile(
    r"^(?:[-–•+*]\s|[IVXL]+\.\s|\d+\.\s|\d+(?:\.\d+)+\.?\s|[a-zđ]\)\s|[A-ZĐ]\.\s)"
)
_RANGE_DASH = re.compile(r"^[-–]\s*\d")
# A line reaching this share of the page width was wrapped: its paragraph goes on.
_FULL_LINE = 0.8
# A gap between two lines larger than this share of a line's height ends a paragraph.
PARAGRAPH_GAP = 0.9

# One page: its (top, lines) items in page order, and whether it ends inside a paragraph.
Page = tuple[list[tuple[float, list[str]]], bool]


def _continues(
    line: Mapping[str, Any], text: str, previous: Mapping[str, Any], width: float, gap: float
) -> bool:
    """Whether a line goes on with the paragraph of the line above it."""
    height = max(line["bottom"] - line["top"], 1.0)
    if line["top"] - previous["bottom"] >= gap * height:
        return False
    # "2021 -" wrapped before "- 2025": a dash after a full line joins a range.
    wrapped_range = previous["x1"] >= _FULL_LINE * width and _RANGE_DASH.match(text)
    return bool(wrapped_range) or not _STARTS_BLOCK.match(text)


def _paragraphs(lines: Sequence[Mapping[str, Any]], width: float, gap: float) -> list[str]:
    out: list[str] = []
    previous: Mapping[str, Any] | None = None
    for line in lines:
        text = clean(line["text"])
        if not text:
            continue
        if previous is not None and out and _continues(line, text, previous, width, gap):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        previous = line
    return out


def page_items(
    tables: Sequence[tuple[float, list[str]]],
    lines: Sequence[Mapping[str, Any]],
    width: float,
    gap: float = PARAGRAPH_GAP,
) -> Page:
    """(top, lines) for each table and each run of text between tables, in page order.

    Args:
        tables: Each table's top and its rows (tab-separated cells).
        lines: The lines of text outside the tables, top to bottom; page numbers are dropped.
        width: The page's width, in the unit of the lines' ``x1``.
        gap: A gap between two lines of this share of a line's height starts a paragraph.

    Returns:
        The items, and whether the page ends in the middle of a paragraph: its last item is
        text whose last line is wrapped (reaches across the page).

    """
    text_lines = [line for line in lines if not PAGE_NUMBER.match(line["text"].strip())]
    items: list[tuple[float, list[str]]] = list(tables)
    tops = sorted(top for top, _ in tables)
    runs: dict[int, list[Mapping[str, Any]]] = {}
    for line in text_lines:
        runs.setdefault(sum(1 for top in tops if top < line["top"]), []).append(line)
    items += [(run[0]["top"], _paragraphs(run, width, gap)) for run in runs.values()]
    items.sort(key=lambda item: item[0])
    last_is_text = bool(text_lines) and not any(top > text_lines[-1]["top"] for top in tops)
    open_end = last_is_text and text_lines[-1]["x1"] >= _FULL_LINE * width
    return items, open_end


def assemble(pages: Iterable[Page]) -> str:
    """The text form of a document's pages: one line per paragraph or table row."""
    lines: list[str] = []
    headers: set[str] = set()
    open_end = False
    for items, ends_open in pages:
        for n, (_, block) in enumerate(items):
            is_table = bool(block) and "\t" in block[0]
            if is_table and block[0] in headers:
                block = block[1:]
            elif is_table:
                headers.add(block[0])
            elif n == 0 and open_end and block and lines and not _STARTS_BLOCK.match(block[0]):
                # A paragraph cut by the page break: join its two halves.
                while lines and not lines[-1]:
                    lines.pop()
                lines[-1] = f"{lines[-1]} {block[0]}"
                block = block[1:]
            lines.extend(block)
            lines.append("")
        open_end = ends_open
    return "\n".join(lines) + "\n"
