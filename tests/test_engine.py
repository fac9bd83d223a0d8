import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.engine import Engine
from knowledge.qa.query import Intent
from knowledge.render import Markup
from knowledge.text import fold


def first(engine: Engine, q: str) -> tuple[str, str]:
    r = engine.ask(q).results[0]
    return r.kind, r.id


def test_direct_answer_comes_first_then_card_then_source(engine):
    answer = engine.ask("Ai chủ trì đề án giám sát phản biện của Mặt trận?")
    lines = answer.text.splitlines()
    assert answer.intent == Intent.LEAD and answer.found
    assert lines[0] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh chủ trì tham mưu nhiệm vụ II.2."
    assert lines[1].startswith("📌 Nhiệm vụ II.2:")
    assert "• Thời gian thực hiện: không ghi" in answer.text
    assert "Nguồn: Phụ lục, mục II.2" in answer.text


@pytest.mark.parametrize(
    ("question", "intent", "line"),
    [
        (
            "han trinh de an nong nghiep huu co",
            Intent.DUE,
            "Thời gian trình nhiệm vụ 1.5: Quý III năm 2021.",
        ),
        (
            "đề án rác thải nhựa thực hiện trong giai đoạn nào",
            Intent.PERIOD,
            "Thời gian thực hiện nhiệm vụ 5.4: 2021 - 2022.",
        ),
        (
            "chiến lược chăn nuôi trình cấp nào cho ý kiến",
            Intent.APPROVAL,
            "Cấp trình cho ý kiến nhiệm vụ 1.4: Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy, "
            "Tỉnh ủy.",
        ),
        (
            "ai ban hành kế hoạch giáo dục lý tưởng cách mạng",
            Intent.ISSUER,
            "Cơ quan ban hành nhiệm vụ II.9: Ban Thường vụ Tỉnh đoàn.",
        ),
        (
            "ai chu tri de an chuyen doi so",
            Intent.LEAD,
            "Ban cán sự đảng Ủy ban nhân dân tỉnh (Ban CSĐ UBND tỉnh) chủ trì tham mưu "
            "nhiệm vụ 5.3.",
        ),
    ],
)
def test_task_field_intents(engine, question, intent, line):
    answer = engine.ask(question)
    assert (answer.intent, answer.text.splitlines()[0]) == (intent, line)


def test_indicator_value_with_siblings_and_source(engine):
    answer = engine.ask("chỉ tiêu che phủ rừng 2025")
    assert answer.intent == Intent.INDICATOR
    assert answer.text.splitlines()[0] == "🎯 Tỷ lệ che phủ rừng năm 2025: trên 46,5%"
    assert answer.text.endswith("Nguồn: mục B.II.3")
    beds = engine.ask("giuong benh tren 1 van dan")
    assert "37,5 giường bệnh" in beds.text.splitlines()[0]
    assert "12,5 bác sĩ" in beds.text  # the sibling target of the same bullet


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("nhiem vu 5.3", ("task", "5.3")),
        ("/nhiemvu II.8", ("task", "II.8")),
        ("de an ii.3", ("task", "II.3")),
        ("NTM", ("indicator", "26")),
        ("tỉ lệ tham gia BHYT", ("indicator", "23")),
        ("KKT Vân Phong nghị quyết", ("task", "2.5")),
        ("ket nap dang vien moi moi nam", ("indicator", "38")),
        ("chuyen doi xo", ("task", "5.3")),
        ("nong thong moi", ("indicator", "26")),
        ("hồ chứa nước Tà Rục", ("passage", "Tà Rục")),
    ],
)
def test_codes_abbreviations_synonyms_typos(engine, question, expected):
    kind, key = first(engine, question)
    if kind == "passage":
        assert expected[1] in engine.passages[key].text
    else:
        assert (kind, key) == expected


def test_list_by_agency(engine):
    answer = engine.ask("Ban Dân vận chủ trì những nhiệm vụ nào")
    assert answer.intent == Intent.BY_AGENCY
    assert [r.id for r in answer.results] == ["II.5", "II.6"]
    assert answer.text.startswith("Ban Dân vận Tỉnh ủy chủ trì tham mưu 2 nhiệm vụ:")


