"""Chat migrations and paused chats (knowledge/digest/chats.py), and the fake's per-chat faults."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from telegram import ChatMemberBanned, ChatMemberLeft, ChatMemberMember, ChatMemberUpdated
from telegram.error import BadRequest, ChatMigrated, Forbidden
from telegram.ext import Application

from knowledge.digest.chats import ChatRegistry, Migration, Pause, chat_ids, reports_in_chat
from knowledge.digest.daily import DEFAULT_DAYS, Subscription, SubscriptionStore
from knowledge.engine import Engine
from knowledge.progress.keys import document_key
from knowledge.progress.log import ProgressStore
from tests.fakebot import (
    BOT_USER,
    FakeBotApiServer,
    FakeRequest,
    FakeTelegram,
    group_chat,
    migrate_from_message,
    migrate_to_message,
    my_chat_member,
    private_chat,
    to_ptb_update,
    user,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 7, 30, tzinfo=VN)
OLD, NEW, NEWER = -4001, -1004001, -1004002


# ---------------------------------------------------------------- knowledge/digest/chats.py
def test_migrations_are_recorded_once_and_followed_both_ways(db):
    chats = ChatRegistry(db)
    assert chats.record_migration(OLD, NEW, NOW) is True
    assert chats.record_migration(OLD, NEW, NOW) is False  # both service messages say it
    assert chats.record_migration(NEW, NEW, NOW) is False
    chats.record_migration(NEW, NEWER, NOW.replace(minute=31))
    assert chats.migrations() == [
        Migration(OLD, NEW, "2026-12-01T07:30:00+07:00"),
        Migration(NEW, NEWER, "2026-12-01T07:31:00+07:00"),
    ]
    assert chats.current(OLD) == NEWER and chats.current(NEWER) == NEWER
    assert chats.current(-5) == -5
    assert chats.aliases(NEW) == {OLD, NEW, NEWER} == chat_ids(db, OLD)
    assert chats.aliases(-5) == {-5}
    assert chats.successors([OLD, -5]) == {OLD, NEW, NEWER, -5}
    assert chats.successors([]) == frozenset()


def test_a_loop_in_the_data_does_not_hang(db):
    chats = ChatRegistry(db)
    chats.record_migration(OLD, NEW, NOW)
    chats.record_migration(NEW, OLD, NOW)
    assert chats.current(OLD) in {OLD, NEW}
    assert chats.aliases(OLD) == {OLD, NEW}


def test_pause_once_and_resume(db):
    chats = ChatRegistry(db)
    assert chats.pause(OLD, "Forbidden: bot was kicked from the group chat", NOW) is True
    assert chats.pause(OLD, "again", NOW.replace(hour=9)) is False  # logged only once
    assert chats.pause_of(OLD) == Pause(
        OLD, "Forbidden: bot was kicked from the group chat", "2026-12-01T07:30:00+07:00"
    )
    assert chats.paused() == [chats.pause_of(OLD)]
    assert chats.resume(OLD) is True and chats.resume(OLD) is False
    assert chats.pause_of(OLD) is None and chats.paused() == []


def test_subscription_shows_pause_and_subscribing_again_resumes(db):
    store = SubscriptionStore(db)
    store.subscribe(Subscription(OLD, time(7, 30), DEFAULT_DAYS, created_by=9), NOW)
    store.chats.pause(OLD, "Bad Request: chat not found", NOW)
    paused = Subscription(OLD, time(7, 30), DEFAULT_DAYS, False, 9, "Bad Request: chat not found")
    assert store.get(OLD) == paused and store.all() == [paused]
    assert store.due_catch_up(NOW.replace(minute=45)) == []  # paused: not caught up either
    store.subscribe(Subscription(OLD, time(8, 0), DEFAULT_DAYS, created_by=9), NOW)
    assert store.get(OLD) == Subscription(OLD, time(8, 0), DEFAULT_DAYS, False, 9, "")


def test_starting_the_bot_again_resumes_a_private_chat(db):
    store = SubscriptionStore(db)
    store.chats.pause(77, "Forbidden: bot was blocked by the user", NOW)
    store.started(77, NOW)
    assert store.chats.pause_of(77) is None and store.has_started(77)


def test_migrate_moves_subscription_and_todays_claim(db):
    store = SubscriptionStore(db)
    store.subscribe(Subscription(OLD, time(7, 30), frozenset({2}), True, 9), NOW)
    assert store.claim(OLD, NOW.date(), NOW)
    moved = store.migrate(OLD, NEW, NOW)
    assert moved == Subscription(NEW, time(7, 30), frozenset({2}), True, 9, "")
    assert store.all() == [moved]
    assert store.claim(NEW, NOW.date(), NOW) is False  # the claim moved with it
    rows = list(db.table("digests_sent").rows)
    assert rows == [
        {"chat_id": NEW, "day": "2026-12-01", "state": "sending", "at": NOW.isoformat()}
    ]
    assert store.chats.current(OLD) == NEW
    assert store.migrate(OLD, NEW, NOW) == moved  # the second service message changes nothing


def test_migrate_keeps_the_new_chats_own_subscription(db):
    store = SubscriptionStore(db)
    store.subscribe(Subscription(OLD, time(7, 30), DEFAULT_DAYS), NOW)
    store.subscribe(Subscription(NEW, time(9, 0), frozenset({1})), NOW)
    assert store.migrate(OLD, NEW, NOW) == Subscription(NEW, time(9, 0), frozenset({1}))
    assert [s.chat_id for s in store.all()] == [NEW]
    assert store.migrate(-9, -10, NOW) is None  # no subscription: only the alias


def test_reports_in_chat_follow_migrations_without_rewriting_rows(db):
    progress = ProgressStore(db, admin_ids=[1])
    engine = Engine.from_database(db)
    task, doc = engine.tasks["II.3"], document_key(engine.programme)
    before = progress.record_task(task, doc, user_id=1, chat_id=OLD, message_id=5, progress=10)
    elsewhere = progress.record_task(task, doc, user_id=1, chat_id=-7, message_id=6, progress=20)
    ChatRegistry(db).record_migration(OLD, NEW, NOW)
    after = progress.record_task(task, doc, user_id=1, chat_id=NEW, message_id=7, progress=30)
    assert reports_in_chat(db, NEW) == [before, after] == reports_in_chat(db, OLD)
    assert reports_in_chat(db, -7) == [elsewhere]
    assert progress.report(before.id) == before  # the old row still says the old id


# ---------------------------------------------------------------- the fake's chat faults
async def _bot(fake: FakeTelegram) -> Application:  # type: ignore[type-arg]
    app = Application.builder().token(fake.token).request(FakeRequest(fake)).build()
    await app.initialize()
    return app


async def test_fake_answers_a_migrated_group_like_telegram():
    fake = FakeTelegram()
    fake.register_chat(group_chat(OLD, "Tổ công tác", "group"))
    assert fake.migrate_chat(OLD, NEW) == {"id": NEW, "title": "Tổ công tác", "type": "supergroup"}
    app = await _bot(fake)
    try:
        with pytest.raises(ChatMigrated) as raised:
            await app.bot.send_message(OLD, "xin chào")
        assert raised.value.new_chat_id == NEW
        sent = await app.bot.send_message(NEW, "xin chào")
        chat = (sent.chat.id, sent.chat.type, sent.chat.title)
        assert chat == (NEW, "supergroup", "Tổ công tác")
    finally:
        await app.shutdown()
    (failed, _) = fake.calls_of("sendMessage")
    assert failed.response == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": NEW},
    }


async def test_fake_chat_not_found_kicked_blocked_and_restored():
    fake = FakeTelegram()
    fake.register_chat(group_chat(OLD, "Nhóm thường", "group"))
    fake.chat_not_found(-1)
    fake.kick_bot(OLD)
    fake.kick_bot(NEW)  # unknown negative ids are supergroups
    fake.block_bot(77)
    fake.block_bot(78, deactivated=True)
    app = await _bot(fake)
    try:
        expected = [
            (-1, BadRequest, "Chat not found"),
            (OLD, Forbidden, "Forbidden: bot was kicked from the group chat"),
            (NEW, Forbidden, "Forbidden: bot was kicked from the supergroup chat"),
            (77, Forbidden, "Forbidden: bot was blocked by the user"),
            (78, Forbidden, "Forbidden: user is deactivated"),
        ]
        for chat_id, error, text in expected:
            with pytest.raises(error) as raised:
                await app.bot.send_message(chat_id, "x")
            assert raised.value.message == text
        with pytest.raises(Forbidden):
            await app.bot.send_photo(OLD, b"\x89PNG")
        with pytest.raises(Forbidden):
            await app.bot.send_chat_action(77, "typing")
        fake.restore_chat(OLD)
        assert (await app.bot.send_message(OLD, "lại")).chat.id == OLD
    finally:
        await app.shutdown()
    assert fake.sent_texts() == ["lại"]


def test_fake_chat_faults_over_http():
    import httpx

    fake = FakeTelegram()
    fake.migrate_chat(OLD, NEW)
    with FakeBotApiServer(fake) as server:
        answer = httpx.post(
            f"{server.base_url}{fake.token}/sendMessage", data={"chat_id": OLD, "text": "x"}
        )
    assert answer.status_code == 400
    assert answer.json()["parameters"] == {"migrate_to_chat_id": NEW}


def test_update_builders_parse_as_ptb_objects():
    lan, group = user(), group_chat(OLD, "Nhóm", "group")
    to = to_ptb_update(migrate_to_message(group, NEW, lan)).message
    assert (to.chat.id, to.migrate_to_chat_id, to.from_user.id) == (OLD, NEW, lan["id"])
    supergroup = group_chat(NEW, "Nhóm")
    back = to_ptb_update(migrate_from_message(supergroup, OLD)).message
    assert (back.chat.id, back.migrate_from_chat_id) == (NEW, OLD)

    kicked = to_ptb_update(my_chat_member(group, "member", "kicked", lan)).my_chat_member
    assert isinstance(kicked, ChatMemberUpdated)
    assert isinstance(kicked.old_chat_member, ChatMemberMember)
    assert isinstance(kicked.new_chat_member, ChatMemberBanned)
    assert kicked.new_chat_member.user.id == BOT_USER["id"] and kicked.from_user.id == lan["id"]
    for old, new in (("left", "member"), ("left", "administrator"), ("member", "left")):
        change = to_ptb_update(my_chat_member(group, old, new, lan)).my_chat_member
        assert (change.old_chat_member.status, change.new_chat_member.status) == (old, new)
    blocked = to_ptb_update(my_chat_member(private_chat(lan), "member", "kicked", lan))
    assert blocked.my_chat_member.chat.type == "private"
    assert isinstance(
        to_ptb_update(my_chat_member(group, "member", "left")).my_chat_member.new_chat_member,
        ChatMemberLeft,
    )
    with pytest.raises(ValueError, match="unsupported"):
        my_chat_member(group, "member", "owner")


def test_a_migrated_group_keeps_its_quiet_choice_and_its_pinned_document(db):
    from knowledge.progress.chat_settings import ChatSettings
    from knowledge.qa.pins import PinStore

    settings, pins = ChatSettings(db), PinStore(db)
    settings.set_quiet(-100, False, by=1)
    pins.pin(-100, 1, user_id=1)
    ChatRegistry(db).record_migration(-100, -1009, datetime(2026, 12, 1, 8, 0))
    assert settings.quiet(-1009, group=True) is False
    assert pins.get(-1009) == 1
    assert pins.unpin(-1009) is True
    assert pins.get(-100) is None and pins.get(-1009) is None
