"""Documents as they arrive: .txt, .docx (python-docx), .pdf (pdfplumber), scans, old encodings."""

from dataclasses import asdict
from pathlib import Path

import pytest

from knowledge.errors import ProgrammeFormatError, SourceError
from knowledge.programme.parser import parse_programme
from knowledge.programme.sources import read_source
from knowledge.programme.sources.encoding import legacy_encoding
from knowledge.programme.sources.word import table_lines
from knowledge.programme.store import bundled_text, load_programme, open_database, stats
from tests.documents import build_docx, build_pdf

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = (FIXTURES / "plan_c.txt").read_text("utf-8")
PROGRAMME_B = (FIXTURES / "programme_b.txt").read_text("utf-8")


def _records(text):
    p = parse_programme(text)
    return {
        "identity": (p.kind, p.number, p.issuer, p.issued, p.signer, p.implements),
        "counts": tuple(
            len(getattr(p, k)) for k in ("indicators", "tasks", "responsibilities", "passages")
        ),
        "indicators": [asdict(i) for i in p.indicators],
        "tasks": [asdict(t) for t in p.tasks],
        "responsibilities": [asdict(r) for r in p.responsibilities],
        "passages": [asdict(x) for x in p.passages],
    }


@pytest.fixture(scope="module")
def plan_records():
    return _records(PLAN)


def test_txt_reads_as_is(tmp_path, plan_records):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode())
    assert _records(read_source(path)) == plan_records
    assert plan_records["counts"] == (13, 12, 7, 29)


@pytest.mark.parametrize("build", [build_docx, build_pdf], ids=["docx", "pdf"])
def test_plan_loads_the_same_from_every_format(tmp_path, build, plan_records):
    suffix = ".docx" if build is build_docx else ".pdf"
    path = build(PLAN, tmp_path / f"plan{suffix}")
    assert _records(read_source(path)) == plan_records


@pytest.mark.parametrize("build", [build_docx, build_pdf], ids=["docx", "pdf"])
@pytest.mark.parametrize("name", ["programme_b", "bundled"])
def test_programmes_load_the_same_from_every_format(tmp_path, build, name):
    # Italic group rows, seven-column appendices, paragraphs cut by page breaks.
    text = PROGRAMME_B if name == "programme_b" else bundled_text()
    path = build(text, tmp_path / f"{name}{'.docx' if build is build_docx else '.pdf'}")
    assert _records(read_source(path)) == _records(text)


def test_docx_merged_cells_are_counted_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"{r}{c}"
    table.cell(0, 1).merge(table.cell(0, 2))  # across
    table.cell(1, 0).merge(table.cell(2, 0))  # down
    path = tmp_path / "t.docx"
    document.save(str(path))
    assert table_lines(docx.Document(str(path)).tables[0]) == [
        "00\t01 02\t",
        "10 20\t11\t12",
        "\t21\t22",
    ]


def test_pdf_drops_page_numbers_and_repeated_headers(tmp_path):
    text = read_source(build_pdf(PLAN, tmp_path / "plan.pdf"))
    lines = text.splitlines()
    assert sum(line.startswith("STT\tNhiệm vụ") for line in lines) == 1
    assert not any(line.strip() in {"1", "2", "3", "4"} for line in lines)


@pytest.mark.parametrize("name", ["TCVN3", "VNI"])
def test_old_font_encodings_are_refused(tmp_path, name):
    sample = {
        "TCVN3": "Céng hoµ x· héi chñ nghÜa ViÖt Nam. Ch­¬ng tr×nh hµnh ®éng sè 08-CTr/TU\n",
        "VNI": "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Chöông trình haønh ñoäng soá 08\n",
    }[name]
    path = tmp_path / "old.txt"
    path.write_bytes((sample * 5).encode("cp1252", errors="replace"))
    with pytest.raises(SourceError, match=f"{name}.*Unicode"):
        read_source(path)
    assert legacy_encoding(PLAN) is None and legacy_encoding(PROGRAMME_B) is None


def test_old_encoding_inside_a_docx_is_refused(tmp_path):
    old = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. KÕ ho¹ch thùc hiÖn Ch­¬ng tr×nh hµnh ®éng\n" * 4
    path = build_docx(old, tmp_path / "old.docx")
    with pytest.raises(SourceError, match="TCVN3"):
        read_source(path)


