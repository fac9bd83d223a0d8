"""Build .docx and .pdf files from a text-form fixture, as documents arrive (for tests)."""

from __future__ import annotations

import re
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")


def blocks(text: str):
    """("text", line) | ("table", rows) | ("page", "") in order."""
    table: list[list[str]] = []
    for line in text.splitlines():
        if "\t" in line:
            table.append(line.split("\t"))
            continue
        if table:
            yield "table", table
            table = []
        if _PAGE_NUMBER.match(line.strip()):
            yield "page", ""
        elif line.strip():
            yield "text", line
    if table:
        yield "table", table


def _group_span(row: list[str]) -> int:
    """A group row (number and title only) spans its title over the other columns."""
    return len(row) - 1 if row[1] and not any(c.strip() for c in row[2:]) else 1


def build_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for kind, value in blocks(text):
        if kind == "page":
            document.add_page_break()
        elif kind == "text":
            document.add_paragraph(value)
        else:
            width = max(len(r) for r in value)
            table = document.add_table(rows=0, cols=width)
            for row in value:
                row = row + [""] * (width - len(row))
                cells = table.add_row().cells
                for cell, raw in zip(cells, row, strict=True):
                    italic = raw.startswith("<i>")
                    run = cell.paragraphs[0].add_run(re.sub(r"</?i>", "", raw))
                    run.italic = italic or None
                if _group_span(row) > 1:
                    cells[1].merge(cells[-1])
    document.save(str(path))
    return path


def build_pdf(text: str, path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "I", str(FONT.with_name("DejaVuSans-Oblique.ttf")))
    pdf.add_font("DejaVu", "B", str(FONT.with_name("DejaVuSans-Bold.ttf")))
    pdf.set_auto_page_break(True, margin=20)

    def footer() -> None:
        pdf.set_y(-12)
        pdf.set_font("DejaVu", size=8)
        pdf.cell(0, 5, str(pdf.page_no()), align="C")

    pdf.footer = footer  # type: ignore[method-assign]
    pdf.add_page()
    for kind, value in blocks(text):
        if kind == "page":
            pdf.add_page()
        elif kind == "text":
            pdf.set_font("DejaVu", size=10)
            pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            _pdf_table(pdf, value)
            pdf.ln(3)
    pdf.output(str(path))
    return path


def _pdf_table(pdf, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    pdf.set_font("DejaVu", size=7)
    widths = (8, 60, *([25] * (width - 2)))[:width]
    with pdf.table(col_widths=widths, first_row_as_headings=True, text_align="LEFT") as table:
        for row in rows:
            row = row + [""] * (width - len(row))
            cells = table.row()
            span = _group_span(row)
            cells.cell(row[0])
            cells.cell(re.sub(r"</?i>", "", row[1]), colspan=span)
            for raw in row[2:] if span == 1 else []:
                cells.cell(raw)
