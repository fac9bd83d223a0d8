"""In-memory scoring of programme entries against a folded query.

Each entry has a few weighted fields (a task's content, an indicator's name
and sentence ...). A query is scored against a field by how much of its
*information* the field covers: each syllable weighs its inverse document
frequency, so generic words ("đề án", "xây dựng", "tỉnh") count for little
without being deleted, and adjacent syllable pairs (bigrams) reward the right
word order in place of a word segmenter, which would need diacritics.

Typos are corrected against the corpus vocabulary with rapidfuzz before
scoring: an unknown syllable becomes its nearest known one, and a known
syllable that forms no known pair with its neighbours ("nong thong moi") is
swapped for a neighbour that does ("thon").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from math import fsum

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.text import bigrams

__all__ = ["Entry", "Field", "Hit", "SearchIndex"]


@dataclass(frozen=True)
class Field:
    """A searchable part of an entry.

    Attributes:
        weight: How much a full match on this field is worth (≤ 1).
        words: Its folded, expanded syllables.

    """

    weight: float
    words: tuple[str, ...]
    unigrams: frozenset[str] = field(init=False)
    pairs: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unigrams", frozenset(self.words))
        object.__setattr__(self, "pairs", frozenset(bigrams(list(self.words))))


@dataclass(frozen=True)
class Entry:
    """Something the engine can answer with.

    Attributes:
        kind: ``"task"``, ``"indicator"``, ``"responsibility"`` or ``"passage"``.
        key: Its identifier within the kind (task code, indicator id ...).
        fields: Its weighted fields; the first is its title.

    """

    kind: str
    key: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Hit:
    """A scored entry.

    Attributes:
        entry: The entry.
        score: Coverage of the query by the entry's best field, 0..1.
        matched: Query syllables found in the entry.

    """

    entry: Entry
    score: float
    matched: frozenset[str]


# Onsets Vietnamese speakers confuse when spelling (by dialect): a typo may
# swap these, but rarely turns one onset into an unrelated one ("xăng" is not
# a misspelt "tăng").
_ONSET_GROUPS = [
    {"s", "x"},
    {"ch", "tr"},
    {"d", "gi", "r", "v"},
    {"n", "l"},
    {"c", "k", "q"},
    {"g", "gh"},
    {"ng", "ngh"},
    {"h", "kh"},
    {"ph", "f"},
]
_ONSET = ("ngh", "ng", "gh", "gi", "kh", "ph", "th", "tr", "ch", "nh", "qu")


def _onset(word: str) -> str:
    for o in _ONSET:
        if word.startswith(o):
            return o
    return word[:1] if word[:1] not in "aeiouy" else ""


def _same_onset(a: str, b: str) -> bool:
    oa, ob = _onset(a), _onset(b)
    return oa == ob or any(oa in g and ob in g for g in _ONSET_GROUPS)


class SearchIndex:
    """Scores entries by weighted syllable and bigram coverage of the query."""

    def __init__(
        self,
        entries: Iterable[Entry],
        extra_words: Iterable[str] = (),
        extra_pairs: Iterable[str] = (),
    ) -> None:
        """Build the vocabulary and document frequencies of ``entries``.

        Args:
            entries: Every entry to search.
            extra_words: Words that are spelt right though no entry holds
                them (question words); typos may be corrected towards them.
            extra_pairs: Word pairs of the question phrases ("bao nhieu").

        """
        self.entries = list(entries)
        self.extra_words = frozenset(extra_words)
        self.extra_pairs = frozenset(extra_pairs)
        df: Counter[str] = Counter()
        pair_df: Counter[str] = Counter()
        for entry in self.entries:
            words: set[str] = set()
            pairs: set[str] = set()
            for f in entry.fields:
                words |= f.unigrams
                pairs |= f.pairs
            df.update(words)
            pair_df.update(pairs)
        n = max(len(self.entries), 1)
        self.df = df
        self.pairs = pair_df
        self.vocabulary = sorted(df)
        self._all_words = sorted(set(df) | self.extra_words)
        self._idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self._max_idf = math.log((n + 1) / 0.5)
        # Inverted index (syllable → entries) and each field's total weight,
        # so a query touches only the entries that share a syllable with it.
        self._postings: dict[str, set[int]] = {}
        self._field_idf: list[tuple[float, ...]] = []
        for i, entry in enumerate(self.entries):
            for f in entry.fields:
                for w in f.unigrams:
                    self._postings.setdefault(w, set()).add(i)
            self._field_idf.append(
                tuple(sum(self._idf[w] for w in f.unigrams) or 1.0 for f in entry.fields)
            )

    def idf(self, word: str) -> float:
        """Inverse document frequency of a syllable; unknown syllables weigh the most."""
        return self._idf.get(word, self._max_idf)

    def known(self, word: str) -> bool:
        """Whether the syllable occurs in any entry."""
        return word in self.df

    # -- typo correction -------------------------------------------------

    def _unknown_fix(self, words: Sequence[str], i: int) -> str:
        word = words[i]
        if word in self.df or word in self.extra_words or len(word) < 4:
            return word
        if any(ch.isdigit() for ch in word):
            return word
        options = self._one_edit(word)
        if not options:
            return word

        def known(pair: str) -> bool:
            return pair in self.pairs or pair in self.extra_pairs

        def pairs(c: str) -> int:
            left = f"{words[i - 1]} {c}" if i else ""
            right = f"{c} {words[i + 1]}" if i + 1 < len(words) else ""
            return known(left) + known(right)

        return max(options, key=lambda c: (pairs(c), self.df.get(c, 0)))

    @lru_cache(maxsize=16384)  # noqa: B019 - the index lives as long as the process
    def _one_edit(self, word: str) -> tuple[str, ...]:
        """Corpus words one edit away from ``word`` with the same onset (typo candidates)."""
        found = process.extract(
            word, self._all_words, scorer=Levenshtein.distance, score_cutoff=1, limit=20
        )
        return tuple(str(w) for w, _, _ in found if _same_onset(word, str(w)))

    def correct_unknown(self, words: Sequence[str]) -> list[str]:
        """Fix words known neither to the corpus nor to the question vocabulary.

        Runs before intents are detected, so "bao nhiu" reads as "bao nhieu".
        Only one edit, only words of four letters or more, never across
        unrelated onsets.

        Args:
            words: Folded words of the question.

        Returns:
            The words, misspellings replaced.

        """
        return [self._unknown_fix(words, i) for i in range(len(words))]

    @lru_cache(maxsize=16384)  # noqa: B019 - the index lives as long as the process
    def neighbours(self, word: str) -> tuple[str, ...]:
        """Known syllables one edit away (two for long ones), most frequent first."""
        if len(word) < 2 or word.isdigit():
            return ()
        if len(word) == 2:
            # Too short for edit distance; only a dialect onset swap ("xo" → "so").
            return tuple(
                w
                for w in self.vocabulary
                if len(w) == 2 and w[1] == word[1] and w != word and _same_onset(word, w)
            )
        limit = 2 if len(word) >= 7 else 1
        found = process.extract(
            word,
            self.vocabulary,
            scorer=Levenshtein.distance,
            score_cutoff=limit,
            limit=12,
        )
        ranked = sorted(
            (w for w, d, _ in found if w != word and not w.isdigit() and _same_onset(word, w)),
            key=lambda w: (Levenshtein.distance(word, w), -self.df[w]),
        )
        return tuple(ranked)

    def correct(self, words: Sequence[str]) -> tuple[list[str], list[str]]:
        """Correct typos in folded query syllables.

        Args:
            words: The query's syllables.

        Returns:
            ``(corrected, changed)``: the corrected syllables, and the
            original syllables that were changed.

        """
        out = list(words)
        changed: list[str] = []

        def pair_score(i: int, w: str) -> int:
            score = 0
            if i > 0 and f"{out[i - 1]} {w}" in self.pairs:
                score += 1
            if i + 1 < len(out) and f"{w} {out[i + 1]}" in self.pairs:
                score += 1
            return score

        for i, w in enumerate(out):
            if w.isdigit() or any(ch.isdigit() for ch in w):
                continue
            if not self.known(w):
                options = self.neighbours(w)
                if options:
                    best = max(options, key=lambda c: (pair_score(i, c), self.df[c]))
                    out[i] = best
                    changed.append(w)
        # Real-word errors: a known syllable that pairs with neither neighbour.
        for i, w in enumerate(out):
            if len(out) < 2 or not self.known(w) or pair_score(i, w) > 0:
                continue
            paired = [c for c in self.neighbours(w) if pair_score(i, c) > 0]
            if paired:
                best = max(paired, key=lambda c: (pair_score(i, c), self.df[c]))
                # Only when the neighbour pairs on both sides, or the word is rare.
                if pair_score(i, best) >= 2 or self.df[w] <= 2:
                    changed.append(w)
                    out[i] = best
        return out, changed

    # -- scoring ----------------------------------------------------------

    def score(
        self,
        words: Sequence[str],
        kinds: set[str] | None = None,
        penalised: Iterable[str] = (),
    ) -> list[Hit]:
        """Score every entry (of ``kinds``) against the query syllables.

        Args:
            words: Corrected, folded query syllables (intent words removed).
            kinds: Restrict to these entry kinds; all when None.
            penalised: Syllables that came from typo correction; they count
                for less.

        Returns:
            Hits with a positive score, best first.

        """
        if not words:
            return []
        soft = set(penalised)
        full = {w: self.idf(w) for w in words}
        # A corrected syllable is a guess: it counts for less when matched,
        # but the question still needs covering in full.
        weights = {w: full[w] * (0.6 if w in soft else 1.0) for w in words}
        total = sum(full.values())
        qpairs = bigrams(list(words))
        pair_w = {p: (weights[a] + weights[b]) / 2 for p in qpairs for a, b in [p.split(" ", 1)]}
        pair_total = sum((full[a] + full[b]) / 2 for p in qpairs for a, b in [p.split(" ", 1)])
        # Only entries holding at least one query syllable can score.
        candidates: set[int] = set()
        for w in weights:
            candidates |= self._postings.get(w, set())
        hits: list[Hit] = []
        asked, asked_pairs = frozenset(weights), frozenset(pair_w)
        for n in sorted(candidates):
            entry = self.entries[n]
            if kinds is not None and entry.kind not in kinds:
                continue
            best = 0.0
            matched: set[str] = set()
            for f, own in zip(entry.fields, self._field_idf[n], strict=True):
                got = f.unigrams & asked  # set operations: the hot loop of every question
                if not got:
                    continue
                # fsum: exact, so the score does not depend on the sets' iteration order.
                uni = fsum(weights[w] for w in got) / total
                if pair_total:
                    bi = fsum(pair_w[p] for p in f.pairs & asked_pairs) / pair_total
                    cov = 0.6 * uni + 0.4 * bi
                else:
                    cov = uni
                # Precision: a short title mostly made of the query beats a
                # long paragraph that merely contains it.
                precision = fsum(full[w] for w in got) / own
                s = f.weight * cov * (0.9 + 0.1 * precision)
                if s > best:
                    best = s
                matched.update(got)
            if best > 0:
                hits.append(Hit(entry, best, frozenset(matched)))
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits
