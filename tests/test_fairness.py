"""The fair update processor on its own: lanes, budgets, notes, stop (no network, no sleeps)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest
from telegram.ext import ExtBot

from bot.fairness import SLOW_DOWN, Bucket, Fairness, FairUpdateProcessor, ticket_for
from tests.fakebot import (
    FakeRequest,
    FakeTelegram,
    callback_query,
    group_chat,
    inline_query,
    message,
    private_chat,
    to_ptb_update,
    user,
)

LAN, MAI, HA = user(2001, "Lan"), user(2002, "Mai"), user(2003, "Hà")
GROUP, OTHER = group_chat(-100111, "Ban chỉ đạo"), group_chat(-100222, "Tổ giúp việc")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def bot():
    fake = FakeTelegram()
    bot = ExtBot(fake.token, request=FakeRequest(fake), get_updates_request=FakeRequest(fake))
    await bot.initialize()
    yield bot
    await bot.shutdown()


def fake_of(bot: ExtBot) -> FakeTelegram:
    return bot.request.fake


def ask(bot, text: str, chat=GROUP, sender=LAN):
    """A question as PTB sees it; in groups addressed to the bot by a mention."""
    if chat["type"] != "private":
        text = f"@{bot.username} {text}"
    return to_ptb_update(message(text, chat, sender), bot)


class Job:
    """A stand-in for PTB's process_update coroutine that runs until released."""

    def __init__(self, log: list[str], name: str, gate: asyncio.Event | None = None):
        self.log, self.name, self.gate = log, name, gate
        self.awaited = False

    async def body(self) -> None:
        self.awaited = True
        self.log.append(f"start {self.name}")
        if self.gate is not None:
            await self.gate.wait()
        self.log.append(f"end {self.name}")


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def submit(processor: FairUpdateProcessor, update: Any, job: Job) -> asyncio.Task[None]:
    coroutine: Awaitable[None] = job.body()
    return asyncio.create_task(processor.process_update(update, coroutine))


def sends(bot, text: str) -> int:
    return sum(1 for t in fake_of(bot).sent_texts() if t == text)


def test_bucket_refills_at_its_rate_up_to_capacity():
    bucket = Bucket.full(capacity=3, per_minute=6, now=0.0)  # one token every 10 s
    bucket.tokens = 0.0
    assert bucket.refill(5.0) == pytest.approx(0.5)
    assert bucket.refill(15.0) == pytest.approx(1.5)
    assert bucket.refill(1000.0) == 3


async def test_tickets_meter_questions_not_group_chatter(bot):
    config = Fairness()
    plain = to_ptb_update(message("hôm nay họp lúc mấy giờ?", GROUP, LAN), bot)
    assert ticket_for(plain, config).lane is None  # no handler answers it: not metered
    addressed = ticket_for(ask(bot, "che phủ rừng"), config)
    assert addressed.lane == GROUP["id"]
    assert [key for key, *_ in addressed.buckets] == [(GROUP["id"], LAN["id"]), (GROUP["id"],)]
    command = to_ptb_update(message("/hoi che phủ rừng", GROUP, LAN), bot)
    assert ticket_for(command, config).lane == GROUP["id"]
    private = ticket_for(ask(bot, "che phủ rừng", private_chat(LAN)), config)
    assert (private.lane, private.buckets) == (
        LAN["id"],
        (((LAN["id"],), config.private_burst, config.private_rate),),
    )
    inline = ticket_for(to_ptb_update(inline_query("rừng", MAI), bot), config)
    assert inline.lane == ("user", MAI["id"]) and inline.message is None
    card = message("thẻ", GROUP, {**LAN, "id": bot.id, "is_bot": True})["message"]
    button = ticket_for(to_ptb_update(callback_query("show:1", card, HA), bot), config)
    assert button.lane == GROUP["id"] and button.message is None  # no note under a button


async def test_a_flooded_group_leaves_slots_for_everyone_else(bot):
    processor = FairUpdateProcessor(Fairness(concurrency=2, group_user_burst=50, group_burst=50))
    await processor.initialize()
    log: list[str] = []
    gate = asyncio.Event()  # the group's answers wait, as on Telegram's 20/min limit
    flood = [submit(processor, ask(bot, f"q{i}"), Job(log, f"g{i}", gate)) for i in range(6)]
    private = submit(processor, ask(bot, "p", private_chat(MAI)), Job(log, "private"))
    other = submit(processor, ask(bot, "o", OTHER, HA), Job(log, "other"))
    await settle()
    assert private.done() and other.done()
    assert log == ["start g0", "start private", "end private", "start other", "end other"]
    assert processor.current_concurrent_updates == 6  # only g0 runs, five wait in its lane
    gate.set()
    await asyncio.gather(*flood)
    assert [e for e in log if e.startswith("start g")] == [f"start g{i}" for i in range(6)]
    assert processor.dropped == 0


