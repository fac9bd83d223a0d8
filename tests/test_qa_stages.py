"""Each pipeline stage on its own: normalising, understanding, retrieving, composing."""

from __future__ import annotations

from knowledge.programme.model import Task
from knowledge.qa.answer import Answer
from knowledge.qa.compose.listing import describe, task_list_answer
from knowledge.qa.compose.parts import join_parts
from knowledge.qa.lexicon import expand
from knowledge.qa.normalise import decode_telex, is_telex, question_sentences, split_parts
from knowledge.qa.retrieve import filter_tasks
from knowledge.qa.understand import Ask, Filters, body_roles, understand
from knowledge.text import fold


def _task(code: str, **kw: str) -> Task:
    fields = {
        "part": "I",
        "part_title": "",
        "group": "",
        "content": f"Đề án {code}",
        "lead": "Ban CSĐ UBND tỉnh",
        "approval": "Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy",
        "issuer": "UBND tỉnh",
        "due": "Quý II năm 2021",
        "period": "2021 - 2025",
    }
    fields.update(kw)
    return Task(code=code, coordinating="", extra={}, position=1, **fields)


TASKS = [
    _task("1.1"),
    _task("1.2", issuer="Tỉnh ủy", due="Quý IV năm 2022", period="2021 - 2022"),
    _task("II.1", part="II", issuer="Ban Thường vụ Tỉnh ủy", approval="Ban Thường vụ Tỉnh ủy"),
    _task("II.2", part="II", due="2021 - 2025", lead="Ban Tuyên giáo Tỉnh ủy"),
]
BODIES = {"tinh uy": "Tỉnh ủy", "ban thuong vu tinh uy": "Ban Thường vụ Tỉnh ủy"}


def _bodies(folded: str) -> str:
    for key in sorted(BODIES, key=len, reverse=True):
        if key in folded:
            return BODIES[key]
    return ""


# -- normalise ---------------------------------------------------------------------------


def test_telex_lines_are_decoded_to_folded_syllables() -> None:
    assert decode_telex("ddeef ans choongs racs thair nhuwaj ai chur trif vaayj") == (
        "de an chong rac thai nhua ai chu tri vay"
    )
    assert decode_telex("tyr leej thaats nghieepj nawm 2025") == "ty le that nghiep nam 2025"


def test_plain_lines_are_not_telex() -> None:
    for line in (
        "nhung de an nao do ban thuong vu tinh uy ban hanh",
        "btv tỉnh ủy là cq ban hành bn đề án z ad",
        "ty le ho ngheo cua tinh nam 2020 la bao nhieu %",
        "GRDP binh quan dau nguoi nam 2025 dat 5.685 USD dung ko",
    ):
        assert not is_telex(line), line
        assert decode_telex(line) == line


def test_long_messages_are_reduced_to_the_question() -> None:
    message = (
        "Em là cán bộ xã. Xã đang làm báo cáo. Năm ngoái bị nhắc vì số liệu. "
        "Cho em hỏi tỷ lệ hộ nghèo giảm bao nhiêu ạ?"
    )
    assert question_sentences(message) == "Cho em hỏi tỷ lệ hộ nghèo giảm bao nhiêu ạ?"
    assert question_sentences("Ai chủ trì đề án 5.3?") == "Ai chủ trì đề án 5.3?"


def test_two_questions_are_split_at_the_question_mark() -> None:
    assert split_parts("A đạt bao nhiêu? B gấp mấy lần?") == ["A đạt bao nhiêu?", "B gấp mấy lần?"]
    assert split_parts("A đạt bao nhiêu?") == ["A đạt bao nhiêu?"]


# -- understand --------------------------------------------------------------------------


def test_a_reverse_question_names_the_body_and_its_role() -> None:
    q = understand("những đề án nào do BTV tỉnh ủy ban hành", _bodies)
    assert q.ask == Ask.LIST
    assert q.filters == Filters(body="Ban Thường vụ Tỉnh ủy", role="issuer")


def test_a_body_without_a_role_word_is_not_a_filter() -> None:
    q = understand("Ban Thường vụ Tỉnh ủy có nhiệm vụ gì", _bodies)
    assert q.filters.body == ""
    assert q.ask == Ask.RECORD


