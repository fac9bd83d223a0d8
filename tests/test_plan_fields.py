"""Every field of a UBND plan is answerable: each stage on its own, then the whole engine.

Stages: the body index (short forms), understanding (product, coordinating, completion time,
reverse look-ups by year and role), retrieval by filters, the card's composition, and the
engine on the plan fixture (tests/fixtures/plan_c.txt).
"""

from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.programme.agencies import AgencyIndex, agency_key
from knowledge.programme.model import Indicator, Task
from knowledge.programme.parser import parse_programme
from knowledge.programme.quarters import due_year, recurs_yearly
from knowledge.programme.store import bundled_text
from knowledge.qa.compose.listing import describe
from knowledge.qa.query import Intent, parse_query
from knowledge.qa.retrieve import filter_tasks
from knowledge.qa.understand import Ask, Filters, understand
from knowledge.render import indicator_card, task_card, task_columns, year_value
from tests.scoring import evaluate, hit, load_cases, passes

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = (FIXTURES / "plan_c.txt").read_text("utf-8")
MORE = [FIXTURES / "plan_c_questions_more.jsonl", FIXTURES / "plan_c_questions_more_holdout.jsonl"]


@pytest.fixture(scope="module")
def plan():
    return parse_programme(PLAN)


@pytest.fixture(scope="module")
def engine(plan):
    return Engine(plan)


def _task(**cells: str) -> Task:
    row = {"lead": "", "approval": "", "issuer": "", "due": "", "period": "", **cells}
    return Task(code="I.1", part="I", part_title="Kinh tế", group="", content="Đề án A", **row)


# -- bodies ------------------------------------------------------------------


def test_a_departments_short_form_is_the_same_body():
    assert agency_key("Sở NN&MT") == agency_key("Sở Nông nghiệp và Môi trường")
    assert agency_key("Sở GD&ĐT") == agency_key("Sở Giáo dục và Đào tạo")
    assert agency_key("Sở NN&MT") != agency_key("Sở Tài chính")


def test_a_short_form_is_found_as_a_question_spells_it(plan):
    spans = AgencyIndex(plan.agencies).spans("so nn mt chu tri bao nhieu nhiem vu")
    assert spans == [(0, 8, "Sở Nông nghiệp và Môi trường")]


# -- understanding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Sản phẩm của nhiệm vụ rà soát quy hoạch là gì?", Intent.PRODUCT),
        ("nhiệm vụ cấp nước sạch cho ra sản phẩm gì", Intent.PRODUCT),
        ("sp của nv cấp nước sạch là j", Intent.PRODUCT),
        ("Cơ quan nào phối hợp xây dựng cơ sở dữ liệu?", Intent.COORDINATING),
        ("ai phoi hop voi so tai chinh lam de an", Intent.COORDINATING),
        ("đề án y tế cơ sở cơ quan phối hợp là ai", Intent.COORDINATING),
        ("thoi gian hoan thanh co so du lieu dung chung", Intent.DUE),
        ("Ai chủ trì đề án thu hút đầu tư?", Intent.LEAD),
    ],
)
def test_the_column_a_question_asks(question, intent):
    assert parse_query(question).intent == intent


def test_gross_product_is_a_target_not_a_tasks_product():
    q = parse_query("tốc độ tăng trưởng tổng sản phẩm năm 2026")
    assert q.intent == Intent.PASSAGE
    assert {"san", "pham"} <= set(q.topic)


def _understood(text: str, plan) -> tuple[str, Filters, str]:
    index = AgencyIndex(plan.agencies)

    def first(folded: str) -> str:
        spans = index.spans(folded)
        return spans[0][2] if spans else ""

    q = understand(text, first, spans=index.spans)
    return q.ask, q.filters, q.topic


def test_tasks_by_completion_year(plan):
    ask, filters, _ = _understood("Những nhiệm vụ nào phải hoàn thành năm 2027?", plan)
    assert (ask, filters) == (Ask.LIST, Filters(year=2027))


def test_tasks_due_every_year(plan):
    ask, filters, _ = _understood("các nhiệm vụ thực hiện hằng năm", plan)
    assert (ask, filters) == (Ask.LIST, Filters(yearly=True))


