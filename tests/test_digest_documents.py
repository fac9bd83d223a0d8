"""Reminders, the overdue list, the digest and the chart with two documents loaded."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.context import new_reporting
from handlers.deadlines import overdue_text
from knowledge.digest.daily import build_digest, chart_data, chart_subtitle
from knowledge.programme.store import load_programme, open_database
from knowledge.progress.deadlines import WorkCalendar, due_reminders, reporters_for
from knowledge.progress.log import Member, ProgressStore
from knowledge.progress.reporting import Reporting, Sender
from knowledge.qa.library import Library
from tests.test_deadlines import _task

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The plan's III.4 moved to the programme's last deadline: both documents have a task
# that becomes overdue on 1 January 2026 (the programme's 5.3, the plan's III.4).
PLAN = (
    (Path(__file__).parent / "fixtures" / "plan_c.txt")
    .read_text("utf-8")
    .replace("15/4/2026", "31/12/2025")
)
PROGRAMME_LABEL, PLAN_LABEL = "Chương trình hành động 08-CTr/TU", "Kế hoạch 45/KH-UBND"
ADMIN = Sender(1, "Hùng", chat_id=5, message_id=1)


@pytest.fixture
def service() -> Reporting:
    db = open_database(memory=True)
    load_programme(db, PLAN)
    return new_reporting(Library.from_database(db), ProgressStore(db, [1]), None)


def shelf(service: Reporting, label: str):
    return next(d for d in service.documents if d.label == label)


def test_the_overdue_list_has_a_section_per_document(service):
    text = overdue_text(service, date(2026, 1, 5))
    assert text is not None
    programme, plan = (
        text.index(f"📄 <b>{PROGRAMME_LABEL}</b>"),
        text.index(f"📄 <b>{PLAN_LABEL}</b>"),
    )
    assert programme < plan
    plan_part = text[plan:]
    assert "<b>III.4</b>" in plan_part and "<b>Sở NN&amp;MT</b>" in plan_part
    assert "<b>5.3</b>" in text[programme:plan]
    total = int(text.split("): ", 1)[1].split("\n", 1)[0])
    assert total == text.count("\n• ")  # the total counts both documents' lines
    # the plan's other tasks are not due yet
    assert "<b>I.1</b>" not in plan_part


def test_the_digest_lists_each_documents_overdue_tasks_under_its_name(service):
    text, changed = build_digest(service, datetime(2026, 1, 1, 7, 30, tzinfo=VN))
    assert changed
    overdue = text.split("Vừa quá hạn:")[1].split("Đến hạn")[0].split("Chưa báo cáo")[0]
    lines = overdue.strip().splitlines()
    assert lines[0] == f"📄 {PROGRAMME_LABEL}:" and lines[1].startswith("• 5.3 ")
    assert lines[2] == f"📄 {PLAN_LABEL}:" and lines[3].startswith("• III.4 Kế hoạch phòng")
    assert len(lines) == 4


def test_a_target_check_in_is_judged_against_its_own_documents_target(service):
    plan = shelf(service, PLAN_LABEL)
    now = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    # The plan's "GRDP bình quân đầu người" is 150 triệu đồng; the programme's 5.685 USD.
    ind = next(i for i in plan.engine.programme.indicators if i.name == "GRDP bình quân đầu người")
    service.store.record_indicator(
        ind,
        plan.key,
        value=160,
        value_text="160",
        year=2026,
        user_id=1,
        user_name="Hùng",
        at=(now - timedelta(hours=1)).isoformat(),
    )
    text, _ = build_digest(service, now)
    (line,) = [x for x in text.splitlines() if "GRDP bình quân đầu người" in x]
    assert line == (
        f"• Hùng: chỉ tiêu “GRDP bình quân đầu người” năm 2026 ({PLAN_LABEL}): 160 — "
        "✅ Đạt mục tiêu 150 triệu đồng (năm 2030)."
    )


def test_the_charts_targets_come_from_every_document_named(service):
    programme, plan = shelf(service, PROGRAMME_LABEL), shelf(service, PLAN_LABEL)
    for d, name, value in (
        (programme, "GRDP bình quân đầu người năm 2025", 4800),
        (plan, "GRDP bình quân đầu người", 120),
    ):
        ind = next(i for i in d.engine.programme.indicators if i.name == name)
        service.store.record_indicator(
            ind, d.key, value=value, value_text=str(value), year=2025, user_id=1, user_name="H"
        )
    _, targets = chart_data(service, date(2026, 3, 2))
    assert targets == [
        ("GRDP bình quân đầu người năm 2025", 5685.0, 4800.0, "USD", False, PROGRAMME_LABEL),
        ("GRDP bình quân đầu người", 150.0, 120.0, "triệu đồng", False, PLAN_LABEL),
    ]
    assert chart_subtitle(service) == f"2 văn bản: {PROGRAMME_LABEL}; {PLAN_LABEL}"


def test_one_document_keeps_its_title_and_unnamed_targets():
    db = open_database(memory=True)
    books = Library.from_database(db)
    service = new_reporting(books, ProgressStore(db, [1]), None)
    assert not service.several
    assert chart_subtitle(service) == service.engine.programme.title
    ind = service.engine.programme.indicators[1]
    service.store.record_indicator(
        ind, service.documents[0].key, value=4800, value_text="4800", year=2025, user_id=1
    )
    _, targets = chart_data(service, date(2026, 3, 2))
    assert [t[-1] for t in targets] == [""]
    text, _ = build_digest(service, datetime(2026, 1, 1, 7, 30, tzinfo=VN))
    assert "📄" not in text and "• 5.3 " in text


def test_yearly_tasks_are_reminded_before_the_years_end():
    cal = WorkCalendar()
    yearly = _task("II.3", "Hằng năm", "Sở Nội vụ")
    today = cal.shift(date(2026, 12, 31), -2)
    (due,) = due_reminders([yearly], today, cal, (10, 2))
    assert (due.deadline, due.lead, due.left) == (date(2026, 12, 31), 2, 2)
    assert due_reminders([yearly], date(2026, 6, 1), cal, (10, 2)) == []


def test_reporters_match_a_body_written_in_short_form():
    task = _task("III.4", "", "Sở NN&MT", "UBND cấp xã")
    members = [
        Member(1, "reporter", ("Sở Nông nghiệp và Môi trường",)),
        Member(2, "reporter", ("Ủy ban nhân dân cấp xã",)),
        Member(3, "reporter", ("Sở Y tế",)),
    ]
    nobody = lambda name: None  # noqa: E731 (a document that resolves no body)
    assert reporters_for(task, members, nobody) == {1: "chủ trì", 2: "phối hợp"}


def test_a_reminder_claim_is_filed_under_the_tasks_own_document(service):
    programme, plan = shelf(service, PROGRAMME_LABEL), shelf(service, PLAN_LABEL)
    mine, theirs = plan.engine.task("II.3"), programme.engine.task("II.3")
    assert mine is not None and theirs is not None
    assert service.key_of(mine).startswith(plan.key + ":")
    assert service.key_of(theirs).startswith(programme.key + ":")


def test_the_cli_digest_and_range_report_cover_every_document(tmp_path, capsys):
    from bot.cli import main

    path = tmp_path / "cli.sqlite3"
    db = open_database(path)
    load_programme(db, PLAN)
    db.conn.close()
    assert main(["--db", str(path), "digest", "--print", "--at", "2026-01-01 07:30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("📰 Tóm tắt tiến độ 2 văn bản — 01/01/2026")
    assert f"📄 {PROGRAMME_LABEL}:\n• 5.3 " in out and f"📄 {PLAN_LABEL}:\n• III.4 " in out
    args = ["--db", str(path), "export", "--format", "csv", "--from", "2025-01-01"]
    assert main([*args, "--to", "2026-12-31"]) == 0
    report = capsys.readouterr().out
    assert PLAN_LABEL in report and PROGRAMME_LABEL in report
