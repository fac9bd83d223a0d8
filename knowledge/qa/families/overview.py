"""Questions with no topic: "nhiệm vụ", "các chỉ tiêu", "" — the whole list, or help."""

from __future__ import annotations

from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.area import AreaAnswers
from knowledge.qa.families.common import specific
from knowledge.qa.families.replies import help_answer
from knowledge.qa.query import Intent, ParsedQuery
from knowledge.render import Markup, plural_tasks, shorten

__all__ = ["Overview", "all_tasks_answer"]


def all_tasks_answer(q: ParsedQuery, catalog: Catalog, m: Markup) -> Answer:
    """Every appendix task, one short line each, by part."""
    tasks = catalog.programme.tasks
    lines = [m.bold(f"Phụ lục có {plural_tasks(len(tasks))}:")]
    part = None
    for t in tasks:
        if t.part != part:
            part = t.part
            lines.append(m.bold(f"{t.part}. {t.part_title}"))
        lines.append(f"• {m.bold(t.code)} {m.text(shorten(t.content, 80))}")
    lines.append(m.italic("Hỏi “nhiệm vụ 5.3” để xem chi tiết một nhiệm vụ."))
    results = [Result("task", t.code, 1.0, catalog.title_of("task", t.code)) for t in tasks]
    return Answer(q.raw, Intent.TASK, True, "\n".join(lines), results)


class Overview:
    """A question without a topic: all tasks, all targets (by area), or what to ask."""

    def __init__(self, catalog: Catalog, areas: AreaAnswers) -> None:
        """Keep the records and the family that lists targets by area."""
        self.catalog = catalog
        self.areas = areas

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """The whole list a topic-less question asks, help when it asks none, or None."""
        if q.intent == Intent.EMPTY:
            if q.wants_indicator:
                return self.targets(q, m)
            if q.wants_task:
                return all_tasks_answer(q, self.catalog, m)
            return help_answer(q, self.catalog, m)
        if specific(q.topic) or q.code or q.quarter or q.intent != Intent.PASSAGE:
            return None
        # "nhiệm vụ", "các đề án", "chỉ tiêu": the whole list.
        if q.wants_task:
            return all_tasks_answer(q, self.catalog, m)
        if q.wants_indicator:
            return self.targets(q, m)
        return None

    def targets(self, q: ParsedQuery, m: Markup) -> Answer:
        """The targets by area, or help when the question names none of them."""
        return self.areas.answer(q, m) or help_answer(q, self.catalog, m)
