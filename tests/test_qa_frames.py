"""Question frames, split-word matches, a body's duty on a topic, the closing blocks."""

from __future__ import annotations

import pytest

from knowledge.engine import Engine
from knowledge.programme.closing import appendix_title, closing_passages, recipients
from knowledge.qa.families.search import apart as _apart
from knowledge.qa.index import Entry, Field, Hit
from knowledge.qa.lexicon import expand
from knowledge.qa.query import parse_query
from knowledge.qa.retrieve import RANKING


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Chương trình đặt ra yêu cầu gì về bầu cử", ["ve", "bau", "cu"]),
        ("chuong trinh xac dinh may vung dong luc", ["vung", "dong", "luc"]),
        (
            "phong trào nào được nhắc trong phần công tác dân vận",
            ["phong", "trao", "cong", "tac", "dan", "van"],
        ),
        ("Ban Dân vận làm gì để thực hiện chương trình", ["ban", "dan", "van"]),
        ("sau khi tổng kết thì nhằm mục đích gì", ["tong", "ket", "thi"]),
    ],
)
def test_the_document_as_the_frame_of_a_question_is_not_its_topic(
    question: str, topic: list[str]
) -> None:
    assert parse_query(question).topic == topic


def test_a_programme_named_as_content_stays_in_the_topic() -> None:
    assert parse_query("ai chủ trì chương trình chuyển đổi số").topic[:2] == ["chuong", "trinh"]


def _hit(words: str, matched: set[str]) -> Hit:
    return Hit(Entry("passage", "1", (Field(1.0, tuple(words.split())),)), 0.6, frozenset(matched))


def test_syllables_found_only_in_other_words_weigh_less() -> None:
    apart = _hit("thu nhap va xuat khau", {"nhap", "khau"})
    together = _hit("kim ngach nhap khau", {"nhap", "khau"})
    assert _apart(apart, {"nhap khau"}) == RANKING.apart < 1.0
    assert _apart(together, {"nhap khau"}) == 1.0
    assert _apart(_hit("xuat khau", {"khau"}), {"nhap khau"}) == 1.0  # one syllable: no pair


def test_the_receivers_and_the_filed_copy_are_read_until_the_signature() -> None:
    body = "VI. Giao ...\n\nNơi nhận:\n- Bộ Chính trị,\n- Các sở, ngành,\n- Lưu: VT.\n\nBÍ THƯ\n"
    assert recipients(body) == (["Bộ Chính trị", "Các sở, ngành"], "VT")
    assert recipients("no such block") == ([], "")


def test_closing_passages_follow_the_last_passage() -> None:
    appendix = "PHỤ LỤC\nDANH MỤC ĐỀ ÁN\n\nSTT\tNội dung"
    got = closing_passages("Nơi nhận:\n- Tỉnh ủy,\n- Lưu VP.\n", appendix, first_id=9)
    assert [(p.id, p.ref, p.text) for p in got] == [
        (9, "Nơi nhận", "Văn bản được gửi đến: Tỉnh ủy. Bản lưu tại: VP."),
        (10, "Phụ lục", "Phụ lục kèm theo văn bản: DANH MỤC ĐỀ ÁN"),
    ]
    assert appendix_title("PHỤ LỤC\nSTT\tNội dung") == ""


def test_where_the_document_was_sent_and_filed_is_answered(engine: Engine) -> None:
    sent = engine.ask("chương trình này được gửi đến những cơ quan nào")
    assert sent.found and "Ban Bí thư" in sent.text
    filed = engine.ask("bản lưu văn bản để ở đâu")
    assert filed.found and "Văn phòng Tỉnh ủy" in filed.text


def test_a_body_asked_what_it_must_do_about_a_topic_gets_its_duty_item(engine: Engine) -> None:
    answer = engine.ask("Ban Thường vụ Tỉnh ủy chỉ đạo sơ kết giữa nhiệm kỳ để làm gì?")
    assert answer.found and answer.results[0].kind == "responsibility"
    assert "kiểm điểm, rút kinh nghiệm" in answer.text
    # Asking for its appendix tasks still lists them.
    tasks = engine.ask("Ban Tuyên giáo Tỉnh ủy chủ trì những nhiệm vụ nào?")
    assert [r.id for r in tasks.results] == ["II.3", "II.4"]


