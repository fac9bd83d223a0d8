"""Scanned pages without OCR: ruled tables found on an image, words put in their cells."""

import numpy as np

from knowledge.programme.sources.grid import Cell, erase_rules, ruled_tables
from knowledge.programme.sources.scan import Word, scanned_page, words_of


def _page() -> np.ndarray:
    """A white 1000 × 800 page with a ruled table: a header, a group row, a row of 3 cells."""
    page = np.full((800, 1000), 255, dtype=np.uint8)
    for y in (100, 160, 220, 300):
        page[y : y + 3, 100:901] = 0
    for x in (100, 200, 600, 900):
        page[100:303, x : x + 3] = 0
    page[163:220, 600:603] = 255  # the group row: its title spans the last two columns
    page[400:420, 120:400] = 0  # a black bar (a word, not a rule: too short)
    return page


def test_a_ruled_table_gives_its_cells_and_columns():
    (table,) = ruled_tables(_page())
    assert (table.left, table.top, table.right, table.bottom, table.columns) == (
        100,
        100,
        903,
        303,
        3,
    )
    assert [[(c.first, c.last) for c in row] for row in table.rows] == [
        [(0, 0), (1, 1), (2, 2)],
        [(0, 0), (1, 2)],
        [(0, 0), (1, 1), (2, 2)],
    ]
    assert [(c.left, c.right) for c in table.rows[0]] == [(101, 201), (201, 601), (601, 901)]


def test_a_page_without_rules_has_no_table():
    page = _page()
    page[:, :] = 255
    page[400:420, 120:400] = 0
    assert ruled_tables(page) == []


def test_erasing_the_rules_keeps_the_words():
    page = _page()
    erased = erase_rules(page, ruled_tables(page))
    assert (erased[95:310, 95:910] < 128).sum() == 0
    assert (erased[400:420, 120:400] < 128).all()


def _word(text: str, x: int, y: int, line: int) -> Word:
    return Word(text, x, y, 40, 20, (1, 1, line), 95.0)


def test_words_go_to_the_cell_holding_them_and_empty_cells_are_read_again():
    (table,) = ruled_tables(_page())
    words = [
        _word("STT", 120, 120, 1),
        _word("Nhiệm", 220, 120, 1),
        _word("vụ", 270, 120, 1),
        _word("Ghi", 620, 120, 1),
        _word("lI", 120, 180, 2),  # OCR's "II"
        _word("Nhóm", 300, 180, 2),
        _word("Lập", 220, 240, 3),
        _word("đề", 220, 270, 4),  # a wrapped cell: its second line
        _word("án", 262, 270, 4),
        _word("Trước", 120, 500, 5),  # below the table
        _word("bảng", 170, 500, 5),
    ]
    asked: list[Cell] = []

    def reread(cell: Cell) -> str:
        asked.append(cell)
        return "2" if cell.first == 0 else ""

    items, open_end = scanned_page(words, [table], 1000.0, reread)
    assert items == [
        (100.0, ["STT\tNhiệm vụ\tGhi", "II\tNhóm\t", "2\tLập đề án\t"]),
        (500.0, ["Trước bảng"]),
    ]
    assert [(c.first, c.top) for c in asked] == [(0, 223), (2, 223)]
    assert not open_end


def test_tesseract_data_becomes_words_without_empty_boxes():
    data = {
        "text": ["", "Số:", "45/KH-UBND", " "],
        "left": [0, 10, 60, 0],
        "top": [0, 5, 5, 0],
        "width": [100, 40, 90, 0],
        "height": [50, 20, 20, 0],
        "block_num": [1, 1, 1, 1],
        "par_num": [0, 1, 1, 1],
        "line_num": [0, 1, 1, 1],
        "conf": [-1, 96.5, 91, -1],
    }
    assert words_of(data) == [
        Word("Số:", 10, 5, 40, 20, (1, 1, 1), 96.5),
        Word("45/KH-UBND", 60, 5, 90, 20, (1, 1, 1), 91.0),
    ]


def test_a_numbered_paragraph_read_with_a_comma_is_put_right():
    words = [_word("5,", 100, 100, 1), _word("Các", 150, 100, 1), _word("sở", 200, 100, 1)]
    items, _ = scanned_page(words, [], 1000.0)
    assert items == [(100.0, ["5. Các sở"])]
