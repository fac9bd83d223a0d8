"""Errors raised by the knowledge package, each saying how to fix the problem."""

from __future__ import annotations

__all__ = ["KnowledgeError", "ProgrammeFormatError", "SourceError"]


class KnowledgeError(Exception):
    """Base class for errors of the knowledge package."""


class ProgrammeFormatError(KnowledgeError):
    """The text is not an action programme this parser understands.

    The message names what could not be found, so the file can be checked
    against the genre (lettered parts, a targets section, an appendix table
    with a header row).
    """


class SourceError(KnowledgeError):
    """A file cannot be read as a document: unknown format, legacy font encoding, no OCR.

    The message says what to do (convert the encoding, install a package ...).
    """
