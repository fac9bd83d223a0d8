"""Read a ``.pdf`` with a text layer through pdfplumber; scans go to OCR.

Per page: the tables pdfplumber finds (``find_tables``) become tab-separated
rows, with a merged cell's other places empty; the text outside them becomes
paragraphs — a line continues the paragraph above unless a larger gap, a list
mark or a heading number starts a new one. Page numbers ("3", "- 3 -",
"Trang 3") and a table's header row repeated after a page break are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from knowledge.text import clean

__all__ = ["read_pdf"]

_PAGE_NUMBER = re.compile(r"^(?:trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*/\s*\d{1,3})?$", re.I)
_STARTS_BLOCK = re.compile(
    r"^(?:[-–•+*]\s|[IVXL]+\.\s|\d+\.\s|\d+(?:\.\d+)+\.?\s|[a-zđ]\)\s|[A-ZĐ]\.\s)"
)
_RANGE_DASH = re.compile(r"^[-–]\s*\d")
# A line reaching this share of the page width was wrapped: its paragraph goes on.
_FULL_LINE = 0.8
# A gap between two lines larger than this share of a line's height ends a paragraph.
_PARAGRAPH_GAP = 0.9
# Fewer characters per page than this: a scan without a text layer.
_MIN_TEXT = 40


def _rows(table: Any) -> list[str]:
    rows = table.extract()
    return ["\t".join(clean(cell or "") for cell in row) for row in rows]


def _continues(line: dict[str, Any], text: str, previous: dict[str, Any], width: float) -> bool:
    """Whether a line goes on with the paragraph of the line above it."""
    height = max(line["bottom"] - line["top"], 1.0)
    if line["top"] - previous["bottom"] >= _PARAGRAPH_GAP * height:
        return False
    # "2021 -" wrapped before "- 2025": a dash after a full line joins a range.
    wrapped_range = previous["x1"] >= _FULL_LINE * width and _RANGE_DASH.match(text)
    return bool(wrapped_range) or not _STARTS_BLOCK.match(text)


def _paragraphs(lines: list[dict[str, Any]], width: float) -> list[str]:
    out: list[str] = []
    previous: dict[str, Any] | None = None
    for line in lines:
        text = clean(line["text"])
        if not text:
            continue
        if previous is not None and out and _continues(line, text, previous, width):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        previous = line
    return out


def _page_items(page: Any) -> tuple[list[tuple[float, list[str]]], bool]:
    """(top, lines) for each table and each run of text between tables, in page order.

    Also whether the page ends in the middle of a paragraph: its last item is
    text whose last line is wrapped (reaches across the page).
    """
    tables = page.find_tables()
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    text_lines = [
        line
        for line in outside.extract_text_lines()
        if not _PAGE_NUMBER.match(line["text"].strip())
    ]
    items: list[tuple[float, list[str]]] = [(t.bbox[1], _rows(t)) for t in tables]
    tops = sorted(t.bbox[1] for t in tables)
    runs: dict[int, list[dict[str, Any]]] = {}
    for line in text_lines:
        runs.setdefault(sum(1 for top in tops if top < line["top"]), []).append(line)
    items += [(run[0]["top"], _paragraphs(run, page.width)) for run in runs.values()]
    items.sort(key=lambda item: item[0])
    last_is_text = bool(text_lines) and not any(top > text_lines[-1]["top"] for top in tops)
    open_end = last_is_text and text_lines[-1]["x1"] >= _FULL_LINE * page.width
    return items, open_end


def read_pdf(path: Path) -> str:
    """The text form of a PDF: its text layer, or OCR when it has none.

    Args:
        path: A ``.pdf`` file.

    Returns:
        One line per paragraph or table row.

    Raises:
        SourceError: The PDF is a scan and Tesseract is not installed.

    """
    import pdfplumber

    lines: list[str] = []
    headers: set[str] = set()
    open_end = False
    with pdfplumber.open(str(path)) as pdf:
        pages = list(pdf.pages)
        chars = sum(len(page.chars) for page in pages)
        if chars < _MIN_TEXT * max(len(pages), 1):
            from knowledge.programme.sources.ocr import read_scanned_pdf

            return read_scanned_pdf(pages)
        for page in pages:
            items, ends_open = _page_items(page)
            for n, (_, block) in enumerate(items):
                is_table = bool(block) and "\t" in block[0]
                if is_table and block[0] in headers:
                    block = block[1:]
                elif is_table:
                    headers.add(block[0])
                elif n == 0 and open_end and block and not _STARTS_BLOCK.match(block[0]):
                    # A paragraph cut by the page break: join its two halves.
                    while lines and not lines[-1]:
                        lines.pop()
                    lines[-1] = f"{lines[-1]} {block[0]}"
                    block = block[1:]
                lines.extend(block)
                lines.append("")
            open_end = ends_open
    return "\n".join(lines) + "\n"
