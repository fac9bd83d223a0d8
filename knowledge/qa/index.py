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

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.qa.postings import Gathered, Postings, term_sums
from knowledge.text import bigrams

__all__ = [
    "GUESS_WEIGHT",
    "PAIR_SHARE",
    "PRECISION_BASE",
    "PRECISION_SHARE",
    "UNIGRAM_SHARE",
    "Entry",
    "Field",
    "Hit",
    "QueryWeights",
    "SearchIndex",
]

# How a field scores (the thresholds applied to scores are knowledge.qa.retrieve.RANKING):
# score = weight × coverage × (PRECISION_BASE + PRECISION_SHARE × precision), where
# coverage = UNIGRAM_SHARE × syllables covered + PAIR_SHARE × pairs covered (each weighed
# by idf, as a share of the query's), precision = the field's idf share the query covers.
GUESS_WEIGHT = 0.6  # a syllable typo correction produced counts this much when matched
UNIGRAM_SHARE = 0.6
PAIR_SHARE = 0.4
PRECISION_BASE = 0.9
PRECISION_SHARE = 0.1


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


class Hit:
    """A scored entry (slots: searches make hundreds of them per question).

    Attributes:
        entry: The entry.
        score: Coverage of the query by the entry's best field, 0..1.
        matched: Query syllables found in the entry; given, or worked out the first time it is
            read from the entry's syllables and the query's (most hits are never read).

    """

    __slots__ = ("_asked", "_held", "_matched", "entry", "score")

    def __init__(
        self,
        entry: Entry,
        score: float,
        matched: frozenset[str] | None = None,
        *,
        held: frozenset[str] = frozenset(),
        asked: frozenset[str] = frozenset(),
    ) -> None:
        """A hit; ``matched``, or the entry's syllables ``held`` and the query's ``asked``."""
        self.entry = entry
        self.score = score
        self._matched = matched
        self._held = held
        self._asked = asked

    @property
    def matched(self) -> frozenset[str]:
        """Query syllables found in the entry."""
        if self._matched is None:
            self._matched = self._held & self._asked
        return self._matched

    def __eq__(self, other: object) -> bool:
        """Hits are equal when their entry, score and matched syllables are."""
        if not isinstance(other, Hit):
            return NotImplemented
        return (self.entry, self.score, self.matched) == (other.entry, other.score, other.matched)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """As a named tuple would show it."""
        return f"Hit(entry={self.entry!r}, score={self.score!r}, matched={self.matched!r})"


@dataclass(frozen=True)
class QueryWeights:
    """What each syllable and syllable pair of a query is worth.

    Attributes:
        words: Its distinct syllables, in order.
        weights: Each one's idf when a field holds it (less for a guessed syllable).
        full: Each one's idf.
        total: The sum of ``full``: a field holding every syllable covers all of it.
        pairs: Its distinct adjacent pairs, in order.
        pair_weights: Each pair's worth: the mean of its syllables' ``weights``.
        pair_total: What every pair (repeats included) is worth in full.

    """

    words: tuple[str, ...]
    weights: tuple[float, ...]
    full: tuple[float, ...]
    total: float
    pairs: tuple[str, ...]
    pair_weights: tuple[float, ...]
    pair_total: float

    @classmethod
    def of(
        cls, words: Sequence[str], penalised: Iterable[str], idf: Callable[[str], float]
    ) -> QueryWeights:
        """Weigh the query syllables ``words``; ``penalised`` ones came from typo correction."""
        soft = set(penalised)
        full = {w: idf(w) for w in words}
        # A corrected syllable is a guess: it counts for less when matched,
        # but the question still needs covering in full.
        weights = {w: full[w] * (GUESS_WEIGHT if w in soft else 1.0) for w in words}
        qpairs = bigrams(list(words))
        pair_w = {p: (weights[a] + weights[b]) / 2 for p in qpairs for a, b in [p.split(" ", 1)]}
        pair_total = sum((full[a] + full[b]) / 2 for p in qpairs for a, b in [p.split(" ", 1)])
        return cls(
            words=tuple(full),
            weights=tuple(weights.values()),
            full=tuple(full.values()),
            total=sum(full.values()),
            pairs=tuple(pair_w),
            pair_weights=tuple(pair_w.values()),
            pair_total=pair_total,
        )


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


