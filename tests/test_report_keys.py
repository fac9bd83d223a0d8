"""Report rows per document: two plans with identically worded tasks keep their own rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from handlers.context import new_reporting
from knowledge.programme.store import load_programme, open_database
from knowledge.progress.export import tables
from knowledge.progress.keys import (
    content_key,
    document_key,
    document_of_key,
    indicator_key,
    task_key,
)
from knowledge.progress.log import ProgressStore
from knowledge.progress.reporting import Reporting, Sender, Shelf
from knowledge.qa.library import Library

PLAN = (Path(__file__).parent / "fixtures" / "plan_c.txt").read_text("utf-8")
TODAY = date(2026, 3, 2)
ADMIN = Sender(1, "Hùng", chat_id=5, message_id=1)


def renumbered(text: str, number: int, province: str) -> str:
    """plan_c as another former province's plan (as ``benchmarks.library`` makes them)."""
    return (
        text.replace("45/KH-UBND", f"{number}/KH-UBND")
        .replace("Hải Bình", province)
        .replace("HẢI BÌNH", province.upper())
    )


OTHER = renumbered(PLAN, 146, "Sơn Lâm")


def build(db) -> Reporting:  # type: ignore[no-untyped-def]
    return new_reporting(Library.from_database(db), ProgressStore(db, [1]), None)


@pytest.fixture
def db():  # type: ignore[no-untyped-def]
    db = open_database(memory=True)
    load_programme(db, PLAN)
    load_programme(db, OTHER)
    return db


def plans(service: Reporting) -> tuple[Shelf, Shelf]:
    ours = next(d for d in service.documents if "45/KH-UBND" in d.label)
    theirs = next(d for d in service.documents if "146/KH-UBND" in d.label)
    return ours, theirs


def test_keys_name_the_document_and_survive_renumbering(db):
    service = build(db)
    ours, theirs = plans(service)
    a, b = ours.engine.task("II.3"), theirs.engine.task("II.3")
    assert a is not None and b is not None and a.content == b.content
    assert content_key(a) == content_key(b)
    assert task_key(a, ours.key) != task_key(b, theirs.key)
    assert (
        document_of_key(task_key(a, ours.key)) == ours.key == document_key(ours.engine.programme)
    )
    assert task_key(replace(a, code="IX.9"), ours.key) == task_key(a, ours.key)
    assert document_of_key(content_key(a)) == ""  # an unscoped (pre-m011) key


def test_a_report_on_one_plan_is_not_seen_on_the_other(db):
    service = build(db)
    ours, theirs = plans(service)
    a, b = ours.engine.task("II.3"), theirs.engine.task("II.3")
    assert a is not None and b is not None
    out = service.submit("II.3 60% đã rà soát", ADMIN, TODAY, document=ours.id)
    assert out.kind == "saved" and out.report is not None
    assert out.report.target_key == task_key(a, ours.key)
    assert service.state_of(a).progress == 60.0
    assert service.state_of(b).reports == 0
    assert service.store.history(b, theirs.key) == []
    assert [r.id for r in service.store.history(a, ours.key)] == [out.report.id]
    # /tiendo II.3 of the other plan, and the overview per document
    assert "Chưa có báo cáo nào." in service.task_progress(b, TODAY)
    assert "60%" in service.task_progress(a, TODAY)
    sections = service.overview(TODAY).split("📄 ")
    (mine,) = [s for s in sections if s.startswith(ours.label)]
    (other,) = [s for s in sections if s.startswith(theirs.label)]
    assert "Đang thực hiện trong hạn: 1" in mine and "Đang thực hiện trong hạn" not in other
    # the export: one row with the report, the other plan's II.3 without
    exported = tables(service.engine, service.store, TODAY, service.documents)
    ii3 = {r[0]: r for r in exported["Nhiệm vụ"][1:] if r[1] == "II.3"}
    assert (ii3[ours.label][7], ii3[ours.label][10]) == (60.0, 1)
    assert (ii3[theirs.label][7], ii3[theirs.label][10]) == (None, 0)
    (history,) = exported["Lịch sử"][1:]
    assert history[0] == ours.label and history[1] == out.report.id


def test_an_undo_reverses_only_its_own_plans_row(db):
    service = build(db)
    ours, theirs = plans(service)
    a, b = ours.engine.task("II.3"), theirs.engine.task("II.3")
    assert a is not None and b is not None
    mine = service.submit("II.3 40%", ADMIN, TODAY, document=ours.id).report
    other = service.submit("II.3 70%", Sender(1, "Hùng", 5, 2), TODAY, document=theirs.id)
    assert mine is not None and other.report is not None
    # the other plan's later report does not make ours "not the latest"
    undone = service.undo(mine.id, Sender(1, "Hùng", 5, 3), datetime.now(UTC))
    assert undone.kind == "saved" and undone.report is not None
    assert undone.report.target_key == mine.target_key
    assert service.state_of(a).progress is None
    assert service.state_of(b).progress == 70.0
    assert service.target_of(other.report) is b
    assert service.target_of(mine) is a


