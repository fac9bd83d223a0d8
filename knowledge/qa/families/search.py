"""Everything else: the records that best cover the question's topic, weighed by what it asks."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable

from knowledge.programme.closing import CLOSING_REFS
from knowledge.qa.answer import Answer
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.common import result_of, with_alternatives
from knowledge.qa.families.replies import not_found_answer
from knowledge.qa.families.task import TaskAnswers
from knowledge.qa.index import Hit, SearchIndex
from knowledge.qa.kinds import KINDS
from knowledge.qa.query import Intent, ParsedQuery
from knowledge.qa.retrieve import RANKING
from knowledge.render import Markup, indicator_card
from knowledge.text import bigrams

__all__ = ["Search", "apart", "confident"]

# Renders the best hit (with its close alternatives and the guessed syllables) as the answer.
_HitAnswer = Callable[[ParsedQuery, Hit, list[Hit], list[str], Markup], Answer]
_WHICH = re.compile(r"\b(?:nhung|cac) (?!nhiem vu|de an|chi tieu)[a-z]+(?: [a-z]+){0,3} nao\b")
# Words of a date ("đến năm 2025"): a pair with one of them is not a word of the topic.
_DATE_WORDS = frozenset(["nam", "den", "toi", "thang", "quy", "giai", "doan"])
_DIGIT = re.compile(r"\d")


# Weighing keeps this many hits, best first: suggestions (inline mode) show up to ten, an
# answer reads the first four at most (the best and three alternatives).
WEIGHED_KEPT = 10
ANSWER_KEPT = 4
# Raw hits scored first, then more, and all of them only when weighing needs more.
SCORED_FIRST = 40
SCORED_NEXT = 160


def apart(hit: Hit, pairs: set[str]) -> float:
    """:attr:`Ranking.apart` when the entry holds the question's syllables but none of its pairs.

    Vietnamese words are mostly two syllables: "nhập khẩu" matched as "thu nhập" and "xuất
    khẩu" is another word.
    """
    if (
        len(hit.matched) < 2
        or not pairs
        or any(not f.pairs.isdisjoint(pairs) for f in hit.entry.fields)
    ):
        return 1.0
    return RANKING.apart


def confident(hit: Hit, penalised: list[str]) -> bool:
    """Enough of the question is covered, and not only by guessed (corrected) words."""
    return hit.score >= RANKING.found and bool(hit.matched - set(penalised))


def _priors(q: ParsedQuery) -> dict[str, float]:
    """The kind priors, raised for the kind of record the question points to."""
    prior = dict(RANKING.kind_prior)
    if q.wants_indicator:
        prior["indicator"] *= 1.08
    if q.wants_task or q.intent in Intent.TASK_FIELDS:
        prior["task"] *= 1.08
    if q.wants_duties:
        prior["responsibility"] *= 1.1
    if not q.wants_task and _WHICH.search(q.folded):
        # "những khu công nghiệp nào": the passage that names them, not the task that
        # only says "các khu công nghiệp".
        prior["passage"] *= RANKING.which_passage
    return prior


class Search:
    """Ranks the records on the topic; answers with the best, or says nothing answers."""

    def __init__(self, catalog: Catalog, index: SearchIndex, tasks: TaskAnswers) -> None:
        """Keep the records, the index, and the family that renders a task."""
        self.catalog = catalog
        self.index = index
        self.tasks = tasks
        # How a hit of a kind becomes the answer; other kinds show their card.
        self._by_kind: dict[str, _HitAnswer] = {
            "task": self._task_hit,
            "indicator": self._indicator_hit,
        }
        # The closing blocks, looked up per hit.
        self._closing = {str(p.id) for p in catalog.programme.passages if p.ref in CLOSING_REFS}

    def answer(
        self, q: ParsedQuery, penalised: list[str], m: Markup, kinds: set[str] | None = None
    ) -> Answer:
        """The best record for the (corrected) topic of ``q``, or "not found" with the nearest.

        Args:
            q: The question, its topic corrected.
            penalised: The topic's syllables that correction guessed.
            m: Markup for the answer text.
            kinds: Only these kinds of record (all when None).

        """
        scored: dict[int | None, list[Hit]] = {}
        if q.intent in Intent.TASK_FIELDS and kinds is None:
            # The tasks among all hits: the same scores and order as scoring tasks alone.
            hits = self._ranked(q, penalised, kinds, scored, only="task")
            if hits and confident(hits[0], penalised):
                return self._answer_hits(q, hits, penalised, m)
        hits = self._ranked(q, penalised, kinds, scored)
        if not hits or not confident(hits[0], penalised):
            return not_found_answer(q, hits, self.catalog, m)
        return self._answer_hits(q, hits, penalised, m)

    def _ranked(
        self,
        q: ParsedQuery,
        penalised: list[str],
        kinds: set[str] | None,
        scored: dict[int | None, list[Hit]],
        only: str = "",
    ) -> list[Hit]:
        """The weighed best hits, from the first :data:`SCORED_FIRST` raw hits when they suffice.

        Only when weighing reaches the end of a cut list without stopping early are more hits
        (:data:`SCORED_NEXT`, then all) scored: the answer is the same as from every hit.
        """
        for limit in (SCORED_FIRST, SCORED_NEXT, None):
            if limit not in scored:
                scored[limit] = self.index.score(q.topic, kinds, penalised, limit=limit)
            hits = [h for h in scored[limit] if not only or h.entry.kind == only]
            weighed, stopped = self._weigh(q, hits, ANSWER_KEPT)
            if stopped or limit is None or len(scored[limit]) < limit:
                return weighed
        raise AssertionError("unreachable: the last pass scores every hit")

    def weigh(self, q: ParsedQuery, hits: list[Hit]) -> list[Hit]:
        """Hits re-scored by kind, split words and closing blocks; best first."""
        return self._weigh(q, hits)[0]

    def _weigh(
        self, q: ParsedQuery, hits: list[Hit], keep: int = WEIGHED_KEPT
    ) -> tuple[list[Hit], bool]:
        """The ``keep`` best hits re-scored, and whether weighing stopped before the last hit.

        It stops at a hit that, raised by the largest factor, would still rank below the
        ``keep``-th best so far: no later hit can reach the first ``keep``.
        """
        prior = _priors(q)
        pairs = {
            p
            for p in bigrams(q.topic)
            if not _DATE_WORDS & set(p.split()) and not _DIGIT.search(p)
        }
        weighed: list[Hit] = []
        kept: list[float] = []  # the best ``keep`` weighed scores so far (a min-heap)
        most = max(prior.values())  # no factor raises a hit more than its kind's prior
        stopped = False
        for h in hits:  # best raw score first
            if len(kept) == keep and h.score * most < kept[0]:
                stopped = True  # neither this hit nor any after it can reach the first ones
                break
            kind, key = h.entry.kind, h.entry.key
            factor = prior[kind] * apart(h, pairs)
            if kind == "passage" and key in self._closing:
                factor *= RANKING.aside  # a closing block's receivers name many bodies
            weighed.append(Hit(h.entry, h.score * factor, h.matched))
            heapq.heappush(kept, h.score * factor)
            if len(kept) > keep:
                heapq.heappop(kept)
        weighed.sort(key=lambda h: h.score, reverse=True)
        return weighed[:keep], stopped

    def _answer_hits(
        self, q: ParsedQuery, hits: list[Hit], penalised: list[str], m: Markup
    ) -> Answer:
        """The best hit as the answer; hits of its kind nearly as good as alternatives."""
        best = hits[0]
        others = [
            h
            for h in hits[1:4]
            if h.score >= best.score * RANKING.close and h.entry.kind == best.entry.kind
        ]
        render = self._by_kind.get(best.entry.kind, self._record_hit)
        return render(q, best, others, penalised, m)

    def _record_hit(
        self, q: ParsedQuery, best: Hit, others: list[Hit], penalised: list[str], m: Markup
    ) -> Answer:
        """A responsibility, passage or section: its card, as its kind renders it."""
        record = KINDS[best.entry.kind]
        lines = [record.card(self.catalog, best.entry.key, m)]
        result = [result_of(best, self.catalog)]
        return with_alternatives(q, record.intent, lines, result, others, self.catalog, m)

    def _indicator_hit(
        self, q: ParsedQuery, best: Hit, others: list[Hit], penalised: list[str], m: Markup
    ) -> Answer:
        """A target with the others of its bullet (the year asked, if any); other bullets after."""
        ind = self.catalog.indicators[best.entry.key]
        siblings = self.catalog.siblings(ind)
        sib_ids = {str(s.id) for s in siblings}
        others = [h for h in others if h.entry.key not in sib_ids]
        lines = [indicator_card(ind, siblings, m, year=q.year)]
        result = [result_of(best, self.catalog)]
        return with_alternatives(q, Intent.INDICATOR, lines, result, others, self.catalog, m)

    def _task_hit(
        self, q: ParsedQuery, best: Hit, others: list[Hit], penalised: list[str], m: Markup
    ) -> Answer:
        """A task found by search: its card with the part C bullet that describes it.

        A question about one column gets just the answer and the card, unless a bullet answers
        it better than the task itself.
        """
        key = best.entry.key
        related = self.tasks.related_passage(key)
        if q.intent in Intent.TASK_FIELDS:
            # ... unless a bullet answers the question better than the task
            # itself ("theo phê duyệt của Thủ tướng" is only in part C).
            passages = self.index.score(q.topic, {"passage"}, penalised, limit=1)
            better = passages[0] if passages and passages[0].score > best.score else None
            related = self.catalog.passages[better.entry.key] if better else None
        task = self.catalog.tasks[key]
        return self.tasks.card_answer(q, task, best.score, others, m, related)
