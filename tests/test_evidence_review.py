"""Issue #11 part 2, end to end through the real Application on the fake Bot API: evidence
files with reports, an admin's review (confirm / return), quiet confirmations in groups —
and everyone else who might reach those writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from telegram.error import BadRequest

from tests.botkit import feed, obj, started_app
from tests.fakebot import (
    FakeTelegram,
    callback_query,
    document_message,
    edited_message,
    group_chat,
    message,
    photo_message,
    private_chat,
    user,
)

ADMIN = user(9201, "Hùng", "hung_admin")
REPORTER = user(9202, "Lan", "lan_tg")  # Ban Tuyên giáo Tỉnh ủy leads II.3
OTHER = user(9203, "Minh", "minh_tg")  # Ban Tuyên giáo too
STRANGER = user(9204, "Khách", "khach")
ADMIN2 = user(9205, "Tâm", "tam_admin")  # an admin in the database, removed in one test
GROUP = group_chat(-1007777777777, "Tổ theo dõi CTr 08")
CAPTION = "/capnhat II.3 100% đã ban hành Quyết định số 123/QĐ-UBND ngày 15/3/2024"


@pytest_asyncio.fixture
async def bot(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "e.sqlite3", admin_ids=frozenset({ADMIN["id"]})
    )
    store = app.bot_data["reporting"].store
    store.add_user(REPORTER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Lan")
    store.add_user(OTHER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Minh")
    store.add_user(ADMIN2["id"], "admin", name="Tâm")
    yield fake, app
    await app.shutdown()


def rows(app, table="reports"):
    return list(app.bot_data["db"][table].rows)


def sent(fake):
    return fake.calls_of("sendMessage")


def last_text(fake):
    return sent(fake)[-1].params["text"]


def keyboard(call):
    markup = call.params.get("reply_markup")
    return obj(markup)["inline_keyboard"] if markup else []


def buttons(call):
    return {b["text"]: b["callback_data"] for row in keyboard(call) for b in row}


def last_alert(fake):
    answer = fake.calls_of("answerCallbackQuery")[-1].params
    return answer.get("text", ""), answer.get("show_alert") in (True, "true")


async def report_done_with_file(fake, app, chat=None):
    update = document_message(
        chat or private_chat(REPORTER), REPORTER, file_name="qd-123.pdf", caption=CAPTION
    )
    await feed(app, update)
    return update["message"]


async def tiendo(fake, app, who=ADMIN, chat=None):
    """/tiendo II.3: the last piece (with the buttons)."""
    await feed(app, message("/tiendo II.3", chat or private_chat(who), who))
    return sent(fake)[-1]


async def tiendo_text(fake, app, who=ADMIN):
    """/tiendo II.3: the whole text, every piece."""
    count = len(sent(fake))
    await feed(app, message("/tiendo II.3", private_chat(who), who))
    return "\n".join(c.params["text"] for c in sent(fake)[count:])


def without_time(row):
    return {k: v for k, v in row.items() if k != "at"}


# -- evidence ----------------------------------------------------------------------------


async def test_a_document_sent_with_a_report_is_kept_listed_and_sent_on_a_press(bot):
    fake, app = bot
    msg = await report_done_with_file(fake, app)
    confirmation = last_text(fake)
    assert "📎 Đã lưu minh chứng: 📄 qd-123.pdf (47 KB)" in confirmation
    assert "Quyết định số 123/QĐ-UBND ngày 15/3/2024" in confirmation
    (report,) = rows(app)
    assert (report["target"], report["new_progress"], report["new_status"]) == (
        "II.3",
        100.0,
        "hoàn thành",
    )
    (kept,) = rows(app, "evidence")
    assert without_time(kept) == {
        "id": 1,
        "report_id": report["id"],
        "task_key": report["target_key"],
        "task_code": "II.3",
        "user_id": REPORTER["id"],
        "user_name": "Lan",
        "chat_id": REPORTER["id"],
        "message_id": msg["message_id"],
        "kind": "document",
        "file_id": msg["document"]["file_id"],
        "file_unique_id": msg["document"]["file_unique_id"],
        "file_name": "qd-123.pdf",
        "mime_type": "application/pdf",
        "file_size": 48213,
        "doc_number": "123/QĐ-UBND",
        "doc_refs": "Quyết định số 123/QĐ-UBND ngày 15/3/2024",
    }
    # Anyone who can run /tiendo sees the list and may press the button (here: a stranger).
    card = await tiendo(fake, app, STRANGER, GROUP)
    assert "Minh chứng (1):" in card.params["text"] and "qd-123.pdf" in card.params["text"]
    assert buttons(card) == {"📄 qd-123.pdf": "ev|1"}  # no review buttons for a stranger
    await feed(app, callback_query("ev|1", card.result, STRANGER))
    (document,) = fake.calls_of("sendDocument")
    assert document.params["chat_id"] == GROUP["id"]
    assert document.params["document"] == msg["document"]["file_id"]


async def test_a_photo_with_a_report_caption_in_a_group_is_evidence_too(bot):
    fake, app = bot
    update = photo_message(GROUP, REPORTER, caption="/capnhat II.3 60% ảnh hội nghị")
    await feed(app, update)
    assert last_text(fake).endswith("· Báo cáo #1 · 📎 đã lưu minh chứng")
    assert fake.reactions[(GROUP["id"], update["message"]["message_id"])] == ["👍"]
    (kept,) = rows(app, "evidence")
    largest = update["message"]["photo"][-1]
    assert (kept["kind"], kept["file_id"], kept["file_unique_id"], kept["file_size"]) == (
        "photo",
        largest["file_id"],
        largest["file_unique_id"],
        largest["file_size"],
    )
    card = await tiendo(fake, app, OTHER, GROUP)
    await feed(app, callback_query(buttons(card)["🖼 Ảnh #1"], card.result, OTHER))
    (photo,) = fake.calls_of("sendPhoto")
    assert photo.params["photo"] == largest["file_id"]


async def test_a_caption_for_another_bot_or_from_a_stranger_keeps_nothing(bot):
    fake, app = bot
    addressed = f"/capnhat@{fake.username.upper()} II.3 60%"
    await feed(app, document_message(GROUP, REPORTER, caption=addressed))
    assert len(rows(app, "evidence")) == 1
    rows_before = len(rows(app))
    other_bot = "/capnhat@otherbot II.3 60%"
    await feed(app, document_message(GROUP, REPORTER, caption=other_bot))
    await feed(app, document_message(GROUP, STRANGER, caption="/capnhat II.3 60%"))
    assert last_text(fake).startswith("⛔ Không ghi nhận:")
    assert len(rows(app)) == rows_before and len(rows(app, "evidence")) == 1


async def test_a_forwarded_file_with_a_report_caption_is_refused(bot):
    fake, app = bot
    update = document_message(private_chat(REPORTER), REPORTER, caption=CAPTION)
    update["message"]["forward_origin"] = {"type": "user", "date": 1, "sender_user": OTHER}
    await feed(app, update)
    assert "chuyển tiếp" in last_text(fake)
    assert rows(app) == [] and rows(app, "evidence") == []


async def test_a_file_replying_to_a_confirmation_is_evidence_of_that_report(bot):
    fake, app = bot
    await feed(app, message("/capnhat II.3 80% đã trình", GROUP, REPORTER))
    confirmation = sent(fake)[-1].result
    update = document_message(GROUP, REPORTER, reply_to=confirmation, caption="KH 45/KH-UBND")
    await feed(app, update)
    assert last_text(fake).startswith("<b>📎 Đã lưu minh chứng cho báo cáo #1 (nhiệm vụ II.3)")
    (kept,) = rows(app, "evidence")
    assert (kept["report_id"], kept["doc_refs"], kept["message_id"]) == (
        1,
        "Kế hoạch số 45/KH-UBND",
        update["message"]["message_id"],
    )
    # The same file again is kept once.
    again = document_message(
        GROUP,
        REPORTER,
        reply_to=confirmation,
        file_ids=(update["message"]["document"]["file_id"], kept["file_unique_id"]),
    )
    await feed(app, again)
    assert "đã được gắn" in last_text(fake) and len(rows(app, "evidence")) == 1


async def test_nobody_else_can_attach_a_file_to_someone_elses_report(bot):
    fake, app = bot
    await feed(app, message("/capnhat II.3 80% đã trình", GROUP, REPORTER))
    confirmation = sent(fake)[-1].result
    # Another reporter of the same body, an admin, a stranger: only the author attaches.
    for who, reason in (
        (OTHER, "chỉ người gửi báo cáo"),
        (ADMIN, "chỉ người gửi báo cáo"),
        (STRANGER, "chưa được cấp quyền"),
    ):
        await feed(app, document_message(GROUP, who, reply_to=confirmation))
        assert last_text(fake).startswith("⛔ Không ghi nhận:") and reason in last_text(fake)
    # A forwarded file replying to it, by the author, is refused too.
    forwarded = document_message(GROUP, REPORTER, reply_to=confirmation, forward_from=OTHER)
    await feed(app, forwarded)
    assert "chuyển tiếp" in last_text(fake)
    # A reply to a message that only looks like a confirmation (not the bot's) is ignored.
    fake_card = message("Báo cáo #1. giả mạo", GROUP, OTHER)["message"]
    count = len(sent(fake))
    await feed(app, document_message(GROUP, REPORTER, reply_to=fake_card))
    assert len(sent(fake)) == count
    assert rows(app, "evidence") == []
    audit = [a["action"] for a in rows(app, "audit")]
    assert audit.count("attach") == 4


async def test_a_file_after_the_edit_window_or_after_an_undo_is_refused(bot):
    fake, app = bot
    await feed(app, message("/capnhat II.3 80%", private_chat(REPORTER), REPORTER))
    confirmation = sent(fake)[-1]
    undo = buttons(confirmation)["↩️ Hoàn tác"]
    await feed(app, callback_query(undo, confirmation.result, REPORTER))
    await feed(
        app, document_message(private_chat(REPORTER), REPORTER, reply_to=confirmation.result)
    )
    assert "đã được hoàn tác" in last_text(fake)
    task = app.bot_data["engine"].task("II.3")
    old = (datetime.now(UTC) - timedelta(hours=49)).isoformat(timespec="seconds")
    service = app.bot_data["reporting"]
    store = service.store
    report = store.record_task(
        task, service.document_of(task), user_id=REPORTER["id"], progress=30, at=old
    )
    stale = message(f"✅ Đã ghi nhận\nBáo cáo #{report.id}.", private_chat(REPORTER), None)
    stale["message"]["from"] = fake.bot_user
    await feed(app, document_message(private_chat(REPORTER), REPORTER, reply_to=stale["message"]))
    assert "trong vòng 48 giờ" in last_text(fake)
    assert rows(app, "evidence") == []


async def test_an_edited_caption_changes_nothing(bot):
    fake, app = bot
    msg = await report_done_with_file(fake, app)
    count = len(sent(fake))
    edited = dict(msg, caption="/capnhat II.3 10% sửa", edit_date=msg["date"] + 5)
    await feed(app, {"edited_message": edited})
    assert len(sent(fake)) == count
    assert [r["new_progress"] for r in rows(app)] == [100.0] and len(rows(app, "evidence")) == 1


# -- review --------------------------------------------------------------------------------


async def test_an_admin_confirms_from_the_tiendo_button_and_the_status_says_so(bot):
    fake, app = bot
    await report_done_with_file(fake, app)
    card = await tiendo(fake, app, ADMIN, GROUP)
    assert buttons(card) == {
        "📄 qd-123.pdf": "ev|1",
        "✅ Xác nhận hoàn thành": "rv|ok|II.3",
        "↩️ Trả lại": "rv|back|II.3",
    }
    # Others in the group press the admin's button: refused, nothing written.
    for who, reason in (
        (REPORTER, "chỉ quản trị viên"),
        (OTHER, "chỉ quản trị viên"),
        (STRANGER, "chưa được cấp quyền"),
    ):
        await feed(app, callback_query("rv|ok|II.3", card.result, who))
        alert, shown = last_alert(fake)
        assert shown and reason in alert
    assert [r["action"] for r in rows(app)] == ["report"]
    await feed(app, callback_query("rv|ok|II.3", card.result, ADMIN))
    confirm = rows(app)[-1]
    first = rows(app)[0]
    assert without_time(confirm) == {
        **without_time(first),
        "id": 2,
        "user_id": ADMIN["id"],
        "user_name": "Hùng",
        "chat_id": GROUP["id"],
        "message_id": card.result["message_id"],
        "action": "confirm",
        "ref_report": 1,
        "old_progress": 100.0,
        "old_status": "hoàn thành",
        "note": "",
    }
    told = [c.params for c in sent(fake) if c.params["chat_id"] == REPORTER["id"]][-1]
    assert told["text"].startswith("<b>✅ Nhiệm vụ II.3 đã được xác nhận hoàn thành</b>")
    assert "Đã báo cho Lan." in last_text(fake)
    text = await tiendo_text(fake, app, STRANGER)
    assert "Tình trạng: Hoàn thành quá hạn (đã xác nhận) (100%" in text
    # Pressed again (or /xacnhan again): idempotent, no second row.
    await feed(app, callback_query("rv|ok|II.3", card.result, ADMIN))
    assert "trước đó" in last_alert(fake)[0]
    await feed(app, message("/xacnhan II.3", private_chat(ADMIN), ADMIN))
    assert "trước đó" in last_text(fake)
    assert [r["action"] for r in rows(app)] == ["report", "confirm"]
    # The admin's card now offers only the return.
    assert set(buttons(await tiendo(fake, app))) == {"📄 qd-123.pdf", "↩️ Trả lại"}


async def test_an_admin_returns_with_a_reason_and_the_reporter_is_told_why(bot):
    fake, app = bot
    await report_done_with_file(fake, app)
    card = await tiendo(fake, app, ADMIN, GROUP)
    # A reporter pressing "Trả lại" gets no prompt.
    count = len(sent(fake))
    await feed(app, callback_query("rv|back|II.3", card.result, REPORTER))
    assert "chỉ quản trị viên" in last_alert(fake)[0] and len(sent(fake)) == count
    await feed(app, callback_query("rv|back|II.3", card.result, ADMIN))
    prompt = sent(fake)[-1]
    assert prompt.params["text"].startswith("↩️ Trả lại nhiệm vụ II.3 — lý do?")
    assert obj(prompt.params["reply_markup"])["force_reply"] is True
    assert obj(prompt.params["reply_markup"])["selective"] is True
    assert f'<a href="tg://user?id={ADMIN["id"]}">Hùng</a>' in prompt.params["text"]
    # The reporter answering the prompt themselves is refused.
    await feed(app, message("xong rồi mà", GROUP, REPORTER, reply_to=prompt.result))
    assert "chỉ quản trị viên" in last_text(fake)
    reason = "thiếu quyết định phê duyệt kèm theo"
    answer = message(reason, GROUP, ADMIN, reply_to=prompt.result)
    await feed(app, answer)
    back = rows(app)[-1]
    assert without_time(back) == {
        **without_time(rows(app)[0]),
        "id": 2,
        "user_id": ADMIN["id"],
        "user_name": "Hùng",
        "chat_id": GROUP["id"],
        "message_id": answer["message"]["message_id"],
        "action": "return",
        "ref_report": 1,
        "old_progress": 100.0,
        "new_progress": None,
        "old_status": "hoàn thành",
        "new_status": "đang thực hiện",
        "note": reason,
    }
    told = [c.params["text"] for c in sent(fake) if c.params["chat_id"] == REPORTER["id"]]
    assert told[-1].startswith("<b>↩️ Nhiệm vụ II.3 bị trả lại</b>")
    assert f"Lý do: {reason}" in told[-1] and "Người trả lại: Hùng" in told[-1]
    assert "Đã báo cho Lan." in last_text(fake)
    text = await tiendo_text(fake, app, STRANGER)
    assert "Tình trạng: Quá hạn chưa hoàn thành (đang thực hiện" in text
    assert "Hùng: ↩️ trả lại, về đang thực hiện — thiếu quyết định" in text
    # Not done any more: a second return, or a confirm, is refused and writes nothing.
    await feed(app, message(f"/tralai II.3 {reason}", private_chat(ADMIN), ADMIN))
    assert "không ở trạng thái hoàn thành" in last_text(fake)
    await feed(app, callback_query("rv|ok|II.3", card.result, ADMIN))
    assert "không ở trạng thái hoàn thành" in last_alert(fake)[0]
    assert [r["action"] for r in rows(app)] == ["report", "return"]


async def test_review_commands_are_refused_for_everyone_but_admins_now(bot):
    fake, app = bot
    await report_done_with_file(fake, app)
    store = app.bot_data["reporting"].store
    store.remove_user(ADMIN2["id"])
    for who in (REPORTER, OTHER, STRANGER, ADMIN2):
        for text in ("/xacnhan II.3", "/tralai II.3 làm lại"):
            await feed(app, message(text, private_chat(who), who))
            assert last_text(fake).startswith("⛔ Không ghi nhận:"), (who, text)
    await feed(app, message("/tralai II.3", private_chat(ADMIN), ADMIN))
    assert "Cần nêu lý do" in last_text(fake)
    assert [r["action"] for r in rows(app)] == ["report"]
    refused = [a for a in rows(app, "audit") if a["action"] in ("confirm", "return")]
    assert len(refused) == 8 and all(a["allowed"] == 0 for a in refused)


async def test_a_review_row_cannot_be_undone_or_edited(bot):
    fake, app = bot
    await report_done_with_file(fake, app)
    command = message("/xacnhan II.3", private_chat(ADMIN), ADMIN)
    await feed(app, command)
    confirm = rows(app)[-1]
    await feed(app, callback_query(f"undo|{confirm['id']}", sent(fake)[-1].result, ADMIN))
    assert "xác nhận hay trả lại" in last_alert(fake)[0]
    msg_id = command["message"]["message_id"]
    await feed(
        app, edited_message("/xacnhan II.3 100%", private_chat(ADMIN), ADMIN, message_id=msg_id)
    )
    assert [r["action"] for r in rows(app)] == ["report", "confirm"]
    # The reporter cannot undo the completion once it is confirmed.
    await feed(app, callback_query("undo|1", sent(fake)[0].result, REPORTER))
    assert "sau báo cáo #1 đã có báo cáo #2" in last_alert(fake)[0]


async def test_the_reporter_unreachable_is_said_to_the_admin(bot):
    fake, app = bot
    await report_done_with_file(fake, app)
    fake.block_bot(REPORTER["id"])
    await feed(app, message("/tralai II.3 thiếu hồ sơ", private_chat(ADMIN), ADMIN))
    assert "Không gửi được tin báo cho Lan" in last_text(fake)
    assert rows(app)[-1]["action"] == "return"


# -- quiet groups ------------------------------------------------------------------------


async def test_a_report_in_a_group_gets_a_thumbs_up_and_one_line_with_undo(bot):
    fake, app = bot
    update = message("/capnhat II.3 60% đang hoàn thiện dự thảo", GROUP, REPORTER)
    await feed(app, update)
    key = (GROUP["id"], update["message"]["message_id"])
    assert fake.reactions[key] == ["👍"]
    reply = sent(fake)[-1]
    assert reply.params["text"] == (
        "👍 Đã ghi nhận nhiệm vụ II.3: tiến độ — → 60%; tình trạng — → đang thực hiện · Báo cáo #1"
    )
    assert buttons(reply) == {"↩️ Hoàn tác": "undo|1"}
    # Refusals are never quiet, and get no reaction.
    refused = message("/capnhat II.3 70%", GROUP, STRANGER)
    await feed(app, refused)
    assert last_text(fake).startswith("⛔ Không ghi nhận:")
    assert (GROUP["id"], refused["message"]["message_id"]) not in fake.reactions
    # Private chats keep the full card.
    await feed(app, message("/capnhat II.3 65%", private_chat(REPORTER), REPORTER))
    assert last_text(fake).startswith("<b>✅ Đã ghi nhận nhiệm vụ II.3: </b>")


async def test_imlang_is_per_chat_persisted_and_only_for_admins(bot, tmp_path):
    fake, app = bot
    await feed(app, message("/imlang tat", GROUP, REPORTER))  # a plain group member
    assert last_text(fake).startswith("⛔")
    fake.set_member_status(GROUP["id"], OTHER["id"], "administrator")
    await feed(app, message("/imlang tat", GROUP, OTHER))
    assert "Đã tắt chế độ im lặng" in last_text(fake)
    update = message("/capnhat II.3 60%", GROUP, REPORTER)
    await feed(app, update)
    assert last_text(fake).startswith("<b>✅ Đã ghi nhận nhiệm vụ II.3: </b>")
    assert fake.reactions == {}
    other_group = group_chat(-1008888888888, "Nhóm khác")
    await feed(app, message("/capnhat II.3 70%", other_group, REPORTER))
    assert last_text(fake).startswith("👍")
    (setting,) = rows(app, "chat_settings")
    assert without_time(setting) == {
        "chat_id": GROUP["id"],
        "quiet_reports": 0,
        "set_by": OTHER["id"],
    }
    await feed(app, message("/imlang", GROUP, STRANGER))
    assert "đang tắt" in last_text(fake)
    await feed(app, message("/imlang bat", GROUP, ADMIN))
    await feed(app, message("/capnhat II.3 80%", GROUP, REPORTER))
    assert last_text(fake).startswith("👍")


async def test_the_fake_validates_reactions(bot):
    fake, app = bot
    bot_api = app.bot
    assert await bot_api.set_message_reaction(GROUP["id"], 5, "👍") is True
    assert fake.reactions[(GROUP["id"], 5)] == ["👍"]
    with pytest.raises(BadRequest, match=r"(?i)reactions_too_many"):
        await bot_api.set_message_reaction(GROUP["id"], 5, ["👍", "🔥"])


async def test_crafted_button_data_writes_and_sends_nothing(bot):
    fake, app = bot
    await report_done_with_file(fake, app)
    card = await tiendo(fake, app, ADMIN, GROUP)
    for data in ("ev|abc", "ev|999", "ev|1|x", "ev|²", "rv|ok|9.9", "rv|ok|", "rv|zap|II.3"):
        await feed(app, callback_query(data, card.result, ADMIN))
        alert, shown = last_alert(fake)
        assert shown and alert in (
            "Tệp này không còn trong hồ sơ nhiệm vụ.",
            "Nút này không còn dùng được.",
        )
    assert fake.calls_of("sendDocument") == [] and [r["action"] for r in rows(app)] == ["report"]
    # A file whose report was undone is not sent from an old /tiendo message.
    app.bot_data["reporting"].store.undo(app.bot_data["reporting"].store.report(1), user_id=1)
    await feed(app, callback_query("ev|1", card.result, ADMIN))
    assert last_alert(fake)[0] == "Tệp này không còn trong hồ sơ nhiệm vụ."


async def test_a_file_report_that_asks_which_task_keeps_the_file_after_the_pick(bot):
    fake, app = bot
    update = document_message(private_chat(ADMIN), ADMIN, caption="/capnhat nông nghiệp 50%")
    await feed(app, update)
    choices = sent(fake)[-1]
    assert rows(app) == [] and len(keyboard(choices)) >= 2
    pick = keyboard(choices)[0][0]["callback_data"]
    # Another person pressing the pick finds nothing; the author's press writes both.
    await feed(app, callback_query(pick, choices.result, REPORTER))
    assert rows(app) == [] and last_alert(fake)[1]
    await feed(app, callback_query(pick, choices.result, ADMIN))
    (report,) = rows(app)
    (kept,) = rows(app, "evidence")
    assert (kept["report_id"], kept["file_id"]) == (
        report["id"],
        update["message"]["document"]["file_id"],
    )


async def test_another_bots_review_command_is_audited_and_dropped(bot):
    fake, app = bot
    await report_done_with_file(fake, app)
    robot = user(9299, "Robot", "robot_bot", is_bot=True)
    count = len(sent(fake))
    await feed(app, message("/xacnhan II.3", GROUP, robot))
    assert len(sent(fake)) == count and [r["action"] for r in rows(app)] == ["report"]
    (audit,) = [a for a in rows(app, "audit") if a["user_id"] == robot["id"]]
    assert (audit["allowed"], audit["reason"]) == (0, "sent by a bot")
