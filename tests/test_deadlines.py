"""Working days (Tết, makeup days), deadline reminders, the weekly overdue list, /ngaylam."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest_asyncio

from knowledge.programme.model import Task
from knowledge.progress.deadlines import (
    DAY_OFF,
    MAKEUP,
    CalendarStore,
    DueReminder,
    WorkCalendar,
    due_reminders,
    parse_day,
    reporters_for,
)
from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, message, private_chat, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = user(8301, "Hùng", "hung")
REPORTER = user(8302, "Nam", "nam")
HELPER = user(8303, "Mai", "mai")
OUTSIDER = user(8304, "Tú", "tu")


def _task(code: str, due: str, lead: str = "Sở Y tế", coordinating: str = "") -> Task:
    return Task(
        code=code,
        part="I",
        part_title="Đề án",
        group="",
        content=f"Nhiệm vụ {code}",
        lead=lead,
        approval="",
        issuer="",
        due=due,
        period="",
        coordinating=coordinating,
        extra={},
        position=1,
    )


def test_tet_and_weekends_are_not_working_days():
    cal = WorkCalendar()
    tet_2027 = [date(2027, 2, d) for d in range(4, 11)]  # 29 Tết … mùng 5
    assert [cal.is_working_day(d) for d in tet_2027] == [False] * 7
    assert cal.is_working_day(date(2027, 2, 3)) and cal.is_working_day(date(2027, 2, 11))
    assert not cal.is_working_day(date(2027, 2, 13))  # a Saturday
    assert cal.is_working_day(date(2026, 8, 22))  # a Saturday worked instead (the library)
    assert cal.holiday_name(date(2027, 2, 6)) == "Tết Nguyên Đán"
    # 2 working days before Friday 12 Feb 2027: Thursday 11, then back past Tết to 3 Feb.
    assert cal.shift(date(2027, 2, 12), -2) == date(2027, 2, 3)
    assert cal.working_days_between(date(2027, 2, 3), date(2027, 2, 12)) == 2


def test_makeup_days_and_extra_days_off():
    cal = WorkCalendar(makeup=frozenset({date(2027, 2, 20)}), off=frozenset({date(2027, 2, 11)}))
    assert cal.is_working_day(date(2027, 2, 20)) and not cal.is_working_day(date(2027, 2, 11))
    assert cal.shift(date(2027, 2, 19), 1) == date(2027, 2, 20)
    assert cal.first_working_day(date(2027, 2, 6)) == date(2027, 2, 12)


def test_due_reminders_one_per_task_nearest_rule():
    cal = WorkCalendar()
    q1 = _task("1.1", "Quý I năm 2027")  # deadline Wednesday 31 March 2027
    ten_before = cal.shift(date(2027, 3, 31), -10)
    assert ten_before == date(2027, 3, 17)
    assert due_reminders([q1], ten_before - timedelta(days=1), cal, (10, 2)) == []
    assert due_reminders([q1], ten_before, cal, (10, 2)) == [
        DueReminder(q1, date(2027, 3, 31), 10, 10)
    ]
    two_before = date(2027, 3, 29)
    assert due_reminders([q1], two_before, cal, (10, 2)) == [
        DueReminder(q1, date(2027, 3, 31), 2, 2)
    ]
    assert due_reminders([q1], date(2027, 4, 1), cal, (10, 2)) == []  # past the deadline
    assert due_reminders([q1], date(2027, 3, 20), cal, (10, 2)) == []  # a Saturday
    assert due_reminders([_task("x", "thường xuyên")], two_before, cal, (10, 2)) == []


def test_reporters_of_lead_and_coordinating_bodies():
    from knowledge.progress.log import Member

    task = _task("3.1", "Quý I năm 2027", lead="Sở Y tế", coordinating="Sở Tài chính, Sở Nội vụ")
    members = [
        Member(1, "reporter", ("Sở Y tế",)),
        Member(2, "reporter", ("Sở Nội vụ",)),
        Member(3, "reporter", ("Sở Nội vụ", "Sở Y tế")),
        Member(4, "reporter", ("Sở Xây dựng",)),
        Member(5, "admin", ("Sở Y tế",)),
    ]
    canonical = {"Sở Y tế": "Sở Y tế", "Sở Tài chính": "Sở Tài chính", "Sở Nội vụ": "Sở Nội vụ"}
    assert reporters_for(task, members, canonical.get) == {
        1: "chủ trì",
        2: "phối hợp",
        3: "chủ trì",
    }


def test_parse_day():
    assert parse_day("2027-02-20") == date(2027, 2, 20) == parse_day("20/02/2027")
    assert parse_day("2027-02-30") is None and parse_day("mai") is None


def test_calendar_store_round_trip(db):
    store = CalendarStore(db)
    now = datetime(2027, 1, 5, 9, 0, tzinfo=VN)
    store.set_day(date(2027, 2, 20), MAKEUP, by=1, now=now)
    store.set_day(date(2027, 2, 11), DAY_OFF, by=1, now=now)
    assert store.days() == [
        {
            "day": "2027-02-11",
            "kind": "off",
            "note": "",
            "added_by": 1,
            "added_at": "2027-01-05T02:00:00+00:00",
        },
        {
            "day": "2027-02-20",
            "kind": "makeup",
            "note": "",
            "added_by": 1,
            "added_at": "2027-01-05T02:00:00+00:00",
        },
    ]
    assert store.calendar() == WorkCalendar(
        makeup=frozenset({date(2027, 2, 20)}), off=frozenset({date(2027, 2, 11)})
    )
    assert store.claim_reminder("k", date(2027, 3, 31), 10, 7, now)
    assert not store.claim_reminder("k", date(2027, 3, 31), 10, 7, now)
    store.release_reminder("k", date(2027, 3, 31), 10, 7)
    assert store.claim_reminder("k", date(2027, 3, 31), 10, 7, now)
    assert store.remove_day(date(2027, 2, 20)) and not store.remove_day(date(2027, 2, 20))


@pytest_asyncio.fixture
async def make_app(tmp_path):
    apps = []

    async def make(fake: FakeTelegram, clock: datetime):
        app = await started_app(
            fake, db_path=tmp_path / "dl.sqlite3", admin_ids=frozenset({ADMIN["id"]}), clock=clock
        )
        apps.append(app)
        return app

    yield make
    for app in apps:
        await app.shutdown()


def _reminders(fake, chat_id):
    return [t for t in fake.sent_texts(chat_id) if t.startswith("⏰")]


async def _people(app):
    store = app.bot_data["reporting"].store
    lead = app.bot_data["engine"].resolve_agency("Ban CSĐ UBND tỉnh")
    assert lead is not None
    store.add_user(REPORTER["id"], "reporter", [lead], name="Nam")
    store.add_user(OUTSIDER["id"], "reporter", ["Ban Dân vận Tỉnh ủy"], name="Tú")
    for person in (ADMIN, REPORTER, OUTSIDER):
        await feed(app, message("/start", private_chat(person), person))


async def test_reminder_before_a_deadline_skips_tet(make_app):
    # Task II.1 (Ban CSĐ UBND tỉnh) is due in Quý I năm 2021: Wednesday 31 March 2021.
    # Tết Tân Sửu closed offices from 10 to 16 February 2021.
    fake = FakeTelegram()
    cal = WorkCalendar()
    deadline = date(2021, 3, 31)
    remind_on = cal.shift(deadline, -40)
    weekdays_only = deadline - timedelta(weeks=8)  # 40 weekdays back, if Tết were worked
    assert remind_on < weekdays_only  # Tết moved it earlier
    app = await make_app(fake, datetime.combine(weekdays_only, datetime.min.time(), VN))
    await _people(app)
    await feed(app, message("/ngaylam nhac 40", private_chat(ADMIN), ADMIN))
    assert fake.sent_texts(ADMIN["id"])[-1] == "✅ Nhắc trước hạn 40 ngày làm việc."
    await app.shutdown()
    # The day before the reminder day: nothing; on it (8:00, a restart in between): once.
    for today, expected in ((remind_on - timedelta(days=1), 0), (remind_on, 1)):
        app = await make_app(
            fake, datetime.combine(today, datetime.min.time(), VN).replace(hour=8)
        )
        (job,) = app.job_queue.get_jobs_by_name("deadlines")
        await job.run(app)
        await job.run(app)
        assert len(_reminders(fake, REPORTER["id"])) == expected, today
    (text,) = _reminders(fake, REPORTER["id"])
    assert text == (
        "⏰ <b>Nhắc hạn</b>: 1 nhiệm vụ của đơn vị sắp đến hạn trình.\n"
        f"• <b>II.1</b> {_content(app, 'II.1')} (chủ trì) — hạn Quý I năm 2021 (31/03/2021), "
        "còn <b>40</b> ngày làm việc\n"
        "Cập nhật tiến độ: <code>/capnhat II.1 60% ghi chú</code>"
    )
    assert _reminders(fake, OUTSIDER["id"]) == [] and _reminders(fake, ADMIN["id"]) == []


def _content(app, code):
    from knowledge.render import shorten

    return shorten(app.bot_data["engine"].tasks[code].content, 80)


async def test_weekly_overdue_list_goes_to_admins_once_a_week(make_app):
    fake = FakeTelegram()
    monday = datetime(2021, 7, 5, 8, 15, tzinfo=VN)
    app = await make_app(fake, monday)
    await _people(app)
    (job,) = app.job_queue.get_jobs_by_name("overdue")
    await job.run(app)
    await job.run(app)
    lists = [t for t in fake.sent_texts(ADMIN["id"]) if t.startswith("📋")]
    assert len(lists) == 1
    assert lists[0].startswith("📋 <b>Nhiệm vụ quá hạn chưa hoàn thành</b> (05/07/2021): 14")
    assert "<b>1.1</b>" in lists[0] and "chưa có báo cáo" in lists[0]
    assert [t for t in fake.sent_texts(REPORTER["id"]) if t.startswith("📋")] == []


async def test_ngaylam_admin_only_and_listing(make_app):
    fake = FakeTelegram()
    app = await make_app(fake, datetime(2027, 1, 5, 9, 0, tzinfo=VN))
    await feed(app, message("/ngaylam 2027-02-20", private_chat(OUTSIDER), OUTSIDER))
    assert fake.sent_texts(OUTSIDER["id"])[-1] == "⛔ Chỉ quản trị viên được sửa lịch làm việc."
    assert CalendarStore(app.bot_data["db"]).days() == []
    await feed(app, message("/ngaylam 2027-02-20", private_chat(ADMIN), ADMIN))
    assert fake.sent_texts(ADMIN["id"])[-1] == "✅ 20/02/2027 là ngày làm bù."
    await feed(app, message("/ngaylam nghi 08/02/2027", private_chat(ADMIN), ADMIN))
    assert fake.sent_texts(ADMIN["id"])[-1] == (
        "✅ 08/02/2027 (Mùng ba Tết Nguyên Đán) là ngày nghỉ thêm."
    )
    await feed(app, message("/ngaylam", private_chat(ADMIN), ADMIN))
    assert fake.sent_texts(ADMIN["id"])[-1].endswith(
        "Nhắc trước hạn: 10, 2 ngày làm việc.\n• 08/02/2027: nghỉ thêm\n• 20/02/2027: làm bù"
    )
