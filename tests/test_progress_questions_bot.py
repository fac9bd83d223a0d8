"""Issue #9: questions about where tasks stand, through the real Application, after reports."""

from __future__ import annotations

import pytest_asyncio

from tests.botkit import feed, started_app
from tests.fakebot import FakeTelegram, group_chat, message, private_chat, user

ADMIN = user(9201, "Hùng", "hung_admin")
REPORTER = user(9202, "Lan", "lan_tg")  # Ban Tuyên giáo Tỉnh ủy
ASKER = user(9203, "Khách", "khach")
GROUP = group_chat(-1007777777777, "Tổ theo dõi CTr 08")


@pytest_asyncio.fixture
async def bot(tmp_path):
    fake = FakeTelegram()
    app = await started_app(
        fake, db_path=tmp_path / "q.sqlite3", admin_ids=frozenset({ADMIN["id"]})
    )
    app.bot_data["reporting"].store.add_user(
        REPORTER["id"], "reporter", ["Ban Tuyên giáo Tỉnh ủy"], name="Lan"
    )
    yield fake, app
    await app.shutdown()


async def ask(fake, app, text, who=ASKER):
    await feed(app, message(text, private_chat(who), who))
    return fake.calls_of("sendMessage")[-1].params["text"]


async def test_progress_questions_read_the_reports(bot):
    fake, app = bot
    await feed(app, message("/capnhat 5.3 60% đã ban hành kế hoạch", private_chat(ADMIN), ADMIN))
    await feed(app, message("/capnhat II.3 hoàn thành", private_chat(REPORTER), REPORTER))
    far = await ask(fake, app, "nhiệm vụ 5.3 đến đâu rồi")
    assert "5.3" in far and "60%" in far
    done = await ask(fake, app, "đề án đổi mới công tác chính trị tư tưởng đã xong chưa")
    assert "II.3" in done and "Hoàn thành" in done
    finished = await ask(fake, app, "những nhiệm vụ nào đã hoàn thành")
    assert "II.3" in finished and "5.3" not in finished.split("\n")[0]


async def test_a_reply_with_a_percent_to_a_card_is_still_a_report(bot):
    fake, app = bot
    await feed(app, message(f"/hoi@{fake.username} đề án bảo vệ nền tảng tư tưởng", GROUP, ADMIN))
    card = fake.calls_of("sendMessage")[-1].result
    await feed(app, message("70% đã trình Ban Thường vụ", GROUP, REPORTER, reply_to=card))
    rows = list(app.bot_data["db"]["reports"].rows)
    assert [(r["target"], r["new_progress"]) for r in rows] == [("II.4", 70.0)]
    # And a question replying to the same card is answered about that card.
    await feed(app, message("thế hạn trình khi nào?", GROUP, ASKER, reply_to=card))
    assert "II.4" in fake.calls_of("sendMessage")[-1].params["text"]