def test_several_topics_are_read_in_order_and_the_longest_name_wins() -> None:
    from knowledge.qa.topics import asks_topics, topics_in

    assert topics_in("chi tieu ve ngan sach xuat khau von dau tu") == (
        "ngan sach",
        "xuat khau",
        "von dau tu",
    )
    # "chất thải y tế" is waste: it does not also name the health topic.
    assert topics_in("xu ly chat thai y te") == ("chat thai",)
    assert asks_topics("chi tieu ve y te va giao duc") == ("y te", "giao duc")
    assert asks_topics("ty le bac si") == ()  # no word of a target: not a topic question


def test_the_targets_of_several_topics_come_in_document_order(engine: Engine) -> None:
    answer = engine.ask("các chỉ tiêu về xuất khẩu và ngân sách đến 2025")
    assert answer.found
    assert "xuất khẩu" in answer.text.casefold() and "ngân sách" in answer.text.casefold()


def test_a_question_naming_its_subject_by_reference_keeps_the_sentence_before() -> None:
    from knowledge.qa.normalise import question_sentences

    message = (
        "Em làm ở xã. Hôm trước họp có nhắc. Em thấy có một đề án về nông nghiệp hữu cơ. "
        "Đề án đó ai chủ trì?"
    )
    assert question_sentences(message) == "nông nghiệp hữu cơ. Đề án đó ai chủ trì?"
    # Without a reference, only the question is kept.
    plain = "Em làm ở xã. Hôm trước họp có nhắc. Đề án nông nghiệp hữu cơ ai chủ trì?"
    assert question_sentences(plain) == "Đề án nông nghiệp hữu cơ ai chủ trì?"


def test_sector_names_as_cadres_say_them() -> None:
    assert expand("doanh nghiep tu nhan") == "don vi kinh te tu nhan"
    assert expand("ty trong khoi nong nghiep") == "ty trong nganh nong nghiep"
    from knowledge.qa.topics import topics_in

    assert topics_in(expand("chi tieu ve doanh nghiep tu nhan")) == ()  # not "kinh tế"


def test_the_province_as_subject_and_strive_are_frames() -> None:
    assert parse_query("Khánh Hòa phấn đấu tỷ lệ hộ nghèo dưới mức nào").topic[:4] == [
        "ty",
        "le",
        "ho",
        "ngheo",
    ]
    # Inside the topic a place stays: "trường Đại học Khánh Hòa".
    assert "khanh" in parse_query("ai chủ trì đề án trường đại học khánh hòa").topic


def test_assigning_to_a_body_is_a_frame_but_propaganda_is_not() -> None:
    assert "giao" not in parse_query("giao cho Ban Dân vận làm những việc gì").topic
    assert "giao" in parse_query("Ban Tuyên giáo Tỉnh ủy chủ trì những gì").topic
    assert "giao" in parse_query("đề án giao thông nào trình năm 2022").topic


def test_the_implementation_part_named_by_its_letter_asks_duties(engine: Engine) -> None:
    answer = engine.ask("phần D giao Ban Thường vụ Tỉnh ủy phụ trách việc gì")
    assert answer.found and answer.intent == "duties"
    assert answer.results[0].id == "VI"


def test_tasks_leaving_a_column_empty_are_listed(engine: Engine) -> None:
    from knowledge.qa.understand import understand

    assert understand("nhiệm vụ nào chưa ghi thời gian thực hiện", lambda _: "").filters.blank == (
        "period"
    )
    listed = engine.ask("những đề án nào không ghi thời gian thực hiện")
    assert listed.found and "không ghi thời gian thực hiện" in listed.text
    assert all(engine.tasks[r.id].period == "" for r in listed.results)
    none = engine.ask("có mấy nhiệm vụ không ghi cơ quan ban hành")
    assert none.text == "Mọi nhiệm vụ trong Phụ lục đều ghi cơ quan ban hành."


def test_the_body_holding_most_tasks_comes_with_its_count(engine: Engine) -> None:
    from knowledge.qa.compose.busiest import busiest_bodies

    ranked = busiest_bodies(list(engine.tasks.values()), "lead")
    counts = [len(tasks) for _, tasks in ranked]
    assert counts == sorted(counts, reverse=True) and sum(counts) >= len(engine.tasks)
    answer = engine.ask("phần lớn đề án do cơ quan nào chủ trì?")
    assert answer.intent == "busiest_body"
    assert answer.text.startswith(
        "Ban cán sự đảng Ủy ban nhân dân tỉnh (Ban CSĐ UBND tỉnh) chủ trì tham mưu "
        f"nhiều nhiệm vụ nhất: {counts[0]}/"
    )
    # A body named in the question is a list of its tasks, not a ranking.
    assert engine.ask("Ban Tuyên giáo chủ trì nhiều nhất những gì").intent != "busiest_body"


