"""Telegram's chat realities through the real Application on the fake Bot API.

A group upgraded to a supergroup, the bot removed, blocked or re-added, a chat that is gone.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.cli import main
from handlers.context import CLOCK
from handlers.gate import ALLOWED_CHATS
from knowledge.digest.daily import DEFAULT_DAYS, Subscription, SubscriptionStore
from tests.botkit import feed, started_app
from tests.fakebot import (
    FakeTelegram,
    group_chat,
    message,
    migrate_from_message,
    migrate_to_message,
    my_chat_member,
    private_chat,
    user,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY = datetime(2026, 12, 1, 7, 30, tzinfo=VN)
MONDAY = datetime(2026, 11, 30, 7, 30, tzinfo=VN)
ADMIN = user(8101, "Hùng", "hung")
MEMBER = user(8102, "Nam", "nam")
OLD_ID, NEW_ID = -4005550001, -1004005550001
OLD_GROUP = group_chat(OLD_ID, "Ban chỉ đạo CTr 08", "group")
SUPERGROUP = group_chat(NEW_ID, "Ban chỉ đạo CTr 08")
GROUP = group_chat(-1007770000001, "Tổ công tác")
EVERY_DAY = Subscription(0, time(7, 30), DEFAULT_DAYS, False, ADMIN["id"])


@pytest_asyncio.fixture
async def make_app(tmp_path):
    apps = []

    async def make(fake: FakeTelegram, clock: datetime = TUESDAY, **settings):
        app = await started_app(
            fake,
            db_path=tmp_path / "chats.sqlite3",
            admin_ids=frozenset({ADMIN["id"]}),
            clock=clock,
            **settings,
        )
        await app.start()
        apps.append(app)
        return app

    yield make
    for app in apps:
        if app.running:
            await app.stop()
        await app.shutdown()


def delivered(fake: FakeTelegram, chat_id: int, method: str = "sendMessage") -> list[str]:
    """What reached ``chat_id`` (successful calls only)."""
    return [
        str(c.params.get("text", c.params.get("caption")))
        for c in fake.calls_of(method)
        if c.ok and int(c.params["chat_id"]) == chat_id
    ]


def attempts(fake: FakeTelegram, chat_id: int) -> int:
    return len([c for c in fake.calls_of("sendMessage") if int(c.params["chat_id"]) == chat_id])


def digests(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [t for t in delivered(fake, chat_id) if "📰" in t]


def subscribe(app, chat_id: int) -> None:
    """Subscribe a chat directly and schedule it, as /dangky would."""
    from handlers.digest import schedule

    sub = Subscription(chat_id, EVERY_DAY.at, EVERY_DAY.days, False, ADMIN["id"])
    SubscriptionStore(app.bot_data["db"]).subscribe(sub, TUESDAY)
    schedule(app, sub)


def job(app, chat_id: int):
    found = app.job_queue.get_jobs_by_name(f"digest:{chat_id}")
    return found[0] if found else None


def store(app) -> SubscriptionStore:
    return SubscriptionStore(app.bot_data["db"])


def no_tracebacks(caplog) -> None:
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


async def test_migration_service_messages_move_subscription_and_job(make_app):
    fake = FakeTelegram()
    app = await make_app(fake)
    fake.set_member_status(OLD_ID, ADMIN["id"], "administrator")
    await feed(app, message("/dangky 07:30 T2-T6", OLD_GROUP, ADMIN))
    old_job = job(app, OLD_ID)
    fake.migrate_chat(OLD_ID, NEW_ID)
    # Telegram sends both: to the old group and to the new supergroup.
    await feed(app, migrate_to_message(OLD_GROUP, NEW_ID, ADMIN))
    await feed(app, migrate_from_message(SUPERGROUP, OLD_ID, ADMIN))
    expected = Subscription(NEW_ID, time(7, 30), frozenset({1, 2, 3, 4, 5}), False, ADMIN["id"])
    assert store(app).all() == [expected]
    assert job(app, OLD_ID) is None and old_job.removed
    fires = job(app, NEW_ID).next_t.astimezone(VN)
    assert (fires.hour, fires.minute) == (7, 30)
    await app.stop()

    restarted = await make_app(fake)  # the move is in the database
    assert job(restarted, OLD_ID) is None
    await job(restarted, NEW_ID).run(restarted)
    assert attempts(fake, OLD_ID) == 1  # only /dangky's answer, before the upgrade
    (digest,) = delivered(fake, NEW_ID)
    assert "📰" in digest and "01/12/2026" in digest
    assert store(restarted).chats.current(OLD_ID) == NEW_ID


async def test_chat_migrated_on_a_digest_send_moves_it_and_delivers_once(make_app, caplog):
    caplog.set_level(logging.INFO)
    fake = FakeTelegram()
    app = await make_app(fake, MONDAY, allowed_chats=frozenset({OLD_ID}))
    subscribe(app, OLD_ID)
    fake.migrate_chat(OLD_ID, NEW_ID)
    await job(app, OLD_ID).run(app)
    assert len(digests(fake, NEW_ID)) == 1
    assert delivered(fake, NEW_ID, "sendPhoto") == ["Biểu đồ tiến độ"]  # Monday: the chart
    assert attempts(fake, OLD_ID) == 1  # retried once, on the new id
    assert store(app).all() == [
        Subscription(NEW_ID, time(7, 30), DEFAULT_DAYS, False, ADMIN["id"])
    ]
    assert job(app, OLD_ID) is None
    await job(app, NEW_ID).run(app)  # the new job fires the same day: claimed already
    assert len(digests(fake, NEW_ID)) == 1
    assert list(app.bot_data["db"].table("digests_sent").rows) == [
        {"chat_id": NEW_ID, "day": "2026-11-30", "state": "sent", "at": MONDAY.isoformat()}
    ]
    assert app.bot_data[ALLOWED_CHATS] == {OLD_ID, NEW_ID}
    no_tracebacks(caplog)


async def test_kicked_pauses_the_digest_quietly(make_app, caplog):
    caplog.set_level(logging.INFO)
    fake = FakeTelegram()
    app = await make_app(fake)
    subscribe(app, GROUP["id"])
    scheduled = job(app, GROUP["id"])
    fake.kick_bot(GROUP["id"])
    await feed(app, my_chat_member(GROUP, "member", "kicked", ADMIN))
    assert store(app).get(GROUP["id"]) == Subscription(
        GROUP["id"], time(7, 30), DEFAULT_DAYS, False, ADMIN["id"], "removed: kicked"
    )
    assert job(app, GROUP["id"]) is None
    await scheduled.run(app)  # even a job that fires anyway sends nothing
    assert attempts(fake, GROUP["id"]) == 0
    no_tracebacks(caplog)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(GROUP["id"]) in warnings[0]


async def test_a_403_on_the_send_pauses_after_the_first_failure(make_app, caplog):
    caplog.set_level(logging.INFO)
    fake = FakeTelegram()
    app = await make_app(fake)
    subscribe(app, GROUP["id"])
    fake.kick_bot(GROUP["id"])  # no my_chat_member arrived (e.g. the bot was offline)
    scheduled = job(app, GROUP["id"])
    await scheduled.run(app)
    assert attempts(fake, GROUP["id"]) == 1
    kicked = "Forbidden: bot was kicked from the supergroup chat"
    assert store(app).get(GROUP["id"]).paused == kicked
    app.bot_data[CLOCK] = lambda: TUESDAY + timedelta(days=1)
    await scheduled.run(app)
    assert attempts(fake, GROUP["id"]) == 1
    no_tracebacks(caplog)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


async def test_chat_not_found_is_paused_and_not_retried_the_next_day(make_app, caplog, capsys):
    caplog.set_level(logging.INFO)
    fake = FakeTelegram()
    app = await make_app(fake)
    subscribe(app, GROUP["id"])
    fake.chat_not_found(GROUP["id"])
    await job(app, GROUP["id"]).run(app)
    assert store(app).get(GROUP["id"]).paused == "Chat not found"
    assert job(app, GROUP["id"]) is None
    await app.stop()

    next_day = await make_app(fake, TUESDAY + timedelta(days=1, minutes=10))
    assert job(next_day, GROUP["id"]) is None
    assert next_day.job_queue.get_jobs_by_name(f"catch-up:{GROUP['id']}") == ()
    assert attempts(fake, GROUP["id"]) == 1
    no_tracebacks(caplog)
    db_path = next_day.bot_data["db"].conn.execute("PRAGMA database_list").fetchone()[2]
    assert main(["--db", db_path, "digest", "--list"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{GROUP['id']}\t07:30, hằng ngày\tPAUSED since 2026-12-01T07:30")
    assert line.endswith(": Chat not found")


async def test_transient_errors_do_not_pause(make_app):
    fake = FakeTelegram()
    app = await make_app(fake)
    subscribe(app, GROUP["id"])
    fake.fail_next("sendMessage", error_code=502)
    await job(app, GROUP["id"]).run(app)
    assert store(app).get(GROUP["id"]).paused == ""
    assert job(app, GROUP["id"]) is not None
    await job(app, GROUP["id"]).run(app)  # the claim was given back: the retry sends it
    assert len(digests(fake, GROUP["id"])) == 1


async def test_dangky_resumes_a_paused_chat(make_app):
    fake = FakeTelegram()
    app = await make_app(fake)
    subscribe(app, GROUP["id"])
    fake.chat_not_found(GROUP["id"])
    await job(app, GROUP["id"]).run(app)
    fake.restore_chat(GROUP["id"])
    fake.set_member_status(GROUP["id"], ADMIN["id"], "administrator")
    await feed(app, message("/dangky 08:00", GROUP, ADMIN))
    assert store(app).get(GROUP["id"]) == Subscription(
        GROUP["id"], time(8, 0), DEFAULT_DAYS, False, ADMIN["id"], ""
    )
    await job(app, GROUP["id"]).run(app)
    assert len(digests(fake, GROUP["id"])) == 1


@pytest.mark.parametrize("status", ["member", "administrator"])
async def test_added_to_a_group_greets_once(make_app, status):
    fake = FakeTelegram()
    app = await make_app(fake)
    await feed(app, my_chat_member(GROUP, "left", status, ADMIN))
    (greeting,) = delivered(fake, GROUP["id"])
    assert greeting.startswith("👋 Chào cả nhóm!")
    assert "/hoi" in greeting and "@ctbot_test_bot" in greeting and "reply" in greeting
    assert "Tóm tắt" not in greeting  # the group has no subscription
    await feed(app, my_chat_member(GROUP, status, "administrator", ADMIN))  # promoted: quiet
    assert len(delivered(fake, GROUP["id"])) == 1


async def test_re_added_resumes_the_digest_and_says_so(make_app):
    fake = FakeTelegram()
    app = await make_app(fake)
    subscribe(app, GROUP["id"])
    await feed(app, my_chat_member(GROUP, "member", "left", ADMIN))
    assert job(app, GROUP["id"]) is None
    await feed(app, my_chat_member(GROUP, "left", "member", ADMIN))
    (greeting,) = delivered(fake, GROUP["id"])
    assert "Tóm tắt tiến độ của nhóm được gửi lại (07:30, hằng ngày). Hủy: /huydangky" in greeting
    assert store(app).get(GROUP["id"]).paused == ""
    await job(app, GROUP["id"]).run(app)
    assert len(digests(fake, GROUP["id"])) == 1


async def test_no_greeting_in_private_chats_or_chats_not_allowed(make_app):
    fake = FakeTelegram()
    app = await make_app(fake, allowed_chats=frozenset({GROUP["id"]}))
    await feed(app, my_chat_member(private_chat(MEMBER), "kicked", "member", MEMBER))
    await feed(app, my_chat_member(group_chat(-1009990000001), "left", "member", ADMIN))
    assert fake.calls_of("sendMessage") == []


async def test_a_bot_removing_ctbot_still_pauses_it(make_app):
    fake = FakeTelegram()
    app = await make_app(fake)
    subscribe(app, GROUP["id"])
    moderator = user(5550001, "Mod", "mod_bot", is_bot=True)
    await feed(app, my_chat_member(GROUP, "administrator", "kicked", moderator))
    assert store(app).get(GROUP["id"]).paused == "removed: kicked"


async def test_allowed_chat_stays_allowed_after_migration_and_restart(make_app):
    fake = FakeTelegram()
    app = await make_app(fake, allowed_chats=frozenset({OLD_ID}))
    await feed(app, message("/tomtat", SUPERGROUP, MEMBER))
    assert delivered(fake, NEW_ID) == []  # not allowed yet
    await feed(app, migrate_from_message(SUPERGROUP, OLD_ID, ADMIN))
    await feed(app, message("/tomtat", SUPERGROUP, MEMBER))
    assert delivered(fake, NEW_ID)[-1].startswith("<b>📰 Tóm tắt tiến độ")
    await app.stop()

    restarted = await make_app(fake, allowed_chats=frozenset({OLD_ID}))
    assert restarted.bot_data[ALLOWED_CHATS] == {OLD_ID, NEW_ID}
    await feed(restarted, message("/tomtat", SUPERGROUP, MEMBER))
    assert len(delivered(fake, NEW_ID)) == 2
    other = group_chat(-1001230000009, "Nhóm khác")
    await feed(restarted, message("/tomtat", other, MEMBER))
    await feed(restarted, migrate_from_message(group_chat(-1001230000010), -4001230000010))
    assert delivered(fake, other["id"]) == []
    assert restarted.bot_data[ALLOWED_CHATS] == {OLD_ID, NEW_ID}  # others do not sneak in


async def test_a_reporter_who_blocked_the_bot_is_not_reminded_until_start(make_app, caplog):
    caplog.set_level(logging.INFO)
    fake = FakeTelegram()
    app = await make_app(fake, MONDAY.replace(hour=8))
    service = app.bot_data["reporting"]
    service.store.add_user(MEMBER["id"], "reporter", ["Ban Dân vận Tỉnh ủy"], name="Nam")
    await feed(app, message("/start", private_chat(MEMBER), MEMBER))
    fake.block_bot(MEMBER["id"])
    (reminders,) = app.job_queue.get_jobs_by_name("reminders")
    await reminders.run(app)
    blocked = "Forbidden: bot was blocked by the user"
    assert store(app).chats.pause_of(MEMBER["id"]).reason == blocked
    app.bot_data[CLOCK] = lambda: MONDAY + timedelta(days=7, hours=1)
    await reminders.run(app)
    assert attempts(fake, MEMBER["id"]) == 2  # /start's answer and the one failed reminder
    no_tracebacks(caplog)
    fake.restore_chat(MEMBER["id"])
    await feed(app, message("/start", private_chat(MEMBER), MEMBER))
    assert store(app).chats.pause_of(MEMBER["id"]) is None


async def test_blocking_and_unblocking_in_private_pauses_and_resumes(make_app):
    fake = FakeTelegram()
    app = await make_app(fake)
    chat = private_chat(MEMBER)
    await feed(app, my_chat_member(chat, "member", "kicked", MEMBER))
    assert store(app).chats.pause_of(MEMBER["id"]).reason == "blocked by the user"
    await feed(app, my_chat_member(chat, "kicked", "member", MEMBER))
    assert store(app).chats.pause_of(MEMBER["id"]) is None
    assert fake.calls_of("sendMessage") == []  # no greeting in private: /start does that
