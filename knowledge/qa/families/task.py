"""One appendix task: its card, the column a question asks, the body bullet that describes it."""

from __future__ import annotations

from knowledge.programme.model import Passage, Task
from knowledge.qa.answer import Answer, Result
from knowledge.qa.catalog import Catalog
from knowledge.qa.families.common import specific, with_alternatives
from knowledge.qa.index import Hit, SearchIndex
from knowledge.qa.kinds import words
from knowledge.qa.query import Intent, ParsedQuery
from knowledge.qa.retrieve import RANKING
from knowledge.render import TASK_FIELD_LABELS, Markup, agency_display, task_card

__all__ = ["FIELD_MISSING", "FIELD_SENTENCES", "TaskAnswers"]

FIELD_SENTENCES = {
    Intent.LEAD: "{lead} chủ trì tham mưu nhiệm vụ {code}.",
    Intent.COORDINATING: "Cơ quan phối hợp thực hiện nhiệm vụ {code}: {coordinating}.",
    Intent.PRODUCT: "Sản phẩm của nhiệm vụ {code}: {product}.",
    Intent.DUE: "Thời gian trình nhiệm vụ {code}: {due}.",
    Intent.PERIOD: "Thời gian thực hiện nhiệm vụ {code}: {period}.",
    Intent.APPROVAL: "Cấp trình cho ý kiến nhiệm vụ {code}: {approval}.",
    Intent.ISSUER: "Cơ quan ban hành nhiệm vụ {code}: {issuer}.",
}
FIELD_MISSING = {
    Intent.LEAD: "Phụ lục không ghi cơ quan chủ trì cho nhiệm vụ {code}.",
    Intent.COORDINATING: "Phụ lục không ghi cơ quan phối hợp cho nhiệm vụ {code}.",
    Intent.PRODUCT: "Phụ lục không ghi sản phẩm của nhiệm vụ {code}.",
    Intent.DUE: "Phụ lục không ghi thời gian trình cho nhiệm vụ {code}.",
    Intent.PERIOD: "Phụ lục không ghi thời gian thực hiện cho nhiệm vụ {code}.",
    Intent.APPROVAL: "Phụ lục không ghi cấp trình cho ý kiến của nhiệm vụ {code}.",
    Intent.ISSUER: "Phụ lục không ghi cơ quan ban hành nhiệm vụ {code}.",
}


class TaskAnswers:
    """Answers about one task; as a family, the task a question names by its code."""

    def __init__(self, catalog: Catalog, index: SearchIndex) -> None:
        """Keep the records and the index that finds a task's body bullet."""
        self.catalog = catalog
        self.index = index
        self._related: dict[str, Passage | None] = {}

    def answer(self, q: ParsedQuery, m: Markup) -> Answer | None:
        """The task ``q`` names by code when little else is asked ("5.3 ai chủ trì"), or None."""
        task = self.catalog.task(q.code) if q.code else None
        if task is None or len(specific(q.topic)) > 3:
            return None
        return self.card_answer(q, task, 1.0, [], m)

    def card_answer(
        self,
        q: ParsedQuery,
        task: Task,
        score: float,
        others: list[Hit],
        m: Markup,
        related: Passage | None = None,
    ) -> Answer:
        """The column asked (if one is), the card, the describing bullet, then alternatives."""
        intent = q.intent if q.intent in Intent.TASK_FIELDS else Intent.TASK
        lines = []
        if intent in FIELD_SENTENCES:
            lines.append(m.bold(self._field_sentence(intent, task)))
        catalog = self.catalog
        lines.append(task_card(task, m, status=catalog.status_line(task), columns=catalog.columns))
        if related is not None:
            lines.append(m.text(f"Trong phần nhiệm vụ, giải pháp (mục {related.ref}):"))
            lines.append(m.text(related.text))
        results = [Result("task", task.code, round(score, 4), catalog.title_of("task", task.code))]
        return with_alternatives(q, intent, lines, results, others, catalog, m)

    def _field_sentence(self, intent: str, task: Task) -> str:
        """The one column a question asks, in the words of the document's own appendix."""
        columns = self.catalog.columns
        value = getattr(task, intent)
        label = columns.label(intent)
        if not columns.has(intent):
            return f"Phụ lục không có cột “{label}”; nhiệm vụ {task.code} như sau."
        if not value:
            return FIELD_MISSING[intent].format(code=task.code)
        if intent == Intent.LEAD:
            verb = "chủ trì tham mưu" if label == TASK_FIELD_LABELS["lead"] else "chủ trì"
            return f"{agency_display(value)} {verb} nhiệm vụ {task.code}."
        if label != TASK_FIELD_LABELS.get(intent, label):
            return f"{label} nhiệm vụ {task.code}: {value}."
        return FIELD_SENTENCES[intent].format(code=task.code, **{intent: value})

    def related_passage(self, code: str) -> Passage | None:
        """The bullet of the body that describes an appendix task, if one clearly does.

        Args:
            code: The task's code.

        Returns:
            The best-matching passage when it covers most of the task's words.

        """
        if code not in self._related:
            hits = self.index.score(words(self.catalog.tasks[code].content), {"passage"})
            good = hits[0] if hits and hits[0].score >= RANKING.related else None
            self._related[code] = self.catalog.passages[good.entry.key] if good else None
        return self._related[code]
