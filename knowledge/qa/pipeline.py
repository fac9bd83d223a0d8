"""Run the stages for one message: normalise → understand → retrieve → decide → compose.

:class:`Pipeline` owns the order of the stages. Record look-ups that the pipeline does not
answer itself (a task's column, a target, a passage, a body's duties) go to the ``core``
answerer it is given: :meth:`knowledge.engine.Engine.answer_one`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from knowledge.programme.agencies import AgencyIndex
from knowledge.programme.model import Indicator, Programme, Task
from knowledge.qa.answer import Answer
from knowledge.qa.compose.busiest import bodies_answer, busiest_answer
from knowledge.qa.compose.check import plain_question, verdict
from knowledge.qa.compose.document import document_answer
from knowledge.qa.compose.listing import task_list_answer
from knowledge.qa.compose.parts import join_parts
from knowledge.qa.compose.progress import (
    status_list_answer,
    task_progress_answer,
    untracked_answer,
)
from knowledge.qa.compose.topic import topic_answer
from knowledge.qa.conversation import Context, follow_up
from knowledge.qa.decide import (
    missing_year,
    office_holder,
    unknown_body,
    unstated_figure,
    unstated_in_passage,
)
from knowledge.qa.normalise import (
    conjunction_split,
    count_split,
    joined_in,
    question_sentences,
    split_parts,
)
from knowledge.qa.progress_view import ProgressView
from knowledge.qa.retrieve import filter_tasks
from knowledge.qa.topics import topic_targets
from knowledge.qa.understand import (
    Ask,
    Filters,
    Question,
    normalised,
    strip_progress,
    understand,
)
from knowledge.render import Markup, TaskColumns

__all__ = ["Core", "Pipeline"]

# A task code as the appendix numbers them: "5.3", "II.7".
_CODE = re.compile(r"(?<![\w.])((?:[ivx]+|\d{1,2})\.\d{1,2})(?![\w.])")


def _context_of(question: str, answer: Answer) -> Context | None:
    """What a follow-up to ``answer`` would be about: its first record."""
    if not answer.found or not answer.results:
        return None
    top = answer.results[0]
    return Context(question, top.kind, top.id, answer.intent)


class Core(Protocol):
    """What the pipeline needs from the engine."""

    programme: Programme
    indicators: dict[str, Indicator]
    tasks: dict[str, Task]
    agencies: AgencyIndex
    progress: ProgressView | None
    columns: TaskColumns

    def answer_one(self, text: str, m: Markup) -> Answer:
        """Answer one record question."""
        ...

    def title_of(self, kind: str, key: str) -> str:
        """A record's short title."""
        ...

    def refuse(self, q: Question, m: Markup) -> Answer | None:
        """A refusal when the question is about something else (another province)."""
        ...


