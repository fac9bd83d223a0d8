"""Errors raised by the knowledge package, each saying how to fix the problem."""

from __future__ import annotations

__all__ = ["KnowledgeError", "ProgrammeFormatError", "SourceError"]


class KnowledgeError(Exception):
    """Base class for errors of the knowledge package.

    The message (``str(error)``) is English, for logs and the command line; :attr:`vi` says the
    same in Vietnamese, for the bot's users (it is the English message when none was given).
    """

    def __init__(self, message: str, vi: str = "") -> None:
        """Keep the message and its Vietnamese form."""
        super().__init__(message)
        self.vi = vi or message


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
