"""Progress questions answered from the report log through the engine's progress view."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.engine import Engine
from knowledge.progress.keys import document_key
from knowledge.progress.log import ProgressStore
from knowledge.qa.progress_view import StoreProgress

TODAY = date(2026, 11, 28)


@pytest.fixture
def tracked(db):  # type: ignore[no-untyped-def]
    store = ProgressStore(db, admin_ids=[1])
    engine = Engine.from_database(db, progress=StoreProgress(store, lambda: TODAY))
    doc = document_key(engine.programme)
    store.record_task(engine.tasks["5.3"], doc, user_id=1, progress=60.0, note="đã có kế hoạch")
    store.record_task(engine.tasks["II.8"], doc, user_id=1, progress=100.0, status="hoàn thành")
    return engine


@pytest.mark.parametrize(
    "question",
    ["5.3 đến đâu rồi", "nhiệm vụ 5.3 tiến độ thế nào", "chương trình chuyển đổi số đã xong chưa"],
)
def test_how_far_a_task_has_got(tracked, question):  # type: ignore[no-untyped-def]
    answer = tracked.ask(question)
    assert answer.found and answer.intent == "progress"
    assert answer.text.startswith("Nhiệm vụ 5.3 — tình trạng: Quá hạn chưa hoàn thành (60%")
    assert [r.id for r in answer.results] == ["5.3"]


def test_which_tasks_are_done_and_which_overdue(tracked):  # type: ignore[no-untyped-def]
    done = tracked.ask("những nhiệm vụ nào đã hoàn thành")
    assert [r.id for r in done.results] == ["II.8"]
    overdue = tracked.ask("nhiệm vụ nào quá hạn")
    assert "5.3" in [r.id for r in overdue.results]
    assert "II.8" not in [r.id for r in overdue.results]
    # Unreported tasks are not overdue: nobody has said anything yet.
    assert len(overdue.results) == 1


def test_status_by_part_and_body(tracked):  # type: ignore[no-untyped-def]
    part = tracked.ask("phần II có nhiệm vụ nào chưa báo cáo")
    codes = [r.id for r in part.results]
    assert "II.8" not in codes and codes and all(c.startswith("II.") for c in codes)
    body = tracked.ask("nhiệm vụ Ban Nội chính Tỉnh ủy chủ trì đã hoàn thành")
    assert [r.id for r in body.results] == ["II.8"]


def test_a_body_with_nothing_known_overdue_lists_its_unreported_tasks(tracked):  # type: ignore[no-untyped-def]
    answer = tracked.ask("Ủy ban Kiểm tra Tỉnh ủy có nhiệm vụ nào quá hạn không?")
    assert answer.found and [r.id for r in answer.results] == ["II.7"]
    assert "chưa có báo cáo nên chưa rõ" in answer.text


def test_a_task_named_by_its_code_is_the_one_asked_about(tracked):  # type: ignore[no-untyped-def]
    answer = tracked.ask("Nhiệm vụ 1.6 về kinh tế biển đã hoàn thành chưa, ai chịu trách nhiệm?")
    assert answer.found and [r.id for r in answer.results] == ["1.6"]
    assert "Chưa có báo cáo" in answer.text and "Ban cán sự đảng" in answer.text


def test_without_a_report_log_progress_is_not_invented(db):  # type: ignore[no-untyped-def]
    engine = Engine.from_database(db)
    answer = engine.ask("nhiệm vụ nào quá hạn")
    assert not answer.found and "Chưa có sổ theo dõi tiến độ" in answer.text


def test_cards_show_the_status_line(tracked):  # type: ignore[no-untyped-def]
    card = tracked.card("task", "II.8")
    assert card is not None and "Tình trạng: Hoàn thành" in card


def test_cli_ask_reads_the_report_log_like_the_bot(tmp_path, capsys):  # type: ignore[no-untyped-def]
    """`ctbot ask` builds the engine with the progress view, as bot/app.py post_init does."""
    import json

    from bot.cli import main
    from knowledge.programme.store import open_database

    path = tmp_path / "cli.sqlite3"
    assert main(["--db", str(path), "ask", "--json", "nhiệm vụ 5.3 đến đâu rồi"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["found"] and "Chưa có báo cáo" in got["answer"]
    db = open_database(path)
    store = ProgressStore(db, admin_ids=[1])
    engine = Engine.from_database(db)
    doc = document_key(engine.programme)
    store.record_task(engine.tasks["5.3"], doc, user_id=1, progress=60.0, note="đã có kế hoạch")
    assert main(["--db", str(path), "ask", "--json", "nhiệm vụ 5.3 đến đâu rồi"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert "60%" in got["answer"] and "Chưa có báo cáo" not in got["answer"]
