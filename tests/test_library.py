"""The library of documents: document references, routing, merging, pins, question sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.engine import Engine
from knowledge.programme.store import load_programme, open_database, remove_document
from knowledge.qa.docrefs import DocRef, document_refs, matches
from knowledge.qa.library import Library, LibraryAnswer, Router, task_codes
from knowledge.qa.pins import PinStore
from tests.conftest import DATA, FIXTURES
from tests.scoring import evaluate, load_cases

PLAN_C = (FIXTURES / "plan_c.txt").read_text("utf-8")
PROGRAMME = "Chương trình hành động số 08-CTr/TU ngày 21/12/2020 của Tỉnh ủy Khánh Hòa:"
PLAN = "Kế hoạch số 45/KH-UBND ngày 15/01/2026 của Ủy ban nhân dân tỉnh Hải Bình:"


@pytest.mark.parametrize(
    ("question", "refs"),
    [
        ("Theo kế hoạch 45 của UBND, ai chủ trì?", [DocRef("plan", 45, "ubnd")]),
        ("trong chương trình 08 có mấy chỉ tiêu", [DocRef("programme", 8)]),
        ("KH 45/KH-UBND giao Sở Tài chính gì", [DocRef("plan", 45, "ubnd")]),
        ("CTr 08 nói gì về rừng", [DocRef("programme", 8)]),
        ("ke hoach so 45 ky ngay nao", [DocRef("plan", 45)]),
        ("theo 08-CTr/TU", [DocRef("programme", 8, "party")]),
        (
            "chương trình hành động số 08 và kế hoạch 45",
            [DocRef("programme", 8), DocRef("plan", 45)],
        ),
        ("Chương trình hành động này thực hiện nghị quyết nào?", [DocRef("programme", None)]),
        ("Chỉ tiêu che phủ rừng của kế hoạch là bao nhiêu?", [DocRef("plan", None)]),
        # not references: a year column, a plan the programme lists, a named programme
        ("chỉ tiêu tỷ lệ hộ nghèo kế hoạch năm 2026", []),
        ("Kế hoạch giáo dục lý tưởng cách mạng do ai chủ trì?", []),
        ("ke hoach cua tinh doan ve giao duc", []),
        ("chương trình chuyển đổi số của tỉnh", []),
        ("kế hoạch thực hiện chương trình hành động số mấy?", []),
        ("tỷ lệ 45,5% năm 2025", []),
    ],
)
def test_document_refs(question, refs):
    assert document_refs(question) == refs


def test_a_reference_matches_by_number_kind_and_issuer():
    plan = {"number": "45/KH-UBND", "kind": "plan", "issuer": "Ủy ban nhân dân tỉnh Hải Bình"}
    party = {"number": "08-CTr/TU", "kind": "programme", "issuer": "Tỉnh ủy Khánh Hòa"}
    assert matches(DocRef("plan", 45, "ubnd"), **plan)
    assert matches(DocRef("", 45), **plan)
    assert not matches(DocRef("programme", 45), **plan)
    assert not matches(DocRef("plan", 46), **plan)
    assert matches(DocRef("programme", 8, "party"), **party)
    assert not matches(DocRef("programme", 8, "ubnd"), **party)
    assert matches(DocRef("programme", None), **party)


def test_task_codes():
    assert task_codes("Nhiệm vụ II.3 do ai chủ trì, còn 5.3?") == ["ii.3", "5.3"]
    assert task_codes("nhiệm vụ ii.3.") == ["ii.3"]
    assert task_codes("tăng 5,3% và mục 1.2.3") == []


def test_router_prefers_the_document_holding_the_rare_words():
    router = Router([{"rung", "che", "phu"}, {"rung", "ngan", "sach", "ngan sach"}, {"rung"}])
    scores = router.scores("thu ngân sách")
    assert scores[1] > 0 and scores[0] == scores[2] == 0
    # three documents or fewer are all asked, best first, ties in the preference order
    assert router.route("thu ngân sách", [0, 1, 2], [2, 1, 0]) == [1, 2, 0]


@pytest.fixture(scope="module")
def two():
    """The bundled programme (loaded first) and plan_c (loaded last: the primary)."""
    db = open_database(memory=True)
    alone = Engine.from_database(db)
    load_programme(db, PLAN_C, source="plan_c.txt")
    return db, alone, Engine.from_database(db), Library.from_database(db)


def test_one_document_is_exactly_its_engine(engine):
    lib = Library.from_database(open_database(memory=True))
    assert len(lib.documents) == 1 and lib.primary.programme.number == "08-CTr/TU"
    for case in load_cases(DATA / "questions_holdout.jsonl"):
        assert lib.ask(case["q"]).to_json() == engine.ask(case["q"]).to_json()


def test_primary_is_the_document_loaded_last(two):
    _, _, plan, lib = two
    assert [d.number for d in lib.documents] == ["08-CTr/TU", "45/KH-UBND"]
    assert lib.primary_document.number == "45/KH-UBND"
    assert lib.primary.programme.tasks == plan.programme.tasks


def test_a_plan_is_linked_to_the_programme_it_implements():
    db = open_database(memory=True)
    load_programme(db, PLAN_C.replace("12-CTr/TU", "08-CTr/TU"))
    lib = Library.from_database(db)
    programme, plan = lib.documents
    assert plan.implements == "08-CTr/TU"
    assert lib.implementers(programme) == [plan] and lib.implementers(plan) == []


@pytest.mark.parametrize(
    ("path", "alone_name"),
    [
        (DATA / "questions.jsonl", "programme"),
        (DATA / "questions_holdout.jsonl", "programme"),
        (FIXTURES / "plan_c_questions.jsonl", "plan"),
        (FIXTURES / "plan_c_questions_holdout.jsonl", "plan"),  # held out: reported apart
    ],
)
def test_both_question_sets_keep_their_scores_together(two, path, alone_name):
    _, programme, plan, lib = two
    alone = programme if alone_name == "programme" else plan
    cases = load_cases(path)
    by_itself, _, _, _ = evaluate(cases, lambda c: alone.ask(c["q"]).to_json())
    together, failures, _, _ = evaluate(cases, lambda c: lib.ask(c["q"]).to_json())
    assert together >= by_itself, [c["q"] for c, _ in failures]


def test_answers_name_each_document_when_both_answer(two):
    _, programme, plan, lib = two
    answer = lib.ask("thu ngân sách")
    assert answer.found
    assert answer.text.startswith("Theo ") and PROGRAMME in answer.text and PLAN in answer.text
    assert programme.ask("thu ngân sách").text in answer.text
    assert plan.ask("thu ngân sách").text in answer.text


def test_one_answering_document_is_used_as_it_is(two):
    _, programme, _, lib = two
    question = "ai ban hành đề án đổi mới công tác chính trị tư tưởng"
    assert lib.ask(question).to_json() == programme.ask(question).to_json()


def test_a_named_document_restricts_the_answer(two):
    _, programme, plan, lib = two
    q = "trong chương trình 08, thu ngân sách"
    assert lib.ask(q).text == programme.ask(q).text
    q = "theo kế hoạch 45 của UBND, thu ngân sách"
    assert lib.ask(q).text == plan.ask(q).text
    # the programme answers "che phủ rừng"; the plan named alone does not
    assert lib.ask("tỷ lệ che phủ rừng").found
    assert not lib.ask("theo KH 45/KH-UBND, tỷ lệ che phủ rừng là bao nhiêu").found


def test_route_names_the_documents_worth_searching(two):
    _, _, _, lib = two
    assert [d.number for d in lib.route("KH 45 thu ngân sách")] == ["45/KH-UBND"]
    assert {d.number for d in lib.route("thu ngân sách")} == {"08-CTr/TU", "45/KH-UBND"}


def test_a_pinned_document_answers_unless_another_is_named(two):
    _, programme, plan, lib = two
    plan_id = lib.documents[1].id
    assert lib.ask("thu ngân sách", document=plan_id).text == plan.ask("thu ngân sách").text
    q = "CTr 08 thu ngân sách"
    assert lib.ask(q, document=plan_id).text == programme.ask(q).text


def test_a_task_code_in_several_documents_asks_which(two):
    _, programme, plan, lib = two
    answer = lib.ask("nhiệm vụ II.3 do ai chủ trì")
    assert isinstance(answer, LibraryAnswer) and answer.context is None
    assert answer.text.startswith("Nhiệm vụ II.3 có trong 2 văn bản. Bạn hỏi văn bản nào?")
    assert PROGRAMME in answer.text and PLAN in answer.text
    assert [c.label for c in answer.choices] == [
        "Chương trình hành động 08-CTr/TU",
        "Kế hoạch 45/KH-UBND",
    ]
    assert [c.document for c in answer.choices] == [d.id for d in lib.documents]
    picked = lib.ask("nhiệm vụ II.3 do ai chủ trì", document=answer.choices[1].document)
    assert picked.text == plan.ask("nhiệm vụ II.3 do ai chủ trì").text
    named = lib.ask("theo chương trình 08, nhiệm vụ II.3 do ai chủ trì")
    assert named.text == programme.ask("nhiệm vụ II.3 do ai chủ trì").text
    # a code only one document has is not ambiguous
    assert (
        lib.ask("nhiệm vụ 5.3 do ai chủ trì").text
        == programme.ask("nhiệm vụ 5.3 do ai chủ trì").text
    )


def test_a_follow_up_stays_in_the_document_of_the_last_answer(two):
    _, _, plan, lib = two
    first = lib.ask("theo kế hoạch 45, nhiệm vụ II.3 do ai chủ trì")
    assert first.found and first.context is not None
    follow = lib.ask("còn thời gian hoàn thành?", context=first.context)
    alone_first = plan.ask("nhiệm vụ II.3 do ai chủ trì")
    assert follow.text == plan.ask("còn thời gian hoàn thành?", context=alone_first.context).text


def test_pins_are_per_chat_and_vanish_with_their_document():
    db = open_database(memory=True)
    load_programme(db, PLAN_C)
    lib = Library.from_database(db)
    store = PinStore(db)
    plan_id = lib.documents[1].id
    assert store.get(1) is None
    store.pin(1, plan_id, user_id=7)
    store.pin(2, lib.documents[0].id, user_id=8)
    assert (store.get(1), store.get(2)) == (plan_id, lib.documents[0].id)
    row = db["chat_documents"].get(1)
    assert {k: row[k] for k in ("chat_id", "document_id", "pinned_by")} == {
        "chat_id": 1,
        "document_id": plan_id,
        "pinned_by": 7,
    }
    assert store.unpin(2) and not store.unpin(2) and store.get(2) is None
    remove_document(db, "45/KH-UBND")
    assert store.get(1) is None


def test_the_benchmark_generator_renumbers_documents(tmp_path: Path):
    from benchmarks.library import generated_texts
    from knowledge.programme.parser import parse_programme

    texts = generated_texts(6)
    parsed = [parse_programme(t) for t in texts]
    identities = {(p.issuer, p.number, p.issued) for p in parsed}
    assert len(identities) == 6
    assert all(p.tasks for p in parsed)


def test_a_code_many_documents_hold_shows_a_few_and_offers_the_rest() -> None:
    from benchmarks.library import generated_texts
    from knowledge.programme.store import load_programme, open_database
    from knowledge.qa.library import WHICH_OFFERED, WHICH_SHOWN, Library, LibraryAnswer

    db = open_database(memory=True)
    for text in generated_texts(30)[1:]:
        load_programme(db, text)
    lib = Library.from_database(db)
    answer = lib.ask("nhiệm vụ II.2 là gì")
    assert isinstance(answer, LibraryAnswer)
    holders = sum("II.2" in d.engine.tasks for d in lib.documents)
    assert holders > WHICH_OFFERED
    assert answer.text.startswith(f"Nhiệm vụ II.2 có trong {holders} văn bản.")
    assert answer.text.count("Theo ") == WHICH_SHOWN
    assert f"và {holders - WHICH_OFFERED} văn bản khác" in answer.text
    assert len(answer.choices) == WHICH_OFFERED


def test_a_programme_task_lists_the_plan_tasks_that_name_it() -> None:
    from knowledge.qa.links import implementing_tasks

    plan = (FIXTURES / "plan_c.txt").read_text("utf-8").replace("12-CTr/TU", "08-CTr/TU")
    plan = plan.replace(
        "cụm công nghiệp giai đoạn 2026 - 2030\t",
        "cụm công nghiệp giai đoạn 2026 - 2030 (nhiệm vụ 1.1 của Chương trình)\t",
        1,
    )
    db = open_database(memory=True)
    load_programme(db, plan)
    lib = Library.from_database(db)
    programme = next(d for d in lib.documents if d.kind == "programme")
    assert [p.number for p in lib.implementers(programme)] == ["45/KH-UBND"]
    card = lib.ask("nhiệm vụ 1.1 trong chương trình 08")
    assert "Được triển khai trong kế hoạch:" in card.text
    assert "I.1 — Xây dựng Đề án thu hút đầu tư" in card.text
    # Another programme task, and a plan row naming a code the programme lacks, get nothing.
    assert "Được triển khai" not in lib.ask("nhiệm vụ 1.2 trong chương trình 08").text
    plan_tasks = next(d for d in lib.documents if d.kind == "plan").engine.tasks.values()
    assert implementing_tasks([("KH", plan_tasks)], {"9.9"}) == {}
