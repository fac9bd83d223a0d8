"""Read a ``.docx`` document through python-docx: paragraphs and real Word tables in order.

A table row becomes one line of tab-separated cells. python-docx returns a
merged cell in every grid cell it spans (the same ``<w:tc>`` element), so a
cell already seen — to the left in its row, or above in its column — is
written once and its other places are left empty: columns stay aligned and
nothing is counted twice. A cell whose text is all italic (a group row) is
marked ``<i>...</i>`` as the text form writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from knowledge.text import clean

__all__ = ["read_docx", "table_lines"]


def _cell_text(cell: Any) -> str:
    text = clean(" ".join(p.text for p in cell.paragraphs))
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    if text and runs and all(r.italic for r in runs):
        return f"<i>{text}</i>"
    return text


def table_lines(table: Any) -> list[str]:
    """A Word table as tab-separated lines, each merged cell written once."""
    # The elements themselves, not their id(): holding them keeps lxml's proxies alive.
    seen: set[Any] = set()
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            tc = cell._tc
            cells.append("" if tc in seen else _cell_text(cell))
            seen.add(tc)
        lines.append("\t".join(cells))
    return lines


def _blocks(document: Any) -> Iterator[str]:
    """The body's paragraphs and tables, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text
        elif isinstance(item, Table):
            yield from table_lines(item)


def read_docx(path: Path) -> str:
    """The text form of a Word document.

    Args:
        path: A ``.docx`` file.

    Returns:
        One line per paragraph or table row.

    """
    import docx

    document = docx.Document(str(path))
    return "\n".join(_blocks(document)) + "\n"
