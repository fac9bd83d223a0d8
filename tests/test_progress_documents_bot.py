"""Progress per document through the real Application: shared task codes, pins, views."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest_asyncio

from handlers.context import PINS, REPORTING
from tests.botkit import database_with, feed, obj, started_app
from tests.fakebot import FakeTelegram, callback_query, message, private_chat, user

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN = user(9201, "Hùng", "hung_admin")
STRANGER = user(9203, "Khách", "khach")
NOI_VU = user(9204, "Hoa", "hoa_sonv")  # Sở Nội vụ: leads the plan's II.3
MAT_TRAN = user(9205, "Tâm", "tam_mttq")  # coordinates the plan's II.3
Y_TE = user(9206, "Bình", "binh_syt")  # neither leads nor coordinates II.3
CHAT = private_chat(ADMIN)
PROGRAMME, PLAN = "Chương trình hành động 08-CTr/TU", "Kế hoạch 45/KH-UBND"


@pytest_asyncio.fixture
async def bot(tmp_path):
    path = database_with(tmp_path / "docs.sqlite3", (FIXTURES / "plan_c.txt").read_text("utf-8"))
    fake = FakeTelegram()
    clock = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    app = await started_app(fake, db_path=path, admin_ids=frozenset({ADMIN["id"]}), clock=clock)
    store = app.bot_data[REPORTING].store
    store.add_user(NOI_VU["id"], "reporter", ["Sở Nội vụ"], name="Hoa")
    store.add_user(
        MAT_TRAN["id"], "reporter", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], name="Tâm"
    )
    store.add_user(Y_TE["id"], "reporter", ["Sở Y tế"], name="Bình")
    yield fake, app
    await app.shutdown()


def last_text(fake):
    return fake.calls_of("sendMessage")[-1].params["text"]


def buttons(call):
    return [b for row in obj(call.params["reply_markup"])["inline_keyboard"] for b in row]


def rows(app):
    return [
        (r["target"], r["title"][:20], r["user_id"], r["new_progress"])
        for r in app.bot_data["db"]["reports"].rows
    ]


def document_id(app, number):
    return next(r["id"] for r in app.bot_data["db"]["documents"].rows if r["number"] == number)


async def test_a_shared_code_asks_which_document_and_the_press_saves_there(bot):
    fake, app = bot
    await feed(app, message("/capnhat II.3 60% đã rà soát", CHAT, ADMIN))
    asked = fake.calls_of("sendMessage")[-1]
    assert asked.params["text"] == "Nhiệm vụ II.3 có trong 2 văn bản. Bạn cập nhật văn bản nào?"
    choices = buttons(asked)
    assert [b["text"] for b in choices] == [f"📄 {PROGRAMME}", f"📄 {PLAN}"]
    assert rows(app) == []
    await feed(app, callback_query(choices[1]["callback_data"], asked.result, ADMIN))
    assert rows(app) == [("II.3", "Rà soát, bổ sung dan", ADMIN["id"], 60.0)]
    edited = fake.calls_of("editMessageText")[-1].params["text"]
    assert "Đã ghi nhận nhiệm vụ II.3" in edited and "hộ nghèo" in edited
    # the same press again counts once
    await feed(app, callback_query(choices[0]["callback_data"], asked.result, ADMIN))
    assert len(rows(app)) == 1


async def test_a_strangers_press_on_the_document_button_writes_nothing(bot):
    fake, app = bot
    await feed(app, message("/capnhat II.3 60%", CHAT, ADMIN))
    asked = fake.calls_of("sendMessage")[-1]
    choice = buttons(asked)[1]["callback_data"]
    await feed(app, callback_query(choice, asked.result, STRANGER))
    assert fake.calls_of("answerCallbackQuery")[-1].params["show_alert"] is True
    assert rows(app) == []


async def test_the_press_checks_the_pressers_rights_on_the_picked_documents_task(bot):
    fake, app = bot
    # Sở Nội vụ leads the plan's II.3, not the programme's: its pick of the programme is refused
    await feed(app, message("/capnhat II.3 40%", private_chat(NOI_VU), NOI_VU))
    asked = fake.calls_of("sendMessage")[-1]
    programme = buttons(asked)[0]["callback_data"]
    await feed(app, callback_query(programme, asked.result, NOI_VU))
    assert "Không ghi nhận" in fake.calls_of("answerCallbackQuery")[-1].params["text"]
    assert rows(app) == []
    await feed(app, message("/capnhat II.3 40%", private_chat(NOI_VU), NOI_VU))
    asked = fake.calls_of("sendMessage")[-1]
    await feed(app, callback_query(buttons(asked)[1]["callback_data"], asked.result, NOI_VU))
    assert rows(app) == [("II.3", "Rà soát, bổ sung dan", NOI_VU["id"], 40.0)]


async def test_a_chat_with_a_pinned_document_reports_there_directly(bot):
    fake, app = bot
    app.bot_data[PINS].pin(CHAT["id"], document_id(app, "45/KH-UBND"), ADMIN["id"])
    await feed(app, message("/capnhat II.3 70%", CHAT, ADMIN))
    assert "Đã ghi nhận nhiệm vụ II.3" in last_text(fake)
    assert rows(app) == [("II.3", "Rà soát, bổ sung dan", ADMIN["id"], 70.0)]
    # a code only one document has needs no pin and no question
    await feed(app, message("/capnhat 5.3 20%", private_chat(ADMIN), ADMIN))
    assert rows(app)[-1][0] == "5.3"


async def test_tiendo_shows_each_document(bot):
    fake, app = bot
    await feed(app, message("/tiendo", CHAT, STRANGER))
    overview = last_text(fake)
    assert f"📄 {PROGRAMME}" in overview and f"📄 {PLAN}" in overview
    assert overview.index(PROGRAMME) < overview.index(PLAN)
    await feed(app, message("/tiendo II.3", CHAT, STRANGER))
    both = last_text(fake)
    assert f"📄 {PROGRAMME}" in both and f"📄 {PLAN}" in both and "hộ nghèo" in both


async def test_a_reply_to_a_plan_task_card_reports_on_the_plans_task(bot):
    fake, app = bot
    await feed(app, message("nhiệm vụ II.3 do ai chủ trì", CHAT, ADMIN))
    asked = fake.calls_of("sendMessage")[-1]
    plan = next(b for b in buttons(asked) if "45/KH-UBND" in b["text"])
    await feed(app, callback_query(plan["callback_data"], asked.result, ADMIN))
    card = fake.calls_of("sendMessage")[-1].result
    assert "📌 Nhiệm vụ II.3:" in card["text"] and "hộ nghèo" in card["text"]
    await feed(app, message("80% đã rà soát xong", CHAT, ADMIN, reply_to=card))
    assert rows(app) == [("II.3", "Rà soát, bổ sung dan", ADMIN["id"], 80.0)]


async def test_a_reply_to_a_card_of_unknown_document_asks_which(bot):
    fake, app = bot
    await feed(app, message("/tiendo II.3", CHAT, ADMIN))
    card = fake.calls_of("sendMessage")[-1].result
    await feed(app, message("80% đã rà soát xong", CHAT, ADMIN, reply_to=card))
    assert last_text(fake).startswith("Nhiệm vụ II.3 có trong 2 văn bản")
    assert rows(app) == []


async def test_a_coordinating_body_reports_its_part_and_the_status_follows_the_lead(bot):
    fake, app = bot
    plan = document_id(app, "45/KH-UBND")
    chat = private_chat(MAT_TRAN)
    app.bot_data[PINS].pin(chat["id"], plan, ADMIN["id"])
    await feed(app, message("/capnhat II.3 50% đã vận động các xã", chat, MAT_TRAN))
    saved = last_text(fake)
    assert "Đã ghi nhận nhiệm vụ II.3" in saved and "phần phối hợp" in saved
    assert "Tình trạng: Chưa có báo cáo" in saved  # the lead has not reported
    (row,) = app.bot_data["db"]["reports"].rows
    assert (row["user_id"], row["role"], row["new_progress"]) == (
        MAT_TRAN["id"],
        "coordinating",
        50.0,
    )
    lead = private_chat(NOI_VU)
    app.bot_data[PINS].pin(lead["id"], plan, ADMIN["id"])
    await feed(app, message("/capnhat II.3 20%", lead, NOI_VU))
    assert "tiến độ — → 20%" in last_text(fake)  # the lead's figures start from its own rows
    app.bot_data[PINS].pin(CHAT["id"], plan, ADMIN["id"])
    await feed(app, message("/tiendo II.3", CHAT, STRANGER))
    card = last_text(fake)
    assert "Tình trạng: Đang thực hiện trong hạn (20%" in card
    head, helpers = card.split("Cơ quan phối hợp báo cáo:")
    assert "Hoa (báo cáo)" in head and "Tâm" not in head
    assert "Tâm (báo cáo): tiến độ — → 50%" in helpers


async def test_a_reporter_of_an_unrelated_body_is_refused(bot):
    fake, app = bot
    chat = private_chat(Y_TE)
    app.bot_data[PINS].pin(chat["id"], document_id(app, "45/KH-UBND"), ADMIN["id"])
    await feed(app, message("/capnhat II.3 50%", chat, Y_TE))  # Sở Y tế: not in II.3
    assert "Không ghi nhận" in last_text(fake) and "Sở Nội vụ chủ trì" in last_text(fake)
    assert list(app.bot_data["db"]["reports"].rows) == []
    await feed(app, message("/capnhat II.4 50%", chat, Y_TE))  # but it coordinates II.4
    assert "phần phối hợp" in last_text(fake)


async def test_the_digest_counts_every_document_and_names_each_tasks_document(bot):
    fake, app = bot
    await feed(app, message("/tomtat", CHAT, ADMIN))
    before = last_text(fake)
    assert before.startswith("<b>📰 Tóm tắt tiến độ 2 văn bản — 02/03/2026</b>")
    assert f"Bảo hiểm xã hội tỉnh: 1 nhiệm vụ: II.4 ({PLAN})" in before
    programme_tasks = len(app.bot_data["library"].documents[0].engine.programme.tasks)
    assert f"chưa có báo cáo {programme_tasks + 12}." in before  # the plan has 12 tasks
    app.bot_data[PINS].pin(CHAT["id"], document_id(app, "45/KH-UBND"), ADMIN["id"])
    await feed(app, message("/capnhat II.3 60%", CHAT, ADMIN))
    await feed(app, message("/capnhat 5.3 30%", CHAT, ADMIN))
    await feed(app, message("/tomtat", CHAT, ADMIN))
    digest = last_text(fake)
    assert f"nhiệm vụ II.3 ({PLAN}): — → 60%" in digest
    assert f"nhiệm vụ 5.3 ({PROGRAMME}): — → 30%" in digest
    total = next(line for line in digest.splitlines() if line.startswith("Tổng: "))
    assert "chưa có báo cáo " + str(programme_tasks + 10) in total  # two tasks reported
    assert sum(int(n) for n in re.findall(r" (\d+)", total)) == programme_tasks + 12


async def test_after_an_upload_a_shared_task_code_asks_which_document(tmp_path):
    from tests.test_library_bot import ADMIN as UPLOADER
    from tests.test_library_bot import load_plan

    fake = FakeTelegram()
    admins = frozenset({UPLOADER["id"]})
    app = await started_app(fake, db_path=tmp_path / "up.sqlite3", admin_ids=admins)
    try:
        chat = private_chat(UPLOADER)
        await feed(app, message("/capnhat II.3 60%", chat, UPLOADER))
        assert "Đã ghi nhận nhiệm vụ II.3" in last_text(fake)  # one document: as before
        await load_plan(fake, app, tmp_path)
        await feed(app, message("/capnhat II.3 70%", chat, UPLOADER))
        asked = fake.calls_of("sendMessage")[-1]
        assert [b["text"] for b in buttons(asked)] == [f"📄 {PROGRAMME}", f"📄 {PLAN}"]
        await feed(app, callback_query(buttons(asked)[1]["callback_data"], asked.result, UPLOADER))
        titles = [(r["target"], r["title"][:8], r["new_progress"]) for r in rows_of(app)]
        assert titles[0][0::2] == ("II.3", 60.0) and titles[0][1] != "Rà soát,"
        assert titles[1] == ("II.3", "Rà soát,", 70.0)
    finally:
        await app.shutdown()


def rows_of(app):
    return list(app.bot_data["db"]["reports"].rows)