def test_a_leading_at_is_not_a_topic_word_but_pollution_is() -> None:
    assert parse_query("ở Cam Ranh ưu tiên ngành gì").topic[:2] == ["cam", "ranh"]
    assert parse_query("ô nhiễm môi trường ở Cam Ranh").topic[:2] == ["o", "nhiem"]


def test_and_as_for_another_subject_is_a_second_question() -> None:
    from knowledge.qa.normalise import split_parts

    assert split_parts("đề án 5.3 ai chủ trì, còn đề án 5.4 thì sao") == [
        "đề án 5.3 ai chủ trì",
        "còn đề án 5.4 thì sao",
    ]
    # "còn bao nhiêu" is "how much is left", not another subject.
    assert split_parts("tỷ lệ hộ nghèo năm 2025, còn bao nhiêu %") == [
        "tỷ lệ hộ nghèo năm 2025, còn bao nhiêu %"
    ]


def test_how_many_different_bodies_hold_a_role(engine: Engine) -> None:
    answer = engine.ask("phụ lục có mấy cơ quan ban hành khác nhau")
    assert answer.text.startswith("Phụ lục có 4 cơ quan ban hành khác nhau:")
    assert "Ban Thường vụ Tỉnh đoàn: 1 nhiệm vụ" in answer.text


def test_a_kind_named_as_what_the_tasks_are_filters_the_count(engine: Engine) -> None:
    answer = engine.ask("phần II có bao nhiêu nhiệm vụ là đề án")
    assert answer.text.startswith("Có 6 nhiệm vụ là đề án, thuộc phần II của Phụ lục:")


def test_the_year_a_target_is_compared_with_has_no_target(engine: Engine) -> None:
    refused = engine.ask("thu ngân sách nội địa năm 2020 là bao nhiêu")
    assert not refused.found and "chỉ tiêu năm 2025 là gấp 2,2 lần" in refused.text
    asked = engine.ask("năm 2025 thu ngân sách nội địa gấp mấy lần so với năm 2020")
    assert asked.found and "2,2" in asked.text


def test_a_day_the_passage_does_not_give_is_a_near_miss(engine: Engine) -> None:
    assert not engine.ask("cầu Xóm Bóng khánh thành ngày nào").found


def test_this_thing_is_the_subject_of_the_last_answer(engine: Engine) -> None:
    first = engine.ask("Đề án thí điểm khu dân cư điện tử trình khi nào?")
    follow = engine.ask("cq nào chủ trì cái này v", context=first.context)
    assert follow.found and follow.results[0].id == "II.1"


