"""Each family of record answers on its own, and the order RecordAnswerer asks them in."""

from __future__ import annotations

from knowledge.engine import Engine
from knowledge.qa.families.agency import AgencyAnswers, read_duties_part
from knowledge.qa.families.area import AreaAnswers
from knowledge.qa.families.common import correct_topic
from knowledge.qa.families.elsewhere import Elsewhere
from knowledge.qa.families.header import Header
from knowledge.qa.families.overview import Overview
from knowledge.qa.families.quarter import QuarterAnswers
from knowledge.qa.families.search import Search
from knowledge.qa.families.task import TaskAnswers
from knowledge.qa.query import Intent, ParsedQuery, parse_query
from knowledge.render import PLAIN, agency_display


def _read(engine: Engine, text: str) -> ParsedQuery:
    """A question as the on-topic families see it: parsed, its topic corrected."""
    q = parse_query(text, engine.index.correct_unknown)
    correct_topic(engine.index, q)
    return q


def test_families_are_asked_as_typed_first_then_on_the_topic(engine: Engine) -> None:
    assert [type(f) for f in engine.as_typed] == [Elsewhere, Header, Overview]
    assert [type(f) for f in engine.on_topic] == [
        TaskAnswers,
        AgencyAnswers,
        QuarterAnswers,
        AreaAnswers,
    ]


def test_elsewhere_refuses_only_another_province(engine: Engine) -> None:
    family = Elsewhere("Chương trình X", engine.index)
    refusal = family.answer(parse_query("chỉ tiêu của tỉnh Nghệ An"), PLAIN)
    assert refusal is not None
    assert (refusal.found, refusal.results) == (False, [])
    assert refusal.text.startswith("Chương trình X không có nội dung về Nghệ An.")
    assert family.answer(parse_query("chỉ tiêu che phủ rừng"), PLAIN) is None


def test_header_answers_the_signer_and_nothing_else(engine: Engine) -> None:
    family = Header(engine.programme)
    signed = family.answer(parse_query("ai ký chương trình này"), PLAIN)
    assert signed is not None and signed.found
    assert f"Người ký: {engine.programme.signer}" in signed.text
    assert family.answer(parse_query("chỉ tiêu che phủ rừng"), PLAIN) is None


def test_quarter_lists_exactly_the_tasks_due_then(engine: Engine) -> None:
    family = QuarterAnswers(engine)
    due = family.answer(_read(engine, "nhiệm vụ trình trong quý III năm 2021"), PLAIN)
    assert due is not None and due.intent == Intent.BY_QUARTER
    assert [r.id for r in due.results] == [t.code for t in engine.tasks_due(3, 2021)]
    assert family.answer(_read(engine, "nhiệm vụ chuyển đổi số"), PLAIN) is None


def test_area_lists_the_targets_of_the_area_asked(engine: Engine) -> None:
    family = AreaAnswers(engine)
    area = family.answer(_read(engine, "các chỉ tiêu về môi trường"), PLAIN)
    assert area is not None and area.intent == Intent.AREA
    areas = {engine.indicators[r.id].area for r in area.results}
    assert areas == {"tài nguyên, môi trường và phát triển bền vững"}
    assert family.answer(_read(engine, "tỷ lệ che phủ rừng"), PLAIN) is None  # no "chỉ tiêu"


def test_task_by_code_answers_the_column_asked(engine: Engine) -> None:
    family = TaskAnswers(engine, engine.index)
    task = engine.tasks["1.1"]
    lead = family.answer(_read(engine, "ai chủ trì nhiệm vụ 1.1"), PLAIN)
    assert lead is not None and [r.id for r in lead.results] == ["1.1"]
    assert lead.text.startswith(f"{agency_display(task.lead)} chủ trì tham mưu nhiệm vụ 1.1.")
    assert family.answer(_read(engine, "ai chủ trì nhiệm vụ 9.9"), PLAIN) is None


def test_agency_lists_what_the_body_leads(engine: Engine) -> None:
    family = AgencyAnswers(engine, engine.index)
    led = family.answer(_read(engine, "Ban Tuyên giáo Tỉnh ủy chủ trì những nhiệm vụ nào"), PLAIN)
    assert led is not None and led.intent == Intent.BY_AGENCY
    assert [r.id for r in led.results] == [
        t.code for t in engine.tasks_led_by("Ban Tuyên giáo Tỉnh ủy")
    ]
    assert family.answer(_read(engine, "chỉ tiêu che phủ rừng"), PLAIN) is None


def test_the_implementation_part_by_its_letter_asks_duties() -> None:
    q = parse_query("phần D phụ trách việc gì")
    read_duties_part(q, {"d"})
    assert q.wants_duties and q.intent != Intent.LEAD
    assert "d" not in q.topic and "phan" not in q.topic
    other = parse_query("phần E phụ trách việc gì")
    topic = list(other.topic)
    read_duties_part(other, {"d"})  # no part E in this programme: who leads it, as asked
    assert (other.wants_duties, other.intent, other.topic) == (False, Intent.LEAD, topic)


def test_search_always_answers_and_says_when_nothing_does(engine: Engine) -> None:
    family = Search(engine, engine.index, TaskAnswers(engine, engine.index))
    q = _read(engine, "tỷ lệ che phủ rừng")
    found = family.answer(q, [], PLAIN)
    assert found.found and found.results[0].kind == "indicator"
    missing = family.answer(_read(engine, "xyzzy qwerty"), [], PLAIN)
    assert (missing.found, missing.results) == (False, [])
    assert missing.text.startswith("Chưa tìm thấy nội dung phù hợp")


def test_a_cut_scoring_is_the_start_of_the_full_one(engine) -> None:  # type: ignore[no-untyped-def]
    words = ["phat", "trien", "kinh", "te", "bien"]
    full = engine.index.score(words)
    assert len(full) > 40
    assert engine.index.score(words, limit=5) == full[:5]
    assert engine.index.score(words, limit=None) == full


def test_weighing_from_the_cut_list_equals_weighing_every_hit(engine) -> None:  # type: ignore[no-untyped-def]
    from knowledge.qa.families.search import ANSWER_KEPT
    from knowledge.qa.query import parse_query

    search = engine._search
    for question in ["phát triển kinh tế biển", "ai chủ trì đề án", "các nhiệm vụ về đảng"]:
        q = parse_query(question)
        every = search.weigh(q, engine.index.score(q.topic))
        assert len(every) > ANSWER_KEPT  # an answer's hits are the first of every hit weighed
        assert search._ranked(q, [], None, {}) == every[:ANSWER_KEPT]
