"""Scanned PDFs and images through Tesseract's Vietnamese model (optional).

Needs the ``tesseract`` program with its Vietnamese data and the ``pytesseract``
package: ``apt-get install tesseract-ocr tesseract-ocr-vie`` and
``pip install pytesseract``. Without them a scan is refused with that message.
OCR gives lines of text, not table cells: a scanned appendix may need its
table laid out (tab-separated) by hand before it loads.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from knowledge.errors import SourceError

__all__ = ["INSTALL", "read_image", "read_scanned_pdf", "tesseract"]

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie && pip install pytesseract"
_RESOLUTION = 300


def tesseract() -> Any:
    """The ``pytesseract`` module, once Tesseract and its Vietnamese model are there.

    Raises:
        SourceError: Tesseract, its Vietnamese model or pytesseract is missing;
            the message names what to install.

    """
    if shutil.which("tesseract") is None:
        raise SourceError(f"this file is a scan and needs OCR: install Tesseract ({INSTALL})")
    try:
        import pytesseract
    except ImportError as error:
        raise SourceError(f"OCR needs the pytesseract package ({INSTALL})") from error
    if "vie" not in pytesseract.get_languages(config=""):
        raise SourceError("Tesseract has no Vietnamese model: apt-get install tesseract-ocr-vie")
    return pytesseract


def _image_text(image: Any) -> str:
    text: str = tesseract().image_to_string(image, lang="vie")
    return text


def read_image(path: Path) -> str:
    """OCR an image file (.png, .jpg, .tif)."""
    from PIL import Image

    ocr = tesseract()
    with Image.open(path) as image:
        text: str = ocr.image_to_string(image, lang="vie")
    return text


def read_scanned_pdf(pages: list[Any]) -> str:
    """OCR every page of a PDF without a text layer (pages from pdfplumber)."""
    tesseract()
    return "\n".join(_image_text(p.to_image(resolution=_RESOLUTION).original) for p in pages)