def test_unknown_format_is_refused(tmp_path):
    path = tmp_path / "plan.odt"
    path.write_text("x")
    with pytest.raises(SourceError, match=r"unknown format \.odt"):
        read_source(path)


def test_scan_without_tesseract_names_the_packages(tmp_path, monkeypatch):
    from fpdf import FPDF

    monkeypatch.setattr("knowledge.programme.sources.ocr.shutil.which", lambda name: None)

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # an image-only page: no text layer
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(SourceError, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
        read_source(path)
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(SourceError, match="tesseract-ocr-vie"):
        read_source(image)


def test_text_files_are_read_without_ocr(tmp_path):
    from knowledge.programme.sources import Source, read_document

    (tmp_path / "plan.txt").write_text(PLAN, "utf-8")
    for path in (
        build_pdf(PLAN, tmp_path / "plan.pdf"),
        tmp_path / "plan.txt",
        build_docx(PLAN, tmp_path / "plan.docx"),
    ):
        read = read_document(path)
        assert isinstance(read, Source) and not read.scanned
        assert read.text == read_source(path)
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf")
    with pytest.raises(SourceError, match=r"cannot read it as \.pdf"):
        read_document(tmp_path / "broken.pdf")


def _scanned(text: str, tmp_path: Path) -> list:
    """The pages of the fixture's PDF as 300 dpi greyscale images: a scan of the document."""
    import pdfplumber

    with pdfplumber.open(str(build_pdf(text, tmp_path / "printed.pdf"))) as pdf:
        return [p.to_image(resolution=300).original.convert("L") for p in pdf.pages]


_NO_OCR = "Tesseract with its Vietnamese model is not installed (.ci/run installs it)"


def _has_ocr() -> bool:
    try:
        from knowledge.programme.sources.ocr import tesseract

        tesseract()
    except SourceError:
        return False
    return True


@pytest.mark.skipif(not _has_ocr(), reason=_NO_OCR)
def test_a_scanned_plan_loads_with_its_identity_and_counts(tmp_path, plan_records):
    """OCR reads the ruled tables cell by cell: every target and task, each in its place."""
    pages = _scanned(PLAN, tmp_path)
    path = tmp_path / "scan.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=300)
    from knowledge.programme.sources import read_document

    text, scanned = read_document(path)
    assert scanned
    got = _records(text)
    assert got["identity"] == plan_records["identity"]
    assert got["counts"] == plan_records["counts"]
    # OCR misreads a few characters ("7,8" as "78", "xã" as "xa"): most records are exact.
    for kind in ("indicators", "tasks", "responsibilities", "passages"):
        same = sum(a == b for a, b in zip(got[kind], plan_records[kind], strict=True))
        assert same >= 0.7 * len(plan_records[kind]), kind
    codes = {t["code"]: (t["lead"], t["due"]) for t in got["tasks"]}
    assert codes["I.3"] == ("Sở KH&CN", "30/9/2026")


@pytest.mark.skipif(not _has_ocr(), reason=_NO_OCR)
def test_a_photographed_page_reads_its_table_rows(tmp_path):
    page = _scanned(PLAN, tmp_path)[3]  # the appendix's second page
    path = tmp_path / "page.png"
    page.save(path)
    from knowledge.programme.sources import read_document

    text, scanned = read_document(path)
    assert scanned
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    assert rows[0][:3] == ["STT", "Nhiệm vụ", "Cơ quan chủ trì"]
    assert all(len(r) == 6 for r in rows)
    # A lone "4" or "III" in the narrow first column is read on its own; a group row's title
    # spans the other columns, which stay empty.
    numbers = [r[0] for r in rows[1:]]
    assert numbers[numbers.index("III") - 1 :][:3] == ["4", "III", "1"]
    group = rows[1 + numbers.index("III")]
    assert group[1] == "Quản lý tài nguyên, bảo vệ môi trường" and group[2:] == ["", "", "", ""]


def test_a_file_that_is_no_document_leaves_the_database_unchanged(tmp_path):
    db = open_database(memory=True)
    before = stats(db), list(db["documents"].rows)
    path = build_docx("Thực đơn\n\n- Phở bò\n- Bún chả\n", tmp_path / "menu.docx")
    with pytest.raises(ProgrammeFormatError, match="no lettered parts"):
        load_programme(db, read_source(path))
    assert (stats(db), list(db["documents"].rows)) == before
