"""The export and the period report with several documents: a document column and sections."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from handlers.context import new_reporting
from knowledge.programme.store import load_programme, open_database
from knowledge.progress.export import DOCUMENT_COLUMN, TASK_COLUMNS, tables
from knowledge.progress.log import ProgressStore
from knowledge.progress.period_report import build_report
from knowledge.progress.periods import RANGE, Period
from knowledge.progress.reporting import Sender
from knowledge.qa.library import Library

PLAN = (Path(__file__).parent / "fixtures" / "plan_c.txt").read_text("utf-8")
TODAY = date(2026, 3, 2)
ADMIN = Sender(1, "Hùng", chat_id=5, message_id=1)


@pytest.fixture
def service():
    db = open_database(memory=True)
    load_programme(db, PLAN)
    return new_reporting(Library.from_database(db), ProgressStore(db, [1]), None)


def test_the_export_has_a_document_column_and_every_documents_tasks(service):
    plan = next(d for d in service.documents if "45/KH-UBND" in d.label)
    out = service.submit("II.3 60%", ADMIN, TODAY, document=plan.id)
    assert out.kind == "saved"
    tasks = tables(service.engine, service.store, TODAY, service.documents)["Nhiệm vụ"]
    assert tasks[0] == [DOCUMENT_COLUMN, *TASK_COLUMNS]
    counts = {d.label: len(d.engine.programme.tasks) for d in service.documents}
    assert {label: sum(r[0] == label for r in tasks[1:]) for label in counts} == counts
    (ii3,) = [r for r in tasks[1:] if r[0] == plan.label and r[1] == "II.3"]
    assert ii3[7] == 60.0
    others = [r for r in tasks[1:] if r[0] != plan.label and r[1] == "II.3"]
    assert len(others) == 1 and others[0][7] is None


def test_one_document_exports_as_before(service):
    one = tables(service.engine, service.store, TODAY)["Nhiệm vụ"]
    assert one[0] == TASK_COLUMNS
    assert len(one) == len(service.engine.programme.tasks) + 1


def test_the_period_report_has_a_section_per_document(service):
    plan = next(d for d in service.documents if "45/KH-UBND" in d.label)
    assert service.submit("II.3 60%", ADMIN, TODAY, document=plan.id).kind == "saved"
    report = build_report(
        service, Period(RANGE, date(2026, 1, 1), date(2026, 12, 31)), TODAY, None
    )
    assert report.title == "2 văn bản"
    titles = [title for title, _ in report.parts]
    assert any(t.startswith(plan.label + " — ") for t in titles)
    assert any(t.startswith("Chương trình hành động 08-CTr/TU — ") for t in titles)


def test_the_chart_has_a_bar_per_document(service):
    from knowledge.digest.daily import chart_data

    by_part, _ = chart_data(service, TODAY)
    assert {k: sum(v.values()) for k, v in by_part.items()} == {
        d.label: len(d.engine.programme.tasks) for d in service.documents
    }


def test_a_coordinating_reports_undo_leaves_the_leads_figures(service):
    from datetime import UTC, datetime

    store = service.store
    store.add_user(7, "reporter", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], name="Tâm")
    store.add_user(8, "reporter", ["Sở Nội vụ"], name="Hoa")
    plan = next(d for d in service.documents if "45/KH-UBND" in d.label)
    task = plan.engine.task("II.3")
    lead = service.submit("II.3 30%", Sender(8, "Hoa", 5, 10), TODAY, document=plan.id)
    helper = service.submit("II.3 90%", Sender(7, "Tâm", 5, 11), TODAY, document=plan.id)
    assert (lead.kind, helper.kind) == ("saved", "saved")
    assert helper.report is not None and helper.report.role == "coordinating"
    assert store.state(task, plan.key).progress == 30.0
    undone = service.undo(helper.report.id, Sender(7, "Tâm", 5, 12), datetime.now(UTC))
    assert undone.kind == "saved" and undone.report is not None
    assert undone.report.role == "coordinating"
    assert store.state(task, plan.key).progress == 30.0  # the lead's figures are untouched
    assert store.state(task, plan.key, "coordinating").progress is None
    # the coordinating reporter may not undo the lead's report
    refused = service.undo(lead.report.id, Sender(7, "Tâm", 5, 13), datetime.now(UTC))
    assert refused.kind == "refused"
    assert store.state(task, plan.key).progress == 30.0


def test_a_bodys_tasks_are_listed_per_document(service):
    text = service.agency_progress("Sở Nội vụ", TODAY)
    assert text is not None and "📄 Kế hoạch 45/KH-UBND" in text and "II.3" in text


def test_the_period_report_shows_a_coordinating_bodys_part_beside_the_leads(service):
    from knowledge.progress.period_report import COLUMNS, helper_parts, report_text

    store = service.store
    store.add_user(7, "reporter", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], name="Tâm")
    store.add_user(8, "reporter", ["Sở Nội vụ"], name="Hoa")
    plan = next(d for d in service.documents if "45/KH-UBND" in d.label)
    lead = service.submit(
        "II.3 30% đang rà soát", Sender(8, "Hoa", 5, 10), TODAY, document=plan.id
    )
    helper = service.submit(
        "II.3 90% đã vận động", Sender(7, "Tâm", 5, 11), TODAY, document=plan.id
    )
    assert (lead.kind, helper.kind) == ("saved", "saved")
    # the rows carry the real clock: a period up to now
    report = build_report(service, Period(RANGE, TODAY, date(2099, 12, 31)), date.today(), None)
    (row,) = [r for _, rows in report.parts for r in rows if r.content.startswith("Rà soát, bổ")]
    assert (row.progress, row.status) == ("30%", "Đang thực hiện trong hạn")  # the lead's
    assert row.helpers == ("Tâm: 90%, đang thực hiện — đã vận động",)
    assert row.cells()[COLUMNS.index("Phần phối hợp")] == "Tâm: 90%, đang thực hiện — đã vận động"
    assert "🤝 Phần phối hợp — Tâm: 90%, đang thực hiện — đã vận động" in report_text(report)
    # as of a moment before the helper's report, its part is not shown
    assert (
        helper_parts(
            store.history(plan.engine.task("II.3"), plan.key, role="coordinating"),
            datetime.fromisoformat("2000-01-01T00:00:00+00:00"),
        )
        == ()
    )


def test_the_overview_and_a_bodys_tasks_cover_every_document_named_per_document(service):
    overview = service.overview(TODAY)
    for d in service.documents:
        assert f"📄 {d.label}\nTiến độ {len(d.engine.programme.tasks)} nhiệm vụ" in overview
    # Sở Tài chính leads the plan's I.1; the programme does not know the body
    text = service.agency_progress("Sở Tài chính", TODAY)
    assert text is not None and text.startswith("📄 Kế hoạch 45/KH-UBND\n")
    assert "I.1" in text and "Chương trình hành động" not in text