def test_a_target_check_in_is_filed_under_its_plan(db):
    service = build(db)
    ours, theirs = plans(service)
    out = service.submit("chỉ tiêu GRDP bình quân đầu người 150", ADMIN, TODAY, document=ours.id)
    assert out.kind == "saved" and out.report is not None
    mine, other = ours.engine.indicators["2"], theirs.engine.indicators["2"]
    assert mine.name == other.name
    assert out.report.target_key == indicator_key(mine, ours.key)
    assert [r.value for r in service.store.indicator_history(mine, ours.key)] == [150.0]
    assert service.store.indicator_history(other, theirs.key) == []
    assert service.target_of(out.report) is mine


def test_a_target_assigned_on_one_plan_is_not_assigned_on_the_other(db):
    service = build(db)
    ours, theirs = plans(service)
    store = service.store
    store.add_user(7, "reporter", ["Sở Nội vụ"], name="Hoa")
    store.assign_indicator(7, indicator_key(ours.engine.indicators["2"], ours.key))
    hoa = Sender(7, "Hoa", 5, 9)
    line = "chỉ tiêu GRDP bình quân đầu người 150"
    assert service.submit(line, hoa, TODAY, document=ours.id).kind == "saved"
    refused = service.submit(line, hoa, TODAY, document=theirs.id)
    assert refused.kind == "refused" and "chưa được giao" in refused.text


def test_the_fallback_by_code_stays_within_its_document(db):
    service = build(db)
    ours, theirs = plans(service)
    a, b = ours.engine.task("II.3"), theirs.engine.task("II.3")
    assert a is not None and b is not None
    # a row written before the plan's wording was corrected: its key matches no task now
    old = replace(a, content="Rà soát danh sách hộ nghèo (bản cũ)")
    orphan = service.store.record_task(old, ours.key, user_id=1, progress=20.0)
    assert orphan.target == "II.3" and orphan.target_key != task_key(a, ours.key)
    assert service.state_of(a).progress == 20.0  # its own document's II.3 takes it
    assert service.state_of(b).reports == 0  # the other plan's II.3 never does
    assert service.store.history(b, theirs.key) == []
    assert service.target_of(orphan) is a


def test_reloading_a_plan_keeps_its_rows_and_only_its_rows(db):
    service = build(db)
    ours, theirs = plans(service)
    service.submit("II.3 60%", ADMIN, TODAY, document=theirs.id)
    # the same file again, then a corrected version with the same identity
    load_programme(db, OTHER)
    corrected = OTHER.replace("Báo cáo kết quả rà soát", "Báo cáo kết quả rà soát năm")
    load_programme(db, corrected)
    again = build(db)
    assert len(again.documents) == 3
    ours, theirs = plans(again)
    a, b = ours.engine.task("II.3"), theirs.engine.task("II.3")
    assert a is not None and b is not None
    assert again.state_of(b).progress == 60.0
    assert again.state_of(a).reports == 0


def test_removing_a_plan_counts_and_keeps_only_its_own_reports(db):
    from knowledge.programme.store import remove_document

    service = build(db)
    ours, theirs = plans(service)
    service.submit("II.3 60%", ADMIN, TODAY, document=theirs.id)
    service.submit("II.3 30%", Sender(1, "Hùng", 5, 2), TODAY, document=ours.id)
    service.submit("II.3 40%", Sender(1, "Hùng", 5, 3), TODAY, document=theirs.id)
    _, counted = remove_document(db, "146/KH-UBND")
    assert counted == 2
    load_programme(db, OTHER)
    again = build(db)
    ours, theirs = plans(again)
    b = theirs.engine.task("II.3")
    assert b is not None and again.state_of(b).progress == 40.0


# ------------------------------------------------------------------- m011 on an old database

M011 = "m011_report_keys_per_document"
ROW = {
    "user_id": 1,
    "user_name": "Hùng",
    "message_id": 1,
    "kind": "task",
    "action": "report",
    "ref_report": None,
    "old_progress": None,
    "new_progress": 50.0,
    "old_status": "",
    "new_status": "đang thực hiện",
    "value": None,
    "value_text": "",
    "year": None,
    "note": "",
    "role": "",
}


def old_database(path: Path):  # type: ignore[no-untyped-def]
    """A database as m010 left it: three documents, report rows under content keys only."""
    from sqlite_utils import Database

    from knowledge.migrations import migrations
    from knowledge.programme.store import bundled_text

    db = Database(path)
    migrations.apply(db, stop_before=M011)
    for text in (bundled_text(), PLAN, OTHER):
        load_programme(db, text)
    # added in this order; last (re)loaded: the other plan on 10 Jan, ours on 15 Feb
    for doc, at in ((1, "2025-12-01"), (2, "2026-02-15"), (3, "2026-01-10")):
        db.execute("UPDATE documents SET loaded_at = ? WHERE id = ?", [f"{at}T00:00:00", doc])
    db.table("chat_documents").insert(
        {"chat_id": -30, "document_id": 3, "pinned_by": 1, "pinned_at": "2026-01-11T00:00:00"}
    )
    db.table("chat_documents").insert(
        {"chat_id": -31, "document_id": 3, "pinned_by": 1, "pinned_at": "2026-03-01T00:00:00"}
    )
    return db


