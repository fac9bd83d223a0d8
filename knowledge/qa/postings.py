"""Postings of a search index as int32 arrays, and exact sums over the terms a field holds.

The fields of every entry are numbered one after the other (entry by entry), so the fields
of one entry are contiguous. :class:`Postings` maps a term (a syllable, or a pair of them)
to the numbers of the fields that hold it; :meth:`Postings.masks` gives, for the terms of a
query, one bit per term for every field: which of the query's terms it holds.

Many fields hold the same subset of a query's terms, so :func:`subset_sums` sums each
distinct subset once, with :func:`math.fsum`: exact, so a sum does not depend on the order
of the terms, and the same as summing field by field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import fsum

import numpy as np
import numpy.typing as npt

__all__ = ["Masks", "Postings", "distinct", "members", "subset_sums"]

Masks = npt.NDArray[np.uint64]
"""Shape ``(columns, fields)``: bit ``i % 64`` of column ``i // 64`` is the query's term i."""

_BITS = 64


class Postings:
    """Which fields hold each term: one int32 array of field numbers per term."""

    def __init__(self, fields: Sequence[Iterable[str]]) -> None:
        """Index the terms of every field; ``fields[n]`` are the terms of field ``n``."""
        lists: dict[str, list[int]] = {}
        for n, terms in enumerate(fields):
            for term in terms:
                lists.setdefault(term, []).append(n)
        self.size = len(fields)
        # One flat array and each term's slice of it: one allocation, not one per term.
        self._flat = np.array([n for ns in lists.values() for n in ns], dtype=np.int32)
        self._span: dict[str, tuple[int, int]] = {}
        start = 0
        for term, ns in lists.items():
            self._span[term] = (start, start + len(ns))
            start += len(ns)

    def fields(self, term: str) -> npt.NDArray[np.int32]:
        """The numbers of the fields holding ``term``, ascending (empty when none does)."""
        start, end = self._span.get(term, (0, 0))
        return self._flat[start:end]

    def masks(self, terms: Sequence[str]) -> Masks:
        """For every field, which of ``terms`` (distinct) it holds, one bit per term."""
        out = np.zeros(((len(terms) + _BITS - 1) // _BITS, self.size), dtype=np.uint64)
        for i, term in enumerate(terms):
            span = self._span.get(term)
            if span is not None:
                out[i // _BITS, self._flat[span[0] : span[1]]] |= np.uint64(1 << (i % _BITS))
        return out


def members(row: Sequence[int]) -> list[int]:
    """The term positions whose bits are set in one field's mask (its columns), ascending.

    >>> members([0b101, 0b1])
    [0, 2, 64]
    """
    out = []
    for column, bits in enumerate(row):
        while bits:
            low = bits & -bits
            out.append(column * _BITS + low.bit_length() - 1)
            bits ^= low
    return out


def distinct(masks: Masks) -> tuple[list[list[int]], npt.NDArray[np.intp]]:
    """The distinct masks among the columns of ``masks`` (as term positions), and which each is.

    Returns:
        ``(subsets, inverse)``: ``masks[:, j]`` holds the terms ``subsets[inverse[j]]``.

    """
    if masks.shape[1] == 0:
        return [], np.zeros(0, dtype=np.intp)
    if masks.shape[0] == 1:
        unique, inverse = np.unique(masks[0], return_inverse=True)
        rows: list[list[int]] = [[int(v)] for v in unique.tolist()]
    else:
        unique, inverse = np.unique(masks.T, axis=0, return_inverse=True)
        rows = [[int(v) for v in row] for row in unique.tolist()]
    return [members(r) for r in rows], inverse.reshape(-1)


def subset_sums(
    masks: Masks, values: Sequence[Sequence[float]]
) -> tuple[list[npt.NDArray[np.float64]], npt.NDArray[np.intp]]:
    """For each list of per-term values, the exact sum over the terms of each distinct mask.

    Args:
        masks: Which terms each field holds (see :meth:`Postings.masks`).
        values: Lists of one value per term.

    Returns:
        ``(sums, inverse)``: field ``j`` sums to ``sums[k][inverse[j]]`` for ``values[k]``.

    """
    subsets, inverse = distinct(masks)
    sums = [
        np.array([fsum([v[i] for i in subset]) for subset in subsets], dtype=np.float64)
        for v in values
    ]
    return sums, inverse
