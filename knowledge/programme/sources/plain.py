"""Read a ``.txt`` document: UTF-8 (with or without BOM); other bytes are a legacy encoding."""

from __future__ import annotations

from pathlib import Path

__all__ = ["read_txt"]


def read_txt(path: Path) -> str:
    """The file's text, newlines normalised.

    A file that is not UTF-8 is decoded as cp1252 so that the encoding check
    (:func:`knowledge.programme.sources.encoding.check_unicode`) can name TCVN3 or VNI.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
