"""Conversation context: a follow-up question is about the chat's last subject.

After "ai chủ trì đề án chuyển đổi số", the follow-up "còn thời gian thực hiện?" is about the
same task, and "còn đề án khu dân cư điện tử thì sao" asks the same thing of another task.
:class:`Context` is what one answer leaves behind; :func:`follow_up` turns a follow-up into
a question that stands alone; :class:`ConversationMemory` keeps each chat's context (and each
bot message's, so a reply to a card in a group is about that card) for a while, never
across chats.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.text import fold

__all__ = ["Context", "ConversationMemory", "follow_up"]


@dataclass(frozen=True)
class Context:
    """What the last answer was about.

    Attributes:
        question: The last question, as the pipeline read it.
        kind: The kind of the record it was answered with ("task", "indicator", ...), or "".
        key: That record's key ("5.3", "12"), or "".
        intent: The intent it was answered as ("lead", "due", "indicator", ...).

    """

    question: str
    kind: str = ""
    key: str = ""
    intent: str = ""


# What a follow-up looks like: it opens with "còn"/"thế"/"vậy" or closes with "thì sao".
_OPENER = re.compile(r"^(?:the con|con|the|vay|vay con|con ve)\b\s*")
_CLOSER = re.compile(r"\s*\b(?:thi sao|the nao|sao|thi|nua|nhi|a|ad)\s*$")
# Field phrases a follow-up may ask of the same task.
_FIELDS = re.compile(
    r"\b(?:co quan nao ban hanh|ai ban hanh|co quan ban hanh|ban hanh|ai chu tri|chu tri|"
    r"co quan chu tri|thoi gian thuc hien|thuc hien (?:den|toi) khi nao|thoi gian trinh|"
    r"trinh khi nao|khi nao trinh|han trinh|cap trinh(?: cho y kien)?|trinh cap nao|"
    r"cho y kien|den dau roi|tien do|bao nhieu|khi nao)\b"
)
_SUBJECT_WORDS = re.compile(
    r"\b(?:de an|nhiem vu|chuong trinh|ke hoach|nghi quyet|chi tieu|ty le)\b"
)
# The same question asked again of another subject: the phrase of each intent.
ASK_AGAIN = {
    "lead": "ai chủ trì",
    "due": "trình khi nào",
    "period": "thời gian thực hiện",
    "approval": "trình cấp nào cho ý kiến",
    "issuer": "cơ quan nào ban hành",
    "indicator": "là bao nhiêu",
    "progress": "đến đâu rồi",
}
_STOP = frozenset(["cua", "la", "o", "trong", "cho", "voi", "va", "nhu", "the", "nao", "gi"])


def _is_follow_up(folded: str) -> bool:
    return bool(_OPENER.match(folded) or re.search(r"\bthi sao\s*$", folded))


def follow_up(text: str, context: Context | None) -> str | None:
    """The follow-up as a question that stands alone, or None when it is not a follow-up.

    Args:
        text: The new message (one question).
        context: The chat's context, if any.

    Returns:
        "nhiệm vụ 5.3 cơ quan nào ban hành" for "thế cơ quan nào ban hành?" after task 5.3;
        "đề án X ai chủ trì" for "còn đề án X thì sao" after a lead question; None otherwise.

    """
    if context is None:
        return None
    folded = fold(text)
    if not _is_follow_up(folded):
        return None
    rest = _CLOSER.sub("", _OPENER.sub("", folded)).strip()
    field = _FIELDS.search(rest)
    subject = _FIELDS.sub(" ", rest)
    content = [w for w in subject.split() if w not in _STOP]
    if field and len(content) < 2 and not _SUBJECT_WORDS.search(subject):
        return _same_subject(rest, context)
    if not content:
        return None
    again = ASK_AGAIN.get(context.intent, "")
    if context.kind == "indicator" and not again:
        again = "là bao nhiêu"
    return f"{rest} {again}".strip() if not field else rest


def _same_subject(rest: str, context: Context) -> str:
    if context.kind == "task":
        return f"nhiệm vụ {context.key} {rest}"
    return f"{context.question} {rest}"


class ConversationMemory:
    """Each chat's context, and each bot message's, for ``ttl`` seconds.

    Keys are ``(chat_id,)`` for the chat and ``(chat_id, message_id)`` for a message the bot
    sent, so a reply to a card is about that card and nothing crosses from one chat to another.
    """

    def __init__(
        self,
        ttl: float = 30 * 60,
        limit: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Set how long a context lives and how many are kept at most."""
        self.ttl = ttl
        self.limit = limit
        self.clock = clock
        self._items: OrderedDict[tuple[int, ...], tuple[float, Context]] = OrderedDict()

    def get(
        self, chat_id: int, reply_to: int | None = None, *, chat_wide: bool = True
    ) -> Context | None:
        """The context of a reply to bot message ``reply_to``, else the chat's; None if stale.

        Args:
            chat_id: The chat.
            reply_to: The bot message the question replies to, if any.
            chat_wide: Fall back on the chat's last answer (private chats); in groups only a
                reply to the bot's message carries context.

        Returns:
            The context, or None.

        """
        keys = [(chat_id, reply_to)] if reply_to is not None else []
        for key in [*keys, *([(chat_id,)] if chat_wide else [])]:
            item = self._items.get(key)
            if item is None:
                continue
            at, context = item
            if self.clock() - at > self.ttl:
                del self._items[key]
                continue
            return context
        return None

    def remember(
        self, chat_id: int, context: Context | None, message_ids: tuple[int, ...] = ()
    ) -> None:
        """Keep ``context`` as the chat's, and as that of each bot message in ``message_ids``."""
        if context is None:
            return
        now = self.clock()
        for key in [(chat_id,), *((chat_id, m) for m in message_ids)]:
            self._items[key] = (now, context)
            self._items.move_to_end(key)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)