def test_a_target_growing_every_year_is_no_yearly_task_filter(plan):
    _, filters, _ = _understood("chỉ tiêu tăng bình quân hằng năm", plan)
    assert not filters.yearly


def test_tasks_a_body_coordinates(plan):
    ask, filters, _ = _understood("Sở Tài chính phối hợp những nhiệm vụ nào?", plan)
    assert (ask, filters.body, filters.role) == (Ask.LIST, "Sở Tài chính", "coordinating")


def test_a_column_question_naming_targets_is_no_topic_question(plan):
    assert _understood("các chỉ tiêu y tế và bảo hiểm gồm những gì", plan)[2] == (
        "y te",
        "bao hiem",
    )
    assert _understood("cơ quan phối hợp kiểm tra chỉ tiêu bảo hiểm y tế", plan)[2] == ()


def test_describe_says_the_plans_verb():
    assert describe(Filters(year=2027), "hoàn thành") == "hoàn thành trong năm 2027"
    assert describe(Filters(year=2027)) == "trình trong năm 2027"
    assert describe(Filters(yearly=True)) == "thực hiện hằng năm"


# -- deadlines and retrieval ----------------------------------------------------


def test_the_year_of_each_deadline_form():
    forms = ["Năm 2027", "30/9/2026", "Tháng 6/2026", "Quý III/2026", "2021 - 2025", "Hằng năm"]
    assert [due_year(f) for f in forms] == [2027, 2026, 2026, 2026, None, None]
    assert [recurs_yearly(f) for f in ("Hằng năm", "hàng năm", "Năm 2027")] == [True, True, False]


def test_filter_tasks_by_year_and_every_year(plan):
    by_year = filter_tasks(plan.tasks, Filters(year=2027))
    assert [t.code for t in by_year] == ["I.4", "III.1"]
    yearly = filter_tasks(plan.tasks, Filters(yearly=True))
    assert [t.code for t in yearly] == ["II.3", "II.4", "III.3"]
    quarter = filter_tasks(plan.tasks, Filters(quarter=2, year=2026))
    assert [t.code for t in quarter] == ["II.1"]


def test_filter_tasks_by_coordinating_body(plan):
    tasks = filter_tasks(plan.tasks, Filters(body="Sở Tài chính", role="coordinating"))
    assert [t.code for t in tasks] == ["I.2", "II.1", "II.2", "III.1"]


# -- composition -------------------------------------------------------------------


def test_a_plans_columns_are_its_own(plan):
    columns = task_columns(plan.tasks, plan.kind)
    assert columns.labels == (
        ("lead", "Cơ quan chủ trì"),
        ("coordinating", "Cơ quan phối hợp"),
        ("product", "Sản phẩm"),
        ("due", "Thời gian hoàn thành"),
    )
    assert not columns.has("approval")


def test_a_plan_task_card_shows_only_the_columns_it_has(plan):
    card = task_card(plan.tasks[0], columns=task_columns(plan.tasks, "plan"))
    assert card.splitlines() == [
        "📌 Nhiệm vụ I.1: Xây dựng Đề án thu hút đầu tư vào các khu công nghiệp, cụm công "
        "nghiệp giai đoạn 2026 - 2030",
        "• Cơ quan chủ trì: Sở Tài chính",
        "• Cơ quan phối hợp: Ban Quản lý các khu công nghiệp tỉnh, Sở Xây dựng",
        "• Sản phẩm: Đề án trình UBND tỉnh",
        "• Thời gian hoàn thành: Quý III/2026",
        "Nguồn: Phụ lục, mục I.1",
    ]


def test_an_empty_cell_of_an_existing_column_says_so():
    tasks = [_task(lead="Sở Y tế", product="Báo cáo"), _task(lead="Sở Nội vụ")]
    card = task_card(tasks[1], columns=task_columns(tasks, "plan"))
    assert "• Sản phẩm: không ghi" in card.splitlines()
    assert "Thời gian hoàn thành" not in card


