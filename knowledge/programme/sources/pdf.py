"""Read a ``.pdf`` with a text layer through pdfplumber; scans go to OCR.

Per page: the tables pdfplumber finds (``find_tables``) become tab-separated
rows, with a merged cell's other places empty; the text outside them becomes
lines, joined into paragraphs and pages by :mod:`knowledge.programme.sources.layout`
(page numbers and a table's header row repeated after a page break dropped).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge.programme.sources.layout import Page, assemble, page_items
from knowledge.text import clean

__all__ = ["read_pdf"]

# Fewer characters per page than this: a scan without a text layer.
_MIN_TEXT = 40


def _rows(table: Any) -> list[str]:
    rows = table.extract()
    return ["\t".join(clean(cell or "") for cell in row) for row in rows]


def _page(page: Any) -> Page:
    """A pdfplumber page's tables and the lines of text outside them."""
    tables = page.find_tables()
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    found = [(t.bbox[1], _rows(t)) for t in tables]
    return page_items(found, outside.extract_text_lines(), page.width)


def read_pdf(path: Path) -> tuple[str, bool]:
    """The text form of a PDF: its text layer, or OCR when it has none.

    Args:
        path: A ``.pdf`` file.

    Returns:
        One line per paragraph or table row, and whether OCR read it (a scan).

    Raises:
        SourceError: The PDF is a scan and Tesseract is not installed.

    """
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = list(pdf.pages)
        if sum(len(page.chars) for page in pages) < _MIN_TEXT * max(len(pages), 1):
            from knowledge.programme.sources.ocr import read_scanned_pdf

            return read_scanned_pdf(pages), True
        return assemble(_page(page) for page in pages), False
