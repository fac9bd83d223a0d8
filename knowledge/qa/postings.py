"""Postings of a search index as int32 arrays, and per-field sums over them.

A :class:`Postings` numbers the items it indexes (the fields of every entry, entry by entry,
or the entries) and maps a term (a syllable, or a pair of them) to the numbers of the items
that hold it. A query is scored term at a time: :meth:`Postings.gather` lists the postings
of its terms, and :func:`term_sums` adds up, for every item at once, the values of the
terms it holds (``numpy.bincount``), always in the terms' order: two items holding the same
terms get the same sum, bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Gathered", "Postings", "term_sums"]

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Gathered:
    """The postings of a query's terms, one after the other.

    Attributes:
        items: The item numbers of every posting: those of term 0, then term 1 ...
        lengths: How many postings each term has.
        size: How many items the postings number.

    """

    items: npt.NDArray[np.int32]
    lengths: list[int]
    size: int


class Postings:
    """Which items hold each term: a slice of one int32 array of item numbers per term."""

    def __init__(self, items: Sequence[Iterable[str]]) -> None:
        """Index the terms of every item; ``items[n]`` are the (distinct) terms of item ``n``."""
        lists: dict[str, list[int]] = {}
        for n, terms in enumerate(items):
            for term in terms:
                lists.setdefault(term, []).append(n)
        self.size = len(items)
        # One flat array and each term's slice of it: one allocation, not one per term.
        self._flat = np.array([n for ns in lists.values() for n in ns], dtype=np.int32)
        self._span: dict[str, tuple[int, int]] = {}
        start = 0
        for term, ns in lists.items():
            self._span[term] = (start, start + len(ns))
            start += len(ns)

    def items(self, term: str) -> npt.NDArray[np.int32]:
        """The numbers of the items holding ``term``, ascending (empty when none does)."""
        start, end = self._span.get(term, (0, 0))
        return self._flat[start:end]

    def gather(self, terms: Sequence[str]) -> Gathered:
        """The postings of every term of ``terms`` (distinct), in order."""
        spans = [self._span.get(t, (0, 0)) for t in terms]
        parts = [self._flat[a:b] for a, b in spans]
        items = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        return Gathered(items, [b - a for a, b in spans], self.size)


def term_sums(gathered: Gathered, values: Sequence[float]) -> Floats:
    """For every item, the sum of the values of the terms it holds (0 when none).

    Args:
        gathered: The postings of the query's terms (see :meth:`Postings.gather`).
        values: One value per term.

    Returns:
        ``sums[n]`` for item ``n``: its terms' values added in the terms' order, so items
        holding the same terms get the same float, bit for bit (ties stay ties).

    """
    weights = np.repeat(np.asarray(values, dtype=np.float64), gathered.lengths)
    sums = np.bincount(gathered.items, weights=weights, minlength=gathered.size)
    return np.asarray(sums, dtype=np.float64)