@pytest.mark.parametrize(
    "question",
    ["văn bản này do ai ký", "chương trình ban hành ngày nào", "kế hoạch này số mấy"],
)
def test_a_fact_of_the_document_itself(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.found and answer.intent == "document"
    assert "08-CTr/TU" in answer.text and "Nguyễn Khắc Định" in answer.text


def test_a_document_fact_asked_of_a_task_is_the_task_column(engine: Engine) -> None:
    answer = engine.ask("đề án chuyển đổi số do cơ quan nào ban hành")
    assert answer.results[0].id == "5.3" and answer.intent == "issuer"


def test_a_lettered_part_asked_by_its_letter_gives_its_title_and_sections(engine: Engine) -> None:
    body = engine.ask("phần C của chương trình tên là gì")
    assert body.text.startswith("Phần C: NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM:")
    implementation = engine.ask("phần D nói về nội dung gì")
    assert implementation.text.startswith("Phần D: Tổ chức thực hiện:")
    assert "D.VI. Ban Thường vụ Tỉnh ủy" in implementation.text
    # A body named with the part is a duties question, not the part's title.
    assert engine.ask("phần D giao Ban Thường vụ Tỉnh ủy việc gì").intent == "duties"


def test_a_context_sentence_gives_what_comes_after_its_about() -> None:
    from knowledge.qa.normalise import question_sentences

    message = "Em làm ở huyện. Sếp nhờ em tìm căn cứ về chăn nuôi tập trung. Đề án đó ai chủ trì?"
    assert question_sentences(message) == "chăn nuôi tập trung. Đề án đó ai chủ trì?"


def test_which_body_leads_this_one_is_a_follow_up(engine: Engine) -> None:
    card = engine.ask("Nhiệm vụ II.8 là gì?")
    follow = engine.ask("cq nào đầu mối tham mưu cái này v", context=card.context)
    assert follow.found and "Ban Nội chính Tỉnh ủy" in follow.text


def test_party_building_named_by_its_parts_is_its_topic() -> None:
    from knowledge.qa.topics import asks_topics

    assert asks_topics(expand("chi tieu ve to chuc co so dang va dang vien")) == ("xay dung dang",)
    assert parse_query("mảng tổ chức cơ sở đảng có chỉ tiêu gì").topic[:2] == ["to", "chuc"]


@pytest.mark.parametrize(
    ("question", "gone"),
    [
        ("chương trình nói gì về tuyển quân", {"noi", "chuong", "trinh"}),
        ("đề án nào được nhắc trong phần y tế", {"phan", "nhac"}),
        ("có nhắc công trình văn hóa nào ở Diên Khánh không", {"nhac"}),
        ("chính sách đối với hậu phương quân đội", {"voi"}),
    ],
)
def test_more_frames_leave_the_topic(question: str, gone: set[str]) -> None:
    assert not gone & set(parse_query(question).topic)


def test_the_groups_of_an_appendix_part_with_their_counts(engine: Engine) -> None:
    answer = engine.ask("phần I phụ lục có mấy nhóm nhiệm vụ?")
    groups = list(dict.fromkeys(t.group for t in engine.tasks.values() if t.part == "I"))
    assert answer.text.startswith(f"Phần I của Phụ lục có {len(groups)} nhóm nhiệm vụ:")
    assert "(5 nhiệm vụ)" in answer.text
    # "các nhóm chỉ tiêu" are targets, not task groups.
    assert engine.ask("các nhóm chỉ tiêu về y tế").intent != "document"


def test_all_targets_say_how_many_first(engine: Engine) -> None:
    answer = engine.ask("chương trình có tất cả bao nhiêu chỉ tiêu?")
    assert answer.text.startswith(f"Có {len(engine.indicators)} chỉ tiêu, thuộc 4 lĩnh vực:")


def test_implemented_in_a_period_filters_by_that_period(engine: Engine) -> None:
    answer = engine.ask("những đề án nào thực hiện trong giai đoạn 2021 - 2022")
    assert answer.results and all(
        engine.tasks[r.id].period.replace(" ", "") == "2021-2022" for r in answer.results
    )


def test_follow_ups_ask_a_period_a_year_and_a_submission_check(engine: Engine) -> None:
    card = engine.ask("ai chủ trì nhiệm vụ 5.3")
    period = engine.ask("nó thực hiện trong giai đoạn nào", context=card.context)
    assert period.found and period.text.startswith("Thời gian thực hiện nhiệm vụ 5.3:")
    target = engine.ask("GRDP bình quân đầu người 2025")
    other_year = engine.ask("thế năm 2030 thì sao", context=target.context)
    assert not other_year.found and "cho năm 2030" in other_year.text
    rule = engine.ask("Quy định kiểm soát quyền lực trình cấp nào cho ý kiến")
    check = engine.ask("có phải trình Tỉnh ủy không", context=rule.context)
    assert check.text.startswith(
        "Chưa đúng. Theo chương trình, cấp trình cho ý kiến nhiệm vụ II.8"
    )
    # A body alone is still a new subject for the last question.
    lead = engine.ask("Ban Dân vận chủ trì những nhiệm vụ nào")
    again = engine.ask("vậy còn Ban Tuyên giáo Tỉnh ủy?", context=lead.context)
    assert {r.id for r in again.results} >= {"II.3", "II.4"}


def test_a_part_two_code_without_its_dot() -> None:
    assert parse_query("nv ii 8 ai chủ trì").code == "II.8"
    assert parse_query("nhiệm vụ ii 8% xong").code == ""


def test_the_implementation_part_by_its_name_asks_duties(engine: Engine) -> None:
    assert "phai" not in parse_query("có phải làm kế hoạch học tập không").topic
    answer = engine.ask(
        "Theo phần tổ chức thực hiện, ai phải bố trí nguồn lực, kinh phí cho các nội dung?"
    )
    assert answer.found and answer.results[0].kind == "responsibility"
    assert answer.results[0].id == "III"