def test_a_status_question_reads_a_bare_body_as_the_lead() -> None:
    q = understand("Ban Thường vụ Tỉnh ủy có nv nào quá hạn chưa ạ", _bodies)
    assert q.ask == Ask.PROGRESS
    assert q.filters == Filters(body="Ban Thường vụ Tỉnh ủy", role="lead", status="overdue")


def test_more_progress_phrasings_are_progress_questions() -> None:
    for text in (
        "Nhiệm vụ II.7 đã có báo cáo kết quả chưa?",
        "nv 1.4 ve chan nuoi co ai bao cao gi chua",
        "nhiem vu II.3 cua ban tuyen giao dang o buoc nao",
        "đề án đào tạo giáo viên đang tiến triển thế nào",
    ):
        assert understand(text, _bodies).ask == Ask.PROGRESS, text


def test_a_count_of_a_kind_of_document_filters_by_title() -> None:
    q = understand("có mấy nghị quyết trong phụ lục v ạ", _bodies)
    assert q.ask == Ask.COUNT and q.filters == Filters(kind="nghi quyet")
    tasks = [_task("1.1"), _task("2.1", content="Nghị quyết về đô thị")]
    assert [t.code for t in filter_tasks(tasks, q.filters)] == ["2.1"]
    assert understand("có bao nhiêu nhiệm vụ", _bodies).filters.kind == ""


def test_a_group_of_part_one_by_number_or_ordinal() -> None:
    assert understand("Phần I nhóm 5 có mấy nhiệm vụ?", _bodies).filters.group == 5
    first = understand("Nhóm nhiệm vụ đầu tiên của phần I có bao nhiêu nhiệm vụ?", _bodies)
    assert first.filters.group == 1
    tasks = [_task("1.1"), _task("1.2"), _task("5.1"), _task("II.1", part="II")]
    assert [t.code for t in filter_tasks(tasks, first.filters)] == ["1.1", "1.2"]


def test_a_body_can_be_excluded() -> None:
    q = understand(
        "Ngoài Ban Thường vụ Tỉnh ủy, còn bao nhiêu nhiệm vụ do cơ quan khác ban hành", _bodies
    )
    assert q.filters.exclude and q.filters.role == "issuer"
    assert [t.code for t in filter_tasks(TASKS, q.filters)] == ["1.1", "1.2", "II.2"]
    assert describe(q.filters) == "không do Ban Thường vụ Tỉnh ủy ban hành"


def test_counts_parts_years_periods_and_checks() -> None:
    assert understand("phần II có bao nhiêu nhiệm vụ", _bodies).filters.part == "II"
    assert understand("phần II có bao nhiêu nhiệm vụ", _bodies).ask == Ask.COUNT
    assert understand("nhiệm vụ nào trình trong năm 2022", _bodies).filters.year == 2022
    q = understand("Đề án nào có thời gian thực hiện 2021 - 2022?", _bodies)
    assert (q.ask, q.filters.period) == (Ask.LIST, "2021 2022")
    check = understand("tỷ lệ lao động qua đào tạo là 80% phải không?", _bodies)
    assert (check.ask, check.guess) == (Ask.CHECK, "80")


def test_the_question_is_immutable() -> None:
    q = understand("phần II có bao nhiêu nhiệm vụ", _bodies)
    try:
        q.ask = Ask.LIST  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("Question must be frozen")


# -- retrieve ----------------------------------------------------------------------------


def test_filter_by_body_and_role() -> None:
    codes = [t.code for t in filter_tasks(TASKS, Filters(body="Tỉnh ủy", role="issuer"))]
    assert codes == ["1.2"]
    only = Filters(body="Ban Thường vụ Tỉnh ủy", role="approval", only=True)
    assert [t.code for t in filter_tasks(TASKS, only)] == ["II.1"]
    named = Filters(body="Ban Thường vụ Tỉnh ủy", role="approval")
    assert [t.code for t in filter_tasks(TASKS, named)] == ["1.1", "1.2", "II.1", "II.2"]


def test_filter_by_year_part_period_and_whole_term() -> None:
    assert [t.code for t in filter_tasks(TASKS, Filters(year=2022))] == ["1.2"]
    assert [t.code for t in filter_tasks(TASKS, Filters(part="II"))] == ["II.1", "II.2"]
    assert [t.code for t in filter_tasks(TASKS, Filters(period="2021 2022"))] == ["1.2"]
    whole = Filters(period="2021 2025", whole_term=True)
    assert [t.code for t in filter_tasks(TASKS, whole)] == ["II.2"]


