"""Questions about another province: refused, since the bot answers from this programme only."""

from __future__ import annotations

from knowledge.qa.answer import Answer
from knowledge.qa.index import SearchIndex
from knowledge.qa.lexicon import expand
from knowledge.qa.query import ParsedQuery, other_place
from knowledge.render import Markup
from knowledge.text import bigrams, clean, fold

__all__ = ["Elsewhere"]


class Elsewhere:
    """Refuses a question that names a province the programme does not."""

    def __init__(self, title: str, index: SearchIndex) -> None:
        """Keep the programme's title and the index whose word pairs tell its own names."""
        self.title = title
        self.index = index

    def names_other_place(self, text: str) -> bool:
        """Whether ``text`` names a province the programme does not (before any parsing)."""
        return bool(other_place(expand(fold(clean(text)[:1000])), self._known_phrase))

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """The refusal when ``q`` names another province, or None."""
        place = q.mentions_other_place(self._known_phrase)
        if not place:
            return None
        text = m.text(
            f"{self.title} không có nội dung về {place}. Mình chỉ trả lời theo chương trình này."
        )
        return Answer(q.raw, q.intent, False, text)

    def _known_phrase(self, folded: str) -> bool:
        """Whether every adjacent pair of a folded phrase occurs in the programme."""
        return all(pair in self.index.pairs for pair in bigrams(folded.split()))
