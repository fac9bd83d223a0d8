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

from knowledge.programme.agencies import cut_spans
from knowledge.qa.lexicon import expand
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
_OPENER = re.compile(r"^(?:vay con|the con|con ve|con|the|vay)\b\s*")
_CLOSER = re.compile(r"\s*\b(?:thi sao|the nao|sao|thi|nua|nhi|a|ad|v|z|vay|ha|nhe|ak)\s*$")
# Field phrases a follow-up may ask of the same task.
_FIELDS = re.compile(
    r"\b(?:co quan nao ban hanh|ai ban hanh|co quan ban hanh|ban hanh|"
    r"(?:co quan|don vi|ban|ben) nao (?:la )?(?:chu tri|tham muu)(?: tham muu)?|"
    r"ai chu tri(?: tham muu)?|chu tri(?: tham muu)?|co quan chu tri(?: tham muu)?|"
    r"(?:ai|co quan nao|don vi nao) chiu trach nhiem|"
    r"thoi gian thuc hien|thuc hien (?:den|toi) (?:khi nao|nam nao|bao gio)|"
    r"thuc hien (?:trong |vao )?(?:giai doan|thoi gian|thoi ky) nao|giai doan nao|"
    r"thuc hien (?:den|toi) khi nao|thoi gian trinh|(?:khi nao )?phai trinh|"
    r"trinh (?:khi nao|luc nao|bao gio)|khi nao trinh|han trinh|cap trinh(?: cho y kien)?|"
    r"trinh cap nao|cho y kien|den dau roi|tien do|bao nhieu|khi nao|luc nao|bao gio)\b"
)
_SUBJECT_WORDS = re.compile(
    r"\b(?:de an|nhiem vu|chuong trinh|ke hoach|nghi quyet|chi tieu|ty le)\b"
)
# "nhiệm vụ đó", "đề án này": the subject of the context itself.
_DEICTIC = re.compile(
    r"\b(?:nhiem vu|de an|chuong trinh|ke hoach|nghi quyet|chi tieu|viec|nv|cai) "
    r"(?:do|nay|tren|ay)\b"
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
# Words that ask rather than name a subject.
_STOP = frozenset(
    [
        "cua",
        "la",
        "o",
        "trong",
        "cho",
        "voi",
        "va",
        "nhu",
        "the",
        "nao",
        "gi",
        "phai",
        "nhung",
        "cac",
        "cap",
        "giai",
        "doan",
        "nam",
        "vao",
        "luc",
        "do",
        "nay",
        "hien",
        "no",
        "co",
        "khong",
    ]
)


def _is_follow_up(folded: str) -> bool:
    return bool(_OPENER.match(folded) or re.search(r"\bthi sao\s*$", folded))


def _strip_closers(text: str) -> str:
    while True:
        shorter = _CLOSER.sub("", text).strip()
        if shorter == text:
            return text
        text = shorter


Spans = Callable[[str], list[tuple[int, int, str]]]
_YEAR = re.compile(r"\b(?:nam )?((?:19|20)\d\d)\b")
# A yes/no frame around a field: "có phải trình Tỉnh ủy không".
_CHECK_FRAME = re.compile(r"^(?:co )?phai\b|\b(?:co )?(?:khong|ko|k|chua|phai khong)$")


def _without_bodies(text: str, spans: Spans | None) -> str:
    """``text`` without the bodies it names: a body is what a check guesses, not a subject."""
    return re.sub(r"\s+", " ", cut_spans(text, spans(text) if spans else [])).strip()


def follow_up(text: str, context: Context | None, spans: Spans | None = None) -> str | None:
    """The follow-up as a question that stands alone, or None when it is not a follow-up.

    ``spans`` finds the bodies a text names: a field asked with a body as its guess
    ("có phải trình Tỉnh ủy không") is still about the context's subject.

    A message that asks only a field ("cơ quan nào ban hành?", "khi nào phải trình",
    "ai chủ trì nhiệm vụ đó?") is about the context's subject even without "còn"/"thế";
    "còn X thì sao" asks the last question again of X.

    Args:
        text: The new message (one question).
        context: The chat's context, if any.
        spans: Finds the bodies a text names, when known.

    Returns:
        "nhiệm vụ 5.3 cơ quan nào ban hành" for "thế cơ quan nào ban hành?" after task 5.3;
        "đề án X ai chủ trì" for "còn đề án X thì sao" after a lead question; None otherwise.

    """
    if context is None:
        return None
    folded = expand(fold(text))
    rest = _strip_closers(_OPENER.sub("", folded).strip())
    rest = re.sub(r"\s+", " ", _DEICTIC.sub(" ", rest)).strip()
    field = _FIELDS.search(rest)
    subject = _FIELDS.sub(" ", rest)
    content = [w for w in subject.split() if w not in _STOP]
    # A field asked with only a body as its guess ("có phải trình Tỉnh ủy không") is a check
    # of the same subject; a body alone ("còn Ban Tuyên giáo?") is a new subject.
    guessed = _CHECK_FRAME.sub(" ", _without_bodies(subject, spans).strip())
    own = [w for w in guessed.split() if w not in _STOP]
    if field and len(own) < 2 and not _SUBJECT_WORDS.search(subject):
        return _same_subject(rest, context)
    if not content or not _is_follow_up(folded):
        return None
    again = ASK_AGAIN.get(context.intent, "")
    if context.kind == "indicator" and not again:
        again = "là bao nhiêu"
    if field:
        return rest
    year = _YEAR.fullmatch(rest)
    if year is not None and context.kind == "indicator":
        # "thế năm 2030 thì sao": the same target, asked of another year.
        return _with_year(context.question, year.group(1))
    if not again:
        return _swap_subject(context.question, rest)
    return f"{rest} {again}".strip()


def _with_year(question: str, year: str) -> str:
    """The last question with ``year`` in place of the year it named (or added)."""
    folded = fold(question)
    return _YEAR.sub(year, folded, count=1) if _YEAR.search(folded) else f"{folded} nam {year}"


def _swap_subject(question: str, subject: str) -> str:
    """The last question asked again with ``subject`` in place of its like ("quý IV năm 2020").

    The like is the span of the last question that opens with the subject's first word and
    has as many words or ends with the same word; without one, the subject alone.
    """
    words, new = fold(question).split(), subject.split()
    n = len(new)
    for i, w in enumerate(words):
        if w != new[0]:
            continue
        same_end = [j for j in range(i + 1, len(words) + 1) if words[j - 1] == new[-1]]
        j = same_end[0] if same_end and n > 1 else i + n
        if j <= len(words):
            return " ".join([*words[:i], *new, *words[j:]])
    return subject


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