# -- compose -----------------------------------------------------------------------------


def test_a_count_says_the_number_first_then_the_list() -> None:
    q = understand("phần II có bao nhiêu nhiệm vụ", _bodies)
    answer = task_list_answer(q, TASKS[2:], lambda kind, key: key, _plain())
    lines = answer.text.splitlines()
    assert lines[0] == "Có 2 nhiệm vụ thuộc phần II của Phụ lục:"
    assert lines[1].startswith("• II.1 — Đề án II.1")
    assert [r.id for r in answer.results] == ["II.1", "II.2"]


def test_describe_filters() -> None:
    assert describe(Filters(body="Tỉnh ủy", role="issuer", year=2022)) == (
        "do Tỉnh ủy ban hành, trình trong năm 2022"
    )


def test_parts_are_joined_in_order_and_found_if_any_is() -> None:
    a = Answer("q", "indicator", True, "một")
    b = Answer("q", "passage", False, "hai")
    joined = join_parts([a, b])
    assert (joined.text, joined.found, joined.intent) == ("một\n\nhai", True, "indicator")


def _plain():  # type: ignore[no-untyped-def]
    from knowledge.render import PLAIN

    return PLAIN


# -- topics ------------------------------------------------------------------------------


def test_a_topic_question_collects_the_sector_targets() -> None:
    from knowledge.qa.topics import asks_topic, topic_targets

    assert asks_topic("cac chi tieu ve y te den nam 2025 la gi") == "y te"
    assert asks_topic("chi tieu che phu rung 2025") == ""
    # "cơ cấu kinh tế" holds "kinh tế": one topic, not several.
    assert asks_topic("ty trong dich vu trong co cau kinh te chiem bao nhieu") == ""
    doctors = _indicator(1, "văn hóa - xã hội", "bác sĩ trên 10.000 dân")
    forest = _indicator(2, "tài nguyên, môi trường", "Tỷ lệ che phủ rừng năm 2025")
    assert topic_targets([doctors, forest], "y te") == [doctors]
    assert topic_targets([doctors, forest], "moi truong") == [forest]


def _indicator(id_: int, area: str, name: str):  # type: ignore[no-untyped-def]
    from knowledge.programme.model import Indicator

    return Indicator(id_, area, name, name, "1%", "đạt", 1.0, 1.0, "%", 2025, "", name, "B")


# -- decide ------------------------------------------------------------------------------


def test_a_year_the_document_does_not_give_is_refused_with_the_year_it_gives() -> None:
    from knowledge.programme.model import Indicator
    from knowledge.qa.decide import missing_year
    from knowledge.render import PLAIN

    ind = Indicator(
        2,
        "kinh tế",
        "GRDP bình quân đầu người năm 2025",
        "GRDP bình quân đầu người năm 2025",
        "5.685 USD",
        "đạt",
        5685.0,
        5685.0,
        "USD",
        2025,
        "",
        "GRDP bình quân đầu người năm 2025 đạt 5.685 USD.",
        "B.II.1",
    )
    asked = understand("GRDP bình quân đầu người năm 2030 đạt bao nhiêu?", _bodies)
    refusal = missing_year(asked, ind, PLAIN)
    assert refusal is not None and not refusal.found
    assert refusal.text == (
        "Chương trình không đặt chỉ tiêu GRDP bình quân đầu người cho năm 2030; "
        "chỉ tiêu năm 2025 là 5.685 USD."
    )
    given = understand("GRDP bình quân đầu người năm 2025 đạt bao nhiêu?", _bodies)
    assert missing_year(given, ind, PLAIN) is None


def test_a_body_the_programme_does_not_name_is_refused() -> None:
    from knowledge.qa.decide import unknown_body
    from knowledge.render import PLAIN

    police = understand("Công an tỉnh chủ trì tham mưu nhiệm vụ nào", _bodies)
    assert unknown_body(police, PLAIN) is not None
    task = understand("chuong trinh chuyen doi so co quan chu tri", _bodies)
    assert unknown_body(task, PLAIN) is None


# -- check -------------------------------------------------------------------------------


