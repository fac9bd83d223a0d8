"""Long texts and crafted input never break a reply: through the real Application on the fake.

Also: the fake imitates Telegram's refusals (malformed HTML, over-long text) the way TDLib words
and counts them.
"""

from __future__ import annotations

import html
import logging

import pytest
import pytest_asyncio

from handlers.chunks import LIMIT, utf16_len
from handlers.errors import SORRY
from handlers.replies import reply_pieces
from handlers.roles import MAX_USER_ID, parse_user_id
from knowledge.progress.write_rules import NOTE_LIMIT
from tests.botkit import feed, obj, started_app
from tests.fakebot import (
    FakeTelegram,
    callback_query,
    message,
    private_chat,
    to_ptb_update,
    user,
)
from tests.fakebot.markup import parse_text

ADMIN = user(9001, "Hùng", "hung_admin")
STRANGER = user(9003, "Khách", "khach")
NOTE = "Ghi chú <b>không phải thẻ</b> & A&B <x> &amp; &#123; 😀 > < & " * 70


@pytest_asyncio.fixture
async def bot(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "c.sqlite3", admin_ids=frozenset({ADMIN["id"]})
    )
    yield fake, app
    await app.shutdown()


def refused(fake: FakeTelegram) -> list[object]:
    """Bot API calls Telegram would have refused."""
    return [c for c in fake.calls if not c.ok and not c.faulted]


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


# --------------------------------------------------------------------------- long texts
@pytest.mark.parametrize("note", [NOTE[:4000], "&<>" * 1333, "<b>&amp;</b>" * 333])
async def test_a_long_note_full_of_markup_arrives_whole_with_its_undo_button(bot, caplog, note):
    fake, app = bot
    await feed(app, message(f"/capnhat 5.3 60% {note}", private_chat(ADMIN), ADMIN))
    calls = fake.calls_of("sendMessage")
    assert refused(fake) == [] and errors_logged(caplog) == []
    assert calls and all(c.ok for c in calls)
    assert all(utf16_len(c.params["text"]) <= LIMIT for c in calls)
    assert "✅ Đã ghi nhận nhiệm vụ 5.3" in calls[0].result["text"]
    # The note is capped (documented) and reads back as stored (pieces trimmed by Telegram).
    shown = "".join(c.result["text"] for c in calls)
    (row,) = app.bot_data["db"]["reports"].rows
    assert len(row["note"]) <= NOTE_LIMIT and "đã được cắt" in shown
    assert "".join(row["note"].split()) in "".join(shown.split())
    # Buttons only on the last piece: the undo button.
    assert [c for c in calls if "reply_markup" in c.params] == [calls[-1]]
    button = obj(calls[-1].params["reply_markup"])["inline_keyboard"][0][0]
    assert button["text"] == "↩️ Hoàn tác"
    await feed(app, callback_query(button["callback_data"], calls[-1].result, ADMIN))
    assert "Đã hoàn tác" in fake.calls_of("sendMessage")[-1].params["text"]
    assert all(SORRY not in t for t in fake.sent_texts())


async def test_a_piece_telegram_cannot_parse_is_sent_as_plain_text(bot, caplog):
    fake, app = bot
    update = to_ptb_update(message("xin chào", private_chat(ADMIN), ADMIN), app.bot)
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    markup = InlineKeyboardMarkup([[InlineKeyboardButton("↩️ Hoàn tác", callback_data="x")]])
    # A stray "<" (text someone forgot to escape): Telegram refuses the HTML.
    sent = await reply_pieces(update.message, "<b>Kết quả</b>: 1 < 2 &amp; 3 > 2", markup)
    assert [m.text for m in sent] == ["Kết quả: 1 < 2 & 3 > 2"]
    (bad, good) = fake.calls_of("sendMessage")
    assert not bad.ok and "can't parse entities" in bad.response["description"]
    assert good.ok and good.params.get("parse_mode") is None
    assert obj(good.params["reply_markup"])["inline_keyboard"][0][0]["text"] == "↩️ Hoàn tác"
    assert errors_logged(caplog) == []


async def test_other_refusals_are_not_hidden(bot):
    fake, app = bot
    update = to_ptb_update(message("xin chào", private_chat(ADMIN), ADMIN), app.bot)
    fake.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    from telegram.error import BadRequest

    with pytest.raises(BadRequest, match="hat not found"):
        await reply_pieces(update.message, "<b>x</b>")


