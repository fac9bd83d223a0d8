"""Topics of targets: the words by which a sector's targets are recognised.

"Chỉ tiêu về y tế" asks for the doctors, hospital beds, child malnutrition and health
insurance targets, though only one of them says "y tế". Each topic lists folded phrases; a
target belongs to the topic when its name, subject or area holds one of them. This is a
lexicon of Vietnamese sector vocabulary, not of any one document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.programme.model import Indicator
from knowledge.text import fold

__all__ = ["TOPICS", "asks_topic", "topic_of", "topic_targets"]

# Topic name (folded) → phrases its targets use (folded).
TOPICS: dict[str, tuple[str, ...]] = {
    "y te": ("y te", "bac si", "giuong benh", "suy dinh duong", "benh vien"),
    "giao duc": ("giao duc", "truong cong lap", "chuan quoc gia", "hoc sinh", "qua dao tao"),
    "dao tao": ("dao tao", "bang cap", "chung chi"),
    "lao dong": ("lao dong", "viec lam", "that nghiep"),
    "viec lam": ("viec lam", "that nghiep", "lao dong"),
    "moi truong": ("area:moi truong",),
    "nong thon moi": ("nong thon moi", "khong con xa"),
    "giam ngheo": ("ngheo",),
    "ho ngheo": ("ngheo",),
    "bao hiem": ("bao hiem",),
    "co cau kinh te": ("co cau", "ty trong", "cong nghiep, xay dung", "nong, lam"),
    "von dau tu": ("von dau tu", "tang binh quan hang nam"),
    "tang truong": ("tang truong", "nang suat", "tfp"),
    "xay dung dang": ("area:xay dung dang",),
    "kinh te": ("area:kinh te",),
    "dan so": ("dan so",),
    "do thi": ("do thi",),
}
_SHAPE = re.compile(
    r"\b(?:cac|nhung|may|liet ke|gom nhung|bao gom|cu the|ra sao|the nao|nhu the nao|ntn|"
    r"la gi|moi nganh|toan bo|tat ca|chu yeu|chi tieu ve|muc tieu ve|va|voi|vs)\b"
)
_TARGET = re.compile(r"\b(?:chi tieu|muc tieu|ty trong|chiem)\b")


def topic_of(folded: str) -> str:
    """The longest topic name the folded question holds, or ""."""
    hay = f" {folded} "
    found = [t for t in TOPICS if f" {t} " in hay]
    return max(found, key=len) if found else ""


def asks_topic(folded: str) -> str:
    """The topic when the question asks for a topic's targets together, else ""."""
    if not _TARGET.search(folded):
        return ""
    topic = topic_of(folded)
    rest = f" {folded} ".replace(f" {topic} ", " ") if topic else ""
    several = bool(topic_of(rest))
    return topic if topic and (several or _SHAPE.search(folded)) else ""


def topic_targets(indicators: Iterable[Indicator], topic: str) -> list[Indicator]:
    """The targets of a topic, in document order."""
    phrases = TOPICS[topic]

    def holds(i: Indicator, phrase: str) -> bool:
        if phrase.startswith("area:"):
            return phrase[5:] in fold(i.area)
        return f" {phrase} " in f" {fold(i.name)} {fold(i.subject)} "

    return [i for i in indicators if any(holds(i, p) for p in phrases)]
