"""Ruled tables on a page image: the cells a scanned table's lines enclose.

Word tables in official documents are drawn with borders, so a scan shows them as long
horizontal and vertical dark lines. Horizontal rules are runs of dark pixels at least
:data:`RULE_SHARE` of the page wide; consecutive rules of the same extent make a table; the
vertical rules crossing each band between two rules cut it into cells. A cell spanning
several columns (a group row) is one cell there. Pure numpy: OCR (Tesseract) then reads the
words, and each word goes to the cell holding its centre.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["RULE_SHARE", "Box", "Cell", "Table", "erase_rules", "ruled_tables"]

# Parameters of the detection, in one place (shares of the page, or of a band's height).
RULE_SHARE = 0.15  # a horizontal rule is at least this share of the page's width
DARK = 128  # grey levels below this are ink
SAME_EDGE = 0.01  # rules whose ends differ by less than this share of the width align
CROSSING = 0.9  # a vertical rule is dark over this share of a band's height
MAX_BAND = 0.25  # two rules further apart than this share of the page height are no row
_HALO = 2  # pixels around a rule erased with it (its anti-aliased edge)


@dataclass(frozen=True)
class Box:
    """A rectangle on the page image (pixels)."""

    left: int
    top: int
    right: int
    bottom: int

    def holds(self, x: float, y: float) -> bool:
        """Whether the point lies inside the box."""
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass(frozen=True)
class Cell(Box):
    """A cell's box and the columns of the table it spans (``first`` .. ``last``)."""

    first: int
    last: int


@dataclass(frozen=True)
class Table(Box):
    """A ruled table: its box and its rows of cells, top to bottom."""

    columns: int
    rows: tuple[tuple[Cell, ...], ...]
    rules: tuple[tuple[int, int, int, int], ...]  # every rule's box: (left, top, right, bottom)


def _runs(flags: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """The ``[start, end)`` runs of True in a 1-D array."""
    padded = np.concatenate([[False], flags, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _rules(ink: npt.NDArray[np.bool_]) -> list[tuple[int, int, int, int]]:
    """Horizontal rules as ``(top, bottom, left, right)``, top to bottom (thick ones once)."""
    width = ink.shape[1]
    span = max(int(RULE_SHARE * width), 2)
    sums = np.cumsum(ink, axis=1, dtype=np.int32)
    full = (sums[:, span - 1 :] - np.pad(sums, ((0, 0), (1, 0)))[:, : width - span + 1]) == span
    found: list[tuple[int, int, int, int]] = []
    for y in np.flatnonzero(full.any(axis=1)).tolist():
        starts = np.flatnonzero(full[y])
        left, right = int(starts[0]), int(starts[-1]) + span
        last = found[-1] if found else None
        if last is not None and last[1] == y and abs(last[2] - left) <= SAME_EDGE * width:
            found[-1] = (last[0], y + 1, min(last[2], left), max(last[3], right))
        else:
            found.append((y, y + 1, left, right))
    return found


def _crossings(
    ink: npt.NDArray[np.bool_], top: int, bottom: int, left: int, right: int
) -> list[tuple[int, int]]:
    """The ``[start, end)`` columns of each vertical rule crossing the band between two rules."""
    start = max(left - 2, 0)
    band = ink[top:bottom, start : right + 3]
    if band.shape[0] == 0:
        return []
    dark = band.mean(axis=0) >= CROSSING
    return [(start + a, start + b) for a, b in _runs(dark)]


def _table(ink: npt.NDArray[np.bool_], rules: list[tuple[int, int, int, int]]) -> Table | None:
    """The table the aligned ``rules`` enclose, when vertical rules cut its bands."""
    left, right = min(r[2] for r in rules), max(r[3] for r in rules)
    bands = [(a[1], b[0]) for a, b in itertools.pairwise(rules)]
    crossings = [_crossings(ink, top, bottom, left, right) for top, bottom in bands]
    if any(len(c) < 2 for c in crossings):
        return None
    cuts = [[(a + b) // 2 for a, b in c] for c in crossings]
    edges = sorted({x for c in cuts for x in c})
    columns: list[int] = []  # one x per distinct vertical rule, merged within a few pixels
    for x in edges:
        if not columns or x - columns[-1] > SAME_EDGE * ink.shape[1]:
            columns.append(x)

    def column(x: int) -> int:
        return min(range(len(columns)), key=lambda i: abs(columns[i] - x))

    rows = tuple(
        tuple(Cell(a, top, b, bottom, column(a), column(b) - 1) for a, b in itertools.pairwise(xs))
        for (top, bottom), xs in zip(bands, cuts, strict=True)
    )
    lines = [(r[2], r[0], r[3], r[1]) for r in rules] + [
        (a, top, b, bottom)
        for (top, bottom), c in zip(bands, crossings, strict=True)
        for a, b in c
    ]
    return Table(left, rules[0][0], right, rules[-1][1], len(columns) - 1, rows, tuple(lines))


def erase_rules(gray: npt.NDArray[np.uint8], tables: list[Table]) -> npt.NDArray[np.uint8]:
    """A copy of the page with the tables' rules painted white: OCR reads no "|" or "_"."""
    out = gray.copy()
    for table in tables:
        for left, top, right, bottom in table.rules:
            out[max(top - _HALO, 0) : bottom + _HALO, max(left - _HALO, 0) : right + _HALO] = 255
    return out


def ruled_tables(gray: npt.NDArray[np.uint8]) -> list[Table]:
    """The ruled tables of a page image (grey levels, rows × columns), top to bottom."""
    ink = gray < DARK
    height, width = ink.shape
    groups: list[list[tuple[int, int, int, int]]] = []
    for rule in _rules(ink):
        last = groups[-1][-1] if groups else None
        aligned = last is not None and (
            abs(last[2] - rule[2]) <= SAME_EDGE * width
            and abs(last[3] - rule[3]) <= SAME_EDGE * width
            and rule[0] - last[1] <= MAX_BAND * height
        )
        if aligned:
            groups[-1].append(rule)
        else:
            groups.append([rule])
    tables = [_table(ink, g) for g in groups if len(g) >= 2]
    return [t for t in tables if t is not None]
