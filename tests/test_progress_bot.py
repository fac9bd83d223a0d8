"""Progress reports through the real Application (in-process fake Bot API), and a writer
killed mid-burst (`ctbot run` over HTTP) that loses no acknowledged report."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest_asyncio

from tests.botkit import feed, obj, started_app
from tests.fakebot import (
    FakeBotApiServer,
    FakeTelegram,
    callback_query,
    edited_message,
    group_chat,
    message,
    private_chat,
    user,
)

ROOT = Path(__file__).resolve().parents[1]
ADMIN = user(9001, "Hùng", "hung_admin")
REPORTER = user(9002, "Lan", "lan_tg")  # Ban Tuyên giáo Tỉnh ủy
STRANGER = user(9003, "Khách", "khach")
GROUP = group_chat(-1005555555555, "Tổ theo dõi CTr 08")


@pytest_asyncio.fixture
async def bot(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "p.sqlite3", admin_ids=frozenset({ADMIN["id"]})
    )
    app.bot_data["reporting"].store.add_user(
        REPORTER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Lan"
    )
    yield fake, app
    await app.shutdown()


def last_text(fake):
    return fake.calls_of("sendMessage")[-1].params["text"]


def reports(app):
    return list(app.bot_data["db"]["reports"].rows)


async def test_admin_and_reporter_update_tasks(bot):
    fake, app = bot
    await feed(app, message("/capnhat 5.3 60% đã ban hành kế hoạch", GROUP, ADMIN))
    assert "👍 Đã ghi nhận nhiệm vụ 5.3" in last_text(fake)  # quiet in groups
    await feed(app, message("/capnhat II.3 hoàn thành", GROUP, REPORTER))
    assert "👍 Đã ghi nhận nhiệm vụ II.3" in last_text(fake)
    rows = reports(app)
    assert [(r["target"], r["user_id"], r["new_progress"]) for r in rows] == [
        ("5.3", ADMIN["id"], 60.0),
        ("II.3", REPORTER["id"], 100.0),
    ]
    await feed(app, message("/tiendo", GROUP, STRANGER))
    overview = last_text(fake)
    assert "Quá hạn chưa hoàn thành: 1" in overview and "Hoàn thành quá hạn: 1" in overview
    await feed(app, message("/tiendo 5.3", GROUP, STRANGER))
    card = last_text(fake)
    assert "Tình trạng: Quá hạn chưa hoàn thành (60%" in card and "Hùng (báo cáo)" in card


async def test_refusals(bot):
    fake, app = bot
    cases = [
        (message("/capnhat 5.3 60%", GROUP, STRANGER), "chưa được cấp quyền"),
        (message("/capnhat 5.3 60%", GROUP, REPORTER), "Ban CSĐ UBND tỉnh chủ trì"),
        (message("/capnhat 5.3 60%", GROUP, ADMIN, forward_from=ADMIN), "chuyển tiếp"),
        (message("/capnhat 5.3 60%", GROUP, sender_chat=GROUP), "ẩn danh"),
    ]
    for update, reason in cases:
        await feed(app, update)
        text = last_text(fake)
        assert text.startswith("⛔ Không ghi nhận:") and reason in text
    assert reports(app) == []
    audit = list(app.bot_data["db"]["audit"].rows)
    assert len(audit) == 4 and all(a["allowed"] == 0 for a in audit)


async def test_undo_button_and_history(bot):
    fake, app = bot
    await feed(app, message("/capnhat II.3 40%", private_chat(REPORTER), REPORTER))
    call = fake.calls_of("sendMessage")[-1]
    button = obj(call.params["reply_markup"])["inline_keyboard"][0][0]
    assert button["text"] == "↩️ Hoàn tác"
    # Someone else cannot undo it.
    await feed(app, callback_query(button["callback_data"], call.result, ADMIN))
    assert fake.calls_of("answerCallbackQuery")[-1].params.get("show_alert") in (True, "true")
    await feed(app, callback_query(button["callback_data"], call.result, REPORTER))
    assert "Đã hoàn tác" in last_text(fake)
    rows = reports(app)
    assert [r["action"] for r in rows] == ["report", "undo"]
    assert rows[1]["new_progress"] is None and rows[1]["ref_report"] == rows[0]["id"]


async def test_editing_the_message_amends(bot):
    fake, app = bot
    original = message("/capnhat II.3 40% đang viết dự thảo", private_chat(REPORTER), REPORTER)
    await feed(app, original)
    msg_id = original["message"]["message_id"]
    await feed(
        app,
        edited_message(
            "/capnhat II.3 45% đang viết dự thảo",
            private_chat(REPORTER),
            REPORTER,
            message_id=msg_id,
        ),
    )
    assert "Đã sửa báo cáo" in last_text(fake)
    rows = reports(app)
    assert [(r["action"], r["new_progress"]) for r in rows] == [("report", 40.0), ("amend", 45.0)]


async def test_reply_to_a_task_card_updates_it(bot):
    fake, app = bot
    await feed(app, message(f"/hoi@{fake.username} đề án bảo vệ nền tảng tư tưởng", GROUP, ADMIN))
    card = fake.calls_of("sendMessage")[-1].result
    assert "📌 Nhiệm vụ II.4" in card["text"]
    await feed(app, message("70% đã trình Ban Thường vụ", GROUP, REPORTER, reply_to=card))
    assert "👍 Đã ghi nhận nhiệm vụ II.4" in last_text(fake)
    (row,) = reports(app)
    assert (row["target"], row["new_progress"], row["note"]) == (
        "II.4",
        70.0,
        "đã trình Ban Thường vụ",
    )
    # A question replying to a card is still a question.
    await feed(app, message("ai ban hành?", GROUP, REPORTER, reply_to=card))
    assert len(reports(app)) == 1


async def test_ambiguous_task_offers_buttons(bot):
    fake, app = bot
    ask = message("/capnhat nông nghiệp 50%", private_chat(ADMIN), ADMIN)
    await feed(app, ask)
    call = fake.calls_of("sendMessage")[-1]
    buttons = obj(call.params["reply_markup"])["inline_keyboard"]
    assert len(buttons) >= 2
    data = buttons[0][0]["callback_data"]
    assert data.startswith("pick|") and len(data.encode()) <= 64
    await feed(app, callback_query(data, call.result, ADMIN))
    (row,) = reports(app)
    assert row["target"] == data.split("|")[2] and row["new_progress"] == 50.0


async def test_roles_command(bot):
    fake, app = bot
    await feed(app, message("/quyen 9100 reporter Ban Dân vận", private_chat(ADMIN), ADMIN))
    assert "reporter" in last_text(fake) and "Ban Dân vận Tỉnh ủy" in last_text(fake)
    await feed(app, message("/quyen 9100 admin", private_chat(STRANGER), STRANGER))
    assert "Chỉ quản trị viên" in last_text(fake)
    await feed(app, message("/quyen", private_chat(ADMIN), ADMIN))
    assert "9100" in last_text(fake)
    store = app.bot_data["reporting"].store
    assert store.member(9100).agencies == ("Ban Dân vận Tỉnh ủy",)


async def test_html_in_notes_is_escaped(bot):
    fake, app = bot
    await feed(app, message("/capnhat 5.3 10% <b>gấp</b> & khẩn", private_chat(ADMIN), ADMIN))
    text = last_text(fake)
    assert "&lt;b&gt;gấp&lt;/b&gt; &amp; khẩn" in text


def test_killed_writer_loses_no_acknowledged_report(tmp_path):
    """Kill `ctbot run` mid-burst: every report it confirmed is in the database."""
    fake = FakeTelegram()
    db_path = tmp_path / "kill.sqlite3"
    admin = user(777, "Admin", "admin")
    with FakeBotApiServer(fake) as server:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": server.base_url,
            "CTBOT_DB": str(db_path),
            "CTBOT_ADMIN_IDS": str(admin["id"]),
            "CTBOT_RATE_LIMIT": "off",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            fake.wait_for("setMyCommands", 2, timeout=60)
            codes = ["5.3", "II.3", "1.1", "2.2", "II.8"]
            for i in range(300):
                text = f"/capnhat {codes[i % len(codes)]} {i % 100}% lần {i}"
                fake.push_update(message(text, private_chat(admin), admin))
            # 40 acknowledgements (the burst also earns one slow-down note)
            fake.wait_for(
                "sendMessage", 40, timeout=60, predicate=lambda c: "Báo cáo #" in c.params["text"]
            )
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    acknowledged = set()
    for c in fake.calls_of("sendMessage"):
        found = re.search(r"Báo cáo #(\d+)", c.params.get("text", ""))
        if found:
            acknowledged.add(int(found.group(1)))
    assert len(acknowledged) >= 40
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("SELECT id FROM reports")}
    finally:
        conn.close()
    assert acknowledged <= stored
    assert len(stored) < 300  # it really was killed mid-way


async def test_question_cards_show_the_status_and_targets_can_be_assigned(bot):
    fake, app = bot
    await feed(app, message("/capnhat 5.3 60%", private_chat(ADMIN), ADMIN))
    await feed(app, message("ai chủ trì đề án chuyển đổi số", private_chat(STRANGER), STRANGER))
    assert "Tình trạng: Quá hạn chưa hoàn thành (60%" in last_text(fake)
    await feed(
        app, message("/capnhat chỉ tiêu che phủ rừng 46%", private_chat(REPORTER), REPORTER)
    )
    assert "chưa được giao" in last_text(fake)
    await feed(
        app, message(f"/quyen {REPORTER['id']} chitieu che phủ rừng", private_chat(ADMIN), ADMIN)
    )
    await feed(
        app, message("/capnhat chỉ tiêu che phủ rừng 46%", private_chat(REPORTER), REPORTER)
    )
    assert "✅ Đã ghi nhận chỉ tiêu" in last_text(fake)


async def test_other_bots_are_dropped_and_audited(bot):
    fake, app = bot
    other = user(9999, "Spam", "spam_bot", is_bot=True)
    await feed(app, message("/capnhat 5.3 100%", GROUP, other))
    assert fake.calls_of("sendMessage") == []
    (audit,) = app.bot_data["db"]["audit"].rows
    assert (audit["user_id"], audit["reason"]) == (9999, "sent by a bot")
    assert reports(app) == []
