"""Fair scheduling of updates: one chat's flood never queues in front of everyone else.

PTB's :class:`~telegram.ext.AIORateLimiter` keeps Telegram's send limits (20 messages a minute
in a group); with a plain bounded ``concurrent_updates`` one flooded group fills every slot
waiting on that limit and nobody else is answered. :class:`FairUpdateProcessor` schedules
instead:

* every chat (inline queries: every user) has its own lane: at most ``chat_in_flight`` of its
  updates run at once and at most ``chat_backlog`` wait; only the running ones hold one of the
  ``concurrency`` global slots, so other chats always find a free slot;
* what a user may ask is metered by token buckets (per user in a group, per group, per private
  chat); beyond the budget updates are dropped, and the chat gets at most one
  :data:`SLOW_DOWN` note per ``note_window``;
* group messages not addressed to the bot (privacy mode off) are not metered: no handler
  answers them, so they must not eat the budget of those who ask;
* :meth:`FairUpdateProcessor.stop` drops the backlog and cancels what runs, so the bot stops
  within seconds however long the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Message, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

from bot.limits import Fairness
from handlers.ask import addressed_text

__all__ = [
    "SLOW_DOWN",
    "Bucket",
    "FairUpdateProcessor",
    "Fairness",
    "Ticket",
    "is_metered",
    "ticket_for",
]

log = logging.getLogger(__name__)

SLOW_DOWN = "⏳ Bạn gửi quá nhanh, vui lòng chậm lại: một số tin nhắn vừa gửi đã bị bỏ qua."
# PTB takes the outer bound as a semaphore held for the whole of do_process_update; fairness is
# done inside, so the outer bound only has to be out of the way.
_OUTER_BOUND = 1 << 20


@dataclass
class Bucket:
    """A token bucket: ``capacity`` tokens, refilled at ``rate`` tokens a second."""

    capacity: float
    rate: float
    tokens: float
    stamp: float

    @classmethod
    def full(cls, capacity: float, per_minute: float, now: float) -> Bucket:
        """A full bucket refilled at ``per_minute`` tokens a minute."""
        return cls(capacity, per_minute / 60.0, capacity, now)

    def refill(self, now: float) -> float:
        """Top up for the time since the last look; returns the tokens available."""
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now
        return self.tokens


@dataclass(frozen=True)
class Ticket:
    """How one update is scheduled: its lane, its buckets, whether a note may answer a drop.

    Attributes:
        lane: Key of the lane (a chat, or a user for inline queries); None runs at once.
        buckets: ``(key, capacity, per_minute)`` of every bucket that must give a token.
        message: The message a :data:`SLOW_DOWN` note replies to, if any.

    """

    lane: Hashable | None
    buckets: tuple[tuple[Hashable, float, float], ...] = ()
    message: Message | None = None


def is_metered(update: Update) -> bool:
    """Whether a group update asks the bot something (command, mention, reply, button)."""
    if update.callback_query is not None:
        return True
    message = update.effective_message
    if message is None:
        return False
    if (message.text or message.caption or "").startswith("/"):
        return True
    try:
        bot = update.get_bot()
        return addressed_text(message, bot.username, bot.id) is not None
    except RuntimeError:  # no bot bound or not initialised: count it, to be safe
        return True


def ticket_for(
    update: object, config: Fairness, allowed_chats: frozenset[int] = frozenset()
) -> Ticket:
    """The lane and budgets of ``update`` under ``config``.

    What the gate handler drops anyway (other bots, chats not in ``allowed_chats``) runs at once
    unmetered: it must neither eat a budget nor earn a note in a chat the bot does not serve.
    """
    if not isinstance(update, Update):
        return Ticket(lane=None)
    chat, user = update.effective_chat, update.effective_user
    if (user is not None and user.is_bot) or (
        chat is not None and allowed_chats and chat.id not in allowed_chats
    ):
        return Ticket(lane=None)
    burst, rate = config.private_burst, config.private_rate
    if chat is None:  # inline queries: a lane per user
        if user is None:
            return Ticket(lane=None)
        return Ticket(lane=("user", user.id), buckets=((("user", user.id), burst, rate),))
    message = update.message or update.edited_message
    if chat.type == ChatType.PRIVATE:
        return Ticket(lane=chat.id, buckets=(((chat.id,), burst, rate),), message=message)
    if not is_metered(update):
        return Ticket(lane=None)
    buckets: list[tuple[Hashable, float, float]] = [
        ((chat.id,), config.group_burst, config.group_rate)
    ]
    if user is not None:
        buckets.insert(0, ((chat.id, user.id), config.group_user_burst, config.group_user_rate))
    return Ticket(lane=chat.id, buckets=tuple(buckets), message=message)


@dataclass
class _Lane:
    key: Hashable
    slots: asyncio.Semaphore
    members: int = 0  # waiting or running


@dataclass
class _State:
    buckets: dict[Hashable, Bucket] = field(default_factory=dict)
    lanes: dict[Hashable, _Lane] = field(default_factory=dict)
    noted: dict[Hashable, float] = field(default_factory=dict)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    dropped: int = 0
    notes: int = 0


class FairUpdateProcessor(BaseUpdateProcessor):
    """Per-chat lanes, token-bucket budgets and a global bound; see the module docstring.

    Args:
        config: The parameters.
        allowed_chats: Chats the bot serves (empty: every chat); see :func:`ticket_for`.
        clock: Monotonic seconds (tests pass a fake one).

    """

    def __init__(
        self,
        config: Fairness,
        allowed_chats: frozenset[int] = frozenset(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(_OUTER_BOUND)
        self.config = config
        self.allowed_chats = allowed_chats
        self._clock = clock
        self._global = asyncio.Semaphore(config.concurrency)
        self._state = _State()
        self._stopping = False

    @property
    def dropped(self) -> int:
        """Updates dropped so far (over budget, backlog full, or stopping)."""
        return self._state.dropped

    @property
    def notes(self) -> int:
        """:data:`SLOW_DOWN` notes sent so far."""
        return self._state.notes

    async def initialize(self) -> None:
        """Accept updates (again)."""
        self._stopping = False

    async def shutdown(self) -> None:
        """Drop what is left."""
        self.stop()

    def stop(self) -> None:
        """Drop every waiting update and cancel every running one (and pending notes)."""
        self._stopping = True
        for task in list(self._state.tasks):
            task.cancel()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Admit ``update`` to its lane or drop it; run it when its lane and a slot are free."""
        ticket = ticket_for(update, self.config, self.allowed_chats)
        if self._stopping or not self._admit(ticket):
            self._drop(coroutine, ticket)
            return
        lane = self._state.lanes.get(ticket.lane) if ticket.lane is not None else None
        task = asyncio.create_task(self._run(lane, coroutine))
        self._state.tasks.add(task)
        task.add_done_callback(self._state.tasks.discard)
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not (task.cancelled() and self._stopping) or (current and current.cancelling()):
                raise

    def _admit(self, ticket: Ticket) -> bool:
        now = self._clock()
        buckets = [
            self._bucket(key, capacity, rate, now) for key, capacity, rate in ticket.buckets
        ]
        if any(bucket.refill(now) < 1.0 for bucket in buckets):
            return False
        lane = self._lane(ticket.lane)
        config = self.config
        if lane is not None and lane.members >= config.chat_in_flight + config.chat_backlog:
            return False
        for bucket in buckets:
            bucket.tokens -= 1.0
        if lane is not None:
            lane.members += 1
        return True

    def _bucket(self, key: Hashable, capacity: float, rate: float, now: float) -> Bucket:
        buckets = self._state.buckets
        if key not in buckets:
            if len(buckets) >= 10_000:
                self._forget_full(now)
            buckets[key] = Bucket.full(capacity, rate, now)
        return buckets[key]

    def _forget_full(self, now: float) -> None:
        buckets = self._state.buckets
        for key in [k for k, b in buckets.items() if b.refill(now) >= b.capacity]:
            del buckets[key]

    def _lane(self, key: Hashable | None) -> _Lane | None:
        if key is None:
            return None
        lanes = self._state.lanes
        if key not in lanes:
            lanes[key] = _Lane(key, asyncio.Semaphore(self.config.chat_in_flight))
        return lanes[key]

    async def _run(self, lane: _Lane | None, coroutine: Awaitable[Any]) -> None:
        started = False
        slots: contextlib.AbstractAsyncContextManager[Any] = (
            lane.slots if lane is not None else contextlib.nullcontext()
        )
        try:
            async with slots, self._global:
                started = True
                await coroutine
        finally:
            if not started:
                _close(coroutine)
            if lane is not None:
                lane.members -= 1
                if lane.members == 0:
                    self._state.lanes.pop(lane.key, None)

    def _drop(self, coroutine: Awaitable[Any], ticket: Ticket) -> None:
        _close(coroutine)
        self._state.dropped += 1
        message = ticket.message
        if self._stopping or message is None or ticket.lane is None:
            return
        now = self._clock()
        noted = self._state.noted
        last = noted.get(ticket.lane)
        if last is not None and now - last < self.config.note_window:
            return
        if len(noted) >= 10_000:
            for key in [k for k, t in noted.items() if now - t >= self.config.note_window]:
                del noted[key]
        noted[ticket.lane] = now
        self._state.notes += 1
        log.info("chat %s is flooding: dropping its updates over budget", ticket.lane)
        note = asyncio.create_task(self._note(message))
        self._state.tasks.add(note)
        note.add_done_callback(self._state.tasks.discard)

    @staticmethod
    async def _note(message: Message) -> None:
        try:
            await message.reply_text(
                SLOW_DOWN,
                reply_parameters=ReplyParameters(
                    message.message_id, allow_sending_without_reply=True
                ),
            )
        except Exception as exc:  # a note is best effort; never an error reply
            log.warning("could not send the slow-down note: %s", type(exc).__name__)


def _close(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if callable(close):
        close()
