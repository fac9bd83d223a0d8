from dataclasses import asdict

import pytest

from knowledge.errors import ProgrammeFormatError
from knowledge.programme.model import Indicator, Responsibility, Task
from knowledge.programme.parser import parse_programme
from knowledge.programme.store import bundled_text


def test_counts(programme):
    assert len(programme.tasks) == 29
    assert len(programme.responsibilities) == 6
    assert len(programme.indicators) >= 36
    assert len(programme.passages) >= 120
    assert programme.title == "Chương trình hành động số 08-CTr/TU, ngày 21/12/2020"


def test_task_row_mapped_by_header(programme):
    task = next(t for t in programme.tasks if t.code == "5.4")
    assert task == Task(
        code="5.4",
        part="I",
        part_title="Về phát triển kinh tế - xã hội",
        group=(
            "Giáo dục - đào tạo, y tế, văn hóa, khoa học - công nghệ, lao động, việc làm "
            "và an sinh xã hội"
        ),
        content="Đề án Chống rác thải nhựa trên địa bàn tỉnh Khánh Hòa giai đoạn 2021 - 2025",
        lead="Ban CSĐ UBND tỉnh",
        approval="Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy",
        issuer="UBND tỉnh",
        due="Quý II năm 2021",
        period="2021 - 2022",
        coordinating="",
        extra={},
        position=20,
    )


def test_part_two_codes_and_empty_cells(programme):
    codes = [t.code for t in programme.tasks]
    assert codes[:6] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
    assert codes[-9:] == [f"II.{n}" for n in range(1, 10)]
    assert sum(t.part == "I" for t in programme.tasks) == 20
    ii2 = next(t for t in programme.tasks if t.code == "II.2")
    assert ii2.period == ""
    assert ii2.lead == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert ii2.group == ""


def test_indicator_row(programme):
    forest = next(i for i in programme.indicators if "che phủ rừng" in i.name)
    assert forest == Indicator(
        id=forest.id,
        area="tài nguyên, môi trường và phát triển bền vững",
        name="Tỷ lệ che phủ rừng năm 2025",
        subject="Tỷ lệ che phủ rừng năm 2025",
        value="trên 46,5%",
        comparator="trên",
        low=46.5,
        high=46.5,
        unit="%",
        year=2025,
        detail="",
        sentence="Tỷ lệ che phủ rừng năm 2025 đạt trên 46,5%.",
        ref="B.II.3",
    )


@pytest.mark.parametrize(
    ("value", "comparator", "low", "high", "unit"),
    [
        ("từ 8 - 8,5%", "từ-đến", 8.0, 8.5, "%"),
        ("5.685 USD", "đạt", 5685.0, 5685.0, "USD"),
        ("2 tỷ USD", "đạt", 2.0, 2.0, "tỷ USD"),
        ("gấp 2,2 lần", "gấp", 2.2, 2.2, "lần"),
        ("dưới 3,8%", "dưới", 3.8, 3.8, "%"),
        ("giảm 1/2", "giảm", 0.5, 0.5, ""),
        ("trên 360 nghìn tỷ đồng", "trên", 360.0, 360.0, "nghìn tỷ đồng"),
        ("từ 1.700 đồng chí trở lên", "ít nhất", 1700.0, 1700.0, "đồng chí"),
    ],
)
def test_values_kept_as_written(programme, value, comparator, low, high, unit):
    ind = next(i for i in programme.indicators if i.value == value)
    assert (ind.comparator, ind.low, ind.high, ind.unit) == (comparator, low, high, unit)


def test_bullet_with_several_targets(programme):
    structure = [i for i in programme.indicators if i.sentence.startswith("Cơ cấu kinh tế")]
    assert [i.value for i in structure] == ["52,6%", "31,1%", "7,8%"]
    assert [i.name for i in structure][1:] == [
        "công nghiệp, xây dựng",
        "giảm tỷ trọng các ngành nông, lâm, thủy sản",
    ]
    health = [i for i in programme.indicators if "bác sĩ" in i.sentence]
    assert [(i.value, i.detail) for i in health] == [
        ("12,5 bác sĩ trên 10.000 dân", "10 bác sĩ công lập"),
        ("37,5 giường bệnh trên 10.000 dân", "33,5 giường công lập"),
    ]


def test_areas(programme):
    assert list(dict.fromkeys(i.area for i in programme.indicators)) == [
        "kinh tế",
        "văn hóa - xã hội",
        "tài nguyên, môi trường và phát triển bền vững",
        "xây dựng Đảng",
    ]


def test_responsibility_row(programme):
    assert programme.responsibilities[1] == Responsibility(
        number="II",
        subject="Đảng đoàn Hội đồng nhân dân tỉnh",
        bodies=("Đảng đoàn Hội đồng nhân dân tỉnh",),
        text=(
            "Đảng đoàn Hội đồng nhân dân tỉnh lãnh đạo cụ thể hóa Chương trình hành động của "
            "Tỉnh ủy bằng các nghị quyết của Hội đồng nhân dân tỉnh và kiểm tra, giám sát việc "
            "thực hiện các nghị quyết đã đề ra."
        ),
        ref="D.II",
    )
    assert [r.number for r in programme.responsibilities] == ["I", "II", "III", "IV", "V", "VI"]