async def test_over_budget_updates_are_dropped_with_one_note_per_window(bot):
    clock = Clock()
    config = Fairness(group_user_burst=3, group_user_rate=6, note_window=60)
    processor = FairUpdateProcessor(config, clock=clock)
    await processor.initialize()
    log: list[str] = []
    jobs = [Job(log, f"q{i}") for i in range(10)]
    updates = [ask(bot, f"q{i}") for i in range(10)]
    await asyncio.gather(*(submit(processor, u, j) for u, j in zip(updates, jobs, strict=True)))
    await settle()
    assert [j.awaited for j in jobs] == [True] * 3 + [False] * 7
    assert processor.dropped == 7
    assert sends(bot, SLOW_DOWN) == 1
    (note,) = [c for c in fake_of(bot).calls_of("sendMessage") if c.params["text"] == SLOW_DOWN]
    assert note.params["chat_id"] == GROUP["id"]
    # It answers the first question dropped.
    assert note.params["reply_parameters"]["message_id"] == updates[3].message.message_id
    # Another user of the same group still has a budget of their own.
    mai = Job(log, "mai")
    await submit(processor, ask(bot, "m", GROUP, MAI), mai)
    assert mai.awaited
    # Ten seconds later one token is back: one question more, then drops again, no new note.
    clock.now += 10
    late = [Job(log, f"late{i}") for i in range(3)]
    for job in late:
        await submit(processor, ask(bot, "x"), job)
    await settle()
    assert [j.awaited for j in late] == [True, False, False]
    assert sends(bot, SLOW_DOWN) == 1
    # After the window a new flood gets one new note.
    clock.now += 61
    for i in range(8):
        await submit(processor, ask(bot, f"again{i}"), Job(log, f"again{i}"))
    await settle()
    assert sends(bot, SLOW_DOWN) == 2


async def test_group_budget_is_shared_by_its_users(bot):
    processor = FairUpdateProcessor(Fairness(group_burst=4, group_user_burst=3), clock=Clock())
    await processor.initialize()
    jobs = [Job([], f"{u['id']}-{i}") for u in (LAN, MAI, HA) for i in range(2)]
    for job, sender in zip(jobs, [LAN, LAN, MAI, MAI, HA, HA], strict=True):
        await submit(processor, ask(bot, "q", GROUP, sender), job)
    assert [j.awaited for j in jobs] == [True] * 4 + [False] * 2


async def test_the_backlog_of_a_chat_is_bounded(bot):
    processor = FairUpdateProcessor(Fairness(chat_backlog=2, private_burst=100), clock=Clock())
    await processor.initialize()
    gate, log = asyncio.Event(), []
    jobs = [Job(log, f"p{i}", gate) for i in range(6)]
    tasks = [
        submit(processor, ask(bot, f"p{i}", private_chat(LAN), LAN), j) for i, j in enumerate(jobs)
    ]
    await settle()
    assert processor.dropped == 3  # one runs, two wait, three are dropped
    gate.set()
    await asyncio.gather(*tasks)
    assert [j.awaited for j in jobs] == [True] * 3 + [False] * 3
    assert sends(bot, SLOW_DOWN) == 1


async def test_group_chatter_is_never_metered(bot):
    processor = FairUpdateProcessor(Fairness(group_user_burst=1, group_burst=1), clock=Clock())
    await processor.initialize()
    jobs = [Job([], f"c{i}") for i in range(20)]
    for i, job in enumerate(jobs):
        await submit(processor, to_ptb_update(message(f"chuyện {i}", GROUP, LAN), bot), job)
    assert all(j.awaited for j in jobs)
    assert processor.dropped == 0 and sends(bot, SLOW_DOWN) == 0


async def test_stop_drops_the_backlog_and_cancels_what_runs(bot, recwarn):
    processor = FairUpdateProcessor(Fairness(concurrency=1, group_user_burst=50, group_burst=50))
    await processor.initialize()
    gate, log = asyncio.Event(), []
    jobs = [Job(log, f"g{i}", gate) for i in range(5)] + [Job(log, "private", gate)]
    updates = [ask(bot, f"g{i}") for i in range(5)] + [ask(bot, "p", private_chat(MAI), MAI)]
    tasks = [submit(processor, u, j) for u, j in zip(updates, jobs, strict=True)]
    await settle()
    assert log == ["start g0"]
    processor.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=0.5)  # none raises
    assert log == ["start g0"] and not any(j.awaited for j in jobs[1:])
    late = Job(log, "late")
    await submit(processor, ask(bot, "late", OTHER, HA), late)
    assert not late.awaited and processor.dropped == 1
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


async def test_cancelling_the_caller_still_cancels(bot):
    processor = FairUpdateProcessor(Fairness())
    await processor.initialize()
    gate = asyncio.Event()
    task = submit(processor, ask(bot, "q"), Job([], "q", gate))
    await settle()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_what_the_gate_drops_neither_eats_a_budget_nor_earns_a_note(bot):
    config = Fairness(group_user_burst=1, group_burst=1, private_burst=1)
    processor = FairUpdateProcessor(config, allowed_chats=frozenset({GROUP["id"]}), clock=Clock())
    await processor.initialize()
    other_bot = user(9001, "Spam", "spam_bot", is_bot=True)
    for i in range(5):
        await submit(processor, ask(bot, f"o{i}", OTHER, HA), Job([], f"o{i}"))  # not served
        await submit(processor, ask(bot, f"b{i}", GROUP, other_bot), Job([], f"b{i}"))  # a bot
    assert processor.dropped == 0 and sends(bot, SLOW_DOWN) == 0
    served = Job([], "served")
    await submit(processor, ask(bot, "q", GROUP, LAN), served)
    assert served.awaited  # the group's budget of one was still there
