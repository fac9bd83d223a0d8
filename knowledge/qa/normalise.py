"""Normalise a message before it is understood.

Three things phones and people do to a question:

- Telex typed with the Vietnamese keyboard off ("tyr leej" for "tỷ lệ"): decoded to the folded
  syllables when a line carries enough keystroke marks to be sure;
- two or three sentences of context before the real question: reduced to the question;
- two questions in one message: split into parts, answered one after the other.
"""

from __future__ import annotations

import re

from knowledge.text import fold

__all__ = [
    "conjunction_split",
    "count_split",
    "decode_telex",
    "is_telex",
    "joined_in",
    "question_sentences",
    "split_parts",
]

# A Vietnamese syllable never ends in these letters: in Telex they are the tone keys.
_TONE_KEYS = "sfrxj"
_VOWELS = "aeiouy"
# Keystroke pairs that only Telex produces, and what they fold to.
_PAIRS = (
    *(("dd", "d"), ("uwow", "uo"), ("uow", "uo"), ("aw", "a"), ("ow", "o"), ("uw", "u")),
    *(("aa", "a"), ("ee", "e"), ("oo", "o"), ("w", "u")),
)
_WORD = re.compile(r"[A-Za-z]+")
# Telex marks: a doubled vowel or d, a w after a vowel, a tone key after a vowel at the end.
_MARK = re.compile(r"dd|aa|ee|oo|[aou]w|[aeiouy][a-z]*[sfrxj]$")
_VALID = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdghklmnpqrstvx])?"
    r"[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)


def _decode_word(word: str) -> str:
    low = word.lower()
    if not any(v in low for v in _VOWELS):
        return word
    out = low
    if len(out) > 1 and out[-1] in _TONE_KEYS and any(v in out[:-1] for v in _VOWELS):
        out = out[:-1]
    for key, value in _PAIRS:
        out = out.replace(key, value)
    return out if _VALID.match(out) else word


def is_telex(line: str) -> bool:
    """Whether a line looks typed in Telex with the Vietnamese keyboard off.

    Args:
        line: One line of a message.

    Returns:
        True when it has no Vietnamese letters and at least two words, and a quarter of its
        words, carry keystroke marks that a plain Vietnamese word cannot have.

    """
    if not line.isascii():
        return False
    words = _WORD.findall(line)
    marked = [w for w in words if _MARK.search(w.lower()) and _decode_word(w) != w]
    return len(marked) >= 2 and len(marked) * 4 >= len(words)


def decode_telex(line: str) -> str:
    """Decode a Telex line to folded syllables ("ddeef ans" → "de an"); others are unchanged.

    Args:
        line: One line of a message.

    Returns:
        The decoded line when :func:`is_telex` holds, else ``line``.

    """
    if not is_telex(line):
        return line
    return _WORD.sub(lambda m: _decode_word(m.group(0)), line)


# Sentence ends: ".", "!", "?" or a new line, followed by a space and the next sentence.
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=\S)|\n+")
_QUESTION_WORDS = re.compile(
    r"\b(?:bao nhieu|may|nao|gi|j|ai|khi nao|bao gio|luc nao|the nao|ra sao|nhu the nao|"
    r"dau|chua|khong|ko|k|sao|khong nhi|hay khong|phai khong|dung khong|ntn|bn|la gi|"
    r"cho (?:em|minh|toi|anh|chi) hoi|xin hoi|hoi)\b"
)


def _folded(text: str) -> str:
    from knowledge.text import fold

    return fold(text)


