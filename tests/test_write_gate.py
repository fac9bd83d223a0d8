"""Issue #8, the write path: every way to change the log, tried as a hostile or careless user
would, through the real Application on the fake Bot API."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest_asyncio

from tests.botkit import feed, obj, started_app
from tests.fakebot import (
    FakeTelegram,
    callback_query,
    edited_message,
    group_chat,
    message,
    private_chat,
    user,
)

ADMIN = user(9101, "Hùng", "hung_admin")
REPORTER = user(9102, "Lan", "lan_tg")  # Ban Tuyên giáo Tỉnh ủy: leads II.3, II.4 ...
OTHER = user(9103, "Minh", "minh_tg")  # Ban Tuyên giáo too
GROUP = group_chat(-1006666666666, "Tổ theo dõi CTr 08")


@pytest_asyncio.fixture
async def bot(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "w.sqlite3", admin_ids=frozenset({ADMIN["id"]})
    )
    store = app.bot_data["reporting"].store
    store.add_user(REPORTER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Lan")
    store.add_user(OTHER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Minh")
    yield fake, app
    await app.shutdown()


def last_text(fake):
    return fake.calls_of("sendMessage")[-1].params["text"]


def rows(app):
    return list(app.bot_data["db"]["reports"].rows)


def store(app):
    return app.bot_data["reporting"].store


def keyboard(call):
    return obj(call.params["reply_markup"])["inline_keyboard"]


def last_alert(fake):
    answer = fake.calls_of("answerCallbackQuery")[-1].params
    return answer.get("text", ""), answer.get("show_alert") in (True, "true")


async def send(app, text, who=REPORTER, chat=None):
    update = message(text, chat or private_chat(who), who)
    await feed(app, update)
    return update["message"]["message_id"]


async def edit(app, text, message_id, who=REPORTER, chat=None):
    await feed(app, edited_message(text, chat or private_chat(who), who, message_id=message_id))


async def test_a_later_percent_below_100_puts_a_done_task_back_in_progress(bot):
    fake, app = bot
    await send(app, "/capnhat II.3 hoàn thành")
    await send(app, "/capnhat II.3 50% phải làm lại phần tổng kết")
    last = rows(app)[-1]
    assert (last["new_progress"], last["new_status"]) == (50.0, "đang thực hiện")
    assert "Hoàn thành" not in last_text(fake).split("Tình trạng:")[-1]


async def test_a_removed_reporter_cannot_edit_an_old_report(bot):
    fake, app = bot
    msg_id = await send(app, "/capnhat II.3 40% đang viết dự thảo")
    store(app).remove_user(REPORTER["id"])
    await edit(app, "/capnhat II.3 100% hoàn thành", msg_id)
    assert last_text(fake).startswith("⛔ Không ghi nhận:")
    assert [r["action"] for r in rows(app)] == ["report"]


async def test_a_demoted_reporter_loses_the_tasks_of_the_body_they_left(bot):
    fake, app = bot
    msg_id = await send(app, "/capnhat II.3 40%")
    store(app).remove_user(REPORTER["id"])
    store(app).add_user(REPORTER["id"], "reporter", ["Ban Dân vận Tỉnh ủy"], name="Lan")
    await edit(app, "/capnhat II.3 45%", msg_id)
    assert "Ban Tuyên giáo Tỉnh ủy chủ trì" in last_text(fake)
    assert len(rows(app)) == 1


async def test_an_edit_keeps_the_bounds_of_a_new_report(bot):
    fake, app = bot
    msg_id = await send(app, "/capnhat II.3 40%")
    await edit(app, "/capnhat II.3 150% hoàn thành", msg_id)
    assert "phải từ 0 đến 100%" in last_text(fake)
    assert [r["new_progress"] for r in rows(app)] == [40.0]


async def test_an_edit_into_another_task_is_refused_and_rewrites_nothing(bot):
    fake, app = bot
    msg_id = await send(app, "/capnhat II.3 40%")
    await edit(app, "/capnhat II.4 45%", msg_id)
    text = last_text(fake)
    assert text.startswith("⛔ Không ghi nhận:") and "II.4" in text and "báo cáo mới" in text
    (row,) = rows(app)
    assert (row["target"], row["new_progress"], row["action"]) == ("II.3", 40.0, "report")


async def test_an_edit_after_the_window_says_to_send_a_new_report(bot):
    fake, app = bot
    task = app.bot_data["engine"].task("II.3")
    old = (datetime.now(UTC) - timedelta(hours=49)).isoformat(timespec="seconds")
    report = store(app).record_task(
        task,
        app.bot_data["reporting"].document_of(task),
        user_id=REPORTER["id"],
        chat_id=REPORTER["id"],
        message_id=4242,
        progress=30,
        at=old,
    )
    await edit(app, "/capnhat II.3 35%", 4242)
    assert "trong vòng 48 giờ" in last_text(fake)
    assert [r["id"] for r in rows(app)] == [report.id]


async def test_an_edit_after_someone_else_reported_is_refused(bot):
    fake, app = bot
    msg_id = await send(app, "/capnhat II.3 40%", REPORTER, GROUP)
    await send(app, "/capnhat II.3 60%", OTHER, GROUP)
    await edit(app, "/capnhat II.3 45%", msg_id, REPORTER, GROUP)
    text = last_text(fake)
    assert text.startswith("⛔ Không ghi nhận:") and "Minh" in text
    assert [r["new_progress"] for r in rows(app)] == [40.0, 60.0]


async def test_undo_of_an_older_report_never_removes_a_later_one(bot):
    fake, app = bot
    await send(app, "/capnhat II.3 40%", ADMIN, GROUP)
    confirmation = fake.calls_of("sendMessage")[-1]
    await send(app, "/capnhat II.3 70%", REPORTER, GROUP)
    data = keyboard(confirmation)[0][0]["callback_data"]
    await feed(app, callback_query(data, confirmation.result, ADMIN))
    alert, shown = last_alert(fake)
    assert shown and "Lan" in alert
    assert [(r["action"], r["new_progress"]) for r in rows(app)] == [
        ("report", 40.0),
        ("report", 70.0),
    ]
    task = app.bot_data["engine"].task("II.3")
    assert app.bot_data["reporting"].state_of(task).progress == 70.0


async def test_a_removed_reporter_cannot_undo(bot):
    fake, app = bot
    await send(app, "/capnhat II.3 40%")
    confirmation = fake.calls_of("sendMessage")[-1]
    store(app).remove_user(REPORTER["id"])
    data = keyboard(confirmation)[0][0]["callback_data"]
    await feed(app, callback_query(data, confirmation.result, REPORTER))
    alert, shown = last_alert(fake)
    assert shown and "chưa được cấp quyền" in alert
    assert [r["action"] for r in rows(app)] == ["report"]


async def test_crafted_undo_data_gets_a_quiet_alert(bot):
    fake, app = bot
    await send(app, "/capnhat II.3 40%")
    confirmation = fake.calls_of("sendMessage")[-1]
    for data in ("undo|²", "undo|" + "9" * 300, "undo|", "undo|-1", "undo|1|2", "undo|0x10"):
        await feed(app, callback_query(data, confirmation.result, REPORTER))
        alert, shown = last_alert(fake)
        assert shown and alert, data
    assert not any("Xin lỗi" in t for t in fake.sent_texts())
    assert [r["action"] for r in rows(app)] == ["report"]


async def test_pending_pick_buttons_check_rights_at_the_press(bot):
    fake, app = bot
    await send(app, "/capnhat kế hoạch 60%")
    question = fake.calls_of("sendMessage")[-1]
    buttons = keyboard(question)
    assert len(buttons) >= 2
    store(app).remove_user(REPORTER["id"])
    await feed(app, callback_query(buttons[0][0]["callback_data"], question.result, REPORTER))
    alert, shown = last_alert(fake)
    assert shown and "chưa được cấp quyền" in alert
    assert rows(app) == []


async def test_someone_else_cannot_press_a_pending_pick(bot):
    fake, app = bot
    await send(app, "/capnhat kế hoạch 60%", ADMIN, GROUP)
    question = fake.calls_of("sendMessage")[-1]
    data = keyboard(question)[0][0]["callback_data"]
    await feed(app, callback_query(data, question.result, REPORTER))
    alert, shown = last_alert(fake)
    assert shown and "hết hạn" in alert
    assert rows(app) == []


async def test_crafted_pick_data_gets_a_quiet_alert(bot):
    fake, app = bot
    await send(app, "/capnhat kế hoạch 60%", ADMIN)
    question = fake.calls_of("sendMessage")[-1]
    for data in ("pick|", "pick|²|5.3", "pick|zz|" + "9" * 300, "pct|x|1", "pct|abcdef12|²"):
        await feed(app, callback_query(data, question.result, ADMIN))
        alert, shown = last_alert(fake)
        assert shown and "hết hạn" in alert, data
    assert not any("Xin lỗi" in t for t in fake.sent_texts())


async def test_two_different_percents_are_asked_back_never_guessed(bot):
    fake, app = bot
    await send(app, "/capnhat 5.3 đạt 100% kế hoạch quý, tiến độ chung 40%", ADMIN)
    question = fake.calls_of("sendMessage")[-1]
    labels = [b["text"] for row in keyboard(question) for b in row]
    assert labels == ["100%", "40%"]
    assert rows(app) == []
    forty = keyboard(question)[0][1]["callback_data"]
    await feed(app, callback_query(forty, question.result, ADMIN))
    (row,) = rows(app)
    assert (row["target"], row["new_progress"], row["new_status"]) == (
        "5.3",
        40.0,
        "đang thực hiện",
    )
    edited = fake.calls_of("editMessageText")[-1].params
    assert "Đã ghi nhận nhiệm vụ 5.3" in edited["text"]
    # The same button again does nothing.
    await feed(app, callback_query(forty, question.result, ADMIN))
    assert "hết hạn" in last_alert(fake)[0] and len(rows(app)) == 1


async def test_a_long_note_is_capped_and_said_so(bot):
    fake, app = bot
    note = "đã họp & thống nhất <dự thảo> " * 200
    await send(app, f"/capnhat II.3 60% {note}")
    (row,) = rows(app)
    assert len(row["note"]) <= 1000
    assert any("đã được cắt" in t for t in fake.sent_texts())


_HOLD_LOCK = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO audit (at, user_id, chat_id, message_id, action, allowed, reason, text)"
            " VALUES ('x', 0, 0, 0, 'lock', 1, '', '')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
"""


