"""Retrieve appendix tasks by the filters of a question (body and role, quarter, year, part).

Topic retrieval (ranking records by the words of a question) is
:class:`knowledge.qa.index.SearchIndex`; its parameters are :data:`RANKING`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from knowledge.programme.agencies import agency_key, split_names
from knowledge.programme.model import Task
from knowledge.programme.quarters import due_year, quarter_of, recurs_yearly
from knowledge.qa.understand import Filters
from knowledge.text import fold

__all__ = ["RANKING", "Ranking", "filter_tasks"]


@dataclass(frozen=True)
class Ranking:
    """Every threshold and weight of the pipeline, in one place.

    Attributes:
        found: A hit below this coverage of the question is not an answer.
        suggest: Inline results and pickers show weaker matches too.
        filter: Filtering a body's own tasks by topic needs less evidence.
        close: Hits within this ratio of the best are offered as alternatives.
        related: A passage covering this much of a task's content is shown under its card.
        topic_ratio: Targets of one topic: those within this ratio of the best.
        part_min: Each part of a two-part question must reach this score.
        kind_prior: How much each kind of record is trusted when the question does not say.
        which_passage: Passages weigh this much more for "những <X> nào" questions.
        body_near: A body name this similar (0..1) to a known spelling is that body misspelt.
        apart: A record holding the question's syllables but none of its adjacent pairs
            weighs this much (its words are other words).
        aside: A closing block of the document ("Nơi nhận", the appendix title) weighs
            this much: its list of receivers names many bodies.

    """

    found: float = 0.5
    suggest: float = 0.3
    filter: float = 0.3
    close: float = 0.92
    related: float = 0.6
    topic_ratio: float = 0.75
    part_min: float = 0.5
    which_passage: float = 1.12
    body_near: float = 0.85
    apart: float = 0.85
    aside: float = 0.9
    kind_prior: tuple[tuple[str, float], ...] = (
        ("task", 1.0),
        ("indicator", 1.0),
        ("responsibility", 0.95),
        ("section", 0.93),
        ("passage", 0.9),
    )


RANKING = Ranking()


def _names(task: Task, role: str) -> list[str]:
    return [agency_key(n) for n in split_names(getattr(task, role))]


def _body_matches(task: Task, filters: Filters) -> bool:
    names = _names(task, filters.role or "lead")
    key = agency_key(filters.body)
    if filters.only:  # exactly the bodies named in this role
        same = {key, *(agency_key(b) for b, r in filters.also if r == (filters.role or "lead"))}
        return set(names) == same
    return key in names


def _group_of(task: Task) -> int:
    """The group of part I a task belongs to: the first number of its code ("5.3" → 5)."""
    head = task.code.split(".")[0]
    return int(head) if task.part == "I" and head.isdigit() else 0


def _due_matches(task: Task, filters: Filters) -> bool:
    if filters.whole_term:
        return quarter_of(task.due) is None and fold(task.due).endswith(filters.period)
    if filters.quarter is None and filters.year is None:
        return True
    q = quarter_of(task.due)
    if q is None:  # "Năm 2027", "Tháng 6/2026": a year, no quarter
        return filters.quarter is None and due_year(task.due) == filters.year
    return (filters.quarter is None or q[0] == filters.quarter) and (
        filters.year is None or q[1] == filters.year
    )


def _period_matches(task: Task, filters: Filters) -> bool:
    if not filters.period or filters.whole_term:
        return True
    return re.sub(r"\s+", " ", fold(task.period)) == filters.period


def filter_tasks(tasks: Iterable[Task], filters: Filters) -> list[Task]:
    """The tasks that meet every condition of ``filters``, in appendix order.

    Args:
        tasks: The appendix tasks.
        filters: The question's conditions.

    Returns:
        The matching tasks.

    """
    return [
        t
        for t in tasks
        if (not filters.body or _body_matches(t, filters) != filters.exclude)
        and (not filters.blank or not getattr(t, filters.blank).strip())
        and all(
            _body_matches(t, replace(filters, body=b, role=r, only=False)) for b, r in filters.also
        )
        and (not filters.part or t.part == filters.part)
        and (not filters.group or _group_of(t) == filters.group)
        and (not filters.kind or fold(t.content).startswith(filters.kind))
        and _due_matches(t, filters)
        and _period_matches(t, filters)
        and (not filters.yearly or recurs_yearly(f"{t.due} {t.period}"))
    ]