def question_sentences(message: str, *, min_context: int = 2) -> str:
    """Reduce a long message to its question sentences.

    Args:
        message: The whole message.
        min_context: A message needs more sentences than this to be reduced.

    Returns:
        The sentences that ask something (a "?" or a question word), joined; the message
        itself when it is short or no sentence asks anything.

    """
    sentences = [s.strip() for s in _SENTENCE.split(message) if s.strip()]
    if len(sentences) <= min_context:
        return message
    asking = [s for s in sentences if s.endswith("?") or _QUESTION_WORDS.search(_folded(s))]
    if not asking:
        return message
    # The question is at the end; context sentences that merely contain "nào" come first.
    last = [s for s in asking if s.endswith("?")] or asking[-1:]
    first = sentences.index(last[0])
    if first > 0 and _ANAPHOR.search(_folded(last[0])):
        # "Đề án đó tên gì?": the sentence before says which one.
        last = [_antecedent(sentences[first - 1]), *last]
    return " ".join(last)


def _antecedent(sentence: str) -> str:
    """What a context sentence is about: after its last "về" (… tìm căn cứ về X), else all."""
    sentence = _INTRO.sub("", sentence)
    head, sep, tail = sentence.rpartition(" về ")
    return tail if sep and len(tail.split()) >= 2 and head else sentence


# A subject named by reference to the sentence before: "đề án đó", "việc này", "chỉ tiêu ấy".
_ANAPHOR = re.compile(
    r"\b(?:de an|du an|nhiem vu|chi tieu|viec|van de|noi dung|chuong trinh|ke hoach|cai) "
    r"(?:do|nay|ay|tren|kia)\b"
)
# How a context sentence introduces its subject: "Em thấy có", "nghe nói tỉnh có".
_INTRO = re.compile(
    r"^(?:(?:em|minh|toi|chung toi|anh|chi)\s+)?(?:thấy|thay|nghe nói|nghe noi|biết|biet)"
    r"(?:\s+(?:là|la|rằng|rang))?(?:\s+(?:tỉnh|tinh))?(?:\s+(?:có|co))?(?:\s+(?:một|mot))?\s+",
    re.IGNORECASE,
)


_PART = re.compile(r"(?<=\?)\s+(?=\S)")


def split_parts(message: str) -> list[str]:
    """Split a message into its questions, at question marks followed by more text.

    Args:
        message: The (reduced) message.

    Returns:
        One part per question; a single part when there is one question.

    """
    parts = [p.strip() for p in _PART.split(message) if p.strip()]
    parts = [c for p in parts for c in _also_split(p)]
    return [f for p in parts for f in _field_split(p)] or [message]


# ", còn <another subject> …": a second question about another subject, asked as a follow-up.
_ALSO = re.compile(r"\s*[,;]\s*(?=(?:còn|con)\s)", re.IGNORECASE)
# Words after "còn" that make it "still / remaining", not "and as for".
_STILL = re.compile(
    r"^(?:còn|con)\s+(?:bao|mấy|may|lại|lai|không|khong|ko|gì|gi|nhiều|nhieu|ít|it|chưa|chua)\b",
    re.IGNORECASE,
)


def _also_split(part: str) -> list[str]:
    """Split "X ai ban hành, còn Y thì sao" in two questions; the second keeps its "còn"."""
    pieces = _ALSO.split(part)
    if len(pieces) != 2 or len(pieces[0].split()) < 3 or len(pieces[1].split()) < 3:
        return [part]
    if _STILL.match(pieces[1]):
        return [part]
    return [pieces[0].strip(), pieces[1].strip()]


# A second field asked of the same subject: "nv 3.2 ai chủ trì, cơ quan nào ban hành".
_SECOND_FIELD = re.compile(
    r"(?:\s*[,;]|\s+(?:và|va))\s+(?=(?:cq|cơ quan|co quan|đơn vị|don vi|cấp|cap) nào\b|"
    r"(?:cq|cơ quan|co quan) nao\b|ai (?:chủ trì|chu tri|ban hành|ban hanh|chịu|chiu|ký|ky)\b|"
    r"(?:trình|trinh|thực hiện|thuc hien) (?:khi nào|khi nao|lúc nào|luc nao|đến|den|tới|toi)\b|"
    r"(?:khi nào|khi nao|bao giờ|bao gio) (?:trình|trinh)\b|thời gian|thoi gian)",
    re.IGNORECASE,
)
_ASKS_FIELD = re.compile(
    r"\b(?:ai|nào|nao|khi nào|khi nao|bao giờ|bao gio|lúc nào|luc nao)\b", re.IGNORECASE
)