def _hold_write_lock(path, seconds):
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


async def test_a_report_waits_for_another_writer_then_commits(bot, tmp_path):
    fake, app = bot
    holder = _hold_write_lock(tmp_path / "w.sqlite3", 1.0)
    started = time.monotonic()
    await send(app, "/capnhat II.3 40%")
    waited = time.monotonic() - started
    holder.wait(10)
    assert "✅ Đã ghi nhận" in last_text(fake)
    assert waited >= 0.5  # it waited for the lock instead of failing at once
    assert [r["new_progress"] for r in rows(app)] == [40.0]


async def test_a_report_under_a_lock_held_too_long_gets_the_busy_line(bot, tmp_path):
    fake, app = bot
    app.bot_data["db"].execute("PRAGMA busy_timeout=300")
    holder = _hold_write_lock(tmp_path / "w.sqlite3", 2.0)
    try:
        await send(app, "/capnhat II.3 40%")
    finally:
        holder.wait(10)
    text = last_text(fake)
    assert "Cơ sở dữ liệu đang bận" in text and "✅" not in text
    assert "reply_markup" not in fake.calls_of("sendMessage")[-1].params
    assert rows(app) == []
    con = sqlite3.connect(tmp_path / "w.sqlite3")
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


async def test_not_finished_is_never_stored_as_done(bot):
    fake, app = bot
    await send(app, "/capnhat 4.1 chưa hoàn thành", ADMIN)
    await send(app, "/capnhat II.3 60% chưa xong phần thẩm định", REPORTER)
    assert [(r["target"], r["new_progress"], r["new_status"]) for r in rows(app)] == [
        ("4.1", None, "đang thực hiện"),
        ("II.3", 60.0, "đang thực hiện"),
    ]
    await send(app, "/tiendo 4.1", ADMIN)
    assert "Hoàn thành đúng hạn" not in last_text(fake)


async def test_an_exponent_percent_gets_a_usage_line(bot):
    fake, app = bot
    await send(app, "/capnhat II.3 1e2%")
    assert "phải từ 0 đến 100%" in last_text(fake)
    assert rows(app) == []


async def test_a_reply_to_a_card_with_two_percents_is_asked_back(bot):
    fake, app = bot
    await feed(app, message(f"/hoi@{fake.username} đề án bảo vệ nền tảng tư tưởng", GROUP, ADMIN))
    card = fake.calls_of("sendMessage")[-1].result
    await feed(app, message("đạt 100% kế hoạch quý, chung 70%", GROUP, REPORTER, reply_to=card))
    question = fake.calls_of("sendMessage")[-1]
    assert [b["text"] for row in keyboard(question) for b in row] == ["100%", "70%"]
    await feed(
        app, callback_query(keyboard(question)[0][1]["callback_data"], question.result, OTHER)
    )
    assert "hết hạn" in last_alert(fake)[0] and rows(app) == []
    await feed(
        app, callback_query(keyboard(question)[0][1]["callback_data"], question.result, REPORTER)
    )
    (row,) = rows(app)
    assert (row["target"], row["new_progress"], row["user_id"]) == ("II.4", 70.0, REPORTER["id"])
