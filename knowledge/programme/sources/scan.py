"""A scanned page's words (from OCR) into its tables and lines of text.

OCR gives words with their boxes and the line each belongs to; :mod:`grid` gives the ruled
tables. Each word goes to the table cell holding its centre, or to its line of text outside
the tables; :func:`knowledge.programme.sources.layout.page_items` does the rest, as for a PDF
with a text layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.programme.sources.grid import Cell, Table
from knowledge.programme.sources.layout import Page, page_items

__all__ = ["Word", "scanned_page", "words_of"]

# Scans' paragraphs: a gap between lines of this share of a line's (glyph) height starts one.
SCAN_PARAGRAPH_GAP = 0.5
# A numbered paragraph whose "." OCR read as ",": "5, Các sở ..." is "5. Các sở ...".
_NUMBERED = re.compile(r"^(\d{1,2}), (?=[A-ZĐÀ-Ỹ])")
# A Roman numeral alone in a cell, as OCR misreads its "I" ("|", "l"): "lI" is "II".
_ROMAN = re.compile(r"[|lI]{1,3}[VX]?|[VX][|lI]{0,3}")
# Reads a cell again on its own when the page's OCR left it empty: a lone "1" in a narrow
# column is often missed. Returns "" for a cell without ink.
Reread = Callable[[Cell], str]


@dataclass(frozen=True)
class Word:
    """One word OCR read: its text, box (pixels), line and confidence (0-100)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]
    confidence: float

    @property
    def centre(self) -> tuple[float, float]:
        """The middle of its box."""
        return self.left + self.width / 2, self.top + self.height / 2


def words_of(data: dict[str, list[Any]]) -> list[Word]:
    """The words of Tesseract's ``image_to_data`` dictionary (empty boxes dropped)."""
    return [
        Word(
            text.strip(),
            int(data["left"][i]),
            int(data["top"][i]),
            int(data["width"][i]),
            int(data["height"][i]),
            (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i])),
            float(data["conf"][i]),
        )
        for i, text in enumerate(data["text"])
        if str(text).strip() and float(data["conf"][i]) >= 0
    ]


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped by their OCR line, lines top to bottom, words left to right."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    lines = [sorted(ws, key=lambda w: w.left) for ws in by_line.values()]
    return sorted(lines, key=lambda ws: min(w.top for w in ws))


def _cell_text(text: str) -> str:
    """A cell's text with OCR's misread Roman numerals ("|", "lI") put right."""
    if _ROMAN.fullmatch(text):
        return text.replace("|", "I").replace("l", "I")
    return text


def _rows(table: Table, words: Sequence[Word], reread: Reread | None) -> list[str]:
    """The table's rows, tab-separated; a merged cell's other places are empty."""
    rows = []
    for row in table.rows:
        cells = [""] * table.columns
        for cell in row:
            held = [w for w in words if cell.holds(*w.centre)]
            text = " ".join(w.text for line in _lines(held) for w in line)
            if not text and reread is not None:
                text = reread(cell).strip()
            cells[min(cell.first, table.columns - 1)] = _cell_text(text)
        rows.append("\t".join(cells))
    return rows


def scanned_page(
    words: Sequence[Word], tables: Sequence[Table], width: float, reread: Reread | None = None
) -> Page:
    """The page's items as :func:`~knowledge.programme.sources.layout.page_items` gives them.

    Args:
        words: The words OCR read on the page.
        tables: The page's ruled tables.
        width: The page's width in pixels.
        reread: Reads a cell the page's OCR left empty on its own (none: it stays empty).

    """
    found = [
        (float(t.top), _rows(t, [w for w in words if t.holds(*w.centre)], reread)) for t in tables
    ]
    outside = [w for w in words if not any(t.holds(*w.centre) for t in tables)]
    lines = [
        {
            "text": _NUMBERED.sub(r"\1. ", " ".join(w.text for w in line)),
            "top": float(min(w.top for w in line)),
            "bottom": float(max(w.top + w.height for w in line)),
            "x1": float(max(w.left + w.width for w in line)),
        }
        for line in _lines(outside)
    ]
    return page_items(found, lines, width, gap=SCAN_PARAGRAPH_GAP)
