"""Record questions: a task's column, a target, a passage, a body's tasks and duties.

:class:`RecordAnswerer` holds the programme's index and answers one question about records:
it parses it (:mod:`knowledge.qa.query`) and asks the families of :mod:`knowledge.qa.families`
in order, first on the question as typed, then on its corrected topic; the first family that
answers does, and search (:mod:`knowledge.qa.families.search`) answers the rest. The pipeline
(:mod:`knowledge.qa.pipeline`) sends it what its own stages do not answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from knowledge.programme.model import Passage, Programme
from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.agency import AgencyAnswers, read_duties_part
from knowledge.qa.families.area import AreaAnswers
from knowledge.qa.families.browse import Browser
from knowledge.qa.families.common import Family, correct_topic
from knowledge.qa.families.elsewhere import Elsewhere
from knowledge.qa.families.header import Header
from knowledge.qa.families.overview import Overview
from knowledge.qa.families.quarter import QuarterAnswers
from knowledge.qa.families.search import Search
from knowledge.qa.families.task import TaskAnswers
from knowledge.qa.index import Entry, SearchIndex
from knowledge.qa.kinds import KINDS
from knowledge.qa.progress_view import ProgressView
from knowledge.qa.query import ParsedQuery, intent_pairs, intent_vocabulary, parse_query
from knowledge.qa.retrieve import RANKING
from knowledge.qa.understand import Question
from knowledge.render import PLAIN, Markup

__all__ = ["FOUND_THRESHOLD", "RecordAnswerer"]

FOUND_THRESHOLD = RANKING.found


class RecordAnswerer(Catalog):
    """Answers one record question about a programme; built once, read-only afterwards."""

    def __init__(self, programme: Programme, progress: ProgressView | None = None) -> None:
        """Index ``programme`` and set up the families of answers, in the order they are asked.

        Args:
            programme: The parsed (or stored) programme.
            progress: Where tasks stand (the report log), when progress is tracked.

        """
        super().__init__(programme, progress)
        self.index = SearchIndex(self._entries(), intent_vocabulary(), intent_pairs())
        self._duty_letters = {r.ref.split(".")[0].casefold() for r in programme.responsibilities}
        self._elsewhere = Elsewhere(programme.title, self.index)
        tasks = TaskAnswers(self, self.index)
        agency = AgencyAnswers(self, self.index)
        quarter = QuarterAnswers(self)
        area = AreaAnswers(self)
        self._search = Search(self, self.index, tasks)
        self._tasks = tasks
        # The question as typed: another province, the document's header, no topic at all.
        self.as_typed: tuple[Family, ...] = (
            self._elsewhere,
            Header(programme),
            Overview(self, area),
        )
        # The corrected topic: a task by its code, a body, a quarter, an area; then search.
        self.on_topic: tuple[Family, ...] = (tasks, agency, quarter, area)
        self._browser = Browser(
            self,
            self.index,
            tasks=tasks,
            agency=agency,
            quarter=quarter,
            area=area,
            search=self._search,
        )

    def _entries(self) -> Iterable[Entry]:
        for kind in KINDS.values():
            yield from kind.entries(self)

    def _first_body(self, folded: str) -> str:
        spans = self.agencies.spans(folded)
        return spans[0][2] if spans else ""

    def refuse(self, question: Question, m: Markup = PLAIN) -> Answer | None:
        """The refusal of a question about another province, or None."""
        # The cheap check first: fully parsed only when a province is named (rarely).
        if not self._elsewhere.names_other_place(question.text):
            return None
        return self._elsewhere.answer(parse_query(question.text), m)

    def answer_one(self, question: str, m: Markup = PLAIN) -> Answer:
        """Answer one record question (a task's column, a target, a passage, a body)."""
        q = parse_query(question, self.index.correct_unknown)
        answer = _first(self.as_typed, q, m)
        if answer is not None:
            return answer
        in_part = read_duties_part(q, self._duty_letters)
        # Syllables that typo correction produced are guesses; they count for less.
        guessed = correct_topic(self.index, q)
        answer = _first(self.on_topic, q, m)
        kinds = {"responsibility"} if in_part else None  # the part named is where to look
        return answer if answer is not None else self._search.answer(q, guessed, m, kinds)

    def related_passage(self, code: str) -> Passage | None:
        """The bullet of the body that describes an appendix task, if one clearly does."""
        return self._tasks.related_passage(code)

    # -- browsing (bot commands) ----------------------------------------------

    def browse_indicators(self, keyword: str, m: Markup = PLAIN) -> Answer:
        """Targets: all of them by area, an area's, or those matching ``keyword``.

        Args:
            keyword: Empty, an area ("môi trường") or words of a target.
            m: Markup for the answer text.

        """
        return self._browser.indicators(keyword, m)

    def browse_tasks(self, keyword: str, m: Markup = PLAIN) -> Answer:
        """Appendix tasks: all of them, one by code, a quarter's, or those matching ``keyword``.

        Args:
            keyword: Empty, a code ("5.3", "II.8"), a quarter or words of a task.
            m: Markup for the answer text.

        """
        return self._browser.tasks_matching(keyword, m)

    def browse_agency(self, name: str, m: Markup = PLAIN) -> Answer:
        """What a body leads in the appendix and its duties in the implementation part.

        Args:
            name: The body, in any spelling ("Ban Tuyên giáo", "UBND tỉnh", "MTTQ").
            m: Markup for the answer text.

        Returns:
            The answer; without a name, the list of bodies.

        """
        return self._browser.body(name, m)

    def suggest(self, text: str, limit: int = 20, kinds: set[str] | None = None) -> list[Result]:
        """Records matching ``text``, best first, for inline mode and pickers.

        Args:
            text: What the user typed so far.
            limit: At most this many.
            kinds: Only these kinds of record (all when None).

        Returns:
            Tasks, targets, responsibilities, sections and passages that match,
            weaker matches included; the first targets and tasks when ``text``
            is empty.

        """
        return self._browser.suggest(text, limit, kinds)


def _first(families: tuple[Family, ...], q: ParsedQuery, m: Markup) -> Answer | None:
    """The answer of the first family that answers ``q``, or None."""
    for family in families:
        answer = family.answer(q, m)
        if answer is not None:
            return answer
    return None
