"""Which document a report that names its task or target in words is about.

A report may name its task by words ("/capnhat rà soát hộ nghèo 60%") or its target
("/capnhat chỉ tiêu che phủ rừng 46,2%"); with several documents loaded each document's
engine suggests its own matches. These pure functions decide from those suggestions alone:

- the chat's pinned document settles it when it has a good match;
- otherwise one document settles it when its best match is clearly ahead of every other
  document's best, and no document is pinned (a pin elsewhere is never overridden silently);
- otherwise the user is asked which document, with a button each.

A report is therefore never written to a task of a document the user did not name, pin or
pick when another document matches about as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.engine import FOUND_THRESHOLD, Result

__all__ = ["CLEAR_LEAD", "Ask", "Hits", "clear", "settle"]

# A match is written at once only when it is this clear a winner (over the next match).
CLEAR_LEAD = 1.1


@dataclass(frozen=True)
class Hits:
    """One document's matches for the words of a report, best first (never empty).

    Attributes:
        document: The document's id.
        results: Its matches, best first.

    """

    document: int
    results: tuple[Result, ...]

    @property
    def best(self) -> float:
        """The score of its best match."""
        return self.results[0].score


@dataclass(frozen=True)
class Ask:
    """The question which document: the candidates, best first.

    Attributes:
        documents: Ids of the documents to choose from.
        off_pin: The chat pinned a document that none of them is (it had no good match).

    """

    documents: tuple[int, ...]
    off_pin: bool = False


def clear(results: Sequence[Result]) -> bool:
    """Whether the best match is good and clearly ahead of the next one.

    >>> clear([Result("task", "1.1", 0.9, ""), Result("task", "1.2", 0.5, "")])
    True
    >>> clear([Result("task", "1.1", 0.9, ""), Result("task", "1.2", 0.85, "")])
    False
    """
    if not results or results[0].score < FOUND_THRESHOLD:
        return False
    return len(results) == 1 or results[0].score >= results[1].score * CLEAR_LEAD


def settle(hits: Sequence[Hits], pinned: int | None = None) -> Hits | Ask:
    """The document whose matches a report means, or the question which one.

    Args:
        hits: Every document's matches (documents without any left out), in the library's
            order (ties keep it).
        pinned: The chat's pinned document, when it is one of the loaded documents.

    Returns:
        The settled document's hits, or :class:`Ask` with the documents to choose from.

    """
    if not hits:
        raise ValueError("nothing to settle: no document has a match")
    ordered = sorted(hits, key=lambda h: -h.best)
    mine = next((h for h in ordered if h.document == pinned), None)
    if mine is not None and mine.best >= FOUND_THRESHOLD:
        return mine
    top = ordered[0].best
    close = [h for h in ordered if top < FOUND_THRESHOLD or h.best * CLEAR_LEAD > top]
    if len(close) == 1 and pinned in (None, close[0].document):
        return close[0]
    off_pin = pinned is not None and all(h.document != pinned for h in close)
    return Ask(tuple(h.document for h in close), off_pin=off_pin)