def test_a_programme_card_without_columns_is_unchanged():
    card = task_card(_task(lead="Ban Tuyên giáo Tỉnh ủy", due="Quý II/2021"))
    assert card.splitlines()[1:] == [
        "• Cơ quan chủ trì tham mưu: Ban Tuyên giáo Tỉnh ủy",
        "• Cấp trình cho ý kiến: không ghi",
        "• Cơ quan ban hành: không ghi",
        "• Thời gian trình: Quý II/2021",
        "• Thời gian thực hiện: không ghi",
        "Nguồn: Phụ lục, mục I.1",
    ]


def test_the_asked_year_column_comes_first(plan):
    water = next(i for i in plan.indicators if "nước sạch" in i.name)
    assert year_value(water, 2026) == ("Kế hoạch năm 2026", "72%")
    assert year_value(water, 2028) is None
    first = indicator_card(water, [water], year=2026).splitlines()[0]
    assert first == (
        "🎯 Tỷ lệ dân cư nông thôn được sử dụng nước sạch đạt quy chuẩn — Kế hoạch năm 2026: 72%"
    )


def test_a_bullet_target_ignores_the_year():
    ind = Indicator(1, "kinh tế", "GRDP", "GRDP", "7%", "đạt", 7, 7, "%", 2025, "", "s", "B.1")
    assert indicator_card(ind, [ind], year=2025) == indicator_card(ind, [ind])


# -- the engine on the plan ------------------------------------------------------------


def test_the_product_is_the_answers_first_line(engine):
    answer = engine.ask("sản phẩm của nhiệm vụ kế hoạch phòng, chống thiên tai là gì")
    assert answer.found
    assert answer.text.splitlines()[0] == "Sản phẩm của nhiệm vụ III.4: Kế hoạch của UBND tỉnh."
    assert "không ghi" not in answer.text


def test_the_completion_time_is_said_in_the_plans_words(engine):
    answer = engine.ask("thời gian hoàn thành kế hoạch cấp nước sạch nông thôn")
    assert answer.text.splitlines()[0] == "Thời gian hoàn thành nhiệm vụ III.2: Tháng 9/2026."


def test_a_missing_column_of_a_programme_is_said():
    answer = Engine(parse_programme(bundled_text())).ask("sản phẩm của đề án chuyển đổi số là gì")
    assert "Phụ lục không có cột “Sản phẩm”" in answer.text


def test_a_count_by_short_form(engine):
    answer = engine.ask("Sở NN&MT chủ trì bao nhiêu nhiệm vụ?")
    assert answer.text.splitlines()[0].startswith("Có 5 nhiệm vụ do Sở Nông nghiệp và Môi trường")


def test_the_documents_number_date_and_signer(engine):
    answer = engine.ask("Kế hoạch này số mấy, ngày nào?")
    assert all(hit(x, answer.text) for x in ("45/KH-UBND", "15/01/2026", "Trần Minh Quang"))


# -- the more question sets (written before the engine was run on them) ------------------


@pytest.mark.parametrize("path", MORE, ids=["more", "more-holdout"])
def test_more_sets_shape_and_items_in_the_fixture(path):
    cases = load_cases(path)
    assert [c["id"] for c in cases] == list(range(1, len(cases) + 1))
    assert all(set(c) == {"id", "q", "expect", "found", "tag"} for c in cases)
    assert all(bool(c["expect"]) == c["found"] for c in cases)
    missing = [
        (c["id"], item)
        for c in cases
        for item in c["expect"]
        if not any(hit(alt, PLAN) for alt in (item if isinstance(item, list) else [item]))
    ]
    assert missing == []


def test_plan_question_sets_score(engine):
    def ask(case: dict) -> dict:
        got: dict = engine.ask(case["q"]).to_json()
        return got

    main, *_ = evaluate(load_cases(FIXTURES / "plan_c_questions.jsonl"), ask)
    more, *_ = evaluate(load_cases(MORE[0]), ask)
    assert main >= 0.95
    assert more >= 0.9


def test_scoring_rule_rejects_a_wrong_answer(engine):
    case = {"q": "x", "expect": ["72"], "found": True}
    assert not passes(case, engine.ask("GRDP bình quân đầu người kế hoạch năm 2026").to_json())
