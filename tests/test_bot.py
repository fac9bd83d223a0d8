"""Handler tests through the real Application, in-process against the fake Bot API."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_application
from bot.settings import Settings
from handlers.commands import COMMANDS
from handlers.markup import HTML
from knowledge.programme.store import bundled_text, load_programme, open_database
from tests.botkit import feed, obj, started_app
from tests.fakebot import (
    FakeTelegram,
    callback_query,
    channel,
    channel_post,
    edited_message,
    group_chat,
    inline_query,
    message,
    photo_message,
    private_chat,
    sticker_message,
    user,
)

LAN = user(1001, "Lan", "lan_kh")
GROUP = group_chat(-1001234567890, "Tổ công tác Tỉnh ủy")


@pytest_asyncio.fixture
async def bot(tmp_path):
    """(fake Telegram, application) with the engine built in post_init."""
    fake = FakeTelegram()
    app = await started_app(fake, db_path=tmp_path / "bot.sqlite3", concurrency=1)
    yield fake, app
    await app.shutdown()


def sent(fake, chat_id=None):
    return [
        c.params
        for c in fake.calls_of("sendMessage")
        if not c.faulted and (chat_id is None or int(c.params["chat_id"]) == chat_id)
    ]


async def test_private_question_gets_the_answer(bot):
    fake, app = bot
    await feed(app, message("chỉ tiêu che phủ rừng 2025", private_chat(LAN), LAN))
    (reply,) = sent(fake)
    assert int(reply["chat_id"]) == LAN["id"]
    assert reply["parse_mode"] == "HTML"
    assert reply["text"].startswith("<b>🎯 </b>Tỷ lệ che phủ rừng năm 2025: <b>trên 46,5%</b>")
    assert "Nguồn: mục B.II.3" in reply["text"]


async def test_commands_in_a_supergroup_answer_as_a_reply(bot):
    fake, app = bot
    ask = message(f"/hoi@{fake.username} ai chủ trì đề án chuyển đổi số", GROUP, LAN)
    await feed(app, ask)
    (reply,) = sent(fake, GROUP["id"])
    assert "chủ trì tham mưu nhiệm vụ 5.3" in reply["text"]
    assert obj(reply["reply_parameters"])["message_id"] == ask["message"]["message_id"]


async def test_mention_in_a_group_is_answered(bot):
    fake, app = bot
    ask = message(f"Chào 👋 @{fake.username}: hạn trình đề án nông nghiệp hữu cơ?", GROUP, LAN)
    await feed(app, ask)
    (reply,) = sent(fake, GROUP["id"])
    assert "Quý III năm 2021" in reply["text"]
    assert obj(reply["reply_parameters"])["message_id"] == ask["message"]["message_id"]


async def test_plain_group_messages_are_ignored(bot):
    fake, app = bot
    for text in ("chỉ tiêu che phủ rừng", "họp lúc 8h nhé", "@someone_else ai chủ trì?"):
        await feed(app, message(text, GROUP, LAN))
    await feed(app, message("/hoi@other_bot che phu rung", GROUP, LAN))
    assert sent(fake) == []


async def test_reply_to_the_bot_in_a_group_is_a_question(bot):
    fake, app = bot
    await feed(app, message(f"/hoi@{fake.username} nước sạch", GROUP, LAN))
    bots_message = fake.calls_of("sendMessage")[-1].result
    await feed(app, message("còn nước hợp vệ sinh?", GROUP, LAN, reply_to=bots_message))
    assert "100%" in sent(fake, GROUP["id"])[-1]["text"]


async def test_task_card_by_code(bot):
    fake, app = bot
    await feed(app, message("/nhiemvu 5.3", private_chat(LAN), LAN))
    (reply,) = sent(fake)
    assert reply["text"].startswith("<b>📌 Nhiệm vụ 5.3: </b>Xây dựng và triển khai Chương trình")
    assert "Thời gian thực hiện: 2021 - 2025" in reply["text"]


async def test_browse_commands(bot):
    fake, app = bot
    chat = private_chat(LAN)
    await feed(app, message("/chitieu môi trường", chat, LAN))
    await feed(app, message("/coquan Ban Tuyên giáo", chat, LAN))
    await feed(app, message("/nhiemvu", chat, LAN))
    env, agency, tasks = (r["text"] for r in sent(fake))
    assert "Chỉ tiêu về tài nguyên, môi trường" in env and "46,5%" in env
    assert "II.3" in agency and "II.4" in agency
    assert "Phụ lục có 29 nhiệm vụ" in tasks


async def test_inline_query_offers_results(bot):
    fake, app = bot
    await feed(app, inline_query("che phu rung", LAN))
    (call,) = fake.calls_of("answerInlineQuery")
    results = obj(call.params["results"])
    assert 1 <= len(results) <= 50
    assert results[0]["title"].startswith("Chỉ tiêu: Tỷ lệ che phủ rừng")
    assert "46,5%" in results[0]["input_message_content"]["message_text"]


async def test_disambiguation_button_edits_the_message(bot):
    fake, app = bot
    await feed(
        app, message("nghị quyết chương trình giai đoạn 2021 - 2025", private_chat(LAN), LAN)
    )
    call = fake.calls_of("sendMessage")[-1]
    markup = obj(call.params["reply_markup"])
    button = markup["inline_keyboard"][0][0]
    assert button["callback_data"].startswith("show|")
    assert len(button["callback_data"].encode()) <= 64
    await feed(app, callback_query(button["callback_data"], call.result, LAN))
    (edit,) = fake.calls_of("editMessageText")
    assert int(edit.params["message_id"]) == call.result["message_id"]
    kind, key = button["callback_data"].split("|")[1:]
    assert edit.params["text"] == app.bot_data["engine"].card(kind, key, HTML)
    assert edit.params["text"] != call.params["text"]
    assert fake.calls_of("answerCallbackQuery")


async def test_stale_button_is_answered_politely(bot):
    fake, app = bot
    await feed(app, message("nước sạch", private_chat(LAN), LAN))
    msg = fake.calls_of("sendMessage")[-1].result
    await feed(app, callback_query("show|task|9.99", msg, LAN))
    (answer,) = fake.calls_of("answerCallbackQuery")
    assert "không còn" in answer.params["text"]
    assert not fake.calls_of("editMessageText")


async def test_start_and_help(bot):
    fake, app = bot
    await feed(app, message("/start", private_chat(LAN), LAN))
    await feed(app, message("/help", private_chat(LAN), LAN))
    start, help_ = (r["text"] for r in sent(fake))
    assert start.startswith("Chào Lan!")
    for spec in COMMANDS:
        assert f"/{spec.name}" in help_


async def test_command_menu_is_published_for_private_and_group_chats(bot):
    fake, _ = bot
    calls = fake.calls_of("setMyCommands")
    scopes = {obj(c.params["scope"])["type"] for c in calls}
    assert {"all_private_chats", "all_group_chats", "all_chat_administrators"} <= scopes
    assert scopes <= {"all_private_chats", "all_group_chats", "all_chat_administrators", "chat"}
    names = set()
    for c in calls:
        names |= {x["command"] for x in obj(c.params["commands"])}
    # No admin here: admin commands offered only in private chats are in no menu.
    assert names == {spec.name for spec in COMMANDS if not spec.admin or spec.groups}


async def test_ignored_updates(bot):
    fake, app = bot
    other_bot = user(999, "Other", "other_bot", is_bot=True)
    await feed(app, message("che phu rung", private_chat(other_bot), other_bot))
    await feed(app, channel_post("che phu rung", channel()))
    await feed(app, edited_message("che phu rung", private_chat(LAN), LAN))
    await feed(app, message(f"@{fake.username} che phu rung", GROUP, sender_chat=GROUP))
    assert sent(fake) == []


async def test_media_gets_a_hint_in_private_only(bot):
    fake, app = bot
    await feed(app, sticker_message(private_chat(LAN), LAN))
    await feed(app, photo_message(GROUP, LAN))
    (hint,) = sent(fake)
    assert "chỉ đọc được chữ" in hint["text"]


async def test_allow_list(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "a.sqlite3", allowed_chats=frozenset({GROUP["id"]})
    )
    try:
        await feed(app, message("che phu rung", private_chat(LAN), LAN))
        await feed(app, message("/hoi che phu rung", GROUP, LAN))
        assert [int(r["chat_id"]) for r in sent(fake)] == [GROUP["id"]]
    finally:
        await app.shutdown()


async def test_errors_are_apologised_for_and_logged(bot, monkeypatch, caplog):
    fake, app = bot
    engine = app.bot_data["engine"]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "ask", broken)
    await feed(app, message("che phu rung", private_chat(LAN), LAN))
    assert "Xin lỗi" in sent(fake)[-1]["text"]
    assert "boom" in caplog.text


async def test_long_answers_are_split_under_the_limit(tmp_path):
    """A body leading many tasks: its list is over 5,000 characters."""
    text = bundled_text()
    rows = "".join(
        f"{10 + n}\tKế hoạch thí điểm số {n} về chuyển đổi số trong công tác dân vận ở cơ sở, "
        f"gắn với xây dựng chính quyền điện tử, dữ liệu số và dịch vụ công trực tuyến toàn trình "
        f"cấp xã, phường, thị trấn trên địa bàn tỉnh Khánh Hòa giai đoạn 2021 - 2025\t"
        f"Ban Dân vận Tỉnh ủy\tThường trực Tỉnh ủy\tBan Thường vụ Tỉnh ủy\tQuý IV năm 2021\t"
        f"2021 - 2025\n"
        for n in range(30)
    )
    db_path = tmp_path / "long.sqlite3"
    load_programme(open_database(db_path), text.rstrip("\n") + "\n" + rows)
    fake = FakeTelegram()
    app = await started_app(fake, db_path=db_path)
    try:
        await feed(app, message("/coquan Ban Dân vận", private_chat(LAN), LAN))
        pieces = [r["text"] for r in sent(fake)]
        assert len(pieces) >= 2
        assert all(len(p) <= 4096 for p in pieces)
        assert sum(len(p) for p in pieces) > 5000
        assert "Kế hoạch thí điểm số 29" in pieces[-1]
    finally:
        await app.shutdown()


def test_every_registered_command_is_documented_and_in_the_menu(tmp_path):
    from telegram.ext import CommandHandler

    app = build_application(Settings(token="1:x", db_path=tmp_path / "d.sqlite3"))
    registered = {
        command
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert registered == {spec.name for spec in COMMANDS}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for name in registered:
        assert f"`/{name}" in readme, f"README does not document /{name}"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=300).filter(lambda t: t.strip() and not t.lstrip().startswith("/")))
def test_any_text_gets_a_proper_answer_never_an_apology(tmp_path, text):
    """Random phone input through the whole stack: valid HTML replies, no handler errors."""

    async def ask():
        fake = FakeTelegram()
        app = await started_app(fake, db_path=tmp_path / "fuzz.sqlite3")
        try:
            await feed(app, message(text, private_chat(LAN), LAN))
        finally:
            await app.shutdown()
        return fake.calls_of("sendMessage")

    replies = asyncio.run(ask())
    assert replies and all(c.ok for c in replies), [c.response for c in replies]
    assert not any("Xin lỗi" in c.params["text"] for c in replies)
