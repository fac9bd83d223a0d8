"""Issue #11 part 2 without Telegram: the attach rule, review rows in the log, confirmed
status, the review service's gate and idempotence, evidence rows, per-chat quiet setting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from knowledge.engine import Engine
from knowledge.progress.chat_settings import ChatSettings
from knowledge.progress.evidence import Attachment
from knowledge.progress.log import DONE_LATE, ProgressStore, task_status
from knowledge.progress.reporting import Reporting, Sender
from knowledge.progress.review import confirm, send_back
from knowledge.progress.views import state_line
from knowledge.progress.write_rules import attach_refusal, undo_refusal
from tests.test_write_rules import BASE, T0

ADMIN_ID, TG_ID, OTHER_ID, STRANGER = 1, 2, 3, 4
TODAY = date(2026, 11, 28)
FILE = Attachment("document", "BQAC-1", "AQAD-1", "qd.pdf", "application/pdf", 1024, "")


@pytest.mark.parametrize(
    ("change", "user_id", "undone", "minutes", "says"),
    [
        ({}, 7, False, 5, None),
        ({}, 7, False, 47 * 60, None),
        ({"action": "amend"}, 7, False, 5, None),
        ({}, 8, False, 5, "chỉ người gửi báo cáo"),
        ({}, 7, True, 5, "đã được hoàn tác"),
        ({}, 7, False, 49 * 60, "trong vòng 48 giờ"),
        ({"kind": "indicator"}, 7, False, 5, "báo cáo tiến độ nhiệm vụ"),
        ({"action": "undo"}, 7, False, 5, "báo cáo tiến độ nhiệm vụ"),
        ({"action": "confirm"}, 7, False, 5, "báo cáo tiến độ nhiệm vụ"),
        ({"action": "return"}, 7, False, 5, "báo cáo tiến độ nhiệm vụ"),
    ],
)
def test_attach_refusal(change, user_id, undone, minutes, says):
    report = replace(BASE, **change)
    now = T0 + timedelta(minutes=minutes)
    reason = attach_refusal(report, user_id=user_id, undone=undone, now=now)
    assert reason is None if says is None else says in (reason or "")


@pytest.mark.parametrize("action", ["confirm", "return"])
def test_review_rows_cannot_be_undone(action):
    row = replace(BASE, action=action)
    reason = undo_refusal(row, row, user_id=7, undone=False, now=T0)
    assert reason == "không hoàn tác được việc xác nhận hay trả lại của quản trị viên"


@pytest.fixture
def setup(db):
    engine = Engine.from_database(db)
    store = ProgressStore(db, admin_ids=[ADMIN_ID])
    store.add_user(TG_ID, "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Lan")
    store.add_user(OTHER_ID, "admin", name="Tâm")
    return engine, store, Reporting(engine, store)


def sender(user_id, name=""):
    return Sender(user_id, name, chat_id=user_id, message_id=100 + user_id)


def test_confirmed_lasts_while_done_and_ends_when_reopened(setup):
    engine, store, service = setup
    task = engine.task("II.3")
    store.record_task(task, service.document_of(task), user_id=TG_ID, status="hoàn thành")
    assert not service.state_of(task).confirmed
    assert confirm(service, task, sender(ADMIN_ID, "Hùng")).outcome.kind == "saved"
    state = service.state_of(task)
    assert state.confirmed and task_status(task, state, TODAY) == DONE_LATE
    assert state_line(task, state, TODAY).startswith(
        "Tình trạng: Hoàn thành quá hạn (đã xác nhận)"
    )
    # Another "hoàn thành" keeps it; any report that reopens the task ends it.
    store.record_task(
        task, service.document_of(task), user_id=TG_ID, status="hoàn thành", note="bổ sung"
    )
    assert service.state_of(task).confirmed
    store.record_task(task, service.document_of(task), user_id=TG_ID, progress=90)
    store.record_task(task, service.document_of(task), user_id=TG_ID, progress=100)
    assert service.state_of(task).done and not service.state_of(task).confirmed


def test_review_gate_and_idempotence(setup):
    engine, store, service = setup
    task = engine.task("II.3")
    refused = confirm(service, task, sender(ADMIN_ID))
    assert (
        refused.outcome.kind == "refused"
        and "không ở trạng thái hoàn thành" in refused.outcome.text
    )
    done = store.record_task(
        task, service.document_of(task), user_id=TG_ID, user_name="Lan", status="hoàn thành"
    )
    for who, says in ((TG_ID, "chỉ quản trị viên"), (STRANGER, "chưa được cấp quyền")):
        assert says in confirm(service, task, sender(who)).outcome.text
        assert says in send_back(service, task, "lý do", sender(who)).outcome.text
    first = confirm(service, task, sender(OTHER_ID, "Tâm"))
    assert first.notice is not None and first.notice.user_id == TG_ID
    again = confirm(service, task, sender(ADMIN_ID))
    assert again.outcome.kind == "usage" and again.notice is None
    back = send_back(service, task, "  thiếu   hồ sơ ", sender(ADMIN_ID, "Hùng"))
    assert back.outcome.report is not None
    assert (back.outcome.report.action, back.outcome.report.note) == ("return", "thiếu hồ sơ")
    assert back.outcome.report.ref_report == done.id
    assert send_back(service, task, "nữa", sender(ADMIN_ID)).outcome.kind == "refused"
    assert [r.action for r in store.history(task, service.document_of(task))] == [
        "return",
        "confirm",
        "report",
    ]
    audit = [(a["action"], a["allowed"]) for a in store.db["audit"].rows]
    assert audit.count(("confirm", 0)) == 3 and audit.count(("return", 0)) == 3


def test_a_removed_admin_is_refused_now(setup):
    engine, store, service = setup
    task = engine.task("II.3")
    store.record_task(task, service.document_of(task), user_id=TG_ID, status="hoàn thành")
    store.remove_user(OTHER_ID)
    assert "chưa được cấp quyền" in confirm(service, task, sender(OTHER_ID)).outcome.text
    assert not service.state_of(task).confirmed


def test_the_admin_who_reported_done_is_not_told_of_their_own_review(setup):
    engine, store, service = setup
    task = engine.task("II.3")
    store.record_task(task, service.document_of(task), user_id=ADMIN_ID, status="hoàn thành")
    assert confirm(service, task, sender(ADMIN_ID)).notice is None


def test_evidence_is_kept_once_per_report_and_hidden_after_an_undo(setup):
    engine, store, service = setup
    task = engine.task("II.3")
    report = store.record_task(
        task, service.document_of(task), user_id=TG_ID, progress=50, note="theo KH 45/KH-UBND"
    )
    kept = service.evidence.add(report, FILE, chat_id=5, message_id=6)
    assert kept is not None and (kept.doc_refs, kept.chat_id) == ("Kế hoạch số 45/KH-UBND", 5)
    assert service.evidence.add(report, FILE, chat_id=5, message_id=7) is None
    assert [e.id for e in service.evidence.for_task(report.target_key)] == [kept.id]
    store.undo(report, user_id=TG_ID)
    assert service.evidence.for_task(report.target_key) == []
    assert [e.id for e in service.evidence.for_report(report.id)] == [kept.id]


def test_attach_checks_rights_now(setup):
    engine, store, service = setup
    task = engine.task("II.3")
    report = store.record_task(task, service.document_of(task), user_id=TG_ID, progress=50)
    now = datetime.now(UTC)
    assert service.attach(report.id, FILE, sender(TG_ID), now).kind == "saved"
    store.remove_user(TG_ID)
    other = replace(FILE, file_unique_id="AQAD-2")
    assert "chưa được cấp quyền" in service.attach(report.id, other, sender(TG_ID), now).text
    assert service.attach(10**30, other, sender(TG_ID), now).kind == "usage"


def test_quiet_is_the_default_in_groups_only_and_persisted(db):
    settings = ChatSettings(db)
    assert settings.quiet(-100, group=True) and not settings.quiet(5, group=False)
    settings.set_quiet(-100, False, by=1)
    assert not settings.quiet(-100, group=True) and settings.quiet(-200, group=True)
    assert not ChatSettings(db).quiet(-100, group=True)