def test_m011_files_old_rows_under_their_document(tmp_path):
    from knowledge.migrations import migrations
    from knowledge.programme.store import read_documents
    from knowledge.progress.keys import indicator_content_key

    path = tmp_path / "old.sqlite3"
    db = old_database(path)
    programme, ours, theirs = read_documents(db)
    shared = ours.tasks[[t.code for t in ours.tasks].index("II.3")]
    only = programme.tasks[[t.code for t in programme.tasks].index("5.3")]
    old_shared, old_only = content_key(shared), content_key(only)

    def row(n: int, at: str, chat: int, target: str, key: str, **more: object) -> dict:
        return {**ROW, "id": n, "at": at, "chat_id": chat, "target": target,
                "target_key": key, "title": "", **more}  # fmt: skip

    rows = [
        row(1, "2026-02-01T00:00:00", -10, "5.3", old_only),  # one document has it
        row(2, "2026-02-01T00:00:00", -30, "II.3", old_shared),  # chat pinned the other plan
        row(3, "2026-02-20T00:00:00", -10, "II.3", old_shared),  # both loaded: the earliest
        row(4, "2026-02-01T00:00:00", -10, "II.3", old_shared),  # only theirs surely existed
        row(5, "2026-01-07T00:00:00", -31, "II.3", old_shared),  # pinned later; none surely
        row(6, "2026-02-03T00:00:00", -10, "II.3", old_shared, action="undo", ref_report=2),
        row(7, "2026-02-03T00:00:00", -10, "5.3", "0123456789abcdef"),  # reworded since
        row(8, "2026-02-03T00:00:00", -10, "IX.9", "fedcba9876543210"),  # nobody's
    ]
    db.table("reports").insert_all(rows)
    db.table("evidence").insert(
        {"id": 1, "report_id": 2, "task_key": old_shared, "task_code": "II.3", "kind": "document"}
    )
    target = indicator_content_key(ours.indicators[1])
    db.table("user_indicators").insert({"user_id": 7, "indicator": target})
    db.table("deadline_reminders_sent").insert(
        {"task_key": old_shared, "deadline": "2026-06-30", "lead_days": 3, "user_id": 7, "at": ""}
    )
    db.conn.close()

    db = open_database(path)  # migrations run on open
    assert M011 in {m.name for m in migrations.applied(db)}
    keys = [document_key(p) for p in (programme, ours, theirs)]
    p_key, our_key, their_key = keys
    expected = [
        {**rows[0], "target_key": f"{p_key}:{old_only}"},
        {**rows[1], "target_key": f"{their_key}:{old_shared}"},
        {**rows[2], "target_key": f"{our_key}:{old_shared}"},
        {**rows[3], "target_key": f"{their_key}:{old_shared}"},
        {**rows[4], "target_key": f"{our_key}:{old_shared}"},
        {**rows[5], "target_key": f"{their_key}:{old_shared}"},
        {**rows[6], "target_key": f"{p_key}:0123456789abcdef"},
        rows[7],
    ]
    assert list(db["reports"].rows_where(order_by="id")) == expected
    (kept,) = db["evidence"].rows
    assert kept["task_key"] == f"{their_key}:{old_shared}"
    assert sorted(r["indicator"] for r in db["user_indicators"].rows) == sorted(
        [f"{our_key}:{target}", f"{their_key}:{target}"]
    )
    assert sorted(r["task_key"] for r in db["deadline_reminders_sent"].rows) == sorted(
        [f"{our_key}:{old_shared}", f"{their_key}:{old_shared}"]
    )
    # and the service reads them where they were filed
    service = build(db)
    mine, other = plans(service)
    a, b = mine.engine.task("II.3"), other.engine.task("II.3")
    assert a is not None and b is not None
    assert [r.id for r in service.store.history(a, our_key, role=None)] == [5, 3]
    assert [r.id for r in service.store.history(b, their_key, role=None)] == [6, 4, 2]


def test_a_reload_that_completes_an_identity_keeps_the_rows(db):
    service = build(db)
    ours, _ = plans(service)
    service.submit("II.3 60%", ADMIN, TODAY, document=ours.id)
    # as m006 left a document stored before identities: issuer "" (rows filed so by m011)
    from knowledge.progress.refile import move_document

    issuer = db["documents"].get(ours.id)["issuer"]
    db.execute("UPDATE documents SET issuer = '' WHERE id = ?", [ours.id])
    blank = build(db)
    blank_plan = next(d for d in blank.documents if d.id == ours.id)
    move_document(db, ours.key, blank_plan.key)
    assert blank.state_of(blank_plan.engine.task("II.3")).progress == 60.0
    load_programme(db, PLAN)  # the reload fills the issuer in
    assert db["documents"].get(ours.id)["issuer"] == issuer
    again = build(db)
    plan = next(d for d in again.documents if d.id == ours.id)
    assert plan.key == ours.key
    assert again.state_of(plan.engine.task("II.3")).progress == 60.0
