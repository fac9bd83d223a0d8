"""Which document a report named in words is about (knowledge/progress/named.py, Reporting)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from handlers.context import new_reporting
from knowledge.engine import Result
from knowledge.programme.store import load_programme, open_database
from knowledge.progress.log import ProgressStore
from knowledge.progress.named import Ask, Hits, clear, settle
from knowledge.progress.reporting import Sender
from knowledge.qa.library import Library

PLAN = (Path(__file__).parent / "fixtures" / "plan_c.txt").read_text("utf-8")
TODAY = date(2026, 3, 2)
ADMIN = Sender(1, "Hùng", chat_id=5, message_id=1)


def hits(document, *scores):
    return Hits(
        document, tuple(Result("task", f"{document}.{i}", s, "") for i, s in enumerate(scores))
    )


def test_clear_needs_a_good_match_ahead_of_the_next():
    assert clear(hits(1, 0.9).results)
    assert not clear(hits(1, 0.4).results)  # below the found threshold
    assert not clear(hits(1, 0.9, 0.85).results)
    assert not clear(())


def test_one_document_ahead_settles_it():
    assert settle([hits(1, 0.4), hits(2, 0.9)]) == hits(2, 0.9)
    assert settle([hits(1, 0.9, 0.8)]) == hits(1, 0.9, 0.8)  # the task question comes later


def test_close_documents_are_asked_best_first():
    assert settle([hits(1, 0.85), hits(2, 0.9), hits(3, 0.3)]) == Ask((2, 1))


def test_weak_matches_everywhere_ask_between_every_document():
    assert settle([hits(1, 0.3), hits(2, 0.2)]) == Ask((1, 2))
    assert settle([hits(1, 0.3)]) == hits(1, 0.3)


def test_the_pin_settles_a_good_match_even_behind_another():
    assert settle([hits(1, 0.95), hits(2, 0.6)], pinned=2) == hits(2, 0.6)


def test_a_pinned_document_without_a_good_match_is_never_overridden_silently():
    assert settle([hits(1, 0.95)], pinned=2) == Ask((1,), off_pin=True)
    assert settle([hits(1, 0.95), hits(2, 0.3)], pinned=2) == Ask((1,), off_pin=True)
    assert settle([hits(2, 0.3)], pinned=2) == hits(2, 0.3)


def test_settle_needs_something():
    with pytest.raises(ValueError):
        settle([])


class Pinned:
    def __init__(self, document):
        self.document = document

    def get(self, chat_id):
        return self.document


@pytest.fixture
def library():
    db = open_database(memory=True)
    load_programme(db, PLAN)
    return Library.from_database(db), ProgressStore(db, [1])


def test_reporting_asks_which_document_for_words_two_documents_match(library):
    books, store = library
    service = new_reporting(books, store, None)
    out = service.submit("khu công nghiệp 40%", ADMIN, TODAY)
    assert out.kind == "choose_document" and len(out.documents) == 2
    assert store.all_reports() == []
    plan = next(i for i, label in out.documents if "45/KH-UBND" in label)
    saved = service.submit("khu công nghiệp 40%", ADMIN, TODAY, document=plan)
    assert saved.kind == "saved" and saved.report is not None
    assert (saved.report.target, saved.report.new_progress) == ("I.1", 40.0)


def test_a_task_question_within_a_document_carries_the_document(library):
    books, store = library
    plan = next(d for d in books.documents if d.kind == "plan")
    service = new_reporting(books, store, Pinned(plan.id))
    out = service.submit("đề án 40%", ADMIN, TODAY)  # several "Đề án" tasks in the plan
    assert out.kind == "choose" and out.document == plan.id
    assert {c.id for c in out.choices} <= set(plan.engine.tasks)
    assert store.all_reports() == []


def test_a_target_named_in_words_is_found_in_any_document(library):
    books, store = library
    service = new_reporting(books, store, None)
    out = service.submit("chỉ tiêu che phủ rừng 46,2%", ADMIN, TODAY)
    assert out.kind == "saved" and out.report is not None
    assert out.report.title.startswith("Tỷ lệ che phủ rừng")
    both = service.submit("chỉ tiêu tỷ lệ hộ nghèo 1,9%", ADMIN, TODAY)
    assert both.kind == "choose_document" and len(both.documents) == 2
    assert len(store.all_reports()) == 1


def test_one_document_behaves_as_before():
    db = open_database(memory=True)
    books = Library.from_database(db)
    service = new_reporting(books, ProgressStore(db, [1]), Pinned(999))
    out = service.submit("chuyển đổi số 30%", ADMIN, TODAY)
    assert out.kind == "saved" and out.report is not None and out.report.target == "5.3"
    assert "Đã ghi nhận nhiệm vụ 5.3:" in out.text  # no document named


def test_a_view_by_words_shows_each_close_documents_best_task(library):
    books, store = library
    service = new_reporting(books, store, None)
    both = service.tasks_by_words("khu công nghiệp")
    assert sorted(t.code for t in both) == ["1.1", "I.1"]
    assert [t.code for t in service.tasks_by_words("chuyển đổi số")] == ["5.3"]
    assert service.tasks_by_words("không có gì như vậy cả xyz") == []
    assert store.all_reports() == []