def test_a_check_asks_the_plain_question_without_the_guess() -> None:
    from knowledge.qa.compose.check import plain_question

    def spans(folded: str) -> list[tuple[int, int, str]]:
        at = folded.find("uy ban nhan dan tinh")
        return [(at, at + 20, "UBND tỉnh")] if at >= 0 else []

    assert plain_question("ty le lao dong qua dao tao la 80% phai khong", spans) == (
        "ty le lao dong qua dao tao bao nhieu"
    )
    assert plain_question(
        "de an kinh te bien do uy ban nhan dan tinh ban hanh phai khong", spans
    ) == ("de an kinh te bien do ai ban hanh")


def test_a_wrong_guess_is_corrected_with_the_figure() -> None:
    from knowledge.programme.model import Indicator
    from knowledge.qa.compose.check import verdict
    from knowledge.render import PLAIN

    ind = Indicator(
        18,
        "văn hóa - xã hội",
        "tỷ lệ lao động qua đào tạo",
        "x",
        "85%",
        "đạt",
        85.0,
        85.0,
        "%",
        2025,
        "",
        "x",
        "B",
    )
    answer = Answer("q", "indicator", True, "card")
    wrong = verdict(answer, ind, "", "80", lambda f: [], PLAIN)
    assert wrong.text == "Chưa đúng. Theo chương trình, tỷ lệ lao động qua đào tạo: 85%.\ncard"
    right = verdict(answer, ind, "", "85", lambda f: [], PLAIN)
    assert right.text.startswith("Đúng. ")


def test_two_subjects_asked_together_share_the_question() -> None:
    from knowledge.qa.normalise import conjunction_split, count_split

    assert conjunction_split("Tỉ lệ che phủ rừng vs tỉ lệ đô thị hoá năm 2025 là bao nhiêu?") == (
        "Tỉ lệ che phủ rừng năm 2025 là bao nhiêu?",
        "tỉ lệ đô thị hoá năm 2025 là bao nhiêu?",
    )
    assert conjunction_split("đề án nông nghiệp hữu cơ ai chủ trì") is None
    assert count_split("phần I có mấy nhiệm vụ, phần II có mấy nhiệm vụ?") == (
        "phần I có mấy nhiệm vụ",
        "phần II có mấy nhiệm vụ?",
    )
    assert count_split("đề án A trình lúc nào, ai ban hành") is None


def test_a_conjunction_inside_the_found_record_name_is_one_subject() -> None:
    from knowledge.qa.normalise import joined_in

    question = "nghi quyet ve ha tang truyen tai dien va luu tru nang luong trinh khi nao"
    record = "Nghị quyết về phát triển hạ tầng truyền tải điện và hệ thống lưu trữ năng lượng"
    assert joined_in(question, record)  # two words between "và" and the subject are allowed
    assert not joined_in(question, "Nghị quyết về hạ tầng truyền tải điện đến năm 2030")
    assert not joined_in(question, "… điện và các công trình khác, kho lưu trữ năng lượng")
    two = "Tỉ lệ che phủ rừng vs tỉ lệ đô thị hoá năm 2025 là bao nhiêu?"
    assert not joined_in(two, "Tỷ lệ che phủ rừng năm 2025 đạt trên 46,5%.")
    assert not joined_in("đề án nông nghiệp hữu cơ ai chủ trì", "nông nghiệp và hữu cơ")


def test_the_typo_stage_fixes_topic_syllables_and_keeps_intent_words(engine) -> None:  # type: ignore[no-untyped-def]
    from knowledge.qa.query import intent_vocabulary
    from knowledge.qa.typos import TypoCorrector

    fix = TypoCorrector(engine.index, intent_vocabulary())
    assert fix(["chi", "tiu", "tang", "truong"]) == ["chi", "tieu", "tang", "truong"]
    assert fix(["de", "an", "nao"]) == ["de", "an", "nao"]


def test_understanding_names_the_topic_and_the_kind_of_record() -> None:
    q = understand("Các chỉ tiêu về y tế đến năm 2025 là gì?", _bodies)
    assert (q.topic, q.kind, q.ask) == (("y te",), "indicator", Ask.RECORD)
    task = understand("đề án chuyển đổi số ai chủ trì", _bodies)
    assert (task.topic, task.kind) == ((), "task")


