"""What the engine returns: :class:`Answer` and the :class:`Result` records it used."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from knowledge.qa.conversation import Context

__all__ = ["Answer", "Result"]


@dataclass(frozen=True)
class Result:
    """A record that answers (or nearly answers) a question.

    Attributes:
        kind: ``task``, ``indicator``, ``responsibility``, ``passage`` or ``agency``.
        id: Its key within the kind (task code, indicator id, ...).
        score: Confidence, 0..1.
        title: A short title for lists and buttons.

    """

    kind: str
    id: str
    score: float
    title: str


@dataclass
class Answer:
    """What the engine says.

    Attributes:
        query: The question as received.
        intent: The intent it was answered as.
        found: Whether the programme answers it.
        text: The rendered answer.
        results: The records used, best first.
        alternatives: Other records that matched about equally, for
            disambiguation buttons.
        context: What a follow-up question would be about (see
            :mod:`knowledge.qa.conversation`); None when the answer found nothing.

    """

    query: str
    intent: str
    found: bool
    text: str
    results: list[Result] = field(default_factory=list)
    alternatives: list[Result] = field(default_factory=list)
    context: Context | None = None

    def to_json(self) -> dict[str, object]:
        """The ``ctbot ask --json`` object."""
        return {
            "query": self.query,
            "intent": self.intent,
            "found": self.found,
            "answer": self.text,
            "results": [asdict(r) for r in self.results],
        }
