"""Document numbers in notes and captions (knowledge.progress.doc_numbers): a tuning set and a
held-out
set written before the patterns were last changed and never used to change them."""

from __future__ import annotations

import unicodedata

import pytest

from knowledge.progress.doc_numbers import DocRef, find_refs, refs_text

TUNING = [
    (
        "đã ban hành Quyết định số 123/QĐ-UBND ngày 15/3/2024",
        ["Quyết định số 123/QĐ-UBND ngày 15/3/2024"],
    ),
    ("theo Kế hoạch 45/KH-UBND", ["Kế hoạch số 45/KH-UBND"]),
    (
        "công văn số 1234/UBND-KT ngày 2 tháng 4 năm 2024",
        ["Công văn số 1234/UBND-KT ngày 2 tháng 4 năm 2024"],
    ),
    ("QĐ 42/2014/QĐ-TTg đã sửa đổi", ["Quyết định số 42/2014/QĐ-TTg"]),
    ("nghị quyết số 09-NQ/TU ngày 01.02.2025", ["Nghị quyết số 09-NQ/TU ngày 01.02.2025"]),
    ("Tờ trình 12a/TTr-SNV", ["Tờ trình số 12a/TTr-SNV"]),
    ("KH 12-KH/TU, lại 12-KH/TU", ["Kế hoạch số 12-KH/TU"]),
]
HELD_OUT = [
    (
        "Đã trình, kèm Báo cáo số 321/BC-STTTT ngày 10/01/2025",
        ["Báo cáo số 321/BC-STTTT ngày 10/01/2025"],
    ),
    ("Chỉ thị 05-CT/TU và Thông báo 77/TB-VP", ["Chỉ thị số 05-CT/TU", "Thông báo số 77/TB-VP"]),
    ("văn bản 88/SNV-TCBC", ["Văn bản số 88/SNV-TCBC"]),
    ("Thông tư 01/2020/TT-VPCP", ["Thông tư số 01/2020/TT-VPCP"]),
    ("quyết định 1500/QĐ-UBND, ngày 3/7/2025", ["Quyết định số 1500/QĐ-UBND ngày 3/7/2025"]),
]
NOT_NUMBERS = [
    "tiến độ 60%, còn 3/4 hạng mục",
    "họp 1/tháng",
    "ngày 15/3/2024 đã họp",
    "tỷ lệ 2024-03/abc",
    "",
]


@pytest.mark.parametrize(("text", "expected"), TUNING)
def test_tuning_set(text, expected):
    assert [r.text() for r in find_refs(text)] == expected


@pytest.mark.parametrize(("text", "expected"), HELD_OUT)
def test_held_out_set(text, expected):
    assert [r.text() for r in find_refs(text)] == expected


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_numbers_that_are_not_documents(text):
    assert find_refs(text) == []


def test_phones_sending_nfd_still_read():
    text = unicodedata.normalize("NFD", "Quyết định số 123/QĐ-UBND")
    assert find_refs(text) == [DocRef("Quyết định", "123/QĐ-UBND")]


def test_the_stored_line_joins_every_reference():
    refs = find_refs("Kế hoạch 45/KH-UBND; Công văn 9/UBND-VX")
    assert refs_text(refs) == "Kế hoạch số 45/KH-UBND; Công văn số 9/UBND-VX"


def test_a_long_digit_run_is_not_slow_or_a_number():
    assert find_refs("1" * 5000 + "/QĐ-UBND") == []
