"""End to end: the real Application over real HTTP against the fake Bot API on 127.0.0.1,
and `ctbot run` as a subprocess stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest_asyncio

from bot.app import ALLOWED_UPDATES, build_application
from bot.settings import Settings
from tests.fakebot import (
    FakeBotApiServer,
    FakeTelegram,
    callback_query,
    group_chat,
    inline_query,
    message,
    private_chat,
    user,
)

ROOT = Path(__file__).resolve().parents[1]
LAN = user(2001, "Lan", "lan_kh")
GROUP = group_chat(-1009876543210, "Ban chỉ đạo")


def obj(value):
    return json.loads(value) if isinstance(value, str) else value


@pytest_asyncio.fixture
async def live(tmp_path):
    """A polling application talking HTTP to the fake server."""
    fake = FakeTelegram()
    server = FakeBotApiServer(fake).start()
    settings = Settings(
        token=fake.token,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
        db_path=tmp_path / "e2e.sqlite3",
    )
    app = build_application(settings)
    await app.initialize()
    await app.post_init(app)  # run_polling would call it; it cannot run in pytest's loop
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    try:
        yield fake, app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        server.stop()


async def replies(fake, chat_id, count=1):
    calls = await fake.wait_for_async(
        "sendMessage", count, timeout=10, predicate=lambda c: int(c.params["chat_id"]) == chat_id
    )
    return calls


async def test_e2e_conversation(live):
    fake, _ = live
    assert fake.calls_of("getMe")
    chat = private_chat(LAN)

    # /start and /help
    fake.push_update(message("/start", chat, LAN))
    fake.push_update(message("/help", chat, LAN))
    start, help_ = await replies(fake, LAN["id"], 2)
    assert start.params["text"].startswith("Chào Lan!")
    assert "/nhiemvu" in help_.params["text"]

    # a private question
    fake.push_update(message("ai chu tri de an chong rac thai nhua", chat, LAN))
    (*_, answer) = await replies(fake, LAN["id"], 3)
    assert "Ban cán sự đảng Ủy ban nhân dân tỉnh" in answer.params["text"]
    assert "2021 - 2022" in answer.params["text"]

    # /nhiemvu 5.3
    fake.push_update(message("/nhiemvu 5.3", chat, LAN))
    (*_, card) = await replies(fake, LAN["id"], 4)
    assert "Nhiệm vụ 5.3" in card.params["text"]

    # inline query
    fake.push_update(inline_query("che phu rung", LAN))
    (inline,) = await fake.wait_for_async("answerInlineQuery")
    assert 1 <= len(obj(inline.params["results"])) <= 50

    # disambiguation button
    fake.push_update(message("nghị quyết chương trình giai đoạn 2021 - 2025", chat, LAN))
    (*_, ambiguous) = await replies(fake, LAN["id"], 5)
    button = obj(ambiguous.params["reply_markup"])["inline_keyboard"][0][0]
    fake.push_update(callback_query(button["callback_data"], ambiguous.result, LAN))
    (edit,) = await fake.wait_for_async("editMessageText")
    assert int(edit.params["message_id"]) == ambiguous.result["message_id"]


async def test_e2e_supergroup(live):
    fake, _ = live
    ask = message(f"/hoi@{fake.username} chỉ tiêu che phủ rừng", GROUP, LAN)
    mention = message(f"@{fake.username} hạn trình quy định kiểm soát quyền lực", GROUP, LAN)
    plain = message("chỉ tiêu che phủ rừng", GROUP, LAN)
    fake.push_update(plain)
    fake.push_update(ask)
    fake.push_update(mention)
    first, second = await replies(fake, GROUP["id"], 2)
    assert obj(first.params["reply_parameters"])["message_id"] == ask["message"]["message_id"]
    assert "46,5%" in first.params["text"]
    assert obj(second.params["reply_parameters"])["message_id"] == mention["message"]["message_id"]
    assert "Quý II Năm 2022" in second.params["text"]
    # The plain message was processed first and got nothing.
    assert len(fake.calls_of("sendMessage")) == 2


def test_ctbot_run_subprocess_stops_on_sigterm(tmp_path):
    fake = FakeTelegram(token="987654:SECRET-token-do-not-log")
    with FakeBotApiServer(fake) as server:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": server.base_url,
            "TELEGRAM_BASE_FILE_URL": server.base_file_url,
            "CTBOT_DB": str(tmp_path / "run.sqlite3"),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            fake.wait_for("setMyCommands", 2, timeout=60)
            fake.push_update(message("chỉ tiêu che phủ rừng", private_chat(LAN), LAN))
            (reply,) = fake.wait_for("sendMessage", 1, timeout=30)
            assert "46,5%" in reply.params["text"]
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert "ctbot ready as @" in err
    assert fake.token not in out + err
    assert "SECRET" not in out + err


def test_ctbot_run_without_a_token_says_how_to_fix_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in out.stderr and "BotFather" in out.stderr
