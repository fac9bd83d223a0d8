"""The second genre: a UBND implementation plan (tests/fixtures/plan_c.txt)."""

from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from knowledge.errors import ProgrammeFormatError
from knowledge.programme.parser import parse_programme
from knowledge.programme.quarters import deadline_of

FIXTURE = Path(__file__).parent / "fixtures" / "plan_c.txt"


@pytest.fixture(scope="module")
def plan():
    return parse_programme(FIXTURE.read_text("utf-8"))


def test_identity_signer_and_implemented_programme(plan):
    assert (plan.kind, plan.number, plan.issuer, plan.issued) == (
        "plan",
        "45/KH-UBND",
        "Ủy ban nhân dân tỉnh Hải Bình",
        "15/01/2026",
    )
    assert plan.implements == "12-CTr/TU"
    assert plan.title == "Kế hoạch số 45/KH-UBND, ngày 15/01/2026"
    assert plan.subtitle.startswith("Thực hiện Chương trình hành động số 12-CTr/TU")
    assert (plan.signer, plan.signer_title) == ("Trần Minh Quang", "TM. Ủy ban nhân dân, Chủ tịch")


def test_counts(plan):
    assert (len(plan.indicators), len(plan.tasks), len(plan.responsibilities)) == (13, 12, 7)


def test_target_row_keeps_every_year_column(plan):
    assert asdict(plan.indicators[0]) == {
        "id": 1,
        "area": "kinh tế",
        "name": "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP)",
        "subject": "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP)",
        "value": "8,0 - 8,5%",
        "comparator": "từ-đến",
        "low": 8.0,
        "high": 8.5,
        "unit": "%",
        "year": 2030,
        "detail": "",
        "sentence": (
            "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) (%): Thực hiện năm 2025: 7,2%; "
            "Kế hoạch năm 2026: 7,8%; Mục tiêu đến năm 2030: 8,0 - 8,5%."
        ),
        "ref": "II.1",
        "values": {
            "Thực hiện năm 2025": "7,2",
            "Kế hoạch năm 2026": "7,8",
            "Mục tiêu đến năm 2030": "8,0 - 8,5",
        },
    }


def test_group_rows_are_areas_and_comparators_parse(plan):
    assert [i.area for i in plan.indicators].count("xã hội") == 5
    poor = next(i for i in plan.indicators if i.name.startswith("Tỷ lệ hộ nghèo"))
    assert (poor.value, poor.comparator, poor.low, poor.area) == ("dưới 1%", "dưới", 1.0, "xã hội")
    revenue = next(i for i in plan.indicators if i.name.startswith("Tổng thu"))
    assert (revenue.low, revenue.values["Kế hoạch năm 2026"]) == (32000.0, "23.000")


def test_task_row_with_coordinating_bodies_and_product(plan):
    assert asdict(plan.tasks[1]) == {
        "code": "I.2",
        "part": "I",
        "part_title": "Phát triển kinh tế",
        "group": "",
        "content": "Ban hành chính sách hỗ trợ phát triển nông nghiệp ứng dụng công nghệ cao",
        "lead": "Sở NN&MT",
        "approval": "",
        "issuer": "",
        "due": "Tháng 6/2026",
        "period": "",
        "coordinating": "Sở Tài chính, Sở KH&CN",
        "extra": {},
        "position": 2,
        "product": "Nghị quyết của HĐND tỉnh",
    }


def test_numbering_restarts_per_group(plan):
    assert [t.code for t in plan.tasks] == [
        *(f"I.{n}" for n in range(1, 5)),
        *(f"II.{n}" for n in range(1, 5)),
        *(f"III.{n}" for n in range(1, 5)),
    ]


def test_row_broken_across_a_page_break_is_one_task(plan):
    poor = next(t for t in plan.tasks if t.code == "II.3")
    assert poor.content == (
        "Rà soát, bổ sung danh sách hộ nghèo, hộ cận nghèo và thực hiện "
        "các chính sách giảm nghèo bền vững"
    )
    assert poor.coordinating == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, UBND cấp xã"
    assert (poor.due, poor.product) == ("Hằng năm", "Báo cáo kết quả rà soát")


def test_responsibilities_are_numbered_paragraphs(plan):
    first = plan.responsibilities[0]
    assert (first.number, first.subject, first.ref) == ("1", "Sở Tài chính", "IV.1")
    assert plan.responsibilities[3].bodies[:2] == ("Sở Giáo dục và Đào tạo", "Sở Y tế")
    # The closing paragraph of part IV is no responsibility.
    assert [r.number for r in plan.responsibilities] == [str(n) for n in range(1, 8)]


def test_short_forms_are_aliases_of_the_full_names(plan):
    by_name = {a.name: a for a in plan.agencies}
    assert "Sở NN&MT" in by_name["Sở Nông nghiệp và Môi trường"].aliases
    assert "Sở KH&CN" in by_name["Sở Khoa học và Công nghệ"].aliases
    assert "UBND cấp xã" in by_name["Ủy ban nhân dân cấp xã"].aliases
    assert "Sở NN&MT" not in by_name
    assert "Các sở, ban, ngành" in by_name


def test_parts_are_roman_numbered(plan):
    assert [s.title for s in plan.sections if "." not in s.ref] == [
        "MỤC ĐÍCH, YÊU CẦU",
        "CHỈ TIÊU CHỦ YẾU",
        "NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU",
    ]
    assert any(p.ref == "II.13" and "xử lý nước thải" in p.text for p in plan.passages)


@pytest.mark.parametrize(
    ("due", "on", "expected"),
    [
        ("Tháng 6/2026", None, date(2026, 6, 30)),
        ("Tháng 2/2028", None, date(2028, 2, 29)),
        ("Quý III/2026", None, date(2026, 9, 30)),
        ("30/9/2026", None, date(2026, 9, 30)),
        ("15/4/2026", None, date(2026, 4, 15)),
        ("Năm 2027", None, date(2027, 12, 31)),
        ("Hằng năm", None, None),
        ("Hằng năm", date(2026, 3, 1), date(2026, 12, 31)),
        ("hàng năm", date(2027, 12, 31), date(2027, 12, 31)),
        ("31/2/2026", None, None),
        ("Tháng 13/2026", None, None),
        ("Quý II năm 2021", None, date(2021, 6, 30)),
        ("2021 - 2025", None, date(2025, 12, 31)),
    ],
)
def test_every_deadline_form(due, on, expected):
    assert deadline_of(due, on) == expected


def test_every_fixture_deadline_is_understood(plan):
    on = date(2026, 5, 1)
    assert all(deadline_of(t.due, on) is not None for t in plan.tasks)


def test_plan_without_targets_table_says_what_is_missing():
    text = "\n".join(
        line for line in FIXTURE.read_text("utf-8").splitlines() if "Đơn vị tính" not in line
    )
    with pytest.raises(ProgrammeFormatError, match="no targets table"):
        parse_programme(text)