def _field_split(part: str) -> list[str]:
    """One question asking two fields of one subject, as two; the second is a follow-up."""
    found = _SECOND_FIELD.search(part)
    if found is None or not _ASKS_FIELD.search(part[: found.start()]):
        return [part]
    return [part[: found.start()].strip(), part[found.end() :].strip()]


_CONJUNCTION = re.compile(r"(?:,\s*)?\b(?:vs|và|va|với|voi)\b\s+", re.IGNORECASE)
_ASKING = re.compile(
    r"\b(?:ai|cơ quan nào|co quan nao|khi nào|khi nao|bao giờ|bao gio|lúc nào|luc nao|"
    r"bao nhiêu|bao nhieu|bao nhiu|bn|là|la|đạt|dat|chiếm|chiem|trình|trinh|thực hiện|"
    r"thuc hien|năm \d{4}|nam \d{4}|đến \d{4}|den \d{4}|đến năm|den nam|(?:19|20)\d\d$)\b",
    re.IGNORECASE,
)


def conjunction_split(text: str) -> tuple[str, str] | None:
    """Two subjects asked together ("A vs B năm 2025 là bao nhiêu") as two questions.

    Args:
        text: One question sentence.

    Returns:
        ``(A + the shared question, B + the shared question)``, or None when the sentence has
        no conjunction between two subjects.

    """
    found = _split_point(text)
    if found is None:
        return None
    m, ask = found
    left, right = text[: m.start()].strip(), text[m.end() :].strip()
    tail = right[ask.start() :]
    left_ask = _ASKING.search(left)
    left_q = left if left_ask and left_ask.start() > 0 else f"{left} {tail}"
    return left_q, right


def _split_point(text: str) -> tuple[re.Match[str], re.Match[str]] | None:
    """The conjunction :func:`conjunction_split` splits at, and the right side's question."""
    for m in _CONJUNCTION.finditer(text):
        left, right = text[: m.start()].strip(), text[m.end() :].strip()
        if len(left.split()) < 2 or len(right.split()) < 2:
            continue
        ask = _ASKING.search(right)
        if ask is not None and ask.start() > 0:
            return m, ask
    return None


# Words a record may hold between the conjunction and the second subject ("và hệ thống lưu trữ").
_JOINED_GAP = 2


def joined_in(text: str, record: str) -> bool:
    """Whether the conjunction :func:`conjunction_split` would split at is in ``record``.

    "Nghị quyết về hạ tầng truyền tải điện và lưu trữ năng lượng trình khi nào" names one
    record: the answer's record reads "… truyền tải điện và hệ thống lưu trữ năng lượng …".
    The second subject's first (up to three) words are looked for just after the conjunction.
    """
    found = _split_point(text)
    if found is None:
        return False
    m, ask = found
    right = fold(text[m.end() :].strip()[: ask.start()]).split()[:3]
    if len(right) < 2:
        return False
    conjunction, words = fold(m.group().strip(" ,")), fold(record).split()
    subject = f" {' '.join(right)} "
    return any(
        subject in f" {' '.join(words[i + 1 : i + 1 + _JOINED_GAP + len(right)])} "
        for i, w in enumerate(words)
        if w == conjunction
    )


_COUNT_PART = re.compile(r"\b(?:mấy|may|bao nhiêu|bao nhieu|bn)\b", re.IGNORECASE)


def count_split(text: str) -> tuple[str, str] | None:
    """Two counts in one sentence ("phần I có mấy nhiệm vụ, phần II có mấy nhiệm vụ")."""
    left, sep, right = text.partition(",")
    if not sep or not (_COUNT_PART.search(left) and _COUNT_PART.search(right)):
        return None
    return left.strip(), right.strip()