def test_a_guessed_submission_quarter_is_judged() -> None:
    from knowledge.qa.compose.check import plain_question, verdict
    from knowledge.render import PLAIN

    folded = "chien luoc du lich trinh vao quy ii nam 2021 dung khong"
    assert plain_question(folded, lambda f: []) == "chien luoc du lich trinh khi nao"
    task = _task("1.2", due="Quý III năm 2021")
    answer = Answer("q", "due", True, "card")
    judged = verdict(answer, task, folded, "", lambda f: [], PLAIN)
    assert judged.text.startswith("Chưa đúng. Theo chương trình, thời gian trình nhiệm vụ 1.2")


# -- the document itself -------------------------------------------------------------------


def test_questions_about_the_document_are_read_from_its_headings(engine) -> None:  # type: ignore[no-untyped-def]
    parts = engine.ask("Chương trình hành động này gồm những phần lớn nào?")
    assert parts.intent == "document" and "MỤC ĐÍCH, YÊU CẦU" in parts.text
    assert "Tổ chức thực hiện" in parts.text and "29 nhiệm vụ" in parts.text
    purpose = engine.ask("Văn bản này được xây dựng nhằm những mục đích nào?")
    assert purpose.intent == "document" and "mục A.I" in purpose.text
    term = engine.ask("chương trình hành động này áp dụng cho nhiệm kỳ nào")
    assert "nhiệm kỳ 2020 - 2025" in term.text
    columns = engine.ask("phụ lục theo dõi mỗi nhiệm vụ theo những cột nào")
    assert "Cơ quan ban hành" in columns.text and "Thời gian thực hiện" in columns.text


