"""Read a document from the file it arrives in, into the text form the parser reads.

The text form: one paragraph per line, table rows as tab-separated cells (a
group row's italic title in ``<i>...</i>``), the appendix after a "PHỤ LỤC"
line. Every reader returns that form, so :func:`knowledge.programme.parser.parse_programme`
never knows where a document came from:

- ``.txt`` (UTF-8): as it is (:mod:`knowledge.programme.sources.plain`);
- ``.docx``: paragraphs and real Word tables through python-docx
  (:mod:`knowledge.programme.sources.word`);
- ``.pdf`` with a text layer: pdfplumber, tables through its table extraction
  (:mod:`knowledge.programme.sources.pdf`);
- scanned ``.pdf`` and images: Tesseract's Vietnamese model, when installed
  (:mod:`knowledge.programme.sources.ocr`).

Text in the old TCVN3 (ABC) or VNI font encodings is refused, whatever the
format (:mod:`knowledge.programme.sources.encoding`).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from knowledge.errors import SourceError
from knowledge.programme.sources.encoding import check_unicode

__all__ = ["FORMATS", "IMAGES", "Source", "read_document", "read_source"]

IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
FORMATS = (".txt", ".docx", ".pdf", *IMAGES)


class Source(NamedTuple):
    """A document file read: its text form, and whether OCR read it (a scan or an image)."""

    text: str
    scanned: bool


def read_source(path: str | Path) -> str:
    """Read a document file into the parser's text form (see :func:`read_document`)."""
    return read_document(path).text


def read_document(path: str | Path) -> Source:
    """Read a document file into the parser's text form, saying whether OCR read it.

    Args:
        path: A ``.txt``, ``.docx``, ``.pdf`` or image file.

    Returns:
        The document as text, and whether it was a scan (each file is read once).

    Raises:
        SourceError: The format is unknown, the file cannot be read, its text
            is in a legacy font encoding, or OCR is needed but not installed.

    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise SourceError(
            f"{path.name}: unknown format {suffix or '(none)'}; expected one of "
            + ", ".join(FORMATS),
            vi=f"{path.name}: không đọc được định dạng {suffix or '(không có)'}; nhận "
            + ", ".join(FORMATS),
        )
    if not path.is_file():
        raise SourceError(f"cannot read {path}: no such file", vi=f"không có tệp {path.name}")
    try:
        scanned = suffix in IMAGES
        if suffix == ".docx":
            from knowledge.programme.sources.word import read_docx

            text = read_docx(path)
        elif suffix == ".pdf":
            from knowledge.programme.sources.pdf import read_pdf

            text, scanned = read_pdf(path)
        elif suffix == ".txt":
            from knowledge.programme.sources.plain import read_txt

            text = read_txt(path)
        else:
            from knowledge.programme.sources.ocr import read_image

            text = read_image(path)
    except SourceError:
        raise
    except Exception as error:  # a damaged file: each library raises its own errors
        raise SourceError(
            f"{path.name}: cannot read it as {suffix}: {error}",
            vi=f"{path.name}: tệp hỏng hoặc không phải {suffix} ({error})",
        ) from error
    check_unicode(text, path.name)
    return Source(text, scanned)
