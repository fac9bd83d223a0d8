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
_STARTS_BLOCK = re.compile(r"^(?:[-–•+*]\s|[IVXL]+\.\s|\d+(?:\.\d+)*\.?\s|[a-zđ]\)\s|[A-ZĐ]\.\s)")
# A gap between two lines larger than this share of a line's height ends a paragraph.
_PARAGRAPH_GAP = 0.9
# Fewer characters per page than this: a scan without a text layer.
_MIN_TEXT = 40


def _rows(table: Any) -> list[str]:
    rows = table.extract()
    return ["\t".join(clean(cell or "") for cell in row) for row in rows]


def _paragraphs(lines: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    previous: dict[str, Any] | None = None
    for line in lines:
        text = clean(line["text"])
        if not text:
            continue
        height = max(line["bottom"] - line["top"], 1.0)
        joined = (
            previous is not None
            and out
            and line["top"] - previous["bottom"] < _PARAGRAPH_GAP * height
            and not _STARTS_BLOCK.match(text)
        )
        if joined:
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        previous = line
    return out


def _page_items(page: Any) -> list[tuple[float, list[str]]]:
    """(top, lines) for each table and each run of text between tables, in page order."""
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
    items += [(run[0]["top"], _paragraphs(run)) for run in runs.values()]
    return sorted(items, key=lambda item: item[0])


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
    with pdfplumber.open(str(path)) as pdf:
        pages = list(pdf.pages)
        chars = sum(len(page.chars) for page in pages)
        if chars < _MIN_TEXT * max(len(pages), 1):
            from knowledge.sources.ocr import read_scanned_pdf

            return read_scanned_pdf(pages)
        for page in pages:
            for _, block in _page_items(page):
                is_table = bool(block) and "\t" in block[0]
                if is_table and block[0] in headers:
                    block = block[1:]
                elif is_table:
                    headers.add(block[0])
                lines.extend(block)
                lines.append("")
    return "\n".join(lines) + "\n"
