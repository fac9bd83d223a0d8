"""Topics of targets: the words by which a sector's targets are recognised.

"Chỉ tiêu về y tế" asks for the doctors, hospital beds, child malnutrition and health
insurance targets, though only one of them says "y tế". Each topic lists folded phrases; a
target belongs to the topic when its name, subject or area holds one of them. This is a
lexicon of Vietnamese sector vocabulary, not of any one document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from knowledge.programme.model import Indicator
from knowledge.text import fold

__all__ = ["TOPICS", "asks_topic", "asks_topics", "topic_of", "topic_targets", "topics_in"]

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
    "ngan sach": ("ngan sach",),
    "xuat khau": ("xuat khau",),
    "chat thai": ("chat thai", "nuoc thai", "rac thai"),
}
# Other names a question gives a topic by (folded): "chất thải y tế" is waste, not health.
_ALIASES: dict[str, str] = {
    "chat thai y te": "chat thai",
    "chat thai ran": "chat thai",
    "nuoc thai": "chat thai",
    "rac thai": "chat thai",
    "thu ngan sach": "ngan sach",
    "kim ngach xuat khau": "xuat khau",
    "that nghiep": "viec lam",
    "truong chuan quoc gia": "giao duc",
    "truong dat chuan": "giao duc",
    "chat luong lao dong": "dao tao",
    "lao dong qua dao tao": "dao tao",
    "to chuc co so dang": "xay dung dang",
    "dang vien": "xay dung dang",
    # Names that hold a topic's name but are another thing ("" = no topic).
    "kinh te tu nhan": "",
}
_NAMES = sorted([*TOPICS, *_ALIASES], key=len, reverse=True)
_SHAPE = re.compile(
    r"\b(?:cac|nhung|may|liet ke|gom nhung|bao gom|cu the|ra sao|the nao|nhu the nao|ntn|"
    r"la gi|moi nganh|toan bo|tat ca|chu yeu|chi tieu ve|muc tieu ve|va|voi|vs)\b"
)
_TARGET = re.compile(r"\b(?:chi tieu|muc tieu|ty trong|chiem)\b")


def topics_in(folded: str) -> tuple[str, ...]:
    """The topics the folded question names, in its order; the longest name wins a place."""
    hay = f" {folded} "
    found: list[tuple[int, str]] = []
    for name in _NAMES:
        at = hay.find(f" {name} ")
        if at < 0:
            continue
        found.append((at, _ALIASES.get(name, name)))
        hay = hay[:at] + " " + "#" * len(name) + " " + hay[at + len(name) + 2 :]
    return tuple(dict.fromkeys(t for _, t in sorted(found) if t))


def topic_of(folded: str) -> str:
    """The first topic the folded question names, or ""."""
    return next(iter(topics_in(folded)), "")


def asks_topics(folded: str) -> tuple[str, ...]:
    """The topics whose targets the question asks for together, or ()."""
    if not _TARGET.search(folded):
        return ()
    topics = topics_in(folded)
    return topics if len(topics) > 1 or (topics and _SHAPE.search(folded)) else ()


def asks_topic(folded: str) -> str:
    """The first of :func:`asks_topics`, or ""."""
    return next(iter(asks_topics(folded)), "")


def topic_targets(indicators: Iterable[Indicator], topic: str | Iterable[str]) -> list[Indicator]:
    """The targets of a topic (or of several), in document order."""
    names = [topic] if isinstance(topic, str) else list(topic)
    phrases = [p for name in names for p in TOPICS[name]]
    areas = [p[5:] for p in phrases if p.startswith("area:")]
    words = [f" {p} " for p in phrases if not p.startswith("area:")]

    def holds(i: Indicator) -> bool:
        text, area = _haystack(i.name, i.subject, i.area)
        return any(a in area for a in areas) or any(w in text for w in words)

    return [i for i in indicators if holds(i)]


@lru_cache(maxsize=4096)
def _haystack(name: str, subject: str, area: str) -> tuple[str, str]:
    """A target's folded name and subject (padded with spaces), and its folded area."""
    return f" {fold(name)} {fold(subject)} ", fold(area)
