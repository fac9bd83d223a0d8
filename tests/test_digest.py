"""Digests with a controlled clock: schedule, restart, missed digests, content, 429s."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from knowledge.digest.daily import (
    DEFAULT_DAYS,
    Subscription,
    SubscriptionStore,
    build_digest,
    describe_days,
    parse_days,
    parse_schedule,
)
from knowledge.engine import Engine
from knowledge.progress.keys import document_key
from knowledge.progress.log import ProgressStore
from knowledge.progress.reporting import Reporting
from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, group_chat, message, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = user(8001, "Hùng", "hung")
MEMBER = user(8002, "Nam", "nam")
GROUP = group_chat(-1007777777777, "Ban chỉ đạo CTr 08")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("T2-T6", {1, 2, 3, 4, 5}),
        ("t2,t4,t6", {1, 3, 5}),
        ("CN", {7}),
        ("thứ 2 - thứ 6", {1, 2, 3, 4, 5}),
        ("T7-CN", {6, 7}),
        ("hàng ngày", set(DEFAULT_DAYS)),
        ("mai", None),
    ],
)
def test_parse_days(text, days):
    assert parse_days(text) == (frozenset(days) if days is not None else None)


def test_parse_schedule_and_describe():
    assert parse_schedule([]) == (time(7, 30), DEFAULT_DAYS)
    assert parse_schedule(["6h45", "T2-T6"]) == (time(6, 45), frozenset({1, 2, 3, 4, 5}))
    assert "không hợp lệ" in parse_schedule(["24:10"])
    assert describe_days({1, 2, 3, 4, 5}) == "T2-T6" and describe_days(DEFAULT_DAYS) == "hằng ngày"


@pytest.fixture
def service(db):
    return Reporting(Engine.from_database(db), ProgressStore(db, admin_ids=[1]))


def test_digest_content(service):
    now = datetime(2021, 7, 1, 7, 30, tzinfo=VN)  # the day after Quý II năm 2021 ended
    fresh = (now - timedelta(hours=3)).isoformat()
    doc = document_key(service.engine.programme)
    service.store.record_task(
        service.engine.tasks["II.3"],
        doc,
        user_id=1,
        user_name="Hùng",
        progress=40,
        note="đã có dự thảo",
        at=fresh,
    )
    forest = next(i for i in service.engine.programme.indicators if "che phủ rừng" in i.name)
    service.store.record_indicator(
        forest,
        doc,
        value=46.2,
        value_text="46,2",
        year=2020,
        user_id=1,
        user_name="Hùng",
        at=fresh,
    )
    text, changed = build_digest(service, now)
    assert changed
    assert "• Hùng: nhiệm vụ II.3: — → 40%; — → đang thực hiện (đã có dự thảo)" in text
    assert "Chưa đạt mục tiêu trên 46,5%" in text
    overdue = text.split("Vừa quá hạn:")[1].split("\n\n")[0]
    assert "1.1 " in overdue and "(hạn Quý II năm 2021)" in overdue  # became overdue today
    assert "Đến hạn trình trong 30 ngày:" not in text or "Quý III" not in text
    stale = text.split("Chưa báo cáo 30 ngày qua (cần nhắc):")[1]
    assert "• Ban Dân vận Tỉnh ủy: 2 nhiệm vụ (II.5, II.6)" in stale
    assert "II.3" not in stale  # reported three hours ago
    assert all(len(line) < 4096 for line in text.splitlines())


def test_digest_due_soon_and_nothing_changed(service):
    now = datetime(2021, 6, 10, 7, 30, tzinfo=VN)
    text, changed = build_digest(service, now)
    assert changed  # tasks are due by the end of June
    assert "Đến hạn trình trong 30 ngày:" in text and "1.1 " in text
    quiet_day = datetime(2027, 1, 5, 7, 30, tzinfo=VN)
    text, changed = build_digest(service, quiet_day)
    assert not changed
    assert text == "📰 05/01/2027: không có thay đổi trong 24 giờ qua. Xem: /tiendo"


def test_claim_once_and_catch_up_window(db):
    store = SubscriptionStore(db)
    now = datetime(2026, 12, 1, 7, 45, tzinfo=VN)  # a Tuesday
    store.subscribe(Subscription(-1, time(7, 30), frozenset({2})), now)
    store.subscribe(Subscription(-2, time(7, 30), frozenset({1})), now)  # Mondays only
    store.subscribe(Subscription(-3, time(9, 0), DEFAULT_DAYS), now)  # later today
    assert [s.chat_id for s in store.due_catch_up(now)] == [-1]
    assert store.claim(-1, now.date(), now) is True
    assert store.claim(-1, now.date(), now) is False
    assert store.due_catch_up(now) == []
    assert [s.chat_id for s in store.due_catch_up(now.replace(hour=11))] == [-3]
    late = now.replace(hour=13, minute=45)
    assert [s.chat_id for s in store.due_catch_up(late)] == []  # past the grace window


@pytest_asyncio.fixture
async def app_factory(tmp_path):
    apps = []

    async def make(fake: FakeTelegram, clock: datetime, *, rate_limit: bool = False):
        app = await started_app(
            fake,
            db_path=tmp_path / "digest.sqlite3",
            rate_limit=rate_limit,
            admin_ids=frozenset({ADMIN["id"]}),
            clock=clock,
        )
        await app.start()
        apps.append(app)
        return app

    yield make
    for app in apps:
        if app.running:
            await app.stop()
        await app.shutdown()


def sent(fake, chat_id):
    return [
        c.params["text"]
        for c in fake.calls_of("sendMessage")
        if not c.faulted and int(c.params["chat_id"]) == chat_id
    ]


async def test_subscribe_survives_restart_and_fires_at_local_time(app_factory):
    fake = FakeTelegram()
    tuesday = datetime(2026, 12, 1, 6, 0, tzinfo=VN)
    app = await app_factory(fake, tuesday)
    fake.set_member_status(GROUP["id"], ADMIN["id"], "administrator")
    await feed(app, message("/dangky 07:30 T2-T6", GROUP, ADMIN))
    assert "Đã đăng ký tóm tắt lúc <b>07:30</b>, T2-T6" in sent(fake, GROUP["id"])[-1]
    await app.stop()

    restarted = await app_factory(fake, tuesday)
    (job,) = restarted.job_queue.get_jobs_by_name(f"digest:{GROUP['id']}")
    fires = job.next_t.astimezone(VN)
    assert (fires.hour, fires.minute) == (7, 30)
    assert fires.isoweekday() in {1, 2, 3, 4, 5}
    await job.run(restarted)
    (digest,) = [t for t in sent(fake, GROUP["id"]) if "📰" in t]
    assert "01/12/2026" in digest
    await job.run(restarted)  # a second firing on the same day sends nothing
    assert len([t for t in sent(fake, GROUP["id"]) if "📰" in t]) == 1


async def test_non_admin_cannot_subscribe_but_anyone_gets_tomtat(app_factory):
    fake = FakeTelegram()
    app = await app_factory(fake, datetime(2026, 12, 1, 6, 0, tzinfo=VN))
    fake.set_member_status(GROUP["id"], MEMBER["id"], "member")
    await feed(app, message("/dangky 07:30", GROUP, MEMBER))
    assert "Chỉ quản trị viên" in sent(fake, GROUP["id"])[-1]
    assert SubscriptionStore(app.bot_data["db"]).all() == []
    await feed(app, message("/tomtat", GROUP, MEMBER))
    assert sent(fake, GROUP["id"])[-1].startswith("<b>📰 Tóm tắt tiến độ")


async def test_missed_digest_is_sent_once_at_start(app_factory, tmp_path):
    fake = FakeTelegram()
    first = await app_factory(fake, datetime(2026, 12, 1, 6, 0, tzinfo=VN))
    SubscriptionStore(first.bot_data["db"]).subscribe(
        Subscription(GROUP["id"], time(7, 30), DEFAULT_DAYS), datetime(2026, 12, 1, tzinfo=VN)
    )
    await first.stop()
    # The bot was down at 07:30 and comes back at 08:10: the digest goes out once.
    late = datetime(2026, 12, 1, 8, 10, tzinfo=VN)
    for _ in range(2):
        again = await app_factory(fake, late)
        (job,) = again.job_queue.get_jobs_by_name(f"catch-up:{GROUP['id']}") or [None]
        if job is not None:
            await job.run(again)
        await again.stop()
    assert len([t for t in sent(fake, GROUP["id"]) if "📰" in t]) == 1


async def test_digests_to_40_chats_arrive_exactly_once_despite_429(app_factory):
    fake = FakeTelegram()
    clock = datetime(2026, 12, 1, 7, 30, tzinfo=VN)
    app = await app_factory(fake, clock, rate_limit=True)
    store = SubscriptionStore(app.bot_data["db"])
    chats = [-1008000000000 - i for i in range(40)]
    for chat in chats:
        store.subscribe(Subscription(chat, time(7, 30), DEFAULT_DAYS), clock)
    fake.fail_next("sendMessage", count=6, error_code=429, retry_after=1)
    from handlers.digest import schedule

    for sub in store.all():
        schedule(app, sub)
    jobs = [app.job_queue.get_jobs_by_name(f"digest:{c}")[0] for c in chats]
    await asyncio.gather(*(job.run(app) for job in jobs))
    faulted = [c for c in fake.calls_of("sendMessage") if c.faulted]
    assert len(faulted) == 6
    for chat in chats:
        assert len([t for t in sent(fake, chat) if "📰" in t]) == 1, chat


async def test_reminders_go_to_reporters_who_started_the_bot_once_a_week(app_factory):
    fake = FakeTelegram()
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=VN)
    app = await app_factory(fake, monday)
    service = app.bot_data["reporting"]
    service.store.add_user(MEMBER["id"], "reporter", ["Ban Dân vận Tỉnh ủy"], name="Nam")
    service.store.add_user(8003, "reporter", ["Ban Nội chính Tỉnh ủy"], name="Chưa start")
    from tests.fakebot import private_chat

    await feed(app, message("/start", private_chat(MEMBER), MEMBER))
    (job,) = app.job_queue.get_jobs_by_name("reminders")
    await job.run(app)
    await job.run(app)
    nudges = sent(fake, MEMBER["id"])[1:]
    assert len(nudges) == 1 and "II.5, II.6" in nudges[0]
    assert sent(fake, 8003) == []


def test_today_is_used_for_weekdays():
    assert date(2026, 12, 1).isoweekday() == 2  # the tests above assume Tuesday


async def test_monday_digest_and_bieudo_carry_the_chart(app_factory):
    fake = FakeTelegram()
    monday = datetime(2026, 11, 30, 7, 30, tzinfo=VN)
    app = await app_factory(fake, monday)
    SubscriptionStore(app.bot_data["db"]).subscribe(
        Subscription(GROUP["id"], time(7, 30), DEFAULT_DAYS), monday
    )
    from handlers.digest import schedule

    schedule(app, SubscriptionStore(app.bot_data["db"]).get(GROUP["id"]))
    (job,) = app.job_queue.get_jobs_by_name(f"digest:{GROUP['id']}")
    await job.run(app)
    await feed(app, message("/bieudo", GROUP, MEMBER))
    photos = fake.calls_of("sendPhoto")
    assert len(photos) == 2
    for call in photos:
        (upload,) = call.files.values()
        assert upload.content.startswith(b"\x89PNG\r\n\x1a\n")
