"""Reports that name their task or target in words, with several documents, through the bot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest_asyncio

from handlers.context import PINS, REPORTING
from tests.botkit import database_with, feed, obj, started_app
from tests.fakebot import FakeTelegram, callback_query, message, private_chat, user

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN = user(9301, "Hùng", "hung_admin")
STRANGER = user(9303, "Khách", "khach")
NOI_VU = user(9304, "Hoa", "hoa_sonv")  # Sở Nội vụ: leads the plan's II.3 only
TAI_CHINH = user(9305, "Minh", "minh_stc")  # Sở Tài chính: leads the plan's I.1
CHAT = private_chat(ADMIN)
PROGRAMME, PLAN = "Chương trình hành động 08-CTr/TU", "Kế hoạch 45/KH-UBND"


@pytest_asyncio.fixture
async def bot(tmp_path):
    path = database_with(tmp_path / "words.sqlite3", (FIXTURES / "plan_c.txt").read_text("utf-8"))
    fake = FakeTelegram()
    clock = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    app = await started_app(fake, db_path=path, admin_ids=frozenset({ADMIN["id"]}), clock=clock)
    store = app.bot_data[REPORTING].store
    store.add_user(NOI_VU["id"], "reporter", ["Sở Nội vụ"], name="Hoa")
    store.add_user(TAI_CHINH["id"], "reporter", ["Sở Tài chính"], name="Minh")
    yield fake, app
    await app.shutdown()


def sent(fake):
    return fake.calls_of("sendMessage")[-1]


def buttons(call):
    return [b for row in obj(call.params["reply_markup"])["inline_keyboard"] for b in row]


def rows(app):
    """(kind, target, first words of its title, who, figure) of every report row."""
    return [
        (r["kind"], r["target"], r["title"][:14], r["user_id"], r["new_progress"])
        for r in app.bot_data["db"]["reports"].rows
    ]


def document_id(app, number):
    return next(r["id"] for r in app.bot_data["db"]["documents"].rows if r["number"] == number)


async def test_words_matching_two_documents_ask_which_and_the_press_writes_there(bot):
    fake, app = bot
    # "khu công nghiệp": the programme's 1.1 and the plan's I.1 match about equally well
    await feed(app, message("/capnhat khu công nghiệp 40% đang khảo sát", CHAT, ADMIN))
    asked = sent(fake)
    assert asked.params["text"] == (
        "“khu công nghiệp” khớp với nhiệm vụ ở 2 văn bản. Bạn cập nhật văn bản nào?"
    )
    choices = buttons(asked)
    assert sorted(b["text"] for b in choices) == sorted([f"📄 {PROGRAMME}", f"📄 {PLAN}"])
    assert rows(app) == []
    plan = next(b for b in choices if PLAN in b["text"])
    await feed(app, callback_query(plan["callback_data"], asked.result, ADMIN))
    assert rows(app) == [("task", "I.1", "Xây dựng Đề án", ADMIN["id"], 40.0)]
    edited = fake.calls_of("editMessageText")[-1].params["text"]
    assert f"Đã ghi nhận nhiệm vụ I.1 ({PLAN})" in edited
    # the same press again counts once
    await feed(app, callback_query(plan["callback_data"], asked.result, ADMIN))
    assert len(rows(app)) == 1


async def test_words_only_one_document_has_are_written_there(bot):
    fake, app = bot
    # the plan is the primary document; "chuyển đổi số" is only in the programme
    await feed(app, message("/capnhat chuyển đổi số 30%", CHAT, ADMIN))
    assert f"Đã ghi nhận nhiệm vụ 5.3 ({PROGRAMME})" in sent(fake).params["text"]
    assert rows(app) == [("task", "5.3", "Xây dựng và tr", ADMIN["id"], 30.0)]


async def test_a_pinned_document_settles_words_and_is_never_overridden_silently(bot):
    fake, app = bot
    app.bot_data[PINS].pin(CHAT["id"], document_id(app, "45/KH-UBND"), ADMIN["id"])
    await feed(app, message("/capnhat khu công nghiệp 40%", CHAT, ADMIN))
    assert rows(app) == [("task", "I.1", "Xây dựng Đề án", ADMIN["id"], 40.0)]
    # words only another document has: asked, with that document's button, nothing written
    await feed(app, message("/capnhat chuyển đổi số 30%", CHAT, ADMIN))
    asked = sent(fake)
    assert asked.params["text"].startswith("Văn bản đã chọn cho cuộc trò chuyện này")
    assert [b["text"] for b in buttons(asked)] == [f"📄 {PROGRAMME}"]
    assert len(rows(app)) == 1
    await feed(app, callback_query(buttons(asked)[0]["callback_data"], asked.result, ADMIN))
    assert rows(app)[-1] == ("task", "5.3", "Xây dựng và tr", ADMIN["id"], 30.0)


async def test_the_press_is_checked_by_the_gate_and_a_stranger_is_refused(bot):
    fake, app = bot
    await feed(app, message("/capnhat khu công nghiệp 40%", CHAT, STRANGER))
    assert "Không ghi nhận" in sent(fake).params["text"]
    # Sở Nội vụ does not lead the plan's I.1: its pick is refused at the press
    chat = private_chat(NOI_VU)
    await feed(app, message("/capnhat khu công nghiệp 40%", chat, NOI_VU))
    asked = sent(fake)
    plan = next(b for b in buttons(asked) if PLAN in b["text"])
    # another member's press finds nothing (the pending report is the author's)
    await feed(app, callback_query(plan["callback_data"], asked.result, TAI_CHINH))
    assert fake.calls_of("answerCallbackQuery")[-1].params["show_alert"] is True
    assert rows(app) == []
    await feed(app, message("/capnhat khu công nghiệp 40%", chat, NOI_VU))
    asked = sent(fake)
    plan = next(b for b in buttons(asked) if PLAN in b["text"])
    await feed(app, callback_query(plan["callback_data"], asked.result, NOI_VU))
    assert "Không ghi nhận" in fake.calls_of("answerCallbackQuery")[-1].params["text"]
    assert rows(app) == []
    # Sở Tài chính leads it: the same steps write
    chat = private_chat(TAI_CHINH)
    await feed(app, message("/capnhat khu công nghiệp 40%", chat, TAI_CHINH))
    asked = sent(fake)
    plan = next(b for b in buttons(asked) if PLAN in b["text"])
    await feed(app, callback_query(plan["callback_data"], asked.result, TAI_CHINH))
    assert rows(app) == [("task", "I.1", "Xây dựng Đề án", TAI_CHINH["id"], 40.0)]


async def test_a_target_in_two_documents_asks_which_and_one_only_the_programme_has_is_saved(bot):
    fake, app = bot
    await feed(app, message("/capnhat chỉ tiêu che phủ rừng 46,2% năm 2025", CHAT, ADMIN))
    assert f"Đã ghi nhận chỉ tiêu ({PROGRAMME})" in sent(fake).params["text"]
    (row,) = rows(app)
    assert row[:3] == ("indicator", "30", "Tỷ lệ che phủ ") and row[4] == 46.2
    # "tỷ lệ hộ nghèo": a target of both documents
    await feed(app, message("/capnhat chỉ tiêu tỷ lệ hộ nghèo 1,9% năm 2026", CHAT, ADMIN))
    asked = sent(fake)
    assert asked.params["text"].startswith("“tỷ lệ hộ nghèo")
    assert "chỉ tiêu ở 2 văn bản" in asked.params["text"]
    assert len(rows(app)) == 1
    plan = next(b for b in buttons(asked) if PLAN in b["text"])
    await feed(app, callback_query(plan["callback_data"], asked.result, ADMIN))
    assert rows(app)[-1][:3] == ("indicator", "7", "Tỷ lệ hộ nghèo")
    assert rows(app)[-1][4] == 1.9
    assert f"Đã ghi nhận chỉ tiêu ({PLAN})" in fake.calls_of("editMessageText")[-1].params["text"]


async def test_a_check_in_on_one_documents_target_is_not_seen_on_the_others(bot):
    fake, app = bot
    # both documents have a target 2, "GRDP bình quân đầu người": pick the programme's
    await feed(app, message("/capnhat chỉ tiêu GRDP bình quân đầu người 5700", CHAT, ADMIN))
    asked = sent(fake)
    programme = next(b for b in buttons(asked) if PROGRAMME in b["text"])
    await feed(app, callback_query(programme["callback_data"], asked.result, ADMIN))
    (row,) = rows(app)
    assert row[:2] == ("indicator", "2") and row[4] == 5700.0
    service = app.bot_data[REPORTING]
    (ours, our_key), (theirs, their_key) = (
        (d.engine.indicators["2"], d.key)
        for n in ("08-CTr/TU", "45/KH-UBND")
        for d in service.documents
        if d.id == document_id(app, n)
    )
    assert [r.value for r in service.store.indicator_history(ours, our_key)] == [5700.0]
    assert service.store.indicator_history(theirs, their_key) == []
    assert service.store.indicator_history(ours, their_key) == []  # same wording, other file
    # undo resolves the row to the programme's target
    report = service.store.all_reports()[0]
    assert service.target_of(report) is ours
    undo = buttons(fake.calls_of("editMessageText")[-1])[0]["callback_data"]
    await feed(app, callback_query(undo, asked.result, ADMIN))
    assert rows(app)[-1][:2] == ("indicator", "2") and len(rows(app)) == 2


async def test_tiendo_by_words_finds_a_task_of_any_document(bot):
    fake, app = bot
    await feed(app, message("/tiendo chuyển đổi số", CHAT, ADMIN))  # only the programme's 5.3
    text = sent(fake).params["text"]
    assert f"📄 {PROGRAMME}" in text and "📌 Nhiệm vụ 5.3:" in text
    await feed(app, message("/tiendo giảm nghèo bền vững", CHAT, ADMIN))  # the plan's II.3
    text = sent(fake).params["text"]
    assert f"📄 {PLAN}" in text and "📌 Nhiệm vụ II.3:" in text
    assert rows(app) == []  # views write nothing
