"""The typo stage: misspelt syllables corrected before a question is understood.

Unknown syllables first ("bao nhiu" → "bao nhieu", by the programme's word pairs), then
topic syllables against the index's vocabulary ("chi tiu" → "chi tieu"); the words of the
intent phrases and fillers are never changed ("nao" stays "nao").
"""

from __future__ import annotations

from knowledge.qa.index import SearchIndex

__all__ = ["TypoCorrector"]


class TypoCorrector:
    """Corrects folded syllables with a :class:`knowledge.qa.index.SearchIndex`."""

    def __init__(self, index: SearchIndex, keep: frozenset[str]) -> None:
        """Keep the index and the words never to change.

        Args:
            index: The programme's index (its vocabulary and word pairs).
            keep: Intent and filler words.

        """
        self.index = index
        self.keep = keep

    def __call__(self, words: list[str]) -> list[str]:
        """The corrected syllables, one for each of ``words``."""
        first = self.index.correct_unknown(words)
        fixed, _ = self.index.correct(first)
        return [w if w in self.keep else f for w, f in zip(first, fixed, strict=True)]
