"""Two plans with identically worded tasks, through the real Application and the fake Bot API.

A reporter of the body that leads II.3 in both plans reports on one plan's II.3 (the chat's
pinned plan), then on the other's; ``/tiendo`` in each plan shows only its own report, and an
undo of the first report leaves the other plan's figures alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest_asyncio

from handlers.context import PINS, REPORTING
from tests.botkit import database_with, feed, obj, started_app
from tests.fakebot import FakeTelegram, callback_query, message, private_chat, user
from tests.test_report_keys import OTHER, PLAN

ADMIN = user(9301, "Hùng", "hung_admin")
NOI_VU = user(9302, "Hoa", "hoa_sonv")  # Sở Nội vụ leads II.3 in both plans
CHAT = private_chat(NOI_VU)
LOOK = private_chat(ADMIN)


@pytest_asyncio.fixture
async def bot(tmp_path):
    path = database_with(tmp_path / "two-plans.sqlite3", PLAN, OTHER)
    fake = FakeTelegram()
    clock = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    app = await started_app(fake, db_path=path, admin_ids=frozenset({ADMIN["id"]}), clock=clock)
    app.bot_data[REPORTING].store.add_user(NOI_VU["id"], "reporter", ["Sở Nội vụ"], name="Hoa")
    yield fake, app
    await app.shutdown()


def document_id(app, number):  # type: ignore[no-untyped-def]
    return next(r["id"] for r in app.bot_data["db"]["documents"].rows if r["number"] == number)


def last(fake):  # type: ignore[no-untyped-def]
    return fake.calls_of("sendMessage")[-1]


async def test_each_plans_ii3_keeps_its_own_reports_and_undo(bot):
    fake, app = bot
    pins = app.bot_data[PINS]
    pins.pin(CHAT["id"], document_id(app, "45/KH-UBND"), ADMIN["id"])
    await feed(app, message("/capnhat II.3 60% đã rà soát", CHAT, NOI_VU))
    ours = last(fake)
    assert "Đã ghi nhận nhiệm vụ II.3 (Kế hoạch 45/KH-UBND)" in ours.params["text"]
    pins.pin(CHAT["id"], document_id(app, "146/KH-UBND"), ADMIN["id"])
    await feed(app, message("/capnhat II.3 20%", CHAT, NOI_VU))
    theirs = last(fake).params["text"]
    # the other plan's II.3 starts from nothing: not from our 60%
    assert "(Kế hoạch 146/KH-UBND): </b>tiến độ — → 20%" in theirs
    keys = [r["target_key"] for r in app.bot_data["db"]["reports"].rows]
    assert len(set(keys)) == 2 and len({k.split(":")[1] for k in keys}) == 1

    async def tiendo(number: str) -> str:
        pins.pin(LOOK["id"], document_id(app, number), ADMIN["id"])
        await feed(app, message("/tiendo II.3", LOOK, ADMIN))
        return str(last(fake).params["text"])

    mine, other = await tiendo("45/KH-UBND"), await tiendo("146/KH-UBND")
    assert "(60%" in mine and "20%" not in mine
    assert "(20%" in other and "60%" not in other
    # undo the first report (its button, by its author): only our plan's II.3 goes back
    undo = next(
        b
        for row in obj(ours.params["reply_markup"])["inline_keyboard"]
        for b in row
        if "Hoàn tác" in b["text"]
    )
    await feed(app, callback_query(undo["callback_data"], ours.result, NOI_VU))
    rows = list(app.bot_data["db"]["reports"].rows_where(order_by="id"))
    assert [(r["action"], r["new_progress"]) for r in rows] == [
        ("report", 60.0),
        ("report", 20.0),
        ("undo", None),
    ]
    assert rows[2]["target_key"] == rows[0]["target_key"] != rows[1]["target_key"]
    mine, other = await tiendo("45/KH-UBND"), await tiendo("146/KH-UBND")
    assert "Hoa (hoàn tác): tiến độ 60% → —" in mine and "(60%" not in mine
    assert "#1 " in mine and "#2 " not in mine and "#3 " in mine
    assert "#2 " in other and "#1 " not in other and "#3 " not in other
    assert "Tình trạng: Đang thực hiện trong hạn (20%" in other
    service = app.bot_data[REPORTING]
    a, b = (
        next(d for d in service.documents if d.id == document_id(app, n)).engine.task("II.3")
        for n in ("45/KH-UBND", "146/KH-UBND")
    )
    assert service.state_of(a).progress is None and service.state_of(b).progress == 20.0
