"""Scanned PDFs and images through Tesseract's Vietnamese model (optional).

Needs the ``tesseract`` program with its Vietnamese data and the ``pytesseract``
package: ``apt-get install tesseract-ocr tesseract-ocr-vie`` and
``pip install pytesseract``. Without them a scan is refused with that message.
Ruled tables are read cell by cell: the page image's rules give the cells
(:mod:`knowledge.programme.sources.grid`), OCR's words are put in them
(:mod:`knowledge.programme.sources.scan`). A table drawn without rules is read
as lines of text.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from knowledge.errors import SourceError
from knowledge.programme.sources.grid import DARK, Cell, erase_rules, ruled_tables
from knowledge.programme.sources.layout import Page, assemble
from knowledge.programme.sources.scan import scanned_page, words_of

__all__ = ["INSTALL", "read_image", "read_scanned_pdf", "tesseract"]

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie && pip install pytesseract"
_RESOLUTION = 300
_INK = 20  # dark pixels a cell must hold to be read again on its own
_PAD = 20  # white pixels around a cell read on its own
# How a cell is read on its own: as one line, else as one "character" ("III" alone).
_CELL_MODES = ("--psm 7", "--psm 10")


def tesseract() -> Any:
    """The ``pytesseract`` module, once Tesseract and its Vietnamese model are there.

    Raises:
        SourceError: Tesseract, its Vietnamese model or pytesseract is missing;
            the message names what to install.

    """
    if shutil.which("tesseract") is None:
        raise SourceError(
            f"this file is a scan and needs OCR: install Tesseract ({INSTALL})",
            vi=f"tệp là bản quét, cần OCR: máy chủ chưa cài Tesseract ({INSTALL})",
        )
    try:
        import pytesseract
    except ImportError as error:
        raise SourceError(
            f"OCR needs the pytesseract package ({INSTALL})",
            vi=f"OCR cần gói pytesseract trên máy chủ ({INSTALL})",
        ) from error
    if "vie" not in pytesseract.get_languages(config=""):
        raise SourceError(
            "Tesseract has no Vietnamese model: apt-get install tesseract-ocr-vie",
            vi="Tesseract trên máy chủ chưa có dữ liệu tiếng Việt: "
            "apt-get install tesseract-ocr-vie",
        )
    return pytesseract


def _page(ocr: Any, image: Any) -> Page:
    """One page image: its ruled tables (:mod:`grid`) and OCR's words, laid out."""
    import numpy as np
    from PIL import Image

    gray = np.asarray(image.convert("L"))
    tables = ruled_tables(gray)
    erased = erase_rules(gray, tables)
    data = ocr.image_to_data(Image.fromarray(erased), lang="vie", output_type=ocr.Output.DICT)

    def reread(cell: Cell) -> str:
        inner = erased[cell.top + 2 : cell.bottom - 1, cell.left + 2 : cell.right - 1]
        if int((inner < DARK).sum()) < _INK:
            return ""
        padded = Image.fromarray(np.pad(inner, _PAD, constant_values=255))
        for mode in _CELL_MODES:
            text: str = ocr.image_to_string(padded, lang="vie", config=mode).strip()
            if any(ch.isalnum() or ch == "|" for ch in text):  # "|": a misread "I"
                return text
        return ""

    return scanned_page(words_of(data), tables, float(gray.shape[1]), reread)


def read_image(path: Path) -> str:
    """OCR an image file (.png, .jpg, .tif): one page, tables by their ruled cells."""
    from PIL import Image

    ocr = tesseract()
    with Image.open(path) as image:
        return assemble([_page(ocr, image)])


def read_scanned_pdf(pages: list[Any]) -> str:
    """OCR every page of a PDF without a text layer (pages from pdfplumber)."""
    ocr = tesseract()
    return assemble(_page(ocr, p.to_image(resolution=_RESOLUTION).original) for p in pages)