class Pipeline:
    """Answers a message, one question part at a time."""

    def __init__(
        self,
        core: Core,
        bodies: Callable[[str], str],
        fix: Callable[[list[str]], list[str]] | None = None,
    ) -> None:
        """Keep the collaborators.

        Args:
            core: Answers record questions.
            bodies: Finds the first body a folded text names, or "".
            fix: Corrects misspelt folded syllables (the typo stage).

        """
        self.core = core
        self.bodies = bodies
        self.fix = fix
        self._forms = core.agencies.forms()
        self._passages = {str(p.id): p.text for p in core.programme.passages}

    def ask(self, raw: str, m: Markup, context: Context | None = None) -> Answer:
        """Answer a whole message; each part of it is read in the context the last one left."""
        text = question_sentences(normalised(raw))
        answers = []
        for part in split_parts(text):
            standalone = follow_up(part, context, self.core.agencies.spans) or part
            answer = self.answer(standalone, m)
            context = _context_of(standalone, answer) or context
            answers.append(answer)
        answer = answers[0] if len(answers) == 1 else join_parts(answers)
        answer.query = raw
        answer.context = context
        return answer

    def answer(self, text: str, m: Markup) -> Answer:
        """Answer one question; two subjects asked together are answered each."""
        whole = self._answer(text, m)
        pair = self._pair(text, whole, m)
        return join_parts(pair) if pair else whole

    def _pair(self, text: str, whole: Answer, m: Markup) -> list[Answer] | None:
        """Both halves of "A vs B …" or "phần I có mấy, phần II có mấy", when both stand."""
        halves = conjunction_split(text) or count_split(text)
        if halves is None or (whole.found and joined_in(text, whole.text)):
            return None  # no second subject, or "A và B" is the name of the record found
        answers = [self._answer(h, m) for h in halves]
        if not all(a.found and a.results for a in answers):
            return None
        tops = [(a.results[0].kind, a.results[0].id) for a in answers]
        if tops[0] == tops[1]:
            return None
        if whole.found and whole.results:
            mine = (whole.results[0].kind, whole.results[0].id)
            if mine not in tops and whole.intent not in ("tasks_by_filter", "indicators_by_area"):
                return None
        return answers

    def _answer(self, text: str, m: Markup) -> Answer:
        q = understand(text, self.bodies, fix=self.fix, spans=self.core.agencies.spans)
        stages = (
            self.core.refuse,
            self._unknown_body,
            self._document,
            self._progress,
            self._listing,
            self._busiest,
            self._topic,
        )
        for stage in stages:
            answer = stage(q, m)
            if answer is not None:
                return answer
        if q.ask == Ask.CHECK:
            return self._check(q, m)
        return self._review(q, self.core.answer_one(q.text, m), m)

    def _check(self, q: Question, m: Markup) -> Answer:
        """A yes/no check: answer the plain question, then judge the guess."""
        plain = plain_question(q.folded, self.core.agencies.spans)
        answer = self._review(q, self.core.answer_one(plain, m), m)
        if not answer.results:
            return answer
        top = answer.results[0]
        record = (
            self.core.indicators.get(top.id)
            if top.kind == "indicator"
            else self.core.tasks.get(top.id)
            if top.kind == "task"
            else None
        )
        return verdict(answer, record, q.folded, q.guess, self.core.agencies.spans, m)

    def _progress(self, q: Question, m: Markup) -> Answer | None:
        """Where a task stands, or which tasks are overdue/done/unreported (of a body, a part)."""
        if q.ask != Ask.PROGRESS:
            return None
        view = self.core.progress
        if q.filters.status and not self._names_one_task(q):
            if view is None:
                return untracked_answer(q, m)
            tasks = filter_tasks(self.core.programme.tasks, q.filters)
            return status_list_answer(q, tasks, view, self.core.title_of, m)
        task = self._named_task(q) or self._task_of(q, m)
        if task is None:
            return None
        if view is None:
            return untracked_answer(q, m)
        return task_progress_answer(q, task, view, self.core.title_of, m, self.core.columns)

    def _task_of(self, q: Question, m: Markup) -> Task | None:
        """The task a progress question names by its words."""
        found = self.core.answer_one(strip_progress(q.text), m)
        top = found.results[0] if found.found and found.results else None
        return self.core.tasks[top.id] if top is not None and top.kind == "task" else None

    def _named_task(self, q: Question) -> Task | None:
        """The task a question names by its code ("nhiệm vụ 1.6 …"), when there is one."""
        codes = {c.upper() for c in _CODE.findall(q.folded)}
        known = [self.core.tasks[c] for c in codes if c in self.core.tasks]
        return known[0] if len(known) == 1 else None

    def _names_one_task(self, q: Question) -> bool:
        return bool(_CODE.search(q.folded))

    def _document(self, q: Question, m: Markup) -> Answer | None:
        return document_answer(q, self.core.programme, m)

    def _unknown_body(self, q: Question, m: Markup) -> Answer | None:
        known = unknown_body(q, m, self.core.agencies.spans, self._forms)
        return known or office_holder(q, m)

    def _review(self, q: Question, answer: Answer, m: Markup) -> Answer:
        """The decide stage on a record answer: a near-miss becomes a refusal."""
        if not answer.found or not answer.results:
            return answer
        top = answer.results[0]
        refusal = None
        if top.kind == "indicator" and top.id in self.core.indicators:
            refusal = missing_year(q, self.core.indicators[top.id], m)
        elif top.kind == "task":
            refusal = unstated_figure(q, top.id, m)
        elif top.kind == "passage" and top.id in self._passages:
            refusal = unstated_in_passage(q, self._passages[top.id], m)
        return refusal or answer

    def _topic(self, q: Question, m: Markup) -> Answer | None:
        if not q.topic:
            return None
        targets = topic_targets(self.core.programme.indicators, q.topic)
        return topic_answer(q.raw, targets, self.core.title_of, m) if targets else None

    def _busiest(self, q: Question, m: Markup) -> Answer | None:
        compose = {Ask.BUSIEST: busiest_answer, Ask.BODIES: bodies_answer}.get(q.ask)
        if compose is None:
            return None
        return compose(q, self.core.programme.tasks, self.core.title_of, m)

    def _listing(self, q: Question, m: Markup) -> Answer | None:
        if q.ask not in (Ask.COUNT, Ask.LIST):
            return None
        f = q.filters
        if q.ask == Ask.LIST and not f.any_task_filter():
            return None
        if q.ask == Ask.LIST and f.role == "lead" and f == Filters(body=f.body, role="lead"):
            return None  # the core's body answer lists them with the body's duties
        tasks = filter_tasks(self.core.programme.tasks, q.filters)
        return task_list_answer(q, tasks, self.core.title_of, m)