def test_list_by_quarter(engine):
    answer = engine.ask("nhiệm vụ trình quý IV/2020")
    assert answer.intent == Intent.BY_QUARTER
    assert [r.id for r in answer.results] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    none = engine.ask("nhiệm vụ trình quý I năm 2030")
    assert none.found and "không có nhiệm vụ nào" in none.text


def test_list_by_area(engine):
    answer = engine.ask("các chỉ tiêu về môi trường")
    assert answer.intent == Intent.AREA
    assert len(answer.results) == 6
    assert "trên 46,5%" in answer.text


def test_duties_of_a_body(engine):
    answer = engine.ask("HĐND tỉnh có trách nhiệm gì")
    assert answer.intent == Intent.DUTIES
    assert answer.results[0].id == "II"


def test_section_question_lists_its_parts(engine):
    answer = engine.ask("3 vùng động lực gồm những vùng nào")
    assert "Khu vực vịnh Vân Phong" in answer.text and "Thành phố Nha Trang" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "giá vàng hôm nay",
        "thời tiết Nha Trang",
        "kết quả bóng đá",
        "xin chào",
        "hello",
        "12345",
        "công thức nấu phở",
        "Thank you",
        "lịch thi đấu V-League",
    ],
)
def test_out_of_scope_is_not_answered(engine, question):
    answer = engine.ask(question)
    assert not answer.found
    assert "Chưa tìm thấy" in answer.text or "Thử hỏi" in answer.text


def test_not_found_suggests_without_claiming(engine):
    answer = engine.ask("chính sách về cảng hàng không quốc tế và giá vé máy bay")
    assert not answer.found
    assert answer.text.startswith("Chưa tìm thấy nội dung phù hợp")


def test_disambiguation_offers_alternatives(engine):
    answer = engine.ask("nghị quyết chương trình giai đoạn 2021 - 2025")
    assert answer.found
    assert answer.alternatives
    assert all(a.kind == answer.results[0].kind for a in answer.alternatives)


BAD = [
    "",
    "   ",
    "???",
    "😀😀😀",
    "\x00\x01\x1b[31m",
    "a" * 4096,
    "che phủ rừng " * 400,
    'tỷ lệ: 95% AND NEAR( "x" * ^ -y',
    "Привет мир 你好 مرحبا",
    "\u200b\u200e\ufeff",
    "SELECT * FROM tasks; DROP TABLE tasks;--",
    "<b>hi</b> &amp;",
]


@pytest.mark.parametrize("text", BAD)
def test_bad_input_gets_an_answer(engine, text):
    answer = engine.ask(text)
    assert isinstance(answer.text, str) and answer.text
    assert set(answer.to_json()) == {"query", "intent", "found", "answer", "results"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_no_string_raises(engine, text):
    answer = engine.ask(text)
    assert isinstance(answer.found, bool)


SAMPLE = [
    "Tỷ lệ đô thị hóa đến năm 2025",
    "Ai chủ trì Đề án Đổi mới công tác chính trị, tư tưởng",
    "Chiến lược phát triển du lịch trình khi nào",
    "Đảng đoàn Hội đồng nhân dân tỉnh làm gì",
    "thương hiệu nông sản Khánh Hòa",
    "Quy định kiểm soát quyền lực",
    "Số hộ nghèo giảm bao nhiêu",
]


@pytest.mark.parametrize("question", SAMPLE)
def test_folded_and_nfd_queries_find_what_the_diacritic_form_finds(engine, question):
    expected = engine.ask(question)
    for variant in (fold(question), unicodedata.normalize("NFD", question), question.upper()):
        got = engine.ask(variant)
        assert (got.found, got.results[:1]) == (expected.found, expected.results[:1])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SAMPLE), st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_any_normal_form_finds_the_same(engine, question, form):
    assert (
        engine.ask(unicodedata.normalize(form, question)).results[:1]
        == engine.ask(question).results[:1]
    )


class Html:
    def text(self, s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def bold(self, s):
        return f"<b>{self.text(s)}</b>"

    def italic(self, s):
        return f"<i>{self.text(s)}</i>"


def test_markup_is_applied_and_text_escaped(engine, programme):
    from dataclasses import replace

    from knowledge.render import task_card

    markup: Markup = Html()
    answer = engine.ask("ai chủ trì đề án chuyển đổi số", markup)
    assert answer.text.startswith("<b>Ban cán sự đảng")
    assert "<i>Nguồn: Phụ lục, mục 5.3</i>" in answer.text
    hostile = replace(programme.tasks[0], content="<script>alert(1)</script> & co")
    card = task_card(hostile, markup)
    assert "<script>" not in card and "&lt;script&gt;" in card and "&amp; co" in card


def test_card_by_kind_and_key(engine):
    assert engine.card("task", "5.3").startswith("📌 Nhiệm vụ 5.3:")
    assert engine.card("indicator", "30").startswith("🎯 Tỷ lệ che phủ rừng")
    assert engine.card("responsibility", "VI").startswith("📋 Trách nhiệm của Ban Thường vụ")
    assert engine.card("section", "C.I.2.2").startswith("📂 C > I > 2 > 2.2.")
    assert engine.card("task", "9.9") is None


def test_second_programme_answers_its_own_questions(engine_b):
    answer = engine_b.ask("ai chủ trì đề án năng lượng tái tạo")
    assert answer.found and "Ban CSĐ UBND tỉnh" in answer.text
    assert "Quý II/2026" in engine_b.ask("han trinh de an nang luong tai tao").text


@pytest.mark.parametrize(
    "question",
    ["Bình Định đặt chỉ tiêu tăng trưởng GRDP bao nhiêu", "chỉ tiêu che phủ rừng của Gia Lai"],
)
def test_another_province_is_not_this_programme(engine, question):
    answer = engine.ask(question)
    assert not answer.found
    assert "không có nội dung về" in answer.text


def test_province_names_that_are_ordinary_words_do_not_trip(engine):
    # "hòa bình" (peace) is also a province; the programme uses the words.
    assert engine.ask("diễn biến hòa bình trên không gian mạng").found


def test_misspelt_question_words_are_understood(engine):
    answer = engine.ask("moi nam phat trien bao nhiu dang vien")
    assert answer.found and "1.700" in answer.text


@pytest.mark.parametrize(
    "question", ["chương trình hành động ký ngày nào", "ai ký văn bản này", "ai là bí thư tỉnh ủy"]
)
def test_questions_about_the_document_itself(engine, question):
    answer = engine.ask(question)
    assert answer.found
    assert "Ngày ban hành: 21/12/2020." in answer.text
    assert "Người ký: Nguyễn Khắc Định (T/M Tỉnh ủy, Bí thư)." in answer.text


def test_a_task_issued_when_is_not_about_the_document(engine):
    assert engine.ask("nghị quyết phát triển đô thị ban hành khi nào").results[0].id == "2.1"


def test_bodies_that_lead_through_their_party_committee(engine):
    ubnd = engine.browse_agency("UBND tỉnh")
    assert ubnd.text.startswith("Ban cán sự đảng Ủy ban nhân dân tỉnh chủ trì tham mưu 21")
    mttq = engine.browse_agency("MTTQ")
    assert "II.2" in mttq.text
    tinh_uy = engine.browse_agency("Tỉnh ủy")
    assert "không chủ trì nhiệm vụ nào" in tinh_uy.text
    assert "Ban hành 7 nhiệm vụ: 2.1, 2.2, 2.3, 2.4, 2.5, 3.1, II.4." in tinh_uy.text


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # "đề án gi|ám sát" must not read as "đề án gì" (a list question).
        ("Đề án giám sát, phản biện của UB MTTQ do ai ban hành?", Intent.ISSUER),
        ("đề án giáo dục lý tưởng cách mạng trình khi nào", Intent.DUE),
        ("kế hoạch giải quyết việc làm ai chủ trì", Intent.PASSAGE),
    ],
)
def test_intent_phrases_end_at_word_boundaries(engine, question, intent):
    assert engine.ask(question).intent == intent
