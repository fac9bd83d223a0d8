"""Postings of a search index as int32 arrays, and exact per-field sums over them.

A :class:`Postings` numbers the items it indexes (the fields of every entry, entry by entry,
or the entries) and maps a term (a syllable, or a pair of them) to the numbers of the items
that hold it. A query is scored term at a time: :meth:`Postings.gather` lists the postings
of its terms, and :func:`exact_sums` adds up, for every item at once, the values of the
terms it holds (``numpy.bincount``).

The sums are exact: each value is split into integer limbs that ``bincount`` adds without
rounding, and the limbs are joined with one rounding at the end, so every sum is the
correctly rounded sum of its terms, as :func:`math.fsum` gives, whatever their order.
:func:`term_masks` gives which of the query's terms each item holds, one bit per term.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["MASK_BITS", "Gathered", "Postings", "exact_sums", "held_terms", "term_masks"]

Floats = npt.NDArray[np.float64]
MASK_BITS = 52  # query terms per mask column: sums of distinct powers of two stay exact
_MANTISSA = 53  # bits of a float64 significand


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


def _whole(value: float) -> tuple[int, int]:
    """``value`` as ``(integer, exponent)``: ``value == integer * 2**exponent``, exactly."""
    fraction, exponent = math.frexp(value)
    return int(math.ldexp(fraction, _MANTISSA)), exponent - _MANTISSA


def _limbs(values: Sequence[float], terms: int) -> tuple[int, int, list[list[int]]]:
    """Write ``values`` as integers times ``2**scale``, cut in limbs of ``bits`` bits.

    Returns:
        ``(scale, bits, limbs)``: ``values[i] == sum(limbs[k][i] << (bits * k)) * 2**scale``,
        and ``terms`` limbs of ``bits`` bits add up below ``2**53``: exactly in a float64.

    """
    if any(v < 0 or not math.isfinite(v) for v in values):
        raise ValueError("exact sums take finite values ≥ 0")
    parts = [_whole(v) for v in values]
    scale = min((e for m, e in parts if m), default=0)
    whole = [m << (e - scale) if m else 0 for m, e in parts]
    bits = _MANTISSA - max(terms, 1).bit_length()
    widest = max((w.bit_length() for w in whole), default=0)
    count = max(1, -(-widest // bits))
    low = (1 << bits) - 1
    return scale, bits, [[(w >> (bits * k)) & low for w in whole] for k in range(count)]


def _rounded(whole: int, scale: int) -> float:
    """``whole * 2**scale`` correctly rounded (integer true division rounds once)."""
    return whole / (1 << -scale) if scale < 0 else float(whole << scale)


def exact_sums(gathered: Gathered, values: Sequence[float]) -> Floats:
    """For every item, the correctly rounded sum of the values of the terms it holds.

    Args:
        gathered: The postings of the query's terms (see :meth:`Postings.gather`).
        values: One value (finite, ≥ 0) per term.

    Returns:
        ``sums[n]`` for item ``n``: equal to ``math.fsum`` of its terms' values (0 when none).

    """
    scale, bits, limbs = _limbs(values, len(values))
    sums: list[Floats] = [
        np.asarray(
            np.bincount(
                gathered.items,
                weights=np.repeat(np.array(limb, dtype=np.float64), gathered.lengths),
                minlength=gathered.size,
            ),
            dtype=np.float64,
        )
        for limb in limbs
    ]
    if len(sums) == 1:  # an exact integer below 2**53: scaling it is exact too
        return np.ldexp(sums[0], scale)
    if len(sums) == 2:
        # Both terms are exact, so the one addition rounds the exact sum once.
        return np.ldexp(sums[1] * float(1 << bits) + sums[0], scale)
    # Values spanning more than ~2**40 (never idf weights): join as integers, round once.
    columns = zip(*(s.tolist() for s in sums), strict=True)
    return np.array(
        [_rounded(sum(int(x) << (bits * k) for k, x in enumerate(c)), scale) for c in columns],
        dtype=np.float64,
    )


def term_masks(gathered: Gathered) -> npt.NDArray[np.int64]:
    """Which terms each item holds, one bit per term.

    Returns:
        Shape ``(columns, items)``: term ``i`` is bit ``i % 52`` of column ``i // 52``.

    """
    terms = len(gathered.lengths)
    columns = []
    for start in range(0, max(terms, 1), MASK_BITS):
        bits = [
            float(1 << (i - start)) if start <= i < start + MASK_BITS else 0.0
            for i in range(terms)
        ]
        weights = np.repeat(np.array(bits, dtype=np.float64), gathered.lengths)
        columns.append(np.bincount(gathered.items, weights=weights, minlength=gathered.size))
    return np.array(columns).astype(np.int64)


def held_terms(masks: npt.NDArray[np.int64], terms: int) -> list[list[bool]]:
    """Unpack masks: for each row, whether it holds each of the first ``terms`` terms.

    A row is one item's mask columns, as :func:`term_masks` gives them.

    >>> row = held_terms(np.array([[0b101, 0b1]]), 54)[0]
    >>> row[:3], row[52:]
    ([True, False, True], [True, False])
    """
    shifts = np.arange(MASK_BITS, dtype=np.int64)
    bits = (masks[:, :, None] >> shifts) & 1  # (rows, columns, MASK_BITS)
    rows = bits.reshape(len(masks), masks.shape[1] * MASK_BITS)[:, :terms]
    held: list[list[bool]] = rows.astype(np.bool_).tolist()
    return held