_DIGIT = re.compile(r"\d")


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
        self._build_postings()

    def _build_postings(self) -> None:
        """Number every field (entry by entry) and index its syllables and pairs.

        A query then touches only the postings of its own syllables and scores every
        field at once (see :meth:`score`).
        """
        fields = [f for entry in self.entries for f in entry.fields]
        self._words = Postings([f.unigrams for f in fields])
        self._pairs = Postings([f.pairs for f in fields])
        self._weight = np.array([f.weight for f in fields], dtype=np.float64)
        # Each field's total idf, the denominator of its precision.
        self._own = np.array(
            [sum(self._idf[w] for w in f.unigrams) or 1.0 for f in fields], dtype=np.float64
        )
        # The entries that have fields, and where their fields start (an entry's are
        # contiguous), for each entry's best field; and each one's syllables, for its matches.
        scored = [i for i, entry in enumerate(self.entries) if entry.fields]
        self._scored_entries = np.empty(len(scored), dtype=object)
        self._scored_entries[:] = [self.entries[i] for i in scored]
        self._first_field = np.cumsum(
            [0, *(len(self.entries[i].fields) for i in scored[:-1])], dtype=np.intp
        )
        # Each scored entry's syllables (all its fields'), for the query syllables it holds.
        self._entry_words = [
            frozenset().union(*(f.unigrams for f in self.entries[i].fields)) for i in scored
        ]
        self._of_kind = {
            kind: np.array([self.entries[i].kind == kind for i in scored], dtype=np.bool_)
            for kind in {entry.kind for entry in self.entries}
        }

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
        if _DIGIT.search(word):
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
            if _DIGIT.search(w):
                continue
            if not self.known(w):
                options = self.neighbours(w)
                if options:
                    best = max(options, key=lambda c: (pair_score(i, c), self.df[c]))
                    out[i] = best
                    changed.append(w)
        # Real-word errors: a known syllable that pairs with neither neighbour.
        last = len(out) - 1
        joined = [f"{a} {b}" in self.pairs for a, b in itertools.pairwise(out)]  # i with i + 1
        for i, w in enumerate(out if last > 0 else ()):
            if not self.known(w) or (i > 0 and joined[i - 1]) or (i < last and joined[i]):
                continue
            paired = [c for c in self.neighbours(w) if pair_score(i, c) > 0]
            if paired:
                best = max(paired, key=lambda c: (pair_score(i, c), self.df[c]))
                # Only when the neighbour pairs on both sides, or the word is rare.
                if pair_score(i, best) >= 2 or self.df[w] <= 2:
                    changed.append(w)
                    out[i] = best
                    joined[max(i - 1, 0) : i + 1] = [
                        f"{a} {b}" in self.pairs
                        for a, b in itertools.pairwise(out[max(i - 1, 0) : i + 2])
                    ]
        return out, changed

    # -- scoring ----------------------------------------------------------

    def score(
        self,
        words: Sequence[str],
        kinds: set[str] | None = None,
        penalised: Iterable[str] = (),
        limit: int | None = None,
    ) -> list[Hit]:
        """Score every entry (of ``kinds``) against the query syllables.

        An entry scores by its best field; see the constants above for how a field scores.
        Term at a time: the postings of the query's syllables and pairs are added up for
        every field at once (:func:`knowledge.qa.postings.term_sums`), so the cost
        grows with the postings of the query's own words, not with every entry's fields.

        Args:
            words: Corrected, folded query syllables (intent words removed).
            kinds: Restrict to these entry kinds; all when None.
            penalised: Syllables that came from typo correction; they count
                for less.
            limit: Return only this many best hits (the first of the full list).

        Returns:
            Hits with a positive score, best first (ties in index order).

        """
        if not words:
            return []
        scored = self._best(tuple(words), frozenset(penalised))
        if scored is None:
            return []
        q, best = scored
        keep = best > 0
        if kinds is not None:
            keep &= self._kinds_mask(kinds)
        chosen = np.flatnonzero(keep)
        chosen = chosen[np.argsort(-best[chosen], kind="stable")][:limit]
        entries: list[Entry] = self._scored_entries[chosen].tolist()
        asked, held = frozenset(q.words), self._entry_words
        scores = best[chosen].tolist()
        return [
            Hit(e, sc, held=held[i], asked=asked)
            for e, sc, i in zip(entries, scores, chosen.tolist(), strict=True)
        ]

    @lru_cache(maxsize=16)  # noqa: B019 - the index lives as long as the process
    def _best(
        self, words: tuple[str, ...], penalised: frozenset[str]
    ) -> tuple[QueryWeights, npt.NDArray[np.float64]] | None:
        """The query's weights and every scored entry's best field score.

        None when no entry holds a query syllable. Kept for the last few queries: one question
        scores its topic for all kinds, for tasks alone and for passages alone, and these
        differ only in which entries they keep.
        """
        q = QueryWeights.of(words, penalised, self.idf)
        held = self._words.gather(q.words)
        if held.items.size == 0:
            return None
        best = np.maximum.reduceat(self._field_scores(q, held), self._first_field)
        best.flags.writeable = False
        return q, best

    def postings_read(self, words: Sequence[str]) -> tuple[int, int]:
        """How many syllable and pair postings :meth:`score` reads for ``words`` (its work)."""
        q = QueryWeights.of(words, (), self.idf)
        syllables = self._words.gather(q.words).items.size
        return int(syllables), int(self._pairs.gather(q.pairs).items.size)

    def _field_scores(self, q: QueryWeights, held: Gathered) -> npt.NDArray[np.float64]:
        """The score of every field; ``held`` are the postings of the query's syllables."""
        got = term_sums(held, q.weights)
        got_full = got if q.weights == q.full else term_sums(held, q.full)
        uni = got / q.total
        if q.pair_total:
            bi = term_sums(self._pairs.gather(q.pairs), q.pair_weights) / q.pair_total
            cov = UNIGRAM_SHARE * uni + PAIR_SHARE * bi
        else:
            cov = uni
        # Precision: a short title mostly made of the query beats a
        # long paragraph that merely contains it.
        precision = got_full / self._own
        scores: npt.NDArray[np.float64] = (
            self._weight * cov * (PRECISION_BASE + PRECISION_SHARE * precision)
        )
        return scores

    def _kinds_mask(self, kinds: set[str]) -> npt.NDArray[np.bool_]:
        """Which scored entries are of ``kinds``."""
        mask = np.zeros(len(self._scored_entries), dtype=np.bool_)
        for kind in kinds:
            if kind in self._of_kind:
                mask |= self._of_kind[kind]
        return mask
