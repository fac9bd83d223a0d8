"""Read the status words of a progress report: what the reporter says about the work.

A report line is cut into words; each word is folded (no diacritics, lower
case), chat shorthand is expanded ("ht" → "hoan thanh", "k"/"ko" → "khong",
"r" → "roi", "dg" → "dang", "dc" → "duoc") and Telex typed with the Vietnamese
keyboard off is undone when that yields a status word ("hoanf thanhf",
"chuwa", "ddax"). Words whose diacritics make them a different word are kept
apart ("đăng" is not "đang", "hoãn" is not "hoàn", "đá" is not "đã").

The words are then read as *phrases*, each of one kind (:data:`KINDS`):

- ``done``: a completion word ("hoàn thành", "hoàn tất", "xong", "kết thúc")
  that is not negated, not prospective and not partial;
- ``not_done``: a negated completion ("chưa xong", "không hoàn thành",
  "chưa làm xong", "xong chưa"), or "chưa" ending a clause ("việc B chưa") —
  never done;
- ``working``: work under way ("đang …", "làm lại", "tiếp tục", "sắp/gần/cơ bản
  hoàn thành", "dự kiến/phấn đấu hoàn thành", "hoàn thành bước 1 / giai đoạn 1 /
  dự thảo");
- ``milestone``: a step taken ("đã trình", "đã ban hành", "đã phê duyệt", "đã
  giải ngân" …, see ``_MILESTONES``): in progress, but it does not contradict a
  completion word; "đã họp" alone says nothing about progress;
- ``paused``: "tạm dừng", "tạm ngưng", "dừng lại", "tạm hoãn";
- ``not_started``: "chưa/không" + "thực hiện/triển khai/làm/bắt đầu/khởi công".

A negation or a prospective word reaches a completion word over at most a few
words and never across punctuation or "đã"/"nhưng"/"và".
:func:`decide_status` turns the kinds found and the percent into one status.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from knowledge.text import fold

__all__ = [
    "DONE",
    "IN_PROGRESS",
    "KINDS",
    "NOT_STARTED",
    "PAUSED",
    "Phrase",
    "decide_status",
    "read_phrases",
]

# Status vocabulary, as stored and shown.
NOT_STARTED = "chưa thực hiện"
IN_PROGRESS = "đang thực hiện"
DONE = "hoàn thành"
PAUSED = "tạm dừng"

# Phrase kinds.
K_DONE, K_NOT_DONE, K_WORKING = "done", "not_done", "working"
K_MILESTONE, K_PAUSED, K_NOT_STARTED = "milestone", "paused", "not_started"
KINDS = (K_DONE, K_NOT_DONE, K_WORKING, K_MILESTONE, K_PAUSED, K_NOT_STARTED)
# The status a phrase states on its own (a phrase is dropped from the note only
# when it states the status finally chosen).
_STATUS_OF_KIND = {
    K_DONE: DONE,
    K_PAUSED: PAUSED,
    K_NOT_STARTED: NOT_STARTED,
    K_WORKING: IN_PROGRESS,
}

# ---- Parameters: every word list the reading uses -------------------------
Words = tuple[str, ...]
_COMPLETION: tuple[Words, ...] = (
    ("hoan", "thanh"),
    ("hoan", "tat"),
    ("xong",),
    ("ket", "thuc"),
)
_NEGATORS = frozenset({"chua", "khong", "chang"})
_START_VERBS: tuple[Words, ...] = (
    ("thuc", "hien"),
    ("trien", "khai"),
    ("bat", "dau"),
    ("khoi", "cong"),
    ("khoi", "dong"),
    ("tien", "hanh"),
    ("lam",),
)
_PAUSED: tuple[Words, ...] = (
    ("tam", "dung"),
    ("tam", "ngung"),
    ("tam", "hoan_"),
    ("dung", "lai"),
    ("ngung", "lai"),
    ("ngung", "thuc", "hien"),
    ("ngung", "trien", "khai"),
)
# Work under way; the first three are plain status words, dropped from the note.
_WORKING: tuple[Words, ...] = (
    ("dang", "thuc", "hien"),
    ("dang", "trien", "khai"),
    ("dang", "lam"),
    ("lam", "lai"),
    ("thuc", "hien", "lai"),
    ("xay", "dung", "lai"),
    ("sua", "lai"),
    ("tiep", "tuc"),
    ("da", "trien", "khai"),
    ("da", "bat", "dau"),
    ("bat", "dau"),
    ("khoi", "dong"),
    ("dang",),
)
_PLAIN_WORKING = frozenset(_WORKING[:3])
# Before a completion word: it is not done yet ("sắp hoàn thành").
_PROSPECTIVE: tuple[Words, ...] = (
    ("sap",),
    ("gan",),
    ("co", "ban"),
    ("dang",),
    ("du", "kien"),
    ("phan", "dau"),
    ("se",),
    ("chuan", "bi"),
    ("de",),
    ("nham",),
    ("phai",),
    ("can",),
    ("han",),
    ("muc", "tieu"),
    ("ke", "hoach"),
    ("huong", "toi"),
    ("tien", "toi"),
    ("co", "gang"),
    ("truoc", "khi"),
)
# After a completion word: only part of the work is done ("xong bước 1").
_PARTIAL: tuple[Words, ...] = (
    ("buoc",),
    ("giai", "doan"),
    ("phan",),
    ("dot",),
    ("hang", "muc"),
    ("khau",),
    ("du", "thao"),
    ("ho", "so"),
    ("mot", "so"),
    ("noi", "dung"),
    ("so", "bo"),
    ("nua",),
)
# After "đã": a step on the way (in progress, but not against "hoàn thành").
_MILESTONES: tuple[Words, ...] = (
    ("trinh",),
    ("ban", "hanh"),
    ("phe", "duyet"),
    ("ky",),
    ("giai", "ngan"),
    ("nghiem", "thu"),
    ("tham", "dinh"),
    ("xay", "dung"),
    ("to", "chuc"),
    ("gui",),
    ("lay", "y", "kien"),
    ("xin", "y", "kien"),
    ("hoan", "thien"),
    ("khoi", "cong"),
    ("ban", "giao"),
    ("thong", "qua"),
    ("du", "thao"),
    ("thanh", "lap"),
    ("phan", "cong"),
    ("bo", "tri"),
    ("lap",),
)
NEGATION_REACH = 3  # words from a negator to the completion word it negates
PROSPECT_REACH = 4  # words from a prospective word to the completion word
PARTIAL_REACH = 3  # words after a completion word that may name a part
_DONE_TAIL = frozenset({"het", "roi", "ca"})  # "xong hết rồi", "hoàn thành cả"
_STOP = frozenset({"|", "da", "nhung", "va", "roi"})
_BARRIERS = frozenset(",;.!?()[]…:-–—")
_SHORTHAND: dict[str, Words] = {
    "ht": ("hoan", "thanh"),
    "hthanh": ("hoan", "thanh"),
    "hoanthanh": ("hoan", "thanh"),
    "htat": ("hoan", "tat"),
    "xongroi": ("xong", "roi"),
    "chuaxong": ("chua", "xong"),
    "danglam": ("dang", "lam"),
    "tamdung": ("tam", "dung"),
    "xog": ("xong",),
    "r": ("roi",),
    "dc": ("duoc",),
    "k": ("khong",),
    "ko": ("khong",),
    "kh": ("khong",),
    "khg": ("khong",),
    "hok": ("khong",),
    "hong": ("khong",),
    "chx": ("chua",),
    "dg": ("dang",),
    "dag": ("dang",),
}
# Folded words that other words with diacritics fold to as well: only the
# listed spellings count (ASCII spellings always do).
_RISKY: dict[str, frozenset[str]] = {
    "dang": frozenset({"đang", "đg", "đag"}),
    "da": frozenset({"đã", "dã", "đả"}),
    "roi": frozenset({"rồi"}),
    "het": frozenset({"hết"}),
    "ca": frozenset({"cả"}),
    "chua": frozenset({"chưa"}),
    "dung": frozenset({"dừng", "dựng"}),
    "lam": frozenset({"làm"}),
    "hoan": frozenset({"hoàn"}),
    "se": frozenset({"sẽ"}),
    "de": frozenset({"để"}),
    "can": frozenset({"cần"}),
    "han": frozenset({"hạn"}),
    "gan": frozenset({"gần"}),
    "sap": frozenset({"sắp"}),
    "phan": frozenset({"phần", "phấn", "phân"}),
    "khau": frozenset({"khâu"}),
    "nua": frozenset({"nửa"}),
    "dot": frozenset({"đợt"}),
    "tam": frozenset({"tạm"}),
}
_TABLES = (_COMPLETION, _START_VERBS, _PAUSED, _WORKING, _PROSPECTIVE, _PARTIAL, _MILESTONES)
_VOCAB = (
    frozenset(w for table in _TABLES for phrase in table for w in phrase)
    | _NEGATORS
    | {
        "hoan_",
        "duoc",
        "roi",
        "het",
        "ca",
        "da",
        "nhung",
        "va",
    }
)
_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*%?|[^\w\s]")


@dataclass(frozen=True)
class Phrase:
    """One status phrase found in a line.

    Attributes:
        kind: One of :data:`KINDS`.
        start: Character offset of the phrase in the line.
        end: Character offset just after it.
        plain: A bare status phrase ("hoàn thành", "tạm dừng", "đang thực
            hiện"): it may be dropped from the note.

    """

    kind: str
    start: int
    end: int
    plain: bool = False

    @property
    def status(self) -> str:
        """The status this phrase states on its own, or ""."""
        return _STATUS_OF_KIND.get(self.kind, "")


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def _canonical(token: str) -> Words:
    """The canonical folded word(s) for one token as typed."""
    low = token.lower()
    folded = fold(low).replace(" ", "") or low
    if folded in _RISKY and not low.isascii() and _marks(low) not in _RISKY_MARKS[folded]:
        return (folded + "_",)
    if low.isascii() and folded not in _VOCAB and folded not in _SHORTHAND:
        telex = _untelex(folded)
        folded = telex if telex in _VOCAB else folded
    return _SHORTHAND.get(folded, (folded,))


def _marks(word: str) -> str:
    """The letters and marks of ``word`` in a fixed order ("hòan" and "hoàn" agree)."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(sorted(decomposed))


_RISKY_MARKS = {k: frozenset(_marks(w) for w in v) for k, v in _RISKY.items()}


def _untelex(word: str) -> str:
    """Undo Telex typed without the Vietnamese keyboard ("thanhf" → "thanh")."""
    word = re.sub(r"([aeo])\1", r"\1", word).replace("dd", "d")
    word = re.sub(r"(?<=[aou])w|w(?=[aou])", "", word)
    return word[:-1] if len(word) > 1 and word[-1] in "sfrxj" else word


def _words(text: str) -> list[_Word]:
    out: list[_Word] = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if not token[0].isalnum():
            if token in _BARRIERS:
                out.append(_Word("|", m.start(), m.end()))
            continue
        out.extend(_Word(w, m.start(), m.end()) for w in _canonical(token))
    return out


def _at(words: list[_Word], i: int, phrase: Words) -> bool:
    return tuple(w.text for w in words[i : i + len(phrase)]) == phrase


def _first(words: list[_Word], i: int, table: tuple[Words, ...]) -> Words | None:
    return next((p for p in table if _at(words, i, p)), None)


def _completion_len(words: list[_Word], i: int) -> int:
    phrase = _first(words, i, _COMPLETION)
    return len(phrase) if phrase else 0


def _near(words: list[_Word], start: int, stop: int, table: tuple[Words, ...]) -> bool:
    """Whether a phrase of ``table`` starts in ``words[start:stop]``."""
    return any(_first(words, k, table) for k in range(max(start, 0), stop))


def _back_reach(words: list[_Word], i: int, reach: int) -> int:
    """Index where the clause before ``i`` begins, at most ``reach`` words back."""
    k = i
    while k > 0 and i - k < reach and words[k - 1].text not in _STOP:
        k -= 1
    return k


def _forward_reach(words: list[_Word], j: int, reach: int) -> int:
    """Index where the clause from ``j`` ends, at most ``reach`` words on."""
    k = j
    while k < len(words) and k - j < reach and words[k].text != "|":
        k += 1
    return k


Match = tuple[str, int, bool]  # kind, index after the phrase, plain


def _completion(words: list[_Word], i: int) -> Match | None:
    """Read a completion word at ``i`` in its context."""
    n = _completion_len(words, i)
    if not n:
        return None
    j = i + n
    if _near(words, _back_reach(words, i, PROSPECT_REACH), i, _PROSPECTIVE):
        return K_WORKING, j, False
    if j < len(words) and words[j].text == "chua":
        return K_NOT_DONE, j + 1, False
    if _near(words, j, _forward_reach(words, j, PARTIAL_REACH), _PARTIAL):
        return K_WORKING, j, False
    while j < len(words) and words[j].text in _DONE_TAIL:
        j += 1
    return K_DONE, j, True


def _negated(words: list[_Word], i: int) -> Match | None:
    """Read a negator at ``i``: a negated completion or "not started"."""
    for j in range(i + 1, min(i + 1 + NEGATION_REACH, len(words))):
        if words[j].text in _STOP:
            break
        n = _completion_len(words, j)
        if n:
            return K_NOT_DONE, j + n, False
    verb = _first(words, i + 1, _START_VERBS)
    return (K_NOT_STARTED, i + 1 + len(verb), True) if verb else None


def _core(words: list[_Word], i: int) -> Match | None:
    """The phrase starting at ``i``, if any."""
    if words[i].text in _NEGATORS:
        found = _negated(words, i)
        if found:
            return found
        if words[i].text == "chua" and (i + 1 == len(words) or words[i + 1].text == "|"):
            return K_NOT_DONE, i + 1, False  # "việc B chưa": not yet
    paused = _first(words, i, _PAUSED)
    if paused:
        return K_PAUSED, i + len(paused), True
    working = _first(words, i, _WORKING)
    if working and working != ("dang",):
        return K_WORKING, i + len(working), working in _PLAIN_WORKING
    return _completion(words, i)


def _match(words: list[_Word], i: int) -> Match | None:
    """The phrase at ``i``, taking "đã"/"đang" before it into the phrase."""
    head = words[i].text
    if head == "dang" and i + 1 == len(words):
        return K_WORKING, i + 1, False
    if head not in ("da", "dang") or i + 1 >= len(words):
        return _core(words, i)
    working = _first(words, i, _WORKING)
    if working and len(working) > 1:
        return K_WORKING, i + len(working), working in _PLAIN_WORKING
    inner = _core(words, i + 1)
    if inner is not None:
        kind, end, plain = inner
        if head == "dang" and kind in (K_DONE, K_NOT_DONE):
            return K_WORKING, end, False
        return kind, end, plain
    if head == "dang":
        return None if words[i + 1].text == "|" else (K_WORKING, i + 1, False)
    step = _first(words, i + 1, _MILESTONES)
    return (K_MILESTONE, i + 1 + len(step), False) if step else None


def read_phrases(text: str) -> list[Phrase]:
    """All status phrases in ``text``, in order, with their character spans.

    Example:
        >>> [p.kind for p in read_phrases("60% chưa xong phần thẩm định")]
        ['not_done']
        >>> [p.kind for p in read_phrases("đã ban hành KH, xong r")]
        ['milestone', 'done']

    """
    words = _words(text)
    found: list[Phrase] = []
    i = 0
    while i < len(words):
        match = _match(words, i)
        if match is None:
            i += 1
            continue
        kind, end, plain = match
        found.append(Phrase(kind, words[i].start, words[end - 1].end, plain))
        i = end
    return found


def decide_status(kinds: set[str], percent: float | None) -> str:
    """One status from the phrase kinds found and the percent (None: none given).

    Rules, in order: a pause wins; "not started" holds unless work is reported
    (a completion or working word, a milestone, a percent above 0); a completion
    word is done unless negated, contradicted by work under way, or given with a
    percent below 100; 100% is done unless contradicted; 0% is not started
    unless work is reported; any other phrase or percent is in progress.

    Example:
        >>> decide_status({"not_done"}, None), decide_status(set(), 50.0)
        ('đang thực hiện', 'đang thực hiện')
        >>> decide_status({"done", "milestone"}, None), decide_status(set(), 0.0)
        ('hoàn thành', 'chưa thực hiện')

    """
    strong = kinds & {K_NOT_DONE, K_WORKING}
    if K_PAUSED in kinds:
        return PAUSED
    if K_NOT_STARTED in kinds and not kinds & {K_DONE, K_WORKING, K_MILESTONE} and not percent:
        return NOT_STARTED
    clean_done = not strong and K_NOT_STARTED not in kinds
    if clean_done and (percent == 100 or (K_DONE in kinds and percent is None)):
        return DONE
    if percent == 0 and not kinds & {K_WORKING, K_MILESTONE}:
        return NOT_STARTED
    if kinds or percent is not None:
        return IN_PROGRESS
    return ""
