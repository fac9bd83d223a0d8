"""What the record families share: generic words, topic correction, results and alternatives."""

from __future__ import annotations

from typing import Protocol

from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.index import Hit, SearchIndex
from knowledge.qa.query import ParsedQuery
from knowledge.render import Markup

__all__ = [
    "GENERIC",
    "Family",
    "correct_topic",
    "result_of",
    "specific",
    "with_alternatives",
]

# Words that say "a task/target in general" and no topic.
GENERIC = frozenset(
    [
        "nhiem",
        "vu",
        "de",
        "an",
        "ke",
        "hoach",
        "chuong",
        "trinh",
        "nghi",
        "quyet",
        "viec",
        "cong",
        "phu",
        "luc",
        "chi",
        "tieu",
        "muc",
        "tinh",
        "cac",
        "nhung",
        "linh",
        "vuc",
        "ve",
        "nhom",
        "so",
        "noi",
        "dung",
        "thuc",
        "hien",
        "cua",
        "phai",
        "trong",
        "co",
        "nao",
        "duoc",
        "se",
        "can",
        "da",
        "vao",
        "cho",
        "do",
        "la",
        "thi",
        "ma",
        "nam",
    ]
)


class Family(Protocol):
    """A family of record answers: its answer to a question, or None when it is not one."""

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """The family's answer to ``q``, or None."""
        ...


def specific(topic: list[str]) -> list[str]:
    """The words of a topic that name something (not "nhiệm vụ", "các", "nào")."""
    return [w for w in topic if w not in GENERIC]


def correct_topic(index: SearchIndex, q: ParsedQuery) -> list[str]:
    """Correct the topic's typos in place; the syllables correction produced (guesses)."""
    original = list(q.topic)
    fixed, _ = index.correct(q.topic)
    q.topic = fixed
    return [n for n, o in zip(fixed, original, strict=True) if n != o]


def result_of(hit: Hit, catalog: Catalog) -> Result:
    """A scored hit as an answer's result."""
    kind, key = hit.entry.kind, hit.entry.key
    return Result(kind, key, round(hit.score, 4), catalog.title_of(kind, key))


def with_alternatives(
    q: ParsedQuery,
    intent: str,
    lines: list[str],
    results: list[Result],
    others: list[Hit],
    catalog: Catalog,
    m: Markup,
) -> Answer:
    """The answer's lines, then the other records that matched about as well."""
    alternatives = [result_of(h, catalog) for h in others]
    if alternatives:
        lines.append(m.text("Có thể bạn hỏi về:"))
        lines.extend(m.text(f"• {a.title}") for a in alternatives)
    return Answer(q.raw, intent, True, "\n".join(lines), results + alternatives, alternatives)
