"""Periodic reports: /baocao as an .xlsx in the offices' layout, subscriptions, CLI ranges."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest_asyncio
from openpyxl import load_workbook

from bot import cli
from knowledge.progress.deadlines import WorkCalendar
from knowledge.progress.period_report import (
    COLUMNS,
    ReportSubscriptions,
    build_report,
    state_as_of,
)
from knowledge.progress.periods import QUARTER, Period
from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, group_chat, message, private_chat, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = user(8401, "Hùng", "hung")
MEMBER = user(8402, "Nam", "nam")
GROUP = group_chat(-1008888000001, "Văn phòng Tỉnh ủy")
DEC_1 = datetime(2021, 12, 1, 9, 0, tzinfo=VN)


def _record(service):
    tasks = service.engine.tasks
    store = service.store
    doc = service.document_of(tasks["1.1"])
    store.record_task(tasks["1.1"], doc, user_id=1, progress=100, at="2021-06-20T03:00:00+00:00")
    store.record_task(
        tasks["1.4"],
        doc,
        user_id=1,
        progress=60,
        note="đã có dự thảo",
        at="2021-11-10T03:00:00+00:00",
    )
    store.record_task(tasks["1.2"], doc, user_id=1, progress=40, at="2021-08-01T03:00:00+00:00")
    store.record_task(tasks["1.2"], doc, user_id=1, progress=100, at="2021-10-05T03:00:00+00:00")


@pytest_asyncio.fixture
async def app(tmp_path):
    fake = FakeTelegram()
    application = await started_app(
        fake, db_path=tmp_path / "r.sqlite3", admin_ids=frozenset({ADMIN["id"]}), clock=DEC_1
    )
    _record(application.bot_data["reporting"])
    application.bot_data["fake"] = fake
    yield application
    await application.shutdown()


def _sheet(call):
    (upload,) = call.files.values()
    return load_workbook(io.BytesIO(upload.content)).active


def _rows(sheet):
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


async def test_baocao_quy_sends_an_xlsx_in_the_offices_layout(app):
    fake = app.bot_data["fake"]
    await feed(app, message("/baocao quý", private_chat(MEMBER), MEMBER))
    (doc,) = fake.calls_of("sendDocument")
    assert doc.files["document"].filename == "baocao-2021-Q4.xlsx"
    rows = _rows(_sheet(doc))
    title = app.bot_data["engine"].programme.title
    assert rows[0][0] == f"Báo cáo Quý IV/2021: {title}"
    assert rows[1][0] == "Tính đến ngày 01/12/2021"
    header = rows.index(list(COLUMNS))
    assert rows[header + 1][0] == "I. " + app.bot_data["engine"].tasks["1.1"].part_title
    tasks = {r[1].split(". ")[0]: r for r in rows if isinstance(r[0], int)}
    content = app.bot_data["engine"].tasks["1.4"].content
    assert tasks["1.4"][1:] == [
        f"1.4. {content}",
        "Ban CSĐ UBND tỉnh",
        "Quý IV năm 2021",
        "60%",
        "Đang thực hiện trong hạn",
        "đã có dự thảo",
        "",
        "",  # no coordinating body reported its part
    ]
    # Done on time before the quarter: not listed; done late in it: listed as done late.
    assert "1.1" not in tasks
    assert tasks["1.2"][4:6] == ["100%", "Hoàn thành quá hạn"]
    assert tasks["2.1"][4:] == ["—", "Chưa có báo cáo", "", "Chuyển từ kỳ trước", ""]
    assert [r[0] for r in tasks.values()] == list(range(1, len(tasks) + 1))
    assert len(tasks) == 3 + 22  # due in Q4, and unfinished ones carried over (1.2 done in Q4)
    totals = rows[rows.index(["", "Tổng hợp theo tình trạng", *[""] * 7]) + 1 :]
    assert [r[1:3] for r in totals] == [
        ["Hoàn thành đúng hạn", 0],
        ["Hoàn thành quá hạn", 1],
        ["Đang thực hiện trong hạn", 1],
        ["Quá hạn chưa hoàn thành", 0],
        ["Chưa có báo cáo", 23],
        ["Tổng số nhiệm vụ", 25],
    ]
    text = fake.sent_texts(MEMBER["id"])[0]
    assert text.startswith(f"<b>📊 Báo cáo Quý IV/2021: {title}</b>")
    assert (
        "Tổng 25 nhiệm vụ: hoàn thành quá hạn 1; đang thực hiện trong hạn 1; chưa có báo cáo 23."
        in text
    )


async def test_baocao_past_quarter_shows_tasks_as_they_stood_and_filters_a_body(app):
    fake = app.bot_data["fake"]
    await feed(app, message("/baocao quý 3/2021 Ban Dân vận", private_chat(MEMBER), MEMBER))
    rows = _rows(_sheet(fake.calls_of("sendDocument")[-1]))
    tasks = {r[1].split(". ")[0]: r for r in rows if isinstance(r[0], int)}
    assert sorted(tasks) == ["II.5", "II.6"]
    assert tasks["II.5"][-2] == "Chuyển từ kỳ trước" and tasks["II.6"][-2] == ""
    service = app.bot_data["reporting"]
    q3 = build_report(
        service, Period(QUARTER, date(2021, 7, 1), date(2021, 9, 30)), DEC_1.date(), VN
    )
    row = next(r for _, rs in q3.parts for r in rs if r.code == "1.2")
    assert (row.progress, row.status) == ("40%", "Đang thực hiện trong hạn")  # not yet done
    await feed(app, message("/baocao quý Sở Không Có", private_chat(MEMBER), MEMBER))
    assert fake.sent_texts(MEMBER["id"])[-1].startswith("Không rõ cơ quan “so khong co”")


def test_state_as_of_ignores_later_rows(app):
    service = app.bot_data["reporting"]
    task = service.engine.tasks["1.2"]
    history = list(reversed(service.store.history(task, service.document_of(task))))
    before = datetime(2021, 10, 1, tzinfo=VN)
    state = state_as_of(history, before)
    assert (state.progress, state.reports, state.done_at) == (40.0, 1, "")
    assert state_as_of(history, datetime(2021, 8, 1, tzinfo=VN)).reports == 0


async def test_subscribed_group_gets_the_quarter_report_on_the_first_working_day(tmp_path):
    fake = FakeTelegram()
    db_path = tmp_path / "s.sqlite3"
    app = await started_app(fake, db_path=db_path, admin_ids=frozenset({ADMIN["id"]}), clock=DEC_1)
    fake.set_member_status(GROUP["id"], MEMBER["id"], "member")
    await feed(app, message("/dangky baocao quy", GROUP, MEMBER))
    assert fake.sent_texts(GROUP["id"])[-1].startswith("⛔ Chỉ quản trị viên")
    await feed(app, message("/dangky baocao quy", GROUP, ADMIN))
    assert fake.sent_texts(GROUP["id"])[-1].startswith("✅ Đã đăng ký báo cáo hằng quý")
    await app.shutdown()
    first = WorkCalendar().first_working_day(date(2022, 1, 1))
    assert first == date(2022, 1, 4)  # 1 Jan a Saturday, its day off observed on Monday 3
    for day in (date(2022, 1, 3), first):
        clock = datetime.combine(day, time(7, 45), VN)
        again = await started_app(
            fake, db_path=db_path, admin_ids=frozenset({ADMIN["id"]}), clock=clock
        )
        (job,) = again.job_queue.get_jobs_by_name("reports")
        await job.run(again)
        await job.run(again)
        await again.shutdown()
    docs = [c for c in fake.calls_of("sendDocument") if int(c.params["chat_id"]) == GROUP["id"]]
    assert [d.files["document"].filename for d in docs] == ["baocao-2021-Q4.xlsx"]
    last = await started_app(
        fake, db_path=db_path, admin_ids=frozenset({ADMIN["id"]}), clock=DEC_1
    )
    await feed(last, message("/huydangky baocao", GROUP, MEMBER))
    assert fake.sent_texts(GROUP["id"])[-1].startswith("⛔ Chỉ quản trị viên")
    await feed(last, message("/huydangky baocao", GROUP, ADMIN))
    assert fake.sent_texts(GROUP["id"])[-1] == "Đã hủy nhận báo cáo định kỳ."
    assert ReportSubscriptions(last.bot_data["db"]).all() == []
    assert last.bot_data["subscriptions"].all() == []  # the daily digest was never touched
    await last.shutdown()


def test_cli_export_any_range(tmp_path, capsys):
    db = str(tmp_path / "cli.sqlite3")
    out = tmp_path / "range.xlsx"
    args = ["--db", db, "export", "--from", "2021-04-01", "--to", "2021-06-30", "--format", "xlsx"]
    assert cli.main([*args, "--out", str(out)]) == 0
    rows = _rows(load_workbook(out).active)
    assert rows[0][0].startswith("Báo cáo Từ 01/04/2021 đến 30/06/2021")
    assert list(COLUMNS) in rows
    assert cli.main(["--db", db, "export", "--from", "2021-07-01", "--to", "2021-04-01"]) == 2
    assert "--from" in capsys.readouterr().err
