"""Telegram's per-group flood limit for the fake Bot API: too many sends give a 429."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SENDING", "FloodLimit"]

# Methods that post a message into a chat (chat actions and edits are not counted).
SENDING = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendSticker",
        "sendVideo",
        "sendVoice",
        "sendMediaGroup",
        "forwardMessage",
        "copyMessage",
    }
)


@dataclass
class FloodLimit:
    """At most ``per_chat`` messages in any ``period`` seconds into one group (Telegram: 20/60).

    Beyond, the send fails with 429 and ``retry_after``: the given number, or by default the
    seconds until the oldest counted message leaves the window. Private chats are not limited.
    """

    per_chat: int = 20
    period: float = 60.0
    retry_after: int | None = None
    clock: Callable[[], float] = time.monotonic
    _sent: dict[int, deque[float]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    rejected: int = field(default=0, init=False)

    def check(self, method: str, chat_id: Any) -> int | None:
        """Count a send of ``method`` into ``chat_id``; the ``retry_after`` if it is refused."""
        if method not in SENDING:
            return None
        try:
            chat = int(chat_id)
        except (TypeError, ValueError):
            return None
        if chat >= 0:
            return None
        with self._lock:
            now = self.clock()
            sent = self._sent.setdefault(chat, deque())
            while sent and now - sent[0] >= self.period:
                sent.popleft()
            if len(sent) >= self.per_chat:
                self.rejected += 1
                if self.retry_after is not None:
                    return self.retry_after
                return max(1, math.ceil(self.period - (now - sent[0])))
            sent.append(now)
            return None