# ------------------------------------------------------------------------------ /quyen
CRAFTED_ROLES = [
    "/quyen ² admin",
    "/quyen ５ admin",  # full-width digit
    "/quyen ٣ admin",  # Arabic-Indic digit
    "/quyen 999999999999999999999999 admin",
    f"/quyen {MAX_USER_ID + 1} admin",
    "/quyen -5 admin",
    "/quyen 0 admin",
    "/quyen +5 admin",
    "/quyen 5.0 admin",
    "/quyen abc",
    "/quyen @lan_tg admin",
    "/quyen 5",
    "/quyen 5 chủtịch",
    "/quyen 5 reporter",
    "/quyen 5 reporter Không Có Cơ Quan Này",
    "/quyen 5 reporter " + "<b>&amp;" * 600,
    "/quyen 5 chitieu",
    "/quyen 5 chitieu che phủ rừng",  # not a member yet
    "/quyen 5 xoa",  # not a member: nothing to remove
]


@pytest.mark.parametrize("text", CRAFTED_ROLES)
async def test_crafted_roles_get_one_quiet_line(bot, caplog, text):
    fake, app = bot
    store = app.bot_data["reporting"].store
    before = store.members()
    await feed(app, message(text, private_chat(ADMIN), ADMIN))
    (call,) = fake.calls_of("sendMessage")
    assert call.ok and refused(fake) == [] and errors_logged(caplog) == []
    reply = call.result["text"]
    assert SORRY not in reply and "✅" not in reply and "\n" not in reply
    assert "Cú pháp" in reply or "Cần" in reply or "chưa có quyền" in reply
    assert store.members() == before


async def test_valid_roles_still_work_and_strangers_are_refused(bot, caplog):
    fake, app = bot
    store = app.bot_data["reporting"].store
    await feed(app, message("/quyen 5 XÓA", private_chat(ADMIN), ADMIN))
    await feed(app, message(f"/quyen {MAX_USER_ID} ADMIN", private_chat(ADMIN), ADMIN))
    await feed(app, message("/quyen 77 reporter Ban Dân vận", private_chat(ADMIN), ADMIN))
    await feed(app, message("/quyen ² admin", private_chat(STRANGER), STRANGER))
    texts = fake.sent_texts()
    assert texts[0] == "Người này chưa có quyền."
    assert texts[1].startswith(f"✅ <code>{MAX_USER_ID}</code>")
    assert "Ban Dân vận Tỉnh ủy" in texts[2]
    assert texts[3] == "⛔ Chỉ quản trị viên được phân quyền."
    assert [m.user_id for m in store.members()] == [77, MAX_USER_ID, ADMIN["id"]]
    assert errors_logged(caplog) == []


async def test_a_long_member_list_arrives_in_pieces(bot, caplog):
    fake, app = bot
    store = app.bot_data["reporting"].store
    for n in range(120):
        store.add_user(1000 + n, "admin", name="<b>Tên & họ</b> " * 4)
    await feed(app, message("/quyen", private_chat(ADMIN), ADMIN))
    calls = fake.calls_of("sendMessage")
    assert len(calls) >= 2 and all(c.ok for c in calls) and errors_logged(caplog) == []
    shown = "\n".join(c.result["text"] for c in calls)
    assert shown.count("<b>Tên & họ</b>") == 480 and "1119" in shown


async def test_a_reply_to_a_bot_or_a_channel_grants_nothing(bot, caplog):
    fake, app = bot
    store = app.bot_data["reporting"].store
    before = store.members()
    group = {"id": -1001, "type": "supergroup", "title": "Tổ công tác"}
    channel = {"id": -1002, "type": "channel", "title": "Kênh"}
    other_bot = message("tin của bot", group, user(55, "Bot", "x_bot", is_bot=True))
    channel_post = message("tin của kênh", group, user(777000, "Telegram"), sender_chat=channel)
    for replied in (other_bot, channel_post):
        await feed(app, message("/quyen admin", group, ADMIN, reply_to=replied["message"]))
    assert store.members() == before and errors_logged(caplog) == []
    assert all("Số id" in t for t in fake.sent_texts())


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("123456789", 123456789),
        (str(MAX_USER_ID), MAX_USER_ID),
        (str(MAX_USER_ID + 1), None),
        ("0", None),
        ("²", None),
        ("１２", None),
        ("12\n", None),
        (" 12", None),
        ("-12", None),
        ("9" * 300, None),
        ("", None),
    ],
)
def test_parse_user_id(arg, expected):
    assert parse_user_id(arg) == expected


