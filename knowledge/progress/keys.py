"""The keys report rows are filed under: a document's key, then the task's or target's.

A report row's ``target_key`` is ``"<document key>:<content key>"``:

- the *document key* is a hash of the document's identity (issuer, number, date), so
  reloading the same document, or a corrected version with the same identity, keeps it;
- the *content key* is a hash of the task's folded content (or the target's section, name
  and value), so a task keeps its reports when it is renumbered.

Two documents with an identically worded task (two former provinces' plans made from one
template) therefore keep separate rows. Every key is computed from the document the caller
names explicitly: nothing is inferred from a task alone.
"""

from __future__ import annotations

import hashlib

from knowledge.programme.model import Indicator, Programme, Task
from knowledge.text import fold

__all__ = [
    "SEPARATOR",
    "content_key",
    "document_key",
    "document_of_key",
    "identity_key",
    "indicator_content_key",
    "indicator_key",
    "scoped",
    "task_key",
]

SEPARATOR = ":"


def _sha(raw: str) -> str:
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def identity_key(issuer: str, number: str, date: str) -> str:
    """The key of a document with this identity (as the ``documents`` table stores it).

    >>> identity_key("UBND tỉnh Khánh Hòa", "45/KH-UBND", "2026-01-05") == identity_key(
    ...     "UBND tỉnh Khánh Hòa", "45/KH-UBND", "2026-01-05")
    True
    """
    return _sha(f"{issuer}|{number}|{date}")


def document_key(programme: Programme) -> str:
    """The key of the document ``programme`` was read from (its identity)."""
    return identity_key(programme.issuer, programme.number, programme.issued)


def content_key(task: Task) -> str:
    """A task's identity within its document that survives renumbering: its folded content."""
    return _sha(fold(task.content))


def indicator_content_key(ind: Indicator) -> str:
    """A target's identity within its document: its section, name and value, folded."""
    return _sha(f"{ind.ref}|{fold(ind.name)}|{fold(ind.value)}")


def scoped(document: str, key: str) -> str:
    """A content key filed under a document key."""
    return f"{document}{SEPARATOR}{key}"


def document_of_key(key: str) -> str:
    """The document key a row's ``target_key`` is filed under ("" for an unscoped key)."""
    head, found, _ = key.partition(SEPARATOR)
    return head if found else ""


def task_key(task: Task, document: str) -> str:
    """The key of ``task`` of the document keyed ``document`` (see :func:`document_key`)."""
    return scoped(document, content_key(task))


def indicator_key(ind: Indicator, document: str) -> str:
    """The key of target ``ind`` of the document keyed ``document``."""
    return scoped(document, indicator_content_key(ind))