def test_page_break_fragments_are_joined(programme):
    d3 = programme.responsibilities[2]
    assert "các mục tiêu, nhiệm vụ" in d3.text and "cấp bách" in d3.text
    joined = next(p for p in programme.passages if "phát huy sức mạnh toàn dân," in p.text)
    assert "củng cố lòng tin" in joined.text
    assert not any(p.text[0].islower() for p in programme.passages)


def test_passage_paths(programme):
    ta_ruc = next(p for p in programme.passages if "Tà Rục" in p.text)
    assert (ta_ruc.path, ta_ruc.ref) == ("C > I > 2 > 2.2 > b) Khu vực vịnh Cam Ranh", "C.I.2.2.b")
    rice = next(p for p in programme.passages if "mía tím" in p.text)
    assert rice.path == "C > I > 1 > 1.3. Nông, lâm, thủy sản"


def test_stamp_is_not_a_passage(programme):
    assert not any("653(BCS)" in p.text or p.text == "Chuyển" for p in programme.passages)


def test_agencies_merge_spellings(programme):
    by_name = {a.name: a for a in programme.agencies}
    csd = by_name["Ban cán sự đảng Ủy ban nhân dân tỉnh"]
    assert "Ban CSĐ UBND tỉnh" in csd.aliases
    assert "Tỉnh đoàn" in by_name["Ban Thường vụ Tỉnh đoàn"].aliases
    assert "Đảng đoàn Hội đồng nhân dân tỉnh" in by_name
    assert "UBND tỉnh" in by_name["Ủy ban nhân dân tỉnh"].aliases


def test_second_programme_loads_without_code_changes(programme_b):
    assert programme_b.title.startswith("Chương trình hành động số 15-CTr/TU")
    assert len(programme_b.tasks) == 12
    assert len(programme_b.responsibilities) == 5
    assert len(programme_b.indicators) >= 20
    first = programme_b.tasks[0]
    assert asdict(first) | {"content": ""} == {
        "code": "1.1",
        "part": "I",
        "part_title": "Về phát triển kinh tế - xã hội, môi trường",
        "group": "Phát triển Ninh Thuận trở thành trung tâm năng lượng tái tạo của cả nước",
        "content": "",
        "lead": "Ban CSĐ UBND tỉnh",
        "approval": "Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy, Tỉnh ủy",
        "issuer": "Tỉnh ủy",
        "due": "Quý II/2026",
        "period": "2026 - 2030",
        "coordinating": "Sở Công Thương, Sở Tài chính",
        "extra": {},
        "position": 1,
        "product": "",
    }
    assert [t.code for t in programme_b.tasks][-5:] == [f"II.{n}" for n in range(1, 6)]
    assert any(t.period == "" for t in programme_b.tasks)
    assert [r.number for r in programme_b.responsibilities] == ["1", "2", "3", "4", "5"]


def test_unknown_column_is_kept_as_extra():
    text = bundled_text().replace("Thời gian thực hiện\n", "Thời gian thực hiện\tGhi chú\n")
    text = text.replace("2021 - 2022\n", "2021 - 2022\tthí điểm\n", 1)
    tasks = parse_programme(text).tasks
    assert tasks[19].extra == {"Ghi chú": "thí điểm"}


@pytest.mark.parametrize(
    ("text", "message", "vi"),
    [
        ("", "no lettered parts", "không thấy các phần A, B, C"),
        (
            "Công thức nấu phở bò\n\nNước dùng ninh xương 8 tiếng.",
            "no lettered parts",
            "không thấy các phần A, B, C",
        ),
        (bundled_text().split("PHỤ LỤC")[0], "no appendix", "không thấy phụ lục"),
        (
            bundled_text().replace("CHỈ TIÊU", "ĐỊNH HƯỚNG").replace("Chỉ tiêu", "Định hướng"),
            "no targets",
            "không thấy chỉ tiêu",
        ),
        (
            bundled_text().replace("STT\t", "Số\t"),
            "no column",
            "dòng tiêu đề của bảng phụ lục thiếu",
        ),
    ],
)
def test_not_this_genre_names_what_is_missing(text, message, vi):
    """In English for the command line, in Vietnamese (``vi``) for the bot's users."""
    with pytest.raises(ProgrammeFormatError, match=message) as raised:
        parse_programme(text)
    assert raised.value.vi.startswith(vi)


def test_date_and_signature(programme, programme_b):
    assert (programme.issued, programme.signer, programme.signer_title) == (
        "21/12/2020",
        "Nguyễn Khắc Định",
        "T/M Tỉnh ủy, Bí thư",
    )
    # The second programme's stamp says 17/11/2025; its own date line says 10 November.
    assert (programme_b.issued, programme_b.signer) == ("10/11/2025", "Lâm Quang Hiếu")


def test_agencies_parse_the_same_under_every_hash_seed() -> None:
    """Aliases come in one order whatever ``PYTHONHASHSEED`` the process got."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from pathlib import Path; from knowledge.programme.parser import parse_programme; "
        "print(repr(parse_programme(Path('tests/fixtures/programme_b.txt')"
        ".read_text('utf-8')).agencies))"
    )
    root = Path(__file__).resolve().parents[1]
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in (0, 4, 5)
    }
    assert len(outs) == 1
