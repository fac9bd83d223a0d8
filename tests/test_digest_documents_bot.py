"""Digests, reminders and the chart through the real Application, with two documents loaded."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest_asyncio

from handlers.context import REPORTING
from knowledge.digest.daily import DEFAULT_DAYS, Subscription, SubscriptionStore
from tests.botkit import database_with, feed, obj, started_app
from tests.fakebot import FakeTelegram, callback_query, group_chat, message, private_chat, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The plan's III.4 moved to the programme's last deadline (31/12/2025): on 1 January 2026
# both documents have a task that just became overdue (the programme's 5.3, the plan's III.4).
PLAN = (
    (Path(__file__).parent / "fixtures" / "plan_c.txt")
    .read_text("utf-8")
    .replace("15/4/2026", "31/12/2025")
)
PROGRAMME, PLAN_LABEL = "Chương trình hành động 08-CTr/TU", "Kế hoạch 45/KH-UBND"
ADMIN = user(9301, "Hùng", "hung_admin")
NN_MT = user(9302, "Lan", "lan_snnmt")  # Sở Nông nghiệp và Môi trường: leads the plan's III.*
GROUP = group_chat(-1009300000001, "Ban chỉ đạo")


@pytest_asyncio.fixture
async def make_app(tmp_path):
    path = database_with(tmp_path / "two.sqlite3", PLAN)
    apps = []

    async def make(fake: FakeTelegram, clock: datetime):
        app = await started_app(
            fake, db_path=path, admin_ids=frozenset({ADMIN["id"]}), clock=clock
        )
        apps.append(app)
        store = app.bot_data[REPORTING].store
        if store.member(NN_MT["id"]) is None:
            store.add_user(NN_MT["id"], "reporter", ["Sở Nông nghiệp và Môi trường"], name="Lan")
        for person in (ADMIN, NN_MT):
            await feed(app, message("/start", private_chat(person), person))
        return app

    yield make
    for app in apps:
        await app.shutdown()


def texts(fake, chat_id, start):
    return [t for t in fake.sent_texts(chat_id) if t.startswith(start)]


async def test_a_subscribed_groups_digest_names_each_documents_overdue_tasks(make_app):
    fake = FakeTelegram()
    new_year = datetime(2026, 1, 1, 7, 30, tzinfo=VN)
    app = await make_app(fake, new_year)
    subs = SubscriptionStore(app.bot_data["db"])
    subs.subscribe(Subscription(GROUP["id"], time(7, 30), DEFAULT_DAYS), new_year)
    from handlers.digest import schedule

    schedule(app, subs.get(GROUP["id"]))
    (job,) = app.job_queue.get_jobs_by_name(f"digest:{GROUP['id']}")
    await job.run(app)
    await job.run(app)  # once a day
    (digest,) = texts(fake, GROUP["id"], "<b>📰")
    assert digest.startswith("<b>📰 Tóm tắt tiến độ 2 văn bản — 01/01/2026</b>")
    overdue = digest.split("<b>Vừa quá hạn:</b>\n")[1].split("\n<b>")[0].splitlines()
    assert overdue[0] == f"📄 {PROGRAMME}:" and overdue[1].startswith("• 5.3 ")
    assert overdue[2] == f"📄 {PLAN_LABEL}:" and overdue[3].startswith("• III.4 ")
    assert len(overdue) == 4
    stale = digest.split("Chưa báo cáo 30 ngày qua (cần nhắc):</b>\n")[1]
    # each document named once, after its codes
    assert (
        "• Sở NN&amp;MT: 5 nhiệm vụ: I.2, III.1, III.2, III.3, III.4 (Kế hoạch 45/KH-UBND)\n"
        in stale
    )
    assert "• Bảo hiểm xã hội tỉnh: 1 nhiệm vụ: II.4 (Kế hoạch 45/KH-UBND)\n" in stale


async def test_the_monday_chart_covers_both_documents_targets(make_app):
    fake = FakeTelegram()
    monday = datetime(2026, 3, 2, 7, 30, tzinfo=VN)
    app = await make_app(fake, monday)
    # a check-in on a target of each document
    for line, pick in (
        ("/capnhat chỉ tiêu tỷ lệ lao động qua đào tạo 74% năm 2026", PLAN_LABEL),
        ("/capnhat chỉ tiêu che phủ rừng 46,2% năm 2025", PROGRAMME),
    ):
        await feed(app, message(line, private_chat(ADMIN), ADMIN))
        asked = fake.calls_of("sendMessage")[-1]
        if "Bạn cập nhật văn bản nào?" in asked.params["text"]:  # both have such a target
            rows = obj(asked.params["reply_markup"])["inline_keyboard"]
            (button,) = [b for row in rows for b in row if pick in b["text"]]
            await feed(app, callback_query(button["callback_data"], asked.result, ADMIN))
            done = fake.calls_of("editMessageText")[-1].params["text"]
        else:
            done = asked.params["text"]
        assert "Đã ghi nhận" in done, (pick, done)
    subs = SubscriptionStore(app.bot_data["db"])
    subs.subscribe(Subscription(GROUP["id"], time(7, 30), DEFAULT_DAYS), monday)
    from handlers.digest import schedule
    from knowledge.digest.daily import chart_data

    schedule(app, subs.get(GROUP["id"]))
    (job,) = app.job_queue.get_jobs_by_name(f"digest:{GROUP['id']}")
    await job.run(app)
    (photo,) = fake.calls_of("sendPhoto")
    (upload,) = photo.files.values()
    assert upload.content.startswith(b"\x89PNG\r\n\x1a\n")
    _, targets = chart_data(app.bot_data[REPORTING], monday.date())
    assert {(t[0], t[-1]) for t in targets} == {
        ("Tỷ lệ lao động qua đào tạo", PLAN_LABEL),
        ("Tỷ lệ che phủ rừng năm 2025", PROGRAMME),
    }
    (digest,) = texts(fake, GROUP["id"], "<b>📰")
    # each check-in named, and judged against its own document's target
    assert f"năm 2026 ({PLAN_LABEL}): 74 — ⚠️ Chưa đạt mục tiêu 80% (năm 2030)" in digest
    assert f"năm 2025 ({PROGRAMME}): 46,2 — ⚠️ Chưa đạt mục tiêu trên 46,5%" in digest


async def test_a_reminder_for_a_plan_task_names_the_plan_once(make_app):
    fake = FakeTelegram()
    # The plan's III.2 (Sở NN&MT) is due "Tháng 9/2026": Wednesday 30 September 2026;
    # two working days before it is Monday 28 September.
    app = await make_app(fake, datetime(2026, 9, 28, 8, 0, tzinfo=VN))
    (job,) = app.job_queue.get_jobs_by_name("deadlines")
    await job.run(app)
    await job.run(app)
    (reminder,) = texts(fake, NN_MT["id"], "⏰")
    assert f"• <b>III.2</b> ({PLAN_LABEL}) Kế hoạch cấp nước sạch nông thôn" in reminder
    assert "(chủ trì) — hạn Tháng 9/2026 (30/09/2026), còn <b>2</b> ngày làm việc" in reminder
    plan_key = next(d.key for d in app.bot_data[REPORTING].documents if d.label == PLAN_LABEL)
    claims = [r["task_key"] for r in app.bot_data["db"]["deadline_reminders_sent"].rows]
    assert claims and all(k.startswith(plan_key + ":") for k in claims)
    assert texts(fake, ADMIN["id"], "⏰") == []  # admins get the overdue list, not reminders


async def test_the_weekly_overdue_list_and_the_stale_nudge_cover_the_plan(make_app):
    fake = FakeTelegram()
    monday = datetime(2026, 1, 5, 8, 15, tzinfo=VN)
    app = await make_app(fake, monday)
    (overdue_job,) = app.job_queue.get_jobs_by_name("overdue")
    await overdue_job.run(app)
    (listing,) = texts(fake, ADMIN["id"], "📋")
    assert f"📄 <b>{PROGRAMME}</b>" in listing and f"📄 <b>{PLAN_LABEL}</b>" in listing
    assert "<b>III.4</b>" in listing.split(PLAN_LABEL)[1]
    (stale_job,) = app.job_queue.get_jobs_by_name("reminders")
    await stale_job.run(app)
    (nudge,) = texts(fake, NN_MT["id"], "🔔")
    assert f"III.4 ({PLAN_LABEL})" in nudge and "5.3" not in nudge