# ----------------------------------------------------------------------- show buttons
CRAFTED_DATA = [
    "show|²",
    "show|" + "9" * 300,
    "show|task|²",
    "show|task|" + "9" * 300,
    "show|task|",
    "show||5.3",
    "show|nope|5.3",
    "show|TASK|5.3",
    "show|task|5.3|thêm",
    "show|task|5.3 ",
    "show|task|9.99",
    "show|indicator|-1",
    "show|" + "|" * 60,
    "show|\u202etask|5.3",
]


@pytest.mark.parametrize("data", CRAFTED_DATA)
async def test_crafted_show_buttons_get_a_quiet_alert(bot, caplog, data):
    fake, app = bot
    await feed(app, message("nước sạch", private_chat(STRANGER), STRANGER))
    shown = fake.calls_of("sendMessage")[-1].result
    await feed(app, callback_query(data, shown, STRANGER))
    (answer,) = fake.calls_of("answerCallbackQuery")
    assert answer.ok and answer.params.get("show_alert") in (True, "true")
    assert not fake.calls_of("editMessageText")
    assert len(fake.calls_of("sendMessage")) == 1  # no apology
    assert errors_logged(caplog) == []


async def test_pressing_the_record_already_shown_is_quiet(bot, caplog):
    fake, app = bot
    await feed(app, message("nước sạch", private_chat(STRANGER), STRANGER))
    shown = fake.calls_of("sendMessage")[-1].result
    for _ in range(2):
        await feed(app, callback_query("show|task|5.3", shown, STRANGER))
    first, second = fake.calls_of("editMessageText")
    assert first.ok and "not modified" in second.response["description"]
    assert len(fake.calls_of("sendMessage")) == 1 and errors_logged(caplog) == []


# ----------------------------------------------------------------- the fake's refusals
def send(fake: FakeTelegram, text: str, mode: str | None = "HTML") -> tuple[int, dict]:
    params = {"chat_id": "1", "text": text, **({"parse_mode": mode} if mode else {})}
    return fake.handle("sendMessage", params)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>cắt giữa thẻ</b", "Unclosed end tag"),
        ('<a href="https://vd.gov.vn', "Unclosed start tag"),
        ("<b>mở mà không đóng", "Can't find end tag"),
        ("đóng mà không mở</i>", "Unexpected end tag"),
        ("1 < 2", 'Unsupported start tag ""'),
    ],
)
def test_the_fake_refuses_html_cut_through_a_tag(text, error):
    fake = FakeTelegram()
    status, body = send(fake, text)
    assert status == 400
    assert body["description"].startswith(f"Bad Request: can't parse entities: {error}")
    assert fake.sent_texts() == []


def test_the_fake_reads_a_cut_entity_as_text_like_telegram():
    # TDLib decodes only whole entities; "&am" is three characters of text, not an error.
    status, body = send(FakeTelegram(), "A &am B &#12 C &amp;")
    assert status == 200 and body["result"]["text"] == "A &am B &#12 C &"


def test_the_fake_counts_the_parsed_text_in_code_points():
    fake = FakeTelegram()
    assert send(fake, "x" * LIMIT, None)[0] == 200
    status, body = send(fake, "x" * (LIMIT + 1), None)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    # The limit applies after parsing: 4,096 "&" written as 20,480 characters of HTML.
    assert send(fake, "<b>" + "&amp;" * LIMIT + "</b>")[0] == 200
    assert send(fake, "<b>" + "&amp;" * (LIMIT + 1) + "</b>")[0] == 400
    # TDLib counts code points (utf8_length): 4,096 emoji are 8,192 UTF-16 units, accepted.
    assert send(fake, "😀" * LIMIT, None)[0] == 200
    assert send(fake, "😀" * (LIMIT + 1), None)[0] == 400
    # Edits are held to the same rules.
    sent = fake.sent_messages()[0]
    edit = {"chat_id": "1", "message_id": sent["message_id"], "parse_mode": "HTML"}
    assert fake.handle("editMessageText", {**edit, "text": "<b>x"})[0] == 400
    assert fake.handle("editMessageText", {**edit, "text": "y" * (LIMIT + 1)})[0] == 400


def test_pieces_of_a_note_parse_within_the_limit():
    from handlers.chunks import split_message

    text = "<i>" + html.escape(NOTE * 3, quote=False) + "</i>"
    pieces = split_message(text)
    assert len(pieces) >= 4
    for piece in pieces:
        plain, entities = parse_text(piece, "HTML")
        assert len(plain) <= LIMIT and entities[0]["type"] == "italic"