def test_a_verb_that_looks_like_a_heading_is_not_a_document_question(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask("Chương trình yêu cầu củng cố, kiện toàn bộ máy nào trong kiểm tra?")
    assert answer.intent != "document"


def test_a_loose_kind_word_counts_every_task_unless_the_title_is_meant() -> None:
    assert understand("btv tỉnh ủy ban hành bn đề án", _bodies).filters.kind == ""
    title = understand("phụ lục có bao nhiêu đề án (tên bắt đầu bằng chữ Đề án)?", _bodies)
    assert title.filters.kind == "de an"


def test_two_fields_of_one_subject_are_two_parts() -> None:
    assert split_parts("nv 3.2 ai chủ trì, cq nào ban hành z") == [
        "nv 3.2 ai chủ trì",
        "cq nào ban hành z",
    ]
    assert split_parts("đề án X trình khi nào và ai ban hành?") == [
        "đề án X trình khi nào",
        "ai ban hành?",
    ]
    # A list of subjects is not two fields.
    assert split_parts("chỉ tiêu nước sạch và che phủ rừng") == [
        "chỉ tiêu nước sạch và che phủ rừng"
    ]


def test_two_fields_are_answered_of_the_same_task(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask("nv 3.2 ai chủ trì, cq nào ban hành z")
    assert answer.found and "chủ trì tham mưu nhiệm vụ 3.2" in answer.text
    assert "Cơ quan ban hành nhiệm vụ 3.2: UBND tỉnh" in answer.text


def test_a_body_that_only_ends_like_a_known_one_is_another_body(engine) -> None:  # type: ignore[no-untyped-def]
    unknown = engine.ask("Ban Kinh tế Tỉnh ủy chủ trì mấy nhiệm vụ trong phụ lục?")
    assert not unknown.found and "không giao nhiệm vụ nào" in unknown.text
    misspelt = engine.ask("Ban Nội chánh tỉnh ủy chủ trì nhiệm vụ nào")
    assert misspelt.found and "II.8" in misspelt.text
    issued = engine.ask("Những nhiệm vụ nào có cơ quan ban hành là Tỉnh ủy?")
    assert issued.found


def test_each_body_gets_the_role_its_own_words_give(engine) -> None:  # type: ignore[no-untyped-def]
    spans = engine.agencies.spans
    text = "nhung nhiem vu nao phai trinh hoi nghi tinh uy nhung lai do ubnd tinh ban hanh"
    assert body_roles(expand(fold(text)), spans) == [
        ("Tỉnh ủy", "approval"),
        ("Ủy ban nhân dân tỉnh", "issuer"),
    ]
    both = "trinh cho y kien chi o thuong truc vs ban thuong vu ma co quan ban hanh la ubnd tinh"
    assert [r for _, r in body_roles(expand(fold(both)), spans)] == [
        "approval",
        "approval",
        "issuer",
    ]


def test_two_bodies_in_two_roles_filter_together() -> None:
    q = Filters(body="Ban CSĐ UBND tỉnh", role="lead", also=(("Tỉnh ủy", "issuer"),))
    tasks = [_task("1.1"), _task("1.2", issuer="Tỉnh ủy"), _task("II.2", lead="Ban Tuyên giáo")]
    assert [t.code for t in filter_tasks(tasks, q)] == ["1.2"]
    assert describe(q).endswith("chủ trì tham mưu, do Tỉnh ủy ban hành")


def test_a_column_asked_of_a_list_is_summed_up(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask("Những nhiệm vụ trình Quý IV năm 2020 là bao nhiêu, cơ quan nào ban hành?")
    assert "Cơ quan ban hành: Tỉnh ủy (5 nhiệm vụ)." in answer.text


def test_a_polite_opening_is_a_filler(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask("bác cho cháu hỏi tỷ lệ dân được dùng nước sạch đến 2025 là bao nhiêu ạ")
    assert answer.found and "70%" in answer.text


def test_a_passage_without_the_figure_or_time_asked_is_a_near_miss() -> None:
    from knowledge.qa.decide import unstated_in_passage
    from knowledge.render import PLAIN

    power = understand("Nhà máy nhiệt điện X có công suất bao nhiêu MW?", _bodies)
    plain = "Kêu gọi đầu tư Nhà máy nhiệt điện X theo Kết luận số 53-KL/TW, ngày 24/12/2012."
    refused = unstated_in_passage(power, plain, PLAIN)
    assert refused is not None and not refused.found
    assert unstated_in_passage(power, "Nhà máy nhiệt điện X công suất 1.320 MW.", PLAIN) is None
    when = understand("Khi nào khởi công cầu Y?", _bodies)
    assert unstated_in_passage(when, "Triển khai dự án cầu Y.", PLAIN) is not None
    assert unstated_in_passage(when, "Khởi công cầu Y trong năm 2022.", PLAIN) is None
    # "bộ máy", "nhà máy" do not ask an amount.
    body = understand("Chương trình yêu cầu kiện toàn bộ máy nào?", _bodies)
    assert unstated_in_passage(body, "Kiện toàn ủy ban kiểm tra các cấp.", PLAIN) is None


def test_who_holds_an_office_is_not_in_the_programme(engine) -> None:  # type: ignore[no-untyped-def]
    answer = engine.ask("Giám đốc Sở Y tế hiện nay là ai?")
    assert not answer.found and "không nêu tên người giữ chức vụ" in answer.text
    signer = engine.ask("ai ký chương trình hành động 08")
    assert signer.found and "Nguyễn Khắc Định" in signer.text


def test_member_and_per_capita_synonyms() -> None:
    assert (
        expand(fold("các đ/c Tỉnh ủy viên")) == "cac dong chi uy vien ban chap hanh dang bo tinh"
    )
    assert expand(fold("thu nhập trên mỗi người dân")).endswith("binh quan dau nguoi")


def test_a_known_place_followed_by_la_is_not_another_province(engine) -> None:  # type: ignore[no-untyped-def]
    inside = engine.ask("mức giảm tỷ lệ hộ nghèo mỗi năm của huyện Khánh Sơn là bao nhiêu?")
    assert "Sơn La" not in inside.text
    other = engine.ask("tỷ lệ hộ nghèo của tỉnh Sơn La là bao nhiêu?")
    assert not other.found and "Sơn La" in other.text


def test_a_parsed_question_is_the_callers_own() -> None:
    """Parsing is shared between documents; a stage refining its topic changes no other's."""
    from knowledge.qa.query import parse_query

    first = parse_query("đề án chuyển đổi số ai chủ trì")
    first.topic[:] = ["khac"]
    first.intent = "passage"
    again = parse_query("đề án chuyển đổi số ai chủ trì")
    assert again.topic == ["de", "an", "chuyen", "doi", "so"] and again.intent == "lead"
    assert again is not first


def test_understanding_depends_on_each_documents_bodies() -> None:
    from knowledge.qa.understand import understand

    text = "Sở Nội vụ chủ trì những nhiệm vụ nào"
    here = understand(text, lambda folded: "Sở Nội vụ" if "so noi vu" in folded else "")
    elsewhere = understand(text, lambda folded: "")
    assert here.filters.body == "Sở Nội vụ" and elsewhere.filters.body == ""
