"""One user floods a group: private chats and other groups are still answered, the flood gets
one slow-down note, and SIGTERM stops the bot within 10 s even with a backlog.

`ctbot run` runs in its own process against the fake Bot API on 127.0.0.1, which keeps
Telegram's 20 messages a minute per group (a 429 beyond).
"""

from __future__ import annotations

import signal
import statistics
import time

import pytest

from bot.fairness import SLOW_DOWN
from tests.fakebot import (
    FakeBotApiServer,
    FakeTelegram,
    FloodLimit,
    group_chat,
    message,
    private_chat,
    user,
)
from tests.runkit import SECRET_TOKEN, run_env, start_bot

FLOODER = user(3001, "Tuấn", "tuan")
GROUP = group_chat(-1001112223334, "Ban chỉ đạo")
OTHER = group_chat(-1005556667778, "Tổ giúp việc")
QUESTION = "chỉ tiêu che phủ rừng"


def first_reply_time(fake: FakeTelegram, chat_id: int) -> float | None:
    times = [
        c.time
        for c in fake.calls_of("sendMessage")
        if int(c.params["chat_id"]) == chat_id and c.ok
    ]
    return min(times) if times else None


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, "timed out"
        time.sleep(0.01)


def flood(fake: FakeTelegram, seconds: float = 10.0, count: int = 300) -> dict[int, float]:
    """``count`` group questions from one user over ``seconds``; a private question from a new
    user every 2 s, the last at ``seconds``. Returns each private chat's push time."""
    asked: dict[int, float] = {}
    start = time.time()
    for i in range(count):
        due = start + i * seconds / count
        time.sleep(max(0.0, due - time.time()))
        fake.push_update(message(f"@{fake.username} {QUESTION} {i}", GROUP, FLOODER))
        if i % (count // 5) == count // 5 - 1:
            asker = user(4000 + i, f"Cán bộ {i}")
            asked[asker["id"]] = time.time()
            fake.push_update(message(QUESTION, private_chat(asker), asker))
    time.sleep(max(0.0, start + seconds - time.time()))
    asker = user(4999, "Cán bộ cuối")
    asked[asker["id"]] = time.time()
    fake.push_update(message(QUESTION, private_chat(asker), asker))
    return asked


def test_a_group_flood_leaves_private_chats_answered_and_sigterm_stops(tmp_path, record_property):
    fake = FakeTelegram(token=SECRET_TOKEN, flood=FloodLimit(per_chat=20, period=60))
    log = tmp_path / "bot.log"
    with FakeBotApiServer(fake) as server:
        proc = start_bot(run_env(tmp_path, fake.token, server.base_url), log)
        try:
            fake.wait_for("setMyCommands", 2, timeout=60)
            asked = flood(fake)
            fake.wait_for(
                "sendMessage", timeout=5, predicate=lambda c: int(c.params["chat_id"]) == 4999
            )
            waits = {}
            for chat_id, pushed in asked.items():
                answered = first_reply_time(fake, chat_id)
                waits[chat_id] = None if answered is None else answered - pushed
            group_texts = fake.sent_texts(GROUP["id"])

            # A backlog, and sends stuck on a long 429: SIGTERM must still stop the bot.
            fake.fail_next("sendMessage", count=100, error_code=429, retry_after=30)
            for k in range(3):
                member = user(5000 + k, f"Thành viên {k}")
                for _ in range(3):
                    fake.push_update(message(f"@{fake.username} {QUESTION}", OTHER, member))
            wait_until(lambda: any(c.faulted for c in fake.calls_of("sendMessage")))
            stopped = time.time()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            stop_seconds = time.time() - stopped
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    output = log.read_text("utf-8")
    known = [w for w in waits.values() if w is not None]
    record_property("private_answer_median_s", statistics.median(known) if known else None)
    record_property("sigterm_exit_s", stop_seconds)
    assert all(w is not None and w <= 2.0 for w in waits.values()), waits
    assert group_texts.count(SLOW_DOWN) == 1
    answers = [t for t in group_texts if t != SLOW_DOWN]
    assert 1 <= len(answers) <= 10  # the budget, not 300
    assert all("46,5%" in t for t in answers)
    assert fake.flood is not None and fake.flood.rejected == 0  # never over Telegram's limit
    assert stop_seconds <= 10.0
    assert proc.returncode == 0, output  # a clean stop, not the watchdog
    assert "Traceback" not in output
    assert SECRET_TOKEN not in output and "SECRET" not in output


@pytest.mark.parametrize("limit", [FloodLimit(per_chat=3, period=0.5, retry_after=7)])
def test_the_fake_keeps_a_per_group_limit(limit):
    clock = [0.0]
    limit.clock = lambda: clock[0]
    fake = FakeTelegram(flood=limit)
    sent = [fake.handle("sendMessage", {"chat_id": GROUP["id"], "text": "x"}) for _ in range(4)]
    assert [status for status, _ in sent] == [200, 200, 200, 429]
    assert sent[3][1]["parameters"] == {"retry_after": 7}
    assert fake.handle("sendMessage", {"chat_id": 42, "text": "x"})[0] == 200  # private: free
    assert fake.handle("sendMessage", {"chat_id": OTHER["id"], "text": "x"})[0] == 200
    clock[0] = 0.5
    assert fake.handle("sendMessage", {"chat_id": GROUP["id"], "text": "x"})[0] == 200
    assert limit.rejected == 1
    limit.retry_after = None
    clock[0] = 0.6
    fake.handle("sendMessage", {"chat_id": GROUP["id"], "text": "x"})
    fake.handle("sendMessage", {"chat_id": GROUP["id"], "text": "x"})
    status, body = fake.handle("sendMessage", {"chat_id": GROUP["id"], "text": "x"})
    assert (status, body["parameters"]) == (429, {"retry_after": 1})  # when a slot frees
